//! A real smbd for the tests: accounts from a test slapd through `ldapsam` (trusted, so no NSS
//! daemon is needed), on a free loopback port, with its state in a temporary directory; and
//! `smbclient` to talk to it.

use std::io::{Error, Result};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use cartable_core::config::LdapConfig;
use cartable_core::files::samba::{SambaSite, render};

/// What the test smbd is given.
#[derive(Clone, Copy)]
pub struct SmbdConfig<'a> {
    /// The smb.conf, from its port, state folder and log folder.
    pub render: &'a dyn Fn(u16, &Path, &Path) -> String,
    /// The LDAP administrator's password, which smbd keeps in secrets.tdb.
    pub admin_password: &'a str,
    /// The accounts' unix entries (`name:x:uid:gid:gecos:home:shell`) and groups as cartable
    /// writes them for libnss-extrausers — given to smbd through nss_wrapper, as Samba's own
    /// tests do, so the host's NSS is left alone.
    pub passwd: &'a str,
    pub group: &'a str,
}

/// The Samba domain and the primary group every account has (gid 100 → RID 513), as the
/// install writes them under the base DN.
pub fn domain_ldif(base_dn: &str, sid: &str) -> String {
    format!(
        "dn: sambaDomainName=CARTABLE,{base_dn}\nobjectClass: sambaDomain\n\
         sambaDomainName: CARTABLE\nsambaSID: {sid}\n\n\
         dn: ou=groups,{base_dn}\nobjectClass: organizationalUnit\nou: groups\n\n\
         dn: cn=utilisateurs,ou=groups,{base_dn}\nobjectClass: posixGroup\n\
         objectClass: sambaGroupMapping\ncn: utilisateurs\ngidNumber: 100\n\
         sambaSID: {sid}-513\nsambaGroupType: 2\n"
    )
}

pub struct Smbd {
    pub port: u16,
    child: Option<Child>,
    dir: tempfile::TempDir,
}

impl Smbd {
    /// smbd on cartable's tree, with cartable's smb.conf and NSS files.
    pub fn for_cartable(ldap: &LdapConfig, root: &Path, quotas: &Path, nss: &Path) -> Result<Smbd> {
        Self::for_cartable_at(crate::free_port()?, ldap, root, quotas, nss)
    }

    /// The same, on a port chosen beforehand (one a configuration already names).
    pub fn for_cartable_at(
        port: u16,
        ldap: &LdapConfig,
        root: &Path,
        quotas: &Path,
        nss: &Path,
    ) -> Result<Smbd> {
        let render_conf = |port: u16, state: &Path, log: &Path| {
            render(
                &SambaSite {
                    workgroup: "CARTABLE",
                    netbios_name: "CARTABLE",
                    root,
                    port,
                    interfaces: "127.0.0.1",
                    state_dir: state,
                    log_dir: log,
                    quota_dir: quotas,
                },
                ldap,
            )
        };
        Smbd::start_at(
            port,
            &SmbdConfig {
                render: &render_conf,
                admin_password: &ldap.bind_password,
                passwd: &std::fs::read_to_string(nss.join("passwd"))?,
                group: &std::fs::read_to_string(nss.join("group"))?,
            },
        )
    }

    pub fn start(c: &SmbdConfig<'_>) -> Result<Self> {
        Self::start_at(crate::free_port()?, c)
    }

    pub fn start_at(port: u16, c: &SmbdConfig<'_>) -> Result<Self> {
        let SmbdConfig {
            render,
            admin_password,
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
        let conf = root.join("smb.conf");
        std::fs::write(&conf, render(port, root, &root.join("log")))?;
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

    /// Runs `commands` and tells whether they all succeeded, with everything smbclient said.
    pub fn run(
        &self,
        share: &str,
        user: &str,
        password: &str,
        commands: &str,
        cwd: &Path,
    ) -> Result<(bool, String)> {
        let out = self.client(share, user, password, commands, cwd)?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        // smbclient exits 0 even when a command in a -c list fails; its messages tell.
        let failed = !out.status.success() || text.contains("NT_STATUS_");
        Ok((!failed, text))
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
