//! What the install asks of the machine beyond files: Debian packages, the system user, units,
//! a few commands (ldapadd, smbpasswd). The real machine, or a simulated one whose state is a
//! JSON file the tests read (`--systeme simule`).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};

use crate::Error;

pub trait System {
    fn package_installed(&self, name: &str) -> bool;
    fn install_packages(&mut self, names: &[String]) -> Result<(), Error>;
    fn user_exists(&self, name: &str) -> bool;
    fn add_system_user(&mut self, name: &str, home: &str) -> Result<(), Error>;
    fn unit_enabled(&self, unit: &str) -> bool;
    fn enable_start(&mut self, unit: &str) -> Result<(), Error>;
    /// When the unit last became active (seconds since the epoch); `None` when it is not.
    fn unit_active_since(&self, unit: &str) -> Option<u64>;
    fn restart(&mut self, unit: &str) -> Result<(), Error>;
    fn run(&mut self, argv: &[String]) -> Result<(), Error>;
    /// Runs a command whose report the technician reads.
    fn run_output(&mut self, argv: &[String]) -> Result<String, Error>;
}

pub struct Real;

fn status(argv: &[&str]) -> bool {
    Command::new(argv[0])
        .args(&argv[1..])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn run_checked(argv: &[String]) -> Result<(), Error> {
    let out = Command::new(&argv[0])
        .args(&argv[1..])
        .output()
        .map_err(|e| Error::Command(argv.join(" "), e.to_string()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Error::Command(
            argv.join(" "),
            String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        ))
    }
}

impl System for Real {
    fn package_installed(&self, name: &str) -> bool {
        Command::new("dpkg-query")
            .args(["-W", "-f=${Status}", name])
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
    }
    fn install_packages(&mut self, names: &[String]) -> Result<(), Error> {
        let mut argv: Vec<String> = ["apt-get", "install", "-y", "-q", "--no-install-recommends"]
            .map(str::to_owned)
            .to_vec();
        argv.extend(names.iter().cloned());
        run_checked(&argv)
    }
    fn user_exists(&self, name: &str) -> bool {
        status(&["getent", "passwd", name])
    }
    fn add_system_user(&mut self, name: &str, home: &str) -> Result<(), Error> {
        run_checked(
            &[
                "adduser",
                "--system",
                "--group",
                "--no-create-home",
                "--home",
                home,
                name,
            ]
            .map(str::to_owned),
        )
    }
    fn unit_enabled(&self, unit: &str) -> bool {
        status(&["systemctl", "is-enabled", "--quiet", unit])
    }
    fn enable_start(&mut self, unit: &str) -> Result<(), Error> {
        run_checked(&["systemctl", "enable", "--now", unit].map(str::to_owned))
    }
    fn unit_active_since(&self, unit: &str) -> Option<u64> {
        let out = Command::new("systemctl")
            .args(["show", "--timestamp=unix", "-p", "ActiveState", "-p"])
            .args(["ActiveEnterTimestamp", unit])
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&out.stdout);
        let value = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
                .map(str::trim)
        };
        if value("ActiveState")? != "active" {
            return None;
        }
        value("ActiveEnterTimestamp")?
            .trim_start_matches('@')
            .parse()
            .ok()
    }
    fn restart(&mut self, unit: &str) -> Result<(), Error> {
        run_checked(&["systemctl", "restart", unit].map(str::to_owned))
    }
    fn run(&mut self, argv: &[String]) -> Result<(), Error> {
        run_checked(argv)
    }
    fn run_output(&mut self, argv: &[String]) -> Result<String, Error> {
        let out = Command::new(&argv[0])
            .args(&argv[1..])
            .output()
            .map_err(|e| Error::Command(argv.join(" "), e.to_string()))?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if out.status.success() {
            Ok(text)
        } else {
            Err(Error::Command(argv.join(" "), text.trim().to_owned()))
        }
    }
}

/// The simulated machine: what was installed, created, enabled and run.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Simulated {
    pub packages: Vec<String>,
    pub users: Vec<String>,
    pub enabled: Vec<String>,
    pub commands: Vec<Vec<String>>,
    /// When each enabled unit was (re)started, seconds since the epoch.
    #[serde(default)]
    pub started: std::collections::BTreeMap<String, u64>,
    #[serde(skip)]
    file: PathBuf,
}

impl Simulated {
    pub fn open(file: &Path) -> Result<Self, Error> {
        let mut s: Simulated = match std::fs::read_to_string(file) {
            Ok(t) => serde_json::from_str(&t)
                .map_err(|e| Error::Command("simulé".into(), e.to_string()))?,
            Err(_) => Simulated::default(),
        };
        s.file = file.to_owned();
        Ok(s)
    }
    /// Records that `unit` starts now — by the clock files' times come from (the record's own
    /// time once written), since a restart is due when a file it reads is newer.
    fn started_now(&mut self, unit: &str) -> Result<(), Error> {
        self.save()?;
        let at = std::fs::metadata(&self.file)
            .and_then(|m| m.modified())
            .map_err(|e| Error::Io(self.file.clone(), e))?
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        self.started.insert(unit.to_owned(), at);
        self.save()
    }
    fn save(&self) -> Result<(), Error> {
        if let Some(d) = self.file.parent() {
            std::fs::create_dir_all(d).map_err(|e| Error::Io(d.to_owned(), e))?;
        }
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| Error::Command("simulé".into(), e.to_string()))?;
        std::fs::write(&self.file, text).map_err(|e| Error::Io(self.file.clone(), e))
    }
}

impl System for Simulated {
    fn package_installed(&self, name: &str) -> bool {
        self.packages.iter().any(|p| p == name)
    }
    fn install_packages(&mut self, names: &[String]) -> Result<(), Error> {
        self.packages.extend(names.iter().cloned());
        self.save()
    }
    fn user_exists(&self, name: &str) -> bool {
        self.users.iter().any(|u| u == name)
    }
    fn add_system_user(&mut self, name: &str, _home: &str) -> Result<(), Error> {
        self.users.push(name.to_owned());
        self.save()
    }
    fn unit_enabled(&self, unit: &str) -> bool {
        self.enabled.iter().any(|u| u == unit)
    }
    fn enable_start(&mut self, unit: &str) -> Result<(), Error> {
        if !self.unit_enabled(unit) {
            self.enabled.push(unit.to_owned());
        }
        self.started_now(unit)
    }
    fn unit_active_since(&self, unit: &str) -> Option<u64> {
        // A unit enabled before this record of start times counts as started long ago.
        self.unit_enabled(unit)
            .then(|| self.started.get(unit).copied().unwrap_or(0))
    }
    fn restart(&mut self, unit: &str) -> Result<(), Error> {
        self.started_now(unit)
    }
    fn run(&mut self, argv: &[String]) -> Result<(), Error> {
        self.commands.push(argv.to_vec());
        self.save()
    }
    fn run_output(&mut self, argv: &[String]) -> Result<String, Error> {
        self.run(argv)?;
        Ok(format!("(machine simulée) {}\n", argv.join(" ")))
    }
}
