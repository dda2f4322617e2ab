//! Two server processes behind nginx against one process, on one PostgreSQL
//! database, in one run: the candidate share page and votes. nginx runs with
//! the production proxy directives (deploy/nginx/gonghui-proxy.conf and
//! gonghui-limits.conf) in a plain-HTTP server block, as the smoke test does.
//!
//! On this 2-core machine nginx, both processes, PostgreSQL and wrk share
//! the cores, so the figure is what the proxy hop costs here, not the
//! scaling a second machine would bring.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use crate::{
    bench_campaign, bench_campaign_named, reads, sign_up_members, start_server, start_server_with, test_db, wrk,
    wrk_script, BENCH_SLUG, VOTES_PER_MEMBER_PER_PHASE,
};

#[derive(clap::Args)]
pub struct NginxArgs {
    /// Seconds per wrk run.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Connections.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Signed-in members the votes spread over (each may cast 100 a day per phase).
    #[arg(long, default_value_t = 2000)]
    members: usize,
    /// The release server binary.
    #[arg(long, default_value = "target/release/gonghui")]
    server: String,
    /// The nginx binary (Debian's nginx-light).
    #[arg(long, default_value = "/usr/sbin/nginx")]
    nginx: String,
}

struct Nginx {
    child: Child,
    _dir: tempfile::TempDir,
    base: String,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let _ = self.child.wait();
    }
}

fn start_nginx(binary: &str, upstreams: &[&str]) -> anyhow::Result<Nginx> {
    let deploy = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/nginx").canonicalize()?;
    let dir = tempfile::tempdir()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let root = std::fs::metadata(dir.path()).map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)?;
    let (folder, deploy_dir) = (dir.path().display(), deploy.display());
    let servers: String = upstreams.iter().map(|u| format!("        server {u};\n")).collect();
    let config = format!(
        r#"{user}daemon off;
worker_processes 1;
pid "{folder}/nginx.pid";
events {{ worker_connections 1024; }}
http {{
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path "{folder}/client_body";
    proxy_temp_path "{folder}/proxy";
    fastcgi_temp_path "{folder}/fastcgi";
    uwsgi_temp_path "{folder}/uwsgi";
    scgi_temp_path "{folder}/scgi";
    include "{deploy_dir}/gonghui-limits.conf";
    upstream gonghui {{
{servers}        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        root "{folder}";
        include "{deploy_dir}/gonghui-proxy.conf";
    }}
}}
"#,
        user = if root { "user root;\n" } else { "" },
    );
    std::fs::write(dir.path().join("nginx.conf"), config)?;
    let child = Command::new(binary)
        .arg("-p")
        .arg(dir.path())
        .arg("-c")
        .arg(dir.path().join("nginx.conf"))
        .arg("-e")
        .arg(dir.path().join("error.log"))
        .stdout(Stdio::null())
        .spawn()
        .with_context(|| format!("start {binary} (apt-get install nginx-light)"))?;
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(10) {
            bail!("nginx did not start: {}", std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(Nginx { child, _dir: dir, base: format!("http://127.0.0.1:{port}") })
}

pub async fn run(args: NginxArgs) -> anyhow::Result<()> {
    let db = test_db("postgres").await?;
    let proxied = [("GONGHUI_TRUST_PROXY", "true")];
    let one = start_server(&args.server, db.url())?;
    let two =
        [start_server_with(&args.server, db.url(), &proxied)?, start_server_with(&args.server, db.url(), &proxied)?];
    let addresses: Vec<&str> = two.iter().map(|s| s.base.trim_start_matches("http://")).collect();
    let nginx = start_nginx(&args.nginx, &addresses)?;
    bench_campaign(&db, 10, 2).await?;
    // Sessions live in the database: members signed up through one process
    // are signed in on all of them.
    eprintln!("registering {} members…", args.members);
    let cookies = sign_up_members(&one.base, args.members).await?;
    let mut table = vec![
        format!(
            "| path ({} connections) | one process req/s | p50 / p99 | two processes behind nginx req/s | p50 / p99 | ratio | answered / other |",
            args.connections
        ),
        "|---|---|---|---|---|---|---|".to_owned(),
    ];
    let page = format!("/v/{BENCH_SLUG}/1");
    let direct = wrk(&one.base, args.connections, args.duration, reads::GET_SCRIPT, &page)?;
    let behind = wrk(&nginx.base, args.connections, args.duration, reads::GET_SCRIPT, &page)?;
    table.push(format!(
        "| `GET {page}` | {} | {} | {} |",
        direct.columns(),
        behind.columns(),
        behind.against(&direct, true)
    ));
    eprintln!("{}", table.last().expect("a line"));
    for run in ["direct", "nginx"] {
        bench_campaign_named(&db, &format!("bench-{run}"), VOTES_PER_MEMBER_PER_PHASE, VOTES_PER_MEMBER_PER_PHASE)
            .await?;
    }
    // The Origin is the address the client used (nginx passes its Host on).
    let script = |run: &str, origin: &str| wrk_script(&cookies, origin, run, &format!("bench-{run}"), false);
    let direct = wrk(&one.base, args.connections, args.duration, &script("direct", &one.base), "/api/vote")?
        .votes_only("one process")?;
    let behind = wrk(&nginx.base, args.connections, args.duration, &script("nginx", &nginx.base), "/api/vote")?
        .votes_only("behind nginx")?;
    table.push(format!(
        "| `POST /api/vote` | {} | {} | {} |",
        direct.columns(),
        behind.columns(),
        behind.against(&direct, true)
    ));
    println!("{}", table.join("\n"));
    Ok(())
}
