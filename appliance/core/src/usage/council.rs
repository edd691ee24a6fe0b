//! The conseil d'administration's report: the year's usage in a few figures and tables the
//! direction presents, the same on the page and in the PDF. Built from [`YearUsage`] and the
//! accounts; small counts masked as everywhere.

use super::Device;
use super::grid::{MIN_SHOWN, masked, shown};
use super::labels::{profile_label, service_label};
use super::report::{Accounts, YearUsage};
use super::year::year_label;
use crate::charts::thousands;
use crate::pdf::Block;

/// One part of the report: a heading, sentences, and maybe a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub heading: String,
    pub sentences: Vec<String>,
    /// Column titles, then rows.
    pub table: Option<(Vec<String>, Vec<Vec<String>>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Council {
    pub title: String,
    pub subtitle: String,
    pub parts: Vec<Part>,
}

fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 {
        "—".to_owned()
    } else {
        format!("{} %", (part * 100 + whole / 2) / whole)
    }
}

pub fn build(etablissement: &str, u: &YearUsage, accounts: &[Accounts], today: &str) -> Council {
    let mut parts = Vec::new();

    // Accounts.
    let rows: Vec<Vec<String>> = accounts
        .iter()
        .map(|a| {
            vec![
                profile_label(a.profile.as_str()),
                shown(a.active as i64),
                shown(a.signed_in as i64),
                if (a.active as i64) < MIN_SHOWN {
                    "—".to_owned()
                } else {
                    percent(a.signed_in as i64, a.active as i64)
                },
            ]
        })
        .collect();
    let mut sentences = Vec::new();
    if let Some(p) = accounts
        .iter()
        .find(|a| a.profile == crate::directory::Profile::Responsable)
        .filter(|p| p.active as i64 >= MIN_SHOWN)
    {
        sentences.push(format!(
            "{} des parents ont ouvert leur compte\u{a0}; {} ne se sont jamais connectés.",
            percent(p.signed_in as i64, p.active as i64),
            shown(p.never() as i64)
        ));
    }
    parts.push(Part {
        heading: format!("Comptes (au {today})"),
        sentences,
        table: Some((
            vec![
                "Profil".into(),
                "Comptes actifs".into(),
                "Déjà connectés".into(),
                "Part".into(),
            ],
            rows,
        )),
    });

    // People per week.
    let weeks = &u.visitors_by_profile.columns;
    let active_weeks: Vec<_> = weeks
        .iter()
        .filter(|w| u.visitors_by_profile.column_total(w) > 0)
        .collect();
    let mut sentences = vec![format!(
        "{} semaines de l'année avec des visites.",
        active_weeks.len()
    )];
    if let Some(peak) = active_weeks
        .iter()
        .max_by_key(|w| u.visitors_by_profile.column_total(w))
    {
        sentences.push(format!(
            "La semaine la plus fréquentée, celle du {}, a vu venir {} personnes.",
            crate::dates::long_date(**peak),
            thousands(u.visitors_by_profile.column_total(peak))
        ));
    }
    let n = active_weeks.len().max(1) as i64;
    let rows: Vec<Vec<String>> = u
        .visitors_by_profile
        .keys
        .iter()
        .map(|k| {
            let total: i64 = active_weeks
                .iter()
                .map(|w| u.visitors_by_profile.get(w, k))
                .sum();
            // The mean of a small group is as telling as its counts: « < 5 » too.
            vec![profile_label(k), shown(total / n)]
        })
        .collect();
    parts.push(Part {
        heading: "Personnes venues chaque semaine".into(),
        sentences,
        table: Some((vec!["Profil".into(), "En moyenne par semaine".into()], rows)),
    });

    // Services.
    let totals: Vec<(String, i64)> = u
        .visits_by_service
        .keys
        .iter()
        .map(|k| {
            (
                k.clone(),
                u.visits_by_service.masked_row(k).iter().sum::<i64>(),
            )
        })
        .collect();
    let all: i64 = totals.iter().map(|(_, v)| v).sum();
    parts.push(Part {
        heading: "Services utilisés".into(),
        sentences: vec![format!("{} visites dans l'année.", thousands(all))],
        table: Some((
            vec!["Service".into(), "Visites".into(), "Part".into()],
            totals
                .iter()
                .map(|(k, v)| vec![service_label(k), shown(*v), percent(*v, all)])
                .collect(),
        )),
    });

    // Hours.
    let by_hour: Vec<(u8, i64)> = u
        .hours
        .columns
        .iter()
        .map(|h| (*h, u.hours.column_total(h)))
        .collect();
    let hours_all: i64 = by_hour.iter().map(|(_, v)| v).sum();
    let mut busiest = by_hour.clone();
    busiest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let evening: i64 = by_hour
        .iter()
        .filter(|(h, _)| (18..23).contains(h))
        .map(|(_, v)| v)
        .sum();
    let mut sentences = Vec::new();
    if hours_all > 0 {
        sentences.push(format!(
            "Heures les plus fréquentées : {}.",
            busiest
                .iter()
                .take(3)
                .filter(|(_, v)| *v > 0)
                .map(|(h, v)| format!("{h} h ({})", percent(*v, hours_all)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        sentences.push(format!(
            "{} des visites ont lieu le soir, de 18 h à 23 h.",
            percent(evening, hours_all)
        ));
    }
    parts.push(Part {
        heading: "Heures de venue".into(),
        sentences,
        table: None,
    });

    // Devices.
    let rows: Vec<Vec<String>> = u
        .devices
        .columns
        .iter()
        .map(|p| {
            let total = u.devices.column_total(p);
            let mut row = vec![profile_label(p)];
            for d in Device::ALL {
                row.push(percent(masked(u.devices.get(p, d.as_str())), total));
            }
            row
        })
        .collect();
    let mut head = vec!["Profil".to_owned()];
    head.extend(Device::ALL.iter().map(|d| d.label().to_owned()));
    parts.push(Part {
        heading: "Appareils".into(),
        sentences: vec!["Part des visites faites depuis chaque appareil.".into()],
        table: Some((head, rows)),
    });

    Council {
        title: format!("L'ENT en {} — {etablissement}", year_label(u.annee)),
        subtitle: format!(
            "Bilan d'usage présenté au conseil d'administration, établi le {today}. Aucune personne n'y apparaît ; les nombres inférieurs à {MIN_SHOWN} ne sont pas montrés."
        ),
        parts,
    }
}

impl Council {
    /// The same report as a PDF.
    pub fn pdf(&self) -> Vec<u8> {
        let mut blocks = Vec::new();
        for p in &self.parts {
            blocks.push(Block::Heading(p.heading.clone()));
            for s in &p.sentences {
                blocks.push(Block::Text(s.clone()));
            }
            if let Some((head, rows)) = &p.table {
                let width = 483.0 / head.len().max(1) as f32;
                blocks.push(Block::Table {
                    columns: head.iter().map(|h| (h.clone(), width)).collect(),
                    rows: rows.clone(),
                });
            }
        }
        crate::pdf::report(&self.title, &self.subtitle, &blocks)
    }
}
