//! Publishing (issue 13): the article page and the member feed against a
//! bare axum handler in one run, signed out and signed in; article views
//! replayed over HTTP, each from a new visitor, with the tally checked exact
//! once the batches are written; a hot article liked by distinct members
//! as fast as they can, the count checked exact; and the watchlist
//! automaton (10 000 words) over a 2 000-character comment.

use std::time::{Duration, Instant};

use anyhow::Context;

use crate::reads::BARE_PAGE;
use crate::{start_bare, start_server_with, test_db, wrk, Run};

#[derive(clap::Args)]
pub struct PublishingArgs {
    /// `sqlite`, `postgres` or `both`.
    #[arg(long, default_value = "both")]
    engine: String,
    /// Seconds per page run.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Connections.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Seconds of article views replayed, each from a new visitor (at the
    /// ~7 000 a second measured here, 600 s is Shandong's ten months: 4 M).
    #[arg(long, default_value_t = 600)]
    views_secs: u64,
    /// Distinct members who like the hot article (2 000 a second for 30 s).
    #[arg(long, default_value_t = 60_000)]
    likers: usize,
    /// Which parts: `pages`, `views`, `likes`, `watchlist` (comma separated) or `all`.
    #[arg(long, default_value = "all")]
    parts: String,
    /// The release server binary.
    #[arg(long, default_value = "target/release/gonghui")]
    server: String,
}

/// GET with an optional cookie; a fresh User-Agent per request when
/// `fresh_visitors` (each request is then a new visitor of the day), and at
/// most `limit` requests per thread (0: no limit). Counts 200s.
fn get_script(cookie: Option<&str>, fresh_visitors: bool, limit: u64) -> String {
    format!(
        r#"local cookie = {cookie}
local fresh = {fresh}
local limit = {limit}
local threads = {{}}
function setup(thread) thread:set("id", #threads) table.insert(threads, thread) end
function init(args) acked = 0 other = 0 sent = 0 end
function request()
  sent = sent + 1
  if limit > 0 and sent > limit then wrk.thread:stop() end
  local headers = {{ ["Accept"] = "text/html" }}
  if cookie then headers["Cookie"] = cookie end
  if fresh then headers["User-Agent"] = "visitor-" .. id .. "-" .. sent end
  return wrk.format("GET", nil, headers)
end
function response(status, headers, body)
  if status == 200 then acked = acked + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do a = a + t:get("acked"); o = o + t:get("other") end
  io.write(string.format("ACKED %d OTHER %d STATUSES -\n", a, o))
  io.write(string.format("ERRORS connect %d read %d write %d timeout %d\n", summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
"#,
        cookie = cookie.map_or("nil".to_owned(), |c| format!("{c:?}")),
        fresh = fresh_visitors,
    )
}

/// Each request a like of article `id` by the next member (each member
/// once: threads take alternate members), as the hydrated page sends it.
fn like_script(cookies: &[String], origin: &str, id: i64) -> String {
    let list: Vec<String> = cookies.iter().map(|c| format!("{c:?}")).collect();
    format!(
        r#"local cookies = {{ {list} }}
local threads = {{}}
function setup(thread) thread:set("id", #threads) table.insert(threads, thread) end
function init(args) acked = 0 other = 0 next = id + 1 end
function request()
  -- wrk runs two threads (bench's wrk()): one takes the odd members, one the even.
  if next > #cookies then
    -- Done: no member likes twice (a second like is an unlike); what is
    -- sent until wrk's duration ends is a health check, not counted.
    wrk.thread:stop()
    return wrk.format("GET", "/healthz")
  end
  local cookie = cookies[next]
  next = next + 2
  local headers = {{ ["Cookie"] = cookie, ["Origin"] = "{origin}", ["Content-Type"] = "application/x-www-form-urlencoded" }}
  return wrk.format("POST", "/api/articles/like", headers, "id={id}")
end
function response(status, headers, body)
  if status == 200 and string.find(body, "liked", 1, true) then acked = acked + 1
  elseif status ~= 200 then other = other + 1 end
end
function done(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do a = a + t:get("acked"); o = o + t:get("other") end
  io.write(string.format("ACKED %d OTHER %d STATUSES -\n", a, o))
  io.write(string.format("ERRORS connect %d read %d write %d timeout %d\n", summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
"#,
        list = list.join(", "),
    )
}

fn split(url: &str) -> (&str, &str) {
    url.split_at(url.find("://").map(|i| i + 3).and_then(|i| url[i..].find('/').map(|j| i + j)).unwrap_or(url.len()))
}

fn get(url: &str, connections: usize, duration: u64, script: &str) -> anyhow::Result<Run> {
    let (base, path) = split(url);
    wrk(base, connections, duration, script, path)
}

pub async fn run(args: PublishingArgs) -> anyhow::Result<()> {
    let parts = |p: &str| args.parts == "all" || args.parts.split(',').any(|x| x == p);
    let mut out = Vec::new();
    if parts("watchlist") {
        out.push(watchlist());
    }
    let engines: Vec<&str> = match args.engine.as_str() {
        "both" => vec!["sqlite", "postgres"],
        one => vec![one],
    };
    let bare = start_bare().await?;
    for engine in engines {
        let db = test_db(engine).await?;
        let media = tempfile::tempdir()?;
        let media_dir = media.path().display().to_string();
        let server = start_server_with(
            &args.server,
            db.url(),
            &[("GONGHUI_DEMO_PEOPLE", "true"), ("GONGHUI_MEDIA_DIR", media_dir.as_str())],
        )?;
        let base = server.base.clone();
        if parts("pages") {
            let cookie = crate::sign_up_members(&base, 1).await?.remove(0);
            let size = reqwest::get(format!("{base}/a/2")).await?.text().await?.len();
            eprintln!("{engine}: the article page is {size} bytes; the reference {} bytes", BARE_PAGE.len());
            out.push(format!(
                "\n{engine}, {} connections, {} s each:\n\n| path | req/s | p50 / p99 | bare axum req/s | p50 / p99 | ratio | 200 / other |\n|---|---|---|---|---|---|---|",
                args.connections, args.duration
            ));
            for (label, path, cookie) in [
                ("article, signed out", "/a/2", None),
                ("article, signed in", "/a/2", Some(cookie.as_str())),
                ("feed (首页), signed out", "/", None),
                ("feed (首页), signed in", "/", Some(cookie.as_str())),
            ] {
                let reference =
                    get(&format!("{bare}/page"), args.connections, args.duration, &get_script(None, false, 0))?;
                let ours =
                    get(&format!("{base}{path}"), args.connections, args.duration, &get_script(cookie, true, 0))?;
                out.push(format!(
                    "| {label} `{path}` | {} | {} | {} |",
                    ours.columns(),
                    reference.columns(),
                    ours.against(&reference, false)
                ));
                eprintln!("{}", out.last().expect("a line"));
            }
        }
        let store = store::Store::connect(db.url(), &Default::default()).await?;
        if parts("views") {
            // Article 3 has no views yet from the demo today? It has some:
            // count the replay's as the difference.
            let before = store.article_counts(3).await?.views;
            // wrk stops at its duration (a thread told to stop early still
            // waits for it), so the replay is bounded by time, not count.
            let started = Instant::now();
            let run = get(&format!("{base}/a/3"), args.connections, args.views_secs, &get_script(None, true, 0))?;
            let elapsed = started.elapsed();
            // The queue writes in batches: wait until the tally stops moving.
            let mut last = -1;
            let mut views = store.article_counts(3).await?.views;
            while views != last {
                tokio::time::sleep(Duration::from_secs(2)).await;
                last = views;
                views = store.article_counts(3).await?.views;
            }
            let counted = views - before;
            out.push(format!(
                "\n{engine}: {} article views over HTTP in {:.1} s ({:.0} /s, p50 {:.1} ms, p99 {:.1} ms), each a new visitor: {} answered 200, {} counted — {}",
                run.acked + run.other,
                elapsed.as_secs_f64(),
                run.requests_per_sec,
                run.p50_ms,
                run.p99_ms,
                run.acked,
                counted,
                // wrk does not record answers to requests in flight when its
                // clock stops (at most one per connection): those are counted
                // by the server but not by wrk.
                if counted >= run.acked as i64 && counted <= (run.acked + args.connections as u64) as i64 {
                    format!("exact: {} more than wrk saw answered, its in-flight requests at the end (≤ {})", counted - run.acked as i64, args.connections)
                } else {
                    "NOT EXACT".to_owned()
                }
            ));
            eprintln!("{}", out.last().expect("a line"));
        }
        if parts("likes") {
            let roster: Vec<(String, String, String)> =
                (0..args.likers).map(|i| ("压测会员".to_owned(), format!("17{i:09}"), "37010201".to_owned())).collect();
            let seeded = crate::replay::seed_members(&store, &roster, args.likers).await?;
            let fresh: Vec<(i64, i64)> = seeded.into_iter().rev().take(args.likers).collect();
            let cookies = crate::replay::seed_sessions(&store, &fresh).await.context("sessions")?;
            let before = store.article_counts(1).await?.likes;
            // Long enough for every member at 2 000 a second; the script
            // stops each thread when its members are done.
            let secs: u64 = (cookies.len() as u64).div_ceil(2_000) + 5;
            let run =
                get(&format!("{base}/api/articles/like"), args.connections, secs, &like_script(&cookies, &base, 1))?;
            let likes = store.article_counts(1).await?.likes - before;
            out.push(format!(
                "\n{engine}: {} distinct members liked one article within a {} s run (at least {:.0} likes/s; p50 {:.1} ms, p99 {:.1} ms over likes and the idle health checks after), {} likes answered, {} other; the count rose by {} — {}",
                cookies.len(),
                secs,
                run.acked as f64 / secs as f64,
                run.p50_ms,
                run.p99_ms,
                run.acked,
                run.other,
                likes,
                if likes == run.acked as i64 { "exact" } else { "NOT EXACT" }
            ));
            eprintln!("{}", out.last().expect("a line"));
        }
        store.close().await;
        drop(server);
    }
    println!("{}", out.join("\n"));
    Ok(())
}

/// The watchlist automaton: 10 000 words (2–4 characters, deterministic),
/// a 2 000-character comment with three of them planted, scanned 1 000
/// times; the median and the slowest scan.
fn watchlist() -> String {
    use domain::watchwords::{Tier, WatchWord, Watchlist};
    let mut seed: u64 = 20_261_201;
    let mut next = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as u32
    };
    let mut char_of = || char::from_u32(0x4E00 + next() % (0x9FA5 - 0x4E00)).unwrap_or('工');
    let mut words = Vec::new();
    for n in 0..10_000 {
        let len = 2 + n % 3;
        let word: String = (0..len).map(|_| char_of()).collect();
        let tier = [Tier::Block, Tier::Hold, Tier::Alert][n % 3];
        if let Ok(w) = WatchWord::parse(&word, tier, n % 7 == 0) {
            words.push(w);
        }
    }
    let built = Instant::now();
    let list = Watchlist::new(words.clone());
    let build = built.elapsed();
    let mut comment: String = (0..1_990).map(|_| char_of()).collect();
    for w in words.iter().step_by(3_333).take(3) {
        comment.insert_str(comment.len() / 2, &format!("，{}，", w.word));
    }
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..1_000 {
        let started = Instant::now();
        found = list.scan(&comment).len();
        times.push(started.elapsed());
    }
    times.sort();
    format!(
        "watchlist: {} words built in {:.1} ms; a {}-character comment scanned 1 000 times: median {:.3} ms, slowest {:.3} ms ({} words found)",
        list.len(),
        build.as_secs_f64() * 1e3,
        comment.chars().count(),
        times[500].as_secs_f64() * 1e3,
        times[999].as_secs_f64() * 1e3,
        found
    )
}
