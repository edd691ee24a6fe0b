//! What every outside XML file goes through: decoding as its declaration says (UTF-8 or
//! ISO-8859-15), no DTD, no entity but XML's five and character references — so an entity bomb
//! or an external entity is refused, never expanded — and every refusal names file and line.
//! `parse_tree` builds a small element tree for the exports read whole (SIECLE, STS-web:
//! a few megabytes at most); the AAF feed, which can be large, is streamed instead.

use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::FeedError;

fn err(name: &Path, line: Option<usize>, message: impl Into<String>) -> FeedError {
    FeedError::in_file(name, line, message)
}

pub fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The encoding the XML declaration names (UTF-8 when none).
fn declared_encoding(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(200)];
    let head = String::from_utf8_lossy(head);
    let Some(decl) = head
        .strip_prefix("<?xml")
        .and_then(|r| r.split("?>").next())
    else {
        return "utf-8".to_owned();
    };
    decl.split("encoding")
        .nth(1)
        .and_then(|r| r.split(['"', '\'']).nth(1))
        .map(|e| e.trim().to_ascii_lowercase())
        .unwrap_or_else(|| "utf-8".to_owned())
}

/// The file as UTF-8 text, decoded as it says it is encoded.
pub fn decode(name: &Path, bytes: &[u8]) -> Result<String, FeedError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match declared_encoding(bytes).as_str() {
        "utf-8" | "utf8" => match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_owned()),
            Err(e) => Err(err(
                name,
                Some(line_at(bytes, e.valid_up_to())),
                "encodage incorrect : le fichier se déclare UTF-8 mais contient des octets \
                 qui n'en sont pas (ISO-8859-15 ?)",
            )),
        },
        label @ ("iso-8859-15" | "iso8859-15" | "latin-9" | "iso-8859-1" | "latin-1") => {
            let non_ascii = bytes.iter().any(|b| !b.is_ascii());
            if non_ascii && std::str::from_utf8(bytes).is_ok() {
                // French text in Latin-9 is almost never valid UTF-8: this one is UTF-8 with
                // the wrong declaration, and decoding it would garble every accent.
                return Err(err(
                    name,
                    Some(1),
                    format!(
                        "encodage incorrect : le fichier se déclare {label} mais il est en UTF-8"
                    ),
                ));
            }
            let encoding = if label.ends_with("15") || label == "latin-9" {
                encoding_rs::ISO_8859_15
            } else {
                encoding_rs::WINDOWS_1252
            };
            let (text, _, _) = encoding.decode(bytes);
            Ok(text.into_owned())
        }
        other => Err(err(
            name,
            Some(1),
            format!("encodage « {other} » non pris en charge (UTF-8 ou ISO-8859-15 attendu)"),
        )),
    }
}

/// A refused DTD, or `None` when the doctype declares nothing.
pub fn check_doctype(content: &str) -> Option<&'static str> {
    (content.contains('[') || content.contains("ENTITY")).then_some(
        "DTD interne refusée : ces fichiers ne déclarent pas d'entités \
         (protection contre l'expansion d'entités)",
    )
}

/// Resolves `&name;` or `&#…;`: XML's five entities and character references only.
pub fn resolve_ref(r: &quick_xml::events::BytesRef<'_>) -> Result<String, String> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => Ok(c.to_string()),
        Ok(None) => match &**r {
            "amp" => Ok("&".into()),
            "lt" => Ok("<".into()),
            "gt" => Ok(">".into()),
            "apos" => Ok("'".into()),
            "quot" => Ok("\"".into()),
            other => Err(format!(
                "entité « &{other}; » refusée : seules les entités XML prédéfinies sont admises"
            )),
        },
        Err(e) => Err(format!("référence de caractère invalide : {e}")),
    }
}

/// One element of a parsed file.
#[derive(Debug, Clone, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// Its own text, trimmed.
    pub text: String,
    pub children: Vec<Element>,
    /// 1-based line of its start tag.
    pub line: usize,
}

impl Element {
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The children found by following `path` (each step a child name), at any count.
    pub fn each<'a>(&'a self, path: &[&'a str]) -> Vec<&'a Element> {
        let mut here = vec![self];
        for step in path {
            here = here.into_iter().flat_map(|e| e.all(step)).collect();
        }
        here
    }

    /// Text of a child; absent and empty are the same (SIECLE writes both).
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.as_str())
            .filter(|t| !t.is_empty())
    }
}

/// Deepest nesting accepted: the exports go six levels down; more is not one of them.
const MAX_DEPTH: usize = 32;

/// Parses a whole file into a tree. `what` names the expected kind of file in messages.
pub fn parse_tree(name: &Path, bytes: &[u8], what: &str) -> Result<Element, FeedError> {
    let text = decode(name, bytes)?;
    let name: PathBuf = name.to_owned();
    let mut reader = Reader::from_str(&text);
    reader.config_mut().check_end_names = true;
    let mut line = 1usize;
    let mut counted = 0usize;
    let advance = |line: &mut usize, counted: &mut usize, offset: usize| {
        let offset = offset.min(text.len());
        if offset > *counted {
            *line += text.as_bytes()[*counted..offset]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            *counted = offset;
        }
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        advance(&mut line, &mut counted, reader.buffer_position() as usize);
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                advance(&mut line, &mut counted, reader.error_position() as usize);
                return Err(err(&name, Some(line), format!("XML mal formé : {e}")));
            }
        };
        let fail = |m: String| err(&name, Some(line), m);
        match event {
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::DocType(d) => {
                if let Some(m) = check_doctype(&d.xml10_content()) {
                    return Err(fail(m.to_owned()));
                }
            }
            Event::Start(e) | Event::Empty(e) if root.is_some() => {
                let n = e.name().as_ref().to_owned();
                return Err(fail(format!("élément <{n}> après la fin du document")));
            }
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(fail("éléments imbriqués trop profondément".into()));
                }
                stack.push(open(&e, line).map_err(fail)?);
            }
            Event::Empty(e) => {
                let el = open(&e, line).map_err(fail)?;
                close(el, &mut stack, &mut root);
            }
            Event::End(_) => {
                let Some(mut el) = stack.pop() else {
                    return Err(fail("balise fermante sans ouvrante".into()));
                };
                el.text = el.text.trim().to_owned();
                close(el, &mut stack, &mut root);
            }
            Event::Text(t) => {
                let s = t.xml10_content();
                match stack.last_mut() {
                    Some(el) => el.text.push_str(&s),
                    None if s.trim().is_empty() => {}
                    None => {
                        return Err(fail(format!(
                            "ce fichier n'est pas un fichier {what} : du texte au lieu de XML"
                        )));
                    }
                }
            }
            Event::CData(c) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&c.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let s = resolve_ref(&r).map_err(fail)?;
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&s);
                }
            }
            Event::Eof => {
                return match root {
                    Some(r) => Ok(r),
                    None if stack.is_empty() => Err(fail(format!(
                        "ce fichier n'est pas un fichier {what} : aucun élément XML"
                    ))),
                    None => Err(fail(format!(
                        "fichier tronqué : la fin du document (</{}>) manque",
                        stack.first().map(|e| e.name.as_str()).unwrap_or_default()
                    ))),
                };
            }
        }
    }
}

fn open(e: &BytesStart<'_>, line: usize) -> Result<Element, String> {
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|x| format!("attribut XML mal formé : {x}"))?;
        let v = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|x| format!("valeur d'attribut refusée : {x}"))?;
        attrs.push((a.key.as_ref().to_owned(), v.into_owned()));
    }
    Ok(Element {
        name: e.name().as_ref().to_owned(),
        attrs,
        text: String::new(),
        children: Vec::new(),
        line,
    })
}

fn close(el: Element, stack: &mut [Element], root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(s: &str) -> Result<Element, FeedError> {
        parse_tree(Path::new("t.xml"), s.as_bytes(), "SIECLE")
    }

    #[test]
    fn reads_elements_attributes_and_lines() -> Result<(), FeedError> {
        let t = tree("<?xml version=\"1.0\"?>\n<A X=\"1\">\n  <B>t &amp; u</B>\n  <B/>\n</A>\n")?;
        assert_eq!(t.attr("X"), Some("1"));
        assert_eq!(t.all("B").count(), 2);
        assert_eq!(t.text_of("B"), Some("t & u"));
        assert_eq!(t.children[0].line, 3);
        Ok(())
    }

    #[test]
    fn refuses_entities_truncation_and_text() {
        let bomb = "<!DOCTYPE A [<!ENTITY a \"aaaa\">]>\n<A>&a;</A>";
        assert!(tree(bomb).is_err_and(|e| e.message.contains("DTD")));
        assert!(tree("<A>&ext;</A>").is_err_and(|e| e.message.contains("entité")));
        assert!(tree("<A>\n<B>").is_err_and(|e| e.message.contains("tronqué")));
        assert!(tree("Bad gateway").is_err_and(|e| e.message.contains("pas un fichier SIECLE")));
    }
}
