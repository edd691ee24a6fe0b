//! From [`ConfigFile`] to [`Config`], gathering every problem with its key and line.

use std::net::SocketAddr;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::file::{
    AcademieSection, AccountsSection, BackupSection, CasSection, ConfigFile, DirectorySection,
    DomaineSection, FilesSection, GarSection, MailSection, ModulesSection,
};
use super::{
    AcademieConfig, AccountsConfig, BackupConfig, CAS_ATTRIBUTES, CasConfig, CasService, Config,
    ConfigErrors, ConfigProblem, DEFAULT_DATA_DIR, DEFAULT_LISTEN, DirectoryConfig, DomaineConfig,
    FilesConfig, GarConfig, ImportConfig, LdapConfig, LogConfig, MIB, MailConfig, MailSecurity,
    ModulesConfig, PRONOTE_ATTRIBUTES, SessionConfig, TlsConfig,
};

pub(super) fn parse(path: &Path, text: &str) -> Result<Config, ConfigErrors> {
    let file: ConfigFile = toml::from_str(text).map_err(|e| ConfigErrors {
        file: path.to_owned(),
        problems: vec![problem_from_toml(text, &e)],
    })?;
    let mut v = Validator {
        text,
        problems: Vec::new(),
    };
    let config = v.config(file);
    // In file order, so the technician fixes them top to bottom.
    v.problems.sort_by_key(|p| p.line);
    if v.problems.is_empty() {
        Ok(config)
    } else {
        Err(ConfigErrors {
            file: path.to_owned(),
            problems: v.problems,
        })
    }
}

struct Validator<'a> {
    text: &'a str,
    problems: Vec<ConfigProblem>,
}

impl Validator<'_> {
    fn config(&mut self, f: ConfigFile) -> Config {
        let data_dir = match f.data_dir {
            Some(d) => {
                let p = PathBuf::from(d.get_ref());
                if !p.is_absolute() {
                    self.problem("data_dir", d.span(), "chemin absolu attendu".to_owned());
                }
                p
            }
            None => PathBuf::from(DEFAULT_DATA_DIR),
        };
        let listen = self
            .addr("listen", f.listen.as_ref())
            .unwrap_or_else(|| SocketAddr::from(([0, 0, 0, 0], 443)));
        debug_assert_eq!(DEFAULT_LISTEN, "0.0.0.0:443");
        let http_listen = self.addr("http_listen", f.http_listen.as_ref());
        if let (Some(h), Some(span)) = (http_listen, f.http_listen.as_ref().map(|s| s.span()))
            && h == listen
        {
            self.problem(
                "http_listen",
                span,
                "doit différer de `listen` (même adresse et même port)".to_owned(),
            );
        }

        let public_url = f.public_url.map(|u| {
            let s = u.get_ref().trim_end_matches('/').to_owned();
            if !s.starts_with("https://") || s.len() <= "https://".len() {
                self.problem(
                    "public_url",
                    u.span(),
                    format!("« {} » : une adresse https://... est attendue", u.get_ref()),
                );
            }
            s
        });

        let tls = match (f.tls.cert, f.tls.key) {
            (Some(cert), Some(key)) => TlsConfig::Files {
                cert: PathBuf::from(cert.into_inner()),
                key: PathBuf::from(key.into_inner()),
            },
            (Some(cert), None) => {
                self.problem(
                    "tls.cert",
                    cert.span(),
                    "`tls.key` doit aussi être donnée".to_owned(),
                );
                TlsConfig::Generated { hostnames: vec![] }
            }
            (None, Some(key)) => {
                self.problem(
                    "tls.key",
                    key.span(),
                    "`tls.cert` doit aussi être donné".to_owned(),
                );
                TlsConfig::Generated { hostnames: vec![] }
            }
            (None, None) => TlsConfig::Generated {
                hostnames: f.tls.hostnames.map(Spanned::into_inner).unwrap_or_default(),
            },
        };

        let mut session = SessionConfig::default();
        for (key, value, slot) in [
            (
                "session.idle_minutes",
                f.session.idle_minutes,
                &mut session.idle,
            ),
            (
                "session.idle_minutes_eleve",
                f.session.idle_minutes_eleve,
                &mut session.idle_eleve,
            ),
        ] {
            if let Some(m) = value {
                match *m.get_ref() {
                    n @ 1..=1440 => *slot = time::Duration::minutes(n),
                    n => self.problem(
                        key,
                        m.span(),
                        format!("{n} : une durée entre 1 et 1440 minutes est attendue"),
                    ),
                }
            }
        }
        if let Some(h) = f.session.max_hours {
            match *h.get_ref() {
                1..=720 => session.absolute = time::Duration::hours(*h.get_ref()),
                n => self.problem(
                    "session.max_hours",
                    h.span(),
                    format!("{n} : une durée entre 1 et 720 heures est attendue"),
                ),
            }
        }

        let directory = self.directory(f.directory);
        let accounts = self.accounts(f.accounts);
        let mut import = ImportConfig::default();
        if let Some(b) = f.import.personnes_en_charge {
            import.personnes_en_charge = b.into_inner();
        }
        if let Some(p) = f.import.max_disable_percent {
            match *p.get_ref() {
                v @ 1..=100 => import.max_disable_percent = v as u8,
                v => self.problem(
                    "import.max_disable_percent",
                    p.span(),
                    format!("{v} : un pourcentage entre 1 et 100 est attendu"),
                ),
            }
        }

        let academie = self.academie(f.academie);
        let cas = self.cas(f.cas);
        let files = self.files(f.files);
        let backup = self.backup(f.backup);
        let gar = self.gar(f.gar);
        let modules = self.modules(f.modules);
        let mail = self.mail(f.mail);
        let domaine_span = f.domaine.royaume.as_ref().map(|r| r.span());
        let domaine = self.domaine(f.domaine);
        let mut files = files;
        // Samba serves the shares wherever the annuaire carries its accounts or a domain is.
        let samba_accounts =
            matches!(&directory, DirectoryConfig::Ldap(l) if l.samba_domain_sid.is_some());
        if files.samba.is_none() && (samba_accounts || domaine.is_some()) {
            files.samba = Some(("127.0.0.1".to_owned(), 445));
        }
        if let (Some(span), DirectoryConfig::Embedded) = (domaine_span, &directory) {
            self.problem(
                "domaine.royaume",
                span,
                "le domaine reprend les comptes et leurs numéros unix de l'annuaire LDAP : \
                 configurez [directory] backend = \"ldap\""
                    .to_owned(),
            );
        }

        let log = match f.log.level {
            None => LogConfig::default(),
            Some(l) if l.get_ref().trim().is_empty() => {
                self.problem("log.level", l.span(), "valeur vide".to_owned());
                LogConfig::default()
            }
            Some(l) => LogConfig {
                level: l.into_inner(),
            },
        };

        Config {
            data_dir,
            listen,
            http_listen,
            public_url,
            tls,
            session,
            directory,
            accounts,
            import,
            academie,
            cas,
            files,
            backup,
            gar,
            log,
            modules,
            mail,
            domaine,
        }
    }

    fn domaine(&mut self, d: DomaineSection) -> Option<DomaineConfig> {
        let Some(royaume) = d.royaume else {
            for (key, span) in [
                ("domaine.url", d.url.as_ref().map(|v| v.span())),
                ("domaine.compte", d.compte.as_ref().map(|v| v.span())),
            ] {
                if let Some(span) = span {
                    self.problem(
                        key,
                        span,
                        "`domaine.royaume` manque : sans royaume, pas de domaine".to_owned(),
                    );
                }
            }
            return None;
        };
        let file_server = d
            .serveur_fichiers
            .as_ref()
            .map_or("fs".to_owned(), |s| s.get_ref().clone());
        let domain = match crate::ad::account::Domain::new(royaume.get_ref(), &file_server) {
            Ok(domain) => Some(domain),
            Err(crate::Error::Invalid { field, reason }) => {
                let span = match (field, &d.serveur_fichiers) {
                    ("domaine.serveur_fichiers", Some(s)) => s.span(),
                    _ => royaume.span(),
                };
                self.problem(field, span, reason);
                None
            }
            Err(e) => {
                self.problem("domaine.royaume", royaume.span(), e.to_string());
                None
            }
        };
        let url = match d.url {
            Some(u) if u.get_ref().starts_with("ldaps://") => u.into_inner(),
            Some(u) => {
                self.problem(
                    "domaine.url",
                    u.span(),
                    format!(
                        "« {} » : une adresse ldaps:// est attendue (le contrôleur refuse les mots de passe en clair)",
                        u.get_ref()
                    ),
                );
                String::new()
            }
            None => {
                self.problem(
                    "domaine.royaume",
                    royaume.span(),
                    "`domaine.url` est obligatoire (ldaps://adresse-du-contrôleur)".to_owned(),
                );
                String::new()
            }
        };
        let ca_file = match d.ca_file {
            Some(p) => {
                let path = PathBuf::from(p.get_ref());
                if !path.is_absolute() {
                    self.problem(
                        "domaine.ca_file",
                        p.span(),
                        "chemin absolu attendu".to_owned(),
                    );
                }
                path
            }
            None => {
                self.problem(
                    "domaine.royaume",
                    royaume.span(),
                    "`domaine.ca_file` est obligatoire (l'autorité qui a signé le certificat du contrôleur)"
                        .to_owned(),
                );
                PathBuf::new()
            }
        };
        let bind_dn = match d.compte {
            Some(c) => c.into_inner(),
            None => {
                self.problem(
                    "domaine.royaume",
                    royaume.span(),
                    "`domaine.compte` est obligatoire (le compte qui écrit le domaine)".to_owned(),
                );
                String::new()
            }
        };
        let bind_password = match d.password_file {
            Some(f) => match std::fs::read_to_string(f.get_ref()) {
                Ok(text) => text.lines().next().unwrap_or_default().to_owned(),
                Err(e) => {
                    self.problem(
                        "domaine.password_file",
                        f.span(),
                        format!("impossible de lire {} : {e}", f.get_ref()),
                    );
                    String::new()
                }
            },
            None => {
                self.problem(
                    "domaine.royaume",
                    royaume.span(),
                    "`domaine.password_file` est obligatoire (le mot de passe du compte)"
                        .to_owned(),
                );
                String::new()
            }
        };
        Some(DomaineConfig {
            domain: domain?,
            url,
            ca_file,
            bind_dn,
            bind_password,
        })
    }

    fn mail(&mut self, m: MailSection) -> Option<MailConfig> {
        let Some(host) = m.host else {
            for (key, span) in [
                ("mail.sender", m.sender.as_ref().map(|v| v.span())),
                ("mail.user", m.user.as_ref().map(|v| v.span())),
                ("mail.port", m.port.as_ref().map(|v| v.span())),
            ] {
                if let Some(span) = span {
                    self.problem(
                        key,
                        span,
                        "`mail.host` manque : sans relais, aucun e-mail".to_owned(),
                    );
                }
            }
            return None;
        };
        if host.get_ref().trim().is_empty() || host.get_ref().contains(char::is_whitespace) {
            self.problem(
                "mail.host",
                host.span(),
                format!("« {} » : un nom de machine est attendu", host.get_ref()),
            );
        }
        let security = match m.security.as_ref().map(|s| s.get_ref().as_str()) {
            None | Some("starttls") => MailSecurity::StartTls,
            Some("tls") => MailSecurity::Tls,
            Some("aucune") => MailSecurity::None,
            Some(other) => {
                if let Some(s) = &m.security {
                    self.problem(
                        "mail.security",
                        s.span(),
                        format!("« {other} » : `starttls`, `tls` ou `aucune` est attendu"),
                    );
                }
                MailSecurity::StartTls
            }
        };
        let port = match m.port {
            None => match security {
                MailSecurity::StartTls => 587,
                MailSecurity::Tls => 465,
                MailSecurity::None => 25,
            },
            Some(p) => match u16::try_from(*p.get_ref()) {
                Ok(n) if n > 0 => n,
                _ => {
                    self.problem(
                        "mail.port",
                        p.span(),
                        format!("{} : un port entre 1 et 65535 est attendu", p.get_ref()),
                    );
                    587
                }
            },
        };
        let credentials = match (m.user, m.password_file) {
            (None, None) => None,
            (Some(u), Some(file)) => match std::fs::read_to_string(file.get_ref()) {
                Ok(text) => Some((
                    u.into_inner(),
                    text.lines().next().unwrap_or_default().to_owned(),
                )),
                Err(e) => {
                    self.problem(
                        "mail.password_file",
                        file.span(),
                        format!("impossible de lire {} : {e}", file.get_ref()),
                    );
                    None
                }
            },
            (Some(u), None) => {
                self.problem(
                    "mail.user",
                    u.span(),
                    "`mail.password_file` doit aussi être donné".to_owned(),
                );
                None
            }
            (None, Some(f)) => {
                self.problem(
                    "mail.password_file",
                    f.span(),
                    "`mail.user` doit aussi être donné".to_owned(),
                );
                None
            }
        };
        let sender = match m.sender {
            Some(s) if s.get_ref().contains('@') => s.into_inner(),
            Some(s) => {
                self.problem(
                    "mail.sender",
                    s.span(),
                    format!(
                        "« {} » : une adresse est attendue (ENT <ne-pas-repondre@college.fr>)",
                        s.get_ref()
                    ),
                );
                String::new()
            }
            None => {
                self.problem(
                    "mail.host",
                    host.span(),
                    "`mail.sender` est obligatoire avec un relais".to_owned(),
                );
                String::new()
            }
        };
        let ca_file = m.ca_file.map(|p| {
            let path = PathBuf::from(p.get_ref());
            if !path.is_absolute() {
                self.problem("mail.ca_file", p.span(), "chemin absolu attendu".to_owned());
            }
            path
        });
        let mut retry = std::time::Duration::from_secs(30);
        if let Some(v) = m.retry_seconds {
            match *v.get_ref() {
                n @ 1..=3600 => retry = std::time::Duration::from_secs(n as u64),
                n => self.problem(
                    "mail.retry_seconds",
                    v.span(),
                    format!("{n} : une durée entre 1 et 3600 secondes est attendue"),
                ),
            }
        }
        let mut digest_hour = 17;
        let mut quiet = (20, 7);
        for (key, value, slot) in [
            ("mail.digest_hour", m.digest_hour, &mut digest_hour),
            ("mail.quiet_start", m.quiet_start, &mut quiet.0),
            ("mail.quiet_end", m.quiet_end, &mut quiet.1),
        ] {
            if let Some(v) = value {
                match *v.get_ref() {
                    n @ 0..=23 => *slot = n as u8,
                    n => self.problem(
                        key,
                        v.span(),
                        format!("{n} : une heure entre 0 et 23 est attendue"),
                    ),
                }
            }
        }
        Some(MailConfig {
            host: host.into_inner(),
            port,
            security,
            credentials,
            sender,
            ca_file,
            retry,
            digest_hour,
            quiet,
        })
    }

    fn modules(&mut self, m: ModulesSection) -> ModulesConfig {
        let mut out = ModulesConfig::default();
        if let Some(e) = m.enabled {
            let span = e.span();
            let ids = e.into_inner();
            for id in &ids {
                if id.is_empty()
                    || !id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    self.problem(
                        "modules.enabled",
                        span.clone(),
                        format!(
                            "« {id} » : un identifiant de module (minuscules et tirets) est attendu"
                        ),
                    );
                }
            }
            out.enabled = Some(ids);
        }
        for (id, profiles) in m.profils.unwrap_or_default() {
            let span = profiles.span();
            let mut parsed = Vec::new();
            for p in profiles.into_inner() {
                match crate::directory::Profile::parse(&p) {
                    Some(v) => parsed.push(v),
                    None => self.problem(
                        &format!("modules.profils.{id}"),
                        span.clone(),
                        format!("« {p} » : profil inconnu (eleve, responsable, enseignant, direction, vie-scolaire, documentaliste, administratif, admin)"),
                    ),
                }
            }
            out.profiles.insert(id, parsed);
        }
        out
    }

    fn backup(&mut self, b: BackupSection) -> BackupConfig {
        let mut out = BackupConfig::default();
        if let Some(p) = b.dir {
            let path = PathBuf::from(p.get_ref());
            if !path.is_absolute() {
                self.problem("backup.dir", p.span(), "chemin absolu attendu".to_owned());
            }
            out.dir = Some(path);
        }
        if let Some(h) = b.heure {
            match *h.get_ref() {
                n @ 0..=23 => out.hour = n as u8,
                n => self.problem(
                    "backup.heure",
                    h.span(),
                    format!("{n} : une heure de 0 à 23 est attendue"),
                ),
            }
        }
        if let Some(k) = b.garder {
            match *k.get_ref() {
                n @ 1..=365 => out.keep = n as usize,
                n => self.problem(
                    "backup.garder",
                    k.span(),
                    format!("{n} : entre 1 et 365 sauvegardes"),
                ),
            }
        }
        out
    }

    fn gar(&mut self, g: GarSection) -> GarConfig {
        let mut out = GarConfig::default();
        if let Some(p) = g.dossier {
            let path = PathBuf::from(p.get_ref());
            if !path.is_absolute() {
                self.problem("gar.dossier", p.span(), "chemin absolu attendu".to_owned());
            }
            out.dir = Some(path);
        }
        if let Some(h) = g.heure {
            match *h.get_ref() {
                n @ 0..=23 => out.hour = n as u8,
                n => self.problem(
                    "gar.heure",
                    h.span(),
                    format!("{n} : une heure de 0 à 23 est attendue"),
                ),
            }
        }
        if let Some(id) = g.identifiant_ent {
            let ok = !id.get_ref().is_empty()
                && id.get_ref().len() <= 64
                && id
                    .get_ref()
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-');
            if ok {
                out.ent_id = id.get_ref().clone();
            } else {
                self.problem(
                    "gar.identifiant_ent",
                    id.span(),
                    format!(
                        "« {} » : lettres, chiffres et tirets, 64 au plus (l'identifiant que le GAR a donné à l'ENT)",
                        id.get_ref()
                    ),
                );
            }
        }
        if let Some(list) = g.responsables_affectation {
            for l in list.get_ref() {
                match crate::directory::Login::parse(l) {
                    Ok(login) => out.managers.push(login),
                    Err(e) => {
                        self.problem("gar.responsables_affectation", list.span(), e.to_string())
                    }
                }
            }
        }
        out
    }

    fn files(&mut self, f: FilesSection) -> FilesConfig {
        let mut out = FilesConfig::default();
        let mut absolute = |key: &str, p: Spanned<String>| {
            let path = PathBuf::from(p.get_ref());
            if !path.is_absolute() {
                self.problem(key, p.span(), "chemin absolu attendu".to_owned());
            }
            path
        };
        if let Some(p) = f.root {
            out.root = absolute("files.root", p);
        }
        out.nss_dir = f.nss_dir.map(|p| absolute("files.nss_dir", p));
        if let Some(a) = f.samba {
            match a.get_ref().rsplit_once(':') {
                Some((host, port))
                    if !host.trim().is_empty() && port.parse::<u16>().is_ok_and(|p| p > 0) =>
                {
                    let host = host.trim_start_matches('[').trim_end_matches(']');
                    out.samba = Some((host.to_owned(), port.parse().unwrap_or(445)));
                }
                _ => self.problem(
                    "files.samba",
                    a.span(),
                    format!(
                        "« {} » : ADRESSE:PORT attendu, par exemple 127.0.0.1:445",
                        a.get_ref()
                    ),
                ),
            }
        }
        for (key, value, slot, max) in [
            (
                "files.quota_eleve_mio",
                f.quota_eleve_mio,
                &mut out.quota_eleve,
                1 << 24,
            ),
            (
                "files.quota_personnel_mio",
                f.quota_personnel_mio,
                &mut out.quota_personnel,
                1 << 24,
            ),
            (
                "files.quota_classe_mio",
                f.quota_classe_mio,
                &mut out.quota_classe,
                1 << 24,
            ),
            (
                "files.quota_groupe_mio",
                f.quota_groupe_mio,
                &mut out.quota_groupe,
                1 << 24,
            ),
            (
                "files.quota_commun_mio",
                f.quota_commun_mio,
                &mut out.quota_commun,
                1 << 24,
            ),
            (
                "files.max_upload_mio",
                f.max_upload_mio,
                &mut out.max_upload,
                1 << 20,
            ),
        ] {
            if let Some(v) = value {
                match *v.get_ref() {
                    n if (1..=max).contains(&n) => *slot = n as u64 * MIB,
                    n => self.problem(
                        key,
                        v.span(),
                        format!("{n} : un nombre de Mo entre 1 et {max} est attendu"),
                    ),
                }
            }
        }
        if let Some(v) = f.corbeille_jours {
            match *v.get_ref() {
                n @ 1..=365 => out.trash_days = n as u32,
                n => self.problem(
                    "files.corbeille_jours",
                    v.span(),
                    format!("{n} : entre 1 et 365 jours"),
                ),
            }
        }
        out
    }

    fn cas(&mut self, c: CasSection) -> CasConfig {
        let mut out = CasConfig::default();
        if let Some(f) = c.ca_file {
            let path = PathBuf::from(f.get_ref());
            if !path.is_absolute() {
                self.problem("cas.ca_file", f.span(), "chemin absolu attendu".to_owned());
            }
            out.ca_file = Some(path);
        }
        if let Some(t) = c.ticket_seconds {
            match *t.get_ref() {
                n @ 5..=300 => out.ticket_ttl = std::time::Duration::from_secs(n as u64),
                n => self.problem(
                    "cas.ticket_seconds",
                    t.span(),
                    format!("{n} : entre 5 et 300 secondes"),
                ),
            }
        }
        for (i, s) in c.service.into_iter().enumerate() {
            let key = |k: &str| format!("cas.service[{}].{k}", i + 1);
            let name = match s.name {
                Some(n) if !n.get_ref().trim().is_empty() => n.into_inner(),
                Some(n) => {
                    self.problem(&key("name"), n.span(), "valeur vide".to_owned());
                    continue;
                }
                None => format!("service {}", i + 1),
            };
            let Some(url) = s.url else {
                self.problems.push(ConfigProblem {
                    key: key("url"),
                    line: None,
                    message: "clé `url` absente (préfixe des adresses du service)".to_owned(),
                });
                continue;
            };
            let u = url.get_ref();
            let allow_http = s.allow_http.is_some_and(|a| *a.get_ref());
            let parsed = ::url::Url::parse(u).ok().filter(|p| p.host_str().is_some());
            match parsed.as_ref().map(::url::Url::scheme) {
                Some("https") => {}
                Some("http") if allow_http => {}
                Some("http") => self.problem(
                    &key("url"),
                    url.span(),
                    format!(
                        "« {u} » : les tickets circuleraient en clair ; une adresse https://... \
                         est attendue (ou `allow_http = true` pour un service interne)"
                    ),
                ),
                _ => self.problem(
                    &key("url"),
                    url.span(),
                    format!("« {u} » : une adresse https://... est attendue"),
                ),
            }
            let proxy_callback = match s.proxy_callback_url {
                Some(p)
                    if p.get_ref().starts_with("https://")
                        && ::url::Url::parse(p.get_ref()).is_ok_and(|x| x.host_str().is_some()) =>
                {
                    Some(p.into_inner())
                }
                Some(p) => {
                    self.problem(
                        &key("proxy_callback_url"),
                        p.span(),
                        format!("« {} » : une adresse https://... est attendue", p.get_ref()),
                    );
                    None
                }
                None => None,
            };
            let attributes = match (s.attributes, s.profile) {
                (Some(a), None) => {
                    for name in a.get_ref() {
                        if !CAS_ATTRIBUTES.contains(&name.as_str()) {
                            self.problem(
                                &key("attributes"),
                                a.span(),
                                format!(
                                    "attribut « {name} » inconnu (possibles : {})",
                                    CAS_ATTRIBUTES.join(", ")
                                ),
                            );
                        }
                    }
                    a.into_inner()
                }
                (None, Some(p)) => match p.get_ref().as_str() {
                    "pronote" => PRONOTE_ATTRIBUTES.iter().map(|s| (*s).to_owned()).collect(),
                    other => {
                        self.problem(
                            &key("profile"),
                            p.span(),
                            format!("profil « {other} » inconnu (possible : pronote)"),
                        );
                        Vec::new()
                    }
                },
                (None, None) => vec!["uid".to_owned()],
                (Some(a), Some(_)) => {
                    self.problem(
                        &key("attributes"),
                        a.span(),
                        "`attributes` et `profile` s'excluent : choisissez l'un des deux"
                            .to_owned(),
                    );
                    Vec::new()
                }
            };
            let mut profiles = Vec::new();
            if let Some(p) = s.profiles {
                for name in p.get_ref() {
                    match crate::directory::Profile::parse(name) {
                        Some(profile) => profiles.push(profile),
                        None => self.problem(
                            &key("profiles"),
                            p.span(),
                            format!(
                                "profil « {name} » inconnu (eleve, responsable, enseignant, \
                                 direction, vie-scolaire, documentaliste, administratif, admin)"
                            ),
                        ),
                    }
                }
            }
            out.services.push(CasService {
                name,
                url: url.into_inner(),
                proxy_callback,
                attributes,
                proxy: s.proxy.is_some_and(|p| *p.get_ref()),
                profiles,
            });
        }
        out
    }

    fn academie(&mut self, a: AcademieSection) -> AcademieConfig {
        let mut out = AcademieConfig::default();
        let absolute = |v: &mut Self, key: &str, p: Spanned<String>| {
            let path = PathBuf::from(p.get_ref());
            if !path.is_absolute() {
                v.problem(key, p.span(), "chemin absolu attendu".to_owned());
            }
            path
        };
        out.drop_dir = a.drop_dir.map(|p| absolute(self, "academie.drop_dir", p));
        out.ca_file = a.ca_file.map(|p| absolute(self, "academie.ca_file", p));
        let cert = a
            .certificat
            .map(|p| (absolute(self, "academie.certificat", p.clone()), p.span()));
        let key = a
            .cle
            .map(|p| (absolute(self, "academie.cle", p.clone()), p.span()));
        match (cert, key) {
            (Some((c, _)), Some((k, _))) => out.identity = Some((c, k)),
            (Some((_, span)), None) => self.problem(
                "academie.cle",
                span,
                "la clé du certificat est attendue avec lui".to_owned(),
            ),
            (None, Some((_, span))) => self.problem(
                "academie.certificat",
                span,
                "le certificat est attendu avec sa clé".to_owned(),
            ),
            (None, None) => {}
        }
        if let Some(u) = a.flux_url {
            if !u.get_ref().starts_with("https://") {
                self.problem(
                    "academie.flux_url",
                    u.span(),
                    format!("« {} » : une adresse https://... est attendue", u.get_ref()),
                );
            } else if out.drop_dir.is_none() || out.identity.is_none() {
                self.problem(
                    "academie.flux_url",
                    u.span(),
                    "les flux sont déposés dans drop_dir et demandés avec le certificat : drop_dir, certificat et cle sont attendus avec flux_url".to_owned(),
                );
            }
            out.flux_url = Some(u.into_inner());
        }
        if let Some(u) = a.url {
            if !u.get_ref().starts_with("https://") || u.get_ref().len() <= 8 {
                self.problem(
                    "academie.url",
                    u.span(),
                    format!("« {} » : une adresse https://... est attendue", u.get_ref()),
                );
            }
            out.url = Some(u.into_inner());
        }
        for (key, value, slot) in [
            ("academie.settle_seconds", a.settle_seconds, &mut out.settle),
            ("academie.retry_seconds", a.retry_seconds, &mut out.retry),
        ] {
            if let Some(v) = value {
                match *v.get_ref() {
                    n @ 1..=86_400 => *slot = std::time::Duration::from_secs(n as u64),
                    n => self.problem(
                        key,
                        v.span(),
                        format!("{n} : une durée entre 1 et 86400 secondes est attendue"),
                    ),
                }
            }
        }
        out
    }

    /// A grace period: the RGPD has people who left deleted within three months.
    fn days(&mut self, key: &str, v: &Spanned<i64>) -> Option<i64> {
        match *v.get_ref() {
            0..=90 => Some(*v.get_ref()),
            n => {
                self.problem(
                    key,
                    v.span(),
                    format!(
                        "{n} : entre 0 et 90 jours (le RGPD impose la suppression sous 3 mois)"
                    ),
                );
                None
            }
        }
    }

    fn accounts(&mut self, a: AccountsSection) -> AccountsConfig {
        use crate::directory::Profile;
        use crate::directory::login::LoginScheme;
        let mut out = AccountsConfig::default();
        if let Some(s) = a.login_scheme {
            match LoginScheme::parse(s.get_ref()) {
                Some(scheme) => out.login_scheme = scheme,
                None => self.problem(
                    "accounts.login_scheme",
                    s.span(),
                    format!(
                        "« {} » inconnu : valeurs possibles « prenom.nom », « p.nom », « prenom.n »",
                        s.get_ref()
                    ),
                ),
            }
        }
        if let Some(d) = a
            .grace_days
            .as_ref()
            .and_then(|v| self.days("accounts.grace_days", v))
        {
            for p in Profile::ALL {
                out.grace_days.insert(p, d);
            }
        }
        for (name, v) in a.grace_days_by_profile.unwrap_or_default() {
            let key = format!("accounts.grace_days_by_profile.{name}");
            match Profile::parse(&name) {
                Some(p) => {
                    if let Some(d) = self.days(&key, &v) {
                        out.grace_days.insert(p, d);
                    }
                }
                None => self.problem(&key, v.span(), format!("profil « {name} » inconnu")),
            }
        }
        out
    }

    fn directory(&mut self, d: DirectorySection) -> DirectoryConfig {
        let ldap_keys = [
            ("directory.url", d.url.as_ref().map(|v| v.span())),
            ("directory.base_dn", d.base_dn.as_ref().map(|v| v.span())),
            ("directory.bind_dn", d.bind_dn.as_ref().map(|v| v.span())),
        ];
        let backend = d.backend.as_ref().map(|b| (b.get_ref().as_str(), b.span()));
        match backend {
            None | Some(("embedded", _)) => {
                for (key, span) in ldap_keys {
                    if let Some(span) = span {
                        self.problem(
                            key,
                            span,
                            "n'a de sens qu'avec `directory.backend = \"ldap\"`".to_owned(),
                        );
                    }
                }
                DirectoryConfig::Embedded
            }
            Some(("ldap", span)) => self.ldap(d, span),
            Some((other, span)) => {
                self.problem(
                    "directory.backend",
                    span,
                    format!("« {other} » inconnu : valeurs possibles « embedded », « ldap »"),
                );
                DirectoryConfig::Embedded
            }
        }
    }

    fn ldap(&mut self, d: DirectorySection, backend_span: Range<usize>) -> DirectoryConfig {
        let mut required = |key: &str, v: Option<Spanned<String>>| -> String {
            match v {
                Some(v) if !v.get_ref().trim().is_empty() => v.into_inner(),
                Some(v) => {
                    self.problem(key, v.span(), "valeur vide".to_owned());
                    String::new()
                }
                None => {
                    self.problem(
                        key,
                        backend_span.clone(),
                        "obligatoire avec `directory.backend = \"ldap\"`".to_owned(),
                    );
                    String::new()
                }
            }
        };
        let url_span = d.url.as_ref().map(|u| u.span());
        let url = required("directory.url", d.url);
        let base_dn = required("directory.base_dn", d.base_dn);
        let bind_dn = required("directory.bind_dn", d.bind_dn);
        if let Some(span) = url_span
            && !url.is_empty()
            && !["ldap://", "ldaps://", "ldapi://"]
                .iter()
                .any(|p| url.starts_with(p))
        {
            self.problem(
                "directory.url",
                span,
                format!("« {url} » : ldap://, ldaps:// ou ldapi:// attendu"),
            );
        }
        let bind_password = match (d.bind_password, d.bind_password_file) {
            (Some(p), None) => p.into_inner(),
            (None, Some(file)) => match std::fs::read_to_string(file.get_ref()) {
                Ok(text) => text.lines().next().unwrap_or_default().to_owned(),
                Err(e) => {
                    self.problem(
                        "directory.bind_password_file",
                        file.span(),
                        format!("impossible de lire {} : {e}", file.get_ref()),
                    );
                    String::new()
                }
            },
            (Some(p), Some(_)) => {
                self.problem(
                    "directory.bind_password",
                    p.span(),
                    "donner `bind_password` ou `bind_password_file`, pas les deux".to_owned(),
                );
                String::new()
            }
            (None, None) => {
                self.problem(
                    "directory.bind_password",
                    backend_span,
                    "`bind_password` ou `bind_password_file` est obligatoire".to_owned(),
                );
                String::new()
            }
        };
        let pool_size = match d.pool_size {
            None => 8,
            Some(n) => match *n.get_ref() {
                2..=64 => *n.get_ref() as usize,
                v => {
                    self.problem(
                        "directory.pool_size",
                        n.span(),
                        format!("{v} : entre 2 et 64 connexions"),
                    );
                    8
                }
            },
        };
        let samba_domain_sid = d.samba_domain_sid.and_then(|sid| {
            let parts: Vec<&str> = sid.get_ref().split('-').collect();
            let valid = parts.len() == 7
                && parts[..4] == ["S", "1", "5", "21"]
                && parts[4..].iter().all(|p| !p.is_empty() && p.parse::<u32>().is_ok());
            if valid {
                Some(sid.into_inner())
            } else {
                self.problem(
                    "directory.samba_domain_sid",
                    sid.span(),
                    format!(
                        "« {} » : SID de domaine attendu, de la forme S-1-5-21-x-y-z (net getlocalsid)",
                        sid.get_ref()
                    ),
                );
                None
            }
        });
        let tls_ca_file = d.tls_ca_file.and_then(|f| {
            let path = PathBuf::from(f.get_ref());
            if path.is_file() {
                Some(path)
            } else {
                self.problem(
                    "directory.tls_ca_file",
                    f.span(),
                    format!("fichier introuvable : {}", f.get_ref()),
                );
                None
            }
        });
        DirectoryConfig::Ldap(LdapConfig {
            url,
            starttls: d.starttls.map(Spanned::into_inner).unwrap_or(false),
            tls_ca_file,
            base_dn,
            bind_dn,
            bind_password,
            pool_size,
            samba_domain_sid,
        })
    }

    fn addr(&mut self, key: &str, value: Option<&Spanned<String>>) -> Option<SocketAddr> {
        let v = value?;
        match v.get_ref().parse::<SocketAddr>() {
            Ok(a) => Some(a),
            Err(_) => {
                self.problem(
                    key,
                    v.span(),
                    format!(
                        "« {} » : ADRESSE:PORT attendu, par exemple 0.0.0.0:443",
                        v.get_ref()
                    ),
                );
                None
            }
        }
    }

    fn problem(&mut self, key: &str, span: Range<usize>, message: String) {
        self.problems.push(ConfigProblem {
            key: key.to_owned(),
            line: Some(line_of(self.text, span.start)),
            message,
        });
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map(|before| before.matches('\n').count() + 1)
        .unwrap_or(1)
}

/// Turns a TOML syntax or type error into a problem naming the key on that line.
fn problem_from_toml(text: &str, e: &toml::de::Error) -> ConfigProblem {
    let line = e.span().map(|s| line_of(text, s.start));
    let key = line.map(|l| key_at_line(text, l)).unwrap_or_default();
    ConfigProblem {
        key,
        line,
        message: translate_toml_message(e.message()),
    }
}

/// The dotted key defined on a line: the table header above it plus the name before `=`.
fn key_at_line(text: &str, line: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let Some(current) = lines.get(line.saturating_sub(1)) else {
        return String::new();
    };
    let name = current
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_owned())
        .unwrap_or_default();
    let table = lines[..line.saturating_sub(1)]
        .iter()
        .rev()
        .map(|l| l.trim())
        .find(|l| l.starts_with('[') && l.ends_with(']'))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_owned());
    match (table, name.is_empty()) {
        (Some(t), false) => format!("{t}.{name}"),
        (Some(t), true) => t,
        (None, _) => name,
    }
}

fn translate_toml_message(m: &str) -> String {
    let m = m.trim();
    if let Some(rest) = m.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        return format!("clé inconnue {field}");
    }
    if let Some(rest) = m.strip_prefix("invalid type: ") {
        return format!("type de valeur incorrect ({rest})");
    }
    format!("syntaxe TOML invalide : {m}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_and_lines(e: &ConfigErrors) -> Vec<(&str, Option<usize>)> {
        e.problems
            .iter()
            .map(|p| (p.key.as_str(), p.line))
            .collect()
    }

    fn errs(text: &str) -> ConfigErrors {
        parse(Path::new("/etc/cartable/cartable.toml"), text).expect_err("should be refused")
    }

    #[test]
    fn minimal_file_runs_on_embedded_defaults() {
        let c = parse(
            Path::new("c.toml"),
            "data_dir = \"/srv/x\"\nlisten = \"127.0.0.1:8443\"\n",
        )
        .unwrap();
        assert_eq!(c.data_dir, PathBuf::from("/srv/x"));
        assert_eq!(c.listen.to_string(), "127.0.0.1:8443");
        assert_eq!(c.directory, DirectoryConfig::Embedded);
        assert!(matches!(c.tls, TlsConfig::Generated { .. }));
        assert_eq!(c.http_listen, None);
    }

    #[test]
    fn empty_file_takes_every_default() {
        let c = parse(Path::new("c.toml"), "").unwrap();
        assert_eq!(c.data_dir, PathBuf::from(DEFAULT_DATA_DIR));
        assert_eq!(c.listen.to_string(), DEFAULT_LISTEN);
    }

    #[test]
    fn people_in_charge_under_their_old_name_too() -> Result<(), ConfigErrors> {
        for key in ["personnes_en_charge", "responsables_level2"] {
            let c = parse(Path::new("c.toml"), &format!("[import]\n{key} = true\n"))?;
            assert!(c.import.personnes_en_charge, "{key}");
        }
        Ok(())
    }

    #[test]
    fn cas_services_match_on_url_boundaries() {
        use crate::config::url_within;
        let base = "https://pronote.example.fr";
        for ok in [
            "https://pronote.example.fr",
            "https://pronote.example.fr/",
            "https://PRONOTE.example.fr/eleve.html?x=1",
            "https://pronote.example.fr:443/a",
        ] {
            assert!(url_within(ok, base), "{ok}");
        }
        for bad in [
            "https://pronote.example.fr.evil.example/",
            "https://pronote.example.fr@evil.example/",
            "https://evil.example/?https://pronote.example.fr",
            "http://pronote.example.fr/",
            "https://pronote.example.fr:8443/",
            "https://user@pronote.example.fr/",
            "pas une adresse",
        ] {
            assert!(!url_within(bad, base), "{bad}");
        }
        assert!(url_within("https://host/m2/cb", "https://host/m2"));
        assert!(url_within("https://host/m2/cb", "https://host/m2/"));
        assert!(!url_within(
            "https://host/m2-other-app/cb",
            "https://host/m2"
        ));
        assert!(!url_within(
            "https://host/m2-other-app/cb",
            "https://host/m2/"
        ));
    }

    #[test]
    fn cas_services_are_checked() {
        let c = parse(
            Path::new("c.toml"),
            "[[cas.service]]\nname = \"Pronote\"\nurl = \"https://pronote.example/\"\nprofile = \"pronote\"\n\
             [[cas.service]]\nname = \"Moodle\"\nurl = \"https://moodle.example/\"\nattributes = [\"uid\", \"mail\"]\n",
        )
        .unwrap();
        assert_eq!(c.cas.services.len(), 2);
        assert!(
            c.cas.services[0]
                .attributes
                .contains(&"dateNaissance".to_owned())
        );
        assert_eq!(
            c.cas
                .service_for("https://moodle.example/login/index.php")
                .map(|s| s.name.as_str()),
            Some("Moodle")
        );
        assert!(c.cas.service_for("https://evil.example/").is_none());
        assert!(
            c.cas
                .service_for("https://pronote.example.evil.example/")
                .is_none()
        );
        let e = errs("[[cas.service]]\nurl = \"http://intranet.example/\"\n");
        assert_eq!(keys_and_lines(&e), [("cas.service[1].url", Some(2))]);
        assert!(
            parse(
                Path::new("c.toml"),
                "[[cas.service]]\nurl = \"http://intranet.example/\"\nallow_http = true\n"
            )
            .is_ok()
        );
        let e = errs("[[cas.service]]\nurl = \"ftp://x\"\nattributes = [\"motDePasse\"]\n");
        assert_eq!(
            keys_and_lines(&e),
            [
                ("cas.service[1].url", Some(2)),
                ("cas.service[1].attributes", Some(3))
            ]
        );
    }

    #[test]
    fn academie_link_is_checked_key_by_key() {
        let c = parse(
            Path::new("c.toml"),
            "[academie]\ndrop_dir = \"/srv/depot\"\nurl = \"https://academie.example/ent\"\nsettle_seconds = 30\n",
        )
        .unwrap();
        assert_eq!(c.academie.drop_dir, Some(PathBuf::from("/srv/depot")));
        assert_eq!(c.academie.settle, std::time::Duration::from_secs(30));
        let e = errs(
            "[academie]\ndrop_dir = \"depot\"\nurl = \"http://academie.example\"\nretry_seconds = 0\n",
        );
        assert_eq!(
            keys_and_lines(&e),
            [
                ("academie.drop_dir", Some(2)),
                ("academie.url", Some(3)),
                ("academie.retry_seconds", Some(4))
            ]
        );
    }

    #[test]
    fn the_hub_certificate_comes_with_its_key_and_feeds_need_the_drop_folder() {
        let c = parse(
            Path::new("c.toml"),
            "[academie]\ndrop_dir = \"/srv/depot\"\nurl = \"https://hub/api/messages\"\n\
             certificat = \"/etc/c/0860001A.crt\"\ncle = \"/etc/c/0860001A.key\"\nflux_url = \"https://hub/api/flux\"\n",
        )
        .unwrap();
        assert_eq!(
            c.academie.identity,
            Some((
                PathBuf::from("/etc/c/0860001A.crt"),
                PathBuf::from("/etc/c/0860001A.key")
            ))
        );
        assert_eq!(c.academie.flux_url.as_deref(), Some("https://hub/api/flux"));
        let e = errs("[academie]\ncertificat = \"/etc/c/x.crt\"\n");
        assert_eq!(keys_and_lines(&e), [("academie.cle", Some(2))]);
        let e = errs("[academie]\nflux_url = \"https://hub/api/flux\"\n");
        assert_eq!(keys_and_lines(&e), [("academie.flux_url", Some(2))]);
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let e = errs("data_dir = \"/srv/x\"\n\n[session]\nidle_minute = 3\n");
        assert_eq!(e.problems.len(), 1);
        let p = &e.problems[0];
        assert_eq!(p.line, Some(4));
        assert_eq!(p.key, "session.idle_minute");
        assert!(p.message.contains("clé inconnue"), "{}", p.message);
    }

    #[test]
    fn every_bad_value_is_reported_at_once() {
        let e = errs(concat!(
            "data_dir = \"relative\"\n",
            "listen = \"nowhere\"\n",
            "[session]\n",
            "idle_minutes = 0\n",
            "[directory]\n",
            "backend = \"ldapp\"\n",
        ));
        let keys = keys_and_lines(&e);
        assert_eq!(
            keys,
            vec![
                ("data_dir", Some(1)),
                ("listen", Some(2)),
                ("session.idle_minutes", Some(4)),
                ("directory.backend", Some(6)),
            ]
        );
        let shown = e.to_string();
        assert!(shown.contains("ligne 2, clé `listen`"), "{shown}");
    }

    #[test]
    fn wrong_type_names_the_key() {
        let e = errs("listen = 443\n");
        assert_eq!(e.problems[0].key, "listen");
        assert_eq!(e.problems[0].line, Some(1));
    }

    #[test]
    fn ldap_backend_needs_its_keys() {
        let e = errs("[directory]\nbackend = \"ldap\"\nurl = \"http://x\"\n");
        let keys: Vec<_> = e.problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                "directory.base_dn",
                "directory.bind_dn",
                "directory.bind_password",
                "directory.url",
            ]
        );
        let c = parse(
            Path::new("c.toml"),
            concat!(
                "[directory]\nbackend = \"ldap\"\nurl = \"ldap://127.0.0.1:389\"\n",
                "base_dn = \"dc=college,dc=fr\"\nbind_dn = \"cn=admin,dc=college,dc=fr\"\n",
                "bind_password = \"s3cret\"\n"
            ),
        )
        .unwrap();
        let DirectoryConfig::Ldap(l) = c.directory else {
            panic!("not ldap")
        };
        assert_eq!(l.pool_size, 8);
        assert!(
            !format!("{l:?}").contains("s3cret"),
            "password in Debug output"
        );
    }

    #[test]
    fn accounts_section_is_checked() {
        let c = parse(
            Path::new("c.toml"),
            "[accounts]\nlogin_scheme = \"p.nom\"\ngrace_days = 20\n[accounts.grace_days_by_profile]\nenseignant = 45\n",
        )
        .unwrap();
        use crate::directory::Profile;
        assert_eq!(c.accounts.grace(Profile::Eleve), time::Duration::days(20));
        assert_eq!(
            c.accounts.grace(Profile::Enseignant),
            time::Duration::days(45)
        );
        let e =
            errs("[accounts]\ngrace_days = 120\n[accounts.grace_days_by_profile]\neleves = 3\n");
        let keys = keys_and_lines(&e);
        assert_eq!(
            keys,
            vec![
                ("accounts.grace_days", Some(2)),
                ("accounts.grace_days_by_profile.eleves", Some(4))
            ]
        );
    }

    #[test]
    fn tls_cert_without_key_is_refused() {
        let e = errs("[tls]\ncert = \"/etc/ssl/c.pem\"\n");
        assert_eq!(e.problems[0].key, "tls.cert");
    }
}
