//! Behind nginx (issue 16): two server processes on one PostgreSQL database,
//! nginx in front with the production proxy directives — a test
//! configuration (plain HTTP on a free port, no certificates) that includes
//! deploy/nginx/gonghui-limits.conf and gonghui-proxy.conf, the files the
//! production gonghui.conf includes. A member registers, signs in and votes
//! through it; the backends' access logs name the member's own address, not
//! nginx's and not one the member made up.
//!
//! Needs nginx (`apt-get install nginx-light`; `make test` installs it):
//! skipped with a notice where it is missing, failed under CI.

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{form_post, latest_code, Person, PASSWORD, TEST_DATA_KEY};
use store::testing::TestDb;

const CAMPAIGN: &str = server::demo::DEMO_CAMPAIGN_SLUG;
/// The member's address: not nginx's (127.0.0.1), so a backend that logged
/// its TCP peer instead of the forwarded address would be caught.
const MEMBER_ADDRESS: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
/// Another client's, for the cross-process rate limit.
const FLOODER_ADDRESS: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);

mod postgres {
    #[tokio::test]
    async fn two_processes_behind_nginx_serve_a_member_who_votes_and_log_the_members_own_address() {
        let Some(nginx) = super::nginx_binary() else { return };
        let Some(db) = store::testing::TestDb::postgres().await else { return };
        super::two_processes_behind_nginx_serve_a_member_who_votes_and_log_the_members_own_address(nginx, db).await
    }
}

async fn two_processes_behind_nginx_serve_a_member_who_votes_and_log_the_members_own_address(
    nginx: PathBuf,
    db: TestDb,
) {
    // Arrange: two processes (one after the other: the first loads the demo
    // union), a site root with a precompressed bundle file, nginx.
    let backends = [Backend::start(db.url()), Backend::start(db.url())];
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/gonghui.css"), "body{color:#c00}").unwrap();
    std::fs::write(site.path().join("pkg/gonghui.css.gz"), "the gzip sibling").unwrap();
    std::fs::write(site.path().join("pkg/gonghui.0123456789abcdef.css"), "body{color:#c01}").unwrap();
    let proxy = Nginx::start(&nginx, &[&backends[0].addr, &backends[1].addr], site.path());
    let member = Person { http: browser(MEMBER_ADDRESS), base: proxy.base.clone() };

    // Pages through nginx.
    let (status, home) = member.get("/").await;
    assert_eq!(status, 200, "{home}");
    let (status, page) = member.get(&format!("/v/{CAMPAIGN}")).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"property="og:title""#), "{page}");

    // Registration: the code lands in whichever process sent it (the
    // development SMS inbox is per process), so both are asked directly.
    let phone = "13700000042";
    let (status, html) =
        member.post("/register", "/api/auth/register-code", &[("phone", phone), ("unit", "37010201")]).await;
    assert_eq!(status, 200, "the Origin check passed through nginx: {html}");
    let direct = reqwest::Client::new();
    let mut code = None;
    for backend in &backends {
        code = code.or(latest_code(&direct, &backend.base, phone).await);
    }
    let code = code.expect("one of the processes sent a code");
    let (status, html) = member
        .post(
            "/register",
            "/api/auth/register",
            &[("phone", phone), ("code", &code), ("name", "过代理"), ("password", PASSWORD), ("unit", "37010201")],
        )
        .await;
    assert_eq!(status, 303, "{html}");

    // Signing in from another browser on the same address, and voting.
    let voter = Person { http: browser(MEMBER_ADDRESS), base: proxy.base.clone() };
    let (status, _) = voter.post("/login", "/api/auth/login", &[("phone", phone), ("password", PASSWORD)]).await;
    assert_eq!(status, 303);
    for _ in 0..4 {
        let (status, me) = voter.get("/me").await;
        assert_eq!(status, 200);
        assert!(!me.contains("登录后可查看会员信息"), "signed in on both processes: {me}");
    }
    let vote = voter
        .http
        .post(format!("{}/api/vote", voter.base))
        .header("Origin", &voter.base)
        .form(&[("campaign", CAMPAIGN), ("number", "7"), ("key", "nginx-vote-000001")])
        .send()
        .await
        .unwrap();
    assert_eq!(vote.status(), 200);
    let vote: serde_json::Value = vote.json().await.unwrap();
    assert!(vote["remaining_today"].is_number(), "{vote}");
    assert_eq!(stored_votes(&db, phone).await, 1);

    // A made-up X-Forwarded-For: nginx replaces it with the address it saw.
    let response = voter
        .http
        .get(format!("{}/nginx-spoof-check", proxy.base))
        .header("X-Forwarded-For", "6.6.6.6")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);

    // Assert: the access log lines of both processes name the member's
    // address (round robin reached both), never nginx's for the member's
    // requests, never the made-up one.
    let member_lines = |backend: &Backend| backend.access_lines(&format!("client={MEMBER_ADDRESS} "));
    let logged = || {
        backends.iter().all(|b| !member_lines(b).is_empty())
            && backends.iter().any(|b| !b.access_lines("path=/nginx-spoof-check").is_empty())
    };
    let started = Instant::now();
    while !logged() && started.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let spoof: Vec<String> = backends.iter().flat_map(|b| b.access_lines("path=/nginx-spoof-check")).collect();
    assert_eq!(spoof.len(), 1, "{spoof:?}");
    assert!(spoof[0].contains(&format!("client={MEMBER_ADDRESS} ")), "{}", spoof[0]);
    let everything = both_logs(&backends);
    assert!(!everything.contains("6.6.6.6"), "the made-up address reached a process as the client:\n{everything}");
    for path in ["/api/auth/register", "/api/auth/login", "/api/vote", "/me"] {
        let lines: Vec<String> = backends.iter().flat_map(|b| b.access_lines(&format!("path={path} "))).collect();
        assert!(!lines.is_empty(), "no access line for {path}:\n{everything}");
        for line in lines {
            assert!(line.contains(&format!("client={MEMBER_ADDRESS} ")), "{path} logged with another address: {line}");
        }
    }
    for (name, backend) in ["A", "B"].iter().zip(&backends) {
        assert!(
            !member_lines(backend).is_empty(),
            "process {name} served none of the member's requests (no round robin?):\n{}",
            both_logs(&backends)
        );
    }

    // /metrics: refused by nginx to anyone but this machine (the process
    // would refuse 127.0.0.2 too, with its own message).
    let refused = member.http.get(format!("{}/metrics", proxy.base)).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    let body = refused.text().await.unwrap();
    assert!(body.contains("nginx") && !body.contains("禁止访问"), "refused by nginx, not the app: {body}");
    let allowed = direct.get(format!("{}/metrics", proxy.base)).send().await.unwrap();
    assert_eq!(allowed.status(), 200);
    assert!(allowed.text().await.unwrap().contains("gonghui_http_requests_total"));

    // The bundle: from the site root, precompressed; a content-hashed name
    // kept a year, a plain name (`make watch`) revalidated every time.
    let css =
        direct.get(format!("{}/pkg/gonghui.css", proxy.base)).header("Accept-Encoding", "gzip").send().await.unwrap();
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some("gzip"));
    assert_eq!(css.headers()["cache-control"], "no-cache");
    let hashed = direct.get(format!("{}/pkg/gonghui.0123456789abcdef.css", proxy.base)).send().await.unwrap();
    assert_eq!(hashed.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(hashed.text().await.unwrap(), "body{color:#c01}");
    assert_eq!(css.text().await.unwrap(), "the gzip sibling");
    let css = direct.get(format!("{}/pkg/gonghui.css", proxy.base)).send().await.unwrap();
    assert_eq!(css.text().await.unwrap(), "body{color:#c00}");

    // The big screen's event stream comes through nginx within seconds (an
    // event every 5 s). It did with `proxy_buffering off` commented out too:
    // this shows the stream works, not which buffering setting is in force.
    let mut events = member.http.get(format!("{}/screen/events", proxy.base)).send().await.unwrap();
    assert_eq!(events.status(), 200);
    assert!(events.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let first = tokio::time::timeout(Duration::from_secs(12), events.chunk())
        .await
        .expect("an event within 12 s")
        .unwrap()
        .expect("a chunk");
    let first = String::from_utf8_lossy(&first);
    assert!(first.contains("data:") || first.starts_with(':'), "{first}");
    drop(events);

    // One per-address limit on the account routes across both processes:
    // each process alone allows 30 posts a minute, so 40 posts spread over
    // two would all pass; nginx stops them after its burst of 30.
    let flooder = browser(FLOODER_ADDRESS);
    let (mut passed, mut limited) = (0, 0);
    for _ in 0..40 {
        let response = form_post(&flooder, &proxy.base, "/register", "/api/auth/register-code")
            .form(&[("phone", "1"), ("unit", "37010201")])
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            limited += 1;
            let text = response.text().await.unwrap();
            assert!(text.contains("操作太频繁，请稍后再试"), "nginx's answer, not a process's: {text}");
        } else {
            passed += 1;
        }
    }
    assert!((30..=34).contains(&passed) && limited > 0, "{passed} passed, {limited} limited");
}

/// Where nginx is, or `None` (with a notice) when it is missing outside CI.
fn nginx_binary() -> Option<PathBuf> {
    let debian = PathBuf::from("/usr/sbin/nginx");
    let found = if debian.is_file() {
        Some(debian)
    } else {
        std::env::var_os("PATH")
            .into_iter()
            .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
            .map(|dir| dir.join("nginx"))
            .find(|candidate| candidate.is_file())
    };
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "nginx is not installed (apt-get install nginx-light); CI must run the nginx smoke test"
        );
        eprintln!("SKIPPED nginx smoke test: nginx not installed (apt-get install nginx-light)");
    }
    found
}

/// A browser whose connections leave from `address` (any 127.x address is
/// this machine on Linux): its cookies, redirects not followed.
fn browser(address: Ipv4Addr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(address))
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

async fn stored_votes(db: &TestDb, phone: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap();
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM votes v JOIN members m ON m.id = v.member_id WHERE m.phone = $1")
            .bind(phone)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    n
}

/// A `gonghui serve` process trusting X-Forwarded-For from this machine
/// (nginx), whose log lines are kept: `RunningServer` reads its output only
/// for the address, and the access log (target `gonghui::access`) goes to
/// the same stdout.
struct Backend {
    /// `127.0.0.1:port`, for nginx's upstream block.
    addr: String,
    base: String,
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
    _media: tempfile::TempDir,
}

impl Backend {
    fn start(database_url: &str) -> Self {
        let media = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_gonghui"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("GONGHUI_ADDR", "127.0.0.1:0")
            .env("GONGHUI_MEDIA_DIR", media.path())
            .env("GONGHUI_DATA_KEY", TEST_DATA_KEY)
            .env("GONGHUI_REQUEST_TIMEOUT_SECS", "10")
            .env("GONGHUI_TRUST_PROXY", "true")
            .env("RUST_LOG", "warn,gonghui::access=info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start gonghui");
        let stdout = child.stdout.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let kept = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let line = without_colours(&line);
                if let Some(url) = line.split("http://").nth(1).filter(|_| !line.contains("gonghui::access")) {
                    let _ = tx.send(url.trim().to_owned());
                }
                kept.lock().unwrap().push(line);
            }
        });
        let addr = rx.recv_timeout(Duration::from_secs(30)).expect("gonghui printed its address within 30 s");
        Self { base: format!("http://{addr}"), addr, child, log, _media: media }
    }

    /// The access log lines holding `needle`.
    fn access_lines(&self, needle: &str) -> Vec<String> {
        let log = self.log.lock().unwrap();
        log.iter().filter(|l| l.contains("gonghui::access") && l.contains(needle)).cloned().collect()
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn both_logs(backends: &[Backend]) -> String {
    backends
        .iter()
        .zip(["A", "B"])
        .map(|(b, name)| format!("--- process {name}\n{}", b.log.lock().unwrap().join("\n")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The line without ANSI colour sequences (tracing colours its fields where
/// NO_COLOR is not honoured).
fn without_colours(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// nginx in the foreground with a generated configuration in a temporary
/// folder (its pid, logs and temp files too).
struct Nginx {
    base: String,
    child: Child,
    dir: tempfile::TempDir,
}

impl Nginx {
    fn start(binary: &Path, upstreams: &[&str], site_root: &Path) -> Self {
        let deploy = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/nginx").canonicalize().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let config = dir.path().join("nginx.conf");
        std::fs::write(&config, "").unwrap();
        // nginx started by root switches its workers to `nobody`, who could
        // not read this private folder: keep them root then.
        let root = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(&config).unwrap()) == 0;
        let text = test_config(root, dir.path(), &deploy, upstreams, port, site_root);
        std::fs::write(&config, text).unwrap();
        let stderr = std::fs::File::create(dir.path().join("stderr.log")).unwrap();
        let mut child = Command::new(binary)
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&config)
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("start nginx");
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let started = Instant::now();
        while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
            let exited = child.try_wait().unwrap();
            if exited.is_some() || started.elapsed() > Duration::from_secs(10) {
                let read = |name| std::fs::read_to_string(dir.path().join(name)).unwrap_or_default();
                panic!(
                    "nginx did not start ({exited:?}):\n{}\n{}\nconfiguration:\n{}",
                    read("stderr.log"),
                    read("error.log"),
                    read("nginx.conf")
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { base: format!("http://127.0.0.1:{port}"), child, dir }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // TERM to the master: it stops its workers (a killed master would
        // leave them holding the port).
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        eprintln!("nginx did not stop within 5 s; its folder: {}", self.dir.path().display());
    }
}

/// The test's nginx.conf: what a production gonghui.conf has around the
/// shared files (upstream, server block, root), plus the paths a non-root,
/// foreground nginx needs; TLS left out.
fn test_config(root: bool, dir: &Path, deploy: &Path, upstreams: &[&str], port: u16, site_root: &Path) -> String {
    let dir = dir.display();
    let deploy = deploy.display();
    let site_root = site_root.display();
    let user = if root { "user root;\n" } else { "" };
    let servers: String =
        upstreams.iter().map(|u| format!("        server {u} max_fails=2 fail_timeout=10s;\n")).collect();
    format!(
        r#"{user}daemon off;
worker_processes 1;
pid "{dir}/nginx.pid";
error_log "{dir}/error.log" warn;
events {{
    worker_connections 256;
}}
http {{
    types {{
        text/html html;
        text/css css;
        application/javascript js;
        application/wasm wasm;
    }}
    default_type application/octet-stream;
    access_log "{dir}/access.log";
    client_body_temp_path "{dir}/client_body";
    proxy_temp_path "{dir}/proxy";
    fastcgi_temp_path "{dir}/fastcgi";
    uwsgi_temp_path "{dir}/uwsgi";
    scgi_temp_path "{dir}/scgi";

    include "{deploy}/gonghui-limits.conf";

    upstream gonghui {{
{servers}        keepalive 8;
        keepalive_timeout 60s;
    }}

    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root "{site_root}";
        include "{deploy}/gonghui-proxy.conf";
    }}
}}
"#
    )
}
