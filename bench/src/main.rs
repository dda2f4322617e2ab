//! Gonghui's vote benchmark: the release server's `POST /api/vote` against a
//! bare axum handler answering the same request, both driven by wrk in the
//! same run, at 64 and 256 connections, on SQLite and PostgreSQL. After the
//! runs it checks that the stored tally equals the votes wrk saw
//! acknowledged. See bench/README.md.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::Parser;
use store::testing::TestDb;

mod benefits;
mod desk;
mod nginx;
mod publishing;
mod reads;
mod replay;
mod upload;

#[derive(Parser)]
#[command(about = "Gonghui's benchmarks (see bench/README.md)")]
enum Bench {
    /// Vote POST vs a bare axum handler, with wrk at several connection counts.
    Votes(Args),
    /// The 齐鲁工匠 replay: 1.2 M members, 30 candidates, 15.82 M votes over HTTP.
    Replay(replay::ReplayArgs),
    /// Share page, campaign page and leaderboard GET vs a bare axum handler.
    Reads(reads::ReadArgs),
    /// Peak server memory while a correspondent uploads three 5 MB photos and submits a story with them.
    Upload(upload::UploadArgs),
    /// The newsroom desk at a province's scale: review queues and the 通报 over 100 000 stories.
    Desk(desk::DeskArgs),
    /// Publishing: article page and feed vs a bare handler, views replayed exact, a hot article's likes, the watchlist.
    Publishing(publishing::PublishingArgs),
    /// 惠员福利: 50 000 signed-in members of a million claim a benefit of 10 000 at once: exactly the quota stored.
    Benefits(benefits::BenefitsArgs),
    /// Share page and votes: two processes behind nginx vs one process, on one PostgreSQL.
    Nginx(nginx::NginxArgs),
}

#[derive(clap::Args)]
struct Args {
    /// `sqlite`, `postgres` or `both`.
    #[arg(long, default_value = "both")]
    engine: String,
    /// Seconds per wrk run.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Signed-in members the load spreads over (each may cast 100 votes a day in
    /// each phase); raised to what the duration needs (`members_needed`).
    #[arg(long, default_value_t = 400)]
    members: usize,
    /// Connection counts to run, comma-separated.
    #[arg(long, default_value = "64,256")]
    connections: String,
    /// The release server binary.
    #[arg(long, default_value = "target/release/gonghui")]
    server: String,
    /// Also run the same votes through the plain form handler.
    #[arg(long)]
    form: bool,
    /// SQLite durability settings to compare in this run (`GONGHUI_SQLITE_SYNCHRONOUS`),
    /// comma-separated: `full` is the default, `normal` what the server ran before issue 16.
    #[arg(long, default_value = "normal,full")]
    sqlite_synchronous: String,
}

/// What wrk reported for one run.
pub(crate) struct Run {
    /// Non-200 answers by status, and socket errors, as wrk saw them.
    pub(crate) detail: String,
    pub(crate) requests_per_sec: f64,
    pub(crate) p50_ms: f64,
    pub(crate) p99_ms: f64,
    pub(crate) acked: u64,
    pub(crate) other: u64,
}

pub(crate) struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Peak resident memory of the server process so far (Linux VmHWM), in MiB.
    pub(crate) fn peak_memory_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) const BENCH_SLUG: &str = "bench";
const DATA_KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

pub(crate) fn start_server(binary: &str, database_url: &str) -> anyhow::Result<Server> {
    start_server_with(binary, database_url, &[])
}

/// `start_server` with more settings (`GONGHUI_DEMO_PEOPLE`, a media folder…).
pub(crate) fn start_server_with(binary: &str, database_url: &str, extra: &[(&str, &str)]) -> anyhow::Result<Server> {
    let mut command = Command::new(binary);
    for (name, value) in extra {
        command.env(name, value);
    }
    let mut child = command
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("GONGHUI_ADDR", "127.0.0.1:0")
        .env("GONGHUI_ENV", "dev")
        .env("GONGHUI_DATA_KEY", DATA_KEY)
        .env("GONGHUI_ACCOUNT_POSTS_PER_MINUTE", "1000000")
        .env("GONGHUI_VOTES_PER_MINUTE_PER_ACCOUNT", "1000000")
        .env("GONGHUI_VOTES_PER_MINUTE_PER_ADDRESS", "100000000")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("start {binary} (run `cargo build --release -p server` first)"))?;
    let stdout = child.stdout.take().context("stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.split("http://").nth(1) {
                let _ = tx.send(format!("http://{}", url.trim()));
            }
        }
    });
    let base = rx.recv_timeout(Duration::from_secs(60)).context("the server printed its address")?;
    Ok(Server { child, base })
}

/// The bare reference: reads the form and answers a vote-shaped JSON.
pub(crate) async fn start_bare() -> anyhow::Result<String> {
    use axum::routing::post;
    let app = axum::Router::new()
        .route(
            "/api/vote",
            post(|axum::Form(form): axum::Form<Vec<(String, String)>>| async move {
                let candidate = form.iter().find(|(k, _)| k == "number").map(|(_, v)| v.clone()).unwrap_or_default();
                axum::Json(serde_json::json!({ "candidate": candidate, "remaining_today": 99, "replayed": false }))
            }),
        )
        // The read reference: a static page of about the share page's size.
        .route("/page", axum::routing::get(|| async { axum::response::Html(reads::BARE_PAGE.as_str()) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(base)
}

/// Registers `count` members through the pages (dev SMS inbox) and returns
/// their session cookies.
pub(crate) async fn sign_up_members(base: &str, count: usize) -> anyhow::Result<Vec<String>> {
    let mut cookies = Vec::with_capacity(count);
    let url: reqwest::Url = base.parse()?;
    for i in 0..count {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let phone = format!("1880000{i:04}");
        // The registration form's two server functions, posted as a browser does.
        let post = |action: &str, form: Vec<(&str, String)>| {
            http.post(format!("{base}{action}"))
                .header("Origin", base)
                .header("Referer", format!("{base}/register"))
                .header("Accept", "text/html")
                .form(&form)
                .send()
        };
        post("/api/auth/register-code", vec![("phone", phone.clone()), ("unit", "37010201".into())]).await?;
        let inbox: serde_json::Value = http.get(format!("{base}/dev/sms")).send().await?.json().await?;
        let text = inbox
            .as_array()
            .and_then(|m| m.iter().find(|m| m["phone"] == phone.as_str()))
            .and_then(|m| m["text"].as_str())
            .context("a code in the dev inbox")?
            .to_owned();
        let code: String = text[text.find("验证码是").context("code text")? + "验证码是".len()..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let done = post(
            "/api/auth/register",
            vec![
                ("phone", phone.clone()),
                ("code", code),
                ("name", "压测会员".into()),
                ("password", "bench-password-2026".into()),
                ("unit", "37010201".into()),
            ],
        )
        .await?;
        if done.status() != 303 {
            bail!("registering {phone}: {}", done.status());
        }
        let cookie = reqwest::cookie::CookieStore::cookies(jar.as_ref(), &url).context("a session cookie")?;
        cookies.push(cookie.to_str()?.to_owned());
    }
    Ok(cookies)
}

/// The wrk script: each request a new vote (unique key) from one of the
/// members, for one of the 30 candidates; counts acknowledged (200) answers.
/// `form`: the plain no-JavaScript form (the same `POST /api/vote`, asking
/// for a page as a browser does: the generic form handler answers 303)
/// instead of the JSON call.
fn wrk_script(cookies: &[String], origin: &str, run: &str, slug: &str, form: bool) -> String {
    let list: Vec<String> = cookies.iter().map(|c| format!("{c:?}")).collect();
    format!(
        r#"local cookies = {{ {list} }}
local origin = "{origin}"
local run = "{run}"
local threads = {{}}
local counter = 0
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  acked = 0
  other = 0
  statuses = {{}}
end
function request()
  counter = counter + 1
  local cookie = cookies[(counter * 7 + id * 131) % #cookies + 1]
  local number = counter % 30 + 1
  local key = run .. "-" .. id .. "-" .. string.format("%08d", counter)
  local body = "campaign={slug}&number=" .. number .. "&key=" .. key
  local headers = {{ ["Cookie"] = cookie, ["Origin"] = origin, ["Content-Type"] = "application/x-www-form-urlencoded" }}
  if {form} then
    headers["Accept"] = "text/html"
    headers["Referer"] = origin .. "/v/{slug}/" .. number
  end
  return wrk.format("POST", "/api/vote", headers, body)
end
function response(status, headers, body)
  if status == 200 or status == 303 then acked = acked + 1 else
    other = other + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end
function done(summary, latency, requests)
  local a, o = 0, 0
  local seen = {{}}
  for _, t in ipairs(threads) do
    a = a + t:get("acked"); o = o + t:get("other")
    for code, n in pairs(t:get("statuses")) do seen[code] = (seen[code] or 0) + n end
  end
  local parts = {{}}
  for code, n in pairs(seen) do table.insert(parts, code .. ":" .. n) end
  io.write(string.format("ACKED %d OTHER %d STATUSES %s\n", a, o, table.concat(parts, ",")))
  io.write(string.format("ERRORS connect %d read %d write %d timeout %d\n", summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
"#,
        list = list.join(", "),
        form = if form { "true" } else { "false" },
    )
}

pub(crate) fn parse_ms(value: &str) -> f64 {
    let value = value.trim();
    if let Some(v) = value.strip_suffix("ms") {
        v.parse().unwrap_or(f64::NAN)
    } else if let Some(v) = value.strip_suffix("us") {
        v.parse::<f64>().map(|v| v / 1000.0).unwrap_or(f64::NAN)
    } else if let Some(v) = value.strip_suffix('s') {
        v.parse::<f64>().map(|v| v * 1000.0).unwrap_or(f64::NAN)
    } else {
        f64::NAN
    }
}

impl Run {
    /// The "req/s | p50 / p99" cells of a table row.
    pub(crate) fn columns(&self) -> String {
        format!("{:.0} | {:.1} / {:.1} ms", self.requests_per_sec, self.p50_ms, self.p99_ms)
    }

    /// The "ratio | answered" cells: this run against the bare reference.
    pub(crate) fn against(&self, reference: &Run, detail: bool) -> String {
        let detail = if detail { format!(" ({})", self.detail.trim()) } else { String::new() };
        let ratio = 100.0 * self.requests_per_sec / reference.requests_per_sec;
        format!("**{ratio:.1} %** | {} / {}{detail}", self.acked, self.other)
    }
}

pub(crate) fn wrk(base: &str, connections: usize, duration: u64, script: &str, path: &str) -> anyhow::Result<Run> {
    let script_file = std::env::temp_dir().join(format!("gonghui-bench-{}.lua", std::process::id()));
    std::fs::write(&script_file, script)?;
    let output = Command::new("wrk")
        .args(["-t2", &format!("-c{connections}"), &format!("-d{duration}s"), "--latency", "-s"])
        .arg(&script_file)
        .arg(format!("{base}{path}"))
        .output()
        .context("run wrk (Debian package wrk; `make bench-votes` installs it)")?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let find = |prefix: &str| text.lines().map(str::trim).find(|l| l.starts_with(prefix)).map(str::to_owned);
    let requests_per_sec =
        find("Requests/sec:").and_then(|l| l["Requests/sec:".len()..].trim().parse().ok()).unwrap_or(f64::NAN);
    let p50_ms = find("50%").map(|l| parse_ms(&l[3..])).unwrap_or(f64::NAN);
    let p99_ms = find("99%").map(|l| parse_ms(&l[3..])).unwrap_or(f64::NAN);
    let counts = find("ACKED").context(format!("wrk's output:\n{text}"))?;
    let parts: Vec<&str> = counts.split_whitespace().collect();
    let detail = format!(
        "{} {}",
        parts.get(5).map(|s| format!("status {s}")).unwrap_or_default(),
        find("ERRORS").unwrap_or_default().trim_start_matches("ERRORS ")
    );
    Ok(Run { detail, requests_per_sec, p50_ms, p99_ms, acked: parts[1].parse()?, other: parts[3].parse()? })
}

pub(crate) async fn test_db(engine: &str) -> anyhow::Result<TestDb> {
    Ok(match engine {
        "sqlite" => TestDb::sqlite().await,
        "postgres" => TestDb::postgres().await.context("PostgreSQL at GONGHUI_TEST_PG")?,
        other => bail!("unknown engine {other}"),
    })
}

/// A campaign open for voting now, with 30 approved candidates numbered 1–30.
pub(crate) async fn bench_campaign(db: &TestDb, votes_per_day: i64, votes_per_candidate: i64) -> anyhow::Result<i64> {
    bench_campaign_named(db, BENCH_SLUG, votes_per_day, votes_per_candidate).await
}

/// `bench_campaign` under another slug: each vote phase gets a campaign of
/// its own, so one phase never spends the allowance the next one measures.
pub(crate) async fn bench_campaign_named(
    db: &TestDb,
    slug: &str,
    votes_per_day: i64,
    votes_per_candidate: i64,
) -> anyhow::Result<i64> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
    let campaign = store::NewCampaign {
        title: "压测",
        description: "benchmark",
        votes_per_day,
        votes_per_candidate,
        ..store::NewCampaign::voting_now(slug, "37", now)
    };
    let id = db.store().insert_campaign(&campaign, now).await?;
    let names: Vec<String> = (1..=30).map(|n| format!("候选人{n}")).collect();
    let candidates: Vec<store::NewCandidate> = names
        .iter()
        .enumerate()
        .map(|(i, name)| store::NewCandidate {
            number: i as i32 + 1,
            name,
            unit_code: "37010201",
            title: "工人",
            story_html: "<p>压测</p>",
        })
        .collect();
    db.store().insert_candidates(id, &candidates, now).await?;
    Ok(id)
}

/// A phase whose answers are more than this share refusals (429 and the
/// like) measured the refusal path, not votes: the run fails instead of
/// reporting it (issue 10: a 256-connection phase was 77 % 429s once the
/// 64-connection phase had spent the members' allowance).
pub(crate) const MAX_REFUSED_SHARE: f64 = 0.01;

impl Run {
    /// Refuses a run that was mostly not votes.
    pub(crate) fn votes_only(self, what: &str) -> anyhow::Result<Self> {
        let answered = self.acked + self.other;
        let refused = if answered == 0 { 1.0 } else { self.other as f64 / answered as f64 };
        if refused > MAX_REFUSED_SHARE {
            bail!(
                "{what}: {:.1} % of {answered} answers were not votes ({}), over the {:.0} % a vote figure allows",
                100.0 * refused,
                self.detail.trim(),
                100.0 * MAX_REFUSED_SHARE
            );
        }
        Ok(self)
    }
}

/// Each member's allowance in each phase's campaign: the most a campaign
/// allows (the table's CHECK: 1–100 a day).
const VOTES_PER_MEMBER_PER_PHASE: i64 = 100;

/// The fastest vote rate a phase is sized for: about twice the best seen
/// here (10 201 votes/s, PostgreSQL at 256 connections, 2026-12-01), so a
/// faster machine does not spend the allowance either; one that does still
/// fails the run.
const PHASE_SIZED_FOR_VOTES_PER_SEC: u64 = 20_000;

/// Members a phase of `duration` seconds needs so it never runs out of
/// votes: 10 s → 2 000 members (200 000 votes), however many were asked for.
fn members_needed(asked: usize, duration: u64) -> usize {
    let needed = (duration * PHASE_SIZED_FOR_VOTES_PER_SEC).div_ceil(VOTES_PER_MEMBER_PER_PHASE as u64) as usize;
    asked.max(needed)
}

async fn bench_engine(args: &Args, engine: &str, bare: &str) -> anyhow::Result<Vec<String>> {
    let (engine, synchronous) = engine.split_once(':').unwrap_or((engine, ""));
    let db = test_db(engine).await?;
    let server = if synchronous.is_empty() {
        start_server(&args.server, db.url())?
    } else {
        start_server_with(&args.server, db.url(), &[("GONGHUI_SQLITE_SYNCHRONOUS", synchronous)])?
    };
    let engine = if synchronous.is_empty() { engine.to_owned() } else { format!("{engine} synchronous={synchronous}") };
    let engine = engine.as_str();
    let members = members_needed(args.members, args.duration);
    eprintln!("{engine}: registering {members} members…");
    let cookies = sign_up_members(&server.base, members).await?;
    let origin = server.base.clone();
    let mut lines = Vec::new();
    let mut campaigns = Vec::new();
    let mut acked_total = 0;
    let mut cut_off = 0;
    for connections in args.connections.split(',').map(|c| c.trim().parse::<usize>()) {
        let connections = connections?;
        let run = format!("r{connections}");
        let slug = format!("bench-{run}");
        campaigns.push(bench_campaign_named(&db, &slug, VOTES_PER_MEMBER_PER_PHASE, VOTES_PER_MEMBER_PER_PHASE).await?);
        let reference = wrk(
            bare,
            connections,
            args.duration,
            &wrk_script(&cookies, &origin, &format!("bare{run}"), &slug, false),
            "/api/vote",
        )?;
        let ours = wrk(
            &server.base,
            connections,
            args.duration,
            &wrk_script(&cookies, &origin, &run, &slug, false),
            "/api/vote",
        )?
        .votes_only(&format!("{engine}, {connections} connections"))?;
        acked_total += ours.acked;
        // Requests still in flight when wrk stops may be stored without wrk
        // reading their answer: at most one per connection.
        cut_off += connections as u64;
        if args.form {
            // The same vote through the plain form handler: what the
            // server-function layer costs.
            let slug = format!("bench-f{run}");
            campaigns
                .push(bench_campaign_named(&db, &slug, VOTES_PER_MEMBER_PER_PHASE, VOTES_PER_MEMBER_PER_PHASE).await?);
            let form = wrk(
                &server.base,
                connections,
                args.duration,
                &wrk_script(&cookies, &origin, &format!("f{run}"), &slug, true),
                "/",
            )?
            .votes_only(&format!("{engine} form, {connections} connections"))?;
            acked_total += form.acked;
            cut_off += connections as u64;
            lines.push(format!(
                "| {engine} (form `POST /v/…/n`, 303) | {connections} | {} | | | {} |",
                form.columns(),
                form.against(&reference, true)
            ));
            eprintln!("{}", lines.last().expect("a line"));
        }
        lines.push(format!(
            "| {engine} | {connections} | {} | {} | {} |",
            ours.columns(),
            reference.columns(),
            ours.against(&reference, true)
        ));
        eprintln!("{}", lines.last().expect("a line"));
    }
    let mut stored = 0u64;
    for id in campaigns {
        stored += db.store().vote_tallies(id).await?.into_iter().map(|(_, n)| n).sum::<i64>() as u64;
    }
    // Every acknowledged vote is stored; the only extra ones are requests
    // wrk cut off at the end of a run.
    let ok = stored >= acked_total && stored - acked_total <= cut_off;
    let verdict = if ok { "every acknowledged vote stored" } else { "MISMATCH" };
    lines.push(format!(
        "| {engine} | tally check | stored {stored} | acknowledged {acked_total} | cut off at the end ≤ {cut_off} | {verdict} | | |"
    ));
    if !ok {
        eprintln!("{}", lines.last().expect("a line"));
        bail!("{engine}: stored votes {stored} vs acknowledged {acked_total} (at most {cut_off} cut off)");
    }
    Ok(lines)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Bench::parse() {
        Bench::Votes(args) => votes(args).await,
        Bench::Replay(args) => replay::run(args).await,
        Bench::Reads(args) => reads::run(args).await,
        Bench::Desk(args) => desk::run(args).await,
        Bench::Upload(args) => upload::run(args).await,
        Bench::Publishing(args) => publishing::run(args).await,
        Bench::Benefits(args) => benefits::run(args).await,
        Bench::Nginx(args) => nginx::run(args).await,
    }
}

async fn votes(args: Args) -> anyhow::Result<()> {
    let bare = start_bare().await?;
    let engines: Vec<&str> = match args.engine.as_str() {
        "both" => vec!["sqlite", "postgres"],
        one => vec![one],
    };
    // SQLite once per durability setting, so the cost of fsyncing every
    // commit is measured against the same bare handler in the same run.
    let engines: Vec<String> = engines
        .into_iter()
        .flat_map(|engine| match engine {
            "sqlite" => args.sqlite_synchronous.split(',').map(|s| format!("sqlite:{}", s.trim())).collect(),
            other => vec![other.to_owned()],
        })
        .collect();
    let mut table = vec![
        "| engine | connections | vote POST req/s | p50 / p99 | bare axum req/s | p50 / p99 | ratio | acknowledged / other |".to_owned(),
        "|---|---|---|---|---|---|---|---|".to_owned(),
    ];
    for engine in &engines {
        table.extend(bench_engine(&args, engine, &bare).await?);
    }
    println!("{}", table.join("\n"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(acked: u64, other: u64) -> Run {
        Run { detail: "status 429:x".into(), requests_per_sec: 1000.0, p50_ms: 1.0, p99_ms: 2.0, acked, other }
    }

    #[test]
    fn a_phase_has_members_enough_for_twice_the_fastest_rate_seen() {
        assert_eq!(members_needed(400, 10), 2000);
        assert_eq!(members_needed(5000, 10), 5000, "more when asked");
        assert!(members_needed(0, 10) as u64 * VOTES_PER_MEMBER_PER_PHASE as u64 >= 10 * 10_201 * 19 / 10);
    }

    #[test]
    fn a_phase_with_more_than_one_percent_refusals_is_not_reported() {
        assert!(run(10_000, 100).votes_only("ok").is_ok(), "1 % (just under: 100 of 10 100)");
        let error = run(2_300, 7_700).votes_only("256 connections").err().expect("77 % refusals refused");
        assert!(error.to_string().contains("77.0 % of 10000 answers were not votes"), "{error}");
        assert!(run(0, 0).votes_only("nothing answered").is_err());
    }
}
