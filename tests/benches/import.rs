//! On-demand import benchmark (not run in CI):
//!
//!     cargo bench -p cartable-tests --bench import
//!
//! Generates the AAF feed of a cité scolaire (3,000 pupils, 5,000 responsables, 250 staff by
//! default; `BENCH_PUPILS` scales it), imports it into a real slapd through cartable (parse,
//! plan, hash the initial passwords, apply), then loads equivalent entries with a raw
//! `ldapadd` into a second slapd — the limit — and reports times, entries/s and the ratio.
//! Then it times a typical daily delta (1 % of pupils move class, 0.3 % leave, 0.3 % arrive).

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use cartable_core::accounts::Accounts;
use cartable_core::clock::{SharedClock, SystemClock};
use cartable_core::config::{AccountsConfig, DirectoryConfig};
use cartable_core::directory::AnyDirectory;
use cartable_core::feed::aaf;
use cartable_core::feed::import::ImportOptions;
use cartable_core::store::Store;
use cartable_tests::slapd::{ADMIN_DN, ADMIN_PASSWORD, BASE_DN, Slapd};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const UAI: &str = "0179999Z";
const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ficAlimMENESR>\n";

fn attr(out: &mut String, name: &str, values: &[String]) {
    let _ = write!(out, "<attr name=\"{name}\">");
    for v in values {
        let _ = write!(out, "<value>{v}</value>");
    }
    out.push_str("</attr>");
}

fn request(out: &mut String, op: &str, category: &str, id: &str, attrs: &[(&str, Vec<String>)]) {
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

fn class_of(i: usize, classes: usize) -> String {
    format!("C{:02}", i % classes)
}

/// Writes the complet feed; returns the number of people.
fn generate(dir: &Path, pupils: usize) -> Result<usize, BoxError> {
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

fn delta(dir: &Path, pupils: usize) -> Result<(), BoxError> {
    let classes = pupils / 28 + 1;
    let mut out = String::from(HEAD);
    for i in 0..pupils / 100 {
        let id = format!("{}", 3_000_000 + i * 7);
        let _ = writeln!(
            out,
            "<modifyRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr>\
             </operationalAttributes><identifier><id>{id}</id></identifier><modifications>\
             <modification name=\"ENTEleveClasses\" operation=\"replace\"><value>9999${}</value>\
             </modification></modifications></modifyRequest>",
            class_of(i * 7 + 1, classes)
        );
    }
    for i in 0..pupils * 3 / 1000 {
        let id = format!("{}", 3_000_000 + pupils - 1 - i);
        let _ = writeln!(
            out,
            "<deleteRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr>\
             </operationalAttributes><identifier><id>{id}</id></identifier></deleteRequest>"
        );
        let new = format!("{}", 3_900_000 + i);
        request(
            &mut out,
            "addRequest",
            "Eleve",
            &new,
            &[
                ("ENTPersonJointure", vec![new.clone()]),
                ("sn", vec!["NOUVEAU".into()]),
                ("givenName", vec![format!("ARRIVANT{i}")]),
                (
                    "ENTEleveClasses",
                    vec![format!("9999${}", class_of(i, classes))],
                ),
                ("ENTElevePersRelEleve", vec!["5000000$10$1$1$1$1".into()]),
            ],
        );
    }
    out.push_str("</ficAlimMENESR>\n");
    std::fs::write(
        dir.join(format!("ENT_{UAI}_Delta_20260902_Eleve_0000.xml")),
        out,
    )?;
    Ok(())
}

/// Equivalent entries for a raw `ldapadd`: same classes, same attributes, one precomputed hash.
fn raw_ldif(people: usize) -> String {
    let hash = cartable_core::auth::password::hash("Banc-Essai-2026").unwrap_or_default();
    let mut out =
        format!("dn: ou=people,{BASE_DN}\nobjectClass: organizationalUnit\nou: people\n\n");
    for i in 0..people {
        let _ = write!(
            out,
            "dn: uid=u{i},ou=people,{BASE_DN}\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\n\
             objectClass: ENTPerson\nobjectClass: cartableAccount\nobjectClass: ENTEleve\nuid: u{i}\n\
             cn: U {i}\nsn: U{i}\ngivenName: U\nuidNumber: {}\ngidNumber: 100\nhomeDirectory: /srv/u{i}\n\
             ENTPersonJointure: {i}\nENTPersonProfils: National_ELV\nuserPassword: {{ARGON2}}{hash}\n\
             cartableAccountState: active\n\n",
            10_000 + i
        );
    }
    out
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let pupils: usize = std::env::var("BENCH_PUPILS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let tmp = tempfile::tempdir()?;
    let complet = tmp.path().join("complet");
    let daily = tmp.path().join("delta");
    std::fs::create_dir_all(&complet)?;
    std::fs::create_dir_all(&daily)?;
    let people = generate(&complet, pupils)?;
    delta(&daily, pupils)?;
    println!("cité scolaire: {people} people ({pupils} pupils)");

    let slapd = tokio::task::spawn_blocking(Slapd::start).await??;
    let clock: SharedClock = Arc::new(SystemClock);
    let store = Store::open(&tmp.path().join("bench.sqlite")).await?;
    let dir = AnyDirectory::from_config(
        &DirectoryConfig::Ldap(slapd.config()),
        store.clone(),
        clock.clone(),
    )
    .await?;
    let accounts = Accounts::new(dir, store, clock, AccountsConfig::default());

    let t = Instant::now();
    let feed = aaf::read_dir(&complet, None)?;
    let parsed = t.elapsed();
    // As shipped: both legal responsables of each pupil get an account.
    let opts = ImportOptions::default();
    let in_feed = feed
        .records
        .iter()
        .filter(|r| r.category == aaf::Category::PersRelEleve)
        .count();
    let plan = accounts.plan_aaf(&feed, &opts).await?;
    let planned = t.elapsed();
    let report = accounts.apply_import(plan).await?;
    let total = t.elapsed();
    println!(
        "cartable import   parse {:>6.1} s   plan {:>6.1} s   apply {:>6.1} s   total {:>6.1} s   {:>7.1} entries/s   ({} created)",
        parsed.as_secs_f64(),
        (planned - parsed).as_secs_f64(),
        (total - planned).as_secs_f64(),
        total.as_secs_f64(),
        report.created as f64 / total.as_secs_f64(),
        report.created
    );

    let with_account = accounts
        .list(cartable_core::directory::PersonQuery {
            profile: Some(cartable_core::directory::Profile::Responsable),
            ..Default::default()
        })
        .await?
        .len();
    println!(
        "responsables      {in_feed} PersRelEleve records, {with_account} with an account, {} \
         named in the report's warnings",
        report.warnings.len()
    );

    let raw = tokio::task::spawn_blocking(Slapd::start).await??;
    let ldif = tmp.path().join("raw.ldif");
    std::fs::write(&ldif, raw_ldif(report.created))?;
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
        .arg(&ldif)
        .output()?;
    let raw_time = t.elapsed();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    println!(
        "raw ldapadd       {:>6.1} s   {:>7.1} entries/s",
        raw_time.as_secs_f64(),
        report.created as f64 / raw_time.as_secs_f64()
    );
    // How much of it is hashing the initial passwords (argon2id, on every core).
    let t = Instant::now();
    cartable_core::auth::password::hash_many(vec!["Banc-Essai-2026".to_owned(); report.created])
        .await?;
    let hashing = t.elapsed();
    let writing = total.saturating_sub(hashing);
    println!(
        "of which hashing  {:>6.1} s; the rest (parse, plan, LDAP writes) {:>6.1} s = {:>7.1} entries/s",
        hashing.as_secs_f64(),
        writing.as_secs_f64(),
        report.created as f64 / writing.as_secs_f64()
    );
    println!(
        "ratio cartable/raw entries per second: {:.3} overall, {:.3} without the hashing",
        raw_time.as_secs_f64() / total.as_secs_f64(),
        raw_time.as_secs_f64() / writing.as_secs_f64()
    );

    let t = Instant::now();
    let feed = aaf::read_dir(&daily, None)?;
    let report = accounts.import_aaf(&feed, &opts).await?;
    println!(
        "daily delta       {:>6.1} s   ({} moved/updated, {} left, {} arrived)",
        t.elapsed().as_secs_f64(),
        report.updated,
        report.disabled,
        report.created
    );
    Ok(())
}
