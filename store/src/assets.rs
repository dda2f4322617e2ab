//! The asset library (素材库): pictures, audio, video and files of a unit,
//! reusable in later stories. The bytes live in blob storage (app::blobs);
//! here are their records and which stories use them.

use crate::{on_reader, on_writer, MemberId, Store, StoreError};

/// What an asset is, judged from its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssetKind {
    Photo,
    Audio,
    Video,
    File,
}

impl AssetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Photo => "photo",
            Self::Audio => "audio",
            Self::Video => "video",
            Self::File => "file",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Photo, Self::Audio, Self::Video, Self::File].into_iter().find(|k| k.as_str() == raw)
    }
}

/// An asset as stored, before it has an id.
pub struct NewAsset<'a> {
    pub token: &'a str,
    pub unit_code: &'a str,
    pub kind: AssetKind,
    pub title: &'a str,
    pub tags: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub blob_key: &'a str,
    /// Photos: the thumbnails' widths and blob keys, `320=key;960=key`.
    pub thumbs: &'a str,
    pub shared_down: bool,
    pub uploaded_by: MemberId,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Asset {
    pub id: i64,
    pub token: String,
    pub unit_name: String,
    pub kind: String,
    pub title: String,
    pub tags: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub blob_key: String,
    pub thumbs: String,
    pub shared_down: bool,
    pub created_at: i64,
}

/// Adds asset `$3` to author `$1`'s story `$2` (a draft or returned story)
/// when the asset is one the author may use: their own upload, their unit's,
/// or shared down from a unit above it.
pub(crate) const ATTACH_SQL: &str = "WITH RECURSIVE up (id, parent_id, depth) AS ( \
                     SELECT u.id, u.parent_id, 0 FROM units u JOIN stories s ON s.origin_unit_id = u.id WHERE s.id = $2 \
                     UNION ALL SELECT u.id, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id) \
                 INSERT INTO story_assets (story_id, asset_id, position) \
                 SELECT s.id, a.id, (SELECT COUNT(*) FROM story_assets x WHERE x.story_id = s.id) \
                 FROM stories s, assets a \
                 WHERE s.id = $2 AND s.author_id = $1 AND s.status IN ('draft', 'returned') AND a.id = $3 \
                     AND (a.uploaded_by = $1 OR a.unit_id = s.origin_unit_id \
                          OR (a.shared_down AND a.unit_id IN (SELECT id FROM up))) \
                 ON CONFLICT DO NOTHING";

/// Attaches `$assets` (ids, in order) to author `$author`'s story `$story`
/// inside the caller's transaction `$tx`; evaluates to
/// `Result<bool, sqlx::Error>`, `false` at the first asset the author may
/// not use (the caller then drops the transaction: nothing saved).
macro_rules! attach_in_tx {
    ($tx:expr, $author:expr, $story:expr, $assets:expr) => {
        async {
            for asset in $assets {
                let added = sqlx::query($crate::assets::ATTACH_SQL)
                    .bind($author)
                    .bind($story)
                    .bind(asset)
                    .execute(&mut *$tx)
                    .await?
                    .rows_affected();
                if added != 1 {
                    return Ok::<bool, sqlx::Error>(false);
                }
            }
            Ok(true)
        }
        .await
    };
}
pub(crate) use attach_in_tx;

/// An asset with the story it is attached to.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoryAsset {
    pub story_id: i64,
    #[sqlx(flatten)]
    pub asset: Asset,
}

const ASSET_COLUMNS: &str = "a.id, a.token, u.name AS unit_name, a.kind, a.title, a.tags, a.file_name, \
     a.content_type, a.size_bytes, a.width, a.height, a.blob_key, a.thumbs, a.shared_down, a.created_at";

impl Store {
    /// Records an uploaded asset of unit `unit_code`; its id.
    pub async fn insert_asset(&self, asset: &NewAsset<'_>, now: i64) -> Result<i64, StoreError> {
        let (id,): (i64,) = on_writer!(self, pool => {
            sqlx::query_as(
                "INSERT INTO assets (token, unit_id, kind, title, tags, file_name, content_type, size_bytes, width, \
                     height, blob_key, thumbs, shared_down, uploaded_by, created_at) \
                 SELECT $1, id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 FROM units WHERE code = $2 \
                 RETURNING id",
            )
            .bind(asset.token)
            .bind(asset.unit_code)
            .bind(asset.kind.as_str())
            .bind(asset.title)
            .bind(asset.tags)
            .bind(asset.file_name)
            .bind(asset.content_type)
            .bind(asset.size_bytes)
            .bind(asset.width)
            .bind(asset.height)
            .bind(asset.blob_key)
            .bind(asset.thumbs)
            .bind(asset.shared_down)
            .bind(asset.uploaded_by.0)
            .bind(now)
            .fetch_one(pool)
            .await?
        });
        Ok(id)
    }

    /// The asset at `/m/{token}`.
    pub async fn asset_by_token(&self, token: &str) -> Result<Option<Asset>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {ASSET_COLUMNS} FROM assets a JOIN units u ON u.id = a.unit_id WHERE a.token = $1"
            ))
            .bind(token)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Adds asset `asset` to the author's story `story` (a draft or a
    /// returned story: what reviewers saw does not change under them), when
    /// the asset is one the author may use. `false` otherwise.
    pub async fn attach_asset(&self, author: MemberId, story: i64, asset: i64) -> Result<bool, StoreError> {
        let added = on_writer!(self, pool => {
            sqlx::query(ATTACH_SQL)
            .bind(author.0)
            .bind(story)
            .bind(asset)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(added == 1)
    }

    /// Story `story`'s assets in the order they were added.
    pub async fn story_assets(&self, story: i64) -> Result<Vec<Asset>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {ASSET_COLUMNS} FROM story_assets sa JOIN assets a ON a.id = sa.asset_id \
                 JOIN units u ON u.id = a.unit_id WHERE sa.story_id = $1 ORDER BY sa.position, a.id"
            ))
            .bind(story)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The assets of each of `stories`, in the order they were added: one
    /// query for a whole list (a desk shows up to 50 stories).
    pub async fn assets_of_stories(&self, stories: &[i64]) -> Result<Vec<StoryAsset>, StoreError> {
        if stories.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=stories.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT sa.story_id, {ASSET_COLUMNS} FROM story_assets sa JOIN assets a ON a.id = sa.asset_id \
             JOIN units u ON u.id = a.unit_id WHERE sa.story_id IN ({}) ORDER BY sa.story_id, sa.position, a.id",
            placeholders.join(", ")
        );
        Ok(on_reader!(self, pool => {
            let mut query = sqlx::query_as(&sql);
            for id in stories {
                query = query.bind(id);
            }
            query.fetch_all(pool).await?
        }))
    }

    /// Whether story `id` is `author`'s draft.
    pub async fn is_own_draft(&self, author: MemberId, id: i64) -> Result<bool, StoreError> {
        let (yes,): (bool,) = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT EXISTS (SELECT 1 FROM stories WHERE id = $1 AND author_id = $2 AND status = 'draft')",
            )
            .bind(id)
            .bind(author.0)
            .fetch_one(pool)
            .await?
        });
        Ok(yes)
    }

    /// The library seen from unit `unit_code`: its own assets and those of
    /// the units above it that share theirs down, matching `query` in the
    /// title or tags (empty: all), uploaded in [`from`, `to`), newest first.
    pub async fn asset_library(
        &self,
        unit_code: &str,
        query: &str,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<Asset>, StoreError> {
        let pattern = format!("%{}%", query.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        Ok(on_reader!(self, pool => {
            sqlx::query_as(&format!(
                "WITH RECURSIVE up (id, parent_id, depth) AS ( \
                     SELECT id, parent_id, 0 FROM units WHERE code = $1 \
                     UNION ALL SELECT u.id, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id) \
                 SELECT {ASSET_COLUMNS} FROM assets a JOIN units u ON u.id = a.unit_id \
                 WHERE (a.unit_id = (SELECT id FROM up WHERE depth = 0) \
                        OR (a.shared_down AND a.unit_id IN (SELECT id FROM up))) \
                   AND (LOWER(a.title) LIKE LOWER($2) ESCAPE '\\' OR LOWER(a.tags) LIKE LOWER($2) ESCAPE '\\') \
                   AND a.created_at >= $3 AND a.created_at < $4 \
                 ORDER BY a.created_at DESC, a.id DESC LIMIT $5"
            ))
            .bind(unit_code)
            .bind(&pattern)
            .bind(from)
            .bind(to)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }
}
