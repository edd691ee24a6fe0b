//! The établissement's domain controller as cartable-provision lays it out: a Samba AD DC from
//! Debian's packages, in its own folder and network namespace (LDAP, Kerberos and SMB have
//! fixed ports: slapd and the file server keep the host's). The install and the tests run the
//! same commands, built here.
//!
//! What is set at provisioning, and why:
//! - RFC 2307 ids, so that the annuaire's uidNumber/gidNumber written by cartabled are the
//!   ones every member and Linux PC uses;
//! - a password policy that never refuses or expires what the ENT accepted (no complexity, no
//!   minimum length or age, no history, no expiry): the ENT's own policy is the rule;
//! - `CryptSHA512` hashes kept, so that a password changed on a Windows PC can come back to
//!   the annuaire as `{CRYPT}$6$…` (`samba-tool user syncpasswords`);
//! - LDAPS with a certificate signed by a CA made for the domain (the one Samba makes has no
//!   subject alternative name, which TLS clients refuse);
//! - cartabled writes with an account of its own that may only touch `OU=cartable`.

use std::path::{Path, PathBuf};

/// The account cartabled writes the domain with.
pub const SYNC_ACCOUNT: &str = "cartable-sync";

/// Attributes `syncpasswords` hands to the script on each password change.
pub const PASSWORD_BACK_ATTRIBUTES: &str = "sAMAccountName,pwdLastSet,msDS-KeyVersionNumber,unicodePwd,virtualCryptSHA512,userAccountControl";

#[derive(Debug, Clone)]
pub struct Controller {
    /// The controller's folder: its smb.conf, databases, sysvol, private /run/samba.
    pub dir: PathBuf,
    /// The network namespace it runs in.
    pub netns: String,
    /// `COLLEGE.LAN`.
    pub realm: String,
    /// The host name (`dc`).
    pub host_name: String,
    /// Its own address, without prefix.
    pub address: String,
    /// What Samba listens on, in its namespace.
    pub interfaces: String,
    /// Where the DC's DNS sends the names it does not hold (the académie's resolver).
    pub dns_forwarder: Option<String>,
}

impl Controller {
    pub fn domain(&self) -> Result<cartable_core::ad::account::Domain, String> {
        cartable_core::ad::account::Domain::new(&self.realm, "fs").map_err(|e| e.to_string())
    }

    /// `dc.college.lan`.
    pub fn fqdn(&self) -> String {
        format!("{}.{}", self.host_name, self.realm.to_ascii_lowercase())
    }

    pub fn smb_conf(&self) -> PathBuf {
        self.dir.join("etc/smb.conf")
    }

    /// Its LDAPS certificate and the CA that signed it.
    pub fn tls_dir(&self) -> PathBuf {
        self.dir.join("tls")
    }

    pub fn ca_file(&self) -> PathBuf {
        self.tls_dir().join("ca.pem")
    }

    /// The folder Windows PCs read the logon script from (`\\dc\netlogon`).
    pub fn netlogon_dir(&self) -> PathBuf {
        self.dir
            .join("state/sysvol")
            .join(self.realm.to_ascii_lowercase())
            .join("scripts")
    }

    /// The privileged socket `syncpasswords` reads changes from.
    pub fn ldapi_url(&self) -> String {
        let socket = self.dir.join("private/ldap_priv/ldapi");
        format!(
            "ldapi://{}",
            socket.display().to_string().replace('/', "%2F")
        )
    }

    /// Provisions the domain from nothing, the administrator's password read from a file.
    /// What a provisioning interrupted before left behind is removed first, so running it
    /// again finishes the job. To run in the controller's network namespace.
    pub fn provision_script(&self, admin_password_file: &Path) -> String {
        let d = self.dir.display();
        let tls = self.tls_dir();
        let mut options = vec![
            format!("interfaces={}", self.interfaces),
            "bind interfaces only=yes".to_owned(),
            format!("tls keyfile={}", tls.join("dc.key").display()),
            format!("tls certfile={}", tls.join("dc.pem").display()),
            format!("tls cafile={}", self.ca_file().display()),
            "password hash userPassword schemes=CryptSHA512".to_owned(),
            format!("pid directory={d}/pid"),
            format!("log file={d}/log/%m.log"),
            "max log size=10000".to_owned(),
        ];
        if let Some(f) = &self.dns_forwarder {
            options.push(format!("dns forwarder={f}"));
        }
        let options: String = options
            .iter()
            .map(|o| format!(" \\\n  '--option={o}'"))
            .collect();
        let domain = self.domain().map(|d| d.netbios()).unwrap_or_default();
        format!(
            "set -e\n\
             # Done once: a domain is never provisioned over again (its accounts, its SIDs).\n\
             if [ -e {d}/private/sam.ldb ] && [ -e {d}/provisionne ]; then exit 0; fi\n\
             rm -rf {d}/private {d}/state {d}/cache {d}/lock {d}/bind-dns\n\
             mkdir -p {d}/etc {d}/run {d}/pid {d}/log\n\
             # Empty: provisioning would otherwise start from the host's smb.conf.\n\
             : > {d}/etc/smb.conf\n\
             samba-tool domain provision --configfile={d}/etc/smb.conf --targetdir={d} \\\n  \
             --realm={realm} --domain={domain} --server-role=dc --dns-backend=SAMBA_INTERNAL \\\n  \
             --use-rfc2307 --host-name={host} --host-ip={ip} \\\n  \
             --adminpass=\"$(cat {pw})\"{options}\n\
             touch {d}/provisionne\n",
            realm = self.realm,
            host = self.host_name,
            ip = self.address,
            pw = admin_password_file.display(),
        )
    }

    /// The domain's password policy made the ENT's: AD refuses and expires nothing.
    pub fn password_policy_argv(&self) -> Vec<String> {
        let mut argv = vec![
            "samba-tool".to_owned(),
            "domain".to_owned(),
            "passwordsettings".to_owned(),
            "set".to_owned(),
            format!("--configfile={}", self.smb_conf().display()),
        ];
        argv.extend(
            [
                "--min-pwd-age=0",
                "--max-pwd-age=0",
                "--history-length=0",
                "--complexity=off",
                "--min-pwd-length=0",
                "--account-lockout-threshold=0",
            ]
            .map(str::to_owned),
        );
        argv
    }

    /// Creates `OU=cartable` and the account cartabled writes with, allowed everything under
    /// that OU and nothing elsewhere; its password read from a file. Run again, it sets the
    /// password and the right again.
    pub fn sync_account_script(&self, password_file: &Path) -> String {
        let conf = self.smb_conf();
        let c = conf.display();
        let base = self.domain().map(|d| d.base_dn).unwrap_or_default();
        format!(
            "set -e\n\
             C='--configfile={c}'\n\
             samba-tool ou list \"$C\" | grep -qx 'OU=cartable' || samba-tool ou create \"$C\" 'OU=cartable,{base}'\n\
             if ! samba-tool user show \"$C\" {SYNC_ACCOUNT} >/dev/null 2>&1; then\n\
               samba-tool user create \"$C\" {SYNC_ACCOUNT} --random-password \
             --description='cartable : écrit les comptes de l’annuaire dans le domaine'\n\
             fi\n\
             samba-tool user setpassword \"$C\" {SYNC_ACCOUNT} --newpassword=\"$(cat {pw})\"\n\
             samba-tool user setexpiry \"$C\" {SYNC_ACCOUNT} --noexpiry\n\
             SID=$(samba-tool user show \"$C\" {SYNC_ACCOUNT} --attributes=objectSid | sed -n 's/^objectSid: //p')\n\
             test -n \"$SID\"\n\
             samba-tool dsacl set \"$C\" --objectdn='OU=cartable,{base}' --sddl=\"(A;CI;GA;;;$SID)\" >/dev/null\n",
            pw = password_file.display(),
        )
    }

    /// The controller in the foreground, as its unit runs it.
    pub fn samba_argv(&self) -> Vec<String> {
        vec![
            "samba".to_owned(),
            "-s".to_owned(),
            self.smb_conf().display().to_string(),
            "--foreground".to_owned(),
            "--no-process-group".to_owned(),
        ]
    }

    /// Makes `syncpasswords` hand each password change to `script` (once, the DC running).
    pub fn password_back_init_argv(&self, script: &Path) -> Vec<String> {
        vec![
            "samba-tool".to_owned(),
            "user".to_owned(),
            "syncpasswords".to_owned(),
            "--cache-ldb-initialize".to_owned(),
            format!("--configfile={}", self.smb_conf().display()),
            "-H".to_owned(),
            self.ldapi_url(),
            format!("--attributes={PASSWORD_BACK_ATTRIBUTES}"),
            format!("--script={}", script.display()),
        ]
    }

    /// `syncpasswords` waiting for changes, as its unit runs it.
    pub fn password_back_argv(&self) -> Vec<String> {
        vec![
            "samba-tool".to_owned(),
            "user".to_owned(),
            "syncpasswords".to_owned(),
            format!("--configfile={}", self.smb_conf().display()),
        ]
    }

    /// A Kerberos configuration for the realm, its KDC by address (no name service needed).
    pub fn krb5_conf(&self) -> String {
        krb5_conf(&self.realm, &self.address)
    }

    /// The controller's names, for its namespace's `/etc/hosts`.
    pub fn hosts(&self) -> String {
        format!(
            "127.0.0.1 localhost\n{} {} {}\n",
            self.address,
            self.fqdn(),
            self.host_name
        )
    }
}

/// A Kerberos configuration for `realm` whose KDC, admin and kpasswd server is `kdc`.
pub fn krb5_conf(realm: &str, kdc: &str) -> String {
    format!(
        "[libdefaults]\n\tdefault_realm = {realm}\n\tdns_lookup_realm = false\n\
         \tdns_lookup_kdc = false\n\trdns = false\n\
         [realms]\n{realm} = {{\n\tkdc = {kdc}\n\tadmin_server = {kdc}\n\tkpasswd_server = {kdc}\n}}\n\
         [domain_realm]\n\t.{lower} = {realm}\n\t{lower} = {realm}\n",
        lower = realm.to_ascii_lowercase()
    )
}

/// A CA made for the domain and the controller's certificate for its name and address.
pub struct Pki {
    pub ca_pem: String,
    pub cert_pem: String,
    pub key_pem: String,
}

/// Valid from the day before `now` (clocks differ) for ten years.
pub fn pki(c: &Controller, now: time::OffsetDateTime) -> Result<Pki, String> {
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    };
    let err = |e: rcgen::Error| e.to_string();
    let ca_key = KeyPair::generate().map_err(err)?;
    let mut ca = CertificateParams::default();
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    let mut name = DistinguishedName::new();
    name.push(
        DnType::CommonName,
        format!("cartable — domaine {}", c.realm),
    );
    ca.distinguished_name = name;
    ca.not_before = now - time::Duration::days(1);
    ca.not_after = now + time::Duration::days(3650);
    let ca_cert = ca.self_signed(&ca_key).map_err(err)?;
    let issuer = Issuer::new(ca, &ca_key);
    let key = KeyPair::generate().map_err(err)?;
    let mut params = CertificateParams::new(vec![c.fqdn(), c.address.clone()]).map_err(err)?;
    params.not_before = now - time::Duration::days(1);
    params.not_after = now + time::Duration::days(3650);
    let cert = params.signed_by(&key, &issuer).map_err(err)?;
    Ok(Pki {
        ca_pem: ca_cert.pem(),
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dc() -> Controller {
        Controller {
            dir: "/var/lib/cartable-dc".into(),
            netns: "cartable-dc".into(),
            realm: "COLLEGE.LAN".into(),
            host_name: "dc".into(),
            address: "192.168.10.12".into(),
            interfaces: "lo cdc1".into(),
            dns_forwarder: Some("192.168.10.1".into()),
        }
    }

    #[test]
    fn the_provisioning_sets_what_the_annuaire_needs_of_the_domain() {
        let s = dc().provision_script(Path::new("/etc/cartable/domaine-admin.secret"));
        for want in [
            "--realm=COLLEGE.LAN",
            "--domain=COLLEGE",
            "--use-rfc2307",
            "--host-ip=192.168.10.12",
            "'--option=password hash userPassword schemes=CryptSHA512'",
            "'--option=tls certfile=/var/lib/cartable-dc/tls/dc.pem'",
            "'--option=dns forwarder=192.168.10.1'",
            "\"$(cat /etc/cartable/domaine-admin.secret)\"",
        ] {
            assert!(s.contains(want), "{want} missing:\n{s}");
        }
        // A half-made provisioning is cleared before starting again.
        assert!(s.find("rm -rf").unwrap_or(usize::MAX) < s.find("samba-tool").unwrap_or(0));
    }

    #[test]
    fn the_sync_account_may_write_only_its_ou() {
        let s = dc().sync_account_script(Path::new("/etc/cartable/domaine.secret"));
        assert!(
            s.contains("--objectdn='OU=cartable,DC=college,DC=lan'"),
            "{s}"
        );
        assert!(s.contains("(A;CI;GA;;;$SID)"), "{s}");
        assert!(!s.contains("Domain Admins"), "{s}");
    }

    #[test]
    fn the_ldapi_socket_is_a_url() {
        assert_eq!(
            dc().ldapi_url(),
            "ldapi://%2Fvar%2Flib%2Fcartable-dc%2Fprivate%2Fldap_priv%2Fldapi"
        );
    }
}
