//! What an install is for a site: packages, the service user and folders, slapd's database
//! (schema, ACLs, indexes) and base entries, the configuration, Samba, the units.

use sha2::{Digest, Sha256};

use crate::Error;
use crate::site::Site;
use crate::steps::{Action, Ctx, STATE_DIR, Step};

const SDET: &str = include_str!("../../packaging/ldap/schema/10-sdet.ldif");
const CARTABLE_SCHEMA: &str = include_str!("../../packaging/ldap/schema/20-cartable.ldif");
/// Samba's schema, as Debian's samba package ships it.
const SAMBA_SCHEMA: &str = "/usr/share/doc/samba/examples/LDAP/samba.ldif";

/// Run before the établissement's database is added, with its base DN as `$1`. Debian's slapd
/// creates, when installed, a database named after the machine's domain — the site's name, as
/// the audit asks — which would refuse ours (« namingContext already served »). That database,
/// as Debian leaves it (two entries at most), is removed; one holding more is somebody's data:
/// the install stops and says what to do. Ours (already added) is left alone.
const DEBIAN_DEFAULT_DATABASE: &str = r#"#!/bin/sh
# cartable-provision : retire la base que Debian crée à l'installation de slapd.
set -e
found=$(ldapsearch -Q -LLL -o ldif-wrap=no -Y EXTERNAL -H ldapi:/// -b cn=config "(olcSuffix=$1)" olcDbDirectory)
dn=$(printf '%s\n' "$found" | sed -n 's/^dn: //p')
dir=$(printf '%s\n' "$found" | sed -n 's/^olcDbDirectory: //p')
[ -n "$dn" ] || exit 0
[ "$dir" = /var/lib/ldap-cartable ] && exit 0
n=$(slapcat -b "$1" 2>/dev/null | grep -c '^dn:' || true)
if [ "$n" -gt 2 ]; then
    echo "l'annuaire a déjà une base $1 de $n entrées (dossier $dir) : la sauvegarder (slapcat -b $1) puis la retirer, ou donner un autre nom au serveur dans le fichier de site" >&2
    exit 1
fi
ldapdelete -Q -Y EXTERNAL -H ldapi:/// "$dn"
echo "base $1 créée par Debian à l'installation de slapd (vide) retirée"
"#;

pub const SECRET: &str = "/etc/cartable/ldap.secret";
pub const CONFIG: &str = "/etc/cartable/cartable.toml";

/// The établissement's Samba domain SID, derived from its UAI: stable across runs and
/// reinstalls, distinct between établissements.
pub fn domain_sid(uai: &str) -> String {
    let d = Sha256::digest(uai.as_bytes());
    let n = |i: usize| u32::from_be_bytes([d[i], d[i + 1], d[i + 2], d[i + 3]]);
    format!("S-1-5-21-{}-{}-{}", n(0), n(4), n(8))
}

pub(crate) fn file(path: &str, content: impl Into<Vec<u8>>, mode: u32) -> Action {
    Action::File {
        path: path.to_owned(),
        content: content.into(),
        mode,
        keep: false,
    }
}

/// A file written only when absent (secrets, keys).
pub(crate) fn kept(path: &str, content: impl Into<Vec<u8>>, mode: u32) -> Action {
    Action::File {
        path: path.to_owned(),
        content: content.into(),
        mode,
        keep: true,
    }
}

pub(crate) fn words(s: &[&str]) -> Vec<String> {
    s.iter().map(|w| (*w).to_owned()).collect()
}

/// A random secret, kept once written.
fn secret() -> Vec<u8> {
    let bytes: [u8; 24] = rand_bytes();
    // No newline: `ldapadd -y` takes the whole file as the password.
    let s: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    s.into_bytes()
}

fn rand_bytes() -> [u8; 24] {
    let mut out = [0u8; 24];
    let mut seed = [0u8; 32];
    if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
        let _ = std::io::Read::read_exact(&mut f, &mut seed);
    }
    let d = Sha256::digest(seed);
    out.copy_from_slice(&d[..24]);
    out
}

pub fn steps(ctx: &Ctx<'_>, site: &Site) -> Result<Vec<Step>, Error> {
    let base = site.base_dn();
    let admin = format!("cn=admin,{base}");
    let sid = domain_sid(&site.etablissement.uai);
    let state = format!("/{STATE_DIR}");
    let password = std::fs::read_to_string(ctx.at(SECRET)).unwrap_or_default();
    let root_pw = if password.trim().is_empty() {
        // Not installed yet: the steps are computed again once the secret is written.
        "(à venir)".to_owned()
    } else {
        // slapd's argon2 module reads the PHC string behind its scheme tag.
        let phc = cartable_core::auth::password::hash(password.trim())
            .map_err(|e| Error::Command("argon2".into(), e.to_string()))?;
        format!("{{ARGON2}}{phc}")
    };
    let dc = base
        .split(',')
        .next()
        .and_then(|d| d.strip_prefix("dc="))
        .unwrap_or("cartable")
        .to_owned();

    let mut packages = words(&["slapd", "ldap-utils", "libnss-extrausers", "tar"]);
    if site.services.samba {
        packages.extend(words(&["samba", "smbclient"]));
    }
    if site.domaine.is_some() {
        for p in crate::domain::packages() {
            if !packages.contains(&p) {
                packages.push(p);
            }
        }
    }
    let mut steps = vec![
        Step {
            id: "paquets",
            label: "Paquets Debian",
            actions: vec![Action::Packages(packages)],
        },
        Step {
            id: "utilisateur",
            label: "Utilisateur système et dossiers",
            actions: vec![
                Action::User {
                    name: "cartable".into(),
                    home: "/var/lib/cartable".into(),
                },
                Action::Dir {
                    path: "/var/lib/cartable".into(),
                    mode: 0o750,
                },
                Action::Dir {
                    path: "/srv/cartable".into(),
                    mode: 0o755,
                },
                Action::Dir {
                    path: "/var/lib/extrausers".into(),
                    mode: 0o755,
                },
                Action::Dir {
                    path: "/var/backups/cartable".into(),
                    mode: 0o700,
                },
                Action::File {
                    path: SECRET.into(),
                    content: secret(),
                    mode: 0o640,
                    keep: true,
                },
                // cartabled runs as cartable and reads it; nobody else.
                Action::Command {
                    argv: words(&[
                        "sh",
                        "-c",
                        &format!("chgrp cartable {SECRET} && chmod 0640 {SECRET}"),
                    ]),
                    input: String::new(),
                },
            ],
        },
    ];

    // slapd: the établissement's database, then its first entries.
    let database = format!(
        "dn: cn=module{{0}},cn=config\nchangetype: modify\nadd: olcModuleLoad\nolcModuleLoad: argon2\n\n\
         dn: olcDatabase={{2}}mdb,cn=config\nchangetype: add\nobjectClass: olcDatabaseConfig\n\
         objectClass: olcMdbConfig\nolcDatabase: {{2}}mdb\nolcDbDirectory: /var/lib/ldap-cartable\n\
         olcSuffix: {base}\nolcRootDN: {admin}\nolcRootPW: {root_pw}\nolcDbMaxSize: 4294967296\n\
         olcDbIndex: objectClass eq\nolcDbIndex: uid eq\nolcDbIndex: memberUid eq\n\
         olcDbIndex: ENTPersonJointure eq\nolcDbIndex: uidNumber,gidNumber eq\n\
         olcDbIndex: sambaSID eq\n\
         olcAccess: {{0}}to attrs=userPassword,sambaNTPassword,sambaLMPassword by self =xw by anonymous auth by * none\n\
         olcAccess: {{1}}to * by self read by users read by * none\n"
    );
    let entries = format!(
        "dn: {base}\nobjectClass: dcObject\nobjectClass: organization\ndc: {dc}\no: {nom}\n\n\
         dn: ou=groups,{base}\nobjectClass: organizationalUnit\nou: groups\n\n\
         dn: cn=utilisateurs,ou=groups,{base}\nobjectClass: posixGroup\nobjectClass: sambaGroupMapping\n\
         cn: utilisateurs\ngidNumber: 100\nsambaSID: {sid}-513\nsambaGroupType: 2\n\n\
         dn: sambaDomainName=CARTABLE,{base}\nobjectClass: sambaDomain\nsambaDomainName: CARTABLE\nsambaSID: {sid}\n",
        nom = site.etablissement.nom
    );
    let ldapi = |f: &str| {
        words(&[
            "ldapadd",
            "-Q",
            "-Y",
            "EXTERNAL",
            "-H",
            "ldapi:///",
            "-f",
            f,
        ])
    };
    let schema_files = [
        ("sdet", SDET.to_owned()),
        ("cartable", CARTABLE_SCHEMA.to_owned()),
    ];
    let mut ldap = Vec::new();
    ldap.push(Action::Dir {
        path: "/var/lib/ldap-cartable".into(),
        mode: 0o700,
    });
    // slapd runs as openldap: a database folder it cannot enter is refused (`olcDbDirectory:
    // invalid path`), which only a real slapd shows.
    ldap.push(Action::Command {
        argv: words(&["chown", "openldap:openldap", "/var/lib/ldap-cartable"]),
        input: String::new(),
    });
    {
        let path = format!("{state}/ldap/base-debian.sh");
        ldap.push(file(&path, DEBIAN_DEFAULT_DATABASE.to_owned(), 0o700));
        ldap.push(Action::Command {
            argv: words(&["sh", &path, &base]),
            input: format!("{DEBIAN_DEFAULT_DATABASE}{base}"),
        });
    }
    if ctx.at(SAMBA_SCHEMA).exists() || ctx.root == std::path::Path::new("/") {
        ldap.push(Action::Command {
            argv: ldapi(SAMBA_SCHEMA),
            input: "samba-schema".into(),
        });
    }
    for (name, text) in &schema_files {
        let path = format!("{state}/ldap/schema-{name}.ldif");
        ldap.push(file(&path, text.clone(), 0o644));
        ldap.push(Action::Command {
            argv: ldapi(&path),
            input: text.clone(),
        });
    }
    {
        // Written once: it holds the administrator's password hash (salted, so never the
        // same twice); before the secret exists, a plan only says it will be written.
        let path = format!("{state}/ldap/base.ldif");
        ldap.push(Action::File {
            path: path.clone(),
            content: database.clone().into_bytes(),
            mode: 0o600,
            keep: true,
        });
        ldap.push(Action::Command {
            argv: words(&[
                "ldapmodify",
                "-Q",
                "-Y",
                "EXTERNAL",
                "-H",
                "ldapi:///",
                "-f",
                &path,
            ]),
            input: format!("{base}{admin}"),
        });
        let path = format!("{state}/ldap/entrees.ldif");
        ldap.push(file(&path, entries.clone(), 0o644));
        ldap.push(Action::Command {
            argv: words(&[
                "ldapadd",
                "-x",
                "-H",
                "ldapi:///",
                "-D",
                &admin,
                "-y",
                SECRET,
                "-f",
                &path,
            ]),
            input: entries.clone(),
        });
    }
    steps.push(Step {
        id: "annuaire",
        label: "Annuaire OpenLDAP",
        actions: ldap,
    });
    if let Some(d) = &site.domaine {
        steps.push(crate::domain::controller_step(ctx, d, secret)?);
    }

    let tls = match &site.tls {
        // The académie's or collectivité's certificate, used as given.
        Some(t) => format!("[tls]\ncert = \"{}\"\nkey = \"{}\"\n", t.certificat, t.cle),
        // Otherwise cartable generates a local CA and the server's certificate.
        None => {
            let mut tls = format!("[tls]\nhostnames = [\"{}\"", site.reseau.nom);
            if let Some(ip) = &site.reseau.adresse {
                tls.push_str(&format!(", \"{ip}\""));
            }
            tls.push_str("]\n");
            tls
        }
    };
    let backup = if site.services.sauvegardes {
        "[backup]\ndir = \"/var/backups/cartable\"\nheure = 2\ngarder = 14\n"
    } else {
        ""
    };
    let config = format!(
        "# Écrit par cartable-provision pour {nom} ({uai}). Modifiable : une nouvelle installation\n\
         # montre les écarts avant de les remplacer.\n\
         data_dir = \"/var/lib/cartable\"\nlisten = \"0.0.0.0:443\"\nhttp_listen = \"0.0.0.0:80\"\n\
         public_url = \"https://{fqdn}\"\n\n{tls}\n\
         [directory]\nbackend = \"ldap\"\nurl = \"ldap://127.0.0.1\"\nbase_dn = \"{base}\"\n\
         bind_dn = \"{admin}\"\nbind_password_file = \"{SECRET}\"\n{samba}\n\
         [files]\nroot = \"/srv/cartable\"\nnss_dir = \"/var/lib/extrausers\"\n\n{backup}\n\
         # Le service que `cartable-provision verify` utilise pour prouver le CAS.\n\
         [[cas.service]]\nname = \"Vérification de l'installation\"\n\
         url = \"https://{fqdn}/cas/verification\"\nattributes = [\"uid\"]\n{domaine}{academie}",
        academie = site
            .academie
            .as_ref()
            .map(|a| academie_section(a, &site.etablissement.uai))
            .unwrap_or_default(),
        nom = site.etablissement.nom,
        uai = site.etablissement.uai,
        fqdn = site.reseau.nom,
        domaine = site
            .domaine
            .as_ref()
            .map(crate::domain::config_section)
            .unwrap_or_default(),
        samba = if site.services.samba {
            format!("samba_domain_sid = \"{sid}\"\n")
        } else {
            String::new()
        },
    );
    steps.push(Step {
        id: "configuration",
        label: "Configuration de cartable",
        actions: vec![file(CONFIG, config, 0o640)],
    });

    if site.services.samba {
        let ldap_cfg = cartable_core::config::LdapConfig {
            url: "ldap://127.0.0.1".into(),
            starttls: false,
            tls_ca_file: None,
            base_dn: base.clone(),
            bind_dn: admin.clone(),
            bind_password: String::new(),
            pool_size: 4,
            samba_domain_sid: Some(sid.clone()),
        };
        let quotas = std::path::PathBuf::from("/var/lib/cartable/samba-quotas");
        let root = std::path::PathBuf::from("/srv/cartable");
        let mut site_samba = cartable_core::files::samba::SambaSite::installed(&root, &quotas);
        site_samba.netbios_name = "CARTABLE";
        // The folders smb.conf names under its state folder: smbd does not make them.
        let state_dir = site_samba.state_dir.display().to_string();
        let mut actions: Vec<Action> = ["", "/lock", "/state", "/cache", "/pid", "/ncalrpc"]
            .iter()
            .map(|sub| Action::Dir {
                path: format!("{state_dir}{sub}"),
                mode: 0o755,
            })
            .collect();
        actions.push(Action::Dir {
            path: format!("{state_dir}/private"),
            mode: 0o700,
        });
        actions.extend(match &site.domaine {
            // A member of the domain: accounts and ids from the controller.
            Some(d) => {
                let domain = crate::domain::domain(d)?;
                let workgroup = domain.netbios();
                site_samba.workgroup = &workgroup;
                let conf = cartable_core::files::samba::render_member(&site_samba, &domain);
                let mut actions = vec![file("/etc/samba/smb.conf", conf, 0o644)];
                actions.extend(crate::domain::join(d));
                actions
            }
            None => vec![
                // smbd finds the people cartable writes to /var/lib/extrausers only if NSS
                // looks there (« in passdb, but getpwnam() fails » otherwise).
                Action::Command {
                    argv: words(&[
                        "sed",
                        "-i",
                        "-E",
                        "/^(passwd|group):/{/extrausers/!s/$/ extrausers/}",
                        "/etc/nsswitch.conf",
                    ]),
                    input: "extrausers".into(),
                },
                file(
                    "/etc/samba/smb.conf",
                    cartable_core::files::samba::render(&site_samba, &ldap_cfg),
                    0o644,
                ),
                Action::Command {
                    argv: words(&["sh", "-c", &format!("smbpasswd -w \"$(cat {SECRET})\"")]),
                    input: base.clone(),
                },
            ],
        });
        steps.push(Step {
            id: "samba",
            label: "Samba (partages des postes)",
            actions,
        });
    }
    // Debian starts smbd and cartabled when their packages are installed, before the files
    // written here: they are restarted to read them.
    let mut units = vec![Action::Enable("slapd".into())];
    if site.services.samba {
        units.push(Action::Enable("smbd".into()));
        units.push(Action::Restart {
            unit: "smbd".into(),
            reads: vec!["/etc/samba/smb.conf".into()],
        });
    }
    units.push(Action::Enable("cartabled".into()));
    units.push(Action::Restart {
        unit: "cartabled".into(),
        reads: vec![CONFIG.into(), SECRET.into()],
    });
    if site.domaine.is_some() {
        units.extend(crate::domain::units());
    }
    steps.push(Step {
        id: "services",
        label: "Services démarrés",
        actions: units,
    });
    Ok(steps)
}

/// `[academie]` for a site the académie's hub follows: messages sent with the certificate it
/// issued, its AAF deliveries fetched into the drop folder.
fn academie_section(a: &crate::site::Academie, uai: &str) -> String {
    let url = a.url.trim_end_matches('/');
    let dir = a.certificats.trim_end_matches('/');
    format!(
        "\n[academie]\nurl = \"{url}/api/messages\"\nflux_url = \"{url}/api/flux\"\n\
         drop_dir = \"/var/lib/cartable/academie/depot\"\nca_file = \"{dir}/academie-ca.crt\"\n\
         certificat = \"{dir}/{uai}.crt\"\ncle = \"{dir}/{uai}.key\"\n"
    )
}

#[cfg(test)]
mod academie_tests {
    #[test]
    fn a_followed_site_sends_with_its_certificate_and_fetches_its_feeds() {
        let a = crate::site::Academie {
            url: "https://suivi.ac-poitiers.fr:8443/".into(),
            certificats: "/etc/cartable/academie".into(),
        };
        let s = super::academie_section(&a, "0860001A");
        let c = cartable_core::config::Config::parse(
            std::path::Path::new("cartable.toml"),
            &format!("data_dir = \"/var/lib/cartable\"\n{s}"),
        )
        .unwrap();
        assert_eq!(
            c.academie.url.as_deref(),
            Some("https://suivi.ac-poitiers.fr:8443/api/messages")
        );
        assert_eq!(
            c.academie.identity.map(|(c, _)| c),
            Some("/etc/cartable/academie/0860001A.crt".into())
        );
        assert!(c.academie.flux_url.is_some() && c.academie.drop_dir.is_some());
    }
}
