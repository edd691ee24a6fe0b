//! A real smbd for the tests: accounts from a test slapd through `ldapsam` (trusted, so no NSS
//! daemon is needed), on a free loopback port, with its state in a temporary directory; and
//! `smbclient` to talk to it.

use std::io::{Error, Result};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// What the test smbd is given.
#[derive(Debug, Clone, Copy)]
pub struct SmbdConfig<'a> {
    /// The directory: URL, suffix, administrator.
    pub ldap_url: &'a str,
    pub suffix: &'a str,
    pub admin_dn: &'a str,
    pub admin_password: &'a str,
    /// The `[homes]` share is `home_root/<share name>`, for that account only.
    pub home_root: &'a Path,
    /// Extra smb.conf sections.
    pub shares: &'a str,
    /// The accounts' unix entries (`name:x:uid:gid:gecos:home:shell`) and groups, which smbd
    /// also looks up by name — given to it through nss_wrapper, as Samba's own tests do.
    pub passwd: &'a str,
    pub group: &'a str,
}

pub struct Smbd {
    pub port: u16,
    child: Option<Child>,
    dir: tempfile::TempDir,
}

impl Smbd {
    pub fn start(c: &SmbdConfig<'_>) -> Result<Self> {
        let SmbdConfig {
            ldap_url,
            suffix,
            admin_dn,
            admin_password,
            home_root,
            shares,
            passwd,
            group,
        } = *c;
        let dir = tempfile::Builder::new()
            .prefix("cartable-smbd-")
            .tempdir()?;
        let root = dir.path();
        for d in ["private", "lock", "state", "cache", "pid", "log", "ncalrpc"] {
            std::fs::create_dir_all(root.join(d))?;
        }
        let port = crate::free_port()?;
        let conf = root.join("smb.conf");
        let r = root.display();
        std::fs::write(
            &conf,
            format!(
                "[global]\n\
                 workgroup = CARTABLE\nnetbios name = CARTABLE\nserver role = standalone server\n\
                 security = user\nmap to guest = never\n\
                 passdb backend = ldapsam:{ldap_url}\nldap suffix = {suffix}\n\
                 ldap user suffix = ou=people\nldap group suffix = ou=groups\n\
                 ldap admin dn = {admin_dn}\nldap ssl = off\nldapsam:trusted = yes\n\
                 ldapsam:editposix = no\nldap passwd sync = no\n\
                 smb ports = {port}\ninterfaces = 127.0.0.1\nbind interfaces only = yes\n\
                 disable netbios = yes\ndisable spoolss = yes\nload printers = no\n\
                 private dir = {r}/private\nlock directory = {r}/lock\nstate directory = {r}/state\n\
                 cache directory = {r}/cache\npid directory = {r}/pid\nncalrpc dir = {r}/ncalrpc\n\
                 log file = {r}/log/%m.log\nlog level = 1\n\
                 server min protocol = SMB2_10\n\
                 [homes]\n  path = {home}/%S\n  valid users = %S\n  read only = no\n  browseable = no\n\
                 {shares}",
                home = home_root.display(),
            ),
        )?;
        // The LDAP admin password goes to secrets.tdb, as on a real install.
        let out = Command::new("smbpasswd")
            .arg("-c")
            .arg(&conf)
            .args(["-w", admin_password])
            .output()?;
        if !out.status.success() {
            return Err(Error::other(format!(
                "smbpasswd -w: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )));
        }
        let wrapper = Path::new("/usr/lib/x86_64-linux-gnu/libnss_wrapper.so");
        if !wrapper.exists() {
            return Err(Error::other(
                "libnss-wrapper missing (apt-get install libnss-wrapper)",
            ));
        }
        std::fs::write(
            root.join("passwd"),
            format!(
                "root:x:0:0:root:/root:/bin/sh\n\
                 nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n{passwd}"
            ),
        )?;
        std::fs::write(
            root.join("group"),
            format!("root:x:0:\nnogroup:x:65534:\n{group}"),
        )?;
        let log = std::fs::File::create(root.join("smbd.out"))?;
        let child = Command::new("smbd")
            .env("LD_PRELOAD", wrapper)
            .env("NSS_WRAPPER_PASSWD", root.join("passwd"))
            .env("NSS_WRAPPER_GROUP", root.join("group"))
            // Its own process group: smbd signals its whole group when it stops.
            .process_group(0)
            .args(["--foreground", "--no-process-group", "--debug-stdout"])
            .arg(format!("--configfile={}", conf.display()))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()?;
        let mut s = Self {
            port,
            child: Some(child),
            dir,
        };
        let mut child = s.child.take().ok_or_else(|| Error::other("no child"))?;
        let waited =
            crate::wait_listening("smbd", port, &mut child, Duration::from_secs(20), || {
                s.log()
            });
        s.child = Some(child);
        waited?;
        Ok(s)
    }

    pub fn conf(&self) -> PathBuf {
        self.dir.path().join("smb.conf")
    }

    /// `smbclient //127.0.0.1/<share> -U user%password -c commands`, run in `cwd`.
    pub fn client(
        &self,
        share: &str,
        user: &str,
        password: &str,
        commands: &str,
        cwd: &Path,
    ) -> Result<Output> {
        Command::new("timeout")
            .arg("15")
            .arg("smbclient")
            .arg(format!("//127.0.0.1/{share}"))
            .args(["-p", &self.port.to_string(), "-m", "SMB3"])
            .arg("-U")
            .arg(format!("{user}%{password}"))
            .args(["-c", commands])
            .current_dir(cwd)
            .output()
    }

    pub fn log(&self) -> String {
        let mut out = std::fs::read_to_string(self.dir.path().join("smbd.out")).unwrap_or_default();
        if let Ok(entries) = std::fs::read_dir(self.dir.path().join("log")) {
            for e in entries.flatten() {
                out.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
            }
        }
        out
    }
}

impl Drop for Smbd {
    fn drop(&mut self) {
        if let Some(c) = self.child.take() {
            crate::stop(c);
        }
    }
}
