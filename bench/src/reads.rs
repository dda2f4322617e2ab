//! Read paths: the candidate share page (what a link shared in a chat app
//! opens), the campaign page with its leaderboard, and the leaderboard as
//! JSON (`/api/campaign`, what the hydrated page refetches), each against a
//! bare axum handler serving a static page of the same size, in one run.

use std::sync::LazyLock;

use crate::{bench_campaign, start_bare, start_server, test_db, wrk, BENCH_SLUG};

#[derive(clap::Args)]
pub struct ReadArgs {
    /// `sqlite`, `postgres` or `both`.
    #[arg(long, default_value = "both")]
    engine: String,
    /// Seconds per wrk run.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Connections.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// The release server binary.
    #[arg(long, default_value = "target/release/gonghui")]
    server: String,
}

/// About the size of a candidate page's HTML (so the reference does the
/// same amount of socket work).
pub static BARE_PAGE: LazyLock<String> = LazyLock::new(|| {
    let mut page = String::from(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>参考</title></head><body>",
    );
    while page.len() < 12_000 {
        page.push_str("<p>齐鲁工匠候选人事迹：扎根一线二十年，带出徒弟三十余人。</p>");
    }
    page.push_str("</body></html>");
    page
});

/// A plain GET, counting non-200 answers.
pub(crate) const GET_SCRIPT: &str = r#"
function init(args) acked = 0 other = 0 statuses = {} end
function response(status, headers, body)
  if status == 200 then acked = acked + 1 else other = other + 1 statuses[status] = (statuses[status] or 0) + 1 end
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do a = a + t:get("acked"); o = o + t:get("other") end
  io.write(string.format("ACKED %d OTHER %d STATUSES -\n", a, o))
  io.write(string.format("ERRORS connect %d read %d write %d timeout %d\n", summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
"#;

pub async fn run(args: ReadArgs) -> anyhow::Result<()> {
    let bare = start_bare().await?;
    let engines: Vec<&str> = match args.engine.as_str() {
        "both" => vec!["sqlite", "postgres"],
        one => vec![one],
    };
    let mut table = vec![
        format!("| engine | path ({} connections) | req/s | p50 / p99 | bare axum req/s | p50 / p99 | ratio | 200 / other |", args.connections),
        "|---|---|---|---|---|---|---|---|".to_owned(),
    ];
    for engine in engines {
        let db = test_db(engine).await?;
        let server = start_server(&args.server, db.url())?;
        bench_campaign(&db, 10, 2).await?;
        let size = reqwest::get(format!("{}/v/{BENCH_SLUG}/1", server.base)).await?.text().await?.len();
        eprintln!("{engine}: candidate page is {size} bytes of HTML; the reference page {} bytes", BARE_PAGE.len());
        for path in
            [format!("/v/{BENCH_SLUG}/1"), format!("/v/{BENCH_SLUG}"), format!("/api/campaign?slug={BENCH_SLUG}")]
        {
            // wrk requests the URL it is given; the script only counts.
            let reference = wrk_get(&format!("{bare}/page"), args.connections, args.duration)?;
            let ours = wrk_get(&format!("{}{path}", server.base), args.connections, args.duration)?;
            table.push(format!(
                "| {engine} | `{path}` | {} | {} | {} |",
                ours.columns(),
                reference.columns(),
                ours.against(&reference, false)
            ));
            eprintln!("{}", table.last().expect("a line"));
        }
    }
    println!("{}", table.join("\n"));
    Ok(())
}

fn wrk_get(url: &str, connections: usize, duration: u64) -> anyhow::Result<crate::Run> {
    let (base, path) = url
        .split_at(url.find("://").map(|i| i + 3).and_then(|i| url[i..].find('/').map(|j| i + j)).unwrap_or(url.len()));
    wrk(base, connections, duration, GET_SCRIPT, path)
}
