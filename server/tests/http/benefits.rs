//! 惠员福利 over HTTP, as members, officials and partner merchants meet it
//! without JavaScript: an official adds a merchant and a birthday benefit,
//! a member born this month claims it and shows the code, the merchant
//! redeems it once; who may do what, as a matrix; bad input; and 1 000
//! concurrent claims through two server processes for a quota of 100.

use crate::support::{date_in_days, make_admin, Person, RunningServer, PASSWORD};
use store::testing::TestDb;

on_both_engines_with_db!(
    a_member_born_this_month_claims_the_birthday_benefit_and_the_merchant_redeems_it_once,
    who_may_offer_claim_and_redeem_is_a_matrix,
    every_wrong_field_is_refused_next_to_it_and_nothing_changes,
    a_thousand_claims_through_two_server_processes_store_exactly_the_quota,
    the_demo_offers_three_benefits_with_pictures_and_a_redeemed_claim,
);

/// A valid ID number (GB 11643) of a man born on `year-month-day`.
fn id_number(year: u32, month: u32, day: u32, serial: u32) -> String {
    let first17 = format!("370103{year:04}{month:02}{day:02}{:03}", serial % 1000);
    let check = domain::id_number::check_character(first17.as_bytes()) as char;
    format!("{first17}{check}")
}

/// This month in Shanghai (the birthday rule's month).
fn this_month() -> u32 {
    date_in_days(0)[5..7].parse().unwrap()
}

/// The super admin (13800000001) and members certified against a roster
/// the admin imports: (phone, name, unit, birth month).
async fn people(server: &RunningServer, db: &TestDb, members: &[(&str, &str, &str, u32)]) -> (Person, Vec<Person>) {
    let admin = Person::new(server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let mut roster = "unit_code,member_no,name,gender,birth_date,id_number,phone\n".to_owned();
    let mut persons = Vec::new();
    for (i, (phone, name, unit, month)) in members.iter().enumerate() {
        let id = id_number(1988, *month, 15, 11 + 2 * i as u32);
        roster.push_str(&format!("{unit},GH{i:04},{name},男,1988-{month:02}-15,{id},\n"));
        let person = Person::new(server);
        person.register(phone, name, unit).await;
        persons.push((person, name.to_string(), id));
    }
    if members.is_empty() {
        return (admin, Vec::new());
    }
    let (_, preview) = admin.upload("/admin/roster", "/api/admin/roster/preview", roster.into_bytes()).await;
    let at = preview.find(r#"name="token" value=""#).expect("a preview token") + r#"name="token" value=""#.len();
    admin.post("/admin/roster", "/api/admin/roster/confirm", &[("token", &preview[at..at + 32])]).await;
    let mut out = Vec::new();
    for (person, name, id) in persons {
        let (status, html) = person.post("/certify", "/api/me/certify", &[("name", &name), ("id_number", &id)]).await;
        assert!(status == 303 || status == 200, "certified: {status} {html}");
        out.push(person);
    }
    (admin, out)
}

/// `person` adds merchant `login` under `unit`: the status and page.
async fn add_partner(person: &Person, unit: &str, login: &str) -> (u16, String) {
    person
        .post(
            "/admin/benefits",
            "/api/admin/benefits/partners",
            &[("unit", unit), ("name", "好利来蛋糕店"), ("login", login), ("password", "merchant-2026")],
        )
        .await
}

/// The id of the partner with `login`, from the officials' page of `person`.
async fn partner_id(person: &Person, login: &str) -> String {
    let page: serde_json::Value =
        person.http.get(format!("{}/api/admin/benefits", person.base)).send().await.unwrap().json().await.unwrap();
    let found = page["partners"].as_array().unwrap().iter().find(|p| p["login"] == login).expect("the partner");
    found["id"].to_string()
}

/// The benefit form, filled in: a birthday cake of `unit` for 30 days.
fn cake_form<'a>(unit: &'a str, partner: &'a str, opens: &'a str, closes: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("unit", unit),
        ("title", "生日送蛋糕"),
        ("description", "生日当月凭领取码到店领取生日蛋糕一个。"),
        ("partner", partner),
        ("birthday_month", "1"),
        ("once_per_year", "1"),
        ("member_since", ""),
        ("quota", "100"),
        ("quota_per_day", ""),
        ("opens", opens),
        ("closes", closes),
    ]
}

/// Creates the cake benefit as `person`; its id.
async fn create_cake(person: &Person, unit: &str, partner: &str) -> String {
    let (opens, closes) = (date_in_days(0), date_in_days(30));
    let (status, location) = person
        .post_for_location("/admin/benefits", "/api/admin/benefits/create", &cake_form(unit, partner, &opens, &closes))
        .await;
    assert_eq!(status, 303, "created: {location}");
    location.rsplit("benefit-").next().unwrap().to_owned()
}

impl Person {
    /// `POST {action}` as an app or hydrated page does (JSON answer).
    async fn call(&self, action: &str, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
        let response = self
            .http
            .post(format!("{}{action}", self.base))
            .header("Origin", self.base.clone())
            .form(form)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap_or_default())
    }
}

async fn stored_claims(db: &TestDb) -> i64 {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap();
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM benefit_claims").fetch_one(&mut conn).await.unwrap();
    n
}

async fn a_member_born_this_month_claims_the_birthday_benefit_and_the_merchant_redeems_it_once(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let month = this_month();
    let other_month = if month == 12 { 1 } else { month + 1 };
    let (admin, members) = people(
        &server,
        &db,
        &[("13600000001", "赵生日", "37010201", month), ("13600000002", "钱平常", "37010201", other_month)],
    )
    .await;
    let (birthday, ordinary) = (&members[0], &members[1]);

    // The official adds the merchant and the benefit.
    let (status, html) = add_partner(&admin, "37", "cake-shop").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("已添加商户"), "the notice shows");
    let partner = partner_id(&admin, "cake-shop").await;
    let benefit = create_cake(&admin, "37", &partner).await;

    // The member sees it on 服务 and claims it; the claim page shows the QR code.
    let (_, services) = birthday.get("/services").await;
    assert!(services.contains("生日送蛋糕") && services.contains("立即领取"), "{services}");
    let (status, location) = birthday.post_for_location("/services", "/api/benefits/claim", &[("id", &benefit)]).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/services/claims/"), "{location}");
    let (status, page) = birthday.get(&location).await;
    assert_eq!(status, 200);
    assert!(page.contains("领取码二维码") && page.contains("核销码"), "a QR code and the typed code");
    let claim_id = location.rsplit('/').next().unwrap();
    let claim: serde_json::Value = birthday
        .http
        .get(format!("{}/api/benefits/my-claim?id={claim_id}", birthday.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = claim["code"].as_str().unwrap().to_owned();
    assert!(code.starts_with(&format!("HY1.{claim_id}.{benefit}.")), "{code}");

    // A second claim, and a member of another month, are refused and change nothing.
    let (status, html) = birthday.post("/services", "/api/benefits/claim", &[("id", &benefit)]).await;
    assert_eq!(status, 409);
    assert!(html.contains("今年已领取过"), "{html}");
    let (status, html) = ordinary.post("/services", "/api/benefits/claim", &[("id", &benefit)]).await;
    assert_eq!(status, 403);
    assert!(html.contains(&format!("您的生日在 {other_month} 月")), "told why next to the benefit");
    assert_eq!(stored_claims(&db).await, 1);
    let (_, card) = ordinary.get("/card").await;
    assert!(!card.contains("可领取的福利"), "the card lists only what this member can claim");
    let (_, card) = birthday.get("/card").await;
    assert!(card.contains("待使用的福利") && card.contains("生日送蛋糕"), "the card shows the unused claim");

    // The merchant signs in and redeems it once.
    let merchant = Person::new(&server);
    let (status, html) = merchant
        .post("/partner", "/api/auth/partner-login", &[("login", "cake-shop"), ("password", "wrong-password")])
        .await;
    assert_eq!(status, 401);
    assert!(html.contains("登录名或密码不正确"));
    let (status, location) = merchant
        .post_for_location(
            "/partner",
            "/api/auth/partner-login",
            &[("login", "Cake-Shop"), ("password", "merchant-2026")],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/partner"));
    let (_, scanner) = merchant.get("/partner").await;
    assert!(scanner.contains("data-public-key=") && scanner.contains("/scanner.js"), "the scanner with its key");
    let forged =
        code.replacen(&format!("HY1.{claim_id}."), &format!("HY1.{}.", claim_id.parse::<i64>().unwrap() + 1), 1);
    let (status, html) = merchant.post("/partner", "/api/partner/redeem", &[("code", &forged)]).await;
    assert_eq!(status, 400, "a code whose claim was changed fails its signature");
    assert!(html.contains("不是有效的领取码"));
    let (status, html) = merchant.post("/partner", "/api/partner/redeem", &[("code", &code)]).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("核销成功") && html.contains("赵**"), "the member's name masked");
    let (status, again) = merchant.call("/api/partner/redeem", &[("code", &code)]).await;
    assert_eq!(status, 409);
    let message = again["Rejected"]["message"].as_str().unwrap();
    assert!(message.contains("核销过") && message.contains(&date_in_days(0)), "{message}");

    // The member sees it redeemed; the official sees the figures per unit.
    let (_, page) = birthday.get(&format!("/services/claims/{claim_id}")).await;
    assert!(page.contains("核销") && !page.contains("领取码二维码"), "no code left to show");
    let (_, admin_page) = admin.get("/admin/benefits").await;
    assert!(
        admin_page.contains("1 / 100") && admin_page.contains("机械厂"),
        "claimed per unit: {}",
        crate::publishing::main_of(&admin_page)
    );
}

async fn who_may_offer_claim_and_redeem_is_a_matrix(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let month = this_month();
    let (admin, members) = people(
        &server,
        &db,
        &[("13600000001", "赵济南", "37010201", month), ("13600000002", "孙临沂", "37131202", month)],
    )
    .await;
    let (jinan_member, linyi_member) = (&members[0], &members[1]);
    // 济南's official (3701) and 临沂's (3713).
    let jinan = Person::new(&server);
    jinan.register("13700000001", "李济南", "370100").await;
    let linyi = Person::new(&server);
    linyi.register("13700000002", "周临沂", "371300").await;
    for (phone, unit) in [("13700000001", "370100"), ("13700000002", "371300")] {
        let (status, html) = admin.post("/admin", "/api/admin/officials", &[("phone", phone), ("unit", unit)]).await;
        assert!(status == 200 || status == 303, "appointed: {status} {html}");
    }

    // Offering: only within one's own subtree, with one's own merchants.
    assert_eq!(add_partner(&jinan, "371300", "not-mine").await.0, 403, "a merchant under another city");
    assert_eq!(add_partner(jinan_member, "37010201", "member-shop").await.0, 403, "a member is no official");
    assert_eq!(add_partner(&jinan, "370100", "jinan-shop").await.0, 200);
    assert_eq!(add_partner(&linyi, "371300", "linyi-shop").await.0, 200);
    let jinan_shop = partner_id(&jinan, "jinan-shop").await;
    let linyi_shop = partner_id(&admin, "linyi-shop").await;
    let (opens, closes) = (date_in_days(0), date_in_days(30));
    for (who, unit, shop, expected) in [
        (&jinan, "371300", &jinan_shop, 403),
        (&jinan, "370100", &linyi_shop, 403),
        (&linyi, "370100", &linyi_shop, 403),
        (jinan_member, "37010201", &jinan_shop, 403),
    ] {
        let (status, _) =
            who.post("/admin/benefits", "/api/admin/benefits/create", &cake_form(unit, shop, &opens, &closes)).await;
        assert_eq!(status, expected, "{unit} with partner {shop}");
    }
    let jinan_cake = create_cake(&jinan, "370100", &jinan_shop).await;
    assert_eq!(stored_benefits(&db).await, 1, "only the allowed one was created");

    // Claiming: the benefit's subtree only; signed in only.
    let (status, _) = linyi_member.call("/api/benefits/claim", &[("id", &jinan_cake)]).await;
    assert_eq!(status, 403, "临沂's member is outside 济南's subtree");
    let (_, services) = linyi_member.get("/services").await;
    assert!(!services.contains("生日送蛋糕"), "nor is it listed for them");
    let visitor = Person::new(&server);
    assert_eq!(visitor.call("/api/benefits/claim", &[("id", &jinan_cake)]).await.0, 401);
    let (status, claim) = jinan_member.call("/api/benefits/claim", &[("id", &jinan_cake)]).await;
    assert_eq!(status, 200, "{claim}");
    let claim_id = claim.as_i64().unwrap().to_string();
    let (status, _) = linyi_member.get(&format!("/services/claims/{claim_id}")).await;
    assert_eq!(status, 404, "another member's code is not shown");

    // Redeeming: only the benefit's merchant; withdrawing: only its unit's officials.
    let code: serde_json::Value = jinan_member
        .http
        .get(format!("{}/api/benefits/my-claim?id={claim_id}", jinan_member.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = code["code"].as_str().unwrap();
    let linyi_merchant = Person::new(&server);
    linyi_merchant
        .post("/partner", "/api/auth/partner-login", &[("login", "linyi-shop"), ("password", "merchant-2026")])
        .await;
    assert_eq!(
        linyi_merchant.call("/api/partner/redeem", &[("code", code)]).await.0,
        404,
        "another merchant's benefit"
    );
    assert_eq!(visitor.call("/api/partner/redeem", &[("code", code)]).await.0, 401, "not signed in as a merchant");
    assert_eq!(jinan_member.call("/api/partner/redeem", &[("code", code)]).await.0, 401, "a member is no merchant");
    assert_eq!(linyi.call("/api/admin/benefits/withdraw", &[("id", &jinan_cake)]).await.0, 404);
    assert_eq!(jinan.call("/api/admin/benefits/withdraw", &[("id", &jinan_cake)]).await.0, 200);
    let (_, services) = jinan_member.get("/services").await;
    assert!(!services.contains("立即领取"), "a withdrawn benefit is no longer offered");
    let (_, admin_page) = jinan.get("/admin/benefits").await;
    assert!(admin_page.contains("已撤下"));
    let (_, audit) = admin.get("/admin").await;
    assert!(audit.contains("发布福利") && audit.contains("撤下福利") && audit.contains("新增合作商户"), "audited");
}

async fn stored_benefits(db: &TestDb) -> i64 {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap();
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM benefits").fetch_one(&mut conn).await.unwrap();
    n
}

async fn every_wrong_field_is_refused_next_to_it_and_nothing_changes(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, _) = people(&server, &db, &[]).await;
    assert_eq!(add_partner(&admin, "37", "cake-shop").await.0, 200);
    let partner = partner_id(&admin, "cake-shop").await;
    let (opens, closes) = (date_in_days(0), date_in_days(30));
    let (yesterday, last_week) = (date_in_days(-1), date_in_days(-7));
    let cases: Vec<(&str, &str, &str, u16, &str)> = vec![
        ("title", "蛋", "title", 400, "2 到 40 个字"),
        ("quota", "很多", "quota", 400, "整数"),
        ("quota", "0", "quota", 400, "整数"),
        ("quota_per_day", "500", "quota_per_day", 400, "不能多于总名额"),
        ("opens", "明天", "opens", 400, "请填写日期"),
        ("closes", last_week.as_str(), "closes", 400, "不能早于开始日期"),
        ("partner", "", "partner", 400, "请选择合作商户"),
    ];
    for (name, value, field, status, message) in cases {
        let mut form = cake_form("37", &partner, &opens, &closes);
        form.retain(|(n, _)| *n != name);
        form.push((name, value));
        let (got, html) = admin.post("/admin/benefits", "/api/admin/benefits/create", &form).await;
        assert_eq!(got, status, "{name}={value}");
        let field_at = html.find(&format!(r#"name="{field}""#)).unwrap_or_else(|| panic!("the {field} field is shown"));
        let message_at = html.find(message).unwrap_or_else(|| panic!("{message} for {name}={value}"));
        assert!(message_at > field_at, "the message follows its field {field}");
    }
    let mut closed = cake_form("37", &partner, &last_week, &yesterday);
    closed.retain(|(n, _)| *n != "unit");
    closed.push(("unit", "37"));
    assert_eq!(admin.post("/admin/benefits", "/api/admin/benefits/create", &closed).await.0, 400, "closed already");
    assert_eq!(stored_benefits(&db).await, 0, "nothing was created");

    let (status, html) = add_partner(&admin, "37", "cake-shop").await;
    assert_eq!(status, 409);
    assert!(html.contains("这个登录名已被使用"));
    let (status, html) = add_partner(&admin, "37", "商户").await;
    assert_eq!(status, 400);
    assert!(html.contains("登录名用"));
    let (status, html) = admin
        .post(
            "/admin/benefits",
            "/api/admin/benefits/partners",
            &[("unit", "37"), ("name", "商店"), ("login", "short-pass"), ("password", "1234")],
        )
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("密码"), "{html}");

    let merchant = Person::new(&server);
    merchant
        .post("/partner", "/api/auth/partner-login", &[("login", "cake-shop"), ("password", "merchant-2026")])
        .await;
    for code in ["", "hello", "HY1.1.1.AAAA", "12-34", "1-00000000"] {
        let (status, html) = merchant.post("/partner", "/api/partner/redeem", &[("code", code)]).await;
        assert_eq!(status, 400, "{code:?}");
        assert!(html.contains("不是有效的领取码"), "{code:?}");
    }
}

async fn a_thousand_claims_through_two_server_processes_store_exactly_the_quota(db: TestDb) {
    // 250 certified members, each of whom tries 4 times at once, half
    // through each of two server processes on the one database.
    let env = [("GONGHUI_ACCOUNT_POSTS_PER_MINUTE", "100000")];
    let a = RunningServer::start(db.url(), &env);
    let b = RunningServer::start(db.url(), &env);
    let (admin, _) = people(&a, &db, &[]).await;
    assert_eq!(add_partner(&admin, "37", "cinema").await.0, 200);
    let partner = partner_id(&admin, "cinema").await;
    let (opens, closes) = (date_in_days(0), date_in_days(30));
    let mut form = cake_form("37", &partner, &opens, &closes);
    form.retain(|(n, _)| *n != "birthday_month" && *n != "once_per_year");
    let (status, location) = admin.post_for_location("/admin/benefits", "/api/admin/benefits/create", &form).await;
    assert_eq!(status, 303, "{location}");
    let benefit = location.rsplit("benefit-").next().unwrap().to_owned();

    // The members: copies of one registered account's password hash,
    // certified in the database (certification itself is tested elsewhere).
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap();
    let (hash, unit): (String, i64) =
        sqlx::query_as("SELECT password_hash, unit_id FROM members WHERE phone = '13800000001'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    for i in 0..250 {
        sqlx::query(&format!(
            "INSERT INTO members (phone, name, password_hash, unit_id, created_at, certified_at) \
             VALUES ('135{i:08}', '观影会员', $1, {unit}, 1, 1)"
        ))
        .bind(&hash)
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let mut members = Vec::new();
    for i in 0..250 {
        let person = Person::new(if i % 2 == 0 { &a } else { &b });
        let phone = format!("135{i:08}");
        let (status, _) = person.post("/login", "/api/auth/login", &[("phone", &phone), ("password", PASSWORD)]).await;
        assert_eq!(status, 303, "{phone} signed in");
        members.push(person);
    }

    let members = std::sync::Arc::new(members);
    let mut tasks = Vec::new();
    for attempt in 0..1000 {
        let members = members.clone();
        let benefit = benefit.clone();
        tasks.push(tokio::spawn(async move {
            members[attempt % 250].call("/api/benefits/claim", &[("id", &benefit)]).await
        }));
    }
    let mut acknowledged = std::collections::BTreeSet::new();
    let mut refused = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            200 => assert!(acknowledged.insert(body.as_i64().unwrap()), "each acknowledged claim is its own"),
            409 => refused += 1,
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(acknowledged.len(), 100, "exactly the quota was acknowledged");
    assert_eq!(refused, 900);
    assert_eq!(stored_claims(&db).await, 100, "exactly the quota was stored");
    let (distinct,): (i64,) =
        sqlx::query_as("SELECT COUNT(DISTINCT member_id) FROM benefit_claims").fetch_one(&mut conn).await.unwrap();
    assert_eq!(distinct, 100, "one claim per member");
    for id in acknowledged {
        let (found,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM benefit_claims WHERE id = {id}"))
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(found, 1, "acknowledged claim {id} is stored");
    }
}

async fn the_demo_offers_three_benefits_with_pictures_and_a_redeemed_claim(db: TestDb) {
    let server = RunningServer::start(db.url(), &[("GONGHUI_DEMO_PEOPLE", "true")]);
    // 刘敏 of 临沂's 供电公司 sees the province's benefits and 临沂's cinema.
    let member = Person::new(&server);
    let (status, _) = member
        .post("/login", "/api/auth/login", &[("phone", "19009883727"), ("password", server::demo::DEMO_PASSWORD)])
        .await;
    assert_eq!(status, 303);
    let (_, services) = member.get("/services").await;
    for title in ["生日送蛋糕", "职工1元观影", "免费健康体检"] {
        assert!(services.contains(title), "{title} is offered");
    }
    assert!(services.contains("/media/benefit/"), "with pictures");
    assert!(services.contains("职工1元观影·周末场") && services.contains("安全生产知识培训"), "and the activities");
    let (_, me) = member.get("/me").await;
    assert!(me.contains("我的活动") && me.contains("已报名"), "刘敏 holds a seat at the screening");
    let (_, wall) = member.get("/services/wishes").await;
    assert!(
        wall.contains("给孩子买一套过冬的棉衣") && wall.contains("已实现") && !wall.contains("一辆二手电动车"),
        "the wall: approved wishes only"
    );
    assert!(services.contains("已领取 · 出示领取码") && services.contains("已核销"), "the cinema claim, redeemed");
    let picture = services.split("/media/benefit/").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&");
    let response = member.http.get(server.url(&format!("/media/benefit/{picture}"))).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");

    // The cinema signs in with the demo password and sees its redemption.
    let cinema = Person::new(&server);
    let (status, _) = cinema
        .post_for_location(
            "/partner",
            "/api/auth/partner-login",
            &[("login", "demo-cinema"), ("password", server::demo::DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(status, 303);
    let (_, page) = cinema.get("/partner").await;
    assert!(page.contains("职工1元观影") && page.contains("刘*"), "{page}");
}
