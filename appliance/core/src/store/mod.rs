//! The SQLite store: one file under the data directory, WAL, foreign keys on, migrations on
//! open. Its API is async: every call runs on the blocking pool (reads, on read-only
//! connections) or on the single writer thread (writes, in an IMMEDIATE transaction that is
//! committed with `synchronous = FULL` before the call returns, so an acknowledged write
//! survives `kill -9`; sign-in bookkeeping alone is committed with `NORMAL`, see
//! [`Store::write_volatile`]). rusqlite types never leave this module.

mod academie;
mod audit;
mod calendar;
mod cas;
mod courses;
mod directory;
mod domain;
mod files;
mod gar;
mod meta;
mod migrations;
mod modules;
mod notify;
mod server;
mod sessions;
mod usage;
mod writer;

pub use modules::module_sql_err;

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use rusqlite::{Connection, OpenFlags};
use tokio::sync::oneshot;

pub use academie::OutboxRow;
pub use audit::{AuditEntry, AuditQuery, Tombstone};
pub use cas::CasTicket;
pub use courses::{CourseRow, WEEK_A_KEY};
pub use directory::{NewPersonRow, PersonRow, RelationsRow};
pub use domain::{DomainPassword, DomainRun};
pub use files::{Devoir, DevoirStep};
pub use gar::{GarRun, KeptPedagogy};
pub use migrations::SCHEMA_VERSION;
pub use notify::{AddressRow, MailRow, NewMail, NewNotification, NotificationRow};
pub use server::{BackupRun, IncidentRow, Waiting};
pub use sessions::SessionRow;
pub use usage::{KeyedFigure, UsageKind, WeekFigure};

use crate::{Error, Result};

use writer::WriteJob;

/// Handle to the store; cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Option<mpsc::Sender<WriteJob>>>,
    readers: Mutex<Vec<Connection>>,
    /// One permit per read connection: a burst of reads waits its turn here instead of
    /// opening a connection each (every open parses the whole schema) on hundreds of blocking
    /// threads.
    read_slots: Arc<tokio::sync::Semaphore>,
    /// Bumped after every committed write that may change what a page shows (see
    /// [`Store::generation`]).
    generation: Arc<AtomicU64>,
}

/// Read connections kept open: the pool's size (a read holds one only while its SQL runs).
const READ_CONNECTIONS: usize = 16;

/// A read transaction: a consistent snapshot; it cannot write (read-only connection).
pub struct ReadTxn<'a> {
    conn: Sql<'a>,
}

/// A connection whose statements are prepared once and kept, per connection: otherwise SQLite
/// parses and plans every statement on every call (measured: the parser was the store's first
/// cost on a sign-in). Everything else is the connection's own.
#[derive(Clone, Copy)]
pub struct Sql<'a>(&'a Connection);

impl<'a> Sql<'a> {
    pub fn prepare(&self, sql: &str) -> rusqlite::Result<rusqlite::CachedStatement<'a>> {
        self.0.prepare_cached(sql)
    }

    pub fn prepare_cached(&self, sql: &str) -> rusqlite::Result<rusqlite::CachedStatement<'a>> {
        self.0.prepare_cached(sql)
    }

    pub fn query_row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.0.prepare_cached(sql)?.query_row(params, f)
    }

    pub fn execute<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.0.prepare_cached(sql)?.execute(params)
    }
}

impl std::ops::Deref for Sql<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.0
    }
}

/// Bytes of the database file a read connection maps (the rest is read with syscalls).
const READ_MMAP: i64 = 256 << 20;

/// Statements kept prepared per connection (the store's and the modules' distinct queries).
const STATEMENT_CACHE: usize = 512;

/// A write transaction on the single writer; it can also read what it wrote.
pub struct WriteTxn<'a> {
    read: ReadTxn<'a>,
}

impl<'a> std::ops::Deref for WriteTxn<'a> {
    type Target = ReadTxn<'a>;
    fn deref(&self) -> &ReadTxn<'a> {
        &self.read
    }
}

pub(crate) fn sql_err(context: &'static str) -> impl Fn(rusqlite::Error) -> Error {
    move |e| Error::Store {
        context,
        message: e.to_string(),
    }
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(sql_err("set busy timeout"))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(sql_err("enable foreign keys"))?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(sql_err("set synchronous"))?;
    crate::collation::register(conn).map_err(sql_err("register the French collation"))?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the store at `path` and applies pending migrations.
    pub async fn open(path: &Path) -> Result<Self> {
        let path = path.to_owned();
        crate::error::blocking(move || Self::open_blocking(path)).await
    }

    fn open_blocking(path: PathBuf) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let mut conn = Connection::open(&path).map_err(sql_err("open database"))?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(sql_err("enable WAL"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Store {
                context: "enable WAL",
                message: format!("journal mode is {mode}"),
            });
        }
        configure(&conn)?;
        migrations::migrate(&mut conn)?;

        let (tx, rx) = mpsc::channel::<WriteJob>();
        let generation = Arc::new(AtomicU64::new(0));
        let bumped = Arc::clone(&generation);
        std::thread::Builder::new()
            .name("cartable-store-writer".into())
            .spawn(move || writer::run(conn, rx, bumped))
            .map_err(|e| Error::io(&path, e))?;

        Ok(Self {
            inner: Arc::new(Inner {
                path,
                writer: Mutex::new(Some(tx)),
                readers: Mutex::new(Vec::new()),
                read_slots: Arc::new(tokio::sync::Semaphore::new(READ_CONNECTIONS)),
                generation,
            }),
        })
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` in a read transaction on the blocking pool.
    pub async fn read<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&ReadTxn<'_>) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        // Never closed: the semaphore lives as long as the store. The slot is given back as
        // soon as the SQL is done, not when this task is next polled.
        let slot = Arc::clone(&self.inner.read_slots)
            .acquire_owned()
            .await
            .map_err(|e| Error::Task(e.to_string()))?;
        let inner = Arc::clone(&self.inner);
        crate::error::blocking(move || {
            let _slot = slot;
            let conn = match inner.readers.lock().ok().and_then(|mut p| p.pop()) {
                Some(c) => c,
                None => {
                    let c = Connection::open_with_flags(
                        &inner.path,
                        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )
                    .map_err(sql_err("open read connection"))?;
                    configure(&c)?;
                    // Pages of the database file read from a shared mapping: at 8:00 every
                    // commit (sessions) makes a reader drop its page cache, and without the
                    // mapping each of its next reads copies B-tree pages back with a syscall.
                    c.pragma_update(None, "mmap_size", READ_MMAP)
                        .map_err(sql_err("map the database"))?;
                    c
                }
            };
            let result = (|| {
                let tx = conn
                    .unchecked_transaction()
                    .map_err(sql_err("begin read"))?;
                let out = f(&ReadTxn { conn: Sql(&tx) });
                // Read-only: ending the snapshot cannot lose anything.
                let _ = tx.rollback();
                out
            })();
            if let Ok(mut pool) = inner.readers.lock() {
                pool.push(conn);
            }
            result
        })
        .await
    }

    /// What the store holds, as a number that changes after every committed write that may
    /// change what a page shows: by this process (at once, before the writer is answered) or
    /// by another one (`cartabled import`, a command: within a second). A cache keeps what it
    /// read with the generation taken before reading, and trusts it while that is current.
    /// Writes made with [`Store::write_volatile`] do not change it.
    pub fn generation(&self) -> u64 {
        self.inner.generation.load(Ordering::Acquire)
    }

    /// Runs `f` in a write transaction on the writer thread; returns once committed (with
    /// the writes waiting beside it: see `writer`). If `f` fails, nothing it did is kept.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&WriteTxn<'_>) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        self.write_as(false, f).await
    }

    /// A write that changes only who is signed in or when — sessions, CAS tickets, the last
    /// sign-in time, the audience counters — which no cached page's content depends on: it leaves [`Store::generation`]
    /// as it is, so 8:00's sign-ins do not empty what the portal keeps. Committed without an
    /// `fsync` when nothing else commits with it (`synchronous = NORMAL`): it survives
    /// `kill -9` like any write, but a power cut may lose the last seconds of sign-ins — those
    /// people sign in again.
    pub async fn write_volatile<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&WriteTxn<'_>) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        self.write_as(true, f).await
    }

    async fn write_as<T, F>(&self, volatile: bool, f: F) -> Result<T>
    where
        F: FnOnce(&WriteTxn<'_>) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let (reply_tx, reply_rx) = oneshot::channel();
        let job: writer::TxnJob =
            Box::new(move |conn: std::result::Result<&Connection, String>| {
                let result = match conn {
                    Err(why) => Err(Error::Store {
                        context: "begin write",
                        message: why,
                    }),
                    Ok(conn) => in_savepoint(conn, f),
                };
                Box::new(move |group: std::result::Result<(), String>| {
                    let result = match (result, group) {
                        (Ok(_), Err(why)) => Err(Error::Store {
                            context: "commit",
                            message: why,
                        }),
                        (result, _) => result,
                    };
                    let _ = reply_tx.send(result);
                })
            });
        let job = WriteJob::Txn { job, volatile };
        {
            let guard = self.inner.writer.lock().map_err(|_| Error::StoreClosed)?;
            let sender = guard.as_ref().ok_or(Error::StoreClosed)?;
            sender.send(job).map_err(|_| Error::StoreClosed)?;
        }
        reply_rx.await.map_err(|_| Error::StoreClosed)?
    }

    /// Writes a consistent copy of the whole store to `path` (`VACUUM INTO`), on the writer
    /// thread between two writes: readers go on, no write is half in the copy.
    pub async fn copy_to(&self, path: &std::path::Path) -> Result<()> {
        let target = path.to_string_lossy().into_owned();
        let (reply_tx, reply_rx) = oneshot::channel();
        let job = WriteJob::Alone(Box::new(move |conn: &mut Connection| {
            let r = conn
                .execute("VACUUM INTO ?1", [&target])
                .map(|_| ())
                .map_err(sql_err("copy the store"));
            let _ = reply_tx.send(r);
        }));
        {
            let guard = self.inner.writer.lock().map_err(|_| Error::StoreClosed)?;
            let sender = guard.as_ref().ok_or(Error::StoreClosed)?;
            sender.send(job).map_err(|_| Error::StoreClosed)?;
        }
        reply_rx.await.map_err(|_| Error::StoreClosed)?
    }

    /// Stops accepting writes; the writer finishes queued ones and checkpoints.
    pub fn close(&self) {
        if let Ok(mut w) = self.inner.writer.lock() {
            w.take();
        }
    }

    /// Checks the database answers (health endpoint).
    pub async fn ping(&self) -> Result<()> {
        self.read(|r| r.schema_version().map(|_| ())).await
    }
}

/// Runs `f` in a savepoint of the group's transaction: released when it succeeds, rolled
/// back (nothing of it kept) when it fails or panics.
fn in_savepoint<T, F>(conn: &Connection, f: F) -> Result<T>
where
    F: FnOnce(&WriteTxn<'_>) -> Result<T>,
{
    conn.execute_batch("SAVEPOINT write")
        .map_err(sql_err("begin write"))?;
    let out = std::panic::catch_unwind(AssertUnwindSafe(|| {
        f(&WriteTxn {
            read: ReadTxn { conn: Sql(conn) },
        })
    }))
    .unwrap_or_else(|_| Err(Error::Task("write transaction panicked".into())));
    match out {
        Ok(v) => {
            conn.execute_batch("RELEASE write")
                .map_err(sql_err("commit"))?;
            Ok(v)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK TO write; RELEASE write");
            Err(e)
        }
    }
}

impl WriteTxn<'_> {
    /// Raw SQL, for tests that set up states the API does not offer yet.
    #[cfg(test)]
    pub(crate) fn execute_sql(&self, sql: &str) -> Result<()> {
        self.conn
            .execute_batch(sql)
            .map_err(sql_err("test statement"))
    }
}

impl ReadTxn<'_> {
    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql_err("read schema version"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn migrates_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        let store = Store::open(&path).await.unwrap();
        assert_eq!(
            store.read(|r| r.schema_version()).await.unwrap(),
            SCHEMA_VERSION
        );
        store.write(|w| w.set_meta("k", "v")).await.unwrap();
        store.close();
        drop(store);
        let again = Store::open(&path).await.unwrap();
        assert_eq!(
            again.read(|r| r.meta("k")).await.unwrap().as_deref(),
            Some("v")
        );
    }

    #[tokio::test]
    async fn read_transaction_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite")).await.unwrap();
        let err = store
            .read(|r| {
                r.conn
                    .execute("INSERT INTO meta(key, value) VALUES ('a', 'b')", [])
                    .map_err(sql_err("write in read"))
            })
            .await
            .unwrap_err();
        assert!(err.to_string().contains("readonly"), "{err}");
    }

    /// Writes committed together: the one that fails (or panics) keeps nothing, the others
    /// all stand, each answered.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_burst_of_writes_commits_together_and_one_failing_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite")).await.unwrap();
        let mut tasks = Vec::new();
        for i in 0..200 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                store
                    .write(move |w| {
                        w.set_meta(&format!("k{i}"), "v")?;
                        match i {
                            77 => Err(Error::Invalid {
                                field: "test",
                                reason: "stop".into(),
                            }),
                            78 => panic!("a bug in one write"),
                            _ => Ok(i),
                        }
                    })
                    .await
            }));
        }
        let mut ok = 0;
        for (i, t) in tasks.into_iter().enumerate() {
            match t.await.unwrap() {
                Ok(n) => {
                    assert_eq!(n, i);
                    ok += 1;
                }
                Err(_) => assert!(i == 77 || i == 78, "{i}"),
            }
        }
        assert_eq!(ok, 198);
        for i in [0, 76, 79, 199] {
            let k = format!("k{i}");
            assert_eq!(
                store.read(move |r| r.meta(&k)).await.unwrap().as_deref(),
                Some("v")
            );
        }
        for i in [77, 78] {
            let k = format!("k{i}");
            assert_eq!(store.read(move |r| r.meta(&k)).await.unwrap(), None);
        }
    }

    /// What caches key on: a content write changes the generation before it is answered, a
    /// session's does not, and another process's commit is seen within the writer's watch.
    #[tokio::test]
    async fn the_generation_follows_content_writes_here_and_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        let store = Store::open(&path).await.unwrap();
        let g0 = store.generation();
        store
            .write_volatile(|w| w.set_meta("seen", "1"))
            .await
            .unwrap();
        assert_eq!(store.generation(), g0, "a volatile write keeps it");
        store.write(|w| w.set_meta("k", "v")).await.unwrap();
        let g1 = store.generation();
        assert!(g1 > g0, "a content write changes it at once");

        let other = Connection::open(&path).unwrap();
        other
            .execute(
                "INSERT INTO meta(key, value) VALUES ('from', 'elsewhere')",
                [],
            )
            .unwrap();
        let deadline = std::time::Instant::now() + writer::WATCH_EVERY * 3;
        while store.generation() == g1 {
            assert!(
                std::time::Instant::now() < deadline,
                "another process's write not seen"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Sign-in bookkeeping alone skips the `fsync`; every other write still waits for it.
    #[tokio::test]
    async fn only_volatile_groups_commit_without_fsync() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite")).await.unwrap();
        let mode = |w: &WriteTxn<'_>| -> Result<i64> {
            w.conn
                .query_row("PRAGMA synchronous", [], |r| r.get(0))
                .map_err(sql_err("read synchronous"))
        };
        const NORMAL: i64 = 1;
        const FULL: i64 = 2;
        assert_eq!(store.write_volatile(mode).await.unwrap(), NORMAL);
        assert_eq!(store.write(mode).await.unwrap(), FULL);
        assert_eq!(store.write_volatile(mode).await.unwrap(), NORMAL);
        // A session written in the same group as a content write waits for the disk with it:
        // the writer is held until both are queued, so they are one group.
        let (release, held) = mpsc::channel::<()>();
        let hold = writer::WriteJob::Alone(Box::new(move |_: &mut Connection| {
            let _ = held.recv();
        }));
        store
            .inner
            .writer
            .lock()
            .unwrap()
            .as_ref()
            .unwrap()
            .send(hold)
            .unwrap();
        let (a, b, ()) = tokio::join!(store.write(mode), store.write_volatile(mode), async {
            release.send(()).unwrap()
        });
        assert_eq!((a.unwrap(), b.unwrap()), (FULL, FULL));
    }

    #[tokio::test]
    async fn failed_write_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite")).await.unwrap();
        let r: Result<()> = store
            .write(|w| {
                w.set_meta("half", "done")?;
                Err(Error::Invalid {
                    field: "test",
                    reason: "stop".into(),
                })
            })
            .await;
        assert!(r.is_err());
        assert_eq!(store.read(|r| r.meta("half")).await.unwrap(), None);
    }
}
