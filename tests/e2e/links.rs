//! No dead ends: every link shown to a person leads somewhere useful to him. For the first demo
//! account of each profile, every page reachable from the portal (three clicks deep, bounded) is
//! opened, and every link on it must answer 200 — after at most three redirects, none of them
//! to the sign-in page. Error pages keep the banner.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use cartable_tests::accounts;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, location, sign_in};

use crate::TestResult;

pub const PROFILES: [&str; 8] = [
    "eleve",
    "responsable",
    "enseignant",
    "vie-scolaire",
    "direction",
    "documentaliste",
    "administratif",
    "admin",
];
/// Clicks from the portal.
const DEPTH: usize = 3;
/// Pages opened per profile at most (the demo's file spaces and weeks are many).
const MAX_PAGES: usize = 400;

/// The same-site links of a page, `&amp;` decoded, fragments dropped.
pub fn links(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find("href=\"") {
        rest = &rest[at + 6..];
        let Some(end) = rest.find('"') else { break };
        // Askama writes `&` as `&#38;`; other escapes may appear in a file name.
        let href = rest[..end]
            .replace("&amp;", "&")
            .replace("&#38;", "&")
            .replace("&#39;", "'")
            .replace("&#34;", "\"")
            .replace("&quot;", "\"");
        rest = &rest[end..];
        let href = href.split('#').next().unwrap_or_default().to_owned();
        if href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/static/") {
            out.push(href);
        }
    }
    out
}

/// Follows up to three redirects; returns the final status, address and body (HTML only).
async fn open(
    client: &reqwest::Client,
    base: &str,
    path: &str,
) -> Result<(u16, String, Option<String>), Box<dyn std::error::Error + Send + Sync>> {
    let mut path = path.to_owned();
    for _ in 0..=3 {
        let res = client.get(format!("{base}{path}")).send().await?;
        let status = res.status().as_u16();
        if res.status().is_redirection() {
            let to = location(&res);
            // A resource of another site (the médiacentre's): the ENT's part is done.
            if to.starts_with("https://") && !to.starts_with(base) {
                return Ok((200, to, None));
            }
            path = to.strip_prefix(base).unwrap_or(&to).to_owned();
            continue;
        }
        let html = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
        let body = if html { Some(res.text().await?) } else { None };
        return Ok((status, path, body));
    }
    Ok((310, path, None))
}

/// What a crawl of one person's pages found.
pub struct Crawl {
    /// HTML pages that answered 200, in the order they were reached.
    pub pages: Vec<String>,
    /// « path → status (linked from) » for every link that did not answer 200.
    pub dead: Vec<String>,
    pub opened: usize,
}

/// Signs `who` in on a fresh client and opens every page reachable from the portal.
pub async fn crawl(
    daemon: &Daemon,
    who: &accounts::DemoLogin,
) -> Result<Crawl, Box<dyn std::error::Error + Send + Sync>> {
    let base = daemon.url.clone();
    let client = client(&daemon.ca())?;
    let status = sign_in(&client, &base, &who.login, &who.password).await?;
    if status.as_u16() != 303 {
        return Err(format!("{} could not sign in: {status}", who.login).into());
    }
    let mut seen: BTreeSet<String> = BTreeSet::from(["/".to_owned()]);
    let mut queue = VecDeque::from([("/".to_owned(), 0usize, "/".to_owned())]);
    let mut out = Crawl {
        pages: Vec::new(),
        dead: Vec::new(),
        opened: 0,
    };
    while let Some((path, depth, from)) = queue.pop_front() {
        if out.opened >= MAX_PAGES {
            break;
        }
        out.opened += 1;
        let (status, at, body) = open(&client, &base, &path).await?;
        if status != 200 || at.starts_with("/login") {
            out.dead
                .push(format!("{path} → {status} {at} (lien de {from})"));
            continue;
        }
        let Some(body) = body else { continue };
        if !body.contains("class=\"bandeau\"") {
            out.dead.push(format!("{path} : pas de bandeau"));
        }
        out.pages.push(at);
        if depth >= DEPTH {
            continue;
        }
        for l in links(&body) {
            if seen.insert(l.clone()) {
                queue.push_back((l, depth + 1, path.clone()));
            }
        }
    }
    Ok(out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_link_shown_answers_200_for_every_profile() -> TestResult {
    let (_dir, data) = demo_data()?;
    let daemon = Daemon::demo(&data)?;
    let demo = accounts::read(&data)?;
    let mut dead: Vec<String> = Vec::new();
    let mut opened: BTreeMap<&str, usize> = BTreeMap::new();
    for profile in PROFILES {
        let who = accounts::first(&demo, profile)
            .ok_or_else(|| format!("no demo account with profile {profile}"))?;
        let found = crawl(&daemon, &who).await?;
        dead.extend(
            found
                .dead
                .iter()
                .map(|d| format!("{profile} ({}) : {d}", who.login)),
        );
        opened.insert(profile, found.opened);
    }
    println!("pages ouvertes par profil : {opened:?}");
    assert!(dead.is_empty(), "liens morts :\n{}", dead.join("\n"));
    // The crawl saw the services, not just the portal.
    for (profile, n) in &opened {
        assert!(*n >= 5, "{profile}: only {n} pages reachable");
    }
    Ok(())
}

#[tokio::test]
async fn error_pages_keep_the_banner_and_a_way_home() -> TestResult {
    let (_dir, data) = demo_data()?;
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let demo = accounts::read(&data)?;
    let pupil = accounts::first(&demo, "eleve").ok_or("no pupil")?;
    let client = client(&daemon.ca())?;
    sign_in(&client, &base, &pupil.login, &pupil.password).await?;
    for (path, status) in [("/nulle-part", 404), ("/admin", 403)] {
        let res = client.get(format!("{base}{path}")).send().await?;
        assert_eq!(res.status().as_u16(), status, "{path}");
        let page = res.text().await?;
        assert!(page.contains("class=\"bandeau\""), "{path}: {page}");
        assert!(page.contains("Se déconnecter"), "{path}: {page}");
        assert!(page.contains("href=\"/\""), "{path}: {page}");
    }
    Ok(())
}
