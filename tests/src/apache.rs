//! A real CAS client: Apache httpd with Debian's mod_auth_cas, protecting `/protege/` on a
//! free loopback port, validating tickets against cartable over HTTPS (trusting only
//! cartable's CA). The protected page shows the user and the attributes it received.

use std::io::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const MODULES: &str = "/usr/lib/apache2/modules";

pub struct Apache {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    child: Option<Child>,
    dir: tempfile::TempDir,
}

impl Apache {
    /// `cas` is cartable's base URL (`https://localhost:<port>`), `ca` its CA certificate.
    /// Listens on `port` (chosen by the caller, who registers it as a CAS service first).
    pub fn start(port: u16, cas: &str, ca: &Path) -> Result<Self> {
        if !Path::new("/usr/sbin/apache2").exists()
            || !Path::new(MODULES).join("mod_auth_cas.so").exists()
        {
            return Err(Error::other(
                "apache2 or mod_auth_cas missing (apt-get install apache2 libapache2-mod-auth-cas)",
            ));
        }
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::Builder::new()
            .prefix("cartable-apache-")
            .tempdir()?;
        let root = dir.path();
        // Apache's workers run as nobody when started as root: they must read the pages and
        // the CA, and write mod_auth_cas's cookies.
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755))?;
        let www = root.join("www/protege");
        std::fs::create_dir_all(&www)?;
        std::fs::create_dir_all(root.join("cas-cookies"))?;
        std::fs::set_permissions(
            root.join("cas-cookies"),
            std::fs::Permissions::from_mode(0o777),
        )?;
        std::fs::set_permissions(root.join("www"), std::fs::Permissions::from_mode(0o755))?;
        std::fs::set_permissions(&www, std::fs::Permissions::from_mode(0o755))?;
        let ca_copy = root.join("cartable-ca.pem");
        std::fs::copy(ca, &ca_copy)?;
        std::fs::set_permissions(&ca_copy, std::fs::Permissions::from_mode(0o644))?;
        std::fs::write(
            www.join("index.shtml"),
            "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Service</title></head><body>\n\
             <h1>Service de test</h1>\n\
             <p id=\"utilisateur\"><!--#echo var=\"REMOTE_USER\" --></p>\n\
             <p id=\"nom\"><!--#echo var=\"HTTP_CAS_NOM\" --></p>\n\
             <p id=\"prenom\"><!--#echo var=\"HTTP_CAS_PRENOM\" --></p>\n\
             <p id=\"naissance\"><!--#echo var=\"HTTP_CAS_DATENAISSANCE\" --></p>\n\
             <p id=\"categories\"><!--#echo var=\"HTTP_CAS_CATEGORIES\" --></p>\n\
             </body></html>\n",
        )?;
        let conf = root.join("httpd.conf");
        let m = |name: &str| format!("LoadModule {name}_module {MODULES}/mod_{name}.so\n");
        let mut text = String::new();
        for name in [
            "mpm_event",
            "authn_core",
            "authz_core",
            "authz_user",
            "auth_cas",
            "include",
            "mime",
            "dir",
        ] {
            text.push_str(&m(name));
        }
        text.push_str(&format!(
            "ServerRoot \"{root}\"\nServerName 127.0.0.1\nListen 127.0.0.1:{port}\n\
             User nobody\nGroup nogroup\nTypesConfig /etc/mime.types\n\
             PidFile \"{root}/httpd.pid\"\nErrorLog \"{root}/error.log\"\nLogLevel info auth_cas:debug\n\
             DocumentRoot \"{root}/www\"\nDirectoryIndex index.shtml\n\
             AddType text/html .shtml\nAddOutputFilter INCLUDES .shtml\n\
             CASCookiePath \"{root}/cas-cookies/\"\n\
             CASLoginURL {cas}/cas/login\n\
             CASValidateURL {cas}/cas/p3/serviceValidate\n\
             CASCertificatePath \"{ca}\"\n\
             CASAttributePrefix CAS-\n\
             CASSSOEnabled On\nCASDebug On\n\
             <Directory \"{root}/www\">\n  Options +Includes\n  Require all granted\n</Directory>\n\
             <Location /protege>\n  AuthType CAS\n  CASAuthNHeader CAS-User\n  Require valid-user\n</Location>\n",
            root = root.display(),
            ca = ca_copy.display(),
        ));
        std::fs::write(&conf, text)?;
        let log = std::fs::File::create(root.join("stdout.log"))?;
        let child = Command::new("/usr/sbin/apache2")
            .arg("-f")
            .arg(&conf)
            .arg("-DFOREGROUND")
            .env("APACHE_RUN_DIR", root)
            .env("APACHE_LOCK_DIR", root)
            .env("APACHE_LOG_DIR", root)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()?;
        let mut a = Self {
            url: format!("http://127.0.0.1:{port}"),
            child: Some(child),
            dir,
        };
        let mut child = a.child.take().ok_or_else(|| Error::other("no child"))?;
        let waited =
            crate::wait_listening("apache2", port, &mut child, Duration::from_secs(15), || {
                a.log()
            });
        a.child = Some(child);
        waited?;
        Ok(a)
    }

    /// Its error log and output.
    pub fn log(&self) -> String {
        let read = |p: PathBuf| std::fs::read_to_string(p).unwrap_or_default();
        format!(
            "{}{}",
            read(self.dir.path().join("stdout.log")),
            read(self.dir.path().join("error.log"))
        )
    }
}

impl Drop for Apache {
    fn drop(&mut self) {
        if let Some(c) = self.child.take() {
            crate::stop(c);
        }
    }
}
