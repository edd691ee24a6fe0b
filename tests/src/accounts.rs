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
