//! 评选投票 on the demo campaign (30 candidates, any registered member, 10
//! votes a day, 2 a day per candidate): the rules and every bad input, on
//! SQLite and PostgreSQL; and a burst of one member's votes through two
//! server processes sharing PostgreSQL.

use crate::support::{Person, RunningServer, PASSWORD};
use domain::campaign::{Schedule, VoterRule};
use store::testing::TestDb;

const CAMPAIGN: &str = server::demo::DEMO_CAMPAIGN_SLUG;

impl Person {
    /// `POST /api/vote`: the status and the JSON answer.
    async fn vote_api(&self, campaign: &str, number: &str, key: &str) -> (u16, serde_json::Value) {
        let response = self
            .http
            .post(format!("{}/api/vote", self.base))
            .header("Origin", self.base.clone())
            .form(&[("campaign", campaign), ("number", number), ("key", key)])
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap_or_default())
    }
}

async fn stored_votes(db: &TestDb, member_phone: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap();
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM votes v JOIN members m ON m.id = v.member_id WHERE m.phone = $1")
            .bind(member_phone)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    n
}

fn message(body: &serde_json::Value) -> &str {
    body["Rejected"]["message"].as_str().unwrap_or_default()
}

on_both_engines_with_db!(
    @more a_member_votes_within_the_daily_limits_and_every_bad_vote_is_refused_and_not_counted,
    the_voting_window_and_the_voter_rule_are_enforced,
    a_replay_gets_the_stored_answer_even_when_the_members_vote_rate_is_spent,
);

async fn a_replay_gets_the_stored_answer_even_when_the_members_vote_rate_is_spent(db: TestDb) {
    // Three vote requests a minute per account.
    let server = RunningServer::start(db.url(), &[("GONGHUI_VOTES_PER_MINUTE_PER_ACCOUNT", "3")]);
    let member = Person::new(&server);
    member.register("13900000001", "投票人", "37010201").await;
    let mut answers = Vec::new();
    for (number, key) in [("7", "rate-key-000001"), ("8", "rate-key-000002"), ("9", "rate-key-000003")] {
        let (status, body) = member.vote_api(CAMPAIGN, number, key).await;
        assert_eq!(status, 200, "{body}");
        answers.push(body);
    }
    // The rate is spent: a new vote is refused…
    let (status, body) = member.vote_api(CAMPAIGN, "10", "rate-key-000004").await;
    assert_eq!((status, message(&body)), (429, "投票太频繁，请稍后再试"));
    // …but a phone resending a vote whose answer it lost gets that answer,
    // through the API and through the plain form, and nothing more is counted.
    let (status, again) = member.vote_api(CAMPAIGN, "8", "rate-key-000002").await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(
        (again["remaining_today"].clone(), again["replayed"].clone()),
        (answers[1]["remaining_today"].clone(), true.into())
    );
    let (status, _) = member
        .post(
            &format!("/v/{CAMPAIGN}/9"),
            "/api/vote",
            &[("campaign", CAMPAIGN), ("number", "9"), ("key", "rate-key-000003")],
        )
        .await;
    assert_eq!(status, 303, "the form's replay lands back on the page as a success");
    // A key stored for another candidate is no way round the limit.
    let (status, _) = member.vote_api(CAMPAIGN, "11", "rate-key-000001").await;
    assert_eq!(status, 429);
    assert_eq!(stored_votes(&db, "13900000001").await, 3);
}

async fn a_member_votes_within_the_daily_limits_and_every_bad_vote_is_refused_and_not_counted(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let visitor = Person::new(&server);
    // Signed out: the page is complete, and voting asks to sign in first.
    let (status, page) = visitor.get(&format!("/v/{CAMPAIGN}/7")).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"property="og:title""#) && page.contains("登录后投票"), "{page}");
    assert!(page.contains(&format!(r#"href="/login?next=/v/{CAMPAIGN}/7""#)));
    // The poster names the candidate and carries the page's QR code.
    let poster = visitor.http.get(server.url(&format!("/v/{CAMPAIGN}/7/poster.svg"))).send().await.unwrap();
    assert_eq!(poster.headers()["content-type"], "image/svg+xml");
    let poster = poster.text().await.unwrap();
    assert!(poster.contains(">07</text>") && poster.contains("<path"), "{poster}");
    let qr_tag = &poster[poster.find(r#"<svg x="#).expect("the QR code placed")..];
    let qr_tag = &qr_tag[..qr_tag.find('>').unwrap()];
    assert_eq!(qr_tag.matches("width=").count(), 1, "no attribute twice, or the SVG does not parse: {qr_tag}");
    assert_eq!(
        visitor.http.get(server.url(&format!("/v/{CAMPAIGN}/99/poster.svg"))).send().await.unwrap().status(),
        404
    );
    let (status, _) = visitor
        .post(
            &format!("/v/{CAMPAIGN}/7"),
            "/api/vote",
            &[("campaign", CAMPAIGN), ("number", "7"), ("key", "0123456789abcdef")],
        )
        .await;
    assert_eq!(status, 401);

    let member = Person::new(&server);
    member.register("13900000001", "投票人", "37010201").await;
    // The form post (works without JavaScript): back to the page, one vote fewer.
    let (status, _) = member
        .post(
            &format!("/v/{CAMPAIGN}/7"),
            "/api/vote",
            &[("campaign", CAMPAIGN), ("number", "7"), ("key", "form-key-000001")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, page) = member.get(&format!("/v/{CAMPAIGN}/7?voted=1")).await;
    assert!(page.contains("投票成功！") && page.contains("您今天还可以投 9 票"), "{page}");

    // The JSON API: the answer says how many votes are left today.
    let (status, body) = member.vote_api(CAMPAIGN, "7", "api-key-000002").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["remaining_today"], 8);
    // A replayed key: the same answer, counted once.
    let (status, again) = member.vote_api(CAMPAIGN, "7", "api-key-000002").await;
    assert_eq!(status, 200);
    assert_eq!(
        (again["remaining_today"].clone(), again["replayed"].clone()),
        (body["remaining_today"].clone(), true.into())
    );
    assert_eq!(stored_votes(&db, "13900000001").await, 2);

    // Two a day for one candidate.
    let (status, body) = member.vote_api(CAMPAIGN, "7", "api-key-000003").await;
    assert_eq!(status, 429);
    assert!(message(&body).contains("每人每天最多为同一位候选人投 2 票"), "{body}");
    // A candidate not in the campaign, a malformed key, a campaign that does not exist.
    let (status, body) = member.vote_api(CAMPAIGN, "99", "api-key-000004").await;
    assert_eq!((status, message(&body)), (404, "本次评选中没有 99 号候选人"));
    let (status, _) = member.vote_api(CAMPAIGN, "8", "short").await;
    assert_eq!(status, 400);
    let (status, _) = member.vote_api("no-such-campaign", "8", "api-key-000005").await;
    assert_eq!(status, 404);
    // No Origin, or another site's: refused before anything runs.
    for origin in [None, Some("https://evil.example")] {
        let mut request = member.http.post(server.url("/api/vote")).form(&[
            ("campaign", CAMPAIGN),
            ("number", "8"),
            ("key", "api-key-000006"),
        ]);
        if let Some(origin) = origin {
            request = request.header("Origin", origin);
        }
        assert_eq!(request.send().await.unwrap().status().as_u16(), 403);
    }
    assert_eq!(stored_votes(&db, "13900000001").await, 2);

    // Ten a day in all.
    for (i, number) in (8..16).enumerate() {
        let (status, body) = member.vote_api(CAMPAIGN, &number.to_string(), &format!("api-key-1000{i:02}")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["remaining_today"], 7 - i as i64);
    }
    let (status, body) = member.vote_api(CAMPAIGN, "20", "api-key-200000").await;
    assert_eq!(status, 429);
    assert_eq!(message(&body), "您今天的 10 票已经投完，明天再来吧");
    assert_eq!(stored_votes(&db, "13900000001").await, 10);

    // The leaderboard counts the votes within a few seconds, for anyone.
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let board: serde_json::Value = visitor
        .http
        .get(server.url(&format!("/api/campaign?slug={CAMPAIGN}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let first = &board["standings"][0];
    assert_eq!(
        (first["number"].as_i64(), first["votes"].as_i64(), first["rank"].as_i64()),
        (Some(7), Some(2), Some(1))
    );
    assert_eq!(board["standings"].as_array().unwrap().len(), 30);
    let (_, page) = visitor.get(&format!("/v/{CAMPAIGN}?q=7")).await;
    assert!(page.replace("<!>", "").contains("07 号 "), "search by number");
}

async fn the_voting_window_and_the_voter_rule_are_enforced(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let day = 86_400;
    let campaign = |slug: &'static str, schedule: Schedule, voter_rule: VoterRule| store::NewCampaign {
        schedule,
        voter_rule,
        ..store::NewCampaign::voting_now(slug, "370102", now)
    };
    let open = Schedule::new(now - 3 * day, now - 2 * day, now - day, now + day, now + 2 * day).unwrap();
    let ended = Schedule::new(now - 5 * day, now - 4 * day, now - 3 * day, now - day, now + day).unwrap();
    let story = "<p>事迹</p>";
    let candidate =
        [store::NewCandidate { number: 1, name: "甲", unit_code: "37010201", title: "钳工", story_html: story }];
    for (slug, schedule, rule) in [
        ("ended", ended, VoterRule::Registered),
        ("certified-only", open, VoterRule::Certified),
        ("lixia-only", open, VoterRule::CertifiedInSubtree),
    ] {
        let id = db.store().insert_campaign(&campaign(slug, schedule, rule), now).await.unwrap();
        db.store().insert_candidates(id, &candidate, now).await.unwrap();
    }
    let member = Person::new(&server);
    member.register("13900000002", "未认证", "37010201").await;

    let (status, body) = member.vote_api("ended", "1", "window-key-0001").await;
    assert_eq!(status, 403);
    assert!(message(&body).starts_with("投票已于 "), "{body}");
    let (status, body) = member.vote_api("certified-only", "1", "rule-key-00001").await;
    assert_eq!((status, message(&body)), (403, "本次投票仅限完成实名认证的会员。请先在“我的”中完成实名认证"));

    // Certified, but in 市中区, outside 历下区's campaign.
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await;
    crate::support::make_admin(db.url(), "13800000001");
    let roster = "unit_code,member_no,name,gender,birth_date,id_number,phone\n37010301,GH9,夏国子,男,1965-08-29,370103196508295838,\n";
    let (_, preview) = admin.upload("/admin/roster", "/api/admin/roster/preview", roster.as_bytes().to_vec()).await;
    let token_at = preview.find(r#"name="token" value=""#).unwrap() + r#"name="token" value=""#.len();
    admin.post("/admin/roster", "/api/admin/roster/confirm", &[("token", &preview[token_at..token_at + 32])]).await;
    let outsider = Person::new(&server);
    outsider.register("13900000003", "夏国子", "37010301").await;
    let (status, _) =
        outsider.post("/certify", "/api/me/certify", &[("name", "夏国子"), ("id_number", "370103196508295838")]).await;
    assert_eq!(status, 303);
    let (status, body) = outsider.vote_api("lixia-only", "1", "rule-key-00002").await;
    assert_eq!((status, message(&body)), (403, "本次投票仅限历下区总工会及下级单位的会员"));
    let (status, _) = outsider.vote_api("certified-only", "1", "rule-key-00003").await;
    assert_eq!(status, 200);
    assert_eq!(stored_votes(&db, "13900000002").await, 0);
}

/// 50 votes of one member at once, half through each of two servers on one
/// PostgreSQL database: never more than the 10 a day are stored, and every
/// vote that was acknowledged is stored.
#[tokio::test]
async fn fifty_parallel_votes_through_two_servers_store_at_most_the_daily_limit_and_every_acknowledged_one() {
    let Some(db) = TestDb::postgres().await else { return };
    let limits = [("GONGHUI_VOTES_PER_MINUTE_PER_ACCOUNT", "1000"), ("GONGHUI_ACCOUNT_POSTS_PER_MINUTE", "1000")];
    let first = RunningServer::start(db.url(), &limits);
    let second = RunningServer::start(db.url(), &limits);
    let on_first = Person::new(&first);
    on_first.register("13900000009", "并发", "37010201").await;
    let on_second = Person::new(&second);
    let (status, _) =
        on_second.post("/login", "/api/auth/login", &[("phone", "13900000009"), ("password", PASSWORD)]).await;
    assert_eq!(status, 303);

    let on_first = std::sync::Arc::new(on_first);
    let on_second = std::sync::Arc::new(on_second);
    let mut tasks = Vec::new();
    for i in 0..50 {
        let person = if i % 2 == 0 { on_first.clone() } else { on_second.clone() };
        tasks.push(tokio::spawn(async move {
            let number = (i % 30 + 1).to_string();
            person.vote_api(CAMPAIGN, &number, &format!("burst-key-{i:04}")).await
        }));
    }
    let mut acknowledged = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            200 => acknowledged += 1,
            429 => assert!(message(&body).contains("票已经投完") || message(&body).contains("同一位候选人"), "{body}"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    let stored = stored_votes(&db, "13900000009").await;
    assert_eq!(stored, acknowledged, "every acknowledged vote is stored, and only those");
    assert_eq!(stored, 10, "the daily limit, exactly");
}

on_both_engines_with_db!(@in sqlite_results, postgres_results; officials_enter_expert_scores_and_export_results_with_final_scores);

async fn officials_enter_expert_scores_and_export_results_with_final_scores(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let member = Person::new(&server);
    member.register("13900000004", "投票人", "37010201").await;
    for (number, key) in [("1", "results-key-01"), ("1", "results-key-02"), ("2", "results-key-03")] {
        assert_eq!(member.vote_api(CAMPAIGN, number, key).await.0, 200);
    }
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await;
    crate::support::make_admin(db.url(), "13800000001");
    let page = format!("/admin/campaigns/{CAMPAIGN}/results");
    assert_eq!(member.get(&page).await.0, 403);

    // One bad score and nothing is saved.
    let (status, html) = admin
        .post(&page, "/api/admin/campaigns/scores", &[("slug", CAMPAIGN), ("scores[1]", "90"), ("scores[2]", "120")])
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("02 号的专家评分应为 0–100 的整数，未做任何修改"), "{html}");
    let (status, html) = admin
        .post(
            &page,
            "/api/admin/campaigns/scores",
            &[("slug", CAMPAIGN), ("scores[1]", "90"), ("scores[2]", "80"), ("scores[3]", "")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("已保存 2 位候选人的专家评分"), "{html}");

    // The demo campaign weighs the panel at 30%: votes normalised to the top (2 votes).
    let csv = admin.http.get(server.url(&format!("{page}.csv"))).send().await.unwrap().text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "排名,编号,姓名,单位,网络票数,专家评分,综合得分");
    // 0.3·90 + 0.7·100 = 97.0 and 0.3·80 + 0.7·50 = 59.0.
    assert!(lines[1].starts_with("1,1,王建国,") && lines[1].ends_with(",2,90,97.0"), "{}", lines[1]);
    assert!(lines[2].starts_with("2,2,李秀英,") && lines[2].ends_with(",1,80,59.0"), "{}", lines[2]);
    assert!(lines[3].ends_with(",0,,—"), "no panel score yet: {}", lines[3]);
    assert_eq!(lines.len(), 31);
}

/// Signed-out views of a share page are reused for two seconds (the page
/// cache); a signed-in member's page is never one of them, nor handed to
/// anyone else.
#[tokio::test]
async fn signed_out_visitors_share_a_cached_page_and_members_always_get_their_own() {
    let db = TestDb::sqlite().await;
    let server = RunningServer::start(db.url(), &[]);
    let page = format!("/v/{CAMPAIGN}/3");
    let member = Person::new(&server);
    member.register("13900000031", "投票人", "37010201").await;
    // The member looks first: the page is theirs (votes left, a vote form).
    let (_, own) = member.get(&page).await;
    assert!(own.contains("您今天还可以投 10 票") && !own.contains("登录后投票"), "{own}");

    // A visitor right after gets the signed-out page, not the member's.
    let visitor = Person::new(&server);
    let (status, first) = visitor.get(&page).await;
    assert_eq!(status, 200);
    assert!(first.contains("登录后投票") && !first.contains("您今天还可以投"), "{first}");
    // Another visitor within two seconds gets the very same bytes (the
    // vote key a page carries is random per render, so equal pages mean one
    // render), and no session cookie.
    let response = reqwest::Client::new().get(server.url(&page)).send().await.unwrap();
    assert!(response.headers().get("set-cookie").is_none());
    assert_eq!(response.text().await.unwrap(), first);

    // The member votes and sees their own count at once, cache or not.
    let (status, _) = member
        .post(
            &format!("/v/{CAMPAIGN}/3"),
            "/api/vote",
            &[("campaign", CAMPAIGN), ("number", "3"), ("key", "cache-key-0001")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, own) = member.get(&page).await;
    assert!(own.contains("您今天还可以投 9 票"), "{own}");
    // After two seconds a visitor's page is rendered again.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let (_, later) = visitor.get(&page).await;
    assert_ne!(later, first);
}
