//! Benefits on SQLite and PostgreSQL: the quotas and one claim per member
//! hold in the database under concurrent claims from two connection pools
//! (two server processes), and a claim is redeemed once.

use domain::member::{MemberName, Phone};
use domain::UnitCode;
use store::testing::TestDb;
use store::{ClaimRefusal, MemberId, NewBenefit, NewClaim, Redemption, Store};

store::on_both_engines!(
    a_thousand_concurrent_claims_from_two_pools_store_exactly_the_quota,
    a_member_claims_once_per_period_and_the_daily_quota_holds,
    the_database_refuses_a_slot_beyond_the_quota_and_a_second_redemption,
);

const NOW: i64 = 1_796_176_800; // 2026-12-02 10:00 in Shanghai

/// The province and a city; `count` members of the city's union; member 0
/// is a super admin. Answers the members, a partner and a benefit of
/// `quota` (and `per_day`) offered by the province.
async fn seed(store: &Store, count: usize, quota: i32, per_day: Option<i32>) -> (Vec<MemberId>, i64, i64) {
    let tree =
        store::testing::unit_tree(&[("37", "", "山东省总工会", "province"), ("3713", "37", "临沂市总工会", "city")]);
    store.import_units(&tree).await.expect("units");
    let mut members = Vec::with_capacity(count);
    for i in 0..count {
        let phone = Phone::parse(&format!("139{i:08}")).expect("phone");
        let name = MemberName::parse("会员甲").expect("name");
        let unit = UnitCode::parse("3713").expect("code");
        members.push(store.insert_member(&phone, &name, &unit, "not-a-real-hash", NOW).await.expect("member"));
    }
    store.make_super_admin(&Phone::parse("13900000000").unwrap()).await.unwrap();
    let admin = store.actor(members[0]).await.unwrap();
    let partner = store.create_partner(&admin, "37", "好利来临沂店", "haoliyuan", "hash", NOW).await.unwrap().unwrap();
    let benefit = store
        .create_benefit(
            &admin,
            &NewBenefit {
                unit_code: "37",
                title: "生日送蛋糕",
                description: "生日当月领取蛋糕一个。",
                partner_id: partner,
                birthday_month: false,
                member_since: None,
                once_per_year: true,
                quota,
                quota_per_day: per_day,
                opens_at: NOW - 86_400,
                closes_at: NOW + 30 * 86_400,
            },
            NOW,
        )
        .await
        .unwrap()
        .expect("the province is in a super admin's reach");
    (members, partner, benefit)
}

fn claim_of<'a>(benefit: i64, member: MemberId, day: &'a str) -> NewClaim<'a> {
    NewClaim { benefit, member, unit_id: 2, period: 2026, day, now: NOW }
}

async fn a_thousand_concurrent_claims_from_two_pools_store_exactly_the_quota(db: TestDb) {
    let store = db.store().clone();
    let (members, _, benefit) = seed(&store, 1000, 100, None).await;
    // A second pool on the same database: what a second server process holds.
    let other = Store::connect(db.url(), &Default::default()).await.unwrap();

    let mut tasks = Vec::new();
    for (i, member) in members.iter().copied().enumerate() {
        let store = if i % 2 == 0 { store.clone() } else { other.clone() };
        tasks.push(tokio::spawn(async move {
            let claim = NewClaim { benefit, member, unit_id: 2, period: 2026, day: "2026-12-02", now: NOW };
            store.claim_benefit(&claim).await.expect("no store error")
        }));
    }
    let mut acknowledged = Vec::new();
    let mut sold_out = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(id) => acknowledged.push(id),
            Err(ClaimRefusal::SoldOut) => sold_out += 1,
            Err(other) => panic!("unexpected refusal {other:?}"),
        }
    }

    assert_eq!(acknowledged.len(), 100, "exactly the quota was acknowledged");
    assert_eq!(sold_out, 900);
    let benefit = store.benefit(benefit).await.unwrap().unwrap();
    assert_eq!(benefit.claimed, 100, "exactly the quota was stored");
    for id in acknowledged {
        assert!(store.claim(id).await.unwrap().is_some(), "acknowledged claim {id} is stored");
    }
    other.close().await;
}

async fn a_member_claims_once_per_period_and_the_daily_quota_holds(db: TestDb) {
    let store = db.store();
    let (members, _, benefit) = seed(store, 4, 10, Some(2)).await;

    let first = store.claim_benefit(&claim_of(benefit, members[1], "2026-12-02")).await.unwrap().unwrap();
    let again = store.claim_benefit(&claim_of(benefit, members[1], "2026-12-02")).await.unwrap();
    assert_eq!(again, Err(ClaimRefusal::AlreadyClaimed(first)));
    let next_year = NewClaim { period: 2027, ..claim_of(benefit, members[1], "2027-01-05") };
    assert!(store.claim_benefit(&next_year).await.unwrap().is_ok(), "once a year: next year's claim is taken");

    store.claim_benefit(&claim_of(benefit, members[2], "2026-12-02")).await.unwrap().unwrap();
    let third_today = store.claim_benefit(&claim_of(benefit, members[3], "2026-12-02")).await.unwrap();
    assert_eq!(third_today, Err(ClaimRefusal::SoldOutToday), "two a day");
    assert!(store.claim_benefit(&claim_of(benefit, members[3], "2026-12-03")).await.unwrap().is_ok());
    assert_eq!(store.benefit(benefit).await.unwrap().unwrap().claimed, 4);
}

async fn the_database_refuses_a_slot_beyond_the_quota_and_a_second_redemption(db: TestDb) {
    let store = db.store();
    let (members, partner, benefit) = seed(store, 3, 1, None).await;
    let claim = store.claim_benefit(&claim_of(benefit, members[1], "2026-12-02")).await.unwrap().unwrap();

    let beyond = db
        .execute_raw(&format!(
            "INSERT INTO benefit_claims (benefit_id, member_id, unit_id, period, slot, day, day_slot, created_at) \
             VALUES ({benefit}, {}, 2, 2026, 2, '2026-12-02', 2, {NOW})",
            members[2].0
        ))
        .await;
    assert!(beyond.is_err(), "a hand-written claim beyond the quota is refused by the database");

    let first = store.redeem_claim(partner, claim, benefit, NOW + 60).await.unwrap();
    assert!(matches!(first, Redemption::Redeemed(ref c) if c.redeemed_at == Some(NOW + 60)), "{first:?}");
    let second = store.redeem_claim(partner, claim, benefit, NOW + 120).await.unwrap();
    assert_eq!(second, Redemption::AlreadyRedeemed(NOW + 60), "the second answers the first one's time");
    let overwrite =
        db.execute_raw(&format!("UPDATE benefit_claims SET redeemed_at = {} WHERE id = {claim}", NOW + 999)).await;
    assert!(overwrite.is_err(), "the database keeps the first redemption's time");
    let elsewhere = store.redeem_claim(partner + 1, claim, benefit, NOW).await.unwrap();
    assert_eq!(elsewhere, Redemption::NotFound, "another merchant cannot redeem it");
}
