//! The real `cartabled` binary, started in a temporary data directory on a free port.

use std::io::{Error, ErrorKind, Result};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Printed by cartabled once it listens.
const LISTENING: &str = "cartable écoute sur ";
const START_TIMEOUT: Duration = Duration::from_secs(180);

/// The built `cartabled`: `$CARTABLED_BIN`, or beside this test binary's `deps/` folder.
pub fn binary() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("CARTABLED_BIN") {
        return Ok(PathBuf::from(p));
    }
    built("cartabled")
}

/// A binary of the workspace, built beside this test binary's `deps/` folder.
pub fn built(name: &str) -> Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| Error::other("no target directory"))?;
    let bin = profile_dir.join(name);
    if bin.exists() {
        Ok(bin)
    } else {
        Err(Error::new(
            ErrorKind::NotFound,
            format!(
                "{} is missing: run `cargo build -p {name}` first (scripts/test does)",
                bin.display()
            ),
        ))
    }
}

/// A running cartabled; killed on drop, its log printed if the test is failing.
pub struct Daemon {
    child: Option<Child>,
    /// `https://localhost:PORT`, no trailing slash.
    pub url: String,
    /// The plain-HTTP redirector's address, when started with one.
    pub http_addr: Option<String>,
    pub data: PathBuf,
    pub log: PathBuf,
}

impl Daemon {
    /// `cartabled demo` on `data`, HTTPS on a free port.
    pub fn demo(data: &Path) -> Result<Self> {
        Self::demo_with(data, &[], &[])
    }

    /// `cartabled demo` with extra arguments and environment.
    pub fn demo_with(data: &Path, extra: &[&str], env: &[(&str, &str)]) -> Result<Self> {
        let data_s = data.to_string_lossy().into_owned();
        let mut args = vec!["demo", "--data", &data_s, "--listen", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        let log = data
            .parent()
            .unwrap_or(data)
            .join(format!("cartabled-{}.log", unique()));
        Self::spawn(&args, env, data, log)
    }

    /// The demo's data served with a mail relay on loopback at `relay_port` (no quiet hours,
    /// a retry each second): the configuration is written beside `data`, in `dir`.
    pub fn demo_with_relay(dir: &Path, data: &Path, relay_port: u16) -> Result<Self> {
        let config = dir.join("cartable.toml");
        std::fs::write(
            &config,
            format!(
                "{}[mail]\nhost = \"localhost\"\nport = {relay_port}\nsecurity = \"aucune\"\n\
                 sender = \"ENT <ne-pas-repondre@demo.invalid>\"\nretry_seconds = 1\nquiet_start = 0\nquiet_end = 0\n",
                base_config(data)
            ),
        )?;
        Self::serve(&config, dir)
    }

    /// `cartabled serve --config FILE`.
    pub fn serve(config: &Path, data: &Path) -> Result<Self> {
        let c = config.to_string_lossy().into_owned();
        let log = data.join(format!("cartabled-{}.log", unique()));
        Self::spawn(&["serve", "--config", &c], &[], data, log)
    }

    fn spawn(args: &[&str], env: &[(&str, &str)], data: &Path, log: PathBuf) -> Result<Self> {
        if let Some(dir) = log.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let out = std::fs::File::create(&log)?;
        // systemd names the watched process in WATCHDOG_PID; to get our child's pid into
        // its own environment, start it through a shell that execs it.
        let mut cmd = if env
            .iter()
            .any(|(k, v)| *k == "WATCHDOG_PID" && *v == "self")
        {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg("WATCHDOG_PID=$$; export WATCHDOG_PID; exec \"$0\" \"$@\"")
                .arg(binary()?);
            c
        } else {
            Command::new(binary()?)
        };
        let child = cmd
            .args(args)
            .envs(env.iter().copied().filter(|(k, _)| *k != "WATCHDOG_PID"))
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()?;
        let mut d = Self {
            child: Some(child),
            url: String::new(),
            http_addr: None,
            data: data.to_owned(),
            log,
        };
        let started = Instant::now();
        loop {
            let text = d.output();
            if let Some(rest) = text.split(LISTENING).nth(1) {
                let url = rest.lines().next().unwrap_or_default().trim();
                d.url = url.trim_end_matches('/').to_owned();
                d.http_addr = text
                    .lines()
                    .find_map(|l| l.strip_prefix("HTTP "))
                    .and_then(|l| l.split_whitespace().next())
                    .map(str::to_owned);
                return Ok(d);
            }
            if let Some(status) = d.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                return Err(Error::other(format!(
                    "cartabled exited ({status}) before listening:\n{text}"
                )));
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(Error::other(format!("cartabled did not start:\n{text}")));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Everything the daemon printed so far.
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The local CA generated on first start.
    pub fn ca(&self) -> PathBuf {
        self.data.join("tls").join("ca.pem")
    }

    /// SIGKILL, as a power cut of the process.
    pub fn kill9(&mut self) -> Result<()> {
        if let Some(mut c) = self.child.take() {
            c.kill()?;
            c.wait()?;
        }
        Ok(())
    }

    /// SIGTERM, and waits for the exit (at most 60 s).
    pub fn terminate(&mut self) -> Result<ExitStatus> {
        let mut c = self
            .child
            .take()
            .ok_or_else(|| Error::other("not running"))?;
        signal(c.id(), "TERM")?;
        let started = Instant::now();
        loop {
            if let Some(s) = c.try_wait()? {
                return Ok(s);
            }
            if started.elapsed() > Duration::from_secs(60) {
                let _ = c.kill();
                return Err(Error::other("cartabled ignored SIGTERM for 60 s"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        if std::thread::panicking() {
            eprintln!(
                "---- cartabled log ({}) ----\n{}",
                self.log.display(),
                self.output()
            );
        }
    }
}

/// Sends a signal with kill(1).
pub fn signal(pid: u32, name: &str) -> Result<()> {
    let s = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status()?;
    if s.success() {
        Ok(())
    } else {
        Err(Error::other(format!("kill -{name} {pid} failed")))
    }
}

fn unique() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh copy of a seeded demo data directory. The demo is seeded once per test process
/// (hashing hundreds of passwords takes seconds) and copied for each test.
pub fn demo_data() -> Result<(tempfile::TempDir, PathBuf)> {
    static TEMPLATE: OnceLock<std::result::Result<PathBuf, String>> = OnceLock::new();
    let template = TEMPLATE
        .get_or_init(|| {
            let root = tempfile::Builder::new()
                .prefix("cartable-demo-template-")
                .tempdir()
                .map_err(|e| e.to_string())?
                .keep();
            let data = root.join("data");
            let mut d = Daemon::demo(&data).map_err(|e| e.to_string())?;
            d.terminate().map_err(|e| e.to_string())?;
            Ok(data)
        })
        .clone()
        .map_err(Error::other)?;
    let dir = tempfile::Builder::new()
        .prefix("cartable-test-")
        .tempdir()?;
    let data = dir.path().join("data");
    crate::copy_tree(&template, &data)?;
    Ok((dir, data))
}

/// The first lines of a test's `cartable.toml`: its data folder, a free port, and the file
/// spaces inside the data folder (never the host's /srv/cartable).
pub fn base_config(data: &Path) -> String {
    format!(
        "data_dir = \"{d}\"\nlisten = \"127.0.0.1:0\"\nfiles = {{ root = \"{d}/fichiers\" }}\n",
        d = data.display()
    )
}
