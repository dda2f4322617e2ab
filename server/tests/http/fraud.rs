//! 防刷票 on the demo campaign: a scripted night-time burst from one address
//! is flagged three ways; an official voids it with a public reason and can
//! undo it; the vote rows themselves never change. SQLite and PostgreSQL.

use crate::support::{make_admin, Person, RunningServer};
use store::testing::TestDb;

const CAMPAIGN: &str = server::demo::DEMO_CAMPAIGN_SLUG;
const BOT_ADDRESS: &str = "10.0.0.7";
const BOTS: i64 = 24;

async fn connect(db: &TestDb) -> sqlx::AnyConnection {
    sqlx::any::install_default_drivers();
    <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap()
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&mut connect(db).await).await.unwrap();
    n
}

/// 24 scripted accounts vote for candidate 3 from one address within one
/// minute at 02:00 Shanghai time (the most recent such minute), and five
/// ordinary members vote for candidate 3 in five daytime minutes.
async fn scripted_votes(db: &TestDb) {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let shanghai_midnight = (now + 8 * 3600).div_euclid(86_400) * 86_400 - 8 * 3600;
    let mut night = shanghai_midnight + 2 * 3600;
    if night > now - 120 {
        night -= 86_400;
    }
    let mut conn = connect(db).await;
    let (campaign,): (i64,) =
        sqlx::query_as("SELECT id FROM campaigns WHERE slug = $1").bind(CAMPAIGN).fetch_one(&mut conn).await.unwrap();
    let (candidate,): (i64,) = sqlx::query_as("SELECT id FROM candidates WHERE campaign_id = $1 AND number = 3")
        .bind(campaign)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    for i in 0..BOTS + 5 {
        let (member,): (i64,) = sqlx::query_as(
            "INSERT INTO members (phone, name, password_hash, unit_id, created_at) \
             SELECT $1, '脚本', 'x', id, $2 FROM units WHERE code = '37010201' RETURNING id",
        )
        .bind(format!("1770000{i:04}"))
        .bind(night - 86_400)
        .fetch_one(&mut conn)
        .await
        .unwrap();
        let (at, ip) = if i < BOTS {
            (night + i % 50, BOT_ADDRESS.to_owned())
        } else {
            // Hours before now, moved out of the night if they fall in it.
            let at = now - 3600 * (i - BOTS + 1) - 7;
            let at = if (at + 8 * 3600).rem_euclid(86_400) < 6 * 3600 { at - 8 * 3600 } else { at };
            (at, format!("10.1.0.{i}"))
        };
        sqlx::query(
            "INSERT INTO votes (campaign_id, candidate_id, member_id, day, day_slot, candidate_slot, idempotency_key, ip, created_at) \
             VALUES ($1, $2, $3, $4, 1, 1, $5, $6, $7)",
        )
        .bind(campaign)
        .bind(candidate)
        .bind(member)
        .bind((at + 8 * 3600).div_euclid(86_400))
        .bind(format!("scripted-{i:04}"))
        .bind(ip)
        .bind(at)
        .execute(&mut conn)
        .await
        .unwrap();
    }
}

async fn votes_of_candidate_3(person: &Person) -> i64 {
    let board: serde_json::Value = person
        .http
        .get(format!("{}/api/campaign?slug={CAMPAIGN}&q=3", person.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    board["standings"][0]["votes"].as_i64().unwrap()
}

on_both_engines_with_db!(@more a_scripted_burst_is_flagged_voided_with_a_public_reason_and_the_void_can_be_undone);

async fn a_scripted_burst_is_flagged_voided_with_a_public_reason_and_the_void_can_be_undone(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    scripted_votes(&db).await;
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let district = Person::new(&server);
    district.register("13800000002", "李区长", "37010202").await;
    admin.post("/admin", "/api/admin/officials", &[("phone", "13800000002"), ("unit", "370102")]).await;
    let fraud_page = format!("/admin/campaigns/{CAMPAIGN}/fraud");

    // The province's campaign is beyond a district official's reach.
    assert_eq!(district.get(&fraud_page).await.0, 403);
    assert_eq!(Person::new(&server).get(&fraud_page).await.0, 401);

    let (status, html) = admin.get(&fraud_page).await;
    assert_eq!(status, 200);
    let html = html.replace("<!>", "");
    assert!(html.contains(&format!("一分钟内 {BOTS} 票（平时每分钟约 1 票）")), "burst: {html}");
    assert!(html.contains(&format!("{BOT_ADDRESS}：{BOTS} 个账号投了 {BOTS} 票")), "address");
    assert!(html.contains(&format!("{} 票中 {BOTS} 票投于 0–6 点", BOTS + 5)), "night");

    // A void needs a public reason; without one nothing changes.
    let candidate_3: (i64,) = sqlx::query_as(
        "SELECT c.id FROM candidates c JOIN campaigns p ON p.id = c.campaign_id WHERE p.slug = $1 AND c.number = 3",
    )
    .bind(CAMPAIGN)
    .fetch_one(&mut connect(&db).await)
    .await
    .unwrap();
    let id = candidate_3.0.to_string();
    let (status, html) = admin
        .post(
            &fraud_page,
            "/api/admin/campaigns/void",
            &[("slug", CAMPAIGN), ("how", "candidate"), ("value", &id), ("reason", "")],
        )
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("请填写作废原因"));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM vote_voids").await, 0);
    assert_eq!(votes_of_candidate_3(&admin).await, BOTS + 5);

    let reason = "经核查，凌晨同一网络地址集中刷票";
    let (status, html) = admin
        .post(
            &fraud_page,
            "/api/admin/campaigns/void",
            &[("slug", CAMPAIGN), ("how", "candidate"), ("value", &id), ("reason", reason)],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(&format!("已作废 {} 票", BOTS + 5)), "{html}");
    // The leaderboard this process serves reflects it at once; the public page says why.
    assert_eq!(votes_of_candidate_3(&admin).await, 0);
    let (_, public) = Person::new(&server).get(&format!("/v/{CAMPAIGN}")).await;
    assert!(public.contains("作废选票公示") && public.contains(reason), "{public}");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM audit_log WHERE action = '作废选票'").await, 1);

    // Undone: the votes count again; a second undo finds nothing to undo.
    let (void_id,): (i64,) =
        sqlx::query_as("SELECT id FROM vote_voids").fetch_one(&mut connect(&db).await).await.unwrap();
    let void_id = void_id.to_string();
    let (status, html) =
        admin.post(&fraud_page, "/api/admin/campaigns/undo-void", &[("slug", CAMPAIGN), ("id", &void_id)]).await;
    assert_eq!(status, 200);
    assert!(html.contains("已撤销作废"));
    assert_eq!(votes_of_candidate_3(&admin).await, BOTS + 5);
    assert_eq!(
        admin.post(&fraud_page, "/api/admin/campaigns/undo-void", &[("slug", CAMPAIGN), ("id", &void_id)]).await.0,
        404
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM audit_log WHERE action = '撤销作废'").await, 1);

    // Voiding just the burst minute leaves the daytime votes.
    let start = html.find(r#"name="value" value=""#).expect("a void form") + r#"name="value" value=""#.len();
    let minute: String = html[start..].chars().take_while(|c| *c != '"').collect();
    assert!(minute.contains('-'), "a range: {minute}");
    let (status, html) = admin
        .post(
            &fraud_page,
            "/api/admin/campaigns/void",
            &[("slug", CAMPAIGN), ("how", "range"), ("value", &minute), ("reason", reason)],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("已作废 {BOTS} 票")), "{html}");
    assert_eq!(votes_of_candidate_3(&admin).await, 5);
    // The vote rows themselves are as they were.
    assert_eq!(count(&db, "SELECT COUNT(*) FROM votes").await, BOTS + 5);
}
