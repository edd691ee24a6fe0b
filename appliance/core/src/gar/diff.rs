//! What changed for the GAR since the last export: each element of each flow, by what
//! identifies it, added, removed or modified. The last export is kept as a snapshot (labels and
//! XML of its elements) beside the data.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::flows::Flow;
use crate::messages;

/// The elements of an export: flow → « element key » → (label, XML).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot(pub BTreeMap<String, BTreeMap<String, (String, String)>>);

impl Snapshot {
    pub fn of(flows: &[Flow]) -> Self {
        Snapshot(
            flows
                .iter()
                .map(|f| {
                    let elements = f
                        .entries
                        .iter()
                        .map(|e| {
                            (
                                format!("{} {}", e.element, e.key),
                                (e.label.clone(), e.xml.clone()),
                            )
                        })
                        .collect();
                    (f.name.to_owned(), elements)
                })
                .collect(),
        )
    }
}

/// One change, as the dry run lists it: `+` added, `-` removed, `~` modified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub flow: String,
    pub sign: char,
    pub label: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// No export before this one.
    pub first: bool,
    /// Per flow: (name, added, removed, modified).
    pub counts: Vec<(String, usize, usize, usize)>,
    pub changes: Vec<Change>,
}

impl Diff {
    pub fn between(before: Option<&Snapshot>, now: &Snapshot) -> Self {
        let empty = BTreeMap::new();
        let mut out = Diff {
            first: before.is_none(),
            ..Diff::default()
        };
        for (flow, elements) in &now.0 {
            let old = before.and_then(|b| b.0.get(flow)).unwrap_or(&empty);
            let (mut added, mut removed, mut changed) = (0, 0, 0);
            for (key, (label, xml)) in elements {
                let sign = match old.get(key) {
                    None => '+',
                    Some((_, x)) if x != xml => '~',
                    Some(_) => continue,
                };
                if sign == '+' {
                    added += 1;
                } else {
                    changed += 1;
                }
                out.changes.push(Change {
                    flow: flow.clone(),
                    sign,
                    label: label.clone(),
                });
            }
            for (key, (label, _)) in old {
                if !elements.contains_key(key) {
                    removed += 1;
                    out.changes.push(Change {
                        flow: flow.clone(),
                        sign: '-',
                        label: label.clone(),
                    });
                }
            }
            out.counts.push((flow.clone(), added, removed, changed));
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// One line per flow that changed, or that nothing did.
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return messages::GAR_NOTHING_CHANGED.to_owned();
        }
        let lines: Vec<String> = self
            .counts
            .iter()
            .filter(|(_, a, r, c)| a + r + c > 0)
            .map(|(f, a, r, c)| messages::gar_changes(f, *a, *r, *c))
            .collect();
        let head = if self.first {
            format!("{}\n", messages::GAR_FIRST)
        } else {
            String::new()
        };
        format!("{head}{}", lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gar::flows::Entry;

    fn flow(entries: &[(&str, &str, &str)]) -> Vec<Flow> {
        vec![Flow {
            name: "Groupe",
            root: "GAR-ENT-Groupe",
            entries: entries
                .iter()
                .map(|(key, label, xml)| Entry {
                    element: "GARPersonGroupe",
                    key: (*key).into(),
                    label: (*label).into(),
                    xml: (*xml).into(),
                })
                .collect(),
        }]
    }

    #[test]
    fn a_pupil_moved_to_another_class_is_one_out_one_in() {
        let before = Snapshot::of(&flow(&[
            ("1 3B", "Lucas — 3e B", "<a/>"),
            ("2 6A", "Emma — 6e A", "<b/>"),
        ]));
        let now = Snapshot::of(&flow(&[
            ("1 5F", "Lucas — 5e F", "<c/>"),
            ("2 6A", "Emma — 6e A", "<b2/>"),
        ]));
        let d = Diff::between(Some(&before), &now);
        assert_eq!(d.counts, vec![("Groupe".to_owned(), 1, 1, 1)]);
        let said: Vec<String> = d
            .changes
            .iter()
            .map(|c| format!("{} {}", c.sign, c.label))
            .collect();
        assert!(said.contains(&"+ Lucas — 5e F".to_owned()), "{said:?}");
        assert!(said.contains(&"- Lucas — 3e B".to_owned()), "{said:?}");
        assert!(said.contains(&"~ Emma — 6e A".to_owned()), "{said:?}");
        assert!(d.summary().contains("1 ajouté, 1 retiré, 1 modifié"));
        assert!(
            Diff::between(Some(&now), &now)
                .summary()
                .contains("rien n'a changé")
        );
        assert!(
            Diff::between(None, &now)
                .summary()
                .contains("premier export")
        );
    }
}
