//! PostgreSQL: a pool of connections and the schema's versioned migrations, applied in one
//! transaction each at start (a half-applied migration is rolled back, never left).

pub mod accounts;
pub mod flux;
pub mod ingest;
pub mod read;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};

use crate::error::{Error, Result};

/// The migrations, in order; each runs once, its number recorded.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../../migrations/0001_etablissements.sql")),
    (2, include_str!("../../migrations/0002_flux.sql")),
];

/// The hub's database.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
}

impl Db {
    /// Connects (no TLS: PostgreSQL runs beside the hub, over its socket or loopback) and
    /// brings the schema up to date.
    pub async fn open(config: &tokio_postgres::Config) -> Result<Self> {
        let manager = Manager::from_config(
            config.clone(),
            tokio_postgres::NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(16)
            .build()
            .map_err(|e| Error::Database(e.to_string()))?;
        let db = Self { pool };
        db.migrate().await?;
        Ok(db)
    }

    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Object> {
        Ok(self.pool.get().await?)
    }

    async fn migrate(&self) -> Result<()> {
        let mut c = self.client().await?;
        c.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applique_le timestamptz NOT NULL DEFAULT now())",
        )
        .await?;
        for (version, sql) in MIGRATIONS {
            let t = c.transaction().await?;
            // Two hubs starting at once: the second waits, then sees the version applied.
            t.batch_execute("LOCK TABLE schema_version IN EXCLUSIVE MODE")
                .await?;
            let done = t
                .query_opt(
                    "SELECT 1 FROM schema_version WHERE version = $1",
                    &[version],
                )
                .await?
                .is_some();
            if !done {
                t.batch_execute(sql).await?;
                t.execute(
                    "INSERT INTO schema_version (version) VALUES ($1)",
                    &[version],
                )
                .await?;
                tracing::info!(version, "migration appliquée");
            }
            t.commit().await?;
        }
        Ok(())
    }

    /// The schema's version.
    pub async fn version(&self) -> Result<i32> {
        let c = self.client().await?;
        let row = c
            .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[])
            .await?;
        Ok(row.get(0))
    }

    /// The database's size in bytes.
    pub async fn size(&self) -> Result<i64> {
        let c = self.client().await?;
        Ok(
            c.query_one("SELECT pg_database_size(current_database())", &[])
                .await?
                .get(0),
        )
    }
}
