//! The single writer thread, with group commit: the write transactions waiting when it is
//! free run one after the other in one SQLite transaction, each in a savepoint of its own
//! (one failing keeps nothing of it, the others stand), and are acknowledged together after
//! one commit — one fsync for a burst of writes (the 8:05 rush) instead of one each.

use std::sync::mpsc::Receiver;

use rusqlite::Connection;

/// What the writer is asked to do.
pub(super) enum WriteJob {
    /// A write transaction: run in a savepoint; the returned closure is told whether the
    /// group committed, and answers the caller.
    Txn(TxnJob),
    /// Something that runs alone, outside any transaction (`VACUUM INTO`).
    Alone(Box<dyn FnOnce(&mut Connection) + Send>),
}

/// Runs in the group's transaction (`Err` with why when the group could not begin).
pub(super) type TxnJob = Box<dyn FnOnce(Result<&Connection, String>) -> Finish + Send>;
/// Told the group's outcome: `Err` with why when its commit failed.
pub(super) type Finish = Box<dyn FnOnce(Result<(), String>) + Send>;

/// Most transactions committed together.
const GROUP: usize = 64;

pub(super) fn run(mut conn: Connection, rx: Receiver<WriteJob>) {
    let mut next: Option<WriteJob> = None;
    loop {
        let job = match next.take() {
            Some(j) => j,
            None => match rx.recv() {
                Ok(j) => j,
                Err(_) => break,
            },
        };
        match job {
            WriteJob::Alone(f) => f(&mut conn),
            WriteJob::Txn(first) => {
                let mut group = vec![first];
                while group.len() < GROUP {
                    match rx.try_recv() {
                        Ok(WriteJob::Txn(j)) => group.push(j),
                        Ok(other) => {
                            next = Some(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                commit_group(&conn, group);
            }
        }
    }
    // Checkpoint on clean shutdown so the WAL does not grow across restarts.
    let _ = conn.pragma_update(None, "wal_checkpoint", "TRUNCATE");
}

fn commit_group(conn: &Connection, group: Vec<TxnJob>) {
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
    for f in finishes {
        f(outcome.clone());
    }
}
