//! Which delivery files each établissement fetched.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::Db;
use crate::error::Result;

impl Db {
    /// Notes that `uai` fetched `file` (again: the time is updated).
    pub async fn fetched(
        &self,
        uai: &str,
        file: &str,
        bytes: u64,
        now: OffsetDateTime,
    ) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            "INSERT INTO flux_retraits (uai, fichier, octets, retire_le) VALUES ($1, $2, $3, $4)
             ON CONFLICT (uai, fichier) DO UPDATE SET octets = EXCLUDED.octets, retire_le = EXCLUDED.retire_le",
            &[&uai, &file, &i64::try_from(bytes).unwrap_or(i64::MAX), &now],
        )
        .await?;
        Ok(())
    }

    /// When `uai` fetched each file, by name.
    pub async fn fetched_files(&self, uai: &str) -> Result<BTreeMap<String, OffsetDateTime>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT fichier, retire_le FROM flux_retraits WHERE uai = $1",
                &[&uai],
            )
            .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}
