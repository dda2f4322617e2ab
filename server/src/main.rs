//! The `gonghui` binary: `gonghui` (or `gonghui serve`) runs the portal;
//! other subcommands do one administrative job and exit. Settings come from
//! environment variables (README.md, "Configuration").

use anyhow::Context;
use app::spreadsheet as units_csv;
use clap::{Parser, Subcommand};
use server::{serve, shutdown_signal, Config};
use store::{Store, StoreOptions};

/// mimalloc instead of glibc malloc: see the workspace Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "gonghui", version, about = "工会会员服务 — Gonghui member portal")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the portal (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Import or update the union's unit tree from a CSV file
    /// (columns code,parent_code,name,level; UTF-8).
    ImportUnits {
        /// The CSV file.
        file: std::path::PathBuf,
    },
    /// Import or update the member roster from a CSV file
    /// (unit_code,member_no,name,gender,birth_date,id_number,phone; UTF-8).
    /// Rows with problems are listed and skipped; the rest import in one transaction.
    ImportRoster {
        /// The CSV file.
        file: std::path::PathBuf,
    },
    /// Make a registered member a super admin (powers over the whole tree).
    MakeAdmin {
        /// The member's mobile number.
        phone: String,
    },
    /// Write a consistent copy of the SQLite database to a new file while
    /// the server runs (PostgreSQL: pg_dump, see docs/DEPLOY.md).
    Backup {
        /// The backup file to create (must not exist).
        file: std::path::PathBuf,
    },
    /// Seal every ID number, phone, photo, letter and secret again under the
    /// current data key (GONGHUI_DATA_KEY) and recompute the blind indexes,
    /// reading what the previous key sealed (GONGHUI_PREVIOUS_DATA_KEY).
    /// The servers keep running meanwhile; see docs/DEPLOY.md.
    RotateDataKey,
    /// Check a backup and put it in place of the SQLite database at
    /// DATABASE_URL. Stop the server first.
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
        /// Replace an existing database.
        #[arg(long)]
        overwrite: bool,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        // Colour codes only on a terminal: in the journal or a log file they
        // are noise (NO_COLOR is no longer needed for that).
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let cli = Cli::parse();
    let config = Config::from_env().context("invalid configuration")?;
    // Restoring must not open (and so create or migrate) the database it replaces.
    if let Some(Command::Restore { file, overwrite }) = &cli.command {
        let facts = store::backup::restore_sqlite(file, &config.database_url, *overwrite)
            .await
            .with_context(|| format!("cannot restore {}", file.display()))?;
        println!(
            "已从 {} 恢复数据库：{} 位会员，{} 张选票（迁移 {}）。启动服务时会补齐新的迁移。",
            file.display(),
            facts.members,
            facts.votes,
            facts.migration
        );
        return Ok(());
    }
    let store = Store::connect(
        &config.database_url,
        &StoreOptions { pg_max_connections: config.pg_max_connections, sqlite_durability: config.sqlite_durability },
    )
    .await
    .with_context(|| format!("cannot open the database at {}", redact(&config.database_url)))?;

    match cli.command.unwrap_or(Command::Serve) {
        Command::Restore { .. } => unreachable!("handled before the database is opened"),
        Command::Backup { file } => {
            let started = std::time::Instant::now();
            store.backup_to(&file).await.with_context(|| format!("cannot back up to {}", file.display()))?;
            let facts = store::backup::check_backup(&file).await.context("the backup does not check out")?;
            println!(
                "已备份到 {}（{} 位会员，{} 张选票，用时 {:.1} 秒）。",
                file.display(),
                facts.members,
                facts.votes,
                started.elapsed().as_secs_f64()
            );
        }
        Command::Migrate => {
            tracing::info!("migrations applied");
        }
        Command::RotateDataKey => {
            let key = server::load_data_key(&config)?;
            anyhow::ensure!(
                key.is_rotating(),
                "请先把新密钥设为 GONGHUI_DATA_KEY、旧密钥设为 GONGHUI_PREVIOUS_DATA_KEY，并用这两个设置逐个重启服务进程（见 docs/DEPLOY.md）"
            );
            let started = std::time::Instant::now();
            let summary = store
                .rotate_data_key(&key, |table, checked| println!("{table}：已检查 {checked} 个加密字段"))
                .await
                .context("the rotation stopped; running it again resumes it")?;
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
            let what = format!("检查 {} 个加密字段，重新加密 {} 行", summary.checked, summary.resealed);
            store.audit(None, "更换数据密钥", &what, "gonghui rotate-data-key", None, now).await?;
            println!(
                "密钥更换完成：{what}，用时 {:.1} 秒。现在可以去掉 GONGHUI_PREVIOUS_DATA_KEY 并逐个重启服务进程。",
                started.elapsed().as_secs_f64()
            );
        }
        Command::ImportUnits { file } => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let tree = units_csv::read_units_file(&bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
            let summary = store.import_units(&tree).await?;
            println!("导入完成：新增 {} 个单位，更新 {} 个单位。", summary.inserted, summary.updated);
        }
        Command::ImportRoster { file } => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let key = server::load_data_key(&config)?;
            let (entries, problems) = server::check_roster_file_for_cli(&store, &bytes).await?;
            for problem in &problems {
                eprintln!("{problem}");
            }
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
            let summary = store
                .import_roster(&entries, &key, &store::Reach::Everything, now)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let what = format!("新增 {} 人，更新 {} 人", summary.inserted, summary.updated);
            store.audit(None, "导入名册", &what, "gonghui import-roster", None, now).await?;
            println!("名册导入完成：{what}；{} 处问题所在的行未导入。", problems.len());
        }
        Command::MakeAdmin { phone } => {
            let phone = domain::Phone::parse(&phone).map_err(|e| anyhow::anyhow!("{e}"))?;
            anyhow::ensure!(store.make_super_admin(&phone).await?, "没有手机号为 {} 的会员：请先注册", phone.masked());
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
            store.audit(None, "设为超级管理员", &phone.masked(), "gonghui make-admin", None, now).await?;
            println!("已将 {} 设为超级管理员。", phone.masked());
        }
        Command::Serve => {
            if config.demo_data {
                let key = if config.demo_people { Some(server::load_data_key(&config)?) } else { None };
                if server::demo::load_if_empty(&store, key.as_ref()).await? {
                    if let Some(key) = &key {
                        server::demo::load_publishing(&store, &server::media::open(&config)?).await?;
                        server::demo::load_services(&store).await?;
                        server::demo::load_mail(&store, key).await?;
                    }
                    println!("已载入演示数据（山东省总工会）。");
                }
            }
            let listener = tokio::net::TcpListener::bind(config.addr)
                .await
                .with_context(|| format!("cannot listen on {}", config.addr))?;
            let addr = listener.local_addr()?;
            // Printed (not only logged) so scripts and people see where to go.
            println!("Gonghui 已启动：http://{addr}");
            if !config.site_root.join("pkg").join(format!("{}_bg.wasm", server::BUNDLE_NAME)).exists() {
                tracing::warn!(site_root = %config.site_root.display(), "browser bundle not built: pages work without JavaScript; run `make bundle`");
            }
            let app = server::app(config, store.clone()).await?;
            serve(listener, app, store, shutdown_signal()).await?;
        }
    }
    Ok(())
}

/// The URL without its password, for error messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}
