//! The console's « Serveur » page against the real services: an OpenLDAP annuaire with Samba
//! accounts and a real smbd. The RUPN sees both answering; « Sauvegarder maintenant » writes a
//! backup that the page then lists with its size; smbd stopped, then slapd stopped, the page
//! says so in French at the next load — the RUPN still reaches it while the annuaire is down
//! and his portal says what is wrong; a pupil gets a clear « annuaire » page whose incident
//! number the RUPN finds among the problems.

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use cartable_core::directory::{DirectoryWrite, Profile};
use cartable_tests::daemon::Daemon;
use cartable_tests::http::{client, csrf_in, sign_in};
use cartable_tests::samba::Smbd;

use crate::TestResult;
use crate::directory::person;
use crate::smb::{samba_directory, samba_site};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The page's `<li id="etat-…">` for a service, as text.
fn service<'a>(page: &'a str, id: &str) -> &'a str {
    let Some(at) = page.find(&format!("id=\"etat-{id}\"")) else {
        return "";
    };
    let rest = &page[at..];
    &rest[..rest.find("</li>").unwrap_or(rest.len())]
}

async fn get(http: &reqwest::Client, url: &str) -> Result<(u16, String), BoxError> {
    let res = http.get(url).send().await?;
    // Read as a person would: the page escapes apostrophes and quotes.
    let status = res.status().as_u16();
    let text = res.text().await?;
    Ok((status, text.replace("&#39;", "'").replace("&quot;", "\"")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_page_says_what_answers_and_what_stopped() -> TestResult {
    let (mut b, ldap) = samba_directory().await?;
    b.dir
        .apply(vec![person(
            "rupn",
            Profile::Admin,
            "Rémi",
            "UPN",
            Some("Console-2026"),
        )])
        .await?;
    let slapd = b.slapd.as_ref().ok_or("no slapd")?;
    let tmp = tempfile::tempdir()?;
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))?;
    let data = tmp.path().join("var");
    let root = tmp.path().join("fichiers");
    let nss = tmp.path().join("extrausers");
    let saves = tmp.path().join("sauvegardes");
    std::fs::create_dir_all(&saves)?;
    let smb_port = cartable_tests::free_port()?;
    let config = tmp.path().join("cartable.toml");
    std::fs::write(
        &config,
        samba_site(
            &data,
            &slapd.url,
            &root,
            &nss,
            &format!(
                "samba = \"127.0.0.1:{smb_port}\"\n[backup]\ndir = \"{}\"\n",
                saves.display()
            ),
        ),
    )?;
    let daemon = tokio::task::spawn_blocking({
        let (config, dir) = (config.clone(), tmp.path().to_owned());
        move || Daemon::serve(&config, &dir)
    })
    .await??;
    let quotas = cartable_core::files::samba::quota_dir(&data);
    let smbd = Smbd::for_cartable_at(smb_port, &ldap, &root, &quotas, &nss)?;
    let base = daemon.url.clone();
    let ca = data.join("tls/ca.pem");
    let rupn = client(&ca)?;
    assert_eq!(sign_in(&rupn, &base, "rupn", "Console-2026").await?, 303);
    let page_url = format!("{base}/admin/serveur");

    // Everything answers; no backup yet, and the page says so.
    let (status, page) = get(&rupn, &page_url).await?;
    assert_eq!(status, 200, "{page}");
    for id in ["annuaire", "base", "partages"] {
        assert!(service(&page, id).contains("En service"), "{id}: {page}");
    }
    assert!(service(&page, "partages").contains(&format!("127.0.0.1:{smb_port}")));
    assert!(service(&page, "domaine").contains("Non utilisé"));
    assert!(service(&page, "courriel").contains("Aucun relais configuré"));
    assert!(service(&page, "sauvegardes").contains("Aucune sauvegarde encore"));
    assert!(page.contains("id=\"aucune-sauvegarde\""), "{page}");

    // « Sauvegarder maintenant »: said at once, then listed with its size once written.
    let csrf = csrf_in(&page).ok_or("no CSRF token")?;
    let res = rupn
        .post(format!("{base}/admin/serveur/sauvegarder"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let back = res
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .ok_or("no location")?
        .to_owned();
    let (_, told) = get(&rupn, &format!("{base}{back}")).await?;
    assert!(told.contains("Sauvegarde lancée"), "{told}");
    let start = Instant::now();
    let listed = loop {
        let (_, page) = get(&rupn, &page_url).await?;
        if page.contains("id=\"liste-sauvegardes\"") && page.contains("réussie") {
            break page;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "the backup never showed: {page}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let written: Vec<_> = std::fs::read_dir(&saves)?.flatten().collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let name = written[0].file_name().to_string_lossy().into_owned();
    assert!(listed.contains(&name), "{listed}");
    assert!(listed.contains("demandée depuis la console"), "{listed}");
    assert!(
        service(&listed, "sauvegardes").contains("Dernière sauvegarde le")
            && service(&listed, "sauvegardes").contains("En service"),
        "{listed}"
    );
    let journal = get(&rupn, &format!("{base}/admin/journal")).await?.1;
    assert!(journal.contains("sauvegarde demandée"), "{journal}");

    // smbd stops: the next load says the school PCs lose their folders.
    drop(smbd);
    let (_, page) = get(&rupn, &page_url).await?;
    let partages = service(&page, "partages");
    assert!(
        partages.contains("En panne") && partages.contains("les postes de l'établissement"),
        "{page}"
    );
    assert!(page.contains("Un point demande votre attention"), "{page}");

    // slapd stops: the RUPN still reaches the page, which says the annuaire is down.
    let pupil = client(&ca)?;
    assert_eq!(
        sign_in(&pupil, &base, "lea.martin", "Tilleul-26").await?,
        303
    );
    drop(b.slapd.take());
    let (status, page) = get(&rupn, &page_url).await?;
    assert_eq!(status, 200, "{page}");
    let annuaire = service(&page, "annuaire");
    assert!(
        annuaire.contains("En panne") && annuaire.contains("personne ne peut se connecter"),
        "{page}"
    );
    assert!(
        page.contains("2 points demandent votre attention"),
        "{page}"
    );
    // Once what the service keeps of him has expired (5 s), his session still opens the page.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let (status, page) = get(&rupn, &page_url).await?;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("id=\"annuaire-injoignable\""), "{page}");
    assert!(service(&page, "annuaire").contains("En panne"), "{page}");
    // His portal says it too.
    let (status, portal) = get(&rupn, &format!("{base}/")).await?;
    assert_eq!(status, 200, "{portal}");
    assert!(
        portal.contains("id=\"problemes-serveur\"") && portal.contains("Annuaire :"),
        "{portal}"
    );
    // A pupil is told in French; the RUPN finds the number he was given.
    let (status, told) = get(&pupil, &format!("{base}/")).await?;
    assert_eq!(status, 503, "{told}");
    assert!(
        told.contains("L'annuaire de l'établissement ne répond pas"),
        "{told}"
    );
    let incident = told
        .split("<code>")
        .nth(1)
        .and_then(|s| s.split("</code>").next())
        .ok_or("no incident number")?
        .to_owned();
    let (_, page) = get(&rupn, &page_url).await?;
    let problems = &page[page.find("id=\"problemes\"").ok_or("no problems")?..];
    assert!(
        problems.contains(&format!("incident {incident}")) && problems.contains("Pages de l'ENT"),
        "{problems}"
    );
    Ok(())
}
