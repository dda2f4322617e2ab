//! 学吧 over HTTP without JavaScript: an official opens a course (a bad
//! quiz refused next to its field), a member of the subtree reads the
//! lesson, answers wrong (told which question) then right and passes; the
//! answers never reach the browser; the official sees completion per unit;
//! a member elsewhere cannot open it.

use crate::support::{make_admin, Person, RunningServer};
use store::testing::TestDb;

on_both_engines_with_db!(
    a_member_reads_a_lesson_fails_then_passes_its_quiz_and_the_unit_is_counted,
    a_lesson_plays_audio_from_the_library_its_official_may_use,
);

const QUIZ: &str = "工会会员每月缴纳的会费是本人工资收入的？｜0.5%｜1%｜2%｜1\n\
                    职工累计工作满 1 年不满 10 年的，年休假几天？｜3｜5｜10｜2\n\
                    劳动合同试用期最长不超过几个月？｜3｜6｜12｜2";

async fn a_member_reads_a_lesson_fails_then_passes_its_quiz_and_the_unit_is_counted(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let member = Person::new(&server);
    member.register("13600000001", "赵学员", "37010201").await;
    let elsewhere = Person::new(&server);
    elsewhere.register("13600000002", "孙临沂", "37131202").await;
    let jinan = Person::new(&server);
    jinan.register("13700000001", "李济南", "370100").await;
    admin.post("/admin", "/api/admin/officials", &[("phone", "13700000001"), ("unit", "370100")]).await;

    let course = |quiz: &'static str| {
        vec![
            ("unit", "370100"),
            ("course_title", "职工权益知识"),
            ("summary", "三分钟读懂自己的权益。"),
            ("title", "会费、年休假与试用期"),
            ("body", "**会费**按月缴纳；**年休假**按工龄计算；**试用期**有上限。"),
            ("quiz", quiz),
        ]
    };
    let (status, html) =
        jinan.post("/admin/lessons", "/api/admin/lessons/create", &course("只有一题｜甲｜乙｜1")).await;
    assert_eq!(status, 400);
    let field_at = html.find(r#"name="quiz""#).unwrap();
    assert!(html.find("3 到 5 道题").unwrap() > field_at, "the message follows the quiz field");
    let (status, html) = jinan.post("/admin/lessons", "/api/admin/lessons/create", &course(QUIZ)).await;
    assert_eq!(status, 200, "{html}");

    let courses: serde_json::Value =
        member.http.get(server.url("/api/lessons")).send().await.unwrap().json().await.unwrap();
    let lesson = courses[0]["lessons"][0][0].to_string();
    assert_eq!(courses[0]["lessons"][0][2], "未学");
    let view =
        member.http.get(server.url(&format!("/api/lesson?id={lesson}"))).send().await.unwrap().text().await.unwrap();
    assert!(view.contains("年休假几天") && !view.contains("answer"), "questions without their answers: {view}");
    let (status, _) = elsewhere.get(&format!("/services/lessons/{lesson}")).await;
    assert_eq!(status, 404, "临沂's member is outside 济南's subtree");

    let page = format!("/services/lessons/{lesson}");
    let (status, _) = member.post(&page, "/api/lessons/read", &[("id", &lesson)]).await;
    assert_eq!(status, 200);
    let (status, html) = member
        .post(
            &page,
            "/api/lessons/answer",
            &[("id", &lesson), ("answers[1]", "1"), ("answers[2]", "1"), ("answers[3]", "2")],
        )
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("第 2 题答错了"), "told which question");
    assert!(html.contains(r#"name="answers[2]" value="1" checked"#), "the answers stay chosen");
    let (status, html) = member
        .post(
            &page,
            "/api/lessons/answer",
            &[("id", &lesson), ("answers[1]", "1"), ("answers[2]", "2"), ("answers[3]", "2")],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("全部答对"));
    let (_, list) = member.get("/services/lessons").await;
    assert!(list.contains("已通过 1/1 课"), "progress on 学吧");

    let (_, figures) = jinan.get("/admin/lessons").await;
    let main = crate::publishing::main_of(&figures);
    assert!(main.contains("历下区机械厂工会</td><td>1</td><td>1</td>"), "one learner, one finished: {main}");
    let (_, audit) = admin.get("/admin").await;
    assert!(audit.contains("新建课程") && audit.contains("新增课时"));
}

async fn a_lesson_plays_audio_from_the_library_its_official_may_use(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let jinan = Person::new(&server);
    jinan.register("13700000001", "李济南", "370100").await;
    admin.post("/admin", "/api/admin/officials", &[("phone", "13700000001"), ("unit", "370100")]).await;
    let member = Person::new(&server);
    member.register("13600000001", "赵学员", "37010201").await;
    // The library's files (uploading them is tested in desk.rs): 济南's
    // recorded talk, a photo of 济南, and a talk 临沂 keeps to itself.
    for (token, unit, kind, title) in [
        ("talk-audio-token-0001", "370100", "audio", "律师讲劳动合同"),
        ("jinan-photo-token-0001", "370100", "photo", "书屋照片"),
        ("linyi-audio-token-0001", "371300", "audio", "临沂内部讲座"),
    ] {
        db.execute_raw(&format!(
            "INSERT INTO assets (token, unit_id, kind, title, content_type, size_bytes, blob_key, uploaded_by, created_at) \
             SELECT '{token}', u.id, '{kind}', '{title}', 'audio/mpeg', 1000, 'k/{token}', m.id, 1 \
             FROM units u, members m WHERE u.code = '{unit}' AND m.phone = '13800000001'"
        ))
        .await
        .unwrap();
    }
    let (_, page) = jinan.get("/admin/lessons").await;
    assert!(page.contains("律师讲劳动合同（音频）"), "{page}");
    assert!(!page.contains("书屋照片") && !page.contains("临沂内部讲座"), "audio and video of 济南's library only");

    let course = |media: &'static str| {
        vec![
            ("unit", "370100"),
            ("course_title", "听律师讲合同"),
            ("summary", ""),
            ("title", "劳动合同要点"),
            ("body", "签合同前要看清**期限**、**岗位**和**工资**。"),
            ("quiz", QUIZ),
            ("media", media),
        ]
    };
    let (status, html) =
        jinan.post("/admin/lessons", "/api/admin/lessons/create", &course("linyi-audio-token-0001")).await;
    assert_eq!(status, 400);
    assert!(html.contains("请从素材库里选择音频或视频"), "{html}");
    let (status, html) =
        jinan.post("/admin/lessons", "/api/admin/lessons/create", &course("talk-audio-token-0001")).await;
    assert_eq!(status, 200, "{html}");

    let courses: serde_json::Value =
        member.http.get(server.url("/api/lessons")).send().await.unwrap().json().await.unwrap();
    let lesson = courses[0]["lessons"][0][0].to_string();
    let (_, page) = member.get(&format!("/services/lessons/{lesson}")).await;
    assert!(page.contains(r#"src="/m/talk-audio-token-0001""#) && page.contains("<audio"), "{page}");
}
