//! A bulletin as a PDF: what it says, laid out by core's report. Pure.

use cartable_core::pdf::{Block, report};

/// Everything a bulletin prints.
#[derive(Debug, Clone, Default)]
pub struct BulletinData {
    pub etablissement: String,
    /// « Année scolaire 2026-2027 ».
    pub year: String,
    /// « 1er trimestre, du … au … ».
    pub period: String,
    pub pupil: String,
    pub class: String,
    /// (subject, teachers, average, class average with its range, appréciation).
    pub subjects: Vec<(String, String, String, String, String)>,
    pub general: String,
    pub class_general: String,
    /// The vie scolaire's sentence, when it is mounted.
    pub attendance: Option<String>,
    /// (composante, level) for the period.
    pub skills: Vec<(String, String)>,
    pub synthese: String,
    pub cpe: String,
    pub avis: String,
    /// « Édité le 4 décembre 2026 (version 2) ».
    pub edition: String,
}

pub fn pdf(b: &BulletinData) -> Vec<u8> {
    let mut blocks = vec![
        Block::Text(format!("Élève : {} — Classe : {}", b.pupil, b.class)),
        Block::Heading("Résultats".to_owned()),
        Block::Table {
            columns: vec![
                ("Matière et enseignant".to_owned(), 130.0),
                ("Moyenne".to_owned(), 50.0),
                ("Classe".to_owned(), 75.0),
                ("Appréciation".to_owned(), 228.0),
            ],
            rows: b
                .subjects
                .iter()
                .map(|(s, t, avg, class, app)| {
                    vec![
                        if t.is_empty() {
                            s.clone()
                        } else {
                            format!("{s} ({t})")
                        },
                        avg.clone(),
                        class.clone(),
                        app.clone(),
                    ]
                })
                .collect(),
        },
        Block::Text(format!(
            "Moyenne générale : {} — moyenne générale de la classe : {}",
            b.general, b.class_general
        )),
    ];
    if !b.skills.is_empty() {
        blocks.push(Block::Heading("Compétences du socle commun".to_owned()));
        blocks.push(Block::Table {
            columns: vec![
                ("Composante".to_owned(), 330.0),
                ("Niveau de maîtrise".to_owned(), 153.0),
            ],
            rows: b
                .skills
                .iter()
                .map(|(c, l)| vec![c.clone(), l.clone()])
                .collect(),
        });
    }
    if let Some(a) = &b.attendance {
        blocks.push(Block::Heading("Vie scolaire".to_owned()));
        blocks.push(Block::Text(a.clone()));
    }
    if !b.cpe.is_empty() {
        blocks.push(Block::Text(format!("Appréciation du CPE : {}", b.cpe)));
    }
    blocks.push(Block::Heading("Conseil de classe".to_owned()));
    blocks.push(Block::Text(format!(
        "Synthèse du professeur principal : {}",
        if b.synthese.is_empty() {
            "—"
        } else {
            &b.synthese
        }
    )));
    blocks.push(Block::Text(format!(
        "Avis du conseil : {}",
        if b.avis.is_empty() { "—" } else { &b.avis }
    )));
    blocks.push(Block::Text(String::new()));
    blocks.push(Block::Text(b.edition.clone()));
    report(
        &format!("Bulletin — {}", b.pupil),
        &format!("{} — {} — {}", b.etablissement, b.year, b.period),
        &blocks,
    )
}
