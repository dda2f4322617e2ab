//! The demo union for `make run`: the unit tree, and — when asked for with
//! `GONGHUI_DEMO_PEOPLE` — its roster, members (some certified) and a demo
//! super admin, so the statistics, 公示 and review pages have something to
//! show. Every person in it is synthetic (shared/fixtures).

use store::protect::DataKey;
use store::Store;

use app::spreadsheet as units_csv;

/// The demo union (山东省总工会 with 70 units below it), from
/// `demo/units.csv`, which has the shape of `shared/fixtures/units.csv`.
pub const DEMO_UNITS_CSV: &[u8] = include_bytes!("../../demo/units.csv");
/// 200 roster members of the demo union.
pub const DEMO_ROSTER_CSV: &[u8] = include_bytes!("../../demo/roster.csv");
/// Registered demo members: `phone,name,unit_code,certify_with_id_number,role`.
pub const DEMO_MEMBERS_CSV: &[u8] = include_bytes!("../../demo/members.csv");
/// The demo campaign's 30 candidates: `number,name,unit_code,title,story`.
pub const DEMO_CAMPAIGN_CSV: &[u8] = include_bytes!("../../demo/campaign.csv");
/// The demo campaign's address: `/v/qilu-gongjiang-2026`.
pub const DEMO_CAMPAIGN_SLUG: &str = "qilu-gongjiang-2026";
/// Every demo member's password (development data only; README says so).
pub const DEMO_PASSWORD: &str = "gonghui-demo-2026";

/// Loads the demo union into a database that has no units yet; leaves any
/// other database alone. Returns whether it loaded.
pub async fn load_if_empty(store: &Store, people: Option<&DataKey>) -> anyhow::Result<bool> {
    if store.unit_count().await? > 0 {
        return Ok(false);
    }
    let tree = units_csv::read_units_file(DEMO_UNITS_CSV)?;
    let summary = store.import_units(&tree).await?;
    tracing::info!(units = summary.inserted, "loaded the demo union");
    load_campaign(store).await?;
    if let Some(key) = people {
        load_people(store, key).await?;
    }
    Ok(true)
}

async fn load_people(store: &Store, key: &DataKey) -> anyhow::Result<()> {
    let now = app::clock::now();
    let rows = units_csv::read_roster_file(DEMO_ROSTER_CSV)?;
    let (entries, problems) = domain::check_roster(&rows, app::clock::today_in_shanghai());
    anyhow::ensure!(problems.is_empty(), "demo roster: {problems:?}");
    store.import_roster(&entries, key, &store::Reach::Everything, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    // One hash for everyone: they share the demo password.
    let password = domain::Password::parse(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?;
    let hash = app::accounts::service::hash_password(password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let members =
        units_csv::read_rows(DEMO_MEMBERS_CSV, ["phone", "name", "unit_code", "certify_with_id_number", "role"])?;
    let parse = |e: &dyn std::fmt::Display| anyhow::anyhow!("demo/members.csv: {e}");
    for (_, [phone, name, unit, id_number, role]) in members {
        let phone = domain::Phone::parse(&phone).map_err(|e| parse(&e))?;
        let name = domain::MemberName::parse(&name).map_err(|e| parse(&e))?;
        let unit = domain::UnitCode::parse(&unit).map_err(|e| parse(&e))?;
        let id = store.insert_member(&phone, &name, &unit, &hash, now).await.map_err(|e| parse(&e))?;
        if !id_number.is_empty() {
            let id_number =
                domain::IdNumber::parse(&id_number, app::clock::today_in_shanghai()).map_err(|e| parse(&e))?;
            let entry =
                store.roster_entry_by_id_number(key, &id_number).await?.ok_or_else(|| parse(&"not on the roster"))?;
            store.certify_member(id, entry.entry_id, now).await.map_err(|e| parse(&e))?;
        }
        if role == "super_admin" {
            store.make_super_admin(&phone).await?;
        }
    }
    tracing::info!("loaded the demo roster and members");
    Ok(())
}

/// A 齐鲁工匠-style campaign of the province union, in its voting phase for
/// the next 30 days from the first start: any registered member may vote,
/// 10 votes a day, at most 2 a day for one candidate.
async fn load_campaign(store: &Store) -> anyhow::Result<()> {
    use domain::campaign::{Schedule, VoterRule};
    const DAY: i64 = 86_400;
    let now = app::clock::now();
    let schedule = Schedule::new(now - 20 * DAY, now - 10 * DAY, now - DAY, now + 30 * DAY, now + 40 * DAY)
        .ok_or_else(|| anyhow::anyhow!("demo schedule"))?;
    let id = store
        .insert_campaign(
            &store::NewCampaign {
                slug: DEMO_CAMPAIGN_SLUG,
                unit_code: "37",
                title: "2026年“齐鲁工匠”评选网络投票",
                description: "“齐鲁工匠”评选旨在表彰扎根一线、技艺精湛、勇于创新的优秀职工。网络投票结果将与专家评审结果共同作为评选依据。",
                schedule,
                voter_rule: VoterRule::Registered,
                votes_per_day: 10,
                votes_per_candidate: 2,
                expert_weight_pct: 30,
                created_by: None,
            },
            now,
        )
        .await?;
    let rows = units_csv::read_rows(DEMO_CAMPAIGN_CSV, ["number", "name", "unit_code", "title", "story"])?;
    let stories: Vec<String> =
        rows.iter().map(|(_, r)| app::voting::service::sanitize_story(&format!("<p>{}</p>", r[4]))).collect();
    let mut candidates = Vec::with_capacity(rows.len());
    for ((_, [number, name, unit, title, _]), story) in rows.iter().zip(&stories) {
        candidates.push(store::NewCandidate {
            number: number.parse().map_err(|_| anyhow::anyhow!("demo candidate number {number}"))?,
            name,
            unit_code: unit,
            title,
            story_html: story,
        });
    }
    store.insert_candidates(id, &candidates, now).await?;
    Ok(())
}
