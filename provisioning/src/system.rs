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
        self.enabled.push(unit.to_owned());
        self.save()
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
