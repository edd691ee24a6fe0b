//! One pupil's attendance record, read from the store at once: what his page, his family's
//! justification form and the letter need. A parent opening it at 8:05 costs one read.

use std::collections::BTreeMap;

use cartable_core::dates::hhmm;
use cartable_web::error::WebError;
use cartable_web::state::AppState;
use time::Date;

use crate::assiduite::Loaded;
use crate::counting::{Excuses, Reported, Settings};
use crate::model::{Half, JustState, Justification, Motif, PupilMark};
use crate::{messages, presence, store};

/// A pupil's absent demi-journées: the courses there, the latest justification's state and
/// motif.
pub(crate) type Halves = BTreeMap<(Date, Half), (Vec<String>, Option<JustState>, Option<String>)>;

pub(crate) struct Record {
    /// Newest first (at most the store's page of marks).
    pub marks: Vec<PupilMark>,
    /// Newest first.
    pub justs: Vec<Justification>,
    pub reported: Vec<Reported>,
    pub excuses: Excuses,
    pub settings: Settings,
    /// The motifs a form offers.
    pub motifs: Vec<Motif>,
    /// Every motif, withdrawn ones too, for the labels of what used them.
    pub all_motifs: Vec<Motif>,
}

impl Record {
    pub async fn load(state: &AppState, pupil: &str) -> Result<Self, WebError> {
        let p = pupil.to_owned();
        Ok(state
            .store
            .read(move |r| {
                Ok(Record {
                    marks: store::pupil_marks(r, Some(&p), None)?,
                    justs: store::justifications_of(r, &p)?,
                    reported: store::reported(r, Some(&p), None, None)?,
                    excuses: presence::excuses_of(r, &p)?,
                    settings: presence::settings(r)?,
                    motifs: store::motifs(r)?,
                    all_motifs: store::all_motifs(r)?,
                })
            })
            .await?)
    }

    /// His absent demi-journées; excused courses (sortie, dispense without attendance) are not.
    pub fn halves(&self) -> Halves {
        let mut out = Halves::new();
        for (_, day, half, note) in &self.reported {
            let what = if note.is_empty() {
                messages::REPORTED.to_owned()
            } else {
                format!("{} ({note})", messages::REPORTED)
            };
            out.entry((*day, *half)).or_default().0.push(what);
        }
        for pm in self.excuses.counted(&self.marks) {
            out.entry((pm.appel.day, Half::of(pm.appel.start)))
                .or_default()
                .0
                .push(format!("{} {}", hhmm(pm.appel.start), pm.appel.subject));
        }
        // Justifications come newest first: the first one seen for a demi-journée is its state.
        for j in &self.justs {
            if let Some(e) = out.get_mut(&(j.day, j.half))
                && e.1.is_none()
            {
                e.1 = Some(j.state);
                e.2 = Some(j.motif.clone());
            }
        }
        out
    }

    pub fn motif_label(&self, code: &str) -> String {
        self.all_motifs
            .iter()
            .find(|m| m.code == code)
            .map_or_else(|| code.to_owned(), |m| m.label.clone())
    }

    /// What counting needs, from `from` on.
    pub fn since(&self, from: Date) -> Loaded {
        Loaded {
            settings: self.settings,
            marks: self
                .marks
                .iter()
                .filter(|pm| pm.appel.day >= from)
                .cloned()
                .collect(),
            reported: self
                .reported
                .iter()
                .filter(|r| r.1 >= from)
                .cloned()
                .collect(),
            justs: self.justs.clone(),
            excuses: self.excuses.clone(),
        }
    }
}
