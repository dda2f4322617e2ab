//! Running a campaign: an official creates it for their subtree (every bad
//! field explained, nothing created), nominates a candidate (the story's
//! script removed), a certified member signs up and is approved; voting has
//! not started yet. SQLite and PostgreSQL.

use crate::support::{date_in_days, make_admin, CampaignForm, Person, RunningServer};
use store::testing::TestDb;

async fn campaigns(db: &TestDb) -> i64 {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap();
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM campaigns").fetch_one(&mut conn).await.unwrap();
    n
}

on_both_engines_with_db!(@more an_official_runs_a_campaign_from_creation_to_approved_sign_ups);

async fn an_official_runs_a_campaign_from_creation_to_approved_sign_ups(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let official = Person::new(&server);
    official.register("13800000002", "李区长", "37010202").await;
    admin.post("/admin", "/api/admin/officials", &[("phone", "13800000002"), ("unit", "370102")]).await;

    let good = CampaignForm::lixia("lixia-2026")
        .with("title", "历下区最美职工评选")
        .with("voter_rule", "certified_in_subtree");
    for (name, value, status, message) in [
        ("title", "", 400, "请填写活动名称"),
        ("unit", "370103", 403, "只能为本单位及下级单位创建投票活动"),
        ("slug", "Bad Slug", 400, "链接名应为 3–40 个小写字母、数字或“-”"),
        ("slug", "qilu-gongjiang-2026", 409, "这个链接名已被其他活动使用"),
        ("voting_starts", "2026-02-30", 400, "请选择投票开始日期"),
        ("votes_per_candidate", "9", 400, "每位候选人每天票数不能多于每天票数"),
        ("expert_weight_pct", "101", 400, "专家评分权重应为 0–100 的整数"),
    ] {
        let form = CampaignForm::lixia("lixia-2026").with("voter_rule", "certified_in_subtree").with(name, value);
        let (got, html) = official.post("/admin/campaigns/new", "/api/admin/campaigns/new", &form.fields()).await;
        assert_eq!(got, status, "{name}={value}");
        assert!(html.contains(message), "{name}={value}: {message}");
    }
    let early = CampaignForm::lixia("lixia-2026").with("publicity_starts", &date_in_days(7));
    let (status, html) = official.post("/admin/campaigns/new", "/api/admin/campaigns/new", &early.fields()).await;
    assert_eq!(status, 400);
    assert!(html.contains("日期应依次为"), "{html}");
    assert_eq!(campaigns(&db).await, 1, "only the demo campaign");

    let (status, _) = official.post("/admin/campaigns/new", "/api/admin/campaigns/new", &good.fields()).await;
    assert_eq!(status, 303);
    assert_eq!(campaigns(&db).await, 2);
    let page = "/admin/campaigns/lixia-2026/candidates";

    // A nomination: numbered 01, its story kept without the script.
    let story = "<p>二十年坚守<b>一线</b></p><script>alert('刷票')</script>";
    let (status, html) = official
        .post(
            page,
            "/api/admin/campaigns/nominate",
            &[("slug", "lixia-2026"), ("name", "赵师傅"), ("unit", "37010203"), ("title", "电工"), ("story", story)],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("已提名 01 号候选人 赵师傅"));
    let (_, public) = Person::new(&server).get("/v/lixia-2026/1").await;
    assert!(public.contains("<p>二十年坚守<b>一线</b></p>") && !public.contains("alert("), "{public}");

    // A photo for the candidate: judged by its content; then on the page and in its link preview.
    let (_, html) = official.get(page).await;
    let photo_form = &html[html.find(r#"action="/api/admin/campaigns/photo"#).expect("a photo form")..];
    let start = photo_form.find(r#"name="id" value=""#).unwrap() + r#"name="id" value=""#.len();
    let candidate_id: String = photo_form[start..].chars().take_while(char::is_ascii_digit).collect();
    let send = |bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("slug", "lixia-2026")
            .text("id", candidate_id.clone())
            .part("photo", reqwest::multipart::Part::bytes(bytes).file_name("a.png"));
        crate::support::form_post(&official.http, &server.base, page, "/api/admin/campaigns/photo")
            .multipart(form)
            .send()
    };
    let refused = send(b"<html>not a picture</html>".to_vec()).await.unwrap();
    assert_eq!(refused.status().as_u16(), 415);
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend([1u8; 100]);
    let done = send(png.clone()).await.unwrap();
    assert_eq!(done.status().as_u16(), 200);
    assert!(done.text().await.unwrap().contains("已上传赵师傅 的照片"));
    let (_, public) = Person::new(&server).get("/v/lixia-2026/1").await;
    let src_at =
        public.find(r#"<img src="/media/candidate/"#).unwrap_or_else(|| panic!("the photo on the page: {public}"))
            + r#"<img src=""#.len();
    let src: String = public[src_at..].chars().take_while(|c| *c != '"').collect();
    assert!(public.contains(&format!(r#"property="og:image" content="{}{src}""#, server.base)), "{public}");
    let served = Person::new(&server).http.get(server.url(&src.replace("&amp;", "&"))).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.bytes().await.unwrap().to_vec(), png);

    // Sign-ups need certification; one per member; an official numbers it on approval.
    let member = Person::new(&server);
    member.register("13900000001", "夏国子", "37010201").await;
    let (status, html) = member
        .post(
            "/v/lixia-2026",
            "/api/campaigns/signup",
            &[("slug", "lixia-2026"), ("title", "钳工"), ("story", "三十年如一日")],
        )
        .await;
    assert_eq!(status, 403);
    assert!(html.contains("报名参选需先完成实名认证"));
    let roster = "unit_code,member_no,name,gender,birth_date,id_number,phone\n37010201,GH9,夏国子,男,1965-08-29,370103196508295838,\n";
    let (_, preview) = official.upload("/admin/roster", "/api/admin/roster/preview", roster.as_bytes().to_vec()).await;
    let at = preview.find(r#"name="token" value=""#).unwrap() + r#"name="token" value=""#.len();
    official.post("/admin/roster", "/api/admin/roster/confirm", &[("token", &preview[at..at + 32])]).await;
    assert_eq!(
        member.post("/certify", "/api/me/certify", &[("name", "夏国子"), ("id_number", "370103196508295838")]).await.0,
        303
    );
    let (status, html) = member
        .post("/v/lixia-2026", "/api/campaigns/signup", &[("slug", "lixia-2026"), ("title", "钳工"), ("story", "")])
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("请填写事迹简介"));
    let (status, html) = member
        .post(
            "/v/lixia-2026",
            "/api/campaigns/signup",
            &[("slug", "lixia-2026"), ("title", "钳工"), ("story", "三十年如一日\n带出徒弟四十人")],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("报名已提交"));
    assert_eq!(
        member
            .post(
                "/v/lixia-2026",
                "/api/campaigns/signup",
                &[("slug", "lixia-2026"), ("title", "钳工"), ("story", "再报一次")]
            )
            .await
            .0,
        409
    );

    let (_, html) = official.get(page).await;
    assert!(html.contains("待审核") && html.contains("<p>三十年如一日</p><p>带出徒弟四十人</p>"), "{html}");
    let form = &html[html.find(r#"action="/api/admin/campaigns/signups/approve"#).expect("an approve form")..];
    let start = form.find(r#"name="id" value=""#).unwrap() + r#"name="id" value=""#.len();
    let id: String = form[start..].chars().take_while(char::is_ascii_digit).collect();
    let (status, html) =
        official.post(page, "/api/admin/campaigns/signups/approve", &[("slug", "lixia-2026"), ("id", &id)]).await;
    assert_eq!(status, 200);
    assert!(html.contains("已通过报名"));
    assert_eq!(
        official.post(page, "/api/admin/campaigns/signups/approve", &[("slug", "lixia-2026"), ("id", &id)]).await.0,
        404
    );
    let (status, public) = Person::new(&server).get("/v/lixia-2026/2").await;
    assert_eq!(status, 200);
    assert!(public.contains("夏国子"));

    // Voting opens in two weeks.
    let response = member
        .http
        .post(server.url("/api/vote"))
        .header("Origin", server.base.clone())
        .form(&[("campaign", "lixia-2026"), ("number", "2"), ("key", "early-key-0001")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["Rejected"]["message"].as_str().unwrap().starts_with("投票尚未开始"), "{body}");
    // Outside the district the campaign's management is closed.
    let stranger = Person::new(&server);
    stranger.register("13800000003", "赵区长", "37010301").await;
    admin.post("/admin", "/api/admin/officials", &[("phone", "13800000003"), ("unit", "370103")]).await;
    assert_eq!(stranger.get(page).await.0, 403);
}
