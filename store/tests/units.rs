//! The same unit-store behaviour, checked on SQLite and on PostgreSQL.

use domain::UnitTree;
use store::{Store, StoreOptions, UnitImportSummary};

/// Generates one test per engine for each named scenario below.
macro_rules! on_both_engines {
    (@more $($scenario:ident),* $(,)?) => { on_both_engines!(@in sqlite_more, postgres_more; $($scenario),*); };
    ($($scenario:ident),* $(,)?) => { on_both_engines!(@in sqlite, postgres; $($scenario),*); };
    (@in $sqlite:ident, $postgres:ident; $($scenario:ident),*) => {
        mod $sqlite {
            $(#[tokio::test] async fn $scenario() { super::$scenario(store::testing::TestDb::sqlite().await.store()).await })*
        }
        mod $postgres {
            $(#[tokio::test] async fn $scenario() {
                let Some(db) = store::testing::TestDb::postgres().await else { return };
                super::$scenario(db.store()).await
            })*
        }
    };
}

on_both_engines!(
    a_new_database_has_no_units_and_answers_pings,
    an_imported_tree_reads_back_with_every_parent,
    reimporting_the_same_tree_changes_nothing,
    reimporting_updates_renamed_and_moved_units,
);

/// `gonghui import-units` and `import-roster` run as their own processes
/// beside the server, each with its own writer connection, so two writers
/// meet at SQLite's file lock. An import reads (its count) before it writes;
/// begun deferred, the second of two such transactions failed at once with
/// SQLITE_BUSY instead of waiting its turn — the e2e suite's roster imports
/// from two workers did exactly that in CI. Two stores on one file stand for
/// the two processes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_importing_into_one_sqlite_file_at_once_both_succeed() {
    let db = store::testing::TestDb::sqlite().await;
    let other_process = Store::connect(db.url(), &StoreOptions::default()).await.expect("second store");
    let jinan = tree(JINAN);
    for round in 0..20 {
        let (first, second) = tokio::join!(db.store().import_units(&jinan), other_process.import_units(&jinan));
        first.unwrap_or_else(|e| panic!("round {round}, first process: {e}"));
        second.unwrap_or_else(|e| panic!("round {round}, second process: {e}"));
    }
    assert_eq!(db.store().unit_count().await.unwrap(), 5);
}

fn tree(rows: &[(&str, &str, &str, &str)]) -> UnitTree {
    store::testing::unit_tree(rows)
}

const JINAN: &[(&str, &str, &str, &str)] = &[
    ("37", "", "山东省总工会", "province"),
    ("370100", "37", "济南市总工会", "city"),
    ("370102", "370100", "历下区总工会", "county"),
    ("370103", "370100", "市中区总工会", "county"),
    ("37010201", "370102", "历下区机械厂工会", "grassroots"),
];

async fn a_new_database_has_no_units_and_answers_pings(store: &Store) {
    store.ping().await.expect("ping");
    assert_eq!(store.unit_count().await.unwrap(), 0);
    assert!(store.units().await.unwrap().is_empty());
}

async fn an_imported_tree_reads_back_with_every_parent(store: &Store) {
    let summary = store.import_units(&tree(JINAN)).await.unwrap();
    assert_eq!(summary, UnitImportSummary { inserted: 5, updated: 0 });

    let units = store.units().await.unwrap();
    let read: Vec<(String, Option<String>)> =
        units.iter().map(|u| (u.code.to_string(), u.parent.as_ref().map(|p| p.to_string()))).collect();
    let mut expected: Vec<(String, Option<String>)> =
        JINAN.iter().map(|(c, p, _, _)| (c.to_string(), (!p.is_empty()).then(|| p.to_string()))).collect();
    expected.sort();
    assert_eq!(read, expected, "units come back ordered by code with their parents");
}

async fn reimporting_the_same_tree_changes_nothing(store: &Store) {
    store.import_units(&tree(JINAN)).await.unwrap();
    let again = store.import_units(&tree(JINAN)).await.unwrap();
    assert_eq!(again, UnitImportSummary { inserted: 0, updated: 0 });
    assert_eq!(store.unit_count().await.unwrap(), 5);
}

async fn reimporting_updates_renamed_and_moved_units(store: &Store) {
    store.import_units(&tree(JINAN)).await.unwrap();
    let mut changed = JINAN.to_vec();
    changed[4] = ("37010201", "370103", "市中区机械厂工会", "grassroots");
    changed.push(("37010301", "370103", "市中区供电公司工会", "grassroots"));

    let summary = store.import_units(&tree(&changed)).await.unwrap();

    assert_eq!(summary, UnitImportSummary { inserted: 1, updated: 1 });
    let moved = store.units().await.unwrap().into_iter().find(|u| u.code.as_ref() == "37010201").unwrap();
    assert_eq!(moved.parent.unwrap().as_ref(), "370103");
    assert_eq!(moved.name.as_ref(), "市中区机械厂工会");
}

on_both_engines!(@more the_root_names_the_union_and_unit_lookups_find_only_real_units);

async fn the_root_names_the_union_and_unit_lookups_find_only_real_units(store: &Store) {
    assert_eq!(store.root_unit_name().await.unwrap(), None);
    store.import_units(&tree(JINAN)).await.unwrap();
    assert_eq!(store.root_unit_name().await.unwrap().as_deref(), Some("山东省总工会"));
    assert!(store.unit_exists(&domain::UnitCode::parse("370102").unwrap()).await.unwrap());
    assert!(!store.unit_exists(&domain::UnitCode::parse("999999").unwrap()).await.unwrap());
}
