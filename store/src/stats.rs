//! Per-unit counts for the registration and certification statistics; the
//! sums over subtrees are `domain::stats::subtree_totals`.

use domain::stats::Counts;

use crate::{on_reader, Store, StoreError};

impl Store {
    /// Every unit's own roster, registered and certified counts (units with
    /// none included, as zeros), by unit code. Three aggregates in one query.
    pub async fn own_unit_counts(&self) -> Result<Vec<(String, Counts)>, StoreError> {
        let rows: Vec<(String, i64, i64, i64)> = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT u.code, COALESCE(r.n, 0), COALESCE(m.n, 0), COALESCE(m.c, 0) FROM units u \
                 LEFT JOIN (SELECT unit_id, COUNT(*) AS n FROM roster_entries GROUP BY unit_id) r ON r.unit_id = u.id \
                 LEFT JOIN (SELECT unit_id, COUNT(*) AS n, \
                            SUM(CASE WHEN roster_entry_id IS NOT NULL THEN 1 ELSE 0 END) AS c \
                            FROM members GROUP BY unit_id) m ON m.unit_id = u.id",
            )
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(code, roster, registered, certified)| (code, Counts { roster, registered, certified }))
            .collect())
    }
}
