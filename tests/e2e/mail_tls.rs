//! Mail to a relay that requires TLS and an account: STARTTLS on the submission port and
//! implicit TLS, the relay's certificate checked against `[mail] ca_file`, AUTH with the
//! password read from `password_file`; a wrong password delivers nothing.

use std::time::Duration;

use cartable_tests::accounts;
use cartable_tests::daemon::{Daemon, base_config, demo_data};
use cartable_tests::http::{client, csrf_in, sign_in};
use cartable_tests::smtp::body_text;
use cartable_tests::smtp_tls::{Mode, TlsRelay};

use crate::TestResult;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A pupil gives an address; the link that checks it goes through the relay. The relay's
/// log, and whether a mail arrived.
async fn address_mail(
    mode: Mode,
    security: &str,
    password: &str,
) -> Result<(String, bool), BoxError> {
    let (tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let relay = TlsRelay::start(
        &tmp.path().join("relais"),
        mode,
        "cartable",
        "secret-du-relais",
    )?;
    let secret = tmp.path().join("relais.secret");
    std::fs::write(&secret, format!("{password}\n"))?;
    let config = tmp.path().join("cartable.toml");
    std::fs::write(
        &config,
        format!(
            "{}[mail]\nhost = \"localhost\"\nport = {}\nsecurity = \"{security}\"\n\
             user = \"cartable\"\npassword_file = \"{}\"\n\
             sender = \"ENT <ne-pas-repondre@demo.invalid>\"\nca_file = \"{}\"\n\
             retry_seconds = 1\nquiet_start = 0\nquiet_end = 0\n",
            base_config(&data),
            relay.port,
            secret.display(),
            relay.ca_file.display()
        ),
    )?;
    let daemon = Daemon::serve(&config, tmp.path())?;
    let base = daemon.url.clone();
    let pupil = accounts::first(&demo, "eleve").ok_or("no pupil")?;
    let c = client(&data.join("tls/ca.pem"))?;
    sign_in(&c, &base, &pupil.login, &pupil.password).await?;
    let prefs = c
        .get(format!("{base}/compte/notifications"))
        .send()
        .await?
        .text()
        .await?;
    let mine = "eleve.tls@demo.invalid";
    let res = c
        .post(format!("{base}/compte/courriel"))
        .form(&[
            ("csrf", csrf_in(&prefs).ok_or("csrf")?.as_str()),
            ("courriel", mine),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let wait = if password == "secret-du-relais" {
        30
    } else {
        5
    };
    let got = match relay.wait_for(mine, 1, Duration::from_secs(wait)) {
        Ok(mails) => {
            let text = body_text(&mails[0]);
            assert!(text.contains("/compte/courriel/verifier?jeton="), "{text}");
            true
        }
        Err(_) => false,
    };
    Ok((relay.log(), got))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_goes_through_a_relay_with_starttls_or_tls_and_an_account() -> TestResult {
    let (log, got) = address_mail(Mode::StartTls, "starttls", "secret-du-relais").await?;
    assert!(got, "{log}");
    assert!(
        log.contains("auth LOGIN ok=True") || log.contains("auth PLAIN ok=True"),
        "{log}"
    );
    assert!(log.contains("delivered tls=True"), "{log}");

    let (log, got) = address_mail(Mode::Implicit, "tls", "secret-du-relais").await?;
    assert!(got, "{log}");
    assert!(log.contains("delivered tls=True"), "{log}");

    // The relay refuses the account: nothing delivered (the mail waits in the outbox, its
    // error shown where deliveries are).
    let (log, got) = address_mail(Mode::StartTls, "starttls", "pas-le-bon").await?;
    assert!(!got, "{log}");
    assert!(log.contains("ok=False"), "{log}");
    Ok(())
}
