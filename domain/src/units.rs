//! The union unit tree: province → city → county/district → grassroots.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

/// Longest unit code we accept. Fixture codes are 2–8 digits; a unified social
/// credit code (统一社会信用代码) is 18 characters, so 32 leaves room.
const MAX_CODE_LEN: usize = 32;
/// Longest unit name, in characters. The longest real names we know
/// (e.g. "某某市某某区某某街道某某社区联合工会委员会") are ~30.
const MAX_NAME_CHARS: usize = 60;

string_newtype!(UnitCode, UnitFieldError);
string_newtype!(UnitName, UnitFieldError);

/// A unit's code, e.g. `370102`: 1–32 ASCII letters or digits, upper-cased.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(raw: &str) -> Result<Self, UnitFieldError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(UnitFieldError::EmptyCode);
        }
        if trimmed.len() > MAX_CODE_LEN || !trimmed.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(UnitFieldError::MalformedCode(trimmed.chars().take(40).collect()));
        }
        Ok(Self(trimmed.to_ascii_uppercase()))
    }
}

/// A unit's display name: trimmed, 1–60 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct UnitName(String);

impl UnitName {
    pub fn parse(raw: &str) -> Result<Self, UnitFieldError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(UnitFieldError::EmptyName);
        }
        if trimmed.chars().count() > MAX_NAME_CHARS {
            return Err(UnitFieldError::NameTooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(UnitFieldError::NameHasControlCharacters);
        }
        Ok(Self(trimmed.to_owned()))
    }
}

/// Where a unit sits in the union hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum UnitLevel {
    Province,
    City,
    County,
    Grassroots,
}

impl UnitLevel {
    /// Accepts the English keys used in our CSV files and the Chinese words
    /// officials type in spreadsheets.
    pub fn parse(raw: &str) -> Result<Self, UnitFieldError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "province" | "省" | "省级" => Ok(Self::Province),
            "city" | "市" | "市级" => Ok(Self::City),
            "county" | "district" | "县" | "区" | "县级" | "县区" | "县（区）级" => Ok(Self::County),
            "grassroots" | "基层" => Ok(Self::Grassroots),
            other => Err(UnitFieldError::UnknownLevel(other.chars().take(20).collect())),
        }
    }

    /// The key stored in the database and written in CSV files.
    pub fn as_key(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::City => "city",
            Self::County => "county",
            Self::Grassroots => "grassroots",
        }
    }

    /// The word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Self::Province => "省级",
            Self::City => "市级",
            Self::County => "县（区）级",
            Self::Grassroots => "基层",
        }
    }

    fn depth(self) -> u8 {
        self as u8
    }
}

/// What is wrong with one field of a unit.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UnitFieldError {
    #[error("单位代码不能为空")]
    EmptyCode,
    #[error("单位代码“{0}”格式不对：只能是 1–32 位字母或数字")]
    MalformedCode(String),
    #[error("单位名称不能为空")]
    EmptyName,
    #[error("单位名称不能超过 60 个字")]
    NameTooLong,
    #[error("单位名称含有不可见的控制字符")]
    NameHasControlCharacters,
    #[error("单位层级“{0}”无法识别：应为 province、city、county 或 grassroots（省、市、县、基层）")]
    UnknownLevel(String),
}

/// One unit, with every field parsed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unit {
    pub code: UnitCode,
    pub parent: Option<UnitCode>,
    pub name: UnitName,
    pub level: UnitLevel,
}

/// One unparsed row of a units file (`code,parent_code,name,level`), with the
/// line it came from so that errors can point at it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitRow {
    pub line: usize,
    pub code: String,
    pub parent_code: String,
    pub name: String,
    pub level: String,
}

/// Why a set of rows is not a valid unit tree; `line` is the file's line number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UnitTreeError {
    #[error("第 {line} 行：{error}")]
    Field { line: usize, error: UnitFieldError },
    #[error("第 {line} 行：单位代码 {code} 与第 {first_line} 行重复")]
    DuplicateCode { line: usize, first_line: usize, code: UnitCode },
    #[error("第 {line} 行：上级单位 {parent} 不存在")]
    UnknownParent { line: usize, parent: UnitCode },
    #[error("第 {line} 行：单位 {code} 不能是自己的上级")]
    OwnParent { line: usize, code: UnitCode },
    #[error("第 {line} 行：单位 {code} 的上级关系形成了循环")]
    Cycle { line: usize, code: UnitCode },
    #[error("第 {line} 行：{child_level}单位不能隶属于{parent_level}单位 {parent}")]
    LevelNotBelowParent { line: usize, parent: UnitCode, child_level: &'static str, parent_level: &'static str },
    #[error("文件中没有最上级单位（上级代码为空的一行）")]
    NoRoot,
    #[error("第 {line} 行：只能有一个最上级单位，第 {first_line} 行已经是最上级单位")]
    SecondRoot { line: usize, first_line: usize },
    #[error("文件中没有任何单位")]
    Empty,
}

/// A checked unit tree: exactly one root, no unknown parents, no duplicates,
/// no cycles, and every unit's level below its parent's. Units are kept in
/// an order where every parent comes before its children, so they can be
/// inserted one by one under a foreign key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitTree {
    units: Vec<Unit>,
}

impl UnitTree {
    /// Parses and checks every row, returning all problems at once so an
    /// official can fix a spreadsheet in one pass.
    pub fn from_rows(rows: &[UnitRow]) -> Result<Self, Vec<UnitTreeError>> {
        if rows.is_empty() {
            return Err(vec![UnitTreeError::Empty]);
        }
        let mut errors = Vec::new();
        let mut parsed: Vec<(usize, Unit)> = Vec::with_capacity(rows.len());
        for row in rows {
            match parse_row(row) {
                Ok(unit) => parsed.push((row.line, unit)),
                Err(error) => errors.push(UnitTreeError::Field { line: row.line, error }),
            }
        }

        let mut first_line_of: HashMap<UnitCode, usize> = HashMap::new();
        let mut unique: Vec<(usize, Unit)> = Vec::with_capacity(parsed.len());
        for (line, unit) in parsed {
            if let Some(&first_line) = first_line_of.get(&unit.code) {
                errors.push(UnitTreeError::DuplicateCode { line, first_line, code: unit.code });
            } else {
                first_line_of.insert(unit.code.clone(), line);
                unique.push((line, unit));
            }
        }

        let by_code: HashMap<&UnitCode, (usize, &Unit)> =
            unique.iter().map(|(line, unit)| (&unit.code, (*line, unit))).collect();
        let mut root_line: Option<usize> = None;
        for (line, unit) in &unique {
            match &unit.parent {
                None => match root_line {
                    None => root_line = Some(*line),
                    Some(first_line) => errors.push(UnitTreeError::SecondRoot { line: *line, first_line }),
                },
                Some(parent) if parent == &unit.code => {
                    errors.push(UnitTreeError::OwnParent { line: *line, code: unit.code.clone() })
                }
                Some(parent) => match by_code.get(parent) {
                    None => errors.push(UnitTreeError::UnknownParent { line: *line, parent: parent.clone() }),
                    Some((_, parent_unit)) if parent_unit.level.depth() >= unit.level.depth() => {
                        errors.push(UnitTreeError::LevelNotBelowParent {
                            line: *line,
                            parent: parent.clone(),
                            child_level: unit.level.label(),
                            parent_level: parent_unit.level.label(),
                        })
                    }
                    Some(_) => {}
                },
            }
        }
        if root_line.is_none() && errors.is_empty() {
            errors.push(UnitTreeError::NoRoot);
        }

        // Breadth-first from the root: parents are emitted before children,
        // and whatever is never reached hangs off a cycle.
        let mut children: HashMap<&UnitCode, Vec<&Unit>> = HashMap::new();
        for (_, unit) in &unique {
            if let Some(parent) = &unit.parent {
                children.entry(parent).or_default().push(unit);
            }
        }
        let mut ordered: Vec<Unit> = Vec::with_capacity(unique.len());
        let mut reached: HashSet<&UnitCode> = HashSet::new();
        let mut queue: std::collections::VecDeque<&Unit> =
            unique.iter().filter(|(_, u)| u.parent.is_none()).map(|(_, u)| u).collect();
        while let Some(unit) = queue.pop_front() {
            if !reached.insert(&unit.code) {
                continue;
            }
            ordered.push(unit.clone());
            if let Some(kids) = children.get(&unit.code) {
                queue.extend(kids.iter().copied());
            }
        }
        for (line, unit) in &unique {
            if !reached.contains(&unit.code)
                && unit.parent.as_ref() != Some(&unit.code)
                && leads_into_cycle(unit, &by_code)
            {
                errors.push(UnitTreeError::Cycle { line: *line, code: unit.code.clone() });
            }
        }

        if errors.is_empty() {
            Ok(Self { units: ordered })
        } else {
            errors.sort_by_key(UnitTreeError::line);
            Err(errors)
        }
    }

    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    pub fn root(&self) -> &Unit {
        &self.units[0]
    }
}

impl UnitTreeError {
    fn line(&self) -> usize {
        match self {
            Self::Field { line, .. }
            | Self::DuplicateCode { line, .. }
            | Self::UnknownParent { line, .. }
            | Self::OwnParent { line, .. }
            | Self::Cycle { line, .. }
            | Self::LevelNotBelowParent { line, .. }
            | Self::SecondRoot { line, .. } => *line,
            Self::NoRoot | Self::Empty => 0,
        }
    }
}

/// Follows a unit's parents; true when the walk comes back to a unit it has
/// seen. A walk that ends at an unknown parent is not a cycle: that problem is
/// reported on its own line.
fn leads_into_cycle(unit: &Unit, by_code: &HashMap<&UnitCode, (usize, &Unit)>) -> bool {
    let mut seen: HashSet<&UnitCode> = HashSet::new();
    let mut current = unit;
    loop {
        if !seen.insert(&current.code) {
            return true;
        }
        match current.parent.as_ref().and_then(|p| by_code.get(p)) {
            Some((_, parent)) => current = parent,
            None => return false,
        }
    }
}

fn parse_row(row: &UnitRow) -> Result<Unit, UnitFieldError> {
    let parent = if row.parent_code.trim().is_empty() { None } else { Some(UnitCode::parse(&row.parent_code)?) };
    Ok(Unit {
        code: UnitCode::parse(&row.code)?,
        parent,
        name: UnitName::parse(&row.name)?,
        level: UnitLevel::parse(&row.level)?,
    })
}

/// A unit and its sub-units, as pages show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitNode {
    pub code: String,
    pub name: String,
    pub level: UnitLevel,
    // A tree: the schema refers to itself instead of collecting itself forever.
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub children: Vec<UnitNode>,
}

impl UnitNode {
    /// Builds the nested tree from flat units (any order). Children keep the
    /// order they came in, so callers sort the flat list first (by code).
    /// Units whose parent is missing from `units` become roots.
    pub fn forest(units: &[Unit]) -> Vec<UnitNode> {
        let codes: HashSet<&UnitCode> = units.iter().map(|u| &u.code).collect();
        let mut children: HashMap<&UnitCode, Vec<&Unit>> = HashMap::new();
        let mut roots = Vec::new();
        for unit in units {
            match &unit.parent {
                Some(parent) if codes.contains(parent) => children.entry(parent).or_default().push(unit),
                _ => roots.push(unit),
            }
        }
        fn build(unit: &Unit, children: &HashMap<&UnitCode, Vec<&Unit>>) -> UnitNode {
            UnitNode {
                code: unit.code.to_string(),
                name: unit.name.as_ref().to_owned(),
                level: unit.level,
                children: children
                    .get(&unit.code)
                    .map(|kids| kids.iter().map(|k| build(k, children)).collect())
                    .unwrap_or_default(),
            }
        }
        roots.into_iter().map(|r| build(r, &children)).collect()
    }

    /// How many units this subtree holds, itself included.
    pub fn size(&self) -> usize {
        1 + self.children.iter().map(UnitNode::size).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn row(line: usize, code: &str, parent: &str, name: &str, level: &str) -> UnitRow {
        UnitRow { line, code: code.into(), parent_code: parent.into(), name: name.into(), level: level.into() }
    }

    fn small_tree() -> Vec<UnitRow> {
        vec![
            row(2, "37", "", "山东省总工会", "province"),
            row(3, "370100", "37", "济南市总工会", "city"),
            row(4, "370102", "370100", "历下区总工会", "county"),
            row(5, "37010201", "370102", "历下区机械厂工会", "grassroots"),
        ]
    }

    #[test]
    fn a_well_formed_tree_is_accepted_with_parents_before_children() {
        let mut rows = small_tree();
        rows.reverse();
        let tree = UnitTree::from_rows(&rows).expect("valid tree");
        let codes: Vec<&str> = tree.units().iter().map(|u| u.code.as_ref()).collect();
        assert_eq!(codes, ["37", "370100", "370102", "37010201"]);
        assert_eq!(tree.root().name.as_ref(), "山东省总工会");
    }

    #[test]
    fn an_unknown_parent_is_reported_with_its_line() {
        let mut rows = small_tree();
        rows.push(row(6, "37010202", "999999", "某工会", "grassroots"));
        let errors = UnitTree::from_rows(&rows).unwrap_err();
        assert_eq!(errors, vec![UnitTreeError::UnknownParent { line: 6, parent: UnitCode::parse("999999").unwrap() }]);
        assert_eq!(errors[0].to_string(), "第 6 行：上级单位 999999 不存在");
    }

    #[test]
    fn a_duplicate_code_points_at_both_lines() {
        let mut rows = small_tree();
        rows.push(row(6, "370102", "370100", "重复区总工会", "county"));
        let errors = UnitTree::from_rows(&rows).unwrap_err();
        assert_eq!(errors[0].to_string(), "第 6 行：单位代码 370102 与第 4 行重复");
    }

    #[test]
    fn a_cycle_is_reported_instead_of_looping() {
        let rows = vec![
            row(2, "37", "", "山东省总工会", "province"),
            row(3, "A", "B", "甲", "grassroots"),
            row(4, "B", "A", "乙", "grassroots"),
        ];
        let errors = UnitTree::from_rows(&rows).unwrap_err();
        assert!(errors.iter().any(|e| matches!(e, UnitTreeError::Cycle { line: 3, .. })), "{errors:?}");
        assert!(errors.iter().any(|e| matches!(e, UnitTreeError::Cycle { line: 4, .. })), "{errors:?}");
    }

    #[test]
    fn children_of_a_unit_with_an_unknown_parent_are_not_called_a_cycle() {
        let rows = vec![
            row(2, "37", "", "山东省总工会", "province"),
            row(3, "3799", "9999", "孤儿市", "city"),
            row(4, "379901", "3799", "孤儿区", "county"),
        ];
        let errors = UnitTree::from_rows(&rows).unwrap_err();
        assert_eq!(errors, vec![UnitTreeError::UnknownParent { line: 3, parent: UnitCode::parse("9999").unwrap() }]);
    }

    #[test]
    fn a_unit_cannot_sit_at_or_above_its_parents_level() {
        let rows = vec![row(2, "37", "", "山东省总工会", "province"), row(3, "38", "37", "另一个省", "province")];
        let errors = UnitTree::from_rows(&rows).unwrap_err();
        assert_eq!(errors[0].to_string(), "第 3 行：省级单位不能隶属于省级单位 37");
    }

    #[test]
    fn two_roots_are_refused() {
        let rows = vec![row(2, "37", "", "山东省总工会", "province"), row(3, "38", "", "河北省总工会", "province")];
        let errors = UnitTree::from_rows(&rows).unwrap_err();
        assert_eq!(errors, vec![UnitTreeError::SecondRoot { line: 3, first_line: 2 }]);
    }

    #[test]
    fn bad_fields_are_all_reported_in_line_order() {
        let rows = vec![
            row(2, "37", "", "山东省总工会", "province"),
            row(3, "37-01", "37", "坏代码", "city"),
            row(4, "3702", "37", "", "city"),
            row(5, "3703", "37", "某市", "village"),
        ];
        let lines: Vec<String> = UnitTree::from_rows(&rows).unwrap_err().iter().map(|e| e.to_string()).collect();
        assert_eq!(
            lines,
            [
                "第 3 行：单位代码“37-01”格式不对：只能是 1–32 位字母或数字",
                "第 4 行：单位名称不能为空",
                "第 5 行：单位层级“village”无法识别：应为 province、city、county 或 grassroots（省、市、县、基层）",
            ]
        );
    }

    #[test]
    fn chinese_level_words_are_understood() {
        assert_eq!(UnitLevel::parse(" 基层 "), Ok(UnitLevel::Grassroots));
        assert_eq!(UnitLevel::parse("县（区）级"), Ok(UnitLevel::County));
        assert_eq!(UnitLevel::parse("City"), Ok(UnitLevel::City));
    }

    #[test]
    fn the_forest_nests_children_under_their_parents() {
        let tree = UnitTree::from_rows(&small_tree()).unwrap();
        let forest = UnitNode::forest(tree.units());
        assert_eq!(forest.len(), 1);
        assert_eq!(forest[0].size(), 4);
        assert_eq!(forest[0].children[0].children[0].children[0].name, "历下区机械厂工会");
    }

    proptest! {
        #[test]
        fn unit_code_parse_accepts_exactly_short_alphanumeric_strings(raw in "\\PC{0,40}") {
            let trimmed = raw.trim();
            let expected_ok = !trimmed.is_empty() && trimmed.len() <= 32 && trimmed.chars().all(|c| c.is_ascii_alphanumeric());
            let parsed = UnitCode::parse(&raw);
            prop_assert_eq!(parsed.is_ok(), expected_ok);
            if let Ok(code) = parsed {
                prop_assert_eq!(code.as_ref(), trimmed.to_ascii_uppercase());
                // Parsing what we print gives the same code back.
                prop_assert_eq!(UnitCode::parse(code.as_ref()).unwrap(), code.clone());
            }
        }

        #[test]
        fn unit_name_parse_never_keeps_surrounding_space(raw in "\\s{0,3}[\\p{Han}a-z]{1,70}\\s{0,3}") {
            match UnitName::parse(&raw) {
                Ok(name) => {
                    prop_assert_eq!(name.as_ref(), raw.trim());
                    prop_assert!(name.as_ref().chars().count() <= 60);
                }
                Err(e) => prop_assert_eq!(e, UnitFieldError::NameTooLong),
            }
        }
    }
}

/// Longest search we look at; longer input is cut, not refused.
pub const MAX_QUERY_CHARS: usize = 40;

/// A unit found by a search, with the names of its ancestors (root first) so
/// two 机械厂工会 in different districts can be told apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitMatch {
    pub code: String,
    pub name: String,
    pub level: UnitLevel,
    pub path: Vec<String>,
}

/// Units whose name contains `query` or whose code starts with it
/// (case-insensitive), in the order given, at most `limit`.
pub fn search_units(units: &[Unit], query: &str, limit: usize) -> Vec<UnitMatch> {
    let query = query.trim();
    if query.is_empty() {
        return Vec::new();
    }
    let code_query = query.to_ascii_uppercase();
    let by_code: HashMap<&UnitCode, &Unit> = units.iter().map(|u| (&u.code, u)).collect();
    units
        .iter()
        .filter(|u| u.name.as_ref().contains(query) || u.code.as_ref().starts_with(&code_query))
        .take(limit)
        .map(|unit| {
            let mut path = Vec::new();
            let mut seen = HashSet::new();
            let mut parent = unit.parent.as_ref();
            while let Some(code) = parent {
                // The guard stops at a cycle; stored trees have none, but a
                // page must never hang on bad data.
                match by_code.get(code) {
                    Some(p) if seen.insert(code) => {
                        path.push(p.name.as_ref().to_owned());
                        parent = p.parent.as_ref();
                    }
                    _ => break,
                }
            }
            path.reverse();
            UnitMatch { code: unit.code.to_string(), name: unit.name.as_ref().to_owned(), level: unit.level, path }
        })
        .collect()
}

#[cfg(test)]
mod search_tests {
    use super::*;

    fn units() -> Vec<Unit> {
        let rows: Vec<UnitRow> = [
            ("37", "", "山东省总工会", "province"),
            ("370100", "37", "济南市总工会", "city"),
            ("370102", "370100", "历下区总工会", "county"),
            ("37010201", "370102", "历下区机械厂工会", "grassroots"),
            ("370103", "370100", "市中区总工会", "county"),
            ("37010301", "370103", "市中区机械厂工会", "grassroots"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (c, p, n, l))| UnitRow {
            line: i + 2,
            code: (*c).into(),
            parent_code: (*p).into(),
            name: (*n).into(),
            level: (*l).into(),
        })
        .collect();
        UnitTree::from_rows(&rows).unwrap().units().to_vec()
    }

    #[test]
    fn a_name_search_finds_every_unit_with_its_ancestors() {
        let found = search_units(&units(), "机械厂", 10);
        let paths: Vec<(String, Vec<String>)> = found.into_iter().map(|m| (m.name, m.path)).collect();
        assert_eq!(
            paths,
            [
                (
                    "历下区机械厂工会".to_string(),
                    vec!["山东省总工会".to_string(), "济南市总工会".into(), "历下区总工会".into()]
                ),
                (
                    "市中区机械厂工会".to_string(),
                    vec!["山东省总工会".to_string(), "济南市总工会".into(), "市中区总工会".into()]
                ),
            ]
        );
    }

    #[test]
    fn a_code_prefix_finds_the_subtree_and_the_limit_holds() {
        let found = search_units(&units(), "370103", 10);
        assert_eq!(found.iter().map(|m| m.code.as_str()).collect::<Vec<_>>(), ["370103", "37010301"]);
        assert_eq!(search_units(&units(), "37", 3).len(), 3);
    }

    #[test]
    fn a_blank_search_finds_nothing() {
        assert!(search_units(&units(), "  ", 10).is_empty());
        assert!(search_units(&units(), "不存在的单位", 10).is_empty());
    }
}
