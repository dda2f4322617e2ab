//! Public voting campaigns (评选投票) such as 齐鲁工匠: their phases, who may
//! vote, and the inputs a vote carries.

use serde::{Deserialize, Serialize};

/// Who may vote in a campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VoterRule {
    /// Any registered member.
    Registered,
    /// Certified members (实名认证) only.
    Certified,
    /// Certified members of the campaign's unit or below it.
    CertifiedInSubtree,
}

impl VoterRule {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "registered" => Some(Self::Registered),
            "certified" => Some(Self::Certified),
            "certified_in_subtree" => Some(Self::CertifiedInSubtree),
            _ => None,
        }
    }

    pub fn as_key(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::Certified => "certified",
            Self::CertifiedInSubtree => "certified_in_subtree",
        }
    }

    /// The rule as a member reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Registered => "注册会员均可投票",
            Self::Certified => "完成实名认证的会员可投票",
            Self::CertifiedInSubtree => "本单位及下级单位完成实名认证的会员可投票",
        }
    }
}

/// Where a campaign is in its life, from its dates (Unix seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Phase {
    /// Before candidate sign-up.
    NotStarted,
    /// 报名: candidates sign up.
    SignUp,
    /// 审核: sign-ups are reviewed.
    Review,
    /// 投票.
    Voting,
    /// 公示: results are published.
    Publicity,
    Closed,
}

/// A campaign's phase boundaries (each the start of the phase), in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Schedule {
    pub signup_starts: i64,
    pub review_starts: i64,
    pub voting_starts: i64,
    pub publicity_starts: i64,
    pub closes: i64,
}

impl Schedule {
    /// Checks that the phases follow each other.
    pub fn new(
        signup_starts: i64,
        review_starts: i64,
        voting_starts: i64,
        publicity_starts: i64,
        closes: i64,
    ) -> Option<Self> {
        let s = Self { signup_starts, review_starts, voting_starts, publicity_starts, closes };
        (signup_starts <= review_starts
            && review_starts <= voting_starts
            && voting_starts < publicity_starts
            && publicity_starts <= closes)
            .then_some(s)
    }

    pub fn phase_at(&self, now: i64) -> Phase {
        if now < self.signup_starts {
            Phase::NotStarted
        } else if now < self.review_starts {
            Phase::SignUp
        } else if now < self.voting_starts {
            Phase::Review
        } else if now < self.publicity_starts {
            Phase::Voting
        } else if now < self.closes {
            Phase::Publicity
        } else {
            Phase::Closed
        }
    }
}

impl Phase {
    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "未开始",
            Self::SignUp => "报名中",
            Self::Review => "审核中",
            Self::Voting => "投票中",
            Self::Publicity => "结果公示",
            Self::Closed => "已结束",
        }
    }
}

/// A client's idempotency key for one vote: 8–64 characters of letters,
/// digits, `-` and `_` (a UUID fits). The same key from the same member is
/// the same vote, counted once however often it arrives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        (8..=64)
            .contains(&raw.len())
            .then_some(())
            .filter(|()| raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .map(|()| Self(raw.to_owned()))
    }
}

impl AsRef<str> for IdempotencyKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phase_follows_the_schedule_and_each_boundary_starts_the_next_phase() {
        let s = Schedule::new(100, 200, 300, 400, 500).unwrap();
        assert_eq!(s.phase_at(99), Phase::NotStarted);
        assert_eq!(s.phase_at(100), Phase::SignUp);
        assert_eq!(s.phase_at(299), Phase::Review);
        assert_eq!(s.phase_at(300), Phase::Voting);
        assert_eq!(s.phase_at(399), Phase::Voting);
        assert_eq!(s.phase_at(400), Phase::Publicity);
        assert_eq!(s.phase_at(500), Phase::Closed);
        assert!(Schedule::new(100, 200, 300, 300, 500).is_none(), "voting needs time");
    }

    #[test]
    fn an_idempotency_key_is_a_short_token_and_nothing_else() {
        assert!(IdempotencyKey::parse("2f1c9a3e-5b7d-4c1e-9f00-1234567890ab").is_some());
        assert!(IdempotencyKey::parse("short").is_none());
        assert!(IdempotencyKey::parse("has spaces in it").is_none());
        assert!(IdempotencyKey::parse(&"a".repeat(65)).is_none());
    }
}

/// The final score of a candidate in tenths of a point (0–1000):
/// `w·expert + (1−w)·public`, where `public` is the candidate's votes
/// normalised to the top candidate's (100 for the top), `w` the expert
/// weight in percent and `expert` the panel's score (0–100). `None` while
/// the expert weight counts and the panel has not scored the candidate.
pub fn final_score_tenths(weight_pct: i64, expert: Option<i64>, votes: i64, top_votes: i64) -> Option<i64> {
    let public_tenths = if top_votes > 0 { votes * 1000 / top_votes } else { 0 };
    let expert_tenths = match (weight_pct, expert) {
        (0, _) => 0,
        (_, Some(score)) => score * 10,
        (_, None) => return None,
    };
    Some((weight_pct * expert_tenths + (100 - weight_pct) * public_tenths) / 100)
}

#[cfg(test)]
mod score_tests {
    use super::*;

    #[test]
    fn the_final_score_weighs_the_panel_against_votes_normalised_to_the_top_candidate() {
        // w = 40%: the top candidate by votes with a panel score of 50 gets 0.4·50 + 0.6·100 = 80.
        assert_eq!(final_score_tenths(40, Some(50), 2000, 2000), Some(800));
        // Half the top votes and a perfect panel score: 0.4·100 + 0.6·50 = 70.
        assert_eq!(final_score_tenths(40, Some(100), 1000, 2000), Some(700));
        // Votes only.
        assert_eq!(final_score_tenths(0, None, 1, 3), Some(333));
        assert_eq!(final_score_tenths(40, None, 1000, 2000), None);
        assert_eq!(final_score_tenths(100, Some(90), 0, 0), Some(900));
    }
}

/// A date as a date input sends it (`2026-12-01`), as the Unix time of
/// that day's midnight in Shanghai. `None` for anything else or an
/// impossible date.
pub fn shanghai_midnight(raw: &str) -> Option<i64> {
    let date = crate::CivilDate::parse_iso(raw)?;
    (2000..=2100).contains(&date.year()).then(|| date.midnight_in_shanghai())
}

#[cfg(test)]
mod date_tests {
    use super::*;

    #[test]
    fn a_date_is_midnight_in_shanghai_and_impossible_dates_are_refused() {
        assert_eq!(shanghai_midnight("2026-11-22"), Some(1_795_276_800));
        assert_eq!(shanghai_midnight("2028-02-29").map(|t| t - shanghai_midnight("2028-02-28").unwrap()), Some(86_400));
        assert_eq!(shanghai_midnight("2026-02-29"), None);
        assert_eq!(shanghai_midnight("2026-13-01"), None);
        assert_eq!(shanghai_midnight("明天"), None);
    }
}
