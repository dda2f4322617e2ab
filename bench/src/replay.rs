//! The 齐鲁工匠 replay: in 2019 over 1.2 million people cast 15.8 million
//! votes through shared links. Here 1.2 M members (from
//! `shared/fixtures/gen_roster.py`) each open the page and cast their votes
//! in one sitting — 13 or 14 each, 15.82 M in all — for 30 candidates, over
//! HTTP `POST /api/vote`, 256 members at a time. A vote whose answer is
//! lost (a dropped connection, a 503) is sent again with the same key, as
//! the page does. At the end every candidate's stored tally must equal the
//! votes acknowledged for them, exactly.
//!
//! Members and their sessions are written straight into the database (the
//! same rows and session records sign-in writes): signing 1.2 M people in
//! through argon2 would take hours and is not what is measured.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use store::Store;
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::session::{Id, Record};

use crate::{bench_campaign, start_server, test_db, BENCH_SLUG};

const FULL_MEMBERS: f64 = 1_200_000.0;
const FULL_VOTES: f64 = 15_820_000.0;
const CANDIDATES: usize = 30;

#[derive(clap::Args)]
pub struct ReplayArgs {
    /// `sqlite` or `postgres`.
    #[arg(long, default_value = "sqlite")]
    engine: String,
    /// Fraction of the full replay: 1.0 is 1.2 M members and 15.82 M votes.
    #[arg(long, default_value_t = 0.01)]
    scale: f64,
    /// Members voting at the same time (one connection each).
    #[arg(long, default_value_t = 256)]
    connections: usize,
    /// The release server binary.
    #[arg(long, default_value = "target/release/gonghui")]
    server: String,
    /// The roster generator.
    #[arg(long, default_value = "../shared/fixtures/gen_roster.py")]
    generator: PathBuf,
}

/// Which candidate member `m`'s `j`-th vote goes to: a fixed, skewed
/// popularity (a few favourites, a long tail), varied per member.
fn candidate_of(m: usize, j: usize) -> usize {
    // splitmix64 of (m, j): cheap, deterministic, well spread.
    let mut z = (m as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (j as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    // Weight of candidate k (0-based) ∝ 1 / (k + 2): 1 gets ~3×16's votes.
    static CUMULATIVE: std::sync::LazyLock<Vec<f64>> = std::sync::LazyLock::new(|| {
        let weights: Vec<f64> = (0..CANDIDATES).map(|k| 1.0 / (k as f64 + 2.0)).collect();
        let total: f64 = weights.iter().sum();
        weights
            .iter()
            .scan(0.0, |acc, w| {
                *acc += w / total;
                Some(*acc)
            })
            .collect()
    });
    let u = (z >> 11) as f64 / (1u64 << 53) as f64;
    CUMULATIVE.iter().position(|&c| u < c).unwrap_or(CANDIDATES - 1)
}

pub async fn run(args: ReplayArgs) -> anyhow::Result<()> {
    let members = ((FULL_MEMBERS * args.scale).round() as usize).max(1);
    let votes = ((FULL_VOTES * args.scale).round() as usize).max(members);
    let roster = roster(&args.generator, members)?;
    let db = test_db(&args.engine).await?;
    let server = start_server(&args.server, db.url())?;
    // Up to 14 votes a day, any split between candidates.
    let campaign = bench_campaign(&db, 20, 20).await?;

    let seeding = Instant::now();
    let people = seed_members(db.store(), &roster, members).await?;
    let cookies = seed_sessions(db.store(), &people).await?;
    eprintln!(
        "{}: {} members and sessions written in {:.1} s",
        args.engine,
        cookies.len(),
        seeding.elapsed().as_secs_f64()
    );

    // Member m casts base (+1 for the first `extra`) votes.
    let members = cookies.len();
    let (base, extra) = (votes / members, votes % members);
    let plan = Arc::new(Plan { cookies, base, extra, origin: server.base.clone() });
    let addr: SocketAddr = server.base.trim_start_matches("http://").parse()?;
    let next = Arc::new(AtomicUsize::new(0));
    let acked: Arc<Vec<AtomicU64>> = Arc::new((0..CANDIDATES).map(|_| AtomicU64::new(0)).collect());
    let retries = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let progress = {
        let acked = acked.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(30));
            every.tick().await;
            loop {
                every.tick().await;
                let n: u64 = acked.iter().map(|a| a.load(Ordering::Relaxed)).sum();
                eprintln!(
                    "  {n} votes in {:.0} s ({:.0}/s)",
                    started.elapsed().as_secs_f64(),
                    n as f64 / started.elapsed().as_secs_f64()
                );
            }
        })
    };
    let workers: Vec<_> = (0..args.connections)
        .map(|_| tokio::spawn(voter(addr, plan.clone(), next.clone(), acked.clone(), retries.clone())))
        .collect();
    for worker in workers {
        worker.await??;
    }
    progress.abort();
    let wall = started.elapsed().as_secs_f64();
    let peak = server.peak_memory_mib();

    let acked: Vec<u64> = acked.iter().map(|a| a.load(Ordering::Relaxed)).collect();
    let total: u64 = acked.iter().sum();
    let stored = db.store().vote_tallies(campaign).await?;
    let numbers = db.store().candidates(campaign).await?;
    let mut mismatches = Vec::new();
    for candidate in &numbers {
        let got = stored.iter().find(|(id, _)| *id == candidate.id).map(|(_, n)| *n as u64).unwrap_or(0);
        let want = acked[candidate.number as usize - 1];
        if got != want {
            mismatches.push(format!("{}号 stored {got}, acknowledged {want}", candidate.number));
        }
    }
    let verdict = if mismatches.is_empty() && total == votes as u64 { "exact" } else { "MISMATCH" };
    println!("| engine | scale | members | votes acknowledged | wall time | votes/s | resent | peak server memory | tallies |");
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {} | {} | {} | {} of {} | {:.0} s ({:.1} min) | {:.0} | {} | {} | {} |",
        args.engine,
        args.scale,
        members,
        total,
        votes,
        wall,
        wall / 60.0,
        total as f64 / wall,
        retries.load(Ordering::Relaxed),
        peak.map(|p| format!("{p:.0} MiB")).unwrap_or_else(|| "?".into()),
        verdict,
    );
    let leaders: Vec<String> = {
        let mut by_votes: Vec<(usize, u64)> = acked.iter().copied().enumerate().collect();
        by_votes.sort_by_key(|b| std::cmp::Reverse(b.1));
        by_votes.iter().take(3).map(|(i, n)| format!("{}号 {n}", i + 1)).collect()
    };
    eprintln!("leaders: {}", leaders.join(", "));
    if !mismatches.is_empty() || total != votes as u64 {
        bail!("tallies differ: {} (acknowledged {total} of {votes})", mismatches.join("; "));
    }
    drop(server);
    Ok(())
}

struct Plan {
    cookies: Vec<String>,
    base: usize,
    extra: usize,
    origin: String,
}

/// One phone after another on one connection: takes the next member, casts
/// all their votes, repeats until every member has voted.
async fn voter(
    addr: SocketAddr,
    plan: Arc<Plan>,
    next: Arc<AtomicUsize>,
    acked: Arc<Vec<AtomicU64>>,
    retries: Arc<AtomicU64>,
) -> anyhow::Result<()> {
    let mut sender = connect(addr).await?;
    loop {
        let m = next.fetch_add(1, Ordering::Relaxed);
        if m >= plan.cookies.len() {
            return Ok(());
        }
        let count = plan.base + usize::from(m < plan.extra);
        for j in 0..count {
            let candidate = candidate_of(m, j);
            let body = format!("campaign={BENCH_SLUG}&number={}&key=replay-{m}-{j}", candidate + 1);
            let mut attempts = 0;
            loop {
                let request = hyper::Request::post("/api/vote")
                    .header("host", addr.to_string())
                    .header("cookie", &plan.cookies[m])
                    .header("origin", &plan.origin)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .body(Full::new(Bytes::from(body.clone())))?;
                let answer = match sender.ready().await {
                    Ok(()) => sender.send_request(request).await.map_err(anyhow::Error::from),
                    Err(e) => Err(e.into()),
                };
                match answer {
                    Ok(response) if response.status() == 200 => {
                        response.into_body().collect().await?;
                        acked[candidate].fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                    Ok(response) if response.status().is_server_error() => {
                        response.into_body().collect().await?;
                    }
                    Ok(response) => {
                        let status = response.status();
                        let text = response.into_body().collect().await?.to_bytes();
                        bail!("vote {m}/{j} answered {status}: {}", String::from_utf8_lossy(&text));
                    }
                    Err(_) => sender = connect(addr).await?,
                }
                attempts += 1;
                retries.fetch_add(1, Ordering::Relaxed);
                if attempts > 20 {
                    bail!("vote {m}/{j} failed 20 times");
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(addr: SocketAddr) -> anyhow::Result<Sender> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

/// The generated roster (cached under target/bench-data by size): (name, phone, unit code).
fn roster(generator: &Path, members: usize) -> anyhow::Result<Vec<(String, String, String)>> {
    let folder = PathBuf::from(format!("target/bench-data/roster-{members}"));
    let file = folder.join("roster.csv");
    if !file.exists() {
        std::fs::create_dir_all(&folder)?;
        eprintln!("generating {members} members with {}…", generator.display());
        let status = std::process::Command::new("python3")
            .arg(generator)
            .args(["--members", &members.to_string(), "--seed", "2019", "--out"])
            .arg(&folder)
            .status()
            .context("run python3 gen_roster.py")?;
        if !status.success() {
            bail!("gen_roster.py failed");
        }
    }
    let mut reader = csv::Reader::from_path(&file)?;
    let mut rows = Vec::with_capacity(members);
    for record in reader.records() {
        let record = record?;
        rows.push((record[2].to_owned(), record[6].to_owned(), record[0].to_owned()));
    }
    Ok(rows)
}

/// Inserts the roster's people as registered members; returns (id, epoch).
pub(crate) async fn seed_members(
    store: &Store,
    roster: &[(String, String, String)],
    members: usize,
) -> anyhow::Result<Vec<(i64, i64)>> {
    // Never used to sign in: a valid argon2id string keeps the row honest.
    const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$Zm9yLWJlbmNobWFya3Mtb25seS1uZXZlci11c2Vk";
    let units: Vec<(i64, String)> = match store {
        Store::Sqlite { read, .. } => sqlx::query_as("SELECT id, code FROM units").fetch_all(read).await?,
        Store::Postgres { pool } => sqlx::query_as("SELECT id, code FROM units").fetch_all(pool).await?,
    };
    let unit_of =
        |code: &str| units.iter().find(|(_, c)| c == code).or(units.last()).map(|(id, _)| *id).expect("units loaded");
    let mut phones = std::collections::HashSet::new();
    let mut rows = Vec::with_capacity(members);
    for (i, (name, phone, unit)) in roster.iter().take(members).enumerate() {
        // The generator's phones are random: a rare repeat gets a made-up one.
        let phone = if phones.insert(phone.clone()) { phone.clone() } else { format!("100{i:08}") };
        rows.push((name.as_str(), phone, unit_of(unit)));
    }
    let now = OffsetDateTime::now_utc().unix_timestamp();
    for chunk in rows.chunks(2000) {
        let mut sql = String::from("INSERT INTO members (phone, name, password_hash, unit_id, created_at) VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("(${}, ${}, ${}, ${}, ${})", i * 5 + 1, i * 5 + 2, i * 5 + 3, i * 5 + 4, i * 5 + 5));
        }
        macro_rules! insert {
            ($pool:expr) => {{
                let mut query = sqlx::query(&sql);
                for (name, phone, unit) in chunk {
                    query = query.bind(phone).bind(*name).bind(HASH).bind(*unit).bind(now);
                }
                query.execute($pool).await?;
            }};
        }
        match store {
            Store::Sqlite { write, .. } => insert!(write),
            Store::Postgres { pool } => insert!(pool),
        }
    }
    let people: Vec<(i64, i64)> = match store {
        Store::Sqlite { read, .. } => {
            sqlx::query_as("SELECT id, session_epoch FROM members ORDER BY id").fetch_all(read).await?
        }
        Store::Postgres { pool } => {
            sqlx::query_as("SELECT id, session_epoch FROM members ORDER BY id").fetch_all(pool).await?
        }
    };
    Ok(people)
}

/// A signed-in session per member, as `services::session::sign_in` leaves
/// it (member id and epoch); returns each member's cookie.
pub(crate) async fn seed_sessions(store: &Store, people: &[(i64, i64)]) -> anyhow::Result<Vec<String>> {
    let expiry = OffsetDateTime::now_utc() + tower_sessions::cookie::time::Duration::days(2);
    let mut cookies = Vec::with_capacity(people.len());
    for chunk in people.chunks(2000) {
        let mut records = Vec::with_capacity(chunk.len());
        for (member, epoch) in chunk {
            let mut data = std::collections::HashMap::new();
            data.insert("member_id".to_owned(), serde_json::json!(member));
            data.insert("member_epoch".to_owned(), serde_json::json!(epoch));
            let record = Record { id: Id::default(), data, expiry_date: expiry };
            cookies.push(format!("gonghui_session={}", record.id));
            records.push((record.id.to_string(), rmp_serde::to_vec(&record)?));
        }
        let mut sql = String::new();
        for i in 0..records.len() {
            sql.push_str(if i == 0 { " VALUES " } else { "," });
            sql.push_str(&format!("(${}, ${}, ${})", i * 3 + 1, i * 3 + 2, i * 3 + 3));
        }
        macro_rules! insert {
            ($table:expr, $pool:expr) => {{
                let sql = format!("INSERT INTO {}{sql}", $table);
                let mut query = sqlx::query(&sql);
                for (id, data) in &records {
                    query = query.bind(id).bind(data).bind(expiry);
                }
                query.execute($pool).await?;
            }};
        }
        match store {
            Store::Sqlite { write, .. } => insert!("tower_sessions", write),
            Store::Postgres { pool } => insert!("\"tower_sessions\".\"session\"", pool),
        }
    }
    Ok(cookies)
}
