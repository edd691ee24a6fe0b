//! The import of a cité scolaire against a raw `ldapadd` of the same entries, shared by the
//! `import` and `storm` benchmarks: a generated AAF complet feed (3,000 pupils, 5,000
//! responsables, 250 staff by default), imported into a real slapd through cartable (parse,
//! plan, initial passwords, apply); then everything cartable wrote, dumped with `ldapsearch`,
//! loaded by `ldapadd` into a second slapd — the limit.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cartable_core::accounts::Accounts;
use cartable_core::clock::{SharedClock, SystemClock};
use cartable_core::config::{AccountsConfig, DirectoryConfig};
use cartable_core::directory::AnyDirectory;
use cartable_core::feed::aaf;
use cartable_core::feed::import::ImportOptions;
use cartable_core::store::Store;

use crate::slapd::{ADMIN_DN, ADMIN_PASSWORD, BASE_DN, Slapd};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

pub const UAI: &str = "0179999Z";
pub const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ficAlimMENESR>\n";

fn attr(out: &mut String, name: &str, values: &[String]) {
    let _ = write!(out, "<attr name=\"{name}\">");
    for v in values {
        let _ = write!(out, "<value>{v}</value>");
    }
    out.push_str("</attr>");
}

pub fn request(
    out: &mut String,
    op: &str,
    category: &str,
    id: &str,
    attrs: &[(&str, Vec<String>)],
) {
    let _ = write!(
        out,
        "<{op}><operationalAttributes><attr name=\"categoriePersonne\"><value>{category}</value></attr>\
         </operationalAttributes><identifier><id>{id}</id></identifier><attributes>"
    );
    for (n, v) in attrs {
        attr(out, n, v);
    }
    let _ = writeln!(out, "</attributes></{op}>");
}

pub fn class_of(i: usize, classes: usize) -> String {
    format!("C{:02}", i % classes)
}

/// Writes the complet feed; returns the number of people.
pub fn generate(dir: &Path, pupils: usize) -> Result<usize, BoxError> {
    let classes = pupils / 28 + 1;
    let parents = pupils * 5 / 3;
    let staff = pupils / 12;
    let mut etab = String::from(HEAD);
    let class_values: Vec<String> = (0..classes)
        .map(|c| format!("C{c:02}$CLASSE {c:02}"))
        .collect();
    let _ = write!(
        etab,
        "<addRequest><operationalAttributes><attr name=\"categorieStructure\"><value>EtabEducNat</value>\
         </attr></operationalAttributes><identifier><id>9999</id></identifier><attributes>"
    );
    attr(&mut etab, "ENTStructureJointure", &["9999".into()]);
    attr(&mut etab, "ENTStructureUAI", &[UAI.into()]);
    attr(
        &mut etab,
        "ENTStructureNomCourant",
        &["CITE SCOLAIRE DU BANC".into()],
    );
    attr(&mut etab, "ENTStructureTypeStruct", &["LPO".into()]);
    attr(&mut etab, "ENTStructureClasses", &class_values);
    etab.push_str("</attributes></addRequest>\n</ficAlimMENESR>\n");
    std::fs::write(
        dir.join(format!("ENT_{UAI}_Complet_20260901_EtabEducNat_0000.xml")),
        etab,
    )?;

    let mut eleves = String::from(HEAD);
    for i in 0..pupils {
        let id = format!("{}", 3_000_000 + i);
        let p1 = format!("{}", 5_000_000 + (i * 5 / 3));
        let p2 = format!("{}", 5_000_000 + (i * 5 / 3) + 1);
        request(
            &mut eleves,
            "addRequest",
            "Eleve",
            &id,
            &[
                ("ENTPersonJointure", vec![id.clone()]),
                ("sn", vec![format!("NOM{}", i % 997)]),
                ("givenName", vec![format!("PRENOM{}", i % 131)]),
                (
                    "ENTEleveClasses",
                    vec![format!("9999${}", class_of(i, classes))],
                ),
                (
                    "ENTElevePersRelEleve",
                    vec![format!("{p1}$10$1$1$1$1"), format!("{p2}$20$1$1$0$1")],
                ),
            ],
        );
    }
    eleves.push_str("</ficAlimMENESR>\n");
    std::fs::write(
        dir.join(format!("ENT_{UAI}_Complet_20260901_Eleve_0000.xml")),
        eleves,
    )?;

    let mut resp = String::from(HEAD);
    for p in 0..=parents {
        let id = format!("{}", 5_000_000 + p);
        request(
            &mut resp,
            "addRequest",
            "PersRelEleve",
            &id,
            &[
                ("ENTPersonJointure", vec![id.clone()]),
                ("sn", vec![format!("PARENT{}", p % 1009)]),
                ("givenName", vec![format!("P{}", p % 97)]),
            ],
        );
    }
    resp.push_str("</ficAlimMENESR>\n");
    std::fs::write(
        dir.join(format!("ENT_{UAI}_Complet_20260901_PersRelEleve_0000.xml")),
        resp,
    )?;

    let mut pers = String::from(HEAD);
    for s in 0..staff {
        let id = format!("{}", 7_000_000 + s);
        let taught: Vec<String> = (0..6)
            .map(|k| format!("9999${}$MATH", class_of(s * 6 + k, classes)))
            .collect();
        request(
            &mut pers,
            "addRequest",
            "PersEducNat",
            &id,
            &[
                ("ENTPersonJointure", vec![id.clone()]),
                ("sn", vec![format!("PROF{s}")]),
                ("givenName", vec!["CLAUDE".into()]),
                (
                    "ENTPersonFonctions",
                    vec!["9999$ENS$ENSEIGNEMENT$L1300$MATHEMATIQUES".into()],
                ),
                ("ENTAuxEnsClassesMatieres", taught),
            ],
        );
    }
    pers.push_str("</ficAlimMENESR>\n");
    std::fs::write(
        dir.join(format!("ENT_{UAI}_Complet_20260901_PersEducNat_0000.xml")),
        pers,
    )?;
    Ok(pupils + parents + staff)
}

/// What one import run measured.
pub struct ImportFigures {
    pub people: usize,
    pub created: usize,
    pub parse: Duration,
    pub plan: Duration,
    pub apply: Duration,
    pub total: Duration,
    /// Of `apply`: the initial passwords' hashing, timed alone on the same number.
    pub hashing: Duration,
    /// Entries cartable wrote, and `ldapadd`'s time for the same entries.
    pub entries: usize,
    pub raw: Duration,
}

impl ImportFigures {
    /// cartable's LDAP writing (apply without the hashing) against `ldapadd`, entries per
    /// second over entries per second.
    pub fn write_ratio(&self) -> f64 {
        self.raw.as_secs_f64() / self.apply.saturating_sub(self.hashing).as_secs_f64()
    }

    pub fn print(&self) {
        println!(
            "cartable import   {} people, {} accounts: parse {:.1} s, plan {:.1} s, apply {:.1} s \
             (initial passwords {:.1} s), total {:.1} s",
            self.people,
            self.created,
            self.parse.as_secs_f64(),
            self.plan.as_secs_f64(),
            self.apply.as_secs_f64(),
            self.hashing.as_secs_f64(),
            self.total.as_secs_f64()
        );
        let writes = self.apply.saturating_sub(self.hashing).as_secs_f64();
        println!(
            "LDAP writes       cartable {:.1} s = {:.0} entries/s; raw ldapadd of the same {} entries \
             {:.1} s = {:.0} entries/s; ratio {:.2}",
            writes,
            self.entries as f64 / writes,
            self.entries,
            self.raw.as_secs_f64(),
            self.entries as f64 / self.raw.as_secs_f64(),
            self.write_ratio()
        );
    }
}

/// Generates the feed in `dir`, imports it through `accounts` (on a slapd), then loads what
/// cartable wrote into a fresh slapd with `ldapadd`.
pub async fn import_against_ldapadd(
    dir: &Path,
    pupils: usize,
    slapd: &Slapd,
    accounts: &Accounts,
) -> Result<ImportFigures, BoxError> {
    let complet = dir.join("complet");
    std::fs::create_dir_all(&complet)?;
    let people = generate(&complet, pupils)?;

    let t = Instant::now();
    let feed = aaf::read_dir(&complet, None)?;
    let parse = t.elapsed();
    let plan = accounts.plan_aaf(&feed, &ImportOptions::default()).await?;
    let planned = t.elapsed();
    let report = accounts.apply_import(plan).await?;
    let total = t.elapsed();
    let t = Instant::now();
    cartable_core::auth::password::hash_initial_many(vec![
        "Banc-Essai-2026".to_owned();
        report.created
    ])
    .await?;
    let hashing = t.elapsed();

    // The same entries: everything cartable wrote below the base, user attributes only.
    let slapd_ref = slapd;
    let dump = tokio::task::block_in_place(|| slapd_ref.search("(objectClass=*)", &["*"]))?;
    let ldif: String = dump
        .split("\n\n")
        .filter(|e| !e.trim().is_empty() && !e.starts_with(&format!("dn: {BASE_DN}\n")))
        .map(|e| format!("{}\n\n", e.trim_end()))
        .collect();
    let entries = ldif.matches("\ndn: ").count() + usize::from(ldif.starts_with("dn: "));
    let raw = tokio::task::spawn_blocking(Slapd::start).await??;
    let file = dir.join("same-entries.ldif");
    std::fs::write(&file, ldif)?;
    let t = Instant::now();
    let out = std::process::Command::new("ldapadd")
        .args([
            "-x",
            "-H",
            &raw.url,
            "-D",
            ADMIN_DN,
            "-w",
            ADMIN_PASSWORD,
            "-f",
        ])
        .arg(&file)
        .output()?;
    let raw_time = t.elapsed();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    Ok(ImportFigures {
        people,
        created: report.created,
        parse,
        plan: planned - parse,
        apply: total - planned,
        total,
        hashing,
        entries,
        raw: raw_time,
    })
}

/// A slapd and cartable's accounts on it, as the import benchmarks use them.
pub async fn accounts_on_slapd(dir: &Path) -> Result<(Slapd, Accounts), BoxError> {
    let slapd = tokio::task::spawn_blocking(Slapd::start).await??;
    let clock: SharedClock = Arc::new(SystemClock);
    let store = Store::open(&dir.join("bench.sqlite")).await?;
    let directory = AnyDirectory::from_config(
        &DirectoryConfig::Ldap(slapd.config()),
        store.clone(),
        clock.clone(),
    )
    .await?;
    let accounts = Accounts::new(directory, store, clock, AccountsConfig::default());
    Ok((slapd, accounts))
}
