//! CAS service tickets.

use rusqlite::{OptionalExtension, params};

use super::{ReadTxn, WriteTxn, sql_err};
use crate::Result;

/// A ticket as issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasTicket {
    pub ticket: String,
    /// `ST`, `PT` or `PGT`.
    pub kind: String,
    pub proxy: Option<String>,
    pub service: String,
    pub login: String,
    pub session: Vec<u8>,
    pub created_at: i64,
    pub expires_at: i64,
    pub renewed: bool,
}

const TICKET_COLUMNS: &str =
    "ticket, service, login, session, created_at, expires_at, renewed, kind, proxy";

fn ticket_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CasTicket> {
    Ok(CasTicket {
        ticket: r.get(0)?,
        service: r.get(1)?,
        login: r.get(2)?,
        session: r.get(3)?,
        created_at: r.get(4)?,
        expires_at: r.get(5)?,
        renewed: r.get(6)?,
        kind: r.get(7)?,
        proxy: r.get(8)?,
    })
}

impl ReadTxn<'_> {
    /// A live proxy granting ticket.
    pub fn pgt(&self, ticket: &str, now: i64) -> Result<Option<CasTicket>> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {TICKET_COLUMNS} FROM cas_tickets
                     WHERE ticket = ?1 AND kind = 'PGT' AND expires_at >= ?2"
                ),
                params![ticket, now],
                ticket_row,
            )
            .optional()
            .map_err(sql_err("read pgt"))
    }

    /// Tickets a session had validated: the services to tell at sign-out.
    pub fn validated_tickets_of(&self, session: &[u8]) -> Result<Vec<(String, String, String)>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT ticket, service, login FROM cas_tickets
                 WHERE session = ?1 AND kind != 'PGT' AND used_at IS NOT NULL
                 ORDER BY created_at",
            )
            .map_err(sql_err("prepare tickets"))?;
        let rows = st
            .query_map([session], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(sql_err("read tickets"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read tickets"))
    }
}

impl WriteTxn<'_> {
    /// Takes the validated tickets of every session of a person (signing out everywhere).
    pub fn take_tickets_of_login(&self, login: &str) -> Result<Vec<(String, String, String)>> {
        let mut st = self
            .conn
            .prepare(
                "DELETE FROM cas_tickets WHERE login = ?1
                 RETURNING ticket, service, login, used_at",
            )
            .map_err(sql_err("prepare tickets"))?;
        let rows = st
            .query_map([login], |r| {
                Ok((
                    (r.get(0)?, r.get(1)?, r.get(2)?),
                    r.get::<_, Option<i64>>(3)?,
                ))
            })
            .map_err(sql_err("take tickets"))?;
        let mut out = Vec::new();
        for row in rows {
            let (t, used) = row.map_err(sql_err("take tickets"))?;
            if used.is_some() {
                out.push(t);
            }
        }
        Ok(out)
    }

    pub fn add_ticket(&self, t: &CasTicket) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO cas_tickets(ticket, service, login, session, created_at, expires_at,
                                         renewed, kind, proxy)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    t.ticket,
                    t.service,
                    t.login,
                    t.session,
                    t.created_at,
                    t.expires_at,
                    t.renewed,
                    t.kind,
                    t.proxy,
                ],
            )
            .map(|_| ())
            .map_err(sql_err("add ticket"))
    }

    /// Takes a ticket for validation: only once, only before it expires.
    pub fn consume_ticket(&self, ticket: &str, now: i64) -> Result<Option<CasTicket>> {
        self.conn
            .query_row(
                &format!(
                    "UPDATE cas_tickets SET used_at = ?2
                     WHERE ticket = ?1 AND kind != 'PGT' AND used_at IS NULL AND expires_at >= ?2
                     RETURNING {TICKET_COLUMNS}"
                ),
                params![ticket, now],
                ticket_row,
            )
            .optional()
            .map_err(sql_err("consume ticket"))
    }

    /// Forgets a session's tickets (after its single logout).
    pub fn delete_tickets_of(&self, session: &[u8]) -> Result<usize> {
        self.conn
            .execute("DELETE FROM cas_tickets WHERE session = ?1", [session])
            .map_err(sql_err("delete tickets"))
    }

    /// Drops unused tickets long expired, and used ones older than `before`.
    pub fn purge_tickets(&self, now: i64, before: i64) -> Result<usize> {
        self.conn
            .execute(
                "DELETE FROM cas_tickets WHERE (used_at IS NULL AND expires_at < ?1)
                                            OR created_at < ?2",
                [now, before],
            )
            .map_err(sql_err("purge tickets"))
    }
}
