//! 活动 over HTTP without JavaScript: an official publishes a one-seat
//! screening; one member takes the seat, the next waits in line, the first
//! cancels and the second moves up (with the notice on 我的), and is checked
//! in at the door once; the attendance CSV; who may do what; bad input.

use crate::support::{date_in_days, make_admin, Person, RunningServer};
use store::testing::TestDb;

on_both_engines_with_db!(
    a_member_in_line_moves_up_when_the_seat_holder_cancels_and_is_checked_in_once,
    who_may_publish_sign_up_and_check_in_is_a_matrix,
    every_wrong_session_field_is_refused_next_to_it_and_nothing_changes,
);

/// The super admin and members of `units` (phone, name, unit), certified
/// in the database (certification itself is tested elsewhere).
async fn people(server: &RunningServer, db: &TestDb, members: &[(&str, &str, &str)]) -> (Person, Vec<Person>) {
    let admin = Person::new(server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let mut out = Vec::new();
    for (phone, name, unit) in members {
        let person = Person::new(server);
        person.register(phone, name, unit).await;
        out.push(person);
    }
    db.execute_raw("UPDATE members SET certified_at = 1").await.unwrap();
    (admin, out)
}

/// The new-activity form: a screening of `unit` in three days, 14:00–16:00,
/// `capacity` seats, sign-up from today to the day before.
fn screening<'a>(unit: &'a str, capacity: &'a str, dates: &'a [String; 3]) -> Vec<(&'a str, &'a str)> {
    vec![
        ("unit", unit),
        ("title", "职工1元观影"),
        ("description", "凭签到码入场，每人 1 元。"),
        ("kind", "cinema"),
        ("member_since", ""),
        ("place", "万达影城 3 号厅"),
        ("date", &dates[0]),
        ("starts", "14:00"),
        ("ends", "16:00"),
        ("capacity", capacity),
        ("signup_opens", &dates[1]),
        ("signup_closes", &dates[2]),
    ]
}

fn dates() -> [String; 3] {
    [date_in_days(3), date_in_days(0), date_in_days(2)]
}

/// Publishes the screening as `official`; its first session's id.
async fn publish(official: &Person, unit: &str, capacity: &str) -> String {
    let dates = dates();
    let (status, location) = official
        .post_for_location("/admin/activities", "/api/admin/activities/create", &screening(unit, capacity, &dates))
        .await;
    assert_eq!(status, 303, "published: {location}");
    let (_, page) = official.get("/admin/activities").await;
    let at = page.find("href=\"/admin/activities/").expect("a session link") + "href=\"/admin/activities/".len();
    page[at..].split('"').next().unwrap().to_owned()
}

impl Person {
    async fn call_json(&self, action: &str, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
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

    async fn get_json(&self, path: &str) -> serde_json::Value {
        self.http.get(format!("{}{path}", self.base)).send().await.unwrap().json().await.unwrap()
    }
}

async fn a_member_in_line_moves_up_when_the_seat_holder_cancels_and_is_checked_in_once(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, members) =
        people(&server, &db, &[("13600000001", "赵先到", "37131202"), ("13600000002", "钱后到", "37131202")]).await;
    let (first, second) = (&members[0], &members[1]);
    let session = publish(&admin, "371300", "1").await;

    // The first takes the one seat; the second is told they wait, first in line.
    let (_, services) = first.get("/services").await;
    assert!(services.contains("职工1元观影") && services.contains("剩余 1 个名额"), "offered on 服务");
    let (status, location) = first.post_for_location("/services", "/api/activities/signup", &[("id", &session)]).await;
    assert_eq!(status, 303);
    let first_signup = location.rsplit('/').next().unwrap().to_owned();
    let (_, page) = first.get(&location).await;
    assert!(page.contains("签到二维码") && page.contains("已报名"), "a seat and its check-in code");
    let (_, services) = second.get("/services").await;
    assert!(services.contains("名额已满，可排队候补"), "a full session still takes a sign-up, in line");
    let (status, location) = second.post_for_location("/services", "/api/activities/signup", &[("id", &session)]).await;
    assert_eq!(status, 303);
    let (_, html) = second.get(&location).await;
    assert!(html.contains("候补第 1 位") && !html.contains("签到二维码"), "told their place in line, no code yet");
    let (status, _) = second.post("/services", "/api/activities/signup", &[("id", &session)]).await;
    assert_eq!(status, 409, "once");
    let mine = second.get_json("/api/me/activities").await;
    let second_signup = mine[0]["id"].to_string();
    assert_eq!(mine[0]["status"], "候补第 1 位");

    // The first cancels; the second moves up and 我的 says so.
    let (status, html) = first
        .post(&format!("/services/activities/{first_signup}"), "/api/activities/cancel", &[("id", &first_signup)])
        .await;
    assert_eq!(status, 200, "{html}");
    let (_, me) = second.get("/me").await;
    assert!(me.contains("候补成功：职工1元观影"), "the notice on 我的");
    let view = second.get_json(&format!("/api/activities/my-signup?id={second_signup}")).await;
    assert_eq!(view["status"], "已报名");
    let code = view["code"].as_str().expect("a check-in code once seated").to_owned();
    let typed = view["typed_code"].as_str().unwrap().to_owned();
    let (_, card) = second.get("/card").await;
    assert!(card.contains("近期活动") && card.contains("职工1元观影"), "the card lists the upcoming activity");

    // At the door: checked in once; the typed code of the same seat is refused as a repeat.
    let (status, html) = admin
        .post(
            &format!("/admin/activities/{session}"),
            "/api/admin/activities/checkin",
            &[("session", &session), ("code", &code)],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("签到成功") && html.contains("钱*"), "{html}");
    let (status, again) =
        admin.call_json("/api/admin/activities/checkin", &[("session", &session), ("code", &typed)]).await;
    assert_eq!(status, 409);
    assert!(again["Rejected"]["message"].as_str().unwrap().contains("不重复计数"));
    let (status, _) = first.call_json("/api/activities/signup", &[("id", &session)]).await;
    assert_eq!(status, 200, "the one who cancelled may queue again");

    // The attendance list and its CSV (phones masked).
    let (_, door) = admin.get(&format!("/admin/activities/{session}")).await;
    assert!(door.contains("已签到 1 / 1") && door.contains("136****0002"), "{}", crate::publishing::main_of(&door));
    let csv = admin.http.get(server.url(&format!("/admin/activities/{session}/attendance.csv"))).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    assert!(
        text.starts_with('\u{feff}')
            && text.contains("钱后到")
            && text.contains("136****0002")
            && text.contains("候补第 1 位")
    );
    assert!(!text.contains("13600000002"), "no phone number in full");
}

async fn who_may_publish_sign_up_and_check_in_is_a_matrix(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, members) =
        people(&server, &db, &[("13600000001", "孙临沂", "37131202"), ("13600000002", "周济南", "37010201")]).await;
    let (linyi_member, jinan_member) = (&members[0], &members[1]);
    let jinan = Person::new(&server);
    jinan.register("13700000001", "李济南", "370100").await;
    let (status, _) =
        admin.post("/admin", "/api/admin/officials", &[("phone", "13700000001"), ("unit", "370100")]).await;
    assert!(status == 200 || status == 303);
    let dates = dates();

    // Publishing: only within one's reach.
    let (status, _) =
        jinan.post("/admin/activities", "/api/admin/activities/create", &screening("371300", "5", &dates)).await;
    assert_eq!(status, 403, "济南's official cannot publish for 临沂");
    let (status, _) = linyi_member
        .post("/admin/activities", "/api/admin/activities/create", &screening("37131202", "5", &dates))
        .await;
    assert_eq!(status, 403, "a member is no official");
    let session = publish(&admin, "371300", "5").await;

    // Signing up: 临沂's subtree only, signed in only.
    assert_eq!(jinan_member.call_json("/api/activities/signup", &[("id", &session)]).await.0, 403);
    assert_eq!(Person::new(&server).call_json("/api/activities/signup", &[("id", &session)]).await.0, 401);
    let (status, _) = linyi_member.call_json("/api/activities/signup", &[("id", &session)]).await;
    assert_eq!(status, 200);
    let mine = linyi_member.get_json("/api/me/activities").await;
    let signup = mine[0]["id"].to_string();
    assert_eq!(jinan_member.get(&format!("/services/activities/{signup}")).await.0, 404, "not another member's");
    let code = linyi_member.get_json(&format!("/api/activities/my-signup?id={signup}")).await["code"]
        .as_str()
        .unwrap()
        .to_owned();

    // Checking in, the door page, the CSV and cancelling: the activity's reach only.
    assert_eq!(
        jinan.call_json("/api/admin/activities/checkin", &[("session", &session), ("code", &code)]).await.0,
        404
    );
    assert_eq!(
        linyi_member.call_json("/api/admin/activities/checkin", &[("session", &session), ("code", &code)]).await.0,
        403
    );
    assert_eq!(jinan.get(&format!("/admin/activities/{session}")).await.0, 404);
    let csv = jinan.http.get(server.url(&format!("/admin/activities/{session}/attendance.csv"))).send().await.unwrap();
    assert_eq!(csv.status(), 404);
    assert_eq!(jinan.call_json("/api/admin/activities/withdraw", &[("id", "1")]).await.0, 404);
    assert_eq!(admin.call_json("/api/admin/activities/withdraw", &[("id", "1")]).await.0, 200);
    assert_eq!(
        linyi_member.call_json("/api/activities/signup", &[("id", &session)]).await.0,
        409,
        "cancelled: signed up already"
    );
    let (_, audit) = admin.get("/admin").await;
    assert!(audit.contains("发布活动") && audit.contains("取消活动"), "audited");
}

async fn every_wrong_session_field_is_refused_next_to_it_and_nothing_changes(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, _) = people(&server, &db, &[]).await;
    let dates = dates();
    let yesterday = date_in_days(-1);
    let cases: Vec<(&str, &str, &str, &str)> = vec![
        ("title", "影", "title", "2 到 40 个字"),
        ("kind", "party", "kind", "请选择活动类别"),
        ("place", "", "place", "地点请填写"),
        ("date", "下周六", "date", "请填写日期"),
        ("date", yesterday.as_str(), "date", "活动时间已过"),
        ("starts", "25:00", "starts", "请填写时间"),
        ("ends", "13:00", "ends", "结束时间要晚于开始时间"),
        ("capacity", "0", "capacity", "1 到 100000"),
        ("signup_opens", dates[0].as_str(), "signup_closes", "报名截止要晚于报名开始"),
    ];
    for (name, value, field, message) in cases {
        let mut form = screening("37", "10", &dates);
        form.retain(|(n, _)| *n != name);
        form.push((name, value));
        let (status, html) = admin.post("/admin/activities", "/api/admin/activities/create", &form).await;
        assert_eq!(status, 400, "{name}={value}");
        let field_at = html.find(&format!(r#"name="{field}""#)).unwrap_or_else(|| panic!("the {field} field"));
        let message_at = html.find(message).unwrap_or_else(|| panic!("{message} for {name}={value}"));
        assert!(message_at > field_at, "the message follows its field {field}");
    }
    let (_, page) = admin.get("/admin/activities").await;
    assert!(!page.contains("/admin/activities/1\""), "nothing was created");
}
