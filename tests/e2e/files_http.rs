//! The file manager over HTTP, what a browser does not show: downloads are attachments with
//! the right type and a UTF-8 name, ranges work (resumed downloads, video seeking); links
//! planted in a space (as over SMB) and paths that climb out lead nowhere; an uploaded name
//! carrying a path keeps only its last part; names Windows refuses are refused.

use cartable_tests::accounts;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, csrf_in, sign_in};

use crate::TestResult;

/// Uploads one small file named `name` to the root of one's personal space.
async fn send_one(
    c: &reqwest::Client,
    base: &str,
    token: &str,
    name: &str,
) -> Result<reqwest::Response, reqwest::Error> {
    let form = reqwest::multipart::Form::new()
        .text("csrf", token.to_owned())
        .part(
            "fichiers",
            reqwest::multipart::Part::bytes(b"x".to_vec()).file_name(name.to_owned()),
        );
    c.post(format!("{base}/fichiers/envoyer?e=perso&p="))
        .multipart(form)
        .send()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_ranges_and_escapes() -> TestResult {
    let (tmp, data) = demo_data()?;
    let demo = accounts::read(&data)?;
    let mut pupils = demo.iter().filter(|d| d.profile == "eleve");
    let (lea, other) = (
        pupils.next().ok_or("pupil")?.clone(),
        pupils.next().ok_or("pupil")?.clone(),
    );
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let perso = data.join("fichiers/perso");
    let home = perso.join(&lea.login);
    let bytes: Vec<u8> = (0..100_000u32).map(|i| (i % 256) as u8).collect();
    std::fs::write(home.join("Séance 1 — notes.pdf"), &bytes)?;
    // What another pupil keeps, and links to it planted in the first one's space.
    std::fs::write(perso.join(&other.login).join("journal.txt"), "secret")?;
    std::os::unix::fs::symlink(
        perso.join(&other.login).join("journal.txt"),
        home.join("lien.txt"),
    )?;
    std::os::unix::fs::symlink(perso.join(&other.login), home.join("raccourci"))?;
    std::os::unix::fs::symlink("/etc", home.join("systeme"))?;

    let c = client(&daemon.ca())?;
    assert_eq!(sign_in(&c, &base, &lea.login, &lea.password).await?, 303);
    let url =
        format!("{base}/fichiers/telecharger?e=perso&p=S%C3%A9ance%201%20%E2%80%94%20notes.pdf");
    let res = c.get(&url).send().await?;
    assert_eq!(res.status().as_u16(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    let cd = h["content-disposition"].to_str()?.to_owned();
    assert!(cd.starts_with("attachment"), "{cd}");
    assert!(
        cd.contains("filename*=UTF-8''S%C3%A9ance%201%20%E2%80%94%20notes.pdf"),
        "{cd}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await?.as_ref(), &bytes[..]);

    // Ranges: a resumed download gets the rest, byte for byte.
    let res = c
        .get(&url)
        .header("Range", "bytes=1000-1999")
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 206);
    assert_eq!(res.headers()["content-range"], "bytes 1000-1999/100000");
    assert_eq!(res.bytes().await?.as_ref(), &bytes[1000..2000]);
    let res = c.get(&url).header("Range", "bytes=99990-").send().await?;
    assert_eq!(res.bytes().await?.as_ref(), &bytes[99_990..]);

    // Links and climbing paths lead nowhere; links are not even listed.
    for p in [
        "lien.txt",
        "raccourci/journal.txt",
        "systeme/passwd",
        "../{other}/journal.txt",
        "%2E%2E/{other}/journal.txt",
        "/etc/passwd",
    ] {
        let p = p.replace("{other}", &other.login);
        let res = c
            .get(format!("{base}/fichiers/telecharger?e=perso&p={p}"))
            .send()
            .await?;
        assert_eq!(res.status().as_u16(), 404, "{p}");
        let body = res.text().await?;
        assert!(!body.contains("secret") && !body.contains("root:"), "{p}");
    }
    for p in ["raccourci", "systeme", "..", "../.."] {
        let res = c
            .get(format!("{base}/fichiers/dossier?e=perso&p={p}"))
            .send()
            .await?;
        assert_eq!(res.status().as_u16(), 404, "{p}");
    }
    let page = c
        .get(format!("{base}/fichiers/dossier?e=perso"))
        .send()
        .await?
        .text()
        .await?;
    assert!(
        !page.contains("lien.txt") && !page.contains("raccourci"),
        "{page}"
    );

    // Uploaded names: a path keeps its last part; Windows' reserved names are refused.
    let token = csrf_in(&page).ok_or("no CSRF token")?;
    for (name, kept) in [
        ("../../../etc/cron.d/evil", Some("evil")),
        (
            "C:\\Users\\eleve\\Documents\\devoir.odt",
            Some("devoir.odt"),
        ),
        ("CON.txt", None),
        ("a:b.txt", None),
    ] {
        let res = send_one(&c, &base, &token, name).await?;
        assert_eq!(res.status().as_u16(), 303, "{name}");
        let to = res.headers()["location"].to_str()?.to_owned();
        match kept {
            Some(k) => {
                assert!(to.contains("&ok="), "{name}: {to}");
                assert!(home.join(k).is_file(), "{name}");
            }
            None => assert!(
                to.contains("&err=") && to.contains("Nom%20refus"),
                "{name}: {to}"
            ),
        }
    }
    assert!(!tmp.path().join("etc").exists() && !data.join("etc").exists());

    // The corbeille is not a folder: a pupil, reader of his class's documents, cannot list or
    // download what his teachers deleted there, nor upload or create a name the service keeps.
    let donnees = format!("classes/{}/donnees", lea.classe);
    let deleted = data
        .join("fichiers")
        .join(&donnees)
        .join(".corbeille/1700000000-1");
    std::fs::create_dir_all(&deleted)?;
    std::fs::write(deleted.join("corrige.pdf"), "secret du professeur")?;
    for url in [
        format!("{base}/fichiers/dossier?e={donnees}&p=.corbeille"),
        format!("{base}/fichiers/dossier?e={donnees}&p=.corbeille/1700000000-1"),
        format!("{base}/fichiers/telecharger?e={donnees}&p=.corbeille/1700000000-1/corrige.pdf"),
        format!("{base}/fichiers/dossier?e=perso&p=.corbeille"),
        format!("{base}/fichiers/dossier?e=perso&p=cours/.corbeille"),
    ] {
        let res = c.get(&url).send().await?;
        assert_eq!(res.status().as_u16(), 404, "{url}");
        assert!(!res.text().await?.contains("secret"), "{url}");
    }
    for name in [
        ".corbeille",
        ".envoi-1",
        "facture\u{202E}fdp.odt",
        "devoir\u{200B}.odt",
    ] {
        let res = send_one(&c, &base, &token, name).await?;
        assert_eq!(res.status().as_u16(), 303, "{name:?}");
        assert!(!home.join(name).exists(), "{name:?} written");
    }
    let res = c
        .post(format!("{base}/fichiers/nouveau-dossier"))
        .form(&[
            ("csrf", token.as_str()),
            ("e", "perso"),
            ("p", ""),
            ("nom", ".cache"),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    assert!(!home.join(".cache").exists(), "a hidden folder was created");
    // Without the token, nothing is written.
    let form = reqwest::multipart::Form::new().part(
        "fichiers",
        reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("sans-jeton.txt"),
    );
    let res = c
        .post(format!("{base}/fichiers/envoyer?e=perso&p="))
        .multipart(form)
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 403);
    assert!(!home.join("sans-jeton.txt").exists());
    Ok(())
}
