//! Single sign-on with CAS, against a real client: Apache with Debian's mod_auth_cas protects
//! a page; Chromium reaches it, lands on cartable's sign-in, comes back signed in with the
//! attributes of the Pronote profile, and loses access when signing out of the ENT (single
//! logout). Over HTTP: a forged, replayed, expired or other service's ticket is refused, and an
//! unregistered service gets a French page and no ticket.

use std::time::{Duration, Instant};

use cartable_tests::accounts;
use cartable_tests::apache::Apache;
use cartable_tests::browser::Browser;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::free_port;
use cartable_tests::http::{client, sign_in};
use fantoccini::Locator;

use crate::TestResult;
use crate::browser_sign_in::{sign_out, text_of, wait_path, wait_text};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn encode(s: &str) -> String {
    cartable_web::pages::encode_query(s).replace('/', "%2F")
}

async fn validate(
    c: &reqwest::Client,
    base: &str,
    endpoint: &str,
    service: &str,
    ticket: &str,
) -> Result<String, BoxError> {
    Ok(c.get(format!(
        "{base}/cas/{endpoint}?service={}&ticket={}",
        encode(service),
        encode(ticket)
    ))
    .send()
    .await?
    .text()
    .await?)
}

/// The text of the first `<cas:NAME>` element of a response.
fn element(xml: &str, name: &str) -> Option<String> {
    xml.split(&format!("<cas:{name}>"))
        .nth(1)
        .and_then(|r| r.split('<').next())
        .map(str::to_owned)
}

/// `serviceValidate` with a proxy callback.
async fn validate_with_pgt(
    c: &reqwest::Client,
    base: &str,
    service: &str,
    ticket: &str,
    callback: &str,
) -> Result<String, BoxError> {
    Ok(c.get(format!(
        "{base}/cas/serviceValidate?service={}&ticket={}&pgtUrl={}",
        encode(service),
        encode(ticket),
        encode(callback)
    ))
    .send()
    .await?
    .text()
    .await?)
}

/// A proxy ticket for `target` from a PGT.
async fn proxy_ticket(
    c: &reqwest::Client,
    base: &str,
    pgt: &str,
    target: &str,
) -> Result<String, BoxError> {
    let answer = c
        .get(format!(
            "{base}/cas/proxy?pgt={}&targetService={}",
            encode(pgt),
            encode(target)
        ))
        .send()
        .await?
        .text()
        .await?;
    Ok(element(&answer, "proxyTicket").ok_or(format!("no proxy ticket: {answer}"))?)
}

/// A ticket for `service`, asked by a signed-in client.
async fn ticket(c: &reqwest::Client, base: &str, service: &str) -> Result<String, BoxError> {
    let res = c
        .get(format!("{base}/cas/login?service={}", encode(service)))
        .send()
        .await?;
    let to = res
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .ok_or("no redirect")?
        .to_owned();
    assert!(to.starts_with(service), "{to}");
    Ok(to
        .split("ticket=")
        .nth(1)
        .ok_or(format!("no ticket in {to}"))?
        .to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cas_client_signs_people_in_and_out_and_bad_tickets_are_refused() -> TestResult {
    let (tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let pupil = accounts::first(&demo, "eleve").ok_or("no pupil")?;
    let apache_port = free_port()?;
    let service = format!("http://127.0.0.1:{apache_port}/protege/");
    let other = "https://autre-service.example/";
    // A portal allowed to proxy: its callback is a local HTTPS server.
    let portal = cartable_tests::academie::Academie::start().await?;
    let config = tmp.path().join("cartable.toml");
    std::fs::write(
        &config,
        format!(
            "{}[cas]\nticket_seconds = 5\nca_file = \"{}\"\n\
             [[cas.service]]\nname = \"Portail\"\nurl = \"{}/\"\nproxy = true\n\
             [[cas.service]]\nname = \"Service de test\"\nurl = \"http://127.0.0.1:{apache_port}/\"\n\
             allow_http = true\nprofile = \"pronote\"\n\
             [[cas.service]]\nname = \"Autre\"\nurl = \"{other}\"\nattributes = [\"uid\"]\n\
             [[cas.service]]\nname = \"Salle des profs\"\nurl = \"https://profs.example/\"\n\
             profiles = [\"enseignant\", \"direction\"]\n",
            cartable_tests::daemon::base_config(&data),
            portal.ca_file.display(),
            portal.base,
        ),
    )?;
    let daemon = Daemon::serve(&config, &data)?;
    let base = daemon.url.clone();
    let apache = Apache::start(apache_port, &base, &daemon.ca())?;

    // Chromium: the protected page sends to the ENT's sign-in, then back, signed in.
    let b = Browser::start().await?;
    let c = &b.client;
    c.goto(&format!("{}/protege/", apache.url)).await?;
    wait_path(&b, "/login").await?;
    c.find(Locator::Id("login"))
        .await?
        .send_keys(&pupil.login)
        .await?;
    c.find(Locator::Id("password"))
        .await?
        .send_keys(&pupil.password)
        .await?;
    c.find(Locator::Id("se-connecter")).await?.click().await?;
    wait_path(&b, "/protege/")
        .await
        .map_err(|e| format!("{e}\n{}", apache.log()))?;
    let who = wait_text(&b, "utilisateur")
        .await
        .map_err(|e| format!("{e}\n{}", apache.log()))?;
    assert_eq!(who, pupil.login);
    assert_eq!(text_of(&b, "categories").await?, "National_1");
    let naissance = text_of(&b, "naissance").await?;
    assert!(
        naissance.len() == 10 && naissance.as_bytes()[2] == b'/' && naissance.as_bytes()[5] == b'/',
        "dateNaissance in dd/mm/yyyy: {naissance:?}"
    );
    assert!(!text_of(&b, "nom").await?.is_empty());

    // Signing out of the ENT signs out of the service too.
    c.goto(&format!("{base}/")).await?;
    sign_out(&b).await?;
    let start = Instant::now();
    loop {
        c.goto(&format!("{}/protege/", apache.url)).await?;
        if c.current_url().await?.path() == "/login" {
            break;
        }
        if start.elapsed() > Duration::from_secs(10) {
            return Err(format!("still signed in to the service\n{}", apache.log()).into());
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    b.close().await;

    // Over HTTP.
    let anon = client(&daemon.ca())?;
    let res = anon
        .get(format!(
            "{base}/cas/login?service={}",
            encode("https://pirate.example/")
        ))
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 403, "unregistered service");
    assert!(res.headers().get("location").is_none());
    assert!(
        res.text()
            .await?
            .contains("pas autorisé à utiliser la connexion de")
    );
    // gateway: not signed in, back to the service without a ticket.
    let res = anon
        .get(format!(
            "{base}/cas/login?service={}&gateway=true",
            encode(&service)
        ))
        .send()
        .await?;
    assert_eq!(
        res.headers().get("location").and_then(|l| l.to_str().ok()),
        Some(service.as_str())
    );

    let me = client(&daemon.ca())?;
    assert_eq!(
        sign_in(&me, &base, &pupil.login, &pupil.password)
            .await?
            .as_u16(),
        303
    );
    // A service open to staff only: a pupil gets a French page, no ticket.
    let res = me
        .get(format!(
            "{base}/cas/login?service={}",
            encode("https://profs.example/")
        ))
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 403);
    assert!(res.text().await?.contains("pas ouvert à votre profil"));
    // renew: right after typing the password, a ticket comes, and validates with renew=true.
    let res = me
        .get(format!(
            "{base}/cas/login?service={}&renew=true",
            encode(&service)
        ))
        .send()
        .await?;
    let to = cartable_tests::http::location(&res);
    let t = to.split("ticket=").nth(1).ok_or(format!("renew: {to}"))?;
    let renewed = anon
        .get(format!(
            "{base}/cas/serviceValidate?service={}&ticket={}&renew=true",
            encode(&service),
            encode(t)
        ))
        .send()
        .await?
        .text()
        .await?;
    assert!(renewed.contains("<cas:user>"), "{renewed}");
    // Not signed in, renew sends to the sign-in page, never to the service.
    let res = anon
        .get(format!(
            "{base}/cas/login?service={}&renew=true",
            encode(&service)
        ))
        .send()
        .await?;
    let to = res
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default();
    assert!(to.starts_with("/login?next="), "{to}");
    // Forged.
    let forged = validate(&anon, &base, "serviceValidate", &service, "ST-forge").await?;
    assert!(forged.contains("code=\"INVALID_TICKET\""), "{forged}");
    // Valid once (CAS 2: no attributes), then replayed.
    let t = ticket(&me, &base, &service).await?;
    assert!(t.starts_with("ST-") && t.len() > 40, "unguessable: {t}");
    let ok = validate(&anon, &base, "serviceValidate", &service, &t).await?;
    assert!(
        ok.contains(&format!("<cas:user>{}</cas:user>", pupil.login)),
        "{ok}"
    );
    assert!(!ok.contains("cas:attributes"));
    let replay = validate(&anon, &base, "serviceValidate", &service, &t).await?;
    assert!(replay.contains("INVALID_TICKET"), "{replay}");
    // CAS 3: the registry's attributes, and only those.
    let t = ticket(&me, &base, &service).await?;
    let p3 = validate(&anon, &base, "p3/serviceValidate", &service, &t).await?;
    assert!(
        p3.contains("<cas:categories>National_1</cas:categories>"),
        "{p3}"
    );
    assert!(p3.contains("<cas:ENTPersonJointure>"), "{p3}");
    assert!(!p3.contains("<cas:mail>") && !p3.contains("<cas:uid>"));
    // Another service's ticket.
    let t = ticket(&me, &base, other).await?;
    let foreign = validate(&anon, &base, "serviceValidate", &service, &t).await?;
    assert!(foreign.contains("INVALID_SERVICE"), "{foreign}");
    let after = validate(&anon, &base, "serviceValidate", other, &t).await?;
    assert!(
        after.contains("INVALID_TICKET"),
        "a ticket tried once is spent: {after}"
    );
    // Expired (5 s here).
    let t = ticket(&me, &base, other).await?;
    tokio::time::sleep(Duration::from_secs(6)).await;
    let late = validate(&anon, &base, "p3/serviceValidate", other, &t).await?;
    assert!(late.contains("INVALID_TICKET"), "{late}");
    // A proxy ticket is refused.
    // Proxying: the portal gets a PGT through its HTTPS callback, then a proxy ticket for the
    // protected service, which proxyValidate accepts and names the proxy.
    let portal_service = format!("{}/accueil", portal.base);
    let callback = format!("{}/pgt", portal.base);
    let t = ticket(&me, &base, &portal_service).await?;
    let with_pgt = validate_with_pgt(&anon, &base, &portal_service, &t, &callback).await?;
    let iou = element(&with_pgt, "proxyGrantingTicket").ok_or(format!("no PGT IOU: {with_pgt}"))?;
    let called = portal
        .gets()
        .into_iter()
        .find(|g| g.contains(&iou))
        .ok_or("the callback was not called")?;
    let pgt = called
        .split("pgtId=")
        .nth(1)
        .ok_or("no pgtId")?
        .split('&')
        .next()
        .ok_or("pgtId")?
        .to_owned();
    let pt = proxy_ticket(&anon, &base, &pgt, &service).await?;
    let spec = validate(&anon, &base, "serviceValidate", &service, &pt).await?;
    assert!(spec.contains("INVALID_TICKET_SPEC"), "{spec}");
    let pt = proxy_ticket(&anon, &base, &pgt, &service).await?;
    let via = validate(&anon, &base, "proxyValidate", &service, &pt).await?;
    assert!(
        via.contains(&format!("<cas:user>{}</cas:user>", pupil.login)),
        "{via}"
    );
    assert!(
        via.contains(&format!("<cas:proxy>{callback}</cas:proxy>")),
        "{via}"
    );
    // A service not allowed to proxy gets no PGT, and its callback is never called.
    let calls = portal.gets().len();
    let t = ticket(&me, &base, other).await?;
    let no_pgt = validate_with_pgt(&anon, &base, other, &t, &callback).await?;
    assert!(
        no_pgt.contains("<cas:user>") && !no_pgt.contains("proxyGrantingTicket"),
        "{no_pgt}"
    );
    assert_eq!(portal.gets().len(), calls);
    let forged = anon
        .get(format!(
            "{base}/cas/proxy?pgt=PGT-forge&targetService={}",
            encode(&service)
        ))
        .send()
        .await?
        .text()
        .await?;
    assert!(
        forged.contains("proxyFailure") && forged.contains("INVALID_TICKET"),
        "{forged}"
    );
    let pt = validate(&anon, &base, "proxyValidate", &service, "PT-1234").await?;
    assert!(pt.contains("INVALID_TICKET"), "{pt}");
    let pt = validate(&anon, &base, "serviceValidate", &service, "PT-1234").await?;
    assert!(pt.contains("INVALID_TICKET_SPEC"), "{pt}");
    Ok(())
}
