//! The union's member roster (会员名册) as officials export it:
//! `unit_code,member_no,name,gender,birth_date,id_number,phone`, one member a
//! row. Each row is checked on its own (fields, and that gender and birth
//! date agree with the ID number) and against the rest of the file
//! (duplicate ID numbers or phones). Unit existence and the official's reach
//! need the database and are checked by the importer.

use std::collections::HashMap;

use crate::{CivilDate, Gender, IdNumber, MemberName, Phone, UnitCode};

/// One unparsed row, with the file line it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RosterRow {
    pub line: usize,
    pub unit_code: String,
    pub member_no: String,
    pub name: String,
    pub gender: String,
    pub birth_date: String,
    pub id_number: String,
    pub phone: String,
}

/// A checked roster entry. `Debug` shows the ID number masked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterEntry {
    pub line: usize,
    pub unit: UnitCode,
    pub member_no: String,
    pub name: MemberName,
    pub gender: Gender,
    /// (year, month, day), as the ID number says.
    pub birth_date: (u32, u32, u32),
    pub id_number: IdNumber,
    /// Rosters often lack phones; certification then relies on name + ID.
    pub phone: Option<Phone>,
}

/// One problem with one row, shown in the import preview.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("第 {line} 行：{problem}")]
pub struct RosterRowError {
    pub line: usize,
    pub problem: String,
}

/// Longest member number (会员编号) we accept.
const MAX_MEMBER_NO: usize = 32;

impl RosterEntry {
    /// Checks one row; every problem in it is reported.
    pub fn parse(row: &RosterRow, today: CivilDate) -> Result<Self, Vec<RosterRowError>> {
        let mut problems: Vec<String> = Vec::new();
        let mut note = |p: String| problems.push(p);
        let unit = UnitCode::parse(&row.unit_code).map_err(|e| note(format!("单位代码：{e}"))).ok();
        let member_no = row.member_no.trim().to_owned();
        if member_no.is_empty() || member_no.chars().count() > MAX_MEMBER_NO || member_no.chars().any(char::is_control)
        {
            note("会员编号应为 1–32 个字符".to_owned());
        }
        let name = MemberName::parse(&row.name).map_err(|e| note(format!("姓名：{e}"))).ok();
        let gender = match row.gender.trim() {
            "男" | "M" | "m" | "male" => Some(Gender::Male),
            "女" | "F" | "f" | "female" => Some(Gender::Female),
            other => {
                note(format!("性别“{other}”无法识别，应为 男 或 女"));
                None
            }
        };
        let id_number = IdNumber::parse(&row.id_number, today).map_err(|e| note(e.to_string())).ok();
        let phone = if row.phone.trim().is_empty() {
            None
        } else {
            Phone::parse(&row.phone).map_err(|e| note(format!("手机号：{e}"))).ok()
        };
        if let (Some(id), Some(gender)) = (&id_number, gender) {
            if id.gender() != gender {
                note("性别与身份证号不符".to_owned());
            }
        }
        if let Some(id) = &id_number {
            let stated = row.birth_date.trim();
            if !stated.is_empty() && parse_date(stated) != Some(id.birth_date()) {
                note("出生日期与身份证号不符".to_owned());
            }
        }
        match (unit, name, gender, id_number, problems.is_empty()) {
            (Some(unit), Some(name), Some(gender), Some(id_number), true) => {
                let birth_date = id_number.birth_date();
                Ok(Self { line: row.line, unit, member_no, name, gender, birth_date, id_number, phone })
            }
            _ => Err(problems.into_iter().map(|problem| RosterRowError { line: row.line, problem }).collect()),
        }
    }
}

/// `1965-08-29`, `1965/8/29` or `19650829`.
fn parse_date(raw: &str) -> Option<(u32, u32, u32)> {
    let parts: Vec<&str> = raw.split(['-', '/', '.']).collect();
    match parts.as_slice() {
        [y, m, d] => Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)),
        [compact] if compact.len() == 8 => {
            Some((compact[..4].parse().ok()?, compact[4..6].parse().ok()?, compact[6..].parse().ok()?))
        }
        _ => None,
    }
}

/// Checks every row and the file as a whole: the good entries, and every
/// problem (row problems and duplicates), in line order.
pub fn check_roster(rows: &[RosterRow], today: CivilDate) -> (Vec<RosterEntry>, Vec<RosterRowError>) {
    let mut entries = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    let mut id_lines: HashMap<String, usize> = HashMap::new();
    let mut phone_lines: HashMap<String, usize> = HashMap::new();
    for row in rows {
        match RosterEntry::parse(row, today) {
            Ok(entry) => {
                let mut duplicate = false;
                // Every later copy points at the first line, which stays.
                let first_id = *id_lines.entry(entry.id_number.expose().to_owned()).or_insert(entry.line);
                if first_id != entry.line {
                    errors
                        .push(RosterRowError {
                            line: entry.line, problem: format!("身份证号与第 {first_id} 行重复")
                        });
                    duplicate = true;
                }
                if let Some(phone) = &entry.phone {
                    let first_phone = *phone_lines.entry(phone.as_ref().to_owned()).or_insert(entry.line);
                    if first_phone != entry.line {
                        errors.push(RosterRowError {
                            line: entry.line,
                            problem: format!("手机号与第 {first_phone} 行重复"),
                        });
                        duplicate = true;
                    }
                }
                if !duplicate {
                    entries.push(entry);
                }
            }
            Err(problems) => errors.extend(problems),
        }
    }
    errors.sort_by_key(|e| e.line);
    (entries, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> CivilDate {
        CivilDate::new(2026, 12, 1).unwrap()
    }

    #[test]
    fn a_row_whose_birth_date_is_after_today_is_refused() {
        let rows = [row(2, "371302202612310106", "女", "", "")];
        let (entries, errors) = check_roster(&rows, today());
        assert!(entries.is_empty());
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().contains("出生日期 2026年12月31日 晚于今天"), "{}", errors[0]);
    }

    fn row(line: usize, id: &str, gender: &str, birth: &str, phone: &str) -> RosterRow {
        RosterRow {
            line,
            unit_code: "37010304".into(),
            member_no: format!("GH{line:08}"),
            name: "夏国子".into(),
            gender: gender.into(),
            birth_date: birth.into(),
            id_number: id.into(),
            phone: phone.into(),
        }
    }

    #[test]
    fn every_row_of_the_fixture_roster_is_a_good_entry() {
        let rows: Vec<RosterRow> = include_str!("../../demo/roster.csv")
            .lines()
            .enumerate()
            .skip(1)
            .map(|(i, line)| {
                let f: Vec<&str> = line.split(',').collect();
                RosterRow {
                    line: i + 1,
                    unit_code: f[0].into(),
                    member_no: f[1].into(),
                    name: f[2].into(),
                    gender: f[3].into(),
                    birth_date: f[4].into(),
                    id_number: f[5].into(),
                    phone: f[6].into(),
                }
            })
            .collect();
        let (entries, errors) = check_roster(&rows, today());
        assert_eq!(errors, vec![]);
        assert_eq!(entries.len(), 200);
    }

    #[test]
    fn gender_and_birth_date_must_agree_with_the_id_number() {
        let errors = RosterEntry::parse(&row(2, "370103196508295838", "女", "1965-08-30", ""), today()).unwrap_err();
        let problems: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(problems, ["第 2 行：性别与身份证号不符", "第 2 行：出生日期与身份证号不符"]);
        assert!(RosterEntry::parse(&row(2, "370103196508295838", "男", "1965/8/29", ""), today()).is_ok());
    }

    #[test]
    fn a_bad_check_digit_and_a_bad_phone_are_both_reported() {
        let errors = RosterEntry::parse(&row(5, "370103196508295839", "男", "", "12345"), today()).unwrap_err();
        let problems: Vec<String> = errors.iter().map(|e| e.problem.clone()).collect();
        assert_eq!(problems, ["身份证号校验位不正确，请逐位核对", "手机号：手机号应为 11 位数字，以 1 开头"]);
    }

    #[test]
    fn duplicate_id_numbers_and_phones_point_at_the_first_line() {
        let rows = vec![
            row(2, "370103196508295838", "男", "", "15100780963"),
            row(3, "370103196508295838", "男", "", ""),
            row(4, "370902199412210298", "男", "", "15100780963"),
            row(5, "370103196508295838", "男", "", ""),
        ];
        let (entries, errors) = check_roster(&rows, today());
        assert_eq!(entries.len(), 1);
        let problems: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            ["第 3 行：身份证号与第 2 行重复", "第 4 行：手机号与第 2 行重复", "第 5 行：身份证号与第 2 行重复"]
        );
    }
}
