//! The UDT (UnDeuxTemps) CSV export, one line per hour:
//! `Jour;Heure;Div;Matière;Professeur;Salle;Groupe;Regroup;Eff;Mo;Freq;Aire` — with or
//! without that header, UTF-8 or the Windows encodings UDT writes, `;`-separated, values
//! quoted or not. Consecutive hours of the same course make one course. Every problem is
//! reported with its line; nothing is kept from a file with one.

use super::{Problem, RawCourse};
use crate::model::{Weeks, day_number, parse_time};

/// The columns, in UDT's order.
pub const COLUMNS: [&str; 12] = [
    "Jour",
    "Heure",
    "Div",
    "Matière",
    "Professeur",
    "Salle",
    "Groupe",
    "Regroup",
    "Eff",
    "Mo",
    "Freq",
    "Aire",
];

/// UTF-8 if it is, else Windows-1252 when it uses its 0x80–0x9F letters, else ISO-8859-15.
pub fn decode(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.trim_start_matches('\u{feff}').to_owned();
    }
    let enc = if bytes.iter().any(|b| (0x80..0xa0).contains(b)) {
        encoding_rs::WINDOWS_1252
    } else {
        encoding_rs::ISO_8859_15
    };
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// Upper case without accents, for comparing names and headers.
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect::<String>()
        .to_uppercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// UDT's week labels: H every week; Q1, A, SA → week A; Q2, B, SB → week B.
fn weeks(label: &str) -> Option<Weeks> {
    match fold(label).as_str() {
        "" | "H" | "HEBDO" | "TOUTES" => Some(Weeks::Every),
        "Q1" | "A" | "SA" | "SEM A" | "SEMAINE A" => Some(Weeks::A),
        "Q2" | "B" | "SB" | "SEM B" | "SEMAINE B" => Some(Weeks::B),
        _ => None,
    }
}

pub fn parse(bytes: &[u8]) -> Result<Vec<RawCourse>, Vec<Problem>> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut problems = Vec::new();
    let mut hours: Vec<(usize, RawCourse)> = Vec::new();
    let mut order: [usize; 12] = std::array::from_fn(|i| i);
    for (i, record) in reader.records().enumerate() {
        let line = i + 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem::at(line, format!("ligne illisible : {e}")));
                continue;
            }
        };
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let is_header = line == 1
            && cells.iter().any(|c| fold(c) == "JOUR")
            && cells.iter().any(|c| fold(c) == "HEURE");
        if is_header {
            // A header: columns may come in another order.
            for (k, name) in COLUMNS.iter().enumerate() {
                match cells.iter().position(|c| fold(c) == fold(name)) {
                    Some(p) => order[k] = p,
                    None if k <= 5 || k == 10 => problems.push(Problem::at(
                        line,
                        format!("colonne « {name} » absente de l'en-tête"),
                    )),
                    None => order[k] = usize::MAX,
                }
            }
            continue;
        }
        let cell = |k: usize| cells.get(order[k]).map(String::as_str).unwrap_or_default();
        let before = problems.len();
        let day = day_number(cell(0));
        if day.is_none() {
            problems.push(Problem::at(
                line,
                format!("Jour « {} » : lundi à samedi attendu", cell(0)),
            ));
        }
        let start = parse_time(cell(1));
        if start.is_none() {
            problems.push(Problem::at(
                line,
                format!("Heure « {} » : une heure comme 08h00 est attendue", cell(1)),
            ));
        }
        let w = weeks(cell(10));
        if w.is_none() {
            problems.push(Problem::at(
                line,
                format!(
                    "Freq « {} » : H (toutes les semaines), Q1 ou A, Q2 ou B attendu",
                    cell(10)
                ),
            ));
        }
        if cell(3).is_empty() {
            problems.push(Problem::at(line, "Matière vide".to_owned()));
        }
        let group = if cell(6).is_empty() { cell(7) } else { cell(6) };
        if cell(2).is_empty() && group.is_empty() {
            problems.push(Problem::at(
                line,
                "ni Div, ni Groupe, ni Regroup : pour qui est ce cours ?".to_owned(),
            ));
        }
        if problems.len() > before {
            continue;
        }
        let (Some(day), Some(start), Some(weeks)) = (day, start, w) else {
            continue;
        };
        hours.push((
            line,
            RawCourse {
                line,
                day,
                start,
                end: start + 60,
                weeks,
                subject: cell(3).to_owned(),
                teachers: if cell(4).is_empty() {
                    Vec::new()
                } else {
                    vec![cell(4).to_owned()]
                },
                class: cell(2).to_owned(),
                group: group.to_owned(),
                room: cell(5).to_owned(),
            },
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(merge(hours.into_iter().map(|(_, c)| c).collect()))
}

/// Consecutive hours of the same course become one course.
fn merge(mut hours: Vec<RawCourse>) -> Vec<RawCourse> {
    hours.sort_by(|a, b| {
        (
            a.day,
            &a.class,
            &a.group,
            &a.subject,
            &a.teachers,
            a.weeks.code(),
            a.start,
        )
            .cmp(&(
                b.day,
                &b.class,
                &b.group,
                &b.subject,
                &b.teachers,
                b.weeks.code(),
                b.start,
            ))
    });
    let mut out: Vec<RawCourse> = Vec::new();
    for h in hours {
        if let Some(last) = out.last_mut()
            && last.day == h.day
            && last.class == h.class
            && last.group == h.group
            && last.subject == h.subject
            && last.teachers == h.teachers
            && last.weeks == h.weeks
            && last.room == h.room
            && last.end == h.start
        {
            last.end = h.end;
            continue;
        }
        out.push(h);
    }
    out.sort_by_key(|c| (c.day, c.start, c.line));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_udt_sample_gives_sixteen_courses() {
        let bytes = include_bytes!(
            "../../../../tests/fixtures/siecle-sts-edt/timetable/udt/export_udt.csv"
        );
        let courses = parse(bytes).unwrap_or_default();
        assert_eq!(courses.len(), 16);
        // Two hours of French on Monday afternoon for 5B are one course.
        let french = courses
            .iter()
            .find(|c| c.day == 1 && c.class == "5B" && c.subject == "FRANC")
            .map(|c| (c.start, c.end));
        assert_eq!(french, Some((810, 930)));
        // ISO-8859-15 names decoded.
        assert!(courses.iter().any(|c| c.teachers == ["CANEVAS HÉLÈNE"]));
        // SVT half-groups alternate.
        let svt: Vec<_> = courses
            .iter()
            .filter(|c| c.subject == "SVT" && c.day == 2)
            .collect();
        assert_eq!(svt.len(), 2);
        assert!(
            svt.iter()
                .any(|c| c.group == "6AGR1" && c.weeks == Weeks::A)
        );
        assert!(
            svt.iter()
                .any(|c| c.group == "6AGR2" && c.weeks == Weeks::B)
        );
    }

    #[test]
    fn every_problem_names_its_line() {
        let text = "lundi;08h00;6A;FRANC;X;S1;;;;;H;\nlunid;08h00;6A;FRANC;X;S1;;;;;H;\n\
                    mardi;8h;6A;;X;S1;;;;;Z;\nmercredi;25h00;;MATHS;X;S1;;;;;H;\n";
        let problems = parse(text.as_bytes()).err().unwrap_or_default();
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 3, 4, 4], "{problems:?}");
        assert!(problems[0].message.contains("lunid"));
    }

    #[test]
    fn a_header_in_another_order() {
        let text = "Heure;Jour;Matière;Div;Professeur;Salle;Freq\n09h00;jeudi;MATHS;6A;X Y;S2;Q2\n";
        let c = parse(text.as_bytes()).unwrap_or_default();
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].day, c[0].start, c[0].weeks), (4, 540, Weeks::B));
    }
}
