//! A real PostgreSQL from Debian's packages for the tests: its own cluster made by `initdb`
//! in a temporary folder, served on a free loopback port (and a socket in that folder), run as
//! the `postgres` system user (PostgreSQL refuses to run as root), stopped when dropped.

use std::io::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Postgres {
    child: Option<Child>,
    pub port: u16,
    dir: tempfile::TempDir,
}

/// The newest installed server's programs (`/usr/lib/postgresql/<n>/bin`).
fn bin_dir() -> Result<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| Error::other("PostgreSQL (paquet postgresql) est introuvable"))?
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("postgres").exists().then_some((v, bin))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, b)| b)
        .ok_or_else(|| Error::other("aucun serveur PostgreSQL sous /usr/lib/postgresql"))
}

/// Runs `program` as the postgres user when we are root.
fn as_postgres(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn is_root() -> bool {
    std::env::var("USER").map(|u| u == "root").unwrap_or(false)
        || std::fs::metadata("/proc/self")
            .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
            .unwrap_or(false)
}

impl Postgres {
    pub fn start() -> Result<Self> {
        let bin = bin_dir()?;
        let dir = tempfile::Builder::new().prefix("pg-").tempdir()?;
        let data = dir.path().join("data");
        if is_root() {
            let ok = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(dir.path())
                .status()?
                .success();
            if !ok {
                return Err(Error::other("chown postgres impossible"));
            }
        }
        let out = as_postgres(&bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args([
                "-A",
                "trust",
                "-U",
                "cartable",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ])
            .stdout(Stdio::null())
            .output()?;
        if !out.status.success() {
            return Err(Error::other(format!(
                "initdb : {}",
                String::from_utf8_lossy(&out.stderr)
            )));
        }
        let port = crate::free_port()?;
        let log = dir.path().join("postgres.log");
        let log_file = std::fs::File::create(&log)?;
        if is_root() {
            let _ = Command::new("chown").arg("postgres").arg(&log).status();
        }
        let mut child = as_postgres(&bin.join("postgres"))
            .arg("-D")
            .arg(&data)
            .args(["-c", "listen_addresses=127.0.0.1", "-p", &port.to_string()])
            .arg("-c")
            .arg(format!("unix_socket_directories={}", dir.path().display()))
            .args(["-c", "fsync=on", "-c", "max_connections=200"])
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()?;
        crate::wait_listening(
            "postgres",
            port,
            &mut child,
            Duration::from_secs(30),
            || std::fs::read_to_string(&log).unwrap_or_default(),
        )?;
        let pg = Self {
            child: Some(child),
            port,
            dir,
        };
        // Listening is not yet accepting: PostgreSQL says « starting up » for a moment.
        let start = std::time::Instant::now();
        loop {
            match pg.psql("postgres", "CREATE DATABASE cartable_academie") {
                Ok(_) => break,
                Err(e)
                    if e.to_string().contains("starting up")
                        && start.elapsed() < Duration::from_secs(30) =>
                {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(pg)
    }

    /// The connection string of database `cartable_academie`.
    pub fn url(&self) -> String {
        format!(
            "host=127.0.0.1 port={} user=cartable dbname=cartable_academie",
            self.port
        )
    }

    /// Runs one SQL statement with `psql`; returns its unaligned output.
    pub fn psql(&self, db: &str, sql: &str) -> Result<String> {
        let out = Command::new("psql")
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "cartable",
            ])
            .args([
                "-d",
                db,
                "-X",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
            ])
            .output()?;
        if !out.status.success() {
            return Err(Error::other(format!(
                "psql « {sql} » : {}",
                String::from_utf8_lossy(&out.stderr)
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some(c) = self.child.take() {
            // With runuser in between, signal the server itself: it is runuser's child.
            let _ = Command::new("pkill")
                .args(["-INT", "-P", &c.id().to_string()])
                .status();
            crate::stop(c);
        }
    }
}
