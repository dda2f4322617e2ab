//! 信箱 over HTTP without JavaScript: a member writes to a union on their
//! path, due on the working-day calendar (with a 调休 day an official adds);
//! the letter is transferred up, answered, published with the personal
//! details out, and rated; an overdue letter rises to the unit above;
//! lawyers, photos and who may do what, as a matrix.

use crate::support::{date_in_days, make_admin, png, Person, RunningServer};
use domain::working_days::{WorkCalendar, SCHEDULE_2026};
use domain::CivilDate;
use store::testing::TestDb;

on_both_engines_with_db!(
    a_letter_is_transferred_up_answered_published_and_rated_on_a_working_day_deadline,
    who_may_read_handle_and_assign_a_letter_is_a_matrix,
    the_demo_has_a_public_answer_and_an_overdue_letter,
);

const BODY: &str =
    "我是张伟，电话13912345678。公司已经三个月没有发工资了，欠薪的事找过车间主任也没有结果，想请工会帮忙。";

/// The super admin, officials of 历下 (13700000001), 济南 (13700000003) and
/// 临沂 (13700000002), and members of 历下区机械厂 (13600000001 张伟) and
/// 临沂 (13600000002).
async fn people(server: &RunningServer, db: &TestDb) -> (Person, [Person; 3], [Person; 2]) {
    let admin = Person::new(server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let mut officials = Vec::new();
    for (phone, name, unit) in
        [("13700000001", "李历下", "370102"), ("13700000003", "赵济南", "370100"), ("13700000002", "周临沂", "371300")]
    {
        let person = Person::new(server);
        person.register(phone, name, unit).await;
        let (status, html) = admin.post("/admin", "/api/admin/officials", &[("phone", phone), ("unit", unit)]).await;
        assert!(status == 200 || status == 303, "{html}");
        officials.push(person);
    }
    let mut members = Vec::new();
    for (phone, name, unit) in [("13600000001", "张伟", "37010201"), ("13600000002", "钱临沂", "37131202")] {
        let person = Person::new(server);
        person.register(phone, name, unit).await;
        members.push(person);
    }
    let officials: [Person; 3] = officials.try_into().map_err(|_| ()).unwrap();
    let members: [Person; 2] = members.try_into().map_err(|_| ()).unwrap();
    (admin, officials, members)
}

/// The first Saturday or Sunday after today (Shanghai).
fn next_weekend_day() -> String {
    (1..=7).map(date_in_days).find(|d| CivilDate::parse_iso(d).unwrap().is_weekend()).unwrap()
}

async fn assign(who: &Person, id: &str, phone: &str) -> u16 {
    who.post("/admin/mail", "/api/admin/mail/assign", &[("id", id), ("phone", phone)]).await.0
}

async fn transfer(who: &Person, id: &str, to: &str) -> u16 {
    who.post("/admin/mail", "/api/admin/mail/transfer", &[("id", id), ("to", to), ("note", "请对口单位办理")]).await.0
}

async fn a_letter_is_transferred_up_answered_published_and_rated_on_a_working_day_deadline(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, [lixia, jinan, _], [writer, _]) = people(&server, &db).await;

    // The province keeps the calendar: the coming weekend day becomes a 调休
    // working day.
    let saturday = next_weekend_day();
    let (status, html) = admin
        .post(
            "/admin/mail",
            "/api/admin/mail/calendar",
            &[("day", &saturday), ("working", "1"), ("name", "测试调休上班")],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    let (status, _) = lixia
        .post("/admin/mail", "/api/admin/mail/calendar", &[("day", &saturday), ("working", "0"), ("name", "放假")])
        .await;
    assert_eq!(status, 403, "a district official does not keep the national calendar");
    let (_, watch) = admin
        .post(
            "/admin/watchwords",
            "/api/admin/watchwords/set",
            &[("unit", "370100"), ("word", "欠薪"), ("tier", "alert")],
        )
        .await;
    assert!(watch.contains("欠薪"), "{watch}");

    // Bad input: explained next to the field, nothing stored.
    let letter = |subject: &'static str, body: &'static str, unit: &'static str| {
        vec![
            ("kind", "union"),
            ("unit", unit),
            ("subject", subject),
            ("body", body),
            ("anonymous", "1"),
            ("consent", "1"),
        ]
    };
    let (status, html) = writer.post("/services/mail", "/api/mail/write", &letter("欠薪", BODY, "370102")).await;
    assert_eq!(status, 400);
    assert!(html.contains("标题请写 4 到 40 个字"), "{html}");
    let (status, html) =
        writer.post("/services/mail", "/api/mail/write", &letter("单位拖欠工资", BODY, "371300")).await;
    assert_eq!(status, 400, "临沂 is not on the writer's path");
    assert!(html.contains("请选择您所在的工会或它的上级工会"));
    assert_eq!(
        Person::new(&server).post("/services/mail", "/api/mail/write", &letter("单位拖欠工资", BODY, "370102")).await.0,
        401
    );

    let (status, location) =
        writer.post_for_location("/services/mail", "/api/mail/write", &letter("单位拖欠工资", BODY, "370102")).await;
    assert_eq!(status, 303, "{location}");
    let id = location.rsplit('/').next().unwrap().to_owned();
    let (_, page) = writer.get(&location).await;
    let today = CivilDate::parse_iso(&date_in_days(0)).unwrap();
    let calendar = WorkCalendar::new(
        SCHEDULE_2026
            .iter()
            .map(|(d, w, _)| (CivilDate::parse_iso(d).unwrap(), *w))
            .chain([(CivilDate::parse_iso(&saturday).unwrap(), true)]),
    );
    let due = calendar.deadline(today, 5).iso();
    assert!(page.contains(&format!("答复期限 {due}")), "5 working days, the 调休 Saturday counted: {due}");
    if !today.is_weekend() {
        // From a weekday the 5 working days span the weekend (written on a
        // weekend they are Monday to Friday, and the day changes nothing).
        assert!(WorkCalendar::new([]).deadline(today, 5) > calendar.deadline(today, 5), "the 调休 day counted");
    }
    assert!(page.contains("来信送达历下区总工会"));

    // Watched words: a 舆情 alert for the list's unit, flagged to handlers.
    let (_, alerts) = admin.get("/admin/watchwords?unit=370100").await;
    assert!(alerts.contains(&format!("<td>{}</td><td>欠薪</td>", today.iso())), "{alerts}");
    let (_, desk) = lixia.get("/admin/mail").await;
    assert!(desk.contains("单位拖欠工资") && desk.contains("关注词：欠薪"), "{desk}");
    let (_, upper) = jinan.get("/admin/mail").await;
    assert!(!upper.contains("单位拖欠工资"), "not the city's business while on time");

    // 历下 sends it up to 济南 with a note; it is no longer 历下's to answer.
    let (status, html) =
        lixia.post(&location, "/api/admin/mail/transfer", &[("id", &id), ("to", "370100"), ("note", "")]).await;
    assert_eq!(status, 400);
    assert!(html.contains("请写明转办原因"));
    let (status, html) = lixia
        .post(
            &location,
            "/api/admin/mail/transfer",
            &[("id", &id), ("to", "370100"), ("note", "涉及全市欠薪治理，请市总工会办理")],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("已转办至济南市总工会"));
    let answer = [("id", id.as_str()), ("answer", "市总工会已联系劳动监察部门，督促企业本月底前补发工资。")];
    assert_eq!(lixia.post(&location, "/api/admin/mail/answer", &answer).await.0, 404, "no longer 历下's");

    // 济南 answers and publishes, the writer's name and phone taken out.
    let (_, handling) = jinan.get(&location).await;
    assert!(handling.contains("我是某会员，电话＊＊＊"), "the public question is prefilled redacted");
    assert!(handling.contains("历下区总工会转办至济南市总工会") && handling.contains("涉及全市欠薪治理"));
    let mut publish = answer.to_vec();
    publish.extend([("publish", "1"), ("public_question", BODY)]);
    let (status, html) = jinan.post(&location, "/api/admin/mail/answer", &publish).await;
    assert_eq!(status, 400);
    assert!(html.contains("公开的问题里还有姓名或号码"), "{html}");
    let public = "我是某会员。公司已经三个月没有发工资了，欠薪的事找过车间主任也没有结果，想请工会帮忙。";
    publish.pop();
    publish.push(("public_question", public));
    let (status, html) = jinan.post(&location, "/api/admin/mail/answer", &publish).await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(jinan.post(&location, "/api/admin/mail/answer", &answer).await.0, 409, "answered once");

    let (_, faq) = Person::new(&server).get("/services/faq?kind=union").await;
    assert!(faq.contains(public) && faq.contains("督促企业本月底前补发工资"), "{faq}");
    assert!(faq.contains("匿名会员") && !faq.contains("张伟") && !faq.contains("13912345678"));

    // The writer rates it once.
    let (status, html) = writer.post(&location, "/api/mail/rate", &[("id", &id), ("rating", "5")]).await;
    assert_eq!(status, 400);
    assert!(html.contains("请选择满意、基本满意或不满意"));
    assert_eq!(writer.post(&location, "/api/mail/rate", &[("id", &id), ("rating", "1")]).await.0, 200);
    assert_eq!(writer.post(&location, "/api/mail/rate", &[("id", &id), ("rating", "3")]).await.0, 409);
    let (_, mine) = writer.get("/services/mail").await;
    assert!(mine.contains("已答复 · 满意"), "{mine}");
    let (_, audit) = admin.get("/admin").await;
    assert!(audit.contains("转办来信") && audit.contains("答复来信") && audit.contains("修改工作日历"));

    // A letter not answered by its deadline rises to the unit above.
    let (_, late) = writer
        .post_for_location(
            "/services/mail",
            "/api/mail/write",
            &[
                ("kind", "suggestion"),
                ("unit", "370102"),
                ("subject", "建议增开职工书屋"),
                ("body", "希望周末也开放职工书屋，方便倒班的职工。"),
            ],
        )
        .await;
    let late_id = late.rsplit('/').next().unwrap();
    db.execute_raw(&format!("UPDATE letters SET deadline = '{}' WHERE id = {late_id}", date_in_days(-10)))
        .await
        .unwrap();
    let (_, desk) = lixia.get("/admin/mail").await;
    assert!(desk.contains("建议增开职工书屋") && desk.contains("已逾期"), "{desk}");
    let (_, upper) = jinan.get("/admin/mail").await;
    assert!(upper.contains("逾期督办") && upper.contains("建议增开职工书屋"), "{upper}");
}

async fn who_may_read_handle_and_assign_a_letter_is_a_matrix(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, [lixia, jinan, linyi], [writer, other]) = people(&server, &db).await;
    let lawyer = Person::new(&server);
    lawyer.register("13500000001", "孙律师", "370102").await;
    assert_eq!(lawyer.get("/admin/mail").await.0, 403, "not yet a handler");
    let (status, _) =
        linyi.post("/admin/mail", "/api/admin/mail/lawyer", &[("unit", "370102"), ("phone", "13500000001")]).await;
    assert_eq!(status, 409, "历下 is outside 临沂's reach");
    let (status, html) =
        lixia.post("/admin/mail", "/api/admin/mail/lawyer", &[("unit", "370102"), ("phone", "13500000001")]).await;
    assert_eq!(status, 200, "{html}");

    let write = |kind: &'static str, subject: &'static str| {
        vec![
            ("kind", kind),
            ("unit", "370102"),
            ("subject", subject),
            ("body", "劳动合同到期后单位不续签，也不给经济补偿。"),
        ]
    };
    let (_, legal) =
        writer.post_for_location("/services/mail", "/api/mail/write", &write("legal", "合同到期不续签")).await;
    let (_, plain) =
        writer.post_for_location("/services/mail", "/api/mail/write", &write("union", "食堂饭菜涨价")).await;
    let legal_id = legal.rsplit('/').next().unwrap().to_owned();
    let plain_id = plain.rsplit('/').next().unwrap().to_owned();

    // Reading: the writer and the handlers only.
    for (who, path, expected, why) in [
        (&writer, &legal, 200, "the writer"),
        (&lixia, &legal, 200, "an official of the unit"),
        (&jinan, &legal, 200, "an official above"),
        (&admin, &legal, 200, "the super admin"),
        (&lawyer, &legal, 200, "the unit's lawyer, for 律师邮箱"),
        (&lawyer, &plain, 404, "but not 工会信箱"),
        (&linyi, &legal, 404, "an official elsewhere"),
        (&other, &legal, 404, "another member"),
    ] {
        assert_eq!(who.get(path).await.0, expected, "{why}");
    }
    assert_eq!(Person::new(&server).get(&legal).await.0, 401, "signed out");

    // Photos: the writer attaches up to 3; they are as private as the letter.
    for n in 1..=3 {
        let (status, html) =
            writer.upload_parts(&legal, "/api/mail/photo", &[("id", &legal_id)], vec![("photo", "p.png", png())]).await;
        assert_eq!(status, 200, "photo {n}: {html}");
    }
    let (status, _) =
        writer.upload_parts(&legal, "/api/mail/photo", &[("id", &legal_id)], vec![("photo", "p.png", png())]).await;
    assert_eq!(status, 409, "a fourth photo");
    let (status, _) =
        other.upload_parts(&legal, "/api/mail/photo", &[("id", &legal_id)], vec![("photo", "p.png", png())]).await;
    assert_eq!(status, 409, "not someone else's letter");
    let photo = format!("{legal}/photo/2");
    assert_eq!(lawyer.get(&photo).await.0, 200);
    assert_eq!(writer.get(&photo).await.0, 200);
    assert_eq!(other.get(&photo).await.0, 404);
    assert_eq!(linyi.get(&photo).await.0, 404);

    // Assigning: by officials over the letter, to someone who may handle it.
    assert_eq!(assign(&linyi, &legal_id, "13500000001").await, 404, "not 临沂's letter");
    assert_eq!(assign(&lawyer, &legal_id, "13500000001").await, 403, "a lawyer does not assign");
    assert_eq!(assign(&lixia, &plain_id, "13500000001").await, 409, "a lawyer takes 律师邮箱 letters only");
    assert_eq!(assign(&lixia, &legal_id, "13700000002").await, 409, "临沂's official cannot handle it");
    assert_eq!(assign(&lixia, &legal_id, "13500000001").await, 200);
    let (_, desk) = lawyer.get("/admin/mail").await;
    assert!(desk.contains("合同到期不续签") && !desk.contains("食堂饭菜涨价"), "{desk}");

    // Transfers: up, or within the reach; never sideways out of it.
    assert_eq!(transfer(&linyi, &plain_id, "371300").await, 404, "not 临沂's letter");
    assert_eq!(transfer(&lixia, &plain_id, "371300").await, 400, "临沂 is neither above nor within 历下");
    assert_eq!(transfer(&lawyer, &plain_id, "370100").await, 404, "a lawyer transfers nothing of 工会信箱");
    assert_eq!(transfer(&lixia, &plain_id, "37010201").await, 200, "down to the grassroots");
    assert_eq!(lixia.get(&plain).await.0, 200, "still in 历下's reach below");

    // The lawyer answers the legal letter; the writer sees it.
    let (status, html) = lawyer
        .post(
            &legal,
            "/api/admin/mail/answer",
            &[("id", &legal_id), ("answer", "依照劳动合同法第四十六条，单位不续签应支付经济补偿。")],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    let (_, page) = writer.get(&legal).await;
    assert!(page.contains("第四十六条") && page.contains("您对答复满意吗"));
    // Deadlines are set per unit within reach.
    let deadline = |unit: &'static str| vec![("unit", unit), ("kind", "legal"), ("days", "10")];
    assert_eq!(linyi.post("/admin/mail", "/api/admin/mail/deadline", &deadline("370102")).await.0, 403);
    assert_eq!(lixia.post("/admin/mail", "/api/admin/mail/deadline", &deadline("370102")).await.0, 200);
    let (status, html) = lixia
        .post("/admin/mail", "/api/admin/mail/deadline", &[("unit", "370102"), ("kind", "legal"), ("days", "99")])
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("办理时限请填 1 到 30 个工作日"));
    let (_, again) =
        writer.post_for_location("/services/mail", "/api/mail/write", &write("legal", "加班费怎么算")).await;
    let (_, page) = writer.get(&again).await;
    let due = WorkCalendar::new(SCHEDULE_2026.iter().map(|(d, w, _)| (CivilDate::parse_iso(d).unwrap(), *w)))
        .deadline(CivilDate::parse_iso(&date_in_days(0)).unwrap(), 10)
        .iso();
    assert!(page.contains(&format!("答复期限 {due}")), "the unit's 10 working days: {due}");
}

async fn the_demo_has_a_public_answer_and_an_overdue_letter(db: TestDb) {
    let server = RunningServer::start(db.url(), &[("GONGHUI_DEMO_PEOPLE", "true")]);
    let (_, faq) = Person::new(&server).get("/services/faq").await;
    assert!(faq.contains("周末加班费怎么计算") || faq.contains("单位说可以调休不给加班费"), "{faq}");
    assert!(faq.contains("律师邮箱") && faq.contains("匿名会员"));
    let admin = Person::new(&server);
    let (status, _) = admin
        .post("/login", "/api/auth/login", &[("phone", "13800000000"), ("password", server::demo::DEMO_PASSWORD)])
        .await;
    assert_eq!(status, 303);
    let (_, desk) = admin.get("/admin/mail").await;
    assert!(desk.contains("单位拖欠两个月工资") && desk.contains("已逾期"), "{desk}");
    assert!(desk.contains("国庆节调休上班"), "the calendar is seeded");
}
