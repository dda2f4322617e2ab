//! Activities on SQLite and PostgreSQL: a session never holds more than its
//! capacity, whichever pool (server process) signs up; the waiting list
//! moves up when someone cancels; a check-in counts once.

use domain::member::{MemberName, Phone};
use domain::UnitCode;
use store::testing::TestDb;
use store::{Actor, CheckIn, MemberId, NewActivity, NewSession, SignUpOutcome, Store};

store::on_both_engines!(
    sign_ups_beyond_the_capacity_wait_in_line_and_move_up_when_someone_cancels,
    concurrent_sign_ups_and_cancellations_from_two_pools_never_overfill_a_session,
    the_database_refuses_a_seat_beyond_the_capacity_and_a_second_check_in,
);

const NOW: i64 = 1_796_176_800; // 2026-12-02 10:00 in Shanghai

/// `count` members of 临沂; member 0 a super admin; a session of
/// `capacity` seats three days ahead. Answers the members, the admin and
/// the session.
async fn seed(store: &Store, count: usize, capacity: i32) -> (Vec<MemberId>, Actor, i64) {
    let tree =
        store::testing::unit_tree(&[("37", "", "山东省总工会", "province"), ("3713", "37", "临沂市总工会", "city")]);
    store.import_units(&tree).await.expect("units");
    let mut members = Vec::with_capacity(count);
    for i in 0..count {
        let phone = Phone::parse(&format!("139{i:08}")).expect("phone");
        let name = MemberName::parse("会员乙").expect("name");
        let unit = UnitCode::parse("3713").expect("code");
        members.push(store.insert_member(&phone, &name, &unit, "not-a-real-hash", NOW).await.expect("member"));
    }
    store.make_super_admin(&Phone::parse("13900000000").unwrap()).await.unwrap();
    let admin = store.actor(members[0]).await.unwrap();
    let (_, session) = store
        .create_activity(
            &admin,
            &NewActivity {
                unit_code: "3713",
                title: "职工1元观影",
                description: "周末观影。",
                kind: "cinema",
                member_since: None,
            },
            &NewSession {
                place: "万达影城 3 号厅",
                starts_at: NOW + 3 * 86_400,
                ends_at: NOW + 3 * 86_400 + 7200,
                capacity,
                signup_opens: NOW - 86_400,
                signup_closes: NOW + 2 * 86_400,
            },
            NOW,
        )
        .await
        .unwrap()
        .expect("in a super admin's reach");
    (members, admin, session)
}

async fn sign_ups_beyond_the_capacity_wait_in_line_and_move_up_when_someone_cancels(db: TestDb) {
    let store = db.store();
    let (m, _, session) = seed(store, 6, 2).await;
    let mut ids = Vec::new();
    for member in &m[1..5] {
        ids.push(store.sign_up_session(session, *member, 2, NOW).await.unwrap());
    }
    let id = |o: &SignUpOutcome| match o {
        SignUpOutcome::Confirmed(id) | SignUpOutcome::Waiting(id, _) | SignUpOutcome::Already(id) => *id,
    };
    assert!(matches!(ids[0], SignUpOutcome::Confirmed(_)) && matches!(ids[1], SignUpOutcome::Confirmed(_)));
    assert!(matches!(ids[2], SignUpOutcome::Waiting(_, 0)), "first in line: {:?}", ids[2]);
    assert!(matches!(ids[3], SignUpOutcome::Waiting(_, 1)), "second in line: {:?}", ids[3]);
    assert_eq!(store.sign_up_session(session, m[1], 2, NOW).await.unwrap(), SignUpOutcome::Already(id(&ids[0])));

    // The first seat-holder cancels: the first in line takes the seat.
    let (cancelled, promoted) = store.cancel_signup(id(&ids[0]), m[1], NOW + 60).await.unwrap();
    assert!(cancelled);
    assert_eq!(promoted, Some(id(&ids[2])));
    let moved = store.signup(id(&ids[2])).await.unwrap().unwrap();
    assert_eq!((moved.status.as_str(), moved.seat, moved.promoted_at), ("confirmed", Some(1), Some(NOW + 60)));
    assert_eq!(store.waiting_ahead(id(&ids[3])).await.unwrap(), 0, "the second is now first in line");

    // Someone in line cancels: nobody moves up; the one who left may come back, at the end.
    assert_eq!(store.cancel_signup(id(&ids[3]), m[4], NOW + 120).await.unwrap(), (true, None));
    assert_eq!(store.cancel_signup(id(&ids[3]), m[4], NOW + 130).await.unwrap(), (false, None), "once");
    let back = store.sign_up_session(session, m[1], 2, NOW + 180).await.unwrap();
    assert!(matches!(back, SignUpOutcome::Waiting(_, 0)), "{back:?}");
    let s = store.activity_session(session).await.unwrap().unwrap();
    assert_eq!((s.confirmed, s.waiting), (2, 1));
}

async fn concurrent_sign_ups_and_cancellations_from_two_pools_never_overfill_a_session(db: TestDb) {
    let store = db.store().clone();
    let (m, _, session) = seed(&store, 301, 50).await;
    let other = Store::connect(db.url(), &Default::default()).await.unwrap();
    let mut tasks = Vec::new();
    for (i, member) in m[1..].iter().copied().enumerate() {
        let store = if i % 2 == 0 { store.clone() } else { other.clone() };
        tasks
            .push(tokio::spawn(async move { (member, store.sign_up_session(session, member, 2, NOW).await.unwrap()) }));
    }
    let mut confirmed = Vec::new();
    for task in tasks {
        if let (member, SignUpOutcome::Confirmed(id)) = task.await.unwrap() {
            confirmed.push((member, id));
        }
    }
    assert_eq!(confirmed.len(), 50, "exactly the capacity got seats");
    let s = store.activity_session(session).await.unwrap().unwrap();
    assert_eq!((s.confirmed, s.waiting), (50, 250));

    // Twenty seat-holders cancel at once through both pools: twenty move up.
    let mut tasks = Vec::new();
    for (i, (member, id)) in confirmed.iter().copied().take(20).enumerate() {
        let store = if i % 2 == 0 { store.clone() } else { other.clone() };
        tasks.push(tokio::spawn(async move { store.cancel_signup(id, member, NOW + 60).await.unwrap() }));
    }
    let mut promoted = 0;
    for task in tasks {
        promoted += usize::from(task.await.unwrap().1.is_some());
    }
    assert_eq!(promoted, 20);
    let s = store.activity_session(session).await.unwrap().unwrap();
    assert_eq!((s.confirmed, s.waiting), (50, 230), "the seats stayed full, the line shorter by twenty");
    other.close().await;
}

async fn the_database_refuses_a_seat_beyond_the_capacity_and_a_second_check_in(db: TestDb) {
    let store = db.store();
    let (m, admin, session) = seed(store, 3, 1).await;
    let SignUpOutcome::Confirmed(seat) = store.sign_up_session(session, m[1], 2, NOW).await.unwrap() else {
        panic!("the one seat")
    };
    let SignUpOutcome::Waiting(waiting, 0) = store.sign_up_session(session, m[2], 2, NOW).await.unwrap() else {
        panic!("in line")
    };
    let beyond = db
        .execute_raw(&format!("UPDATE activity_signups SET status = 'confirmed', seat = 2 WHERE id = {waiting}"))
        .await;
    assert!(beyond.is_err(), "a second seat in a one-seat session is refused by the database");

    let first = store.check_in(&admin, seat, session, NOW + 3 * 86_400).await.unwrap();
    assert!(matches!(first, CheckIn::Done(ref g) if g.checked_in_at == Some(NOW + 3 * 86_400)), "{first:?}");
    let again = store.check_in(&admin, seat, session, NOW + 3 * 86_400 + 60).await.unwrap();
    assert_eq!(again, CheckIn::Already(NOW + 3 * 86_400), "synced twice, counted once");
    assert_eq!(store.check_in(&admin, waiting, session, NOW).await.unwrap(), CheckIn::NoSeat);
    let overwrite =
        db.execute_raw(&format!("UPDATE activity_signups SET checked_in_at = {} WHERE id = {seat}", NOW + 999)).await;
    assert!(overwrite.is_err(), "the first check-in's time stays");
    let outsider = Actor { member_id: m[2], is_super_admin: false, units: vec![] };
    assert_eq!(store.check_in(&outsider, seat, session, NOW).await.unwrap(), CheckIn::NotFound, "outside the reach");
}
