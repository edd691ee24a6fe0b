//! The demo's `demo-accounts.csv`, as a tester reads it.

use std::path::Path;

#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub login: String,
    pub password: String,
    pub profile: String,
    pub classe: String,
}

pub fn read(data_dir: &Path) -> std::io::Result<Vec<DemoLogin>> {
    let text = std::fs::read_to_string(data_dir.join("demo-accounts.csv"))?;
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    if header != "login;password;profil;classe" {
        return Err(std::io::Error::other(format!(
            "unexpected header {header:?}"
        )));
    }
    Ok(lines
        .filter_map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            (f.len() == 4).then(|| DemoLogin {
                login: f[0].to_owned(),
                password: f[1].to_owned(),
                profile: f[2].to_owned(),
                classe: f[3].to_owned(),
            })
        })
        .collect())
}

/// The first demo login of a profile (`eleve`, `responsable`, `enseignant`...).
pub fn first(accounts: &[DemoLogin], profile: &str) -> Option<DemoLogin> {
    accounts.iter().find(|a| a.profile == profile).cloned()
}

/// "6A" → "6e A", as the demo labels its classes.
pub fn class_label(code: &str) -> String {
    let (level, letter) = code.split_at(1);
    format!("{level}e {letter}")
}

/// A demo teacher who teaches every class of `of` and none of `not`, read from the annuaire.
pub async fn teacher(
    dir: &cartable_core::directory::AnyDirectory,
    demo: &[DemoLogin],
    of: &[&str],
    not: &[&str],
) -> Result<Option<DemoLogin>, Box<dyn std::error::Error + Send + Sync>> {
    use cartable_core::directory::{DirectoryRead, Login};
    for d in demo.iter().filter(|d| d.profile == "enseignant") {
        let r = dir.relations(&Login::parse(&d.login)?).await?;
        let teaches = |c: &str| r.teachings.iter().any(|t| t.class.code.as_str() == c);
        if of.iter().all(|c| teaches(c)) && !not.iter().any(|c| teaches(c)) {
            return Ok(Some(d.clone()));
        }
    }
    Ok(None)
}

/// The demo's professeur principal of `class`, read from the annuaire.
pub async fn principal(
    dir: &cartable_core::directory::AnyDirectory,
    demo: &[DemoLogin],
    class: &str,
) -> Result<Option<DemoLogin>, Box<dyn std::error::Error + Send + Sync>> {
    use cartable_core::directory::{DirectoryRead, Login};
    for d in demo.iter().filter(|d| d.profile == "enseignant") {
        let r = dir.relations(&Login::parse(&d.login)?).await?;
        if r.teachings
            .iter()
            .any(|t| t.class.code.as_str() == class && t.principal)
        {
            return Ok(Some(d.clone()));
        }
    }
    Ok(None)
}

/// The people of a class in the demo, as the module tests use them: a teacher of it, one of
/// its pupils, a parent of that pupil, and a pupil of another class.
pub struct ClassCast {
    pub teacher: DemoLogin,
    pub pupil: DemoLogin,
    pub parent: DemoLogin,
    pub other: DemoLogin,
    pub all: Vec<DemoLogin>,
}

/// The demo's store and embedded annuaire, opened from its data folder (daemon stopped).
pub async fn demo_directory(
    data: &Path,
) -> Result<
    (
        cartable_core::store::Store,
        cartable_core::directory::AnyDirectory,
    ),
    Box<dyn std::error::Error + Send + Sync>,
> {
    let store = cartable_core::store::Store::open(&data.join("cartable.sqlite")).await?;
    let dir = cartable_core::directory::AnyDirectory::from_config(
        &cartable_core::config::DirectoryConfig::Embedded,
        store.clone(),
        std::sync::Arc::new(cartable_core::clock::SystemClock),
    )
    .await?;
    Ok((store, dir))
}

/// Reads the demo's annuaire (before the daemon starts) for a class and another one.
pub async fn class_cast(
    data: &Path,
    class: &str,
    other_class: &str,
) -> Result<ClassCast, Box<dyn std::error::Error + Send + Sync>> {
    use cartable_core::directory::{DirectoryRead, Login};
    let all = read(data)?;
    let (store, dir) = demo_directory(data).await?;
    let pupil_of = |c: &str| {
        all.iter()
            .find(|d| d.profile == "eleve" && d.classe == c)
            .cloned()
            .ok_or(format!("no pupil of {c}"))
    };
    let teacher = teacher(&dir, &all, &[class], &[])
        .await?
        .ok_or(format!("no teacher of {class}"))?;
    let pupil = pupil_of(class)?;
    let other = pupil_of(other_class)?;
    let parents = dir.relations(&Login::parse(&pupil.login)?).await?.parents;
    let parent = all
        .iter()
        .find(|d| parents.iter().any(|p| p.login.as_str() == d.login))
        .cloned()
        .ok_or("no parent of the pupil in the demo accounts")?;
    store.close();
    Ok(ClassCast {
        teacher,
        pupil,
        parent,
        other,
        all,
    })
}
