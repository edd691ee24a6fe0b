//! The teaching facts the AAF import keeps beside the annuaire (`gar_nomenclature`,
//! `gar_people`) and the GAR export's runs (`gar_runs`).

use std::collections::BTreeMap;

use rusqlite::OptionalExtension;

use super::{ReadTxn, WriteTxn, sql_err};
use crate::Result;
use crate::feed::pedagogy::{Pedagogy, PersonFacts};

/// Everything kept: MEF and subjects by code, each person's facts by jointure.
#[derive(Debug, Clone, Default)]
pub struct KeptPedagogy {
    pub mefs: BTreeMap<String, String>,
    pub subjects: BTreeMap<String, String>,
    pub people: BTreeMap<String, PersonFacts>,
}

/// One GAR export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GarRun {
    pub at: i64,
    pub dry: bool,
    pub ok: bool,
    /// What changed since the previous export, or why it failed.
    pub summary: String,
    /// The archive written (a real run).
    pub archive: Option<String>,
}

impl ReadTxn<'_> {
    pub fn pedagogy_of(&self, jointure: &str) -> Result<Option<PersonFacts>> {
        let facts: Option<String> = self
            .conn
            .query_row(
                "SELECT facts FROM gar_people WHERE jointure = ?1",
                [jointure],
                |row| row.get(0),
            )
            .optional()
            .map_err(sql_err("read teaching facts"))?;
        Ok(facts.and_then(|f| serde_json::from_str(&f).ok()))
    }

    pub fn pedagogy(&self) -> Result<KeptPedagogy> {
        let mut out = KeptPedagogy::default();
        let mut st = self
            .conn
            .prepare("SELECT kind, code, label FROM gar_nomenclature")
            .map_err(sql_err("read nomenclature"))?;
        let rows = st
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            })
            .map_err(sql_err("read nomenclature"))?;
        for r in rows {
            let (kind, code, label) = r.map_err(sql_err("read nomenclature"))?;
            if kind == "mef" {
                out.mefs.insert(code, label);
            } else {
                out.subjects.insert(code, label);
            }
        }
        let mut st = self
            .conn
            .prepare("SELECT jointure, facts FROM gar_people")
            .map_err(sql_err("read teaching facts"))?;
        let rows = st
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(sql_err("read teaching facts"))?;
        for r in rows {
            let (j, facts) = r.map_err(sql_err("read teaching facts"))?;
            if let Ok(f) = serde_json::from_str(&facts) {
                out.people.insert(j, f);
            }
        }
        Ok(out)
    }

    /// The last `limit` GAR runs, newest first.
    pub fn gar_runs(&self, limit: usize) -> Result<Vec<GarRun>> {
        let mut st = self
            .conn
            .prepare("SELECT at, dry, ok, summary, archive FROM gar_runs ORDER BY id DESC LIMIT ?1")
            .map_err(sql_err("read GAR runs"))?;
        st.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |row| {
            Ok(GarRun {
                at: row.get(0)?,
                dry: row.get(1)?,
                ok: row.get(2)?,
                summary: row.get(3)?,
                archive: row.get(4)?,
            })
        })
        .map_err(sql_err("read GAR runs"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("read GAR runs"))
    }
}

impl WriteTxn<'_> {
    /// Records what a delivery says: a complet replaces everything, a delta its people only.
    pub fn record_pedagogy(&self, complete: bool, p: &Pedagogy) -> Result<()> {
        let c = self.read.conn;
        if complete {
            c.execute_batch("DELETE FROM gar_people; DELETE FROM gar_nomenclature;")
                .map_err(sql_err("clear teaching facts"))?;
        }
        let mut nomenclature = c
            .prepare(
                "INSERT INTO gar_nomenclature(kind, code, label) VALUES (?1, ?2, ?3)
                 ON CONFLICT(kind, code) DO UPDATE SET label = excluded.label",
            )
            .map_err(sql_err("write nomenclature"))?;
        for (kind, map) in [("mef", &p.mefs), ("matiere", &p.subjects)] {
            for (code, label) in map {
                nomenclature
                    .execute([kind, code, label])
                    .map_err(sql_err("write nomenclature"))?;
            }
        }
        let mut person = c
            .prepare(
                "INSERT INTO gar_people(jointure, facts) VALUES (?1, ?2)
                 ON CONFLICT(jointure) DO UPDATE SET facts = excluded.facts",
            )
            .map_err(sql_err("write teaching facts"))?;
        for (j, facts) in &p.people {
            let json = serde_json::to_string(facts).unwrap_or_else(|_| "{}".into());
            person
                .execute([j, &json])
                .map_err(sql_err("write teaching facts"))?;
        }
        for j in &p.removed {
            c.execute("DELETE FROM gar_people WHERE jointure = ?1", [j])
                .map_err(sql_err("forget teaching facts"))?;
        }
        Ok(())
    }

    pub fn add_gar_run(&self, run: &GarRun) -> Result<()> {
        self.read
            .conn
            .execute(
                "INSERT INTO gar_runs(at, dry, ok, summary, archive) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![run.at, run.dry, run.ok, run.summary, run.archive],
            )
            .map_err(sql_err("record GAR run"))?;
        Ok(())
    }
}
