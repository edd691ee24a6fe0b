//! In headless Chromium: demo people sign in with the form and see their own portal; a wrong
//! password is refused in French.

use cartable_tests::accounts::{self, class_label};
use cartable_tests::browser::Browser;
use cartable_tests::daemon::{Daemon, demo_data};
use fantoccini::Locator;

use crate::TestResult;

pub(crate) async fn sign_in(b: &Browser, base: &str, login: &str, password: &str) -> TestResult {
    let c = &b.client;
    cartable_tests::browser::open(c, &format!("{base}/")).await?;
    // Not signed in: the portal sends us to the sign-in page.
    let url = c.current_url().await?;
    assert_eq!(url.path(), "/login", "expected the sign-in page, got {url}");
    let title = c.find(Locator::Css("h1")).await?.text().await?;
    assert_eq!(title, "Connexion à l'ENT");
    c.find(Locator::Id("login")).await?.send_keys(login).await?;
    c.find(Locator::Id("password"))
        .await?
        .send_keys(password)
        .await?;
    c.find(Locator::Id("se-connecter")).await?.click().await?;
    Ok(())
}

/// Signs in and waits for the portal. Told that the server is busy (a loaded machine: the
/// password check waited past its limit), tries again as a person would, three times at most.
pub(crate) async fn sign_in_to_portal(
    b: &Browser,
    base: &str,
    login: &str,
    password: &str,
) -> TestResult {
    for _ in 0..3 {
        sign_in(b, base, login, password).await?;
        match wait_path(b, "/").await {
            Ok(()) => return Ok(()),
            Err(e) if e.to_string().contains("Beaucoup de connexions") => {
                eprintln!("{login} : serveur occupé, nouvel essai");
            }
            Err(e) => return Err(e),
        }
    }
    Err(format!("{login}: still busy after three tries").into())
}

/// Waits for the page the last click led to (a click returns before the navigation ends).
pub(crate) async fn wait_path(b: &Browser, path: &str) -> TestResult {
    let started = std::time::Instant::now();
    loop {
        let url = b.client.current_url().await?;
        if url.path() == path {
            return Ok(());
        }
        if started.elapsed() > std::time::Duration::from_secs(20) {
            let said = shown(b).await;
            return Err(
                format!("still on {url}, expected {path}; the page says « {said} »").into(),
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The page is no wider than a 390 px phone (nothing to scroll sideways).
pub(crate) async fn fits_phone(b: &Browser) -> TestResult {
    let width = b
        .client
        .execute("return document.documentElement.scrollWidth;", vec![])
        .await?
        .as_f64()
        .unwrap_or(f64::MAX);
    assert!(
        width <= 390.0,
        "the page is {width} px wide on a 390 px phone"
    );
    Ok(())
}

/// The message on the page now, if any.
pub(crate) async fn shown(b: &Browser) -> String {
    for id in ["message", "erreur"] {
        if let Ok(e) = b.client.find(Locator::Id(id)).await
            && let Ok(t) = e.text().await
        {
            return t;
        }
    }
    String::new()
}

/// Waits for a message other than `before` (the page being left may still be there).
pub(crate) async fn wait_message(
    b: &Browser,
    before: &str,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let started = std::time::Instant::now();
    loop {
        let now = shown(b).await;
        if !now.is_empty() && now != before {
            return Ok(now);
        }
        if started.elapsed() > std::time::Duration::from_secs(15) {
            return Err(format!("no new message:\n{}", b.client.source().await?).into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

pub(crate) async fn sign_out(b: &Browser) -> TestResult {
    b.client
        .find(Locator::Css("form[action='/logout'] button"))
        .await?
        .click()
        .await?;
    wait_path(b, "/login").await
}

/// Waits for an element the last click's page should have (the click returns before the
/// navigation ends), then gives its text.
pub(crate) async fn wait_text(
    b: &Browser,
    id: &str,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let started = std::time::Instant::now();
    loop {
        if let Ok(e) = b.client.find(Locator::Id(id)).await {
            return Ok(e.text().await?);
        }
        if started.elapsed() > std::time::Duration::from_secs(10) {
            return text_of(b, id).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

pub(crate) async fn text_of(
    b: &Browser,
    id: &str,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    match b.client.find(Locator::Id(id)).await {
        Ok(e) => Ok(e.text().await?),
        Err(e) => {
            let url = b.client.current_url().await?;
            let page = b.client.source().await?;
            Err(format!("#{id} not found on {url}: {e}\n{page}").into())
        }
    }
}

#[tokio::test]
async fn pupil_parent_and_teacher_each_see_their_own_portal() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let daemon = Daemon::demo(&data)?;
    let accounts = accounts::read(&data)?;
    let browser = Browser::start().await?;

    // Pupil: his class.
    let pupil = accounts::first(&accounts, "eleve").ok_or("no pupil in the demo")?;
    sign_in(&browser, &daemon.url, &pupil.login, &pupil.password).await?;
    wait_path(&browser, "/").await?;
    assert_eq!(text_of(&browser, "profil").await?, "Élève");
    let classes = text_of(&browser, "mes-classes").await?;
    assert!(
        classes.contains(&class_label(&pupil.classe)),
        "pupil of {} sees {classes:?}",
        pupil.classe
    );
    let page = browser.client.source().await?;
    assert!(page.contains("Bonjour "), "no greeting");
    assert!(
        !page.contains("Mes enfants"),
        "a pupil has no children section"
    );
    // Sign out from the header.
    sign_out(&browser).await?;
    assert!(
        browser
            .client
            .source()
            .await?
            .contains("Vous êtes déconnecté")
    );

    // Parent: his children and their class.
    let parent = accounts::first(&accounts, "responsable").ok_or("no parent")?;
    sign_in(&browser, &daemon.url, &parent.login, &parent.password).await?;
    wait_path(&browser, "/").await?;
    assert_eq!(text_of(&browser, "profil").await?, "Parent");
    let children = text_of(&browser, "mes-enfants").await?;
    let child_class = parent.classe.split(',').next().unwrap_or_default();
    assert!(
        children.contains(&class_label(child_class)),
        "parent sees {children:?}, expected a child in {child_class}"
    );
    sign_out(&browser).await?;

    // Teacher: the classes taught, professeur principal marked.
    let teacher = accounts
        .iter()
        .find(|a| a.profile == "enseignant" && !a.classe.is_empty())
        .ok_or("no professeur principal")?;
    sign_in(&browser, &daemon.url, &teacher.login, &teacher.password).await?;
    wait_path(&browser, "/").await?;
    assert_eq!(text_of(&browser, "profil").await?, "Enseignant");
    let teaching = text_of(&browser, "mes-enseignements").await?;
    assert!(
        teaching.contains(&class_label(&teacher.classe))
            && teaching.contains("professeur principal"),
        "teacher sees {teaching:?}"
    );
    // His account page shows his login.
    browser
        .client
        .find(Locator::Css("a[href='/compte']"))
        .await?
        .click()
        .await?;
    wait_path(&browser, "/compte").await?;
    assert_eq!(text_of(&browser, "identifiant").await?, teacher.login);

    browser.close().await;
    Ok(())
}

#[tokio::test]
async fn wrong_password_is_refused_in_french() -> TestResult {
    let (_tmp, data) = demo_data()?;
    let daemon = Daemon::demo(&data)?;
    let accounts = accounts::read(&data)?;
    let pupil = accounts::first(&accounts, "eleve").ok_or("no pupil")?;
    let browser = Browser::start().await?;
    sign_in(&browser, &daemon.url, &pupil.login, "pas-le-bon").await?;
    browser
        .client
        .wait()
        .at_most(std::time::Duration::from_secs(15))
        .for_element(Locator::Id("erreur-connexion"))
        .await?;
    assert_eq!(browser.client.current_url().await?.path(), "/login");
    assert_eq!(
        text_of(&browser, "erreur-connexion").await?,
        cartable_core::messages::LOGIN_REFUSED
    );
    // The login typed is kept, the password is not.
    let kept = browser
        .client
        .find(fantoccini::Locator::Id("login"))
        .await?
        .prop("value")
        .await?;
    assert_eq!(kept.as_deref(), Some(pupil.login.as_str()));
    browser.close().await;
    Ok(())
}
