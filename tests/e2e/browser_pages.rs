//! Every kind of page of every profile, in Chromium at 1280 px and on a 390 px phone:
//! axe-core (from the npm registry, run inside the page) finds no serious or critical
//! violation, and no page is wider than the screen. With `CARTABLE_SCREENSHOTS=DIR` set, the
//! same walk writes a screenshot of each page at each width into DIR (`scripts/screenshots`).

use std::collections::BTreeSet;
use std::path::PathBuf;

use cartable_tests::accounts;
use cartable_tests::browser::Browser;
use cartable_tests::daemon::{Daemon, demo_data};

use crate::TestResult;
use crate::browser_sign_in::sign_in_to_portal;
use crate::links::{PROFILES, crawl};

/// Pages of different kinds looked at per profile, at most.
const KINDS_PER_PROFILE: usize = 24;
const WIDTHS: [u32; 2] = [1280, 390];
/// Pages looked at besides the crawl's first kinds: the direction's notes pages, which come
/// late in its crawl.
const ALSO: &[(&str, &str)] = &[
    ("direction", "/notes/bulletins"),
    ("direction", "/notes/bulletins/6A"),
    ("direction", "/notes/reglages"),
    ("direction", "/notes/bilan/6A"),
    ("vie-scolaire", "/notes/conseil/6A"),
    ("direction", "/actualites/rubriques"),
    ("direction", "/actualites/ecrire?type=menu"),
    ("vie-scolaire", "/actualites/ecrire"),
    // The demo's first forum subject and blog post (6A's): a teacher and a pupil of the
    // class, a parent of it.
    ("enseignant", "/forums/sujet/1"),
    ("eleve", "/forums/sujet/1"),
    ("responsable", "/blogs/billet/2"),
    ("direction", "/reservations/gestion"),
    ("documentaliste", "/mediacentre/gestion"),
    ("documentaliste", "/mediacentre/gestion/1"),
    ("vie-scolaire", "/carnet?q=a"),
    ("vie-scolaire", "/carnet/fiche"),
    ("admin", "/admin/serveur"),
    ("direction", "/usages"),
    ("direction", "/usages/conseil"),
];

/// Where `scripts/test` installs axe-core (npm), unless `CARTABLE_AXE` names the file.
pub(crate) fn axe_source() -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let path = match std::env::var_os("CARTABLE_AXE") {
        Some(p) => PathBuf::from(p),
        None => {
            let cache = std::env::var_os("CARTABLE_CACHE")
                .map(PathBuf::from)
                .or_else(|| {
                    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/cartable"))
                })
                .ok_or("no HOME")?;
            cache.join("npm/node_modules/axe-core/axe.min.js")
        }
    };
    std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "axe-core introuvable ({}) : lancez scripts/test, qui l'installe avec npm ({e})",
            path.display()
        )
        .into()
    })
}

/// A page's kind: its path with identifiers (logins, codes, dates, files) blurred, and the
/// names of its query parameters.
fn kind(path: &str) -> String {
    let (p, q) = path.split_once('?').unwrap_or((path, ""));
    let segs: Vec<&str> = p
        .split('/')
        .map(|s| {
            if s.contains(['.', '%']) || s.chars().any(|c| c.is_ascii_digit()) {
                "*"
            } else {
                s
            }
        })
        .collect();
    let mut keys: Vec<&str> = q
        .split('&')
        .filter_map(|kv| kv.split('=').next())
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort();
    keys.dedup();
    format!("{}?{}", segs.join("/"), keys.join("&"))
}

const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
// What `meta-viewport` is about — zoom forbidden or capped — is checked on the element axe
// names: a finding on a viewport that allows zoom is noted (NOTE), not counted.
const zoomBlocked = html => /user-scalable\s*=\s*(no|0)\b|maximum-scale\s*=\s*(0|1)(\.\d*)?\b/i.test(html);
axe.run(document, { resultTypes: ['violations'] })
  .then(r => done(r.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => (v.id === 'meta-viewport' && !v.nodes.some(n => zoomBlocked(n.html)) ? 'NOTE ' : '') +
      v.id + ' (' + v.impact + ') : ' + v.nodes.slice(0, 3)
      .map(n => n.target.join(' ') + (v.id === 'meta-viewport' ? ' ' + n.html : '')).join(' | '))))
  .catch(e => done(['axe : ' + e]));
"#;

const WIDER_THAN_SCREEN: &str = r#"
const w = window.innerWidth;
const over = [];
if (document.documentElement.scrollWidth > w) {
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && r.width > 0 && over.length < 3) {
      over.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '') +
        ' (' + Math.round(r.right) + ' px)');
    }
  }
  over.unshift('page de ' + document.documentElement.scrollWidth + ' px pour ' + w + ' px');
}
return over;
"#;

/// Checks the page the browser is on; saves its screenshot when asked.
pub(crate) async fn check(
    c: &fantoccini::Client,
    axe: &str,
    label: &str,
    shot: Option<PathBuf>,
) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>> {
    let mut problems = Vec::new();
    c.execute(axe, vec![]).await?;
    let mut found: Vec<String> = serde_json::from_value(c.execute_async(AXE_RUN, vec![]).await?)?;
    // What is a problem is still there after three looks over 3.5 s (a page still settling
    // is not judged).
    for wait in [500, 1000, 2000] {
        if found.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
        found = serde_json::from_value(c.execute_async(AXE_RUN, vec![]).await?)?;
    }
    for v in found {
        if let Some(note) = v.strip_prefix("NOTE ") {
            eprintln!("{label} : axe signale {note}, mais ce viewport permet le zoom");
            continue;
        }
        problems.push(format!("{label} : {v}"));
    }
    let over: Vec<String> = serde_json::from_value(c.execute(WIDER_THAN_SCREEN, vec![]).await?)?;
    if !over.is_empty() {
        problems.push(format!("{label} : {}", over.join(", ")));
    }
    if let Some(path) = shot {
        std::fs::write(path, c.screenshot().await?)?;
    }
    Ok(problems)
}

fn slug(page: &str) -> String {
    page.chars()
        .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '-' })
        .take(60)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_is_accessible_and_fits_a_phone() -> TestResult {
    let axe = axe_source()?;
    let shots = std::env::var_os("CARTABLE_SCREENSHOTS").map(PathBuf::from);
    if let Some(d) = &shots {
        std::fs::create_dir_all(d)?;
    }
    let (_dir, data) = demo_data()?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let demo = accounts::read(&data)?;
    let mut problems: Vec<String> = Vec::new();
    let mut looked = 0;
    for profile in PROFILES {
        let who = accounts::first(&demo, profile).ok_or("no demo account")?;
        let found = crawl(&daemon, &who).await?;
        let mut kinds = BTreeSet::new();
        let mut pages: Vec<String> = found
            .pages
            .into_iter()
            .filter(|p| kinds.insert(kind(p)))
            .take(KINDS_PER_PROFILE)
            .collect();
        pages.extend(
            ALSO.iter()
                .filter(|(who, p)| *who == profile && kinds.insert(kind(p)))
                .map(|(_, p)| (*p).to_owned()),
        );
        let b = Browser::start().await?;
        let c = &b.client;
        // The sign-in page, once, signed out; before it, Chromium's own error page is told
        // from a page of ours (nothing listens on the discard port).
        if profile == PROFILES[0] {
            let refused = cartable_tests::browser::open(c, "https://127.0.0.1:9/").await;
            assert!(
                refused
                    .as_ref()
                    .is_err_and(|e| e.to_string().contains("ERR_")),
                "{refused:?}"
            );
            for width in WIDTHS {
                c.set_window_size(width, 900).await?;
                cartable_tests::browser::open(c, &format!("{base}/login")).await?;
                let shot = shots
                    .as_ref()
                    .map(|d| d.join(format!("connexion-{width}.png")));
                problems.extend(check(c, &axe, &format!("{width} px /login"), shot).await?);
                looked += 1;
            }
        }
        sign_in_to_portal(&b, &base, &who.login, &who.password).await?;
        for width in WIDTHS {
            c.set_window_size(width, 900).await?;
            for (n, page) in pages.iter().enumerate() {
                cartable_tests::browser::open(c, &format!("{base}{page}")).await?;
                looked += 1;
                let shot = shots
                    .as_ref()
                    .map(|d| d.join(format!("{profile}-{width}-{n:02}{}.png", slug(page))));
                let label = format!("{profile} {width} px {page}");
                problems.extend(check(c, &axe, &label, shot).await?);
            }
        }
        b.close().await;
    }
    println!("{looked} pages vues dans Chromium (axe-core, largeur)");
    assert!(
        problems.is_empty(),
        "{} problème(s) :\n{}",
        problems.len(),
        problems.join("\n")
    );
    Ok(())
}
