//! A password changed on a Windows PC (Ctrl-Alt-Suppr, `kpasswd`) coming back to the
//! annuaire. The controller's `samba-tool user syncpasswords --script` hands one account's
//! LDIF to cartable on its standard input at each change; this reads it. The LDIF carries the
//! SHA-512-crypt hash the controller derives for the annuaire (`password hash userPassword
//! schemes = CryptSHA512`) and the NT hash — never the password itself.

use base64::Engine;

use crate::{Error, Result};

/// The most a change's LDIF may weigh: one account's attributes take about 2 KiB.
pub const MAX_LDIF: usize = 64 * 1024;

/// What one change says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub sam: String,
    /// `$6$…`, when the change carries a password.
    pub crypt: Option<String>,
    /// The NT hash in upper-case hex.
    pub nt: Option<String>,
    /// When AD set the password (unix seconds), from `pwdLastSet`.
    pub set_at: Option<i64>,
    /// The account was deleted in AD.
    pub deleted: bool,
    /// `msDS-KeyVersionNumber`: which write of the password this is.
    pub kvno: Option<i64>,
}

/// Seconds between 1601-01-01 (Windows FILETIME's origin) and 1970-01-01.
const FILETIME_TO_UNIX: i64 = 11_644_473_600;

fn bad(line: usize, reason: impl Into<String>) -> Error {
    Error::Invalid {
        field: "ldif",
        reason: format!("ligne {line} : {}", reason.into()),
    }
}

/// Reads one change. Continuation lines (a leading space) are joined; `attr:: base64` is
/// decoded; unknown attributes are ignored.
pub fn parse(ldif: &str) -> Result<Change> {
    if ldif.len() > MAX_LDIF {
        return Err(bad(0, format!("plus de {MAX_LDIF} octets")));
    }
    // Unfold.
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (i, raw) in ldif.lines().enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix(' ') {
            match lines.last_mut() {
                Some((_, l)) => l.push_str(rest),
                None => return Err(bad(i + 1, "suite d'une ligne absente")),
            }
        } else if !raw.is_empty() && !raw.starts_with('#') {
            lines.push((i + 1, raw.to_owned()));
        }
    }
    let mut change = Change {
        sam: String::new(),
        crypt: None,
        nt: None,
        set_at: None,
        deleted: false,
        kvno: None,
    };
    for (n, line) in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| bad(n, "« attribut: valeur » attendu"))?;
        let value: Vec<u8> = match value.strip_prefix(':') {
            Some(b64) => base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .map_err(|e| bad(n, format!("{name} : base64 illisible ({e})")))?,
            None => value.trim_start().as_bytes().to_vec(),
        };
        let text = || {
            String::from_utf8(value.clone()).map_err(|_| bad(n, format!("{name} : pas de l'UTF-8")))
        };
        match name.to_ascii_lowercase().as_str() {
            "samaccountname" => change.sam = text()?,
            "virtualcryptsha512" => {
                let v = text()?;
                let hash = v.strip_prefix("{CRYPT}").unwrap_or(&v).to_owned();
                if !crate::auth::password::is_crypt(&hash) || hash.len() > 200 {
                    return Err(bad(n, "empreinte SHA-512-crypt ($6$…) attendue"));
                }
                change.crypt = Some(hash);
            }
            "unicodepwd" => {
                if value.len() != 16 {
                    return Err(bad(n, "unicodePwd : 16 octets attendus"));
                }
                change.nt = Some(value.iter().map(|b| format!("{b:02X}")).collect());
            }
            "pwdlastset" => {
                let v: i64 = text()?
                    .parse()
                    .map_err(|_| bad(n, "pwdLastSet : un nombre attendu"))?;
                change.set_at = (v > 0).then(|| v / 10_000_000 - FILETIME_TO_UNIX);
            }
            "isdeleted" => change.deleted = text()?.eq_ignore_ascii_case("TRUE"),
            "msds-keyversionnumber" => {
                change.kvno = Some(
                    text()?
                        .parse()
                        .map_err(|_| bad(n, "msDS-KeyVersionNumber : un nombre attendu"))?,
                );
            }
            _ => {}
        }
    }
    if change.sam.is_empty() {
        return Err(bad(0, "sAMAccountName absent"));
    }
    Ok(change)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kpasswd_change_gives_the_hashes_and_when() {
        let ldif = "dn: CN=zoe.lefevre,OU=eleves,OU=cartable,DC=e2e,DC=test\n\
            objectGUID:: AAECAwQFBgcICQoLDA0ODw==\n\
            sAMAccountName: zoe.lefevre\n\
            pwdLastSet: 134093376000000000\n\
            msDS-KeyVersionNumber: 3\n\
            unicodePwd:: AAECAwQFBgcICQoLDA0ODw==\n\
            virtualCryptSHA512: {CRYPT}$6$rounds=5000$abc$de\n f\n";
        let c = parse(ldif).expect("parsed");
        assert_eq!(c.sam, "zoe.lefevre");
        assert_eq!(c.crypt.as_deref(), Some("$6$rounds=5000$abc$def"));
        assert_eq!(c.nt.as_deref(), Some("000102030405060708090A0B0C0D0E0F"));
        // 2025-12-04 16:00:00 UTC.
        assert_eq!(c.set_at, Some(1_764_864_000));
        assert!(!c.deleted);
        assert_eq!(c.kvno, Some(3));
    }

    #[test]
    fn a_change_without_password_is_read_and_bad_ldif_names_its_line() {
        let c = parse("dn: CN=x\nsAMAccountName: x\nuserAccountControl: 66050\n").expect("ok");
        assert_eq!(c.crypt, None);
        for (ldif, line) in [
            (
                "dn: CN=x\nsAMAccountName: x\nunicodePwd:: AAEC\n",
                "ligne 3",
            ),
            ("dn: CN=x\nsAMAccountName x\n", "ligne 2"),
            (
                "dn: CN=x\nvirtualCryptSHA512: {SSHA}abc\nsAMAccountName: x\n",
                "ligne 2",
            ),
            (" suite\n", "ligne 1"),
            ("dn: CN=x\n", "sAMAccountName"),
        ] {
            let e = parse(ldif).expect_err(ldif).to_string();
            assert!(e.contains(line), "{ldif}: {e}");
        }
        assert!(parse(&"a".repeat(MAX_LDIF + 1)).is_err());
    }
}
