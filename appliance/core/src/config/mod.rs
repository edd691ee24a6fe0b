//! Configuration: the TOML file as written by the technician ([`file::ConfigFile`]) and the
//! validated [`Config`] the rest of the code uses. Every key has a default that gives the
//! embedded demo setup; validation reports every problem at once, each naming its key and line.

mod error;
mod file;
mod validate;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub use error::{ConfigErrors, ConfigProblem};
pub use file::ConfigFile;

/// Default location of the service's configuration.
pub const DEFAULT_CONFIG_PATH: &str = "/etc/cartable/cartable.toml";
/// Default data directory (store, generated certificates).
pub const DEFAULT_DATA_DIR: &str = "/var/lib/cartable";
/// Default HTTPS address of the service.
pub const DEFAULT_LISTEN: &str = "0.0.0.0:443";

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Store, generated certificates and other state.
    pub data_dir: PathBuf,
    /// HTTPS address.
    pub listen: SocketAddr,
    /// Plain-HTTP address whose requests are redirected to HTTPS, if any.
    pub http_listen: Option<SocketAddr>,
    /// Public base URL (`https://ent.example.fr`), if set; otherwise derived from the request.
    pub public_url: Option<String>,
    pub tls: TlsConfig,
    pub session: SessionConfig,
    pub directory: DirectoryConfig,
    pub accounts: AccountsConfig,
    pub import: ImportConfig,
    pub academie: AcademieConfig,
    pub cas: CasConfig,
    pub files: FilesConfig,
    pub backup: BackupConfig,
    pub gar: GarConfig,
    pub log: LogConfig,
    pub modules: ModulesConfig,
    /// The SMTP relay; None: no e-mail.
    pub mail: Option<MailConfig>,
    /// The Samba AD domain kept in step with the annuaire; None: no domain.
    pub domaine: Option<DomaineConfig>,
}

/// `[domaine]`, checked.
#[derive(Clone)]
pub struct DomaineConfig {
    pub domain: crate::ad::account::Domain,
    pub url: String,
    /// The CA that signed the controller's certificate (cartable's, made at install).
    pub ca_file: PathBuf,
    pub bind_dn: String,
    pub bind_password: String,
}

impl std::fmt::Debug for DomaineConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DomaineConfig")
            .field("domain", &self.domain)
            .field("url", &self.url)
            .field("ca_file", &self.ca_file)
            .field("bind_dn", &self.bind_dn)
            .field("bind_password", &"***")
            .finish()
    }
}

/// How the relay is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailSecurity {
    StartTls,
    Tls,
    None,
}

/// `[mail]`, checked.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub host: String,
    pub port: u16,
    pub security: MailSecurity,
    /// User and password.
    pub credentials: Option<(String, String)>,
    pub sender: String,
    pub ca_file: Option<PathBuf>,
    pub retry: std::time::Duration,
    pub digest_hour: u8,
    /// Default quiet hours (start, end).
    pub quiet: (u8, u8),
}

/// `[modules]`, with profiles checked; module ids are checked by the daemon, which knows the
/// modules of its build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModulesConfig {
    /// `None`: every module of the build.
    pub enabled: Option<Vec<String>>,
    /// Profiles a module is open to at first start, by module id.
    pub profiles: std::collections::BTreeMap<String, Vec<crate::directory::Profile>>,
}

/// Attributes a CAS service may receive.
pub const CAS_ATTRIBUTES: [&str; 11] = [
    "uid",
    "nom",
    "prenom",
    "mail",
    "dateNaissance",
    "codePostal",
    "categories",
    "profil",
    "ENTPersonJointure",
    "classes",
    "uai",
];

/// The attributes of the built-in `pronote` profile.
pub const PRONOTE_ATTRIBUTES: [&str; 6] = [
    "nom",
    "prenom",
    "dateNaissance",
    "codePostal",
    "categories",
    "ENTPersonJointure",
];

/// `[[cas.service]]`, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasService {
    pub name: String,
    /// Where the service lives: a service URL must have its scheme and host exactly, and its
    /// path at or below this one, on a segment boundary.
    pub url: String,
    /// Where proxy callbacks may be, when not within `url` (`proxy_callback_url`).
    pub proxy_callback: Option<String>,
    /// Names from [`CAS_ATTRIBUTES`].
    pub attributes: Vec<String>,
    pub proxy: bool,
    /// Who may use it; empty means everyone.
    pub profiles: Vec<crate::directory::Profile>,
}

/// `[cas]`: the registry of services; a service not in it gets no ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasConfig {
    pub services: Vec<CasService>,
    pub ticket_ttl: std::time::Duration,
    /// Extra CA for calls to services (proxy callbacks, single logout).
    pub ca_file: Option<PathBuf>,
}

impl Default for CasConfig {
    fn default() -> Self {
        Self {
            services: Vec::new(),
            ticket_ttl: std::time::Duration::from_secs(30),
            ca_file: None,
        }
    }
}

impl CasConfig {
    /// The registered service a URL belongs to (the most specific one).
    pub fn service_for(&self, url: &str) -> Option<&CasService> {
        self.services
            .iter()
            .filter(|s| url_within(url, &s.url))
            .max_by_key(|s| s.url.len())
    }
}

impl CasService {
    /// Whether a proxy callback may receive a ticket for this service: HTTPS, within the
    /// service's own address or the one configured for callbacks.
    pub fn accepts_callback(&self, callback: &str) -> bool {
        callback.starts_with("https://")
            && (url_within(callback, &self.url)
                || self
                    .proxy_callback
                    .as_deref()
                    .is_some_and(|base| url_within(callback, base)))
    }
}

/// Whether `candidate` is at or below `base`: same scheme, same host and port, no user
/// information, and a path equal to the base's or continuing it after a `/`. A prefix of the
/// text is not enough: `https://pronote.example.fr.evil.example/` is not within
/// `https://pronote.example.fr`, nor `https://host/m2-other/` within `https://host/m2`.
pub fn url_within(candidate: &str, base: &str) -> bool {
    let (Ok(c), Ok(b)) = (url::Url::parse(candidate), url::Url::parse(base)) else {
        return false;
    };
    if c.scheme() != b.scheme()
        || c.host_str().is_none()
        || c.host_str() != b.host_str()
        || c.port_or_known_default() != b.port_or_known_default()
        || !c.username().is_empty()
        || c.password().is_some()
    {
        return false;
    }
    let (cp, bp) = (c.path(), b.path());
    let bp = bp.strip_suffix('/').unwrap_or(bp);
    cp == bp
        || cp
            .strip_prefix(bp)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// `[backup]`: where and when backups are taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupConfig {
    /// Destination; no scheduled backup without it.
    pub dir: Option<PathBuf>,
    /// Hour of the daily backup (French time).
    pub hour: u8,
    /// Backups kept.
    pub keep: usize,
}

/// `[gar]`, checked: the nightly export to the GAR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GarConfig {
    /// The folder the académie's transfer collects from; no export without it.
    pub dir: Option<PathBuf>,
    /// Hour of the nightly export (French time).
    pub hour: u8,
    /// The ENT's identifier at the GAR.
    pub ent_id: String,
    /// The assignment managers (the GAR's « responsables d'affectation »), by login.
    pub managers: Vec<crate::directory::Login>,
}

impl Default for GarConfig {
    fn default() -> Self {
        Self {
            dir: None,
            hour: 21,
            ent_id: "cartable".to_owned(),
            managers: Vec::new(),
        }
    }
}

impl Default for BackupConfig {
    fn default() -> Self {
        Self {
            dir: None,
            hour: 2,
            keep: 14,
        }
    }
}

/// Default root of the file spaces.
pub const DEFAULT_FILES_ROOT: &str = "/srv/cartable";

/// `[files]`: the file spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilesConfig {
    pub root: PathBuf,
    /// Quota of a pupil, and of staff, in bytes; overridable per person in the console.
    pub quota_eleve: u64,
    pub quota_personnel: u64,
    /// Size of each part of a class space, of a group space, of the common documents, in
    /// bytes: a shared space is full before the disk is.
    pub quota_classe: u64,
    pub quota_groupe: u64,
    pub quota_commun: u64,
    /// Largest single upload from the web, in bytes.
    pub max_upload: u64,
    /// Days an entry stays in the corbeille before it is purged.
    pub trash_days: u32,
    /// Where `passwd` and `group` are written for libnss-extrausers (LDAP directory only).
    pub nss_dir: Option<PathBuf>,
    /// Where smbd serves the shares (host, port), if this server has them.
    pub samba: Option<(String, u16)>,
}

pub const MIB: u64 = 1024 * 1024;

impl Default for FilesConfig {
    fn default() -> Self {
        Self {
            root: PathBuf::from(DEFAULT_FILES_ROOT),
            quota_eleve: 1024 * MIB,
            quota_personnel: 10 * 1024 * MIB,
            quota_classe: 5 * 1024 * MIB,
            quota_groupe: 2 * 1024 * MIB,
            quota_commun: 20 * 1024 * MIB,
            max_upload: 2048 * MIB,
            trash_days: 30,
            nss_dir: None,
            samba: None,
        }
    }
}

/// `[academie]`: the drop folder watched for feeds, and where indicators are sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcademieConfig {
    pub drop_dir: Option<PathBuf>,
    /// A delivery is imported once unchanged this long.
    pub settle: std::time::Duration,
    pub url: Option<String>,
    pub ca_file: Option<PathBuf>,
    /// The client certificate and key the académie's hub knows the établissement by.
    pub identity: Option<(PathBuf, PathBuf)>,
    /// Where the hub offers this établissement's deliveries (fetched into `drop_dir`).
    pub flux_url: Option<String>,
    /// First retry delay; doubled at each failure, at most six hours.
    pub retry: std::time::Duration,
}

impl Default for AcademieConfig {
    fn default() -> Self {
        Self {
            drop_dir: None,
            settle: std::time::Duration::from_secs(120),
            url: None,
            ca_file: None,
            identity: None,
            flux_url: None,
            retry: std::time::Duration::from_secs(60),
        }
    }
}

/// `[import]`: how académie feeds are applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImportConfig {
    /// Link people in charge who are not legal responsables too (both legal responsables
    /// always are).
    pub personnes_en_charge: bool,
    /// Largest share of accounts a complet feed may disable without `--force`, in percent.
    pub max_disable_percent: u8,
}

impl Default for ImportConfig {
    fn default() -> Self {
        Self {
            personnes_en_charge: false,
            max_disable_percent: 10,
        }
    }
}

/// `[accounts]`: logins and lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountsConfig {
    pub login_scheme: crate::directory::login::LoginScheme,
    /// Days a disabled account is kept before deletion, per profile.
    pub grace_days: std::collections::HashMap<crate::directory::Profile, i64>,
}

impl Default for AccountsConfig {
    fn default() -> Self {
        use crate::directory::Profile;
        // Well under the three months the RGPD allows; staff get longer to hand over.
        let grace_days = Profile::ALL
            .into_iter()
            .map(|p| (p, if p.is_staff() { 60 } else { 30 }))
            .collect();
        Self {
            login_scheme: Default::default(),
            grace_days,
        }
    }
}

impl AccountsConfig {
    /// Grace period of a profile.
    pub fn grace(&self, p: crate::directory::Profile) -> time::Duration {
        time::Duration::days(self.grace_days.get(&p).copied().unwrap_or(30))
    }
}

/// Where the HTTPS certificate comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsConfig {
    /// A local CA and a server certificate generated on first start under `data_dir/tls`.
    Generated { hostnames: Vec<String> },
    /// Files provided by the administrator (PEM).
    Files { cert: PathBuf, key: PathBuf },
}

/// Session lifetimes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionConfig {
    /// A session unused for this long ends.
    pub idle: time::Duration,
    /// A pupil's, shorter: pupils sign in on shared PCs and leave them signed in.
    pub idle_eleve: time::Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute: time::Duration,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            idle: time::Duration::minutes(120),
            idle_eleve: time::Duration::minutes(20),
            absolute: time::Duration::hours(12),
        }
    }
}

/// Which directory backend holds the accounts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DirectoryConfig {
    /// The embedded SQLite directory in the store (default).
    #[default]
    Embedded,
    /// An OpenLDAP server with the SDET schema.
    Ldap(LdapConfig),
}

/// `[directory]` with `backend = "ldap"`.
#[derive(Clone, PartialEq, Eq)]
pub struct LdapConfig {
    /// `ldap://host:389`, `ldaps://...` or `ldapi://%2Frun%2Fslapd%2Fldapi`.
    pub url: String,
    /// Upgrade `ldap://` connections with StartTLS.
    pub starttls: bool,
    /// CA certificate(s) to trust for `ldaps://` and StartTLS (PEM); the system's otherwise.
    pub tls_ca_file: Option<PathBuf>,
    /// Base of the annuaire (`dc=college,dc=fr`); the entry must exist.
    pub base_dn: String,
    /// Account cartable binds as to read and write the annuaire.
    pub bind_dn: String,
    pub bind_password: String,
    /// Connections kept open at most.
    pub pool_size: usize,
    /// Samba domain SID (`S-1-5-21-…`): when set, accounts are also Samba accounts
    /// (`sambaSamAccount`, NT hash), so the ENT password is the SMB password.
    pub samba_domain_sid: Option<String>,
}

impl std::fmt::Debug for LdapConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LdapConfig")
            .field("url", &self.url)
            .field("starttls", &self.starttls)
            .field("tls_ca_file", &self.tls_ca_file)
            .field("base_dn", &self.base_dn)
            .field("bind_dn", &self.bind_dn)
            .field("bind_password", &"***")
            .field("pool_size", &self.pool_size)
            .field("samba_domain_sid", &self.samba_domain_sid)
            .finish()
    }
}

/// Logging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogConfig {
    /// A tracing filter (`info`, `cartable_web=debug,info`...).
    pub level: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "info".to_owned(),
        }
    }
}

impl Config {
    /// The embedded defaults for a data directory and address (demo, tests).
    /// The files live in `data_dir/fichiers`, so a demo needs nothing outside its folder.
    pub fn embedded(data_dir: impl Into<PathBuf>, listen: SocketAddr) -> Self {
        let data_dir = data_dir.into();
        Self {
            files: FilesConfig {
                root: data_dir.join("fichiers"),
                ..FilesConfig::default()
            },
            backup: BackupConfig::default(),
            gar: GarConfig::default(),
            data_dir,
            listen,
            http_listen: None,
            public_url: None,
            tls: TlsConfig::Generated {
                hostnames: Vec::new(),
            },
            session: SessionConfig::default(),
            directory: DirectoryConfig::Embedded,
            accounts: AccountsConfig::default(),
            import: ImportConfig::default(),
            academie: AcademieConfig::default(),
            cas: CasConfig::default(),
            log: LogConfig::default(),
            modules: ModulesConfig::default(),
            mail: None,
            domaine: None,
        }
    }

    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> crate::Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| crate::Error::io(path, e))?;
        Ok(Self::parse(path, &text)?)
    }

    /// Validates configuration text; `path` is only used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Self, ConfigErrors> {
        validate::parse(path, text)
    }

    /// Path of the SQLite store.
    pub fn store_path(&self) -> PathBuf {
        self.data_dir.join("cartable.sqlite")
    }

    /// Directory of the generated (or copied) TLS material.
    pub fn tls_dir(&self) -> PathBuf {
        self.data_dir.join("tls")
    }
}
