//! A real slapd from Debian's package, on a free loopback port with a temporary cn=config
//! holding core, cosine, nis and inetorgperson; cartable's schema is then loaded from
//! `packaging/ldap/schema/` with `ldapadd`, as an administrator would.

use std::io::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BASE_DN: &str = "dc=cartable,dc=test";
pub const ADMIN_DN: &str = "cn=admin,dc=cartable,dc=test";
pub const ADMIN_PASSWORD: &str = "admin-secret";

pub struct Slapd {
    child: Option<Child>,
    dir: tempfile::TempDir,
    /// `ldap://127.0.0.1:PORT`
    pub url: String,
    ldapi: String,
}

fn slapd_bin() -> PathBuf {
    ["/usr/sbin/slapd", "/usr/bin/slapd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("slapd"))
}

fn run(cmd: &mut Command, what: &str) -> Result<String> {
    let out = cmd.output()?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(Error::other(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )))
    }
}

fn id(flag: &str) -> Result<String> {
    Ok(run(Command::new("id").arg(flag), "id")?.trim().to_owned())
}

/// The project's schema files, in load order.
pub fn schema_files() -> Result<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../packaging/ldap/schema");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ldif"))
        .collect();
    files.sort();
    Ok(files)
}

/// Samba's schema as Debian's samba package ships it.
pub const SAMBA_SCHEMA: &str = "/usr/share/doc/samba/examples/LDAP/samba.ldif";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Ready for cartable: its schemas and the test base.
    Cartable {
        samba: bool,
    },
    FreshDebian,
}

impl Slapd {
    pub fn start() -> Result<Self> {
        Self::start_with(false)
    }

    /// With Samba's schema loaded too (ldapsam accounts).
    pub fn start_with_samba() -> Result<Self> {
        Self::start_with(true)
    }

    /// As Debian's slapd package leaves it: cn=config with the standard schemas and one
    /// database for `dc=nodomain`; nothing of cartable's. What `cartable-provision install`
    /// finds on a fresh machine.
    pub fn start_fresh_debian() -> Result<Self> {
        Self::start_as(Kind::FreshDebian)
    }

    fn start_with(samba: bool) -> Result<Self> {
        Self::start_as(Kind::Cartable { samba })
    }

    fn start_as(kind: Kind) -> Result<Self> {
        let fresh = kind == Kind::FreshDebian;
        let dir = tempfile::Builder::new()
            .prefix("cartable-slapd-")
            .tempdir()?;
        let root = dir.path();
        std::fs::create_dir_all(root.join("slapd.d"))?;
        std::fs::create_dir_all(root.join("db"))?;
        let ldapi_path = root.join("ldapi");
        let ldapi = format!(
            "ldapi://{}",
            ldapi_path.to_string_lossy().replace('/', "%2F")
        );
        let (uid, gid) = (id("-u")?, id("-g")?);
        let config = format!(
            "dn: cn=config\nobjectClass: olcGlobal\ncn: config\nolcPidFile: {root}/slapd.pid\n\
             olcLogLevel: none\n\n\
             dn: cn=module{{0}},cn=config\nobjectClass: olcModuleList\ncn: module{{0}}\n\
             olcModulePath: /usr/lib/ldap\nolcModuleLoad: back_mdb\n{argon2}\n\
             dn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n\
             include: file:///etc/ldap/schema/core.ldif\n\n\
             include: file:///etc/ldap/schema/cosine.ldif\n\n\
             include: file:///etc/ldap/schema/nis.ldif\n\n\
             include: file:///etc/ldap/schema/inetorgperson.ldif\n\n\
             dn: olcDatabase={{-1}}frontend,cn=config\nobjectClass: olcDatabaseConfig\n\
             objectClass: olcFrontendConfig\nolcDatabase: {{-1}}frontend\n\n\
             dn: olcDatabase={{0}}config,cn=config\nobjectClass: olcDatabaseConfig\n\
             olcDatabase: {{0}}config\nolcAccess: {{0}}to * by dn.exact=gidNumber={gid}+uidNumber={uid},cn=peercred,cn=external,cn=auth manage by * break\n\n\
             dn: olcDatabase={{1}}mdb,cn=config\nobjectClass: olcDatabaseConfig\n\
             objectClass: olcMdbConfig\nolcDatabase: {{1}}mdb\nolcDbDirectory: {root}/db\n\
             olcSuffix: {suffix}\nolcRootDN: {root_dn}\nolcRootPW: {ADMIN_PASSWORD}\n\
             olcDbMaxSize: 268435456\n\
             olcDbIndex: objectClass eq\nolcDbIndex: uid eq\nolcDbIndex: memberUid eq\n",
            root = root.display(),
            argon2 = if fresh { "" } else { "olcModuleLoad: argon2\n" },
            suffix = if fresh { "dc=nodomain" } else { BASE_DN },
            root_dn = if fresh {
                "cn=admin,dc=nodomain"
            } else {
                ADMIN_DN
            },
        );
        std::fs::write(root.join("config.ldif"), config)?;
        run(
            Command::new("slapadd")
                .args(["-n0", "-F"])
                .arg(root.join("slapd.d"))
                .arg("-l")
                .arg(root.join("config.ldif")),
            "slapadd cn=config",
        )?;
        let port = crate::free_port()?;
        let url = format!("ldap://127.0.0.1:{port}");
        let log = std::fs::File::create(root.join("slapd.log"))?;
        let child = Command::new(slapd_bin())
            .args(["-d", "0", "-h"])
            .arg(format!("{url}/ {ldapi}"))
            .arg("-F")
            .arg(root.join("slapd.d"))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()?;
        let mut s = Self {
            child: Some(child),
            dir,
            url,
            ldapi,
        };
        s.wait_ready(port)?;
        let Kind::Cartable { samba } = kind else {
            return Ok(s);
        };
        let mut files = schema_files()?;
        if samba {
            let schema = PathBuf::from(SAMBA_SCHEMA);
            if !schema.exists() {
                return Err(Error::other(format!(
                    "{SAMBA_SCHEMA} missing: apt-get install samba"
                )));
            }
            files.insert(0, schema);
        }
        for f in files {
            run(
                Command::new("ldapadd")
                    .args(["-Q", "-Y", "EXTERNAL", "-H", &s.ldapi, "-f"])
                    .arg(&f),
                &format!("ldapadd {}", f.display()),
            )?;
        }
        s.ldif(&format!(
            "dn: {BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: cartable\no: cartable\n"
        ))?;
        Ok(s)
    }

    fn wait_ready(&mut self, port: u16) -> Result<()> {
        let started = Instant::now();
        loop {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(());
            }
            if let Some(s) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                return Err(Error::other(format!("slapd exited ({s}):\n{}", self.log())));
            }
            if started.elapsed() > Duration::from_secs(20) {
                return Err(Error::other(format!(
                    "slapd did not start:\n{}",
                    self.log()
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Adds entries as the administrator.
    pub fn ldif(&self, ldif: &str) -> Result<()> {
        let path = self
            .dir
            .path()
            .join(format!("add-{}.ldif", crate::free_port()?));
        std::fs::write(&path, ldif)?;
        run(
            Command::new("ldapadd")
                .args([
                    "-x",
                    "-H",
                    &self.url,
                    "-D",
                    ADMIN_DN,
                    "-w",
                    ADMIN_PASSWORD,
                    "-f",
                ])
                .arg(&path),
            "ldapadd",
        )
        .map(|_| ())
    }

    /// `ldapsearch` as the administrator, LDIF out (what another ENT application would see).
    pub fn search(&self, filter: &str, attrs: &[&str]) -> Result<String> {
        run(
            Command::new("ldapsearch")
                .args(["-x", "-LLL", "-o", "ldif-wrap=no", "-H", &self.url])
                .args(["-D", ADMIN_DN, "-w", ADMIN_PASSWORD, "-b", BASE_DN, filter])
                .args(attrs),
            "ldapsearch",
        )
    }

    /// A simple bind with `ldapwhoami` (what Samba or another client would do).
    pub fn bind_ok(&self, dn: &str, password: &str) -> bool {
        Command::new("ldapwhoami")
            .args(["-x", "-H", &self.url, "-D", dn, "-w", password])
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// Turns on TLS with a CA made for the test and requires it for every operation
    /// (`olcSecurity: tls=1`); returns the CA file a client must trust.
    pub fn require_tls(&self) -> Result<PathBuf> {
        let root = self.dir.path();
        let pki = crate::test_pki()?;
        let (ca_file, cert_file, key_file) = (
            root.join("ca.pem"),
            root.join("server.pem"),
            root.join("server.key"),
        );
        std::fs::write(&ca_file, &pki.ca_pem)?;
        std::fs::write(&cert_file, &pki.cert_pem)?;
        std::fs::write(&key_file, &pki.key_pem)?;
        let ldif = format!(
            "dn: cn=config\nchangetype: modify\n\
             replace: olcTLSCACertificateFile\nolcTLSCACertificateFile: {}\n-\n\
             replace: olcTLSCertificateFile\nolcTLSCertificateFile: {}\n-\n\
             replace: olcTLSCertificateKeyFile\nolcTLSCertificateKeyFile: {}\n-\n\
             replace: olcSecurity\nolcSecurity: tls=1\n",
            ca_file.display(),
            cert_file.display(),
            key_file.display()
        );
        let path = root.join("tls.ldif");
        std::fs::write(&path, ldif)?;
        run(
            Command::new("ldapmodify")
                .args(["-Q", "-Y", "EXTERNAL", "-H", &self.ldapi, "-f"])
                .arg(&path),
            "ldapmodify TLS",
        )?;
        Ok(ca_file)
    }

    /// `ldapi://...` URL of the server's local socket.
    pub fn ldapi_url(&self) -> &str {
        &self.ldapi
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("slapd.log")).unwrap_or_default()
    }

    /// The configuration a cartable using this server would have.
    pub fn config(&self) -> cartable_core::config::LdapConfig {
        cartable_core::config::LdapConfig {
            url: self.url.clone(),
            starttls: false,
            tls_ca_file: None,
            base_dn: BASE_DN.to_owned(),
            bind_dn: ADMIN_DN.to_owned(),
            bind_password: ADMIN_PASSWORD.to_owned(),
            pool_size: 4,
            samba_domain_sid: None,
        }
    }
}

impl Drop for Slapd {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        if std::thread::panicking() {
            eprintln!("---- slapd log ----\n{}", self.log());
        }
    }
}
