//! On-demand import benchmark (not run in CI):
//!
//!     cargo bench -p cartable-tests --bench import
//!
//! Imports a generated cité scolaire (3,000 pupils, 5,000 responsables, 250 staff by default;
//! `BENCH_PUPILS` scales it) into a real slapd through cartable, then loads the same entries
//! with a raw `ldapadd` into a second slapd — the limit — and reports times, entries/s and
//! the ratio (`cartable_tests::import_load`). Then it times a typical daily delta (1 % of
//! pupils move class, 0.3 % leave, 0.3 % arrive).

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use cartable_core::feed::aaf;
use cartable_core::feed::import::ImportOptions;
use cartable_tests::import_load::{HEAD, UAI, class_of, request};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

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

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), BoxError> {
    let pupils = cartable_tests::bench::env("BENCH_PUPILS", 3000);
    let tmp = tempfile::tempdir()?;
    let (slapd, accounts) = cartable_tests::import_load::accounts_on_slapd(tmp.path()).await?;
    let figures =
        cartable_tests::import_load::import_against_ldapadd(tmp.path(), pupils, &slapd, &accounts)
            .await?;
    figures.print();

    let daily = tmp.path().join("delta");
    std::fs::create_dir_all(&daily)?;
    delta(&daily, pupils)?;
    let t = Instant::now();
    let feed = aaf::read_dir(&daily, None)?;
    let report = accounts
        .import_aaf(&feed, &ImportOptions::default())
        .await?;
    println!(
        "daily delta       {:>6.1} s   ({} moved/updated, {} left, {} arrived)",
        t.elapsed().as_secs_f64(),
        report.updated,
        report.disabled,
        report.created
    );
    Ok(())
}
