//! HTTP-level behaviour: certificate, security headers, cookies, CSRF, health, metrics,
//! the HTTP→HTTPS redirect.

use cartable_tests::accounts;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, client_from, get_json, post_sign_in, sign_in};

use crate::TestResult;

#[tokio::test]
async fn login_page_is_https_with_security_headers_and_secure_cookies() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let daemon = Daemon::demo(&data)?;
    // Trusting only the generated CA: the chain must be valid for localhost.
    let http = client(&daemon.ca())?;
    let res = http.get(format!("{}/login", daemon.url)).send().await?;
    assert_eq!(res.status(), 200);
    let h = res.headers();
    let get = |n: &str| {
        h.get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    assert!(get("strict-transport-security").contains("max-age="));
    assert!(get("content-security-policy").contains("default-src 'self'"));
    assert!(get("content-security-policy").contains("frame-ancestors 'none'"));
    assert_eq!(get("x-frame-options"), "DENY");
    assert_eq!(get("x-content-type-options"), "nosniff");
    assert!(!get("referrer-policy").is_empty());
    let cookie = get("set-cookie");
    assert!(cookie.starts_with("__Host-cartable-csrf="), "{cookie}");
    for flag in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(flag), "cookie lacks {flag}: {cookie}");
    }
    let page = res.text().await?;
    assert!(page.contains("<html lang=\"fr\">"));
    assert!(page.contains("Identifiant") && page.contains("Mot de passe"));

    // The session cookie after sign-in has the same flags.
    let accounts = accounts::read(&data)?;
    let pupil = accounts::first(&accounts, "eleve").ok_or("no pupil")?;
    let res = post_sign_in(&http, &daemon.url, &pupil.login, &pupil.password).await?;
    assert_eq!(res.status(), 303);
    let session = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__Host-cartable="))
        .ok_or("no session cookie")?
        .to_owned();
    for flag in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(
            session.contains(flag),
            "session cookie lacks {flag}: {session}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let daemon = Daemon::demo(&data)?;
    let accounts = accounts::read(&data)?;
    let pupil = accounts::first(&accounts, "eleve").ok_or("no pupil")?;
    let http = client(&daemon.ca())?;
    // Even with the right password, a post without the page's token is refused.
    let res = http
        .post(format!("{}/login", daemon.url))
        .form(&[
            ("login", pupil.login.as_str()),
            ("password", pupil.password.as_str()),
            ("csrf", "forged"),
        ])
        .send()
        .await?;
    assert_eq!(res.status(), 403);
    assert!(res.text().await?.contains("Cette page a expiré"));
    assert!(
        http.get(format!("{}/", daemon.url))
            .send()
            .await?
            .status()
            .is_redirection()
    );

    // Signed in, sign-out needs the session's token too.
    assert_eq!(
        sign_in(&http, &daemon.url, &pupil.login, &pupil.password).await?,
        303
    );
    let res = http
        .post(format!("{}/logout", daemon.url))
        .form(&[("csrf", "forged")])
        .send()
        .await?;
    assert_eq!(res.status(), 403);
    assert_eq!(
        http.get(format!("{}/", daemon.url)).send().await?.status(),
        200
    );
    Ok(())
}

#[tokio::test]
async fn healthz_and_metrics_report_what_happened() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let daemon = Daemon::demo(&data)?;
    let http = client(&daemon.ca())?;
    let health = get_json(&http, &format!("{}/healthz", daemon.url)).await?;
    assert_eq!(health["status"], "ok");
    assert_eq!(health["store"]["status"], "ok");
    assert_eq!(health["directory"]["status"], "ok");
    assert_eq!(health["directory"]["backend"], "embedded");

    let accounts = accounts::read(&data)?;
    let pupil = accounts::first(&accounts, "eleve").ok_or("no pupil")?;
    assert_eq!(
        sign_in(&http, &daemon.url, &pupil.login, "faux").await?,
        401
    );
    assert_eq!(
        sign_in(&http, &daemon.url, &pupil.login, &pupil.password).await?,
        303
    );
    assert_eq!(
        http.get(format!("{}/", daemon.url)).send().await?.status(),
        200
    );

    let metrics = http
        .get(format!("{}/metrics", daemon.url))
        .send()
        .await?
        .text()
        .await?;
    let has = |needle: &str| metrics.lines().any(|l| l.starts_with(needle));
    assert!(
        has("cartable_logins_total{result=\"failed\"} 1"),
        "{metrics}"
    );
    assert!(has("cartable_logins_total{result=\"ok\"} 1"), "{metrics}");
    assert!(has("cartable_build_info{version=\""), "{metrics}");
    assert!(
        metrics.contains(
            "cartable_http_requests_total{method=\"POST\",route=\"/login\",status=\"401\"} 1"
        ),
        "{metrics}"
    );
    assert!(metrics.contains("cartable_http_request_duration_seconds_bucket{route=\"/\""));
    Ok(())
}

#[tokio::test]
async fn plain_http_redirects_to_https() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let daemon = Daemon::demo_with(&data, &["--http-listen", "127.0.0.1:0"], &[])?;
    let addr = daemon.http_addr.clone().ok_or("no HTTP listener printed")?;
    let port = addr.rsplit(':').next().ok_or("port")?;
    let plain = client(&daemon.ca())?;
    let res = plain
        .get(format!("http://localhost:{port}/compte?x=1"))
        .send()
        .await?;
    assert_eq!(res.status(), 308);
    let https_port = daemon.url.rsplit(':').next().ok_or("port")?;
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some(format!("https://localhost:{https_port}/compte?x=1").as_str())
    );
    Ok(())
}

/// The seconds a refused sign-in page says to wait.
fn announced_wait(page: &str) -> Option<u64> {
    let at = page.find("attendez ")? + "attendez ".len();
    page[at..].split(' ').next()?.parse().ok()
}

#[tokio::test]
async fn password_guessing_slows_the_attacker_and_never_locks_the_pupil_out_for_long() -> TestResult
{
    let (_tmp, data) = demo_data()?;
    let daemon = Daemon::demo(&data)?;
    let accounts = accounts::read(&data)?;
    let pupils: Vec<_> = accounts.iter().filter(|a| a.profile == "eleve").collect();
    let (victim, classmate) = (pupils[0], pupils[1]);
    // The school's NAT: the attacker and the victim share its address.
    let nat = client_from(&daemon.ca(), Some("127.0.0.2".parse()?))?;
    let mut failures = 0;
    while failures < 7 {
        let res = post_sign_in(&nat, &daemon.url, &victim.login, "devine").await?;
        match res.status().as_u16() {
            401 => failures += 1,
            429 => {
                let page = res.text().await?;
                let wait = announced_wait(&page).ok_or(page.clone())?;
                tokio::time::sleep(std::time::Duration::from_secs(wait + 1)).await;
            }
            s => return Err(format!("status {s}").into()),
        }
    }
    // The right password, just after, waits a few seconds — said in French, a minute at most.
    let res = post_sign_in(&nat, &daemon.url, &victim.login, &victim.password).await?;
    assert_eq!(res.status(), 429);
    let page = res.text().await?;
    let wait = announced_wait(&page).ok_or(page.clone())?;
    assert!((1..=60).contains(&wait), "{page}");
    tokio::time::sleep(std::time::Duration::from_secs(wait + 1)).await;
    assert_eq!(
        sign_in(&nat, &daemon.url, &victim.login, &victim.password).await?,
        303,
        "the right password after the wait"
    );
    let attacker = client_from(&daemon.ca(), Some("127.0.0.2".parse()?))?;
    // The classmate signs in from the same address; the victim from his own device.
    assert_eq!(
        sign_in(
            &attacker,
            &daemon.url,
            &classmate.login,
            &classmate.password
        )
        .await?,
        303
    );
    let home = client_from(&daemon.ca(), Some("127.0.0.3".parse()?))?;
    assert_eq!(
        sign_in(&home, &daemon.url, &victim.login, &victim.password).await?,
        303
    );
    Ok(())
}
