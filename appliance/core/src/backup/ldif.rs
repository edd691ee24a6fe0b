//! LDIF (RFC 2849) for the directory's part of a backup: one entry per paragraph, `attr: value`,
//! or `attr:: base64` when the value is not plain text (password hashes, binary values). Only
//! what this module writes needs to be read back, but standard readers (ldapadd, slapadd)
//! take it too.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// One entry: its DN and its values, each attribute's in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LdifEntry {
    pub dn: String,
    pub attrs: Vec<(String, Vec<Vec<u8>>)>,
}

/// Whether a value can be written as is (RFC 2849 SAFE-STRING).
fn safe(v: &[u8]) -> bool {
    match v.first() {
        None => true,
        Some(b' ' | b':' | b'<') => false,
        Some(_) => {
            v.last() != Some(&b' ')
                && v.iter()
                    .all(|&b| (0x01..=0x7f).contains(&b) && b != b'\n' && b != b'\r')
        }
    }
}

fn line(out: &mut String, name: &str, v: &[u8]) {
    if safe(v) {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(&String::from_utf8_lossy(v));
    } else {
        out.push_str(name);
        out.push_str(":: ");
        out.push_str(&STANDARD.encode(v));
    }
    out.push('\n');
}

pub fn write(entries: &[LdifEntry]) -> String {
    let mut out = String::from("version: 1\n\n");
    for e in entries {
        line(&mut out, "dn", e.dn.as_bytes());
        for (name, values) in &e.attrs {
            for v in values {
                line(&mut out, name, v);
            }
        }
        out.push('\n');
    }
    out
}

/// Reads LDIF back; an error names the line.
pub fn parse(text: &str) -> Result<Vec<LdifEntry>, String> {
    let mut out = Vec::new();
    let mut current: Option<LdifEntry> = None;
    // Unfold continuation lines (a leading space continues the previous line).
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if let Some(rest) = l.strip_prefix(' ')
            && let Some((_, prev)) = lines.last_mut()
        {
            prev.push_str(rest);
            continue;
        }
        lines.push((i + 1, l.to_owned()));
    }
    for (n, l) in lines {
        if l.is_empty() {
            if let Some(e) = current.take() {
                out.push(e);
            }
            continue;
        }
        if l.starts_with('#') || l.starts_with("version:") {
            continue;
        }
        let (name, value) = if let Some((name, b64)) = l.split_once(":: ") {
            let v = STANDARD
                .decode(b64.trim())
                .map_err(|e| format!("ligne {n} : base64 invalide ({e})"))?;
            (name.to_owned(), v)
        } else if let Some((name, v)) = l.split_once(": ") {
            (name.to_owned(), v.as_bytes().to_vec())
        } else if let Some(name) = l.strip_suffix(':') {
            (name.to_owned(), Vec::new())
        } else {
            return Err(format!("ligne {n} : « attribut: valeur » attendu"));
        };
        if name.eq_ignore_ascii_case("dn") {
            if let Some(e) = current.take() {
                out.push(e);
            }
            current = Some(LdifEntry {
                dn: String::from_utf8(value).map_err(|_| format!("ligne {n} : DN non UTF-8"))?,
                attrs: Vec::new(),
            });
            continue;
        }
        let e = current
            .as_mut()
            .ok_or_else(|| format!("ligne {n} : attribut avant le premier « dn: »"))?;
        match e
            .attrs
            .iter_mut()
            .find(|(a, _)| a.eq_ignore_ascii_case(&name))
        {
            Some((_, vs)) => vs.push(value),
            None => e.attrs.push((name, vec![value])),
        }
    }
    if let Some(e) = current {
        out.push(e);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_back_as_they_went() -> Result<(), String> {
        let entries = vec![LdifEntry {
            dn: "uid=lea.martin,ou=people,dc=college,dc=fr".into(),
            attrs: vec![
                (
                    "objectClass".into(),
                    vec![b"inetOrgPerson".to_vec(), b"posixAccount".to_vec()],
                ),
                ("cn".into(), vec!["Léa MARTIN".as_bytes().to_vec()]),
                (
                    "userPassword".into(),
                    vec![b"{ARGON2}$argon2id$v=19$m=65536".to_vec()],
                ),
                (
                    "description".into(),
                    vec![b" espace devant".to_vec(), b":deux-points".to_vec()],
                ),
                ("jpegPhoto".into(), vec![vec![0, 255, 10, 13]]),
            ],
        }];
        let text = write(&entries);
        assert!(text.contains("cn:: "), "non-ASCII is base64: {text}");
        assert!(text.contains("objectClass: posixAccount"));
        assert_eq!(parse(&text)?, entries);
        assert!(parse("cn: x\n").unwrap_err().contains("ligne 1"));
        Ok(())
    }
}
