//! Public images (campaign covers, candidates' photos), served from the
//! database by `GET /media/{kind}/{id}`.

use crate::BeginWrite;
use crate::{on_reader, on_writer, Store, StoreError};

/// What an image belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKind {
    Campaign,
    Candidate,
    Benefit,
    Activity,
    Wish,
    /// A works contest entry's gallery thumbnail.
    EntryThumb,
}

impl MediaKind {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "campaign" => Some(Self::Campaign),
            "candidate" => Some(Self::Candidate),
            "benefit" => Some(Self::Benefit),
            "activity" => Some(Self::Activity),
            "wish" => Some(Self::Wish),
            "entry_thumb" => Some(Self::EntryThumb),
            _ => None,
        }
    }

    pub fn as_key(self) -> &'static str {
        match self {
            Self::Campaign => "campaign",
            Self::Candidate => "candidate",
            Self::Benefit => "benefit",
            Self::Activity => "activity",
            Self::Wish => "wish",
            Self::EntryThumb => "entry_thumb",
        }
    }
}

impl Store {
    /// Stores (or replaces) the image of `owner` and points its row's URL at
    /// it, with the time as a cache-buster. Returns the URL.
    pub async fn put_media(
        &self,
        kind: MediaKind,
        owner: i64,
        content_type: &str,
        bytes: &[u8],
        now: i64,
    ) -> Result<String, StoreError> {
        let url = format!("/media/{}/{owner}?v={now}", kind.as_key());
        let update = match kind {
            MediaKind::Campaign => "UPDATE campaigns SET cover_url = $2 WHERE id = $1",
            MediaKind::Candidate => "UPDATE candidates SET photo_url = $2 WHERE id = $1",
            MediaKind::Benefit => "UPDATE benefits SET picture_url = $2 WHERE id = $1",
            MediaKind::Activity => "UPDATE activities SET picture_url = $2 WHERE id = $1",
            MediaKind::Wish => "UPDATE wishes SET photo_url = $2 WHERE id = $1",
            MediaKind::EntryThumb => "UPDATE candidates SET thumb_url = $2 WHERE id = $1",
        };
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO media (kind, owner_id, content_type, bytes, created_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (kind, owner_id) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes, \
                 created_at = excluded.created_at",
            )
            .bind(kind.as_key())
            .bind(owner)
            .bind(content_type)
            .bind(bytes)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query(update).bind(owner).bind(&url).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(url)
    }

    /// An image's content type and bytes.
    pub async fn media(&self, kind: MediaKind, owner: i64) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let row = on_reader!(self, pool => {
            sqlx::query_as("SELECT content_type, bytes FROM media WHERE kind = $1 AND owner_id = $2")
                .bind(kind.as_key())
                .bind(owner)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row)
    }
}
