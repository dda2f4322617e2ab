//! Starts the real `gonghui` binary for a test, on a port the OS picks.
//!
//! Each server is its own process: Leptos keeps process-wide state (its task
//! spawner, the reactive owner), and several servers on several test
//! runtimes inside one process hung or lost their context now and then.
//! A process per server is also exactly what production runs.

#![allow(dead_code)] // each test file uses its own part of this

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The data key test servers seal personal data with.
pub const TEST_DATA_KEY: &str = "5f1c0de0a1b2c3d4e5f60718293a4b5c6d7e8f901122334455667788990aabbc";

pub struct RunningServer {
    pub base: String,
    pub child: Child,
    /// The server's media folder (asset library and upload spool).
    pub media: tempfile::TempDir,
}

impl RunningServer {
    /// Starts `gonghui serve` on `database_url` with extra environment
    /// variables, and waits until it prints the address it listens on.
    pub fn start(database_url: &str, env: &[(&str, &str)]) -> Self {
        let media = tempfile::tempdir().expect("media folder");
        let mut command = Command::new(env!("CARGO_BIN_EXE_gonghui"));
        command
            .env("GONGHUI_MEDIA_DIR", media.path())
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("GONGHUI_ADDR", "127.0.0.1:0")
            .env("GONGHUI_REQUEST_TIMEOUT_SECS", "10")
            .env("RUST_LOG", "warn")
            .env("GONGHUI_DATA_KEY", TEST_DATA_KEY)
            .stdout(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("start gonghui");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.split("http://").nth(1) {
                    let _ = tx.send(format!("http://{}", url.trim()));
                }
            }
        });
        let base = rx.recv_timeout(Duration::from_secs(30)).expect("gonghui printed its address within 30 s");
        Self { base, child, media }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends SIGTERM and waits (at most `limit`) for the exit status.
    pub fn terminate(&mut self, limit: Duration) -> std::process::ExitStatus {
        let kill = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("kill");
        assert!(kill.success());
        let started = std::time::Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(started.elapsed() < limit, "still running {limit:?} after SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub const PASSWORD: &str = "qilu-gongjiang-2019";

/// One person's browser: their own cookies, redirects not followed.
pub struct Person {
    pub http: reqwest::Client,
    pub base: String,
}

impl Person {
    pub fn new(server: &RunningServer) -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        Self { http, base: server.base.clone() }
    }

    /// Submits a form on `page` to its server function `action`, as a
    /// browser does: the answer is a page (or a 303).
    pub async fn post(&self, page: &str, action: &str, form: &[(&str, &str)]) -> (u16, String) {
        let response = form_post(&self.http, &self.base, page, action).form(form).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// Like `post`, answering the status and the `Location` it sent the
    /// browser to (empty when none).
    pub async fn post_for_location(&self, page: &str, action: &str, form: &[(&str, &str)]) -> (u16, String) {
        let response = form_post(&self.http, &self.base, page, action).form(form).send().await.unwrap();
        let location = response.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_owned();
        (response.status().as_u16(), location)
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// Registers (and stays signed in).
    pub async fn register(&self, phone: &str, name: &str, unit: &str) {
        let (status, _) = self.post("/register", "/api/auth/register-code", &[("phone", phone), ("unit", unit)]).await;
        assert_eq!(status, 200);
        let code = latest_code(&self.http, &self.base, phone).await.expect("a code was sent");
        let (status, html) = self
            .post(
                "/register",
                "/api/auth/register",
                &[("phone", phone), ("code", &code), ("name", name), ("password", PASSWORD), ("unit", unit)],
            )
            .await;
        assert_eq!(status, 303, "{html}");
    }
}

/// A form post as a browser sends it from `page` to the server function at
/// `action`: from this site (Origin, Referer), asking for a page.
pub fn form_post(http: &reqwest::Client, base: &str, page: &str, action: &str) -> reqwest::RequestBuilder {
    http.post(format!("{base}{action}"))
        .header("Origin", base)
        .header("Referer", format!("{base}{page}"))
        .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
}

pub fn make_admin(database_url: &str, phone: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_gonghui"))
        .args(["make-admin", phone])
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("设为超级管理员"));
}

/// The newest code the development SMS sender "sent" to `phone` (its inbox
/// is at /dev/sms), or `None` when nothing went to that phone.
pub async fn latest_code(http: &reqwest::Client, base: &str, phone: &str) -> Option<String> {
    let inbox: serde_json::Value = http.get(format!("{base}/dev/sms")).send().await.unwrap().json().await.unwrap();
    inbox.as_array().unwrap().iter().find(|m| m["phone"] == phone).map(|m| {
        let text = m["text"].as_str().unwrap();
        let after = &text[text.find("验证码是").expect("code text") + "验证码是".len()..];
        after.trim_start().chars().take_while(char::is_ascii_digit).collect()
    })
}

/// One test per engine for each scenario `async fn(TestDb)`; the PostgreSQL
/// ones skip (with a notice) when no server answers, outside CI.
#[allow(unused_macros)] // not every test file has engine-independent scenarios
macro_rules! on_both_engines_with_db {
    (@more $($scenario:ident),* $(,)?) => { on_both_engines_with_db!(@in sqlite_more, postgres_more; $($scenario),*); };
    (@limits $($scenario:ident),* $(,)?) => { on_both_engines_with_db!(@in sqlite_limits, postgres_limits; $($scenario),*); };
    ($($scenario:ident),* $(,)?) => { on_both_engines_with_db!(@in sqlite, postgres; $($scenario),*); };
    (@in $sqlite:ident, $postgres:ident; $($scenario:ident),*) => {
        mod $sqlite {
            $(#[tokio::test] async fn $scenario() { super::$scenario(store::testing::TestDb::sqlite().await).await })*
        }
        mod $postgres {
            $(#[tokio::test] async fn $scenario() {
                let Some(db) = store::testing::TestDb::postgres().await else { return };
                super::$scenario(db).await
            })*
        }
    };
}

impl Person {
    /// Uploads `file` as the multipart field `file` from `page` to `action`.
    pub async fn upload(&self, page: &str, action: &str, file: Vec<u8>) -> (u16, String) {
        let part = reqwest::multipart::Part::bytes(file).file_name("upload.csv").mime_str("text/csv").unwrap();
        let response = form_post(&self.http, &self.base, page, action)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }
}

impl Person {
    /// A multipart post with text fields and files (field name, file name, bytes).
    pub async fn upload_parts(
        &self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
        files: Vec<(&str, &str, Vec<u8>)>,
    ) -> (u16, String) {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        for (name, file_name, bytes) in files {
            // The browser's claimed type is ignored; the server judges the bytes.
            let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned());
            form = form.part(name.to_owned(), part);
        }
        let response = form_post(&self.http, &self.base, page, action).multipart(form).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }
}

/// What the photo checks look at: a PNG signature and some bytes.
pub fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend(std::iter::repeat_n(7u8, 2000));
    bytes
}

/// `YYYY-MM-DD` in Shanghai, `days` from today, as a page's date input sends it.
pub fn date_in_days(days: i64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let date = domain::CivilDate::in_shanghai(now + days * 86_400);
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Moves every SMS code sent so far `secs` into the past (the resend wait,
/// the hour of wrong tries) without the test waiting for it.
pub async fn age_sms_codes(database_url: &str, secs: i64) {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(database_url).await.unwrap();
    sqlx::query(&format!("UPDATE sms_codes SET created_at = created_at - {secs}")).execute(&mut conn).await.unwrap();
}

/// The new-campaign form as an official fills it in: 历下区 (370102) runs
/// `slug`, sign-up from today, review in a week, voting in two, publicity
/// in three, closing in four. Tests change the field they are about.
pub struct CampaignForm(Vec<(&'static str, String)>);

impl CampaignForm {
    pub fn lixia(slug: &str) -> Self {
        let fields = [
            ("title", "历下区最美职工"),
            ("description", "评选身边的最美职工。"),
            ("unit", "370102"),
            ("slug", slug),
            ("voter_rule", "registered"),
            ("votes_per_day", "5"),
            ("votes_per_candidate", "1"),
            ("expert_weight_pct", "20"),
        ];
        let dates = [
            ("signup_starts", 0),
            ("review_starts", 7),
            ("voting_starts", 14),
            ("publicity_starts", 21),
            ("closes", 28),
        ];
        let mut all: Vec<(&'static str, String)> = fields.iter().map(|(n, v)| (*n, v.to_string())).collect();
        all.extend(dates.iter().map(|(n, days)| (*n, date_in_days(*days))));
        Self(all)
    }

    /// The same form with `name` set to `value`.
    pub fn with(mut self, name: &'static str, value: &str) -> Self {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(field) => field.1 = value.to_owned(),
            None => self.0.push((name, value.to_owned())),
        }
        self
    }

    /// The fields as a form post sends them.
    pub fn fields(&self) -> Vec<(&str, &str)> {
        self.0.iter().map(|(n, v)| (*n, v.as_str())).collect()
    }
}
