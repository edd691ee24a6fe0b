//! The XML of one feed file, read as a stream of events (quick-xml, no DOM). The encoding is
//! the one the XML declaration names (UTF-8 or ISO-8859-15); no DTD is processed, no entity
//! other than XML's five and character references is accepted, so an entity bomb or an
//! external entity is refused rather than expanded. Every refusal names the file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Category, Operation, Record};
use crate::feed::FeedError;
use crate::feed::xml::{check_doctype, decode, resolve_ref};

/// Parses one file of the feed; `name` is only used in messages and records.
pub fn parse_bytes(name: &Path, bytes: &[u8]) -> Result<Vec<Record>, FeedError> {
    let text = decode(name, bytes)?;
    Parser {
        name: name.to_owned(),
        text: &text,
        line: 1,
        counted: 0,
    }
    .run()
}

fn err(name: &Path, line: Option<usize>, message: impl Into<String>) -> FeedError {
    FeedError::in_file(name, line, message)
}

struct Parser<'a> {
    name: PathBuf,
    text: &'a str,
    line: usize,
    counted: usize,
}

/// The request being read.
struct Pending {
    operation: Operation,
    line: usize,
    category: Option<Category>,
    id: Option<String>,
    attrs: BTreeMap<String, Vec<String>>,
    /// Attribute (or modification) whose values are being read.
    current: Option<String>,
    /// Text of the element being read (`value`, `id`).
    buffer: Option<String>,
}

impl Parser<'_> {
    /// Moves the line counter to a byte offset.
    fn advance(&mut self, offset: usize) {
        let offset = offset.min(self.text.len());
        if offset > self.counted {
            self.line += self.text.as_bytes()[self.counted..offset]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.counted = offset;
        }
    }

    fn fail(&self, message: impl Into<String>) -> FeedError {
        err(&self.name, Some(self.line), message)
    }

    fn attr_value(&self, e: &BytesStart<'_>, key: &str) -> Result<Option<String>, FeedError> {
        for a in e.attributes() {
            let a = a.map_err(|x| self.fail(format!("attribut XML mal formé : {x}")))?;
            if a.key.as_ref() == key {
                let v = a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|x| self.fail(format!("valeur d'attribut refusée : {x}")))?;
                return Ok(Some(v.into_owned()));
            }
        }
        Ok(None)
    }

    fn run(mut self) -> Result<Vec<Record>, FeedError> {
        let mut reader = Reader::from_str(self.text);
        reader.config_mut().check_end_names = true;
        let mut records = Vec::new();
        let mut stack: Vec<String> = Vec::new();
        let mut root_seen = false;
        let mut root_closed = false;
        let mut pending: Option<Pending> = None;

        loop {
            let before = reader.buffer_position() as usize;
            self.advance(before);
            let event = match reader.read_event() {
                Ok(e) => e,
                Err(e) => {
                    self.advance(reader.error_position() as usize);
                    return Err(self.fail(format!("XML mal formé : {e}")));
                }
            };
            match event {
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
                Event::DocType(d) => {
                    if let Some(m) = check_doctype(&d.xml10_content()) {
                        return Err(self.fail(m));
                    }
                }
                Event::Start(e) | Event::Empty(e) if root_closed => {
                    let n = e.name().as_ref().to_owned();
                    return Err(self.fail(format!("élément <{n}> après la fin du document")));
                }
                Event::Start(e) => {
                    let n = e.name().as_ref().to_owned();
                    self.start(&e, &n, &stack, &mut root_seen, &mut pending)?;
                    stack.push(n);
                }
                Event::Empty(e) => {
                    let n = e.name().as_ref().to_owned();
                    self.start(&e, &n, &stack, &mut root_seen, &mut pending)?;
                    stack.push(n);
                    self.end(&mut stack, &mut pending, &mut records, &mut root_closed)?;
                }
                Event::End(_) => {
                    self.end(&mut stack, &mut pending, &mut records, &mut root_closed)?;
                }
                Event::Text(t) => {
                    let s = t.xml10_content();
                    if stack.is_empty() && !s.trim().is_empty() {
                        return Err(
                            self.fail("ce fichier n'est pas un flux AAF : du texte au lieu de XML")
                        );
                    }
                    self.text_content(&s, &mut pending)?;
                }
                Event::CData(c) => {
                    let s = c.xml10_content().into_owned();
                    self.text_content(&s, &mut pending)?;
                }
                Event::GeneralRef(r) => {
                    let resolved = resolve_ref(&r).map_err(|m| self.fail(m))?;
                    self.text_content(&resolved, &mut pending)?;
                }
                Event::Eof => {
                    if !root_seen {
                        return Err(self.fail(
                            "ce fichier n'est pas un flux AAF (aucun élément <ficAlimMENESR>)",
                        ));
                    }
                    if !root_closed {
                        return Err(self.fail(
                            "fichier tronqué : la fin du document (</ficAlimMENESR>) manque",
                        ));
                    }
                    return Ok(records);
                }
            }
        }
    }

    fn start(
        &self,
        e: &BytesStart<'_>,
        name: &str,
        stack: &[String],
        root_seen: &mut bool,
        pending: &mut Option<Pending>,
    ) -> Result<(), FeedError> {
        let depth = stack.len();
        if depth == 0 {
            if name != "ficAlimMENESR" {
                return Err(self.fail(format!(
                    "ce fichier n'est pas un flux AAF : élément racine <{name}> au lieu de \
                     <ficAlimMENESR> (page d'erreur HTML à la place du fichier ?)"
                )));
            }
            *root_seen = true;
            return Ok(());
        }
        if depth == 1 {
            let operation = match name {
                "addRequest" => Operation::Add,
                "modifyRequest" => Operation::Modify,
                "deleteRequest" => Operation::Delete,
                other => return Err(self.fail(format!("élément <{other}> inattendu"))),
            };
            *pending = Some(Pending {
                operation,
                line: self.line,
                category: None,
                id: None,
                attrs: BTreeMap::new(),
                current: None,
                buffer: None,
            });
            return Ok(());
        }
        let Some(p) = pending.as_mut() else {
            return Err(self.fail(format!("élément <{name}> hors d'une requête")));
        };
        let parent = stack.last().map(String::as_str).unwrap_or_default();
        match (parent, name) {
            ("operationalAttributes" | "attributes", "attr") => {
                let key = self
                    .attr_value(e, "name")?
                    .ok_or_else(|| self.fail("<attr> sans attribut name"))?;
                p.current = Some(if parent == "operationalAttributes" {
                    format!("@{key}")
                } else {
                    key
                });
            }
            ("modifications", "modification") => {
                let key = self
                    .attr_value(e, "name")?
                    .ok_or_else(|| self.fail("<modification> sans attribut name"))?;
                let op = self.attr_value(e, "operation")?.unwrap_or_default();
                if op != "replace" {
                    return Err(self.fail(format!(
                        "modification « {op} » de {key} non prise en charge (replace attendu)"
                    )));
                }
                p.attrs.entry(key.clone()).or_default();
                p.current = Some(key);
            }
            ("attr" | "modification", "value") | ("identifier", "id") => {
                p.buffer = Some(String::new());
            }
            (
                "addRequest" | "modifyRequest" | "deleteRequest",
                "operationalAttributes" | "identifier" | "attributes" | "modifications",
            ) => {}
            (parent, other) => {
                return Err(self.fail(format!("élément <{other}> inattendu dans <{parent}>")));
            }
        }
        Ok(())
    }

    fn text_content(&self, s: &str, pending: &mut Option<Pending>) -> Result<(), FeedError> {
        match pending.as_mut().and_then(|p| p.buffer.as_mut()) {
            Some(buf) => {
                buf.push_str(s);
                Ok(())
            }
            None if s.trim().is_empty() => Ok(()),
            None => Err(self.fail(format!(
                "texte inattendu « {} »",
                s.trim().chars().take(40).collect::<String>()
            ))),
        }
    }

    fn end(
        &self,
        stack: &mut Vec<String>,
        pending: &mut Option<Pending>,
        records: &mut Vec<Record>,
        root_closed: &mut bool,
    ) -> Result<(), FeedError> {
        let Some(name) = stack.pop() else {
            return Err(self.fail("balise fermante sans ouvrante"));
        };
        match stack.len() {
            0 => *root_closed = true,
            1 => {
                if let Some(p) = pending.take() {
                    records.push(self.finish(p)?);
                }
            }
            _ => {
                if let Some(p) = pending.as_mut() {
                    match name.as_str() {
                        "value" => {
                            let v = p.buffer.take().unwrap_or_default();
                            let key = p.current.clone().unwrap_or_default();
                            if !v.trim().is_empty() {
                                p.attrs.entry(key).or_default().push(v.trim().to_owned());
                            } else {
                                p.attrs.entry(key).or_default();
                            }
                        }
                        "id" => p.id = p.buffer.take().map(|s| s.trim().to_owned()),
                        "attr" | "modification" => p.current = None,
                        _ => {}
                    }
                }
            }
        }
        Ok(())
    }

    fn finish(&self, mut p: Pending) -> Result<Record, FeedError> {
        let at = |m: String| err(&self.name, Some(p.line), m);
        let category = p
            .attrs
            .iter()
            .find(|(k, _)| k.starts_with("@categorie"))
            .and_then(|(_, v)| v.first())
            .cloned()
            .ok_or_else(|| at("requête sans catégorie (categoriePersonne...)".into()))?;
        p.category = Some(
            Category::parse(&category)
                .ok_or_else(|| at(format!("catégorie « {category} » inconnue")))?,
        );
        p.attrs.retain(|k, _| !k.starts_with('@'));
        let id =
            p.id.filter(|i| !i.is_empty())
                .ok_or_else(|| at("requête sans identifiant (identifier/id)".into()))?;
        let category = p.category.unwrap_or(Category::Eleve);
        if let Some(j) = p
            .attrs
            .get(category.jointure_attribute())
            .and_then(|v| v.first())
            && *j != id
        {
            return Err(at(format!(
                "l'identifiant {id} ne correspond pas à {} = {j}",
                category.jointure_attribute()
            )));
        }
        if !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(at(format!("identifiant « {id} » invalide")));
        }
        Ok(Record {
            operation: p.operation,
            category,
            id,
            attrs: p.attrs,
            file: self.name.clone(),
            line: p.line,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
        <!DOCTYPE ficAlimMENESR SYSTEM \"ficAlimMENESR.dtd\">\n<ficAlimMENESR>\n";
    const PUPIL: &str = "<addRequest><operationalAttributes><attr name=\"categoriePersonne\">\
        <value>Eleve</value></attr></operationalAttributes><identifier><id>3000001</id>\
        </identifier><attributes><attr name=\"ENTPersonJointure\"><value>3000001</value></attr>\
        <attr name=\"sn\"><value>D&apos;ALMEIDA &amp; FILS</value></attr></attributes></addRequest>\n";

    fn parse(s: &str) -> Result<Vec<Record>, FeedError> {
        parse_bytes(Path::new("f.xml"), s.as_bytes())
    }

    #[test]
    fn predefined_entities_are_decoded() {
        let r = parse(&format!("{HEAD}{PUPIL}</ficAlimMENESR>\n")).unwrap();
        assert_eq!(r[0].first("sn"), Some("D'ALMEIDA & FILS"));
        assert_eq!(r[0].line, 4);
    }

    #[test]
    fn truncated_file_is_refused_with_its_line() {
        let e = parse(&format!("{HEAD}{PUPIL}{PUPIL}")).unwrap_err();
        assert!(e.message.contains("tronqué"), "{e}");
        let cut = &format!("{HEAD}{PUPIL}")[..HEAD.len() + 60];
        let e = parse(cut).unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
    }

    #[test]
    fn entity_bomb_and_external_entity_are_refused() {
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE ficAlimMENESR [\n<!ENTITY a \"aaaaaaaaaa\">\n\
                    <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n<ficAlimMENESR>&b;</ficAlimMENESR>";
        let e = parse(bomb).unwrap_err();
        assert!(e.message.contains("DTD interne refusée"), "{e}");
        let external = "<?xml version=\"1.0\"?>\n<!DOCTYPE ficAlimMENESR [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<ficAlimMENESR>&x;</ficAlimMENESR>";
        assert!(parse(external).unwrap_err().message.contains("DTD interne"));
        let undeclared = format!("{HEAD}<addRequest>&x;</addRequest></ficAlimMENESR>");
        assert!(parse(&undeclared).unwrap_err().message.contains("entité"));
    }

    #[test]
    fn html_error_page_is_not_aaf() {
        let e = parse("<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>").unwrap_err();
        assert!(e.message.contains("n'est pas un flux AAF"), "{e}");
        let e = parse("Service indisponible").unwrap_err();
        assert!(e.message.contains("AAF"), "{e}");
    }

    #[test]
    fn identifier_must_match_the_jointure() {
        let wrong = PUPIL.replace("<id>3000001</id>", "<id>3000002</id>");
        let e = parse(&format!("{HEAD}{wrong}</ficAlimMENESR>")).unwrap_err();
        assert!(e.message.contains("ne correspond pas"), "{e}");
        assert_eq!(e.line, Some(4));
    }

    #[test]
    fn wrong_encodings_are_refused() {
        let latin = format!("{HEAD}{}</ficAlimMENESR>", PUPIL.replace("FILS", "FILS É"));
        let mut bytes = latin.into_bytes();
        // "É" in ISO-8859-15, in a file that says UTF-8.
        let at = bytes.windows(2).position(|w| w == "É".as_bytes()).unwrap();
        bytes.splice(at..at + 2, [0xC9u8]);
        let e = parse_bytes(Path::new("f.xml"), &bytes).unwrap_err();
        assert!(e.message.contains("UTF-8"), "{e}");
        assert_eq!(e.line, Some(4));
        let mislabeled = format!(
            "{}{PUPIL}É</ficAlimMENESR>",
            HEAD.replace("UTF-8", "ISO-8859-15")
        );
        assert!(
            parse(&mislabeled)
                .unwrap_err()
                .message
                .contains("il est en UTF-8")
        );
        let other = HEAD.replace("UTF-8", "UTF-16");
        assert!(
            parse(&format!("{other}</ficAlimMENESR>"))
                .unwrap_err()
                .message
                .contains("non pris en charge")
        );
    }

    #[test]
    fn latin9_file_is_decoded() {
        let text = format!(
            "{}{}</ficAlimMENESR>",
            HEAD.replace("UTF-8", "ISO-8859-15"),
            PUPIL.replace("FILS", "FILS ŒUVRE €")
        );
        let (bytes, _, _) = encoding_rs::ISO_8859_15.encode(&text);
        let r = parse_bytes(Path::new("f.xml"), &bytes).unwrap();
        assert_eq!(r[0].first("sn"), Some("D'ALMEIDA & FILS ŒUVRE €"));
    }
}
