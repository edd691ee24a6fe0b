//! Bounds on password work. An argon2id check takes 19 MiB and ~25 ms of a core: a burst of
//! sign-ins (the 8:00 storm, or someone posting the form in a loop) must queue for a fixed
//! number of workers, not start one thread and 19 MiB each. The workers are threads of their
//! own: on the shared blocking pool each of hundreds of threads would keep its 19 MiB in its
//! own allocator arena once done. Waiting is fair (first come, first served) and short: past
//! the wait limit, or when the queue is full, the work is refused with [`Error::Busy`] and the
//! person is asked to try again.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, oneshot};

use crate::{Error, Result};

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of threads taking CPU-bound work from a bounded FIFO queue.
pub struct Workers {
    queue: SyncSender<Job>,
    count: usize,
    max_wait: Duration,
}

impl Workers {
    pub fn new(name: &str, count: usize, queue: usize, max_wait: Duration) -> Result<Self> {
        let count = count.max(1);
        let (tx, rx) = sync_channel::<Job>(queue);
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..count {
            let rx: Arc<Mutex<Receiver<Job>>> = rx.clone();
            std::thread::Builder::new()
                .name(format!("{name}-{i}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return, // the queue is gone: the process is ending
                        }
                    }
                })
                .map_err(|e| Error::Task(e.to_string()))?;
        }
        Ok(Self {
            queue: tx,
            count,
            max_wait,
        })
    }

    /// Runs `work` on a worker; [`Error::Busy`] if the queue is full or no worker took it
    /// within the wait limit (it is then skipped, not run late).
    pub async fn run<T, F>(&self, work: F) -> Result<T>
    where
        F: FnOnce() -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let deadline = Instant::now() + self.max_wait;
        let job: Job = Box::new(move || {
            // Nobody waits any more (timed out, client gone): do not spend the work.
            if tx.is_closed() {
                return;
            }
            let out = if Instant::now() > deadline {
                Err(Error::Busy)
            } else {
                catch_unwind(AssertUnwindSafe(work))
                    .unwrap_or_else(|_| Err(Error::Task("password worker panicked".into())))
            };
            let _ = tx.send(out);
        });
        match self.queue.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(Error::Busy),
            Err(TrySendError::Disconnected(_)) => {
                return Err(Error::Task("password workers stopped".into()));
            }
        }
        match tokio::time::timeout(self.max_wait + Duration::from_secs(1), rx).await {
            Ok(Ok(out)) => out,
            Ok(Err(_)) => Err(Error::Task("password worker dropped the work".into())),
            Err(_) => Err(Error::Busy),
        }
    }

    pub fn count(&self) -> usize {
        self.count
    }
}

/// Workers for password hashing and checking in this process: one per core.
pub fn password_work() -> Result<&'static Workers> {
    static WORKERS: OnceLock<std::result::Result<Workers, String>> = OnceLock::new();
    WORKERS
        .get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            // At 25 ms a check, 256 queued are about 3 s of work on two cores.
            Workers::new("cartable-mdp", cores, 256, Duration::from_secs(4))
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| Error::Task(e.clone()))
}

/// A bound on async work in flight, with a fair queue, a length limit and a wait limit.
pub struct Gate {
    permits: Semaphore,
    workers: usize,
    waiting: AtomicUsize,
    max_waiting: usize,
    max_wait: Duration,
}

/// Leaves the waiting count when the waiter is done or dropped (a client that went away).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Gate {
    pub fn new(workers: usize, max_waiting: usize, max_wait: Duration) -> Self {
        let workers = workers.max(1);
        Self {
            permits: Semaphore::new(workers),
            workers,
            waiting: AtomicUsize::new(0),
            max_waiting,
            max_wait,
        }
    }

    /// Runs `work` once a worker is free; [`Error::Busy`] if none frees up in time.
    pub async fn run<T, F>(&self, work: F) -> Result<T>
    where
        F: Future<Output = Result<T>>,
    {
        let permit = {
            let ahead = self.waiting.fetch_add(1, Ordering::AcqRel);
            let _waiting = Waiting(&self.waiting);
            if ahead >= self.max_waiting {
                return Err(Error::Busy);
            }
            match tokio::time::timeout(self.max_wait, self.permits.acquire()).await {
                Ok(Ok(p)) => p,
                _ => return Err(Error::Busy),
            }
        };
        let out = work.await;
        drop(permit);
        out
    }

    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Checks waiting for a worker now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Acquire)
    }
}

/// Binds to the LDAP directory in flight at once: slapd checks the password (its own hashing
/// cost and memory), and each bind is a connection of its own.
///
/// Enough to keep slapd's share of the cores busy across round trips, few enough that the
/// rest of each sign-in (TLS, the form, the portal) is not crowded out by slapd's threads:
/// measured on 2 cores at 200 clients (`--bench storm`, SHA-512), 16 in flight gave a p99 of
/// 499–525 ms, 6 gave 373 ms for the same rate.
const BINDS_PER_CORE: usize = 3;

pub fn directory_binds() -> &'static Gate {
    static GATE: OnceLock<Gate> = OnceLock::new();
    GATE.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Gate::new(BINDS_PER_CORE * cores, 512, Duration::from_secs(4))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn bounded_fair_and_refusing_beyond() -> Result<()> {
        let gate = Arc::new(Gate::new(2, 3, Duration::from_millis(200)));
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let (g, r, p) = (gate.clone(), running.clone(), peak.clone());
            tasks.push(tokio::spawn(async move {
                g.run(async {
                    let now = r.fetch_add(1, Ordering::AcqRel) + 1;
                    p.fetch_max(now, Ordering::AcqRel);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    r.fetch_sub(1, Ordering::AcqRel);
                    Ok(())
                })
                .await
            }));
        }
        let mut busy = 0;
        for t in tasks {
            match t.await.map_err(|e| Error::Task(e.to_string()))? {
                Ok(()) => {}
                Err(Error::Busy) => busy += 1,
                Err(e) => return Err(e),
            }
        }
        assert_eq!(
            peak.load(Ordering::Acquire),
            2,
            "never more than the workers"
        );
        assert!(busy >= 5, "beyond the queue, refused at once ({busy})");
        assert_eq!(gate.waiting(), 0, "nothing left counted as waiting");
        Ok(())
    }

    #[tokio::test]
    async fn workers_run_in_order_and_refuse_beyond_the_queue() -> Result<()> {
        let w = Arc::new(Workers::new("t", 1, 2, Duration::from_millis(300))?);
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for i in 0..6 {
            let (w, o) = (w.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                w.run(move || {
                    // CPU-bound work, as a hash is.
                    let start = Instant::now();
                    while start.elapsed() < Duration::from_millis(100) {
                        std::hint::spin_loop();
                    }
                    if let Ok(mut o) = o.lock() {
                        o.push(i);
                    }
                    Ok(i)
                })
                .await
            }));
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let mut done = Vec::new();
        for t in tasks {
            if let Ok(i) = t.await.map_err(|e| Error::Task(e.to_string()))? {
                done.push(i);
            }
        }
        assert_eq!(done[..2], [0, 1], "first come, first served");
        assert!(done.len() < 6, "beyond the queue, refused: {done:?}");
        // A panic in the work is an error, and the worker lives on.
        let r: Result<()> = w.run(|| Err(Error::Task("x".into()))).await;
        assert!(r.is_err());
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(w.run(|| Ok(7)).await?, 7);
        Ok(())
    }
}
