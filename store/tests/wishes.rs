//! 微心愿 on SQLite and PostgreSQL: one donor per wish, whichever pool
//! (server process) claims first; only approved wishes can be claimed.

use domain::member::{MemberName, Phone};
use domain::UnitCode;
use store::testing::TestDb;
use store::{NewWish, Store};

store::on_both_engines!(fifty_donors_claiming_one_wish_at_once_through_two_pools_leave_one_donor,);

const NOW: i64 = 1_796_176_800;

async fn fifty_donors_claiming_one_wish_at_once_through_two_pools_leave_one_donor(db: TestDb) {
    let store = db.store().clone();
    let tree = store::testing::unit_tree(&[("37", "", "山东省总工会", "province")]);
    store.import_units(&tree).await.unwrap();
    let mut members = Vec::new();
    for i in 0..52 {
        let phone = Phone::parse(&format!("139{i:08}")).unwrap();
        let unit = UnitCode::parse("37").unwrap();
        members
            .push(store.insert_member(&phone, &MemberName::parse("会员丙").unwrap(), &unit, "x", NOW).await.unwrap());
    }
    store.make_super_admin(&Phone::parse("13900000000").unwrap()).await.unwrap();
    let admin = store.actor(members[0]).await.unwrap();
    let new = NewWish {
        unit_id: 1,
        member: members[1],
        posted_by: members[1],
        title: "新书包",
        reason: "孩子的书包破了。",
        value_yuan: 120,
    };
    let wish = store.post_wish(&new, NOW).await.unwrap();
    assert!(!store.claim_wish(wish, Some(members[2]), "甲", members[2], NOW).await.unwrap(), "not before approval");
    assert!(store.review_wish(&admin, wish, true, "", NOW).await.unwrap());

    let other = Store::connect(db.url(), &Default::default()).await.unwrap();
    let mut tasks = Vec::new();
    for (i, donor) in members[2..].iter().copied().enumerate() {
        let store = if i % 2 == 0 { store.clone() } else { other.clone() };
        tasks.push(tokio::spawn(async move { store.claim_wish(wish, Some(donor), "乙", donor, NOW).await.unwrap() }));
    }
    let mut won = 0;
    for task in tasks {
        won += usize::from(task.await.unwrap());
    }
    assert_eq!(won, 1, "exactly one donor");
    let found = store.wish(wish).await.unwrap().unwrap();
    assert!(found.donor_member_id.is_some() && found.claimed_at == Some(NOW));
    assert!(!store.confirm_wish(&admin, wish, NOW).await.unwrap(), "no confirmation without its photo");
    other.close().await;
}
