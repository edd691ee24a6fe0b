//! `verify`: proves each service the way a person would use it, with a test account — the
//! annuaire accepts its password, the portal signs it in over HTTPS (certificate checked), the
//! CAS server gives a ticket that validates to it, the PC share takes a file and gives it back
//! unchanged, on a site with a Windows domain the controller gives it a Kerberos ticket that
//! opens its home on the file server, and a backup is written and checks out. Each check says
//! what it saw.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cartable_core::clock::SystemClock;
use cartable_core::config::{Config, DirectoryConfig, TlsConfig};
use cartable_core::directory::ldap::LdapDirectory;
use cartable_core::directory::{AuthOutcome, DirectoryAuth};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use serde::Serialize;

/// What the technician gave, with the installed configuration.
pub struct Target {
    pub config: Config,
    pub config_path: PathBuf,
    pub login: String,
    pub password: String,
    /// Portal base URL (`https://ent.college.fr`).
    pub url: String,
    /// CA the portal's certificate must chain to; `None` means the system's.
    pub ca: Option<PathBuf>,
    /// Samba server, `host:port`.
    pub smb: String,
    /// The CAS service URL asked for a ticket.
    pub cas_service: String,
    /// The `cartabled` program run for the backup.
    pub cartabled: PathBuf,
    pub now: time::OffsetDateTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub id: &'static str,
    pub label: &'static str,
    /// `None`: not asked for on this site.
    pub ok: Option<bool>,
    pub detail: String,
}

impl Check {
    fn new(id: &'static str, label: &'static str, r: Result<String, String>) -> Self {
        let (ok, detail) = match r {
            Ok(d) => (Some(true), d),
            Err(d) => (Some(false), d),
        };
        Self {
            id,
            label,
            ok,
            detail,
        }
    }
}

/// The portal base URL to use when none is given: the public one, else the listening address.
pub fn default_url(config: &Config) -> String {
    if let Some(u) = &config.public_url {
        return u.trim_end_matches('/').to_owned();
    }
    let mut a = config.listen;
    if a.ip().is_unspecified() {
        a.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    format!("https://{a}")
}

/// The CA the portal's certificate chains to when cartable generated it.
pub fn default_ca(config: &Config) -> Option<PathBuf> {
    match config.tls {
        TlsConfig::Generated { .. } => Some(config.tls_dir().join("ca.pem")),
        TlsConfig::Files { .. } => None,
    }
}

pub async fn run(t: &Target) -> Vec<Check> {
    let mut out = vec![Check::new(
        "annuaire",
        "Annuaire (LDAP) : connexion du compte de test",
        ldap(t).await,
    )];
    let http = client(t.ca.as_deref());
    let portal = match &http {
        Ok(c) => portal(t, c).await,
        Err(e) => Err(e.clone()),
    };
    let signed_in = portal.is_ok();
    out.push(Check::new(
        "portail",
        "Portail ENT (HTTPS) : connexion",
        portal,
    ));
    let cas = match (&http, signed_in) {
        (Ok(c), true) => cas(t, c).await,
        _ => Err("non vérifié : la connexion au portail a échoué".to_owned()),
    };
    out.push(Check::new(
        "cas",
        "Authentification unique (CAS) : ticket",
        cas,
    ));
    let samba = match &t.config.directory {
        DirectoryConfig::Ldap(l) if l.samba_domain_sid.is_some() => Check::new(
            "partages",
            "Partages des postes (SMB) : aller-retour d'un fichier",
            smb(t).await,
        ),
        _ => Check {
            id: "partages",
            label: "Partages des postes (SMB) : aller-retour d'un fichier",
            ok: None,
            detail: "Samba n'est pas configuré sur ce site".to_owned(),
        },
    };
    out.push(samba);
    const DOMAIN: &str = "Domaine Windows (Kerberos) : ouverture de session et dossier personnel";
    out.push(match &t.config.domaine {
        Some(d) => Check::new("domaine", DOMAIN, domain(t, d).await),
        None => Check {
            id: "domaine",
            label: DOMAIN,
            ok: None,
            detail: "pas de domaine Windows sur ce site".to_owned(),
        },
    });
    out.push(Check::new(
        "sauvegarde",
        "Sauvegarde : écrite et relue",
        backup(t).await,
    ));
    out
}

async fn ldap(t: &Target) -> Result<String, String> {
    let DirectoryConfig::Ldap(l) = &t.config.directory else {
        return Ok(
            "annuaire intégré (pas d'OpenLDAP sur ce site) : vérifié par la connexion au portail"
                .to_owned(),
        );
    };
    let dir = LdapDirectory::connect(l.clone(), Arc::new(SystemClock))
        .await
        .map_err(|e| format!("{} injoignable : {e}", l.url))?;
    match dir.authenticate(&t.login, &t.password).await {
        Ok(AuthOutcome::Accepted(p)) => Ok(format!(
            "{} ({}) reconnu par {}",
            t.login,
            p.display_name(),
            l.url
        )),
        Ok(AuthOutcome::BadCredentials) => Err(format!(
            "{} : identifiant ou mot de passe refusé par {}",
            t.login, l.url
        )),
        Ok(AuthOutcome::Disabled) => Err(format!("{} : compte désactivé", t.login)),
        Err(e) => Err(format!("{} : {e}", l.url)),
    }
}

fn client(ca: Option<&Path>) -> Result<reqwest::Client, String> {
    let mut roots = rustls::RootCertStore::empty();
    match ca {
        Some(ca) => {
            let certs = CertificateDer::pem_file_iter(ca)
                .map_err(|e| format!("autorité de certification {} : {e}", ca.display()))?;
            for c in certs {
                let c = c.map_err(|e| format!("{} : {e}", ca.display()))?;
                roots
                    .add(c)
                    .map_err(|e| format!("{} : {e}", ca.display()))?;
            }
        }
        None => {
            for c in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(c);
            }
        }
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())
}

fn field<'a>(page: &'a str, before: &str) -> Option<&'a str> {
    let at = page.find(before)? + before.len();
    page[at..].split('"').next()
}

async fn get_text(c: &reqwest::Client, url: &str) -> Result<(u16, String), String> {
    let r = c
        .get(url)
        .send()
        .await
        .map_err(|e| format!("{url} : {}", describe(&e)))?;
    let status = r.status().as_u16();
    Ok((status, r.text().await.map_err(|e| e.to_string())?))
}

/// reqwest's error with its causes (the certificate problem is in a cause).
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s.push_str(" : ");
        s.push_str(&c.to_string());
        cause = c.source();
    }
    s
}

async fn portal(t: &Target, c: &reqwest::Client) -> Result<String, String> {
    let (status, page) = get_text(c, &format!("{}/login", t.url)).await?;
    let csrf = field(&page, "name=\"csrf\" value=\"").ok_or_else(|| {
        format!(
            "{}/login : page de connexion attendue (HTTP {status})",
            t.url
        )
    })?;
    let r = c
        .post(format!("{}/login", t.url))
        .form(&[
            ("login", t.login.as_str()),
            ("password", t.password.as_str()),
            ("csrf", csrf),
        ])
        .send()
        .await
        .map_err(|e| describe(&e))?;
    let to = r
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if r.status().as_u16() != 303 || to.contains("/login") {
        return Err(format!(
            "connexion de {} refusée par le portail (HTTP {})",
            t.login,
            r.status().as_u16()
        ));
    }
    let (_, home) = get_text(c, &format!("{}/", t.url)).await?;
    let name = field(&home, "id=\"nom-complet\">")
        .and_then(|s| s.split('<').next())
        .unwrap_or_default();
    if name.is_empty() {
        return Err("connecté, mais le portail ne montre pas la personne".to_owned());
    }
    let forced = if to.contains("mot-de-passe") {
        " (le compte doit changer son mot de passe à la première connexion)"
    } else {
        ""
    };
    Ok(format!(
        "{} connecté(e) sur {} : le portail affiche « {} »{forced}",
        t.login,
        t.url,
        unescape(name)
    ))
}

fn unescape(s: &str) -> String {
    s.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

async fn cas(t: &Target, c: &reqwest::Client) -> Result<String, String> {
    let enc = |s: &str| url_encode(s);
    let login_url = format!("{}/cas/login?service={}", t.url, enc(&t.cas_service));
    let r = c.get(&login_url).send().await.map_err(|e| describe(&e))?;
    let to = r
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let ticket = to
        .split_once("ticket=")
        .map(|(_, t)| t.split('&').next().unwrap_or_default().to_owned())
        .filter(|t| t.starts_with("ST-"))
        .ok_or_else(|| {
            format!(
                "pas de ticket pour le service {} (HTTP {}) : est-il déclaré dans [[cas.service]] ?",
                t.cas_service,
                r.status().as_u16()
            )
        })?;
    let (_, xml) = get_text(
        c,
        &format!(
            "{}/cas/serviceValidate?service={}&ticket={}",
            t.url,
            enc(&t.cas_service),
            enc(&ticket)
        ),
    )
    .await?;
    let user = xml
        .split_once("<cas:user>")
        .and_then(|(_, r)| r.split_once("</cas:user>"))
        .map(|(u, _)| u.trim().to_owned());
    match user {
        Some(u) if u == t.login => Ok(format!(
            "ticket pour {} validé : il désigne {u}",
            t.cas_service
        )),
        Some(u) => Err(format!("le ticket désigne {u}, pas {}", t.login)),
        None => Err(format!(
            "validation du ticket refusée : {}",
            first_line(&xml)
        )),
    }
}

fn first_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .find(|l| l.contains("authenticationFailure") || l.contains("cas:"))
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect()
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn smb(t: &Target) -> Result<String, String> {
    let (host, port) = t
        .smb
        .rsplit_once(':')
        .map(|(h, p)| (h.to_owned(), p.to_owned()))
        .unwrap_or_else(|| (t.smb.clone(), "445".to_owned()));
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let w = work.path();
    // The password goes in a 0600 file, not on the command line where `ps` shows it.
    let auth = w.join("auth");
    write_private(
        &auth,
        &format!("username = {}\npassword = {}\n", t.login, t.password),
    )?;
    let content = format!(
        "cartable-provision verify {}\n",
        cartable_core::backup::name_at(t.now)
    );
    let share = format!("//{host}/{}", t.login);
    let mut cmd = tokio::process::Command::new("smbclient");
    cmd.arg(&share)
        .args(["-p", &port, "-m", "SMB3", "-A"])
        .arg(&auth);
    smb_round_trip(cmd, &share, &format!("port {port}"), w, &content).await?;
    Ok(format!(
        "{share} : fichier écrit, relu identique, effacé ({} en SMB3)",
        t.login
    ))
}

/// What a PC of the domain does at logon: a Kerberos ticket for the person (AES keys), then
/// his home on the file server with that ticket only — a file written, read back, removed.
async fn domain(t: &Target, d: &cartable_core::config::DomaineConfig) -> Result<String, String> {
    let realm = &d.domain.realm;
    let kdc = d
        .url
        .split_once("://")
        .map_or(d.url.as_str(), |(_, rest)| rest)
        .split([':', '/'])
        .next()
        .unwrap_or_default()
        .to_owned();
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let w = work.path();
    let krb5 = w.join("krb5.conf");
    std::fs::write(
        &krb5,
        cartable_provision::controller::krb5_conf(realm, &kdc),
    )
    .map_err(|e| e.to_string())?;
    let cache = format!("FILE:{}", w.join("ticket").display());
    let principal = format!("{}@{realm}", t.login);
    let mut kinit = tokio::process::Command::new("kinit")
        .arg(&principal)
        .env("KRB5_CONFIG", &krb5)
        .env("KRB5CCNAME", &cache)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("kinit : {e} (paquet krb5-user installé ?)"))?;
    if let Some(mut stdin) = kinit.stdin.take() {
        use tokio::io::AsyncWriteExt;
        stdin
            .write_all(format!("{}\n", t.password).as_bytes())
            .await
            .map_err(|e| e.to_string())?;
    }
    let out = tokio::time::timeout(std::time::Duration::from_secs(30), kinit.wait_with_output())
        .await
        .map_err(|_| format!("kinit {principal} : pas de réponse du contrôleur {kdc} en 30 s"))?
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "kinit {principal} auprès de {kdc} : {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let klist = tokio::process::Command::new("klist")
        .arg("-e")
        .env("KRB5_CONFIG", &krb5)
        .env("KRB5CCNAME", &cache)
        .output()
        .await
        .map_err(|e| format!("klist : {e}"))?;
    let klist = String::from_utf8_lossy(&klist.stdout).into_owned();
    let enctype = klist
        .lines()
        .find_map(|l| l.split("Etype (skey, tkt): ").nth(1))
        .map(|e| e.split(',').next().unwrap_or(e).trim().to_owned())
        .unwrap_or_else(|| "type inconnu".to_owned());

    let (host, port) = t
        .smb
        .rsplit_once(':')
        .map(|(h, p)| (h.to_owned(), p.to_owned()))
        .unwrap_or_else(|| (t.smb.clone(), "445".to_owned()));
    let server = format!("{}.{}", d.domain.file_server, realm.to_ascii_lowercase());
    let content = format!(
        "cartable-provision verify (domaine) {}\n",
        cartable_core::backup::name_at(t.now)
    );
    let share = format!("//{server}/{}", t.login);
    let mut cmd = tokio::process::Command::new("smbclient");
    cmd.arg(&share)
        // A member's first session asks the controller through winbind: slow on a busy server.
        .args([
            "--use-kerberos=required",
            // The ticket only: no password asked for.
            "--no-pass",
            "-t",
            "60",
            "-I",
            &host,
            "-p",
            &port,
        ])
        .env("KRB5_CONFIG", &krb5)
        .env("KRB5CCNAME", &cache);
    smb_round_trip(
        cmd,
        &share,
        &format!("ticket Kerberos obtenu ; adresse {host}"),
        w,
        &content,
    )
    .await?;
    Ok(format!(
        "ticket Kerberos de {principal} ({enctype}) ; {share} avec ce seul ticket : fichier écrit, relu identique, effacé"
    ))
}

/// A file written to `share` by `smbclient` (its connection options in `cmd`), read back and
/// removed, in the work folder `w`: why not, named after `share` (`what` says where), if not.
async fn smb_round_trip(
    mut cmd: tokio::process::Command,
    share: &str,
    what: &str,
    w: &Path,
    content: &str,
) -> Result<(), String> {
    let name = ".verification-cartable.txt";
    std::fs::write(w.join("envoi.txt"), content).map_err(|e| e.to_string())?;
    cmd.args([
        "-c",
        &format!("put envoi.txt {name}; get {name} retour.txt; del {name}"),
    ])
    .current_dir(w);
    let mut said = String::new();
    let mut out = None;
    // A server still starting (or busy: a member's winbind reconnecting to its controller)
    // may time out: asked again, a few seconds apart, before reporting.
    for attempt in 0..3 {
        if attempt > 0 {
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        }
        let o = cmd
            .output()
            .await
            .map_err(|e| format!("smbclient : {e} (paquet smbclient installé ?)"))?;
        said = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let timed_out = said.contains("NT_STATUS_IO_TIMEOUT");
        out = Some(o);
        if !timed_out {
            break;
        }
    }
    let ok = out.as_ref().is_some_and(|o| o.status.success());
    if !ok || said.contains("NT_STATUS_") {
        let why = said
            .lines()
            .find(|l| l.contains("NT_STATUS_"))
            .unwrap_or(said.trim());
        return Err(format!("{share} ({what}) : {why}"));
    }
    let back = std::fs::read_to_string(w.join("retour.txt")).unwrap_or_default();
    if back != content {
        return Err(format!("{share} : le fichier relu diffère de celui envoyé"));
    }
    Ok(())
}

fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("{} : {e}", path.display()))?;
    f.write_all(text.as_bytes())
        .map_err(|e| format!("{} : {e}", path.display()))
}

async fn backup(t: &Target) -> Result<String, String> {
    let Some(dest) = t.config.backup.dir.clone() else {
        return Err(
            "aucune destination : renseignez [backup] dir dans la configuration".to_owned(),
        );
    };
    let before = cartable_core::backup::list(&dest);
    let out = tokio::process::Command::new(&t.cartabled)
        .arg("backup")
        .arg("--config")
        .arg(&t.config_path)
        .output()
        .await
        .map_err(|e| format!("{} : {e}", t.cartabled.display()))?;
    if !out.status.success() {
        return Err(format!(
            "cartabled backup a échoué : {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let after = cartable_core::backup::list(&dest);
    let newest = after
        .iter()
        .rev()
        .find(|p| !before.contains(p))
        .or(after.last())
        .ok_or_else(|| format!("aucune sauvegarde dans {}", dest.display()))?;
    let manifest = cartable_core::backup::check(newest).map_err(|e| e.to_string())?;
    let bytes: u64 = manifest.parts.iter().map(|p| p.bytes).sum();
    Ok(format!(
        "{} : {} parties, {} Mo, empreintes vérifiées",
        newest.display(),
        manifest.parts.len(),
        format!("{:.1}", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
    ))
}

/// The checklist, as Markdown, kept beside the audit documents.
pub fn markdown(checks: &[Check], site: &str, date: &str) -> String {
    let mut s = format!("# Vérification de l'installation — {site}\n\n{date}\n\n");
    for c in checks {
        let mark = match c.ok {
            Some(true) => "[x]",
            Some(false) => "[ ] ✗",
            None => "[-]",
        };
        s.push_str(&format!("- {mark} **{}** — {}\n", c.label, c.detail));
    }
    s
}
