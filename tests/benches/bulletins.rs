//! On-demand benchmark of the bulletins (not run in CI):
//!
//!     cargo build --release -p cartabled
//!     cargo bench -p cartable-tests --bench bulletins
//!
//! Grows the demo to a 600-pupil collège (`BENCH_CLASSES`, 25 classes of 24: the demo's 8 and
//! 17 more), gives every class a school year of marks (`BENCH_PER_SUBJECT`, 30, évaluations
//! per class and subject over the year, every pupil marked) and appréciations, starts the
//! release `cartabled`, and has the direction generate every class's bulletins for the first
//! period in one action, as the page does. Prints the time, the service's memory before and at
//! its peak, and the bulletins' size.

// A benchmark reads the wall clock.
#![allow(clippy::disallowed_methods)]

use std::time::{Duration, Instant};

use cartable_core::directory::{
    ClassCode, ClassRef, DirectoryRead, DirectoryWrite, Login, NewPerson, Profile,
};
use cartable_tests::accounts;
use cartable_tests::bench::{env, memory, year_of_marks};
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, csrf_in, location, sign_in, text};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const PER_CLASS: usize = 24;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let classes_n = env("BENCH_CLASSES", 25);
    let per_subject = env("BENCH_PER_SUBJECT", 30);
    let (_tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;

    // More classes and pupils in the demo's annuaire, before the service starts.
    let (store, dir) = accounts::demo_directory(&data).await?;
    let uai = dir.structure().await?.ok_or("no structure")?.uai;
    let existing = dir.classes().await?;
    let mut changes = Vec::new();
    let mut added: Vec<(String, String)> = Vec::new();
    let letters = ["C", "D", "E", "F", "G", "H", "I"];
    'outer: for letter in letters {
        for level in ["6", "5", "4", "3"] {
            if existing.len() + added.len() >= classes_n {
                break 'outer;
            }
            let code = format!("{level}{letter}");
            changes.push(cartable_core::directory::Change::UpsertClass {
                uai: uai.clone(),
                class: ClassRef {
                    code: ClassCode::parse(&code)?,
                    label: format!("{level}e {letter}"),
                },
            });
            for n in 0..PER_CLASS {
                let login = Login::parse(&format!("banc.{}{n}", code.to_lowercase()))?;
                changes.push(cartable_core::directory::Change::CreatePerson {
                    uai: Some(uai.clone()),
                    person: NewPerson {
                        login: login.clone(),
                        jointure: None,
                        profile: Profile::Eleve,
                        given_name: format!("Élève{n}"),
                        family_name: format!("Banc {code}"),
                        email: None,
                        birth_date: None,
                        password_hash: None,
                        nt_hash: None,
                        must_change_password: false,
                    },
                });
                changes.push(cartable_core::directory::Change::AddToClass {
                    uai: uai.clone(),
                    class: ClassCode::parse(&code)?,
                    pupil: login,
                });
            }
            added.push((code, format!("{level}A")));
        }
    }
    dir.apply(changes).await?;
    store.close();

    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let pid = daemon.pid().ok_or("no daemon pid")?;
    let today = {
        use cartable_core::clock::Clock;
        cartable_core::dates::today_in_france(cartable_core::clock::SystemClock.now())
    };
    let year = cartable_notes::periods::year_start(today);
    // A year of marks for every class: the subjects and teachers of its level's A class.
    let (pupils, marks) = {
        let mut db = rusqlite::Connection::open(data.join("cartable.sqlite"))?;
        db.busy_timeout(Duration::from_secs(60))?;
        let tx = db.transaction()?;
        let mut all_classes: Vec<(String, String)> = existing
            .iter()
            .map(|c| (c.code.to_string(), c.code.to_string()))
            .collect();
        all_classes.extend(added.iter().cloned());
        let mut marks = 0;
        let mut pupils = 0;
        for (class, model) in &all_classes {
            let courses: Vec<(String, String)> = {
                let mut st = tx.prepare(
                    "SELECT DISTINCT teacher, subject FROM notes_evaluations WHERE class = ?1",
                )?;
                st.query_map([model], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?
            };
            let members: Vec<String> = if class == model {
                let mut st = tx.prepare(
                    "SELECT DISTINCT m.pupil FROM notes_marks m
                     JOIN notes_evaluations e ON e.id = m.evaluation WHERE e.class = ?1",
                )?;
                st.query_map([class], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            } else {
                (0..PER_CLASS)
                    .map(|n| format!("banc.{}{n}", class.to_lowercase()))
                    .collect()
            };
            pupils += members.len();
            for (teacher, subject) in &courses {
                marks +=
                    year_of_marks(&tx, (teacher, class, subject), &members, per_subject, year)?;
                for p in &members {
                    tx.execute(
                        "INSERT OR REPLACE INTO notes_appreciations(period, pupil, subject, text, by, at)
                         VALUES (1, ?1, ?2, ?3, ?4, 0)",
                        rusqlite::params![
                            p,
                            subject,
                            "Un travail régulier et des résultats solides ; la participation orale peut encore progresser.",
                            teacher
                        ],
                    )?;
                }
            }
        }
        tx.commit()?;
        (pupils, marks)
    };

    let direction = accounts::first(&demo, "direction").ok_or("no direction")?;
    let c = client(&daemon.ca())?;
    if sign_in(&c, &base, &direction.login, &direction.password).await? != 303 {
        return Err("the direction could not sign in".into());
    }
    let page = text(&c, &format!("{base}/notes/bulletins?periode=1")).await?;
    let csrf = csrf_in(&page).ok_or("no CSRF token")?;
    let (_, before) = memory(pid)?;
    println!(
        "cartabled {base} — {} classes, {pupils} élèves, {marks} notes sur l'année ; génération des bulletins du 1er trimestre pour tout l'établissement",
        existing.len() + added.len()
    );
    let t0 = Instant::now();
    let res = c
        .post(format!("{base}/notes/bulletins/generer"))
        .form(&[("csrf", csrf.as_str()), ("periode", "1")])
        .send()
        .await?;
    let took = t0.elapsed();
    if res.status().as_u16() != 303 {
        return Err(format!("generation: {}", res.status()).into());
    }
    let said = text(&c, &format!("{base}{}", location(&res))).await?;
    let message = said
        .split("id=\"message\" role=\"status\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap_or_default()
        .to_owned();
    let (peak, after) = memory(pid)?;
    let (count, bytes): (i64, i64) = {
        let db = rusqlite::Connection::open(data.join("cartable.sqlite"))?;
        db.query_row(
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(pdf)), 0) FROM notes_bulletins
             WHERE period = 1 AND published_from IS NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
    };
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    println!("« {message} »");
    println!(
        "{count} bulletins (brouillons) en {:.2} s ({:.1} ms par élève) ; {:.1} Kio par bulletin, {:.1} Mio en tout",
        took.as_secs_f64(),
        took.as_secs_f64() * 1e3 / count.max(1) as f64,
        bytes as f64 / 1024.0 / count.max(1) as f64,
        mib(bytes as u64)
    );
    println!(
        "mémoire du service : {:.0} Mio avant, {:.0} Mio après, pic de toute sa vie {:.0} Mio",
        mib(before),
        mib(after),
        mib(peak)
    );
    Ok(())
}
