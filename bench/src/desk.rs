//! The newsroom desk at a province's scale for a year: 150 desks (province,
//! 16 cities, 133 counties) over 399 grassroots unions, 1 200
//! correspondents, 100 000 stories with their review decisions, adoptions
//! and 20 000 photos' metadata, loaded straight into the database; then the
//! review queue (a county editor's, the province's 终审) and the quarterly
//! 通报 of the province's whole subtree, timed in the store as the server
//! calls them. Prints a Markdown table with p50/p99 per engine.

use std::time::Instant;

use anyhow::Context;
use store::testing::TestDb;
use store::{FiguresBy, MemberId};

#[derive(clap::Args, Debug)]
pub struct DeskArgs {
    /// `sqlite`, `postgres` or `both`.
    #[arg(long, default_value = "both")]
    engine: String,
    #[arg(long, default_value_t = 100_000)]
    stories: i64,
    #[arg(long, default_value_t = 20_000)]
    photos: i64,
    /// Timed runs of each query.
    #[arg(long, default_value_t = 50)]
    runs: usize,
}

/// 2026-01-01 in Shanghai: the year the stories are spread over.
const YEAR_START: i64 = 1_767_196_800;
const DAY: i64 = 86_400;

pub async fn run(args: DeskArgs) -> anyhow::Result<()> {
    let engines: Vec<&str> = match args.engine.as_str() {
        "both" => vec!["sqlite", "postgres"],
        one => vec![one],
    };
    let mut table = vec![
        "| engine | stories | load | query | rows | p50 | p99 |".to_owned(),
        "|---|---|---|---|---|---|---|".to_owned(),
    ];
    for engine in engines {
        let db = crate::test_db(engine).await?;
        let started = Instant::now();
        let people = load(&db, &args).await.context("loading the province's year")?;
        let load_secs = started.elapsed().as_secs_f64();
        let store = db.store();
        let quarter = domain::Quarter::parse("2026Q4").expect("a quarter");
        let (from, to) = quarter.bounds();
        let mut time = |label: &str, rows: usize, samples: Vec<f64>| {
            let mut s = samples;
            s.sort_by(|a, b| a.total_cmp(b));
            let p = |q: f64| s[((s.len() as f64 - 1.0) * q).round() as usize];
            table.push(format!(
                "| {engine} | {} | {load_secs:.0} s | {label} | {rows} | {:.1} ms | {:.1} ms |",
                args.stories,
                p(0.5),
                p(0.99)
            ));
            eprintln!("{}", table.last().expect("a line"));
        };
        for (label, reviewer) in [
            ("review queue, a county editor", people.county_editor),
            ("review queue, the province's 终审", people.province_final),
        ] {
            let mut samples = Vec::new();
            let mut rows = 0;
            for _ in 0..args.runs {
                let t = Instant::now();
                rows = store.review_queue(reviewer, YEAR_START + 365 * DAY).await?.len();
                samples.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            time(label, rows, samples);
        }
        for (label, by) in [
            ("通报 2026Q4 by unit, province subtree", FiguresBy::Unit),
            ("通报 2026Q4 by correspondent", FiguresBy::Correspondent),
        ] {
            let mut samples = Vec::new();
            let mut rows = 0;
            for _ in 0..args.runs {
                let t = Instant::now();
                rows = store.quarter_figures("37", from, to, by).await?.len();
                samples.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            time(label, rows, samples);
        }
        let mut samples = Vec::new();
        let mut rows = 0;
        for _ in 0..args.runs.min(20) {
            let t = Instant::now();
            rows = store.payment_ledger("37", from, to).await?.len();
            samples.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        time("稿酬 ledger 2026Q4, province subtree", rows, samples);
        db.drop_database_now().await;
    }
    println!("{}", table.join("\n"));
    Ok(())
}

struct People {
    county_editor: MemberId,
    province_final: MemberId,
}

/// Runs `rows` as multi-row INSERTs of at most 500 rows each.
async fn insert(db: &TestDb, head: &str, rows: impl Iterator<Item = String>) -> anyhow::Result<()> {
    let mut batch = Vec::with_capacity(500);
    let flush = |batch: &mut Vec<String>| {
        let sql = format!("{head} VALUES {}", batch.join(","));
        batch.clear();
        sql
    };
    for row in rows {
        batch.push(row);
        if batch.len() == 500 {
            let sql = flush(&mut batch);
            db.execute_raw(&sql).await?;
        }
    }
    if !batch.is_empty() {
        let sql = flush(&mut batch);
        db.execute_raw(&sql).await?;
    }
    Ok(())
}

async fn load(db: &TestDb, args: &DeskArgs) -> anyhow::Result<People> {
    // The tree: 37 → 16 cities → 133 counties (8 or 9 each) → 3 grassroots each.
    let mut units = vec![("37".to_owned(), String::new(), "山东省总工会".to_owned(), "province")];
    let mut counties = Vec::new();
    let mut grassroots = Vec::new();
    for c in 0..16 {
        let city = format!("37{:02}", c + 1);
        units.push((city.clone(), "37".to_owned(), format!("第{}市总工会", c + 1), "city"));
        for k in 0..(if c < 5 { 9 } else { 8 }) {
            let county = format!("{city}{:02}", k + 1);
            units.push((county.clone(), city.clone(), format!("{county}县总工会"), "county"));
            counties.push(county.clone());
            for g in 0..3 {
                let unit = format!("{county}{:02}", g + 1);
                units.push((unit.clone(), county.clone(), format!("{unit}基层工会"), "grassroots"));
                grassroots.push(unit);
            }
        }
    }
    anyhow::ensure!(counties.len() == 133, "133 county desks, got {}", counties.len());
    let rows: Vec<(&str, &str, &str, &str)> =
        units.iter().map(|(c, p, n, l)| (c.as_str(), p.as_str(), n.as_str(), *l)).collect();
    db.store().import_units(&store::testing::unit_tree(&rows)).await?;
    let id_of = |code: &str| format!("(SELECT id FROM units WHERE code = '{code}')");
    // Members: 3 correspondents per grassroots union, 2 reviewers per desk
    // (editor, 终审; the county desks run two steps), and the province's.
    let correspondents = grassroots.len() * 3;
    let members = correspondents + 2 * (counties.len() + 17);
    insert(
        db,
        "INSERT INTO members (phone, name, unit_id, password_hash, created_at)",
        (0..members).map(|i| {
            let unit = if i < correspondents {
                &grassroots[i / 3]
            } else {
                &counties[(i - correspondents) / 2 % counties.len()]
            };
            format!("('1{:010}', '信息员', {}, 'x', {YEAR_START})", 3_000_000_000u64 + i as u64, id_of(unit))
        }),
    )
    .await?;
    let phone = domain::member::Phone::parse("13000000000").map_err(|e| anyhow::anyhow!("{e}"))?;
    let first = db.store().credentials_by_phone(&phone).await?.context("the first member")?.member.id.0;
    let member = |i: usize| first + i as i64;
    insert(
        db,
        "INSERT INTO correspondents (member_id, unit_id, status, name, gender, birth_month, education, union_post, \
         job_title, phone, email, id_sealed, id_index, id_masked, interests, created_at)",
        (0..correspondents).map(|i| {
            format!(
                "({}, {}, 'approved', '信息员{i}', '女', '1990-01', '本科', '宣传委员', '', '1{:010}', '', '', 'ix{i}', '', '', {YEAR_START})",
                member(i),
                id_of(&grassroots[i / 3]),
                3_000_000_000u64 + i as u64
            )
        }),
    )
    .await?;
    // Desks: the province and cities 三审 would need more people; every desk
    // here runs 2 steps (初审 by its editor, 终审 by its final reviewer).
    insert(
        db,
        "INSERT INTO review_chains (unit_id, steps)",
        units.iter().filter(|u| u.3 != "grassroots").map(|u| format!("({}, 2)", id_of(&u.0))),
    )
    .await?;
    insert(
        db,
        "INSERT INTO newsroom_roles (member_id, unit_id, role, granted_at)",
        counties.iter().enumerate().flat_map(|(d, county)| {
            let editor = member(correspondents + 2 * d);
            let last = member(correspondents + 2 * d + 1);
            [format!("({editor}, {}, 'editor', 0)", id_of(county)), format!("({last}, {}, 'final', 0)", id_of(county))]
        }),
    )
    .await?;
    let province_final = member(members - 1);
    db.execute_raw(&format!(
        "INSERT INTO newsroom_roles (member_id, unit_id, role, granted_at) VALUES ({province_final}, {}, 'final', 0)",
        id_of("37")
    ))
    .await?;

    // Stories over the year: 7 % adopted, 3 % held, 2 % rejected, 5 %
    // waiting (1 000 at the last step), the rest returned or drafts — the
    // shape of Shandong's seven months (95 179 edited, 7 331 published).
    let desk_of = |g: usize| id_of(&counties[g / 3]);
    let stories = args.stories;
    insert(
        db,
        "INSERT INTO stories (desk_unit_id, origin_unit_id, author_id, title, body_md, body_html, excerpt, kind, event_date, \
         outward, late, steps, version, status, created_at, submitted_at, updated_at)",
        (0..stories).map(|n| {
            let i = (n as usize * 7919) % correspondents;
            let g = i / 3;
            let at = YEAR_START + (n * 365 * DAY) / stories;
            let kind = ["news", "news", "news", "experience", "model", "theory", "other"][n as usize % 7];
            format!(
                "({}, {}, {}, '稿件{n}', '正文', '<p>正文</p>', '正文', '{kind}', '2026-01-01', {}, {}, 2, 1, 'in_review', {at}, {at}, {at})",
                desk_of(g),
                id_of(&grassroots[g]),
                member(i),
                if n % 5 == 0 { "FALSE" } else { "TRUE" },
                if n % 9 == 0 { "TRUE" } else { "FALSE" },
            )
        }),
    )
    .await?;
    // A fresh database numbers its stories from 1 on both engines.
    let first_story = 1;
    anyhow::ensure!(db.store().story_state(first_story).await?.is_some(), "stories numbered from 1");
    let outcome = |n: i64| match n % 100 {
        0..=6 => "ready",
        7..=9 => "held",
        10..=11 => "rejected",
        12..=15 => "in_review_1",
        16 => "in_review_2",
        17..=60 => "returned",
        _ => "draft",
    };
    let reviewers = |n: i64| {
        let i = (n as usize * 7919) % correspondents;
        let d = i / 9;
        (member(correspondents + 2 * d), member(correspondents + 2 * d + 1))
    };
    insert(
        db,
        "INSERT INTO story_decisions (story_id, version, step, reviewer_id, decision, comment, at)",
        (0..stories).flat_map(|n| {
            let id = first_story + n;
            let at = YEAR_START + (n * 365 * DAY) / stories + 3_600;
            let (editor, last) = reviewers(n);
            let approve = |step: i64, who: i64| format!("({id}, 1, {step}, {who}, 'approve', '', {at})");
            let rows: Vec<String> = match outcome(n) {
                "ready" => vec![approve(1, editor), approve(2, last)],
                "held" => vec![format!("({id}, 1, 1, {editor}, 'hold', '', {at})")],
                "rejected" => vec![format!("({id}, 1, 1, {editor}, 'reject', '不适合', {at})")],
                "in_review_2" => vec![approve(1, editor)],
                "returned" => vec![format!("({id}, 1, 1, {editor}, 'return', '请补充', {at})")],
                _ => vec![],
            };
            rows
        }),
    )
    .await?;
    for (status, ends) in [("ready", "0,1,2,3,4,5,6"), ("held", "7,8,9"), ("rejected", "10,11"), ("draft", "")] {
        let filter = if status == "draft" {
            format!("(id - {first_story}) % 100 > 60")
        } else {
            format!("(id - {first_story}) % 100 IN ({ends})")
        };
        db.execute_raw(&format!("UPDATE stories SET status = '{status}' WHERE {filter}")).await?;
    }
    db.execute_raw(&format!(
        "UPDATE stories SET status = 'returned' WHERE (id - {first_story}) % 100 BETWEEN 17 AND 60"
    ))
    .await?;
    db.execute_raw(
        "INSERT INTO adoptions (story_id, author_id, origin_unit, by_unit, level, kind, fen, at) \
         SELECT s.id, s.author_id, s.origin_unit_id, s.desk_unit_id, 'own', s.kind, 5000, s.submitted_at + 3600 \
         FROM stories s WHERE s.status = 'ready'",
    )
    .await?;
    insert(
        db,
        "INSERT INTO assets (token, unit_id, kind, title, tags, file_name, content_type, size_bytes, width, height, blob_key, \
         thumbs, shared_down, uploaded_by, created_at)",
        (0..args.photos).map(|n| {
            let i = (n as usize * 31) % correspondents;
            format!(
                "('{n:032x}', {}, 'photo', '现场{n}', '劳模', 'IMG_{n}.jpg', 'image/jpeg', 4200000, 4000, 3000, 'a/{n:032x}', '', FALSE, {}, {})",
                id_of(&grassroots[i / 3]),
                member(i),
                YEAR_START + (n * 365 * DAY) / args.photos
            )
        }),
    )
    .await?;
    db.execute_raw("ANALYZE").await?;
    Ok(People { county_editor: MemberId(member(correspondents)), province_final: MemberId(province_final) })
}
