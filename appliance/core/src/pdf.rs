//! Plain PDF with the standard Helvetica fonts in WinAnsi encoding (every French letter is
//! there; nothing embedded, any printer reads it): the pieces the login letters use, and a
//! paginated text document (a class's cahier de textes, an export).

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

pub(crate) const REGULAR: Name<'static> = Name(b"F1");
pub(crate) const BOLD: Name<'static> = Name(b"F2");
pub(crate) const MONO: Name<'static> = Name(b"F3");

/// Text as WinAnsi bytes (what the standard fonts read); a character outside it becomes `?`.
pub(crate) fn win(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| {
            let mut buf = [0u8; 4];
            let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
            if bad || bytes.len() != 1 {
                b'?'
            } else {
                bytes[0]
            }
        })
        .collect()
}

pub(crate) fn line(c: &mut Content, font: Name<'_>, size: f32, x: f32, y: f32, text: &str) {
    let bytes = win(text);
    c.begin_text();
    c.set_font(font, size);
    c.next_line(x, y);
    c.show(Str(&bytes));
    c.end_text();
}

/// A4 pages from their content streams, with the three fonts.
pub(crate) fn assemble(pages: &[Vec<u8>]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let fonts = [
        (REGULAR, Ref::new(3), b"Helvetica".as_slice()),
        (BOLD, Ref::new(4), b"Helvetica-Bold".as_slice()),
        (MONO, Ref::new(5), b"Courier-Bold".as_slice()),
    ];
    let ids: Vec<(Ref, Ref)> = (0..pages.len() as i32)
        .map(|i| (Ref::new(10 + 2 * i), Ref::new(11 + 2 * i)))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(ids.iter().map(|(p, _)| *p))
        .count(ids.len() as i32);
    for (_, id, base) in fonts {
        pdf.type1_font(id)
            .base_font(Name(base))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for (content, (page_id, content_id)) in pages.iter().zip(&ids) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, 595.0, 842.0));
        page.parent(tree);
        page.contents(*content_id);
        {
            let mut res = page.resources();
            let mut f = res.fonts();
            for (name, id, _) in fonts {
                f.pair(name, id);
            }
            f.finish();
        }
        page.finish();
        pdf.stream(*content_id, content);
    }
    pdf.finish()
}

/// The pages, each with « title — page 2 / 5 » at its foot, assembled.
fn numbered(pages: Vec<Content>, title: &str, left: f32) -> Vec<u8> {
    let n = pages.len();
    let streams: Vec<Vec<u8>> = pages
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            line(
                &mut c,
                REGULAR,
                8.0,
                left,
                30.0,
                &format!("{title} — page {} / {n}", i + 1),
            );
            c.finish().to_vec()
        })
        .collect();
    assemble(&streams)
}

/// One part of a document: a heading and its paragraphs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// Words wrapped to `width` characters (Helvetica 10 pt on A4 holds about 95).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.lines() {
        let mut cur = String::new();
        for word in raw.split_whitespace() {
            if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut cur));
            }
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
        }
        out.push(cur);
    }
    out
}

/// A text document: a title and subtitle on the first page, then sections, paginated, each
/// page numbered (« page 2 / 5 »).
pub fn document(title: &str, subtitle: &str, sections: &[Section]) -> Vec<u8> {
    enum Item {
        Heading(String),
        Text(String),
        Gap,
    }
    let mut items = Vec::new();
    for s in sections {
        items.push(Item::Heading(s.heading.clone()));
        for p in &s.paragraphs {
            items.extend(wrap(p, 95).into_iter().map(Item::Text));
        }
        items.push(Item::Gap);
    }
    let (left, top, bottom) = (56.0_f32, 786.0_f32, 60.0_f32);
    let mut pages: Vec<Content> = Vec::new();
    let mut c = Content::new();
    line(&mut c, BOLD, 16.0, left, top, title);
    line(&mut c, REGULAR, 10.0, left, top - 18.0, subtitle);
    let mut y = top - 48.0;
    for item in items {
        let (h, font, size, text) = match &item {
            Item::Heading(t) => (20.0, BOLD, 11.0, t.as_str()),
            Item::Text(t) => (13.0, REGULAR, 10.0, t.as_str()),
            Item::Gap => (8.0, REGULAR, 10.0, ""),
        };
        if y - h < bottom {
            pages.push(std::mem::replace(&mut c, Content::new()));
            y = top;
        }
        y -= h;
        if !text.is_empty() {
            line(&mut c, font, size, left, y, text);
        }
    }
    pages.push(c);
    numbered(pages, title, left)
}

/// A part of a report: a heading, a paragraph, or a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(String),
    Text(String),
    /// Column titles with their widths in points (the page holds 483), then the rows; a cell
    /// wraps within its column, a row is never cut across pages, the titles are repeated on a
    /// new page.
    Table {
        columns: Vec<(String, f32)>,
        rows: Vec<Vec<String>>,
    },
}

/// Characters of 9 pt Helvetica that fit in `width` points (an average letter is about half
/// its size wide).
fn fits(width: f32) -> usize {
    ((width - 6.0) / 4.7).max(4.0) as usize
}

fn rule(c: &mut Content, x: f32, y: f32, width: f32) {
    c.set_line_width(0.5);
    c.move_to(x, y);
    c.line_to(x + width, y);
    c.stroke();
}

/// A report (a bulletin, a council's figures): a title and subtitle, then blocks, paginated,
/// each page numbered.
pub fn report(title: &str, subtitle: &str, blocks: &[Block]) -> Vec<u8> {
    let (left, top, bottom) = (56.0_f32, 786.0_f32, 60.0_f32);
    let mut pages: Vec<Content> = Vec::new();
    let mut c = Content::new();
    line(&mut c, BOLD, 15.0, left, top, title);
    let mut y = top - 16.0;
    for sub in wrap(subtitle, 95) {
        line(&mut c, REGULAR, 10.0, left, y, &sub);
        y -= 13.0;
    }
    y -= 14.0;
    let mut new_page = |c: &mut Content, y: &mut f32| {
        pages.push(std::mem::replace(c, Content::new()));
        *y = top;
    };
    for b in blocks {
        match b {
            Block::Heading(t) => {
                if y - 34.0 < bottom {
                    new_page(&mut c, &mut y);
                }
                y -= 18.0;
                line(&mut c, BOLD, 11.0, left, y, t);
                y -= 4.0;
            }
            Block::Text(t) => {
                for l in wrap(t, 95) {
                    if y - 13.0 < bottom {
                        new_page(&mut c, &mut y);
                    }
                    y -= 13.0;
                    line(&mut c, REGULAR, 10.0, left, y, &l);
                }
            }
            Block::Table { columns, rows } => {
                let width: f32 = columns.iter().map(|(_, w)| w).sum();
                let header = |c: &mut Content, y: &mut f32| {
                    let mut x = left;
                    *y -= 12.0;
                    for (t, w) in columns {
                        line(c, BOLD, 8.5, x + 2.0, *y, t);
                        x += w;
                    }
                    *y -= 4.0;
                    rule(c, left, *y, width);
                };
                if y - 40.0 < bottom {
                    new_page(&mut c, &mut y);
                }
                header(&mut c, &mut y);
                for row in rows {
                    let cells: Vec<Vec<String>> = columns
                        .iter()
                        .zip(row.iter().chain(std::iter::repeat(&String::new())))
                        .map(|((_, w), t)| wrap(t, fits(*w)))
                        .collect();
                    let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
                    let h = lines as f32 * 11.0 + 5.0;
                    if y - h < bottom {
                        new_page(&mut c, &mut y);
                        header(&mut c, &mut y);
                    }
                    let mut x = left;
                    for ((_, w), cell) in columns.iter().zip(&cells) {
                        for (i, l) in cell.iter().enumerate() {
                            line(
                                &mut c,
                                REGULAR,
                                9.0,
                                x + 2.0,
                                y - 11.0 * (i as f32 + 1.0),
                                l,
                            );
                        }
                        x += w;
                    }
                    y -= h;
                    rule(&mut c, left, y, width);
                }
                y -= 6.0;
            }
        }
    }
    pages.push(c);
    numbered(pages, title, left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_documents_wrap_and_paginate() {
        let sections: Vec<Section> = (0..40)
            .map(|i| Section {
                heading: format!("Séance {i}"),
                paragraphs: vec!["Théorème de Pythagore : démonstration et exercices. ".repeat(6)],
            })
            .collect();
        let pdf = document("Cahier de textes — 6e A", "Année 2026-2027", &sections);
        assert!(pdf.starts_with(b"%PDF-"));
        // Each page, and the page tree (`/Type /Pages`).
        let pages = pdf.windows(11).filter(|w| w == b"/Type /Page").count() - 1;
        assert!(pages >= 3, "{pages} pages");
        assert_eq!(wrap("a b c", 3), ["a b", "c"]);
    }

    #[test]
    fn reports_keep_rows_whole_and_repeat_titles() {
        let rows: Vec<Vec<String>> = (0..80)
            .map(|i| {
                vec![
                    format!("Matière {i}"),
                    "12,5".to_owned(),
                    "Bon trimestre, des efforts réguliers à poursuivre. ".repeat(3),
                ]
            })
            .collect();
        let pdf = report(
            "Bulletin",
            "1er trimestre",
            &[
                Block::Heading("Résultats".into()),
                Block::Table {
                    columns: vec![
                        ("Matière".into(), 120.0),
                        ("Moyenne".into(), 60.0),
                        ("Appréciation".into(), 300.0),
                    ],
                    rows,
                },
                Block::Text("Avis du conseil : Félicitations".into()),
            ],
        );
        assert!(pdf.starts_with(b"%PDF-"));
        let pages = pdf.windows(11).filter(|w| w == b"/Type /Page").count() - 1;
        assert!(pages >= 3, "{pages} pages");
        // The column titles are written again on every page.
        let titles = pdf.windows(9).filter(|w| w == b"(Moyenne)").count();
        assert_eq!(titles, pages);
    }
}
