//! The configuration file as written: every key optional, unknown keys refused.

use serde::Deserialize;
use toml::Spanned;

/// `/etc/cartable/cartable.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Store and generated files. Default `/var/lib/cartable`.
    pub data_dir: Option<Spanned<String>>,
    /// HTTPS address, `ADDRESS:PORT`. Default `0.0.0.0:443`.
    pub listen: Option<Spanned<String>>,
    /// Plain-HTTP address that only redirects to HTTPS. Default: none.
    pub http_listen: Option<Spanned<String>>,
    /// Public base URL of the ENT, `https://...`. Default: taken from each request.
    pub public_url: Option<Spanned<String>>,
    #[serde(default)]
    pub tls: TlsSection,
    #[serde(default)]
    pub session: SessionSection,
    #[serde(default)]
    pub directory: DirectorySection,
    #[serde(default)]
    pub accounts: AccountsSection,
    #[serde(default)]
    pub import: ImportSection,
    #[serde(default)]
    pub academie: AcademieSection,
    #[serde(default)]
    pub cas: CasSection,
    #[serde(default)]
    pub files: FilesSection,
    #[serde(default)]
    pub backup: BackupSection,
    #[serde(default)]
    pub gar: GarSection,
    #[serde(default)]
    pub log: LogSection,
    #[serde(default)]
    pub modules: ModulesSection,
    #[serde(default)]
    pub mail: MailSection,
    #[serde(default)]
    pub domaine: DomaineSection,
}

/// `[domaine]`: the établissement's Samba AD domain, which cartable keeps in step with the
/// annuaire. Without `royaume`, no domain.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomaineSection {
    /// `COLLEGE.AC-EXEMPLE.FR`: the Kerberos realm (the AD DNS domain in capitals).
    pub royaume: Option<Spanned<String>>,
    /// The domain controller, over LDAPS: `ldaps://10.20.0.2`.
    pub url: Option<Spanned<String>>,
    /// PEM CA certificate the controller's certificate is signed by.
    pub ca_file: Option<Spanned<String>>,
    /// Account cartable writes with (`Administrator@COLLEGE.AC-EXEMPLE.FR`); its password in
    /// `password_file`.
    pub compte: Option<Spanned<String>>,
    pub password_file: Option<Spanned<String>>,
    /// NetBIOS name of the file server serving homes (`\\fs\<login>`). Default `fs`.
    pub serveur_fichiers: Option<Spanned<String>>,
}

/// `[modules]`: the ENT services mounted, and for whom.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModulesSection {
    /// Ids of the modules mounted. Default: every module of this build.
    pub enabled: Option<Spanned<Vec<String>>>,
    /// `[modules.profils]`: per module id, the profiles it is open to at first start (the
    /// console changes it afterwards). Default: the module's own choice.
    pub profils: Option<std::collections::BTreeMap<String, Spanned<Vec<String>>>>,
}

/// `[backup]`: daily backups.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupSection {
    /// Destination folder (a mounted disk or share). Default: none (no scheduled backup).
    pub dir: Option<Spanned<String>>,
    /// Hour of the daily backup, 0 to 23 (French time). Default 2.
    pub heure: Option<Spanned<i64>>,
    /// Backups kept. Default 14.
    pub garder: Option<Spanned<i64>>,
}

/// `[gar]`: the nightly export to the GAR.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GarSection {
    /// Folder the académie's transfer collects the flows from. Default: none (no export).
    pub dossier: Option<Spanned<String>>,
    /// Hour of the nightly export, 0 to 23 (French time). Default 21.
    pub heure: Option<Spanned<i64>>,
    /// The ENT's identifier at the GAR (starts the files' names). Default `cartable`.
    pub identifiant_ent: Option<Spanned<String>>,
    /// Logins of the GAR's assignment managers (who give the resources out in the GAR's
    /// console: the direction, the documentaliste). Default: none.
    pub responsables_affectation: Option<Spanned<Vec<String>>>,
}

/// `[files]`: the file spaces.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilesSection {
    /// Root of the spaces. Default `/srv/cartable`.
    pub root: Option<Spanned<String>>,
    /// Quota of a pupil in Mo. Default 1024.
    pub quota_eleve_mio: Option<Spanned<i64>>,
    /// Quota of staff in Mo. Default 10240.
    pub quota_personnel_mio: Option<Spanned<i64>>,
    /// Size of each part of a class space (documents, travail) in Mo. Default 5120.
    pub quota_classe_mio: Option<Spanned<i64>>,
    /// Size of a group space in Mo. Default 2048.
    pub quota_groupe_mio: Option<Spanned<i64>>,
    /// Size of the common documents in Mo. Default 20480.
    pub quota_commun_mio: Option<Spanned<i64>>,
    /// Largest upload from the web in Mo. Default 2048.
    pub max_upload_mio: Option<Spanned<i64>>,
    /// Days in the corbeille before purge. Default 30.
    pub corbeille_jours: Option<Spanned<i64>>,
    /// Folder for libnss-extrausers' `passwd` and `group` (LDAP only). Default: none.
    pub nss_dir: Option<Spanned<String>>,
    /// Where the school PCs' shares answer, `ADRESSE:PORT` (checked by the console's server
    /// page). Default `127.0.0.1:445` when the annuaire carries Samba accounts or there is a
    /// domain; otherwise none.
    pub samba: Option<Spanned<String>>,
}

/// `[cas]`: the CAS server and the services allowed to use it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CasSection {
    /// Seconds a service ticket stays valid. Default 30.
    pub ticket_seconds: Option<Spanned<i64>>,
    /// PEM CA certificates trusted when calling services back (proxy callbacks, single
    /// logout), besides the system's.
    pub ca_file: Option<Spanned<String>>,
    /// `[[cas.service]]` tables.
    #[serde(default)]
    pub service: Vec<CasServiceSection>,
}

/// `[[cas.service]]`: one service allowed to ask for tickets.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CasServiceSection {
    pub name: Option<Spanned<String>>,
    /// Prefix the service URL must start with.
    pub url: Option<Spanned<String>>,
    /// Attributes released to it.
    pub attributes: Option<Spanned<Vec<String>>>,
    /// A built-in set of attributes instead: `pronote`.
    pub profile: Option<Spanned<String>>,
    /// May it act as a CAS proxy. Default false.
    pub proxy: Option<Spanned<bool>>,
    /// Where its proxy callbacks may be, when not within `url`. Default: within `url`.
    pub proxy_callback_url: Option<Spanned<String>>,
    /// Accept an `http://` address (tickets then travel in clear). Default false.
    pub allow_http: Option<Spanned<bool>>,
    /// Profiles allowed to use it (`eleve`, `enseignant`…). Default: everyone.
    pub profiles: Option<Spanned<Vec<String>>>,
}

/// `[mail]`: the établissement's SMTP relay, for notifications by e-mail. Without `host`,
/// notifications stay in the ENT.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSection {
    /// The relay's name or address (`smtp.ac-exemple.fr`).
    pub host: Option<Spanned<String>>,
    /// Default 587 with `starttls`, 465 with `tls`, 25 with `aucune`.
    pub port: Option<Spanned<i64>>,
    /// `starttls` (default), `tls` (implicit TLS) or `aucune` (a relay on the local network).
    pub security: Option<Spanned<String>>,
    /// Account on the relay, if it asks for one; its password in `password_file`.
    pub user: Option<Spanned<String>>,
    pub password_file: Option<Spanned<String>>,
    /// `ENT du collège <ne-pas-repondre@college.fr>`: required with `host`.
    pub sender: Option<Spanned<String>>,
    /// PEM CA certificates trusted for the relay, besides the system's.
    pub ca_file: Option<Spanned<String>>,
    /// First retry delay in seconds, doubled at each failure up to an hour. Default 30.
    pub retry_seconds: Option<Spanned<i64>>,
    /// Hour (French time) of the daily summaries. Default 17.
    pub digest_hour: Option<Spanned<i64>>,
    /// Quiet hours of people who did not choose theirs: from `quiet_start` to `quiet_end`
    /// (French time, whole hours; the same hour twice: none). Default 20 and 7.
    pub quiet_start: Option<Spanned<i64>>,
    pub quiet_end: Option<Spanned<i64>>,
}

/// `[academie]`: the link with the académie.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcademieSection {
    /// Folder where the académie deposits the AAF feed. Default: none.
    pub drop_dir: Option<Spanned<String>>,
    /// Seconds a delivery must stay unchanged before it is imported. Default 120.
    pub settle_seconds: Option<Spanned<i64>>,
    /// `https://...` receiving the daily indicators and status report. Default: none.
    pub url: Option<Spanned<String>>,
    /// PEM CA certificates trusted for `url`, besides the system's.
    pub ca_file: Option<Spanned<String>>,
    /// The établissement's client certificate (PEM) the académie issued, presented to `url`.
    pub certificat: Option<Spanned<String>>,
    /// Its private key (PEM).
    pub cle: Option<Spanned<String>>,
    /// `https://…/api/flux` where the académie's hub offers this établissement's AAF
    /// deliveries; fetched into `drop_dir`.
    pub flux_url: Option<Spanned<String>>,
    /// First retry delay in seconds, doubled at each failure up to six hours. Default 60.
    pub retry_seconds: Option<Spanned<i64>>,
}

/// `[import]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportSection {
    /// Accounts for people in charge of a pupil who are not legal responsables. Default false.
    /// (`responsables_level2`, its former name, is still read.)
    #[serde(alias = "responsables_level2")]
    pub personnes_en_charge: Option<Spanned<bool>>,
    /// Share of accounts (percent) a complet feed may disable without --force. Default 10.
    pub max_disable_percent: Option<Spanned<i64>>,
}

/// `[accounts]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountsSection {
    /// `prenom.nom` (default), `p.nom` or `prenom.n`.
    pub login_scheme: Option<Spanned<String>>,
    /// Days a disabled account is kept before deletion (all profiles).
    pub grace_days: Option<Spanned<i64>>,
    /// Per-profile override: `eleve = 15`, `enseignant = 60`...
    pub grace_days_by_profile: Option<std::collections::BTreeMap<String, Spanned<i64>>>,
}

/// `[tls]`: without `cert` and `key`, a local CA and certificate are generated.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsSection {
    /// PEM certificate chain.
    pub cert: Option<Spanned<String>>,
    /// PEM private key.
    pub key: Option<Spanned<String>>,
    /// Extra names for the generated certificate (besides localhost and the host name).
    pub hostnames: Option<Spanned<Vec<String>>>,
}

/// `[session]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSection {
    /// Minutes without activity before a session ends. Default 120.
    pub idle_minutes: Option<Spanned<i64>>,
    /// The same for pupils (shared PCs). Default 20.
    pub idle_minutes_eleve: Option<Spanned<i64>>,
    /// Hours after sign-in before a session ends. Default 12.
    pub max_hours: Option<Spanned<i64>>,
}

/// `[directory]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectorySection {
    /// `embedded` (default) or `ldap`.
    pub backend: Option<Spanned<String>>,
    /// LDAP: server URL (`ldap://`, `ldaps://`, `ldapi://`).
    pub url: Option<Spanned<String>>,
    /// LDAP: upgrade `ldap://` with StartTLS. Default false.
    pub starttls: Option<Spanned<bool>>,
    /// LDAP: CA certificate file (PEM) for `ldaps://` and StartTLS.
    pub tls_ca_file: Option<Spanned<String>>,
    /// LDAP: base DN of the annuaire.
    pub base_dn: Option<Spanned<String>>,
    /// LDAP: DN cartable binds as.
    pub bind_dn: Option<Spanned<String>>,
    /// LDAP: its password (prefer `bind_password_file`).
    pub bind_password: Option<Spanned<String>>,
    /// LDAP: file holding the password (first line).
    pub bind_password_file: Option<Spanned<String>>,
    /// LDAP: connections kept open at most (2 to 64). Default 8.
    pub pool_size: Option<Spanned<i64>>,
    /// LDAP: Samba domain SID; set it to make accounts Samba accounts too.
    pub samba_domain_sid: Option<Spanned<String>>,
}

/// `[log]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSection {
    /// tracing filter, default `info`.
    pub level: Option<Spanned<String>>,
}
