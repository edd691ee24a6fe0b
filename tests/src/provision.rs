//! The technician's tool against real services: the site file of the tests, a machine's
//! files as the audit reads them, the install's directory commands replayed on a test slapd,
//! and the installed configuration moved into a test folder.

use std::io::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::slapd::Slapd;

pub const SITE: &str = "[etablissement]\nuai = \"0861234A\"\nnom = \"Collège <Les Tilleuls>\"\n\
                        academie = \"Poitiers\"\n[reseau]\nnom = \"ent.clg-tilleuls.fr\"\n\
                        adresse = \"192.168.10.5\"\n[rupn]\nnom = \"DUPONT\"\nprenom = \"Claire\"\n";

/// The base DN the install derives from the site's network name.
pub const BASE: &str = "dc=clg-tilleuls,dc=fr";

/// A machine's files as the audit reads them.
pub fn host(root: &Path, memory_kb: u64) -> Result<()> {
    for d in ["etc", "proc", "srv"] {
        std::fs::create_dir_all(root.join(d))?;
    }
    std::fs::write(
        root.join("etc/os-release"),
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\n",
    )?;
    std::fs::write(root.join("proc/cpuinfo"), "processor : 0\nprocessor : 1\n")?;
    std::fs::write(
        root.join("proc/meminfo"),
        format!("MemTotal: {memory_kb} kB\n"),
    )?;
    std::fs::write(root.join("etc/hostname"), "ent\n")
}

/// Samba's schema where the samba package puts it under `root`, so the install loads it.
pub fn samba_schema_under(root: &Path) -> Result<()> {
    let to = root.join("usr/share/doc/samba/examples/LDAP/samba.ldif");
    if let Some(d) = to.parent() {
        std::fs::create_dir_all(d)?;
    }
    std::fs::copy(crate::slapd::SAMBA_SCHEMA, &to).map(|_| ())
}

/// Where the moved configuration puts things, in the test folder.
pub struct Installed {
    pub config: PathBuf,
    pub data: PathBuf,
    pub files: PathBuf,
    pub nss: PathBuf,
    pub backups: PathBuf,
}

/// The configuration the install wrote under `root`, its paths moved into `dir`, its
/// directory the test's slapd, listening on a free port, without the public URL.
pub fn move_installed_config(root: &Path, dir: &Path, slapd_url: &str) -> Result<Installed> {
    let i = Installed {
        config: dir.join("cartable.toml"),
        data: dir.join("var"),
        files: dir.join("fichiers"),
        nss: dir.join("extrausers"),
        backups: dir.join("sauvegardes"),
    };
    let q = |p: &Path| format!("\"{}\"", p.display());
    let text = std::fs::read_to_string(root.join("etc/cartable/cartable.toml"))?
        .replace("\"/var/lib/cartable\"", &q(&i.data))
        .replace("0.0.0.0:443", "127.0.0.1:0")
        .replace("http_listen = \"0.0.0.0:80\"\n", "")
        .replace("public_url = \"https://ent.clg-tilleuls.fr\"\n", "")
        .replace("\"ldap://127.0.0.1\"", &format!("\"{slapd_url}\""))
        .replace(
            "\"/etc/cartable/",
            &format!("\"{}/etc/cartable/", root.display()),
        )
        .replace("\"/srv/cartable\"", &q(&i.files))
        .replace("\"/var/lib/extrausers\"", &q(&i.nss))
        .replace("\"/var/backups/cartable\"", &q(&i.backups));
    std::fs::write(&i.config, text)?;
    Ok(i)
}

/// Runs `cartable-provision` on the real machine (no simulation), under `root`.
pub fn provision_real(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(i32, String)> {
    let out = Command::new(crate::daemon::built("cartable-provision")?)
        .arg("--root")
        .arg(root)
        .args(args)
        .envs(env.iter().copied())
        .output()?;
    Ok((
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    ))
}

/// The install's directory commands, as the simulated machine recorded them, run for real
/// against `slapd`: its socket instead of the system's, the files from under `root`, the
/// database folder in `db`.
pub fn replay_directory_commands(root: &Path, slapd: &Slapd, db: &Path) -> Result<usize> {
    let docs = root.join("var/lib/cartable-provision");
    let machine: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(docs.join("machine-simulee.json"))?)
            .map_err(Error::other)?;
    let mut ran = 0;
    for argv in machine["commands"]
        .as_array()
        .ok_or_else(|| Error::other("no commands recorded"))?
    {
        let argv: Vec<String> = serde_json::from_value(argv.clone()).map_err(Error::other)?;
        if !matches!(argv[0].as_str(), "ldapadd" | "ldapmodify") {
            continue;
        }
        let mut args = Vec::new();
        for (i, a) in argv.iter().enumerate().skip(1) {
            let after = argv[i - 1].as_str();
            if a == "ldapi:///" {
                args.push(slapd.ldapi_url().to_owned());
            } else if after == "-f" || after == "-y" {
                let under = root.join(a.trim_start_matches('/'));
                let file = if under.exists() {
                    under
                } else {
                    PathBuf::from(a)
                };
                let text = std::fs::read(&file)?;
                let moved = db.with_extension(format!("{i}-{}", ran));
                std::fs::write(
                    &moved,
                    String::from_utf8_lossy(&text)
                        .replace("/var/lib/ldap-cartable", &db.display().to_string()),
                )?;
                args.push(moved.display().to_string());
            } else {
                args.push(a.clone());
            }
        }
        let out = Command::new(&argv[0]).args(&args).output()?;
        if !out.status.success() {
            return Err(Error::other(format!(
                "{} {}: {}{}",
                argv[0],
                args.join(" "),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )));
        }
        ran += 1;
    }
    Ok(ran)
}

impl Installed {
    fn cartabled() -> Result<PathBuf> {
        crate::daemon::binary()
    }

    /// `cartable-provision import` of the académie's sample feed with this configuration,
    /// on the real machine (the real `cartabled`).
    pub fn import_sample(&self, root: &Path, site: &Path) -> Result<(i32, String)> {
        let feed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aaf/sample/complet");
        provision_real(
            root,
            &[
                "import",
                "--site",
                &site.display().to_string(),
                "--aaf",
                &feed.display().to_string(),
                "--config",
                &self.config.display().to_string(),
                "--cartabled",
                &Self::cartabled()?.display().to_string(),
            ],
            &[],
        )
    }

    /// `cartabled accounts <args…>` on this configuration.
    pub fn accounts(&self, args: &[&str], stdin: Option<&str>) -> Result<std::process::Output> {
        let mut child = Command::new(Self::cartabled()?)
            .arg("accounts")
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()?;
        if let (Some(text), Some(mut input)) = (stdin, child.stdin.take()) {
            std::io::Write::write_all(&mut input, text.as_bytes())?;
        }
        child.wait_with_output()
    }

    /// The first imported pupil, with `password` set.
    pub fn pupil_with_password(&self, password: &str) -> Result<String> {
        let out = self.accounts(&["list", "--profile", "eleve", "--json"], None)?;
        let pupils: serde_json::Value =
            serde_json::from_slice(&out.stdout).map_err(Error::other)?;
        let pupil = pupils[0]["login"]
            .as_str()
            .ok_or_else(|| Error::other("no pupil imported"))?
            .to_owned();
        let set = self.accounts(
            &["set-password", &pupil, "--password-stdin"],
            Some(&format!("{password}\n")),
        )?;
        if !set.status.success() {
            return Err(Error::other(
                String::from_utf8_lossy(&set.stderr).into_owned(),
            ));
        }
        Ok(pupil)
    }

    /// smbd on the installed tree, with the installed directory's Samba settings.
    pub fn smbd(&self) -> Result<crate::samba::Smbd> {
        let cartable_core::config::DirectoryConfig::Ldap(ldap) =
            cartable_core::config::Config::load(&self.config)
                .map_err(Error::other)?
                .directory
        else {
            return Err(Error::other(
                "the installed configuration has no LDAP directory",
            ));
        };
        if ldap.samba_domain_sid.is_none() {
            return Err(Error::other("no Samba domain configured"));
        }
        let quotas = cartable_core::files::samba::quota_dir(&self.data);
        crate::samba::Smbd::for_cartable(&ldap, &self.files, &quotas, &self.nss)
    }

    /// `cartable-provision verify` as `login` against the service at `url` and smbd.
    pub fn verify(
        &self,
        root: &Path,
        site: &Path,
        login: &str,
        password: &str,
        url: &str,
        smb_port: u16,
    ) -> Result<(i32, String)> {
        provision_real(
            root,
            &[
                "verify",
                "--site",
                &site.display().to_string(),
                "--compte",
                login,
                "--config",
                &self.config.display().to_string(),
                "--url",
                url,
                "--smb",
                &format!("127.0.0.1:{smb_port}"),
                "--service-cas",
                "https://ent.clg-tilleuls.fr/cas/verification",
                "--cartabled",
                &Self::cartabled()?.display().to_string(),
            ],
            &[("CARTABLE_VERIF_MOT_DE_PASSE", password)],
        )
    }
}
