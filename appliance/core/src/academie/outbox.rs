//! The outbox: messages for the académie kept in SQLite until acknowledged. Each attempt
//! carries the message's idempotency key; a failure is retried later, the delay doubling from
//! the configured one up to six hours. Nothing is dropped, nothing acknowledged is resent.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::Result;
use crate::clock::SharedClock;
use crate::store::{OutboxRow, Store};

/// Longest wait between two attempts of one message.
pub const MAX_DELAY: Duration = Duration::from_secs(6 * 3600);

/// How a message reaches the académie (HTTPS in the daemon).
pub trait Transport: Send + Sync {
    /// Delivers one message; `Err` with a French reason when it was not acknowledged.
    fn post<'a>(
        &'a self,
        key: &'a str,
        kind: &'a str,
        body: &'a str,
    ) -> Pin<Box<dyn Future<Output = std::result::Result<(), String>> + Send + 'a>>;
}

/// What one round of sending did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sent {
    pub sent: usize,
    pub failed: usize,
}

#[derive(Clone)]
pub struct Outbox {
    store: Store,
    clock: SharedClock,
    retry: Duration,
}

impl Outbox {
    pub fn new(store: Store, clock: SharedClock, retry: Duration) -> Self {
        Self {
            store,
            clock,
            retry,
        }
    }

    /// Queues a message; a key already queued (or sent) is left alone. True when queued now.
    pub async fn enqueue(&self, key: &str, kind: &str, body: &str) -> Result<bool> {
        let (key, kind, body) = (key.to_owned(), kind.to_owned(), body.to_owned());
        let now = self.clock.now().unix_timestamp();
        self.store
            .write(move |w| w.enqueue(&key, &kind, &body, now))
            .await
    }

    pub async fn all(&self) -> Result<Vec<OutboxRow>> {
        self.store.read(|r| r.outbox_all()).await
    }

    /// Delay before attempt `attempts + 1`.
    fn delay(&self, attempts: i64) -> Duration {
        let factor = 1u32 << attempts.clamp(0, 16);
        self.retry.saturating_mul(factor).min(MAX_DELAY)
    }

    /// Sends the messages due, oldest first; stops at the first failure (the académie is
    /// down: no point hammering it), which is rescheduled.
    pub async fn send_due(&self, transport: &dyn Transport) -> Result<Sent> {
        let mut out = Sent::default();
        let now = self.clock.now().unix_timestamp();
        let due = self.store.read(move |r| r.outbox_due(now, 100)).await?;
        for m in due {
            match transport.post(&m.key, &m.kind, &m.body).await {
                Ok(()) => {
                    let at = self.clock.now().unix_timestamp();
                    self.store.write(move |w| w.outbox_sent(m.id, at)).await?;
                    out.sent += 1;
                }
                Err(e) => {
                    let next =
                        self.clock.now().unix_timestamp() + self.delay(m.attempts).as_secs() as i64;
                    tracing::warn!(key = %m.key, attempts = m.attempts + 1, "envoi à l'académie refusé : {e}");
                    self.store
                        .write(move |w| w.outbox_failed(m.id, next, &e))
                        .await?;
                    out.failed += 1;
                    break;
                }
            }
        }
        Ok(out)
    }
}
