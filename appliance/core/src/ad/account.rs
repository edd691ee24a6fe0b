//! How an annuaire account and a class or group are written into AD: the names AD accepts, the
//! password as `unicodePwd`, the account control flags, the entry's DN and attributes. AD itself
//! accepts a 21-character or accented `sAMAccountName` and an enabled account without a password
//! (measured with Samba 4.17): cartable refuses them here, before anything reaches the domain.

use crate::directory::{AccountState, Person, Profile};
use crate::{Error, Result};

/// NORMAL_ACCOUNT (512) + DONT_EXPIRE_PASSWORD (65536): the ENT, not AD, decides when a password
/// changes.
pub const UAC_ENABLED: u32 = 66_048;
/// ACCOUNTDISABLE: Kerberos says « credentials revoked », SMB `NT_STATUS_ACCOUNT_DISABLED`.
pub const UAC_DISABLE: u32 = 2;
/// A global security group.
pub const GROUP_TYPE_GLOBAL_SECURITY: i64 = -2_147_483_646;
/// The logon script every account runs from the controller's `netlogon` share.
pub const NETLOGON_SCRIPT: &str = "cartable.cmd";

/// The logon script: the class, group and common shares of the file server as drives (the
/// home is H:, from `homeDirectory`). Windows wants CRLF.
pub fn netlogon_script(domain: &Domain) -> String {
    let fs = &domain.file_server;
    [
        "@echo off",
        "rem Écrit par cartable : les partages de l'établissement à l'ouverture de session.",
        &format!("net use S: \\\\{fs}\\classes /persistent:no >nul 2>&1"),
        &format!("net use G: \\\\{fs}\\groupes /persistent:no >nul 2>&1"),
        &format!("net use P: \\\\{fs}\\commun /persistent:no >nul 2>&1"),
        "",
    ]
    .join("\r\n")
}

/// The longest `sAMAccountName` Windows logs on with.
pub const MAX_SAM: usize = 20;

/// The domain's names, from the site file's realm (`COLLEGE.AC-EXEMPLE.FR`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    /// Upper case, as Kerberos writes it.
    pub realm: String,
    /// `DC=college,DC=ac-exemple,DC=fr`.
    pub base_dn: String,
    /// The member server serving homes (`fs`): `\\fs\<login>`.
    pub file_server: String,
}

impl Domain {
    pub fn new(realm: &str, file_server: &str) -> Result<Self> {
        let realm = realm.trim().to_ascii_uppercase();
        let labels: Vec<&str> = realm.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        };
        if labels.len() < 2 || !labels.iter().all(label_ok) {
            return Err(Error::Invalid {
                field: "domaine.royaume",
                reason: format!(
                    "« {realm} » : un nom DNS d'au moins deux parties (COLLEGE.EXEMPLE.FR)"
                ),
            });
        }
        let host_ok = !file_server.is_empty()
            && file_server.len() <= 15
            && file_server
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !host_ok {
            return Err(Error::Invalid {
                field: "domaine.serveur_fichiers",
                reason: format!(
                    "« {file_server} » : un nom de machine NetBIOS (15 caractères au plus)"
                ),
            });
        }
        Ok(Self {
            base_dn: labels
                .iter()
                .map(|l| format!("DC={}", l.to_ascii_lowercase()))
                .collect::<Vec<_>>()
                .join(","),
            realm,
            file_server: file_server.to_ascii_lowercase(),
        })
    }

    /// The domain's NetBIOS name (`COLLEGE`): the realm's first label, 15 characters at most,
    /// as `samba-tool domain provision` makes it.
    pub fn netbios(&self) -> String {
        let mut n = self.realm.split('.').next().unwrap_or_default().to_owned();
        n.truncate(15);
        n
    }

    /// The OU cartable owns, under which every account and group it writes lives.
    pub fn root(&self) -> String {
        format!("OU=cartable,{}", self.base_dn)
    }
}

/// The `sAMAccountName` for a login: the login itself if Windows can log on with it (20 ASCII
/// letters, digits, `.`, `-`, `_` at most, not ending with a dot), else refused.
pub fn sam_account_name(login: &str) -> Result<&str> {
    let ok = !login.is_empty()
        && login.len() <= MAX_SAM
        && !login.ends_with('.')
        && login
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if ok {
        Ok(login)
    } else {
        Err(Error::Invalid {
            field: "sAMAccountName",
            reason: format!(
                "« {login} » : {MAX_SAM} caractères ASCII au plus (lettres, chiffres, . - _) pour ouvrir une session Windows"
            ),
        })
    }
}

/// A password as AD takes it over LDAPS: UTF-16LE of the password in double quotes (an
/// accented password keeps its accents: the KDC derives AES keys from it).
pub fn unicode_pwd(password: &str) -> Vec<u8> {
    format!("\"{password}\"")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect()
}

pub fn uac(state: AccountState) -> u32 {
    match state {
        AccountState::Active => UAC_ENABLED,
        AccountState::Disabled | AccountState::Deleted => UAC_ENABLED | UAC_DISABLE,
    }
}

/// The OU of a profile's accounts (GPOs link to these; classes are groups, since a pupil changes
/// class every year).
pub fn ou_of(profile: Profile) -> &'static str {
    match profile {
        Profile::Eleve => "eleves",
        Profile::Enseignant => "enseignants",
        Profile::Responsable => "responsables",
        _ => "personnels",
    }
}

/// One attribute and its values, as LDAP carries them.
pub type Attribute = (&'static str, Vec<Vec<u8>>);

/// An entry to add: its DN and attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub dn: String,
    pub attributes: Vec<Attribute>,
}

impl Entry {
    pub fn get(&self, name: &str) -> Option<&[Vec<u8>]> {
        self.attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
}

fn text(v: &str) -> Vec<Vec<u8>> {
    vec![v.as_bytes().to_vec()]
}

/// The POSIX identity the annuaire gave an account: the same numbers in AD, so that files keep
/// their owners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PosixIds {
    pub uid: u32,
    pub gid: u32,
}

/// A user's entry. `anchor` is the stable ENT id (`employeeID`) the comparison finds him by;
/// `password`, when the ENT has just set it, goes in the same add. Parents get no domain
/// account (they never log on to a school PC): refused.
pub fn user_entry(
    domain: &Domain,
    person: &Person,
    anchor: &str,
    ids: PosixIds,
    password: Option<&str>,
) -> Result<Entry> {
    if person.profile == Profile::Responsable {
        return Err(Error::Invalid {
            field: "profil",
            reason: "les responsables n'ont pas de compte dans le domaine".to_owned(),
        });
    }
    let login = person.login.as_str();
    let sam = sam_account_name(login)?;
    let dn = format!("CN={sam},OU={},{}", ou_of(person.profile), domain.root());
    let mut attributes: Vec<Attribute> = vec![
        (
            "objectClass",
            vec![
                b"top".to_vec(),
                b"person".to_vec(),
                b"organizationalPerson".to_vec(),
                b"user".to_vec(),
            ],
        ),
        ("sAMAccountName", text(sam)),
        (
            "userPrincipalName",
            text(&format!("{sam}@{}", domain.realm)),
        ),
        ("employeeID", text(anchor)),
        ("givenName", text(&person.given_name)),
        ("sn", text(&person.family_name)),
        ("displayName", text(&person.display_name())),
        ("uidNumber", text(&ids.uid.to_string())),
        ("gidNumber", text(&ids.gid.to_string())),
        (
            "unixHomeDirectory",
            text(&format!("/home/{}/{sam}", ou_of(person.profile))),
        ),
        ("loginShell", text("/bin/bash")),
        (
            "homeDirectory",
            text(&format!("\\\\{}\\{sam}", domain.file_server)),
        ),
        ("homeDrive", text("H:")),
        ("scriptPath", text(NETLOGON_SCRIPT)),
        ("userAccountControl", text(&uac(person.state).to_string())),
    ];
    if let Some(p) = password {
        attributes.push(("unicodePwd", vec![unicode_pwd(p)]));
    }
    Ok(Entry { dn, attributes })
}

/// A class's or group's entry (`c-5b`, `g-4-esp`), with its members' DNs (added once they
/// exist).
pub fn group_entry(
    domain: &Domain,
    sam: &str,
    label: &str,
    gid: u32,
    members: &[String],
) -> Result<Entry> {
    let sam = sam_account_name(sam)?;
    let mut attributes: Vec<Attribute> = vec![
        ("objectClass", vec![b"top".to_vec(), b"group".to_vec()]),
        ("sAMAccountName", text(sam)),
        ("description", text(label)),
        ("groupType", text(&GROUP_TYPE_GLOBAL_SECURITY.to_string())),
        ("gidNumber", text(&gid.to_string())),
    ];
    if !members.is_empty() {
        attributes.push((
            "member",
            members.iter().map(|m| m.as_bytes().to_vec()).collect(),
        ));
    }
    Ok(Entry {
        dn: format!("CN={sam},OU=groupes,{}", domain.root()),
        attributes,
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::directory::Login;

    pub(in crate::ad) fn pupil(login: &str, state: AccountState) -> Person {
        Person {
            login: Login::parse(login).expect("login"),
            jointure: None,
            profile: Profile::Eleve,
            given_name: "Zoé".into(),
            family_name: "LEFÈVRE".into(),
            email: None,
            state,
            state_since: 0,
            must_change_password: false,
            birth_date: None,
            last_login: None,
        }
    }

    #[test]
    fn the_domain_names_come_from_the_realm() {
        let d = Domain::new("college.ac-exemple.fr", "fs").expect("domain");
        assert_eq!(d.realm, "COLLEGE.AC-EXEMPLE.FR");
        assert_eq!(d.base_dn, "DC=college,DC=ac-exemple,DC=fr");
        assert_eq!(d.root(), "OU=cartable,DC=college,DC=ac-exemple,DC=fr");
        for bad in ["college", "col lege.fr", "-x.fr", "a..fr"] {
            let e = Domain::new(bad, "fs").expect_err(bad).to_string();
            assert!(e.contains("domaine.royaume"), "{e}");
        }
        assert!(Domain::new("c.fr", "serveur-de-fichiers").is_err());
    }

    #[test]
    fn windows_names_are_twenty_ascii_characters_at_most() {
        assert_eq!(sam_account_name("zoe.lefevre").ok(), Some("zoe.lefevre"));
        assert!(sam_account_name("a".repeat(20).as_str()).is_ok());
        for bad in [
            "a".repeat(21).as_str(),
            "zoé.lefèvre",
            "zoe.",
            "",
            "zoe lefevre",
        ] {
            assert!(sam_account_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_are_utf16_in_quotes() {
        assert_eq!(unicode_pwd("é1"), vec![b'"', 0, 0xE9, 0, b'1', 0, b'"', 0]);
    }

    #[test]
    fn a_pupil_is_written_with_his_annuaire_ids_and_home() {
        let d = Domain::new("e2e.test", "fs").expect("domain");
        let e = user_entry(
            &d,
            &pupil("zoe.lefevre", AccountState::Active),
            "4821",
            PosixIds {
                uid: 20001,
                gid: 10513,
            },
            Some("Été-2026"),
        )
        .expect("entry");
        assert_eq!(e.dn, "CN=zoe.lefevre,OU=eleves,OU=cartable,DC=e2e,DC=test");
        let one = |n: &str| String::from_utf8(e.get(n).expect(n)[0].clone()).expect("utf8");
        assert_eq!(one("userPrincipalName"), "zoe.lefevre@E2E.TEST");
        assert_eq!(one("uidNumber"), "20001");
        assert_eq!(one("homeDirectory"), "\\\\fs\\zoe.lefevre");
        assert_eq!(one("homeDrive"), "H:");
        assert_eq!(one("scriptPath"), "cartable.cmd");
        let script = netlogon_script(&d);
        assert!(
            script.contains("net use S: \\\\fs\\classes /persistent:no"),
            "{script}"
        );
        assert!(script.ends_with("\r\n"));
        assert_eq!(one("userAccountControl"), "66048");
        assert_eq!(one("sn"), "LEFÈVRE");
        assert_eq!(
            e.get("unicodePwd").expect("pwd")[0],
            unicode_pwd("Été-2026")
        );
        // Disabled: the flag AD refuses logons on; no password: nothing sent.
        let off = user_entry(
            &d,
            &pupil("zoe.lefevre", AccountState::Disabled),
            "4821",
            PosixIds {
                uid: 20001,
                gid: 10513,
            },
            None,
        )
        .expect("entry");
        assert!(off.get("unicodePwd").is_none());
        assert_eq!(
            off.get("userAccountControl").expect("uac")[0],
            b"66050".to_vec()
        );
        // A login Windows cannot log on with (the annuaire takes it): refused before AD.
        assert!(
            user_entry(
                &d,
                &pupil("zoe.", AccountState::Active),
                "1",
                PosixIds { uid: 1, gid: 1 },
                None
            )
            .is_err()
        );
        let g = group_entry(&d, "c-5b", "5e B", 30005, std::slice::from_ref(&e.dn)).expect("group");
        assert_eq!(g.dn, "CN=c-5b,OU=groupes,OU=cartable,DC=e2e,DC=test");
        assert_eq!(g.get("member").expect("member")[0], e.dn.as_bytes());
    }
}
