//! `gonghui rotate-data-key`: personal data sealed again under a new key
//! while the portal keeps serving — before, during and after the rotation
//! members certify against the roster and the data stays readable.

use store::protect::DataKey;
use store::testing::TestDb;

use crate::support::{make_admin, Person, RunningServer, TEST_DATA_KEY};

on_both_engines_with_db!(the_data_key_is_replaced_without_stopping_and_every_sealed_value_moves_to_it);

const NEW_KEY: &str = "a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0";
const FIXTURE: &str = include_str!("../../../demo/roster.csv");

async fn certify(server: &RunningServer, phone: &str, name: &str, id: &str) -> (u16, String) {
    let member = Person::new(server);
    member.register(phone, name, "37010201").await;
    member.post("/certify", "/api/me/certify", &[("name", name), ("id_number", id)]).await
}

async fn certified(db: &TestDb, phone: &str) -> bool {
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap();
    let (certified,): (i64,) = sqlx::query_as(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM members WHERE phone = '{phone}' AND certified_at IS NOT NULL"
    ))
    .fetch_one(&mut conn)
    .await
    .unwrap();
    certified == 1
}

/// Every sealed ID number and phone of the roster.
async fn sealed_roster(db: &TestDb) -> Vec<String> {
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap();
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT id_sealed, phone_sealed FROM roster_entries").fetch_all(&mut conn).await.unwrap();
    rows.into_iter().flat_map(|(id, phone)| std::iter::once(id).chain(phone)).collect()
}

async fn the_data_key_is_replaced_without_stopping_and_every_sealed_value_moves_to_it(db: TestDb) {
    sqlx::any::install_default_drivers();
    let (old, new) = (DataKey::from_hex(TEST_DATA_KEY).unwrap(), DataKey::from_hex(NEW_KEY).unwrap());
    let before = RunningServer::start(db.url(), &[]);
    let admin = Person::new(&before);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let (_, preview) = admin.upload("/admin/roster", "/api/admin/roster/preview", FIXTURE.as_bytes().to_vec()).await;
    let at = preview.find(r#"name="token" value=""#).unwrap() + r#"name="token" value=""#.len();
    admin.post("/admin/roster", "/api/admin/roster/confirm", &[("token", &preview[at..at + 32])]).await;
    let sealed = sealed_roster(&db).await;
    assert!(sealed.len() > 100 && sealed.iter().all(|s| old.open(s).is_ok()));

    // Step 1 (rolling restart): the new key seals, the old one still reads.
    let during =
        RunningServer::start(db.url(), &[("GONGHUI_DATA_KEY", NEW_KEY), ("GONGHUI_PREVIOUS_DATA_KEY", TEST_DATA_KEY)]);
    let (status, html) = certify(&during, "13900000001", "夏国子", "370103196508295838").await;
    assert!(status == 303 || status == 200, "a roster entry sealed under the old key is found: {status} {html}");
    assert!(certified(&db, "13900000001").await);

    // Step 2: the rotation, while that server keeps running.
    let (succeeded, said, complained) = rotate(&db, Some(TEST_DATA_KEY));
    assert!(succeeded, "{said}{complained}");
    assert!(said.contains("密钥更换完成"), "{said}");
    let sealed = sealed_roster(&db).await;
    assert!(sealed.iter().all(|s| new.open(s).is_ok() && old.open(s).is_err()), "every value under the new key only");
    // Running it again finds nothing left to do.
    let (_, said, _) = rotate(&db, Some(TEST_DATA_KEY));
    assert!(said.contains("重新加密 0 行"), "{said}");
    // The server that ran through it still serves members.
    let (status, _) = certify(&during, "13900000002", "孔凤", "370902199412210298").await;
    assert!(status == 303 || status == 200);
    drop(during);

    // Step 3: the old key is dropped; the roster is found by the new index.
    let after = RunningServer::start(db.url(), &[("GONGHUI_DATA_KEY", NEW_KEY)]);
    let (status, html) = certify(&after, "13900000003", "刘敏", "37131219690303234X").await;
    assert!(status == 303 || status == 200, "{status} {html}");
    assert!(certified(&db, "13900000003").await);
    // And the rotation refuses to run without a previous key, changing nothing.
    let before = sealed_roster(&db).await;
    let (succeeded, _, complained) = rotate(&db, None);
    assert!(!succeeded);
    assert!(complained.contains("GONGHUI_PREVIOUS_DATA_KEY"), "{complained}");
    assert_eq!(sealed_roster(&db).await, before);
}

/// Runs `gonghui rotate-data-key` to the new key from `previous`: whether it
/// succeeded, what it printed, what it complained of.
fn rotate(db: &TestDb, previous: Option<&str>) -> (bool, String, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_gonghui"));
    command
        .arg("rotate-data-key")
        .env("DATABASE_URL", db.url())
        .env("GONGHUI_DATA_KEY", NEW_KEY)
        .env("RUST_LOG", "warn");
    if let Some(previous) = previous {
        command.env("GONGHUI_PREVIOUS_DATA_KEY", previous);
    }
    let output = command.output().unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.success(), text(&output.stdout), text(&output.stderr))
}
