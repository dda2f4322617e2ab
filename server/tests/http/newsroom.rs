//! 信息员: a certified member files the 信息员登记表; an official of the unit
//! (or above) approves or refuses it; an official elsewhere cannot see or
//! decide it. Every mistake is answered next to its field, nothing saved.

use crate::support::{make_admin, Person, RunningServer};
use store::testing::TestDb;

on_both_engines_with_db!(
    @more a_certified_member_applies_to_be_a_correspondent_and_an_official_of_the_unit_decides
);

/// The message under field `field` on a re-rendered form page.
fn message(html: &str, field: &str) -> String {
    let marker = format!(r#"id="f-{field}-message""#);
    let rest = &html[html.find(&marker).unwrap_or_else(|| panic!("no {field} message: {html}")) + marker.len()..];
    rest[rest.find('>').unwrap() + 1..rest.find('<').unwrap()].trim().to_owned()
}

fn application(email: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("name", "夏国子"),
        ("gender", "男"),
        ("birth_month", "1965-08"),
        ("education", "大专"),
        ("union_post", "宣传委员"),
        ("job_title", ""),
        ("phone", "13900000001"),
        ("email", email),
        ("id_number", "370103196508295838"),
        ("interests", "摄影、写作"),
        ("wechat_name", "机械厂工会"),
        ("intro", "每月一期厂报。"),
    ]
}

async fn a_certified_member_applies_to_be_a_correspondent_and_an_official_of_the_unit_decides(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    // An official of 市中区, outside the member's 历下区.
    let elsewhere = Person::new(&server);
    elsewhere.register("13800000003", "市中区", "37010301").await;
    admin.post("/admin", "/api/admin/officials", &[("phone", "13800000003"), ("unit", "370103")]).await;

    let member = Person::new(&server);
    member.register("13900000001", "夏国子", "37010201").await;
    let apply = |form: Vec<(&'static str, &'static str)>| {
        let member = &member;
        async move { member.post("/desk", "/api/newsroom/correspondents/apply", &form).await }
    };
    let (status, html) = apply(application("xia@example.com")).await;
    assert_eq!(status, 403, "certification first");
    assert!(html.contains("成为信息员需先完成实名认证"), "{html}");

    let roster = "unit_code,member_no,name,gender,birth_date,id_number,phone\n37010201,GH9,夏国子,男,1965-08-29,370103196508295838,\n";
    let (_, preview) = admin.upload("/admin/roster", "/api/admin/roster/preview", roster.as_bytes().to_vec()).await;
    let at = preview.find(r#"name="token" value=""#).unwrap() + r#"name="token" value=""#.len();
    admin.post("/admin/roster", "/api/admin/roster/confirm", &[("token", &preview[at..at + 32])]).await;
    let certified =
        member.post("/certify", "/api/me/certify", &[("name", "夏国子"), ("id_number", "370103196508295838")]).await;
    assert_eq!(certified.0, 303);
    assert!(member.get("/me").await.1.contains("信息员：报送本单位的新闻"), "我的 leads to the desk");

    // Each mistake next to its field; what was typed is kept; nothing saved.
    let (status, html) = apply(application("not-an-email")).await;
    assert_eq!((status, message(&html, "email").as_str()), (400, "请填写有效的电子邮箱，例如 name@example.com"));
    assert!(html.contains(r#"value="宣传委员""#), "typed values kept");
    let mut no_gender = application("xia@example.com");
    no_gender[1] = ("gender", "");
    assert_eq!(apply(no_gender).await.0, 400);
    let mut future = application("xia@example.com");
    future[2] = ("birth_month", "2999-01");
    let (status, html) = apply(future).await;
    assert_eq!((status, message(&html, "birth_month").as_str()), (400, "请选择出生年月，例如 1985-06"));
    assert!(elsewhere.get("/admin/correspondents").await.1.contains("没有待审核的信息员登记表"));
    assert!(admin.get("/admin/correspondents").await.1.contains("没有待审核的信息员登记表"), "nothing was saved");

    let (status, html) = apply(application("xia@example.com")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("登记表已提交，正在等待所在工会审核"), "{html}");
    assert_eq!(apply(application("xia@example.com")).await.0, 409, "one application at a time");

    // The official outside the unit's tree sees nothing and decides nothing.
    let (_, list) = admin.get("/admin/correspondents").await;
    let start = list.find(r#"id="correspondent-"#).expect("the application") + r#"id="correspondent-"#.len();
    let id: String = list[start..].chars().take_while(char::is_ascii_digit).collect();
    assert!(list.contains("3701**********5838") && !list.contains("370103196508295838"), "the ID number is masked");
    assert!(!elsewhere.get("/admin/correspondents").await.1.contains("夏国子"));
    let (status, _) =
        elsewhere.post("/admin/correspondents", "/api/admin/correspondents/approve", &[("id", &id)]).await;
    assert_eq!(status, 404);

    // A refusal needs a reason; then the official of the unit's tree approves.
    let (status, html) =
        admin.post("/admin/correspondents", "/api/admin/correspondents/refuse", &[("id", &id), ("reason", "")]).await;
    assert_eq!(status, 400);
    assert!(html.contains("请填写不通过的原因"), "{html}");
    let (status, html) = admin.post("/admin/correspondents", "/api/admin/correspondents/approve", &[("id", &id)]).await;
    assert_eq!(status, 200);
    assert!(html.contains("已通过，该会员成为信息员"), "{html}");
    assert!(member.get("/desk").await.1.contains("您是历下区机械厂工会的信息员。"));
    let (status, _) = admin.post("/admin/correspondents", "/api/admin/correspondents/approve", &[("id", &id)]).await;
    assert_eq!(status, 404, "decided once");
}
