//! The académie's hub (`cartable-academie`) for the tests: set up with its own CLI (`init`,
//! établissements, a staff account) on a test PostgreSQL, served on a free loopback port.

use std::io::{Error, Result, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::postgres::Postgres;

pub struct Hub {
    child: Option<Child>,
    pub port: u16,
    /// `https://127.0.0.1:PORT`
    pub base: String,
    pub dir: PathBuf,
    pub config: PathBuf,
    /// The académie's authority: trust it to reach the hub.
    pub ca: PathBuf,
    log: PathBuf,
}

fn run(cmd: &mut Command) -> Result<String> {
    let out = cmd.output()?;
    if !out.status.success() {
        return Err(Error::other(format!(
            "{cmd:?} : {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

impl Hub {
    pub fn binary() -> Result<PathBuf> {
        crate::daemon::built("cartable-academie")
    }

    /// `cartable-academie init` in `dir`, for 127.0.0.1 and localhost.
    pub fn init(pg: &Postgres, dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let port = crate::free_port()?;
        let config = dir.join("academie.toml");
        run(Command::new(Self::binary()?)
            .arg("--config")
            .arg(&config)
            .args(["init", "--nom", "Académie de Poitiers"])
            .args(["--hote", "localhost", "--hote", "127.0.0.1"])
            .arg("--dossier")
            .arg(dir.join("pki"))
            .args(["--postgresql", &pg.url()])
            .args(["--ecoute", &format!("127.0.0.1:{port}")])
            .arg("--flux")
            .arg(dir.join("flux")))?;
        Ok(Self {
            child: None,
            port,
            base: format!("https://127.0.0.1:{port}"),
            dir: dir.to_owned(),
            ca: dir.join("pki/autorite.crt"),
            log: dir.join("hub.log"),
            config,
        })
    }

    pub fn cli(&self, args: &[&str]) -> Result<String> {
        run(Command::new(Self::binary()?)
            .arg("--config")
            .arg(&self.config)
            .args(args))
    }

    /// Registers an établissement; its certificate and key.
    pub fn add(&self, uai: &str, nom: &str) -> Result<(PathBuf, PathBuf)> {
        let out = self.dir.join(format!("remis-{uai}"));
        self.cli(&[
            "etablissement",
            "ajouter",
            uai,
            "--nom",
            nom,
            "--sortie",
            &out.to_string_lossy(),
        ])?;
        Ok((
            out.join(format!("{uai}.crt")),
            out.join(format!("{uai}.key")),
        ))
    }

    pub fn account(&self, login: &str, nom: &str, password: &str) -> Result<()> {
        let mut child = Command::new(Self::binary()?)
            .arg("--config")
            .arg(&self.config)
            .args(["compte", login, "--nom", nom])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?;
        child
            .stdin
            .take()
            .ok_or_else(|| Error::other("stdin"))?
            .write_all(password.as_bytes())?;
        let out = child.wait_with_output()?;
        if !out.status.success() {
            return Err(Error::other(
                String::from_utf8_lossy(&out.stderr).into_owned(),
            ));
        }
        Ok(())
    }

    /// `cartable-academie serve`, until it listens.
    pub fn start(&mut self) -> Result<()> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)?;
        let mut child = Command::new(Self::binary()?)
            .arg("--config")
            .arg(&self.config)
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()?;
        let log = self.log.clone();
        crate::wait_listening(
            "cartable-academie",
            self.port,
            &mut child,
            Duration::from_secs(60),
            || std::fs::read_to_string(&log).unwrap_or_default(),
        )?;
        self.child = Some(child);
        Ok(())
    }

    /// Stops it (the hub down).
    pub fn stop(&mut self) {
        if let Some(c) = self.child.take() {
            crate::stop(c);
        }
    }

    /// A staff member's browser, signed in through the form (cookies kept, no redirect followed).
    pub async fn staff(
        &self,
        login: &str,
        password: &str,
    ) -> std::result::Result<reqwest::Client, Box<dyn std::error::Error + Send + Sync>> {
        let staff = crate::http::browser(crate::http::browser_tls(&self.ca)?, None)?;
        let form = staff
            .get(format!("{}/connexion", self.base))
            .send()
            .await?
            .text()
            .await?;
        let csrf = crate::http::csrf_in(&form).ok_or("no CSRF token")?;
        let r = staff
            .post(format!("{}/connexion", self.base))
            .form(&[
                ("login", login),
                ("mot_de_passe", password),
                ("csrf", &csrf),
            ])
            .send()
            .await?;
        if r.status() != 303 {
            return Err(format!("sign-in refused: {}", r.status()).into());
        }
        Ok(staff)
    }

    /// How the hub ended, if it did.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child
            .as_mut()
            .and_then(|c| c.try_wait().ok().flatten())
    }

    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.stop();
    }
}
