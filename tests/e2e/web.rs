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

#[tokio::test]
async fn password_guessing_locks_the_attacker_not_the_pupil() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let daemon = Daemon::demo(&data)?;
    let accounts = accounts::read(&data)?;
    let pupils: Vec<_> = accounts.iter().filter(|a| a.profile == "eleve").collect();
    let (victim, classmate) = (pupils[0], pupils[1]);
    let attacker = client_from(&daemon.ca(), Some("127.0.0.2".parse()?))?;
    for _ in 0..5 {
        assert_eq!(
            sign_in(&attacker, &daemon.url, &victim.login, "devine").await?,
            401
        );
    }
    // Even the right password is now refused from the attacker's address, in French.
    let res = post_sign_in(&attacker, &daemon.url, &victim.login, &victim.password).await?;
    assert_eq!(res.status(), 429);
    assert!(
        res.text()
            .await?
            .contains("Trop de tentatives de connexion")
    );
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
