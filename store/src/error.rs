/// What went wrong inside the store. None of this reaches a user verbatim:
/// the server logs it with context and shows a generic Chinese message.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database did not answer (down, unreachable, or no free connection
    /// within the acquire timeout). Pages answer 503 and retry later.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("DATABASE_URL must start with sqlite:// or postgres://")]
    UnsupportedUrl,
    #[error("cannot create the database folder: {0}")]
    CreateFolder(#[source] std::io::Error),
    /// A stored row no longer parses into its domain type.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// A backup or restore refused, in words for the operator.
    #[error("{0}")]
    Backup(String),
}

impl StoreError {
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Unavailable(_))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
                Self::Unavailable(error)
            }
            // 57P01 admin_shutdown, 57P03 cannot_connect_now, 3D000 the
            // database does not exist (dropped under us): all "come back later".
            sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("57P01" | "57P03" | "3D000")) => {
                Self::Unavailable(error)
            }
            _ => Self::Database(error),
        }
    }
}
