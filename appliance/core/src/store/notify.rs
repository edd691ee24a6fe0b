//! Notifications, preferences, addresses and the mail outbox.

use rusqlite::{OptionalExtension, params};

use super::{ReadTxn, WriteTxn, sql_err};
use crate::Result;

/// A notification as its recipient sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub urgent: bool,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// One e-mail of the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailRow {
    pub id: i64,
    pub key: String,
    pub recipient: String,
    pub address: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub next_at: i64,
    pub attempts: i64,
    pub sent_at: Option<i64>,
    pub failed_at: Option<i64>,
    pub last_error: Option<String>,
}

/// The address a person gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressRow {
    pub address: String,
    pub requested_at: i64,
    pub verified_at: Option<i64>,
}

pub struct NewNotification<'a> {
    pub recipient: &'a str,
    pub kind: &'a str,
    pub dedup: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub link: Option<&'a str>,
    pub urgent: bool,
    pub at: i64,
}

pub struct NewMail<'a> {
    pub key: &'a str,
    pub recipient: &'a str,
    pub address: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub notification_id: Option<i64>,
    pub at: i64,
    pub next_at: i64,
}

const N_COLUMNS: &str = "id, kind, title, body, link, urgent, created_at, read_at";
const M_COLUMNS: &str = "id, key, recipient, address, subject, body, created_at, next_at, attempts, sent_at, failed_at, last_error";

fn n_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<NotificationRow> {
    Ok(NotificationRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        title: r.get(2)?,
        body: r.get(3)?,
        link: r.get(4)?,
        urgent: r.get::<_, i64>(5)? != 0,
        created_at: r.get(6)?,
        read_at: r.get(7)?,
    })
}

fn m_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MailRow> {
    Ok(MailRow {
        id: r.get(0)?,
        key: r.get(1)?,
        recipient: r.get(2)?,
        address: r.get(3)?,
        subject: r.get(4)?,
        body: r.get(5)?,
        created_at: r.get(6)?,
        next_at: r.get(7)?,
        attempts: r.get(8)?,
        sent_at: r.get(9)?,
        failed_at: r.get(10)?,
        last_error: r.get(11)?,
    })
}

impl ReadTxn<'_> {
    pub fn notifications_unread(&self, login: &str) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM notifications WHERE recipient = ?1 AND read_at IS NULL",
                [login],
                |r| r.get(0),
            )
            .map_err(sql_err("count unread notifications"))
    }

    pub fn notifications_count(&self, login: &str) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM notifications WHERE recipient = ?1",
                [login],
                |r| r.get(0),
            )
            .map_err(sql_err("count notifications"))
    }

    /// Newest first.
    pub fn notifications_of(
        &self,
        login: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<NotificationRow>> {
        let mut st = self
            .conn
            .prepare_cached(&format!(
                "SELECT {N_COLUMNS} FROM notifications WHERE recipient = ?1
                 ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3"
            ))
            .map_err(sql_err("prepare notifications"))?;
        let rows = st
            .query_map(params![login, limit, offset], n_row)
            .map_err(sql_err("read notifications"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read notifications"))
    }

    pub fn mail_of_notification(&self, id: i64) -> Result<Option<MailRow>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {M_COLUMNS} FROM mail_outbox WHERE notification_id = ?1"
            ))
            .and_then(|mut st| st.query_row([id], m_row).optional())
            .map_err(sql_err("read mail of notification"))
    }

    pub fn notify_pref(&self, login: &str, kind: &str) -> Result<Option<String>> {
        self.conn
            .prepare_cached("SELECT delivery FROM notify_prefs WHERE login = ?1 AND kind = ?2")
            .and_then(|mut st| st.query_row([login, kind], |r| r.get(0)).optional())
            .map_err(sql_err("read notification preference"))
    }

    pub fn notify_prefs(&self, login: &str) -> Result<Vec<(String, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT kind, delivery FROM notify_prefs WHERE login = ?1 ORDER BY kind")
            .map_err(sql_err("prepare preferences"))?;
        let rows = st
            .query_map([login], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sql_err("read preferences"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read preferences"))
    }

    pub fn notify_quiet(&self, login: &str) -> Result<Option<(u8, u8)>> {
        self.conn
            .prepare_cached("SELECT start_hour, end_hour FROM notify_quiet WHERE login = ?1")
            .and_then(|mut st| {
                st.query_row([login], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(sql_err("read quiet hours"))
    }

    pub fn mail_address(&self, login: &str) -> Result<Option<AddressRow>> {
        self.conn
            .prepare_cached(
                "SELECT address, requested_at, verified_at FROM mail_addresses WHERE login = ?1",
            )
            .and_then(|mut st| {
                st.query_row([login], |r| {
                    Ok(AddressRow {
                        address: r.get(0)?,
                        requested_at: r.get(1)?,
                        verified_at: r.get(2)?,
                    })
                })
                .optional()
            })
            .map_err(sql_err("read address"))
    }

    /// Mails not sent nor refused for good, due at `now`, oldest first.
    pub fn mails_due(&self, now: i64, limit: i64) -> Result<Vec<MailRow>> {
        let mut st = self
            .conn
            .prepare_cached(&format!(
                "SELECT {M_COLUMNS} FROM mail_outbox
                 WHERE sent_at IS NULL AND failed_at IS NULL AND next_at <= ?1
                 ORDER BY next_at, id LIMIT ?2"
            ))
            .map_err(sql_err("prepare mail outbox"))?;
        let rows = st
            .query_map([now, limit], m_row)
            .map_err(sql_err("read mail outbox"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read mail outbox"))
    }

    /// When the next waiting mail is due, if any.
    pub fn mail_next_due(&self) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT MIN(next_at) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL",
                [],
                |r| r.get(0),
            )
            .map_err(sql_err("read mail outbox"))
    }

    pub fn mails_to(&self, login: &str, limit: i64) -> Result<Vec<MailRow>> {
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT {M_COLUMNS} FROM mail_outbox WHERE recipient = ?1
                 ORDER BY created_at DESC, id DESC LIMIT ?2"
            ))
            .map_err(sql_err("prepare mails"))?;
        let rows = st
            .query_map(params![login, limit], m_row)
            .map_err(sql_err("read mails"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read mails"))
    }

    /// Every recipient told under `key`, with his e-mail if one was queued.
    pub fn deliveries(&self, key: &str) -> Result<Vec<(String, Option<MailRow>)>> {
        let mut st = self
            .conn
            .prepare("SELECT id, recipient FROM notifications WHERE dedup = ?1 ORDER BY recipient")
            .map_err(sql_err("prepare deliveries"))?;
        let told: Vec<(i64, String)> = st
            .query_map([key], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sql_err("read deliveries"))?
            .collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read deliveries"))?;
        told.into_iter()
            .map(|(id, who)| Ok((who, self.mail_of_notification(id)?)))
            .collect()
    }

    /// Who has notifications waiting for the daily summary.
    pub fn digest_recipients(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("SELECT DISTINCT recipient FROM notifications WHERE digest_to IS NOT NULL")
            .map_err(sql_err("prepare digests"))?;
        let rows = st
            .query_map([], |r| r.get(0))
            .map_err(sql_err("read digests"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read digests"))
    }

    /// A person's notifications waiting for his summary, oldest first, with the address.
    pub fn digest_of(&self, login: &str) -> Result<Vec<(NotificationRow, String)>> {
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT {N_COLUMNS}, digest_to FROM notifications
                 WHERE recipient = ?1 AND digest_to IS NOT NULL ORDER BY created_at, id"
            ))
            .map_err(sql_err("prepare digest"))?;
        let rows = st
            .query_map([login], |r| Ok((n_row(r)?, r.get(8)?)))
            .map_err(sql_err("read digest"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read digest"))
    }

    /// Everyone the notifications tables know of.
    pub fn notification_logins(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT recipient FROM notifications UNION SELECT login FROM notify_prefs
                 UNION SELECT login FROM notify_quiet UNION SELECT login FROM mail_addresses
                 UNION SELECT recipient FROM mail_outbox",
            )
            .map_err(sql_err("prepare notification logins"))?;
        let rows = st
            .query_map([], |r| r.get(0))
            .map_err(sql_err("read notification logins"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(sql_err("read notification logins"))
    }

    pub fn mail_key_exists(&self, key: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM mail_outbox WHERE key = ?1",
                [key],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
            .map_err(sql_err("read mail outbox"))
    }
}

impl WriteTxn<'_> {
    /// The new notification's id; None if this recipient already had one under this key.
    pub fn notification_insert(&self, n: &NewNotification<'_>) -> Result<Option<i64>> {
        let added = self
            .conn
            .prepare_cached(
                "INSERT INTO notifications(recipient, kind, dedup, title, body, link, urgent, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(recipient, dedup) DO NOTHING",
            )
            .and_then(|mut st| {
                st.execute(params![
                    n.recipient,
                    n.kind,
                    n.dedup,
                    n.title,
                    n.body,
                    n.link,
                    i64::from(n.urgent),
                    n.at
                ])
            })
            .map_err(sql_err("add notification"))?;
        Ok((added == 1).then(|| self.conn.last_insert_rowid()))
    }

    pub fn notification_digest(&self, id: i64, address: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE notifications SET digest_to = ?2 WHERE id = ?1",
                params![id, address],
            )
            .map(|_| ())
            .map_err(sql_err("keep for the summary"))
    }

    pub fn digest_done(&self, login: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE notifications SET digest_to = NULL WHERE recipient = ?1 AND digest_to IS NOT NULL",
                [login],
            )
            .map(|_| ())
            .map_err(sql_err("clear summary"))
    }

    /// Marks read and returns the link, if it is `login`'s.
    pub fn notification_open(
        &self,
        login: &str,
        id: i64,
        at: i64,
    ) -> Result<Option<Option<String>>> {
        let link: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT link FROM notifications WHERE id = ?1 AND recipient = ?2",
                params![id, login],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err("read notification"))?;
        if link.is_some() {
            self.conn
                .execute(
                    "UPDATE notifications SET read_at = ?2 WHERE id = ?1 AND read_at IS NULL",
                    params![id, at],
                )
                .map_err(sql_err("mark read"))?;
        }
        Ok(link)
    }

    pub fn notifications_all_read(&self, login: &str, at: i64) -> Result<usize> {
        self.conn
            .execute(
                "UPDATE notifications SET read_at = ?2 WHERE recipient = ?1 AND read_at IS NULL",
                params![login, at],
            )
            .map_err(sql_err("mark all read"))
    }

    pub fn set_notify_pref(&self, login: &str, kind: &str, delivery: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO notify_prefs(login, kind, delivery) VALUES (?1, ?2, ?3)
                 ON CONFLICT(login, kind) DO UPDATE SET delivery = ?3",
                [login, kind, delivery],
            )
            .map(|_| ())
            .map_err(sql_err("save preference"))
    }

    pub fn set_notify_quiet(&self, login: &str, start: u8, end: u8) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO notify_quiet(login, start_hour, end_hour) VALUES (?1, ?2, ?3)
                 ON CONFLICT(login) DO UPDATE SET start_hour = ?2, end_hour = ?3",
                params![login, start, end],
            )
            .map(|_| ())
            .map_err(sql_err("save quiet hours"))
    }

    pub fn set_mail_address(
        &self,
        login: &str,
        address: &str,
        token_hash: &[u8],
        at: i64,
    ) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO mail_addresses(login, address, token_hash, requested_at, verified_at)
                 VALUES (?1, ?2, ?3, ?4, NULL)
                 ON CONFLICT(login) DO UPDATE SET address = ?2, token_hash = ?3, requested_at = ?4,
                   verified_at = NULL",
                params![login, address, token_hash, at],
            )
            .map(|_| ())
            .map_err(sql_err("save address"))
    }

    /// Checks the token (asked after `since`); true when the address is now checked.
    pub fn verify_mail_address(
        &self,
        login: &str,
        token_hash: &[u8],
        since: i64,
        at: i64,
    ) -> Result<bool> {
        self.conn
            .execute(
                "UPDATE mail_addresses SET verified_at = ?4, token_hash = NULL
                 WHERE login = ?1 AND token_hash = ?2 AND requested_at >= ?3",
                params![login, token_hash, since, at],
            )
            .map(|n| n == 1)
            .map_err(sql_err("check address"))
    }

    pub fn delete_mail_address(&self, login: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM mail_addresses WHERE login = ?1", [login])
            .map(|_| ())
            .map_err(sql_err("forget address"))
    }

    /// Queues a mail unless its key was ever queued; true when queued now.
    pub fn mail_enqueue(&self, m: &NewMail<'_>) -> Result<bool> {
        self.conn
            .prepare_cached(
                "INSERT INTO mail_outbox(key, recipient, address, subject, body, notification_id,
                   created_at, next_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(key) DO NOTHING",
            )
            .and_then(|mut st| {
                st.execute(params![
                    m.key,
                    m.recipient,
                    m.address,
                    m.subject,
                    m.body,
                    m.notification_id,
                    m.at,
                    m.next_at
                ])
            })
            .map(|n| n == 1)
            .map_err(sql_err("queue mail"))
    }

    pub fn mail_sent(&self, id: i64, at: i64) -> Result<()> {
        self.conn
            .execute(
                "UPDATE mail_outbox SET sent_at = ?2, attempts = attempts + 1, last_error = NULL
                 WHERE id = ?1",
                [id, at],
            )
            .map(|_| ())
            .map_err(sql_err("mark mail sent"))
    }

    pub fn mail_retry(&self, id: i64, next_at: i64, error: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE mail_outbox SET attempts = attempts + 1, next_at = ?2, last_error = ?3
                 WHERE id = ?1",
                params![id, next_at, error],
            )
            .map(|_| ())
            .map_err(sql_err("reschedule mail"))
    }

    pub fn mail_refused(&self, id: i64, at: i64, error: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE mail_outbox SET attempts = attempts + 1, failed_at = ?2, last_error = ?3
                 WHERE id = ?1",
                params![id, at, error],
            )
            .map(|_| ())
            .map_err(sql_err("mark mail refused"))
    }

    /// Drops the notifications of people no longer in the annuaire, with their mails.
    pub fn delete_notifications_of(&self, login: &str) -> Result<usize> {
        let mut n = self
            .conn
            .execute("DELETE FROM mail_outbox WHERE recipient = ?1", [login])
            .map_err(sql_err("purge mails"))?;
        for table in [
            "DELETE FROM notifications WHERE recipient = ?1",
            "DELETE FROM notify_prefs WHERE login = ?1",
            "DELETE FROM notify_quiet WHERE login = ?1",
            "DELETE FROM mail_addresses WHERE login = ?1",
        ] {
            n += self
                .conn
                .execute(table, [login])
                .map_err(sql_err("purge notifications"))?;
        }
        Ok(n)
    }
}
