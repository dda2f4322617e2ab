//! 惠员福利 (issue 14): a benefit opening to a province's certified members.
//! `members` certified members (1 million by default) are seeded; the
//! first `claimers` of them (50 000) are signed in and each claims once,
//! over HTTP, as fast as wrk sends, against a quota of 10 000. Checked: the
//! stored claims are exactly the quota, every acknowledged claim is stored,
//! and how long the 50 000 took (they must fit in the first minute), with
//! p50 / p99.

use anyhow::Context;

use crate::{start_server_with, test_db, wrk};

#[derive(clap::Args)]
pub struct BenefitsArgs {
    /// `sqlite`, `postgres` or `both`.
    #[arg(long, default_value = "both")]
    engine: String,
    /// Certified members of the province.
    #[arg(long, default_value_t = 1_000_000)]
    members: usize,
    /// Members who claim, once each.
    #[arg(long, default_value_t = 50_000)]
    claimers: usize,
    #[arg(long, default_value_t = 10_000)]
    quota: i32,
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// The release server binary.
    #[arg(long, default_value = "target/release/gonghui")]
    server: String,
}

/// Each member claims once (threads take alternate members); 200 is a
/// claim acknowledged, 409 a refusal (used up); anything else is counted
/// apart and fails the run.
fn claim_script(cookies: &[String], origin: &str, benefit: i64) -> String {
    let list: Vec<String> = cookies.iter().map(|c| format!("{c:?}")).collect();
    format!(
        r#"local cookies = {{ {list} }}
local threads = {{}}
function setup(thread) thread:set("id", #threads) table.insert(threads, thread) end
function init(args) acked = 0 refused = 0 other = 0 next = id + 1 first = os.time() last = first end
function request()
  if next > #cookies then
    wrk.thread:stop()
    return wrk.format("GET", "/healthz")
  end
  local cookie = cookies[next]
  next = next + 2
  local headers = {{ ["Cookie"] = cookie, ["Origin"] = "{origin}", ["Content-Type"] = "application/x-www-form-urlencoded" }}
  return wrk.format("POST", "/api/benefits/claim", headers, "id={benefit}")
end
function response(status, headers, body)
  if status ~= 200 or string.match(body, "^%d+$") then last = os.time() end
  if status == 200 and string.match(body, "^%d+$") then acked = acked + 1
  elseif status == 409 then refused = refused + 1
  elseif status ~= 200 then other = other + 1 end
end
function done(summary, latency, requests)
  local a, r, o, s, e = 0, 0, 0, nil, 0
  for _, t in ipairs(threads) do
    a = a + t:get("acked"); r = r + t:get("refused"); o = o + t:get("other")
    s = math.min(s or t:get("first"), t:get("first")); e = math.max(e, t:get("last"))
  end
  io.write(string.format("ACKED %d OTHER %d STATUSES refused=%d,other=%d,secs=%d\n", a, r + o, r, o, e - s))
  io.write(string.format("ERRORS connect %d read %d write %d timeout %d\n", summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
"#,
        list = list.join(", "),
    )
}

pub async fn run(args: BenefitsArgs) -> anyhow::Result<()> {
    let engines: Vec<&str> = match args.engine.as_str() {
        "both" => vec!["sqlite", "postgres"],
        one => vec![one],
    };
    let mut out = Vec::new();
    for engine in engines {
        let db = test_db(engine).await?;
        let server = start_server_with(&args.server, db.url(), &[])?;
        let base = server.base.clone();
        let store = store::Store::connect(db.url(), &Default::default()).await?;
        let started = std::time::Instant::now();
        let roster: Vec<(String, String, String)> =
            (0..args.members).map(|i| ("福利会员".to_owned(), format!("16{i:09}"), "37010201".to_owned())).collect();
        let seeded = crate::replay::seed_members(&store, &roster, args.members).await?;
        match &store {
            store::Store::Sqlite { write, .. } => {
                sqlx::query("UPDATE members SET certified_at = 1").execute(write).await?;
            }
            store::Store::Postgres { pool } => {
                sqlx::query("UPDATE members SET certified_at = 1").execute(pool).await?;
            }
        }
        let claimers: Vec<(i64, i64)> = seeded.into_iter().take(args.claimers).collect();
        let cookies = crate::replay::seed_sessions(&store, &claimers).await.context("sessions")?;
        eprintln!(
            "{engine}: {} certified members, {} signed in ({:.0?})",
            args.members,
            cookies.len(),
            started.elapsed()
        );

        let admin = store.actor(store::MemberId(claimers[0].0)).await?;
        let admin = store::Actor { is_super_admin: true, ..admin };
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
        let partner =
            store.create_partner(&admin, "37", "万达影城", "bench-cinema", "x", now).await?.context("partner")?;
        let benefit = store
            .create_benefit(
                &admin,
                &store::NewBenefit {
                    unit_code: "37",
                    title: "职工1元观影",
                    description: "压测",
                    partner_id: partner,
                    birthday_month: false,
                    member_since: None,
                    once_per_year: false,
                    quota: args.quota,
                    quota_per_day: None,
                    opens_at: now - 60,
                    closes_at: now + 86_400,
                },
                now,
            )
            .await?
            .context("benefit")?;

        // Long enough for every member; each thread stops when its members are done.
        let secs = 60;
        let clock = std::time::Instant::now();
        let run = wrk(&base, args.connections, secs, &claim_script(&cookies, &base, benefit), "/api/benefits/claim")?;
        let sent_within = clock.elapsed();
        let stored = store.benefit(benefit).await?.context("the benefit")?.claimed;
        let field = |name: &str| -> u64 {
            run.detail
                .split(&format!("{name}="))
                .nth(1)
                .and_then(|s| s.split([',', ' ']).next())
                .and_then(|s| s.parse().ok())
                .unwrap_or(0)
        };
        let (refused, answered_within) = (field("refused"), field("secs"));
        let exact = stored == i64::from(args.quota) && run.acked as i64 == stored;
        // A wrk thread that stops drops the answers still in flight on its
        // connections (at most one each): those claims reached the server,
        // and were refused or stored like the rest.
        let unanswered = (cookies.len() as u64).saturating_sub(run.acked + refused);
        let all_answered = unanswered <= args.connections as u64;
        out.push(format!(
            "{engine}: {} claims from {} signed-in members (of {} certified) against a quota of {}: {} acknowledged, {} refused (used up), {} other; {} stored — {}; {} within {} s (wrk's clock, 1 s resolution; wrk itself ran {:.0} s, its set duration); p50 {:.1} ms, p99 {:.1} ms",
            cookies.len(),
            cookies.len(),
            args.members,
            args.quota,
            run.acked,
            refused,
            run.other.saturating_sub(refused),
            stored,
            if exact { "exactly the quota, every acknowledged claim among them" } else { "NOT EXACT" },
            if all_answered {
                format!("all answered but wrk's {unanswered} in flight when its threads stopped (≤ {} connections)", args.connections)
            } else {
                format!("NOT ALL answered ({unanswered} missing)")
            },
            answered_within,
            sent_within.as_secs_f64(),
            run.p50_ms,
            run.p99_ms,
        ));
        eprintln!("{}", out.last().expect("a line"));
        store.close().await;
        drop(server);
    }
    println!("{}", out.join("\n"));
    Ok(())
}
