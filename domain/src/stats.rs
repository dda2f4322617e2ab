//! 注册认证统计: how many roster members each unit has, how many registered
//! and how many certified — each unit counted with its whole subtree, since a
//! district union answers for every grassroots union below it.
//!
//! The database counts per unit (one `GROUP BY`); the totals over subtrees
//! are summed here, in one pass over the tree, on both engines alike.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// Counts for one unit: its own members only, or with its subtree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    /// People on the roster (会员名册).
    pub roster: i64,
    /// Registered accounts.
    pub registered: i64,
    /// Certified accounts (实名认证), each linked to one roster entry.
    pub certified: i64,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.roster += other.roster;
        self.registered += other.registered;
        self.certified += other.certified;
    }

    /// Certified members per roster member, in per mille (‰) so it stays an
    /// integer: `None` for a unit with no roster yet.
    pub fn certified_per_mille(&self) -> Option<i64> {
        (self.roster > 0).then(|| self.certified * 1000 / self.roster)
    }

    /// The rate as officials read it: `85.3%`, or `—` without a roster.
    pub fn rate_text(&self) -> String {
        match self.certified_per_mille() {
            Some(p) => format!("{}.{}%", p / 10, p % 10),
            None => "—".to_owned(),
        }
    }
}

/// A unit with its subtree's counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitStats {
    pub code: String,
    pub name: String,
    pub level: String,
    pub counts: Counts,
}

/// Sums per-unit counts up the tree. `units` are `(code, parent code)`;
/// `own` the counts of each unit's own members. Returns every unit's
/// subtree totals by code.
pub fn subtree_totals(units: &[(String, Option<String>)], own: &HashMap<String, Counts>) -> HashMap<String, Counts> {
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut roots = Vec::new();
    for (code, parent) in units {
        match parent {
            Some(p) => children.entry(p.as_str()).or_default().push(code.as_str()),
            None => roots.push(code.as_str()),
        }
    }
    // Depth-first order, then sum children into parents walking it backwards
    // (no recursion: a deep tree cannot overflow the stack).
    let mut order = Vec::with_capacity(units.len());
    let mut stack = roots;
    while let Some(code) = stack.pop() {
        order.push(code);
        stack.extend(children.get(code).into_iter().flatten().copied());
    }
    let mut totals: HashMap<String, Counts> = HashMap::with_capacity(units.len());
    for code in order.iter().rev() {
        let mut sum = own.get(*code).copied().unwrap_or_default();
        for child in children.get(code).into_iter().flatten() {
            sum.add(totals[*child]);
        }
        totals.insert((*code).to_owned(), sum);
    }
    totals
}

/// The columns a stats table sorts by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SortKey {
    Name,
    Roster,
    Registered,
    Certified,
    #[default]
    Rate,
}

impl SortKey {
    pub fn parse(raw: &str) -> Self {
        match raw {
            "name" => Self::Name,
            "roster" => Self::Roster,
            "registered" => Self::Registered,
            "certified" => Self::Certified,
            _ => Self::Rate,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Roster => "roster",
            Self::Registered => "registered",
            Self::Certified => "certified",
            Self::Rate => "rate",
        }
    }
}

/// Sorts `rows` by `key`, descending unless `ascending`; ties by code, and
/// units without a roster always last when sorting by rate.
pub fn sort_stats(rows: &mut [UnitStats], key: SortKey, ascending: bool) {
    rows.sort_by(|a, b| {
        let order = match key {
            SortKey::Name => a.code.cmp(&b.code),
            SortKey::Roster => a.counts.roster.cmp(&b.counts.roster),
            SortKey::Registered => a.counts.registered.cmp(&b.counts.registered),
            SortKey::Certified => a.counts.certified.cmp(&b.counts.certified),
            SortKey::Rate => {
                let (ra, rb) = (a.counts.certified_per_mille(), b.counts.certified_per_mille());
                match (ra, rb) {
                    (None, None) => std::cmp::Ordering::Equal,
                    (None, Some(_)) => return std::cmp::Ordering::Greater,
                    (Some(_), None) => return std::cmp::Ordering::Less,
                    (Some(x), Some(y)) => x.cmp(&y),
                }
            }
        };
        let order = if ascending { order } else { order.reverse() };
        order.then_with(|| a.code.cmp(&b.code))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> Vec<(String, Option<String>)> {
        [("37", None), ("3701", Some("37")), ("370101", Some("3701")), ("370102", Some("3701")), ("3702", Some("37"))]
            .into_iter()
            .map(|(c, p)| (c.to_owned(), p.map(str::to_owned)))
            .collect()
    }

    fn counts(roster: i64, registered: i64, certified: i64) -> Counts {
        Counts { roster, registered, certified }
    }

    #[test]
    fn a_unit_counts_its_own_members_and_everyone_below_it() {
        let own: HashMap<String, Counts> = [
            ("3701".to_owned(), counts(1, 1, 0)),
            ("370101".to_owned(), counts(10, 6, 4)),
            ("370102".to_owned(), counts(5, 5, 5)),
            ("3702".to_owned(), counts(3, 0, 0)),
        ]
        .into();
        let totals = subtree_totals(&tree(), &own);
        assert_eq!(totals["370101"], counts(10, 6, 4));
        assert_eq!(totals["3701"], counts(16, 12, 9));
        assert_eq!(totals["37"], counts(19, 12, 9));
        assert_eq!(totals["3702"], counts(3, 0, 0));
    }

    #[test]
    fn the_rate_reads_to_a_tenth_of_a_percent_and_is_a_dash_without_a_roster() {
        assert_eq!(counts(3, 3, 2).rate_text(), "66.6%");
        assert_eq!(counts(8, 8, 8).rate_text(), "100.0%");
        assert_eq!(counts(0, 4, 0).rate_text(), "—");
    }

    #[test]
    fn sorting_by_rate_puts_units_without_a_roster_last_either_way() {
        let row = |code: &str, c: Counts| UnitStats {
            code: code.into(),
            name: code.into(),
            level: "county".into(),
            counts: c,
        };
        let mut rows = vec![row("a", counts(0, 1, 0)), row("b", counts(10, 5, 5)), row("c", counts(10, 9, 9))];
        sort_stats(&mut rows, SortKey::Rate, false);
        assert_eq!(rows.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["c", "b", "a"]);
        sort_stats(&mut rows, SortKey::Rate, true);
        assert_eq!(rows.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["b", "c", "a"]);
        sort_stats(&mut rows, SortKey::Registered, true);
        assert_eq!(rows.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
    }
}
