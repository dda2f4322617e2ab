//! Several server processes on one PostgreSQL database, as behind a load
//! balancer: nothing that matters is held in one process only. (SQLite runs
//! one process per database, so these are PostgreSQL's alone.)

use std::time::{Duration, Instant};

use crate::roster::{generated_roster, super_admin, token_in, upload};
use crate::support::{Person, RunningServer, PASSWORD};
use store::testing::TestDb;

mod postgres {
    #[tokio::test]
    async fn signing_out_everywhere_through_one_process_ends_the_session_in_the_other_within_a_second() {
        let Some(db) = store::testing::TestDb::postgres().await else { return };
        super::signing_out_everywhere_through_one_process_ends_the_session_in_the_other_within_a_second(db).await
    }

    #[tokio::test]
    async fn an_import_started_through_one_process_shows_its_progress_through_the_other() {
        let Some(db) = store::testing::TestDb::postgres().await else { return };
        super::an_import_started_through_one_process_shows_its_progress_through_the_other(db).await
    }
}

fn signed_in(me_page: &str) -> bool {
    !me_page.contains("登录后可查看会员信息")
}

async fn signing_out_everywhere_through_one_process_ends_the_session_in_the_other_within_a_second(db: TestDb) {
    let (a, b) = (RunningServer::start(db.url(), &[]), RunningServer::start(db.url(), &[]));
    // The member's phone signs in through A, their computer through B.
    let phone = Person::new(&a);
    phone.register("13700000001", "张会员", "37010201").await;
    let computer = Person::new(&b);
    let (status, _) =
        computer.post("/login", "/api/auth/login", &[("phone", "13700000001"), ("password", PASSWORD)]).await;
    assert_eq!(status, 303);
    // B has found the computer's session current (and keeps that for 10 s).
    assert!(signed_in(&computer.get("/me").await.1));
    assert!(signed_in(&computer.get("/me").await.1));

    let (status, location) = phone.post_for_location("/me", "/api/auth/logout-everywhere", &[]).await;
    assert_eq!((status, location.as_str()), (303, "/"));
    let signed_out_at = Instant::now();
    assert!(!signed_in(&phone.get("/me").await.1), "the phone itself is signed out");

    loop {
        if !signed_in(&computer.get("/me").await.1) {
            break;
        }
        assert!(
            signed_out_at.elapsed() < Duration::from_secs(1),
            "process B still accepts the computer's cookie a second after 退出所有设备 through A"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // And it stays refused (no cached copy comes back).
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!signed_in(&computer.get("/me").await.1));
}

async fn an_import_started_through_one_process_shows_its_progress_through_the_other(db: TestDb) {
    let (a, b) = (RunningServer::start(db.url(), &[]), RunningServer::start(db.url(), &[]));
    let admin_via_a = super_admin(&a, &db).await;
    // The same browser (its cookies), its next request routed to B.
    let admin_via_b = Person { http: admin_via_a.http.clone(), base: b.base.clone() };
    let (status, preview) = upload(&admin_via_a, generated_roster(3000).into_bytes()).await;
    assert_eq!(status, 200, "{preview}");
    let response = crate::support::form_post(&admin_via_a.http, &a.base, "/admin/roster", "/api/admin/roster/confirm")
        .form(&[("token", &token_in(&preview))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let job_page = response.headers()["location"].to_str().unwrap().to_owned();

    let started = Instant::now();
    let finished = loop {
        let (status, html) = admin_via_b.get(&job_page).await;
        assert_eq!(status, 200);
        assert!(!html.contains("没有找到这次导入"), "B does not know the import A runs: {html}");
        if !html.contains("正在导入：已处理") {
            break html;
        }
        assert!(html.contains("<progress"), "{html}");
        assert!(started.elapsed() < Duration::from_secs(60), "still importing after a minute");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(finished.contains("名册导入完成：新增 3000 人，更新 0 人。"), "{finished}");
}
