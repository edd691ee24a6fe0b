//! The single writer thread, with group commit: the write transactions waiting when it is
//! free run one after the other in one SQLite transaction, each in a savepoint of its own
//! (one failing keeps nothing of it, the others stand), and are acknowledged together after
//! one commit — one fsync for a burst of writes (the 8:05 rush) instead of one each.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use rusqlite::Connection;

/// What the writer is asked to do.
pub(super) enum WriteJob {
    /// A write transaction: run in a savepoint; the returned closure is told whether the
    /// group committed, and answers the caller. `volatile` when it changes only who is signed
    /// in (see [`super::Store::write_volatile`]).
    Txn { job: TxnJob, volatile: bool },
    /// Something that runs alone, outside any transaction (`VACUUM INTO`).
    Alone(Box<dyn FnOnce(&mut Connection) + Send>),
}

/// Runs in the group's transaction (`Err` with why when the group could not begin).
pub(super) type TxnJob = Box<dyn FnOnce(Result<&Connection, String>) -> Finish + Send>;
/// Told the group's outcome: `Err` with why when its commit failed.
pub(super) type Finish = Box<dyn FnOnce(Result<(), String>) + Send>;

/// Most transactions committed together.
const GROUP: usize = 64;

/// How often, when idle, the writer looks for another process's commits.
pub(super) const WATCH_EVERY: Duration = Duration::from_secs(1);

pub(super) fn run(mut conn: Connection, rx: Receiver<WriteJob>, generation: Arc<AtomicU64>) {
    let mut next: Option<WriteJob> = None;
    // `data_version` on this connection changes only when another connection commits: another
    // process (`cartabled import`, a command) wrote, so what caches keep may be stale.
    let mut seen = data_version(&conn);
    let mut synchronous = Synchronous::Full;
    loop {
        let now = data_version(&conn);
        if now != seen {
            seen = now;
            generation.fetch_add(1, Ordering::AcqRel);
        }
        let job = match next.take() {
            Some(j) => j,
            None => match rx.recv_timeout(WATCH_EVERY) {
                Ok(j) => j,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => break,
            },
        };
        match job {
            WriteJob::Alone(f) => {
                f(&mut conn);
                generation.fetch_add(1, Ordering::AcqRel);
            }
            WriteJob::Txn { job, volatile } => {
                let mut group = vec![job];
                let mut content = !volatile;
                while group.len() < GROUP {
                    match rx.try_recv() {
                        Ok(WriteJob::Txn { job, volatile }) => {
                            content |= !volatile;
                            group.push(job);
                        }
                        Ok(other) => {
                            next = Some(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                // A group of only sign-in bookkeeping is committed without waiting for the
                // disk (see `Store::write_volatile`); any other write in it makes it wait.
                set_synchronous(&conn, &mut synchronous, !content);
                // Bumped before the writers are answered: a page that reads after its own
                // write never finds the older generation with the newer data.
                commit_group(&conn, group, || {
                    if content {
                        generation.fetch_add(1, Ordering::AcqRel);
                    }
                });
            }
        }
    }
    // Checkpoint on clean shutdown so the WAL does not grow across restarts.
    let _ = conn.pragma_update(None, "wal_checkpoint", "TRUNCATE");
}

/// How a commit waits for the disk. In WAL mode both survive `kill -9` (the commit is in the
/// operating system's cache before `COMMIT` returns); `Normal` may lose the last commits if the
/// machine itself loses power, and saves an `fsync` per group.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Synchronous {
    Full,
    Normal,
}

fn set_synchronous(conn: &Connection, current: &mut Synchronous, volatile_only: bool) {
    let wanted = if volatile_only {
        Synchronous::Normal
    } else {
        Synchronous::Full
    };
    if wanted == *current {
        return;
    }
    let value = match wanted {
        Synchronous::Full => "FULL",
        Synchronous::Normal => "NORMAL",
    };
    // Setting it only fails if the connection is unusable, when the commit fails too.
    if conn.pragma_update(None, "synchronous", value).is_ok() {
        *current = wanted;
    }
}

fn data_version(conn: &Connection) -> i64 {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0))
        .unwrap_or(0)
}

fn commit_group(conn: &Connection, group: Vec<TxnJob>, committed: impl FnOnce()) {
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        let why = e.to_string();
        for job in group {
            job(Err(why.clone()))(Err(why.clone()));
        }
        return;
    }
    let finishes: Vec<Finish> = group.into_iter().map(|job| job(Ok(conn))).collect();
    let outcome = conn.execute_batch("COMMIT").map_err(|e| {
        let _ = conn.execute_batch("ROLLBACK");
        e.to_string()
    });
    if outcome.is_ok() {
        committed();
    }
    for f in finishes {
        f(outcome.clone());
    }
}
