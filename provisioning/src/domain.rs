//! The install of a site with a Windows domain: the controller (its own address and
//! namespace, provisioned, its policy and cartable's account, its units), the file server
//! joined to it, cartabled told where it is. The commands are those of
//! [`cartable_provision::controller`], which the end-to-end tests run on a real DC.

use cartable_provision::controller::{self, Controller, SYNC_ACCOUNT};

use crate::Error;
use crate::recipe::{file, kept, words};
use crate::site::Domaine;
use crate::steps::{Action, Ctx, Step};

pub const ENV: &str = "/etc/cartable/domaine.env";
pub const ADMIN_SECRET: &str = "/etc/cartable/domaine-admin.secret";
pub const SECRET: &str = "/etc/cartable/domaine.secret";
const DIR: &str = "/var/lib/cartable-dc";
const NETNS: &str = "cartable-dc";
/// The file server's NetBIOS name, which the PCs' `\\cartable\<login>` names.
pub const FILE_SERVER: &str = "cartable";
const PASSWORD_BACK_SCRIPT: &str = "/usr/lib/cartable/cartable-mot-de-passe-retour";

pub fn controller(d: &Domaine) -> Controller {
    Controller {
        dir: DIR.into(),
        netns: NETNS.into(),
        realm: d.royaume.to_ascii_uppercase(),
        host_name: "dc".into(),
        address: d.adresse.clone(),
        // The namespace's own end of the pair (cartable-dc-reseau names it cdc1).
        interfaces: "lo cdc1".into(),
        dns_forwarder: d.relais_dns.clone(),
    }
}

/// The interface of the default route, read beneath the root.
pub fn default_interface(root: &std::path::Path) -> Option<String> {
    let routes = std::fs::read_to_string(root.join("proc/net/route")).ok()?;
    routes.lines().skip(1).find_map(|l| {
        let cols: Vec<&str> = l.split_whitespace().collect();
        (cols.get(1) == Some(&"00000000")).then(|| cols[0].to_owned())
    })
}

fn sh(script: String, input: &str) -> Action {
    Action::Command {
        argv: vec!["sh".into(), "-c".into(), script],
        input: input.to_owned(),
    }
}

pub fn packages() -> Vec<String> {
    words(&[
        "samba",
        "samba-ad-provision",
        "samba-dsdb-modules",
        "samba-vfs-modules",
        "winbind",
        "libnss-winbind",
        "krb5-user",
        "smbclient",
    ])
}

/// The controller, from its address to cartable's account on it.
pub fn controller_step(
    ctx: &Ctx<'_>,
    d: &Domaine,
    secret: impl Fn() -> Vec<u8>,
) -> Result<Step, Error> {
    let c = controller(d);
    let interface = d
        .interface
        .clone()
        .or_else(|| default_interface(ctx.root))
        .ok_or_else(|| Error::Site {
            file: ctx.at("/proc/net/route"),
            reason: "domaine.interface : aucune route par défaut, indiquez l'interface réseau du serveur"
                .to_owned(),
        })?;
    let pki = controller::pki(&c, ctx.now).map_err(|e| Error::Command("certificats".into(), e))?;
    let tls = c.tls_dir();
    let at = |p: std::path::PathBuf| p.display().to_string();
    let socket = c.dir.join("private/ldap_priv/ldapi");
    let init = c.password_back_init_argv(std::path::Path::new(PASSWORD_BACK_SCRIPT));
    let actions = vec![
        file(
            ENV,
            format!(
                "# Écrit par cartable-provision : l'adresse du contrôleur de domaine.\n\
                 DC_ADDRESS={}\nDC_INTERFACE={interface}\nDC_NETNS={NETNS}\n",
                c.address
            ),
            0o644,
        ),
        kept(ADMIN_SECRET, secret(), 0o600),
        kept(SECRET, secret(), 0o640),
        Action::Command {
            argv: words(&["chgrp", "cartable", SECRET]),
            input: String::new(),
        },
        Action::Dir {
            path: DIR.into(),
            mode: 0o755,
        },
        Action::Dir {
            path: format!("{DIR}/run"),
            mode: 0o755,
        },
        file(&format!("{DIR}/etc/hosts"), c.hosts(), 0o644),
        // The controller answers its own names and forwards the rest.
        file(
            &format!("{DIR}/etc/resolv.conf"),
            "nameserver 127.0.0.1\n",
            0o644,
        ),
        Action::Dir {
            path: at(tls.clone()),
            mode: 0o755,
        },
        kept(&at(c.ca_file()), pki.ca_pem, 0o644),
        kept(&at(tls.join("dc.pem")), pki.cert_pem, 0o644),
        kept(&at(tls.join("dc.key")), pki.key_pem, 0o600),
        Action::Enable("cartable-dc-reseau".into()),
        Action::Command {
            argv: vec![
                "ip".into(),
                "netns".into(),
                "exec".into(),
                NETNS.into(),
                "sh".into(),
                "-c".into(),
                c.provision_script(std::path::Path::new(ADMIN_SECRET)),
            ],
            input: c.realm.clone(),
        },
        Action::Command {
            argv: c.password_policy_argv(),
            input: String::new(),
        },
        sh(
            c.sync_account_script(std::path::Path::new(SECRET)),
            &c.realm,
        ),
        Action::Enable("cartable-dc".into()),
        // Windows-side password changes go back to the annuaire: syncpasswords is told which
        // script to hand them to, once the controller answers on its privileged socket.
        sh(
            format!(
                "for i in $(seq 1 60); do [ -S {s} ] && break; sleep 1; done\n{}",
                shell_words(&init),
                s = socket.display()
            ),
            &c.realm,
        ),
        Action::Line {
            path: "/etc/hosts".into(),
            line: format!("{} {} {}", c.address, c.fqdn(), c.host_name),
        },
        file("/etc/krb5.conf", c.krb5_conf(), 0o644),
        // The logon script every account of the domain runs (H:, classes, groups, commun).
        file(
            &at(c.netlogon_dir().join("cartable.cmd")),
            cartable_core::ad::account::netlogon_script(&domain(d)?),
            0o644,
        ),
    ];
    Ok(Step {
        id: "domaine",
        label: "Contrôleur de domaine (Samba AD)",
        actions,
    })
}

fn shell_words(argv: &[String]) -> String {
    let plain = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || ",._=/:%-+".contains(c))
    };
    argv.iter()
        .map(|w| {
            if plain(w) {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn domain(d: &Domaine) -> Result<cartable_core::ad::account::Domain, Error> {
    cartable_core::ad::account::Domain::new(&d.royaume, FILE_SERVER).map_err(|e| Error::Site {
        file: "site".into(),
        reason: e.to_string(),
    })
}

/// cartabled's `[domaine]` section.
pub fn config_section(d: &Domaine) -> String {
    let c = controller(d);
    format!(
        "\n[domaine]\nroyaume = \"{}\"\nurl = \"ldaps://{}\"\nca_file = \"{}\"\n\
         compte = \"{SYNC_ACCOUNT}@{}\"\npassword_file = \"{SECRET}\"\nserveur_fichiers = \"{FILE_SERVER}\"\n",
        c.realm,
        c.address,
        c.ca_file().display(),
        c.realm
    )
}

/// The file server joins the domain (its smb.conf written before), then winbind serves its ids.
pub fn join(d: &Domaine) -> Vec<Action> {
    vec![
        sh(
            format!("PASSWD=\"$(cat {ADMIN_SECRET})\" net ads join -U Administrator"),
            &d.royaume.to_ascii_uppercase(),
        ),
        Action::Enable("winbind".into()),
        // A standalone smbd (the package's) does not become a member by reloading.
        Action::Command {
            argv: words(&["systemctl", "restart", "smbd"]),
            input: d.royaume.to_ascii_uppercase(),
        },
    ]
}

/// Units started last, once cartabled runs.
pub fn units() -> Vec<Action> {
    vec![Action::Enable("cartable-dc-mots-de-passe".into())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cartabled_reads_the_controller_the_install_makes() {
        let d = Domaine {
            royaume: "college.lan".into(),
            adresse: "192.168.10.12".into(),
            interface: Some("eth0".into()),
            relais_dns: None,
        };
        let section = config_section(&d);
        assert!(section.contains("royaume = \"COLLEGE.LAN\""), "{section}");
        assert!(
            section.contains("url = \"ldaps://192.168.10.12\""),
            "{section}"
        );
        assert!(
            section.contains("compte = \"cartable-sync@COLLEGE.LAN\""),
            "{section}"
        );
        assert!(
            section.contains("ca_file = \"/var/lib/cartable-dc/tls/ca.pem\""),
            "{section}"
        );
    }
}
