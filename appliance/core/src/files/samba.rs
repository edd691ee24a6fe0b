//! `smb.conf` from the template in `packaging/samba/`, filled from the configuration.

use std::path::Path;

use crate::config::LdapConfig;

const TEMPLATE: &str = include_str!("../../../../packaging/samba/smb.conf.in");
/// Accounts from cartable's OpenLDAP: a standalone server.
const ACCOUNTS_ANNUAIRE: &str =
    include_str!("../../../../packaging/samba/comptes-annuaire.conf.in");
/// Accounts from the établissement's Samba AD domain: a member server.
const ACCOUNTS_DOMAINE: &str = include_str!("../../../../packaging/samba/comptes-domaine.conf.in");

/// What the template needs besides the LDAP directory.
#[derive(Debug, Clone)]
pub struct SambaSite<'a> {
    pub workgroup: &'a str,
    pub netbios_name: &'a str,
    pub root: &'a Path,
    pub port: u16,
    pub interfaces: &'a str,
    /// Samba's own state (private, lock, cache...).
    pub state_dir: &'a Path,
    pub log_dir: &'a Path,
    /// Where cartable writes the home-share settings of people over quota.
    pub quota_dir: &'a Path,
}

impl SambaSite<'_> {
    /// An install's values: port 445, Samba's Debian state and log folders.
    pub fn installed<'a>(root: &'a Path, quota_dir: &'a Path) -> SambaSite<'a> {
        SambaSite {
            workgroup: "CARTABLE",
            netbios_name: "CARTABLE",
            root,
            port: 445,
            interfaces: "lo eth0",
            state_dir: Path::new("/var/lib/samba/cartable"),
            log_dir: Path::new("/var/log/samba"),
            quota_dir,
        }
    }
}

/// The folder of per-person home-share settings, beside the service's data.
pub fn quota_dir(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join("samba-quotas")
}

/// Makes a person's home share read-only over SMB (over quota), or writable again. Returns
/// whether anything changed. smbd reads it at the person's next connection.
pub fn set_read_only(
    dir: &Path,
    login: &crate::directory::Login,
    read_only: bool,
) -> std::io::Result<bool> {
    let path = dir.join(format!("{login}.conf"));
    if read_only {
        std::fs::create_dir_all(dir)?;
        super::unix::write_atomically(
            &path,
            "# Écrit par cartable : quota dépassé, partage en lecture seule.
read only = yes
",
            0o644,
        )
    } else {
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }
}

pub fn render(site: &SambaSite<'_>, ldap: &LdapConfig) -> String {
    let ssl = if ldap.starttls { "start tls" } else { "off" };
    let accounts = fill(
        ACCOUNTS_ANNUAIRE,
        &[
            ("@LDAP_URL@", ldap.url.clone()),
            ("@LDAP_SUFFIX@", ldap.base_dn.clone()),
            ("@LDAP_ADMIN_DN@", ldap.bind_dn.clone()),
            ("@LDAP_SSL@", ssl.to_owned()),
        ],
    );
    render_with(site, &accounts)
}

/// `smb.conf` of the file server once it is a member of the établissement's domain (joined
/// with `net ads join`; winbindd runs beside smbd). `site.workgroup` is the domain's NetBIOS
/// name.
pub fn render_member(site: &SambaSite<'_>, domain: &crate::ad::account::Domain) -> String {
    let accounts = fill(
        ACCOUNTS_DOMAINE,
        &[
            ("@REALM@", domain.realm.clone()),
            ("@WORKGROUP@", site.workgroup.to_owned()),
        ],
    );
    render_with(site, &accounts)
}

fn fill(template: &str, values: &[(&str, String)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |out, (key, value)| {
            out.replace(key, value)
        })
}

fn render_with(site: &SambaSite<'_>, accounts: &str) -> String {
    let mut out = TEMPLATE.replace("@ACCOUNTS@\n", accounts);
    for (key, value) in [
        ("@WORKGROUP@", site.workgroup.to_owned()),
        ("@NETBIOS_NAME@", site.netbios_name.to_owned()),
        ("@PORT@", site.port.to_string()),
        ("@INTERFACES@", site.interfaces.to_owned()),
        ("@STATE_DIR@", site.state_dir.display().to_string()),
        ("@LOG_DIR@", site.log_dir.display().to_string()),
        ("@ROOT@", site.root.display().to_string()),
        ("@QUOTA_DIR@", site.quota_dir.display().to_string()),
    ] {
        out = out.replace(key, &value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_filled() {
        let ldap = LdapConfig {
            url: "ldap://127.0.0.1:389".to_owned(),
            starttls: true,
            tls_ca_file: None,
            base_dn: "dc=college,dc=fr".to_owned(),
            bind_dn: "cn=admin,dc=college,dc=fr".to_owned(),
            bind_password: "secret".to_owned(),
            pool_size: 4,
            samba_domain_sid: None,
        };
        let site = SambaSite::installed(
            Path::new("/srv/cartable"),
            Path::new("/var/lib/cartable/samba-quotas"),
        );
        let conf = render(&site, &ldap);
        assert!(!conf.contains('@'), "{conf}");
        assert!(conf.contains("path = /srv/cartable/perso/%S"));
        assert!(conf.contains("ldap ssl = start tls"));
        assert!(!conf.contains("secret"), "the password goes to secrets.tdb");
        assert!(conf.contains("server role = standalone server"));
    }

    #[test]
    fn a_member_server_reads_the_annuaire_ids_from_the_domain() {
        let domain = crate::ad::account::Domain::new("college.ac-exemple.fr", "fs").expect("d");
        let mut site = SambaSite::installed(
            Path::new("/srv/cartable"),
            Path::new("/var/lib/cartable/samba-quotas"),
        );
        site.workgroup = "COLLEGE";
        let conf = render_member(&site, &domain);
        assert!(!conf.contains('@'), "{conf}");
        assert!(conf.contains("security = ads"));
        assert!(conf.contains("realm = COLLEGE.AC-EXEMPLE.FR"));
        assert!(conf.contains("idmap config COLLEGE : schema_mode = rfc2307"));
        assert!(!conf.contains("ldapsam"));
        assert!(conf.contains("path = /srv/cartable/perso/%S"));
    }
}
