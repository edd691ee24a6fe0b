//! What the Samba AD domain holds of cartable's passwords, and the comparisons' outcomes.

use rusqlite::params;

use super::{ReadTxn, WriteTxn, sql_err};
use crate::Result;

/// Whether the domain holds an account's ENT password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainPassword {
    /// Written there by cartable (or come back from a Windows change).
    Set,
    /// Owed: the ENT set it while the domain was out of reach.
    Pending,
}

impl DomainPassword {
    fn as_str(self) -> &'static str {
        match self {
            Self::Set => "set",
            Self::Pending => "pending",
        }
    }
}

/// One comparison of the domain with the annuaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainRun {
    pub at: i64,
    pub differences: i64,
    pub repaired: i64,
    pub error: Option<String>,
}

impl ReadTxn<'_> {
    /// Every account's password state in the domain, by login.
    pub fn domain_passwords(&self) -> Result<Vec<(String, DomainPassword)>> {
        let mut st = self
            .conn
            .prepare("SELECT login, state FROM domain_passwords ORDER BY login")
            .map_err(sql_err("prepare domain passwords"))?;
        let rows = st
            .query_map([], |r| {
                let state: String = r.get(1)?;
                Ok((
                    r.get(0)?,
                    if state == "set" {
                        DomainPassword::Set
                    } else {
                        DomainPassword::Pending
                    },
                ))
            })
            .map_err(sql_err("read domain passwords"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read domain passwords"))
    }

    /// One account's password state, when cartable last wrote it, and the key version AD
    /// gave that write.
    pub fn domain_password(
        &self,
        login: &str,
    ) -> Result<Option<(DomainPassword, i64, Option<i64>)>> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row(
                "SELECT state, at, kvno FROM domain_passwords WHERE login = ?1",
                [login],
                |r| {
                    let state: String = r.get(0)?;
                    let state = if state == "set" {
                        DomainPassword::Set
                    } else {
                        DomainPassword::Pending
                    };
                    Ok((state, r.get(1)?, r.get(2)?))
                },
            )
            .optional()
            .map_err(sql_err("read domain password"))
    }

    /// The latest comparisons, newest first.
    pub fn domain_runs(&self, limit: i64) -> Result<Vec<DomainRun>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT at, differences, repaired, error FROM domain_runs
                 ORDER BY id DESC LIMIT ?1",
            )
            .map_err(sql_err("prepare domain runs"))?;
        let rows = st
            .query_map([limit], |r| {
                Ok(DomainRun {
                    at: r.get(0)?,
                    differences: r.get(1)?,
                    repaired: r.get(2)?,
                    error: r.get(3)?,
                })
            })
            .map_err(sql_err("read domain runs"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read domain runs"))
    }
}

impl WriteTxn<'_> {
    pub fn set_domain_password(&self, login: &str, state: DomainPassword, at: i64) -> Result<()> {
        self.set_domain_password_version(login, state, at, None)
    }

    /// [`Self::set_domain_password`] with the key version AD gave the write, when known.
    pub fn set_domain_password_version(
        &self,
        login: &str,
        state: DomainPassword,
        at: i64,
        kvno: Option<i64>,
    ) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO domain_passwords (login, state, at, kvno) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (login) DO UPDATE SET state = excluded.state, at = excluded.at,
                 kvno = excluded.kvno",
                params![login, state.as_str(), at, kvno],
            )
            .map_err(sql_err("write domain password"))?;
        Ok(())
    }

    /// Forgets an account the domain no longer has.
    pub fn forget_domain_password(&self, login: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM domain_passwords WHERE login = ?1", [login])
            .map_err(sql_err("forget domain password"))?;
        Ok(())
    }

    pub fn add_domain_run(&self, run: &DomainRun) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO domain_runs (at, differences, repaired, error) VALUES (?1, ?2, ?3, ?4)",
                params![run.at, run.differences, run.repaired, run.error],
            )
            .map_err(sql_err("write domain run"))?;
        Ok(())
    }
}
