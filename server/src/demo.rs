//! The demo union for `make run`: the unit tree, and — when asked for with
//! `GONGHUI_DEMO_PEOPLE` — its roster, members (some certified) and a demo
//! super admin, so the statistics, 公示 and review pages have something to
//! show. Every person in it is synthetic (shared/fixtures).

use store::protect::DataKey;
use store::Store;

use crate::units_csv;

/// The demo union (山东省总工会 with 70 units below it), from
/// `demo/units.csv`, which has the shape of `shared/fixtures/units.csv`.
pub const DEMO_UNITS_CSV: &[u8] = include_bytes!("../../demo/units.csv");
/// 200 roster members of the demo union.
pub const DEMO_ROSTER_CSV: &[u8] = include_bytes!("../../demo/roster.csv");
/// Registered demo members: `phone,name,unit_code,certify_with_id_number,role`.
pub const DEMO_MEMBERS_CSV: &[u8] = include_bytes!("../../demo/members.csv");
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
    if let Some(key) = people {
        load_people(store, key).await?;
    }
    Ok(true)
}

async fn load_people(store: &Store, key: &DataKey) -> anyhow::Result<()> {
    let now = app::services::clock::now();
    let rows = units_csv::read_roster_file(DEMO_ROSTER_CSV)?;
    let (entries, problems) = domain::check_roster(&rows);
    anyhow::ensure!(problems.is_empty(), "demo roster: {problems:?}");
    store.import_roster(&entries, key, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    // One hash for everyone: they share the demo password.
    let password = domain::Password::parse(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?;
    let hash = app::services::accounts::hash_password(password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let members = units_csv::read_rows(DEMO_MEMBERS_CSV, ["phone", "name", "unit_code", "certify_with_id_number", "role"])?;
    let parse = |e: &dyn std::fmt::Display| anyhow::anyhow!("demo/members.csv: {e}");
    for (_, [phone, name, unit, id_number, role]) in members {
        let phone = domain::Phone::parse(&phone).map_err(|e| parse(&e))?;
        let name = domain::MemberName::parse(&name).map_err(|e| parse(&e))?;
        let unit = domain::UnitCode::parse(&unit).map_err(|e| parse(&e))?;
        let id = store.insert_member(&phone, &name, &unit, &hash, now).await.map_err(|e| parse(&e))?;
        if !id_number.is_empty() {
            let id_number = domain::IdNumber::parse(&id_number).map_err(|e| parse(&e))?;
            let entry = store.roster_entry_by_id_number(key, &id_number).await?.ok_or_else(|| parse(&"not on the roster"))?;
            store.certify_member(id, entry.entry_id, now).await.map_err(|e| parse(&e))?;
        }
        if role == "super_admin" {
            store.make_super_admin(&phone).await?;
        }
    }
    tracing::info!("loaded the demo roster and members");
    Ok(())
}
