//! Telling every server process that something it may hold a copy of changed.
//!
//! Processes keep short-lived copies (sessions 10 s, "this session is still
//! current" 10 s, a campaign's rules 5 s, whole signed-out pages 2 s). The
//! process that makes a change drops its own copies at once; on PostgreSQL it
//! also announces the change with `pg_notify`, and every process — itself
//! included — drops its copies when the notification arrives (`listen`), in
//! practice within milliseconds. On SQLite there is one process per database
//! and nothing to announce.
//!
//! Notifications are not stored: one sent while a listener is reconnecting is
//! lost. So once a new connection listens again the listener reports
//! `Change::Everything` and the caller drops all its copies — a few extra
//! database reads instead of a stale sign-out.

use std::time::Duration;

use sqlx::postgres::PgListener;

use crate::{Store, StoreError};

/// The PostgreSQL channel every process listens on.
const CHANNEL: &str = "gonghui_changes";

/// What changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A session record was saved or deleted (signed out): its id.
    Session(String),
    /// A member's session epoch moved (signed out everywhere, password reset,
    /// phone change): their other sessions end.
    Epoch(i64),
    /// A campaign's rules, candidates or voids changed.
    Campaign(i64),
    /// An app's bearer token ended: its SHA-256 (hex).
    Token(String),
    /// A registered app was added or revoked (origins, keys).
    Apps,
    /// Anything may have changed (the listener reconnected).
    Everything,
}

impl Change {
    fn payload(&self) -> String {
        match self {
            Self::Session(id) => format!("s:{id}"),
            Self::Epoch(member) => format!("e:{member}"),
            Self::Campaign(id) => format!("c:{id}"),
            Self::Token(hash) => format!("t:{hash}"),
            Self::Apps => "a".to_owned(),
            Self::Everything => "*".to_owned(),
        }
    }

    fn parse(payload: &str) -> Option<Self> {
        match payload {
            "*" => return Some(Self::Everything),
            "a" => return Some(Self::Apps),
            _ => {}
        }
        let (kind, value) = payload.split_once(':')?;
        match kind {
            "s" => Some(Self::Session(value.to_owned())),
            "e" => value.parse().ok().map(Self::Epoch),
            "c" => value.parse().ok().map(Self::Campaign),
            "t" => Some(Self::Token(value.to_owned())),
            _ => None,
        }
    }
}

impl Store {
    /// Tells the other processes (PostgreSQL) that `change` happened. The
    /// caller has already dropped its own copies. A failure is logged, not
    /// returned: the change itself is committed, and the other processes'
    /// copies expire by their age anyway.
    pub async fn announce(&self, change: &Change) {
        if let Store::Postgres { pool } = self {
            let sent = sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(change.payload()).execute(pool).await;
            if let Err(error) = sent {
                tracing::warn!(%error, ?change, "could not announce a change to the other processes");
            }
        }
    }

    /// Calls `on_change` for every change any process announces, for as long
    /// as the process runs (spawn it). Does nothing on SQLite.
    ///
    /// When the connection is lost the copies are kept (the database is
    /// likely down, and a copy is what still lets a signed-in member get a
    /// "try again" instead of "sign in"); once a new connection is listening,
    /// everything is dropped, since announcements sent meanwhile are lost.
    pub async fn listen(&self, on_change: impl Fn(Change) + Send + Sync + 'static) -> Result<(), StoreError> {
        let Store::Postgres { pool } = self else { return Ok(()) };
        let mut first = true;
        loop {
            let mut listener = loop {
                match PgListener::connect_with(pool).await {
                    Ok(mut listener) => match listener.listen(CHANNEL).await {
                        Ok(()) => break listener,
                        Err(error) => tracing::warn!(%error, "LISTEN failed; trying again"),
                    },
                    Err(error) => tracing::debug!(%error, "no listener connection; trying again"),
                }
                tokio::time::sleep(RETRY_AFTER).await;
            };
            if !first {
                tracing::info!("change listener reconnected; dropping every cached copy");
                on_change(Change::Everything);
            }
            first = false;
            loop {
                match listener.try_recv().await {
                    Ok(Some(notification)) => {
                        if let Some(change) = Change::parse(notification.payload()) {
                            on_change(change);
                        }
                    }
                    // `None`: the connection was lost.
                    Ok(None) => break,
                    Err(error) => {
                        tracing::warn!(%error, "change listener failed");
                        break;
                    }
                }
            }
            tracing::warn!("change listener lost its connection");
            tokio::time::sleep(RETRY_AFTER).await;
        }
    }
}

/// How long the listener waits before trying a lost database again.
const RETRY_AFTER: Duration = Duration::from_secs(1);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_survives_its_trip_through_a_notification() {
        for change in [
            Change::Session("abc".into()),
            Change::Epoch(7),
            Change::Campaign(3),
            Change::Token("f00d".into()),
            Change::Apps,
            Change::Everything,
        ] {
            assert_eq!(Change::parse(&change.payload()), Some(change));
        }
        assert_eq!(Change::parse("x:1"), None);
        assert_eq!(Change::parse("e:not-a-number"), None);
    }
}
