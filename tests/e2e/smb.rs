//! School PCs: a real smbd, configured from cartable's template (`packaging/samba/`), reads the
//! accounts cartable writes into OpenLDAP (`ldapsam`, trusted), so the ENT password is the SMB
//! password; the tree, its owners and ACLs and the NSS files are cartable's. A pupil works in
//! his home share and in his class's `travail`, reads but cannot write `donnees`, cannot see
//! another class; the class's teacher writes `donnees` and reads what pupils handed in; a wrong
//! password, another's home and a disabled account are refused.

use std::os::unix::fs::{MetadataExt, PermissionsExt};

use cartable_core::auth::password;
use cartable_core::config::{FilesConfig, LdapConfig};
use cartable_core::directory::{Change, ClassCode, ClassRef, DirectoryWrite, Profile};
use cartable_core::files::{Tree, keep};
use cartable_core::store::Store;
use cartable_tests::daemon::Daemon;
use cartable_tests::http::{client, csrf_in, sign_in};
use cartable_tests::samba::Smbd;
use cartable_tests::slapd::{ADMIN_DN, ADMIN_PASSWORD, BASE_DN, Slapd};

use crate::TestResult;
use crate::directory::{Backend, college, login, person, uai};

/// The domain the accounts' SIDs belong to.
pub(crate) const SID: &str = "S-1-5-21-1111111111-2222222222-3333333333";

const PASSWORDS: [(&str, &str); 3] = [
    ("lea.martin", "Tilleul-26"),
    ("paul.prof", "Prof-2026"),
    ("hugo.petit", "Platane-26"),
];

/// The college of the directory tests, a second class with its pupil, NT hashes for those
/// who have a password.
fn college_with_two_classes() -> Vec<Change> {
    let mut changes = college();
    changes.push(Change::UpsertClass {
        uai: uai(),
        class: ClassRef {
            code: ClassCode::parse("6B").unwrap(),
            label: "6e B".into(),
        },
    });
    changes.push(person(
        "hugo.petit",
        Profile::Eleve,
        "Hugo",
        "PETIT",
        Some("Platane-26"),
    ));
    changes.push(Change::AddToClass {
        uai: uai(),
        class: ClassCode::parse("6B").unwrap(),
        pupil: login("hugo.petit"),
    });
    for c in &mut changes {
        if let Change::CreatePerson { person, .. } = c
            && let Some((_, pw)) = PASSWORDS.iter().find(|(l, _)| *l == person.login.as_str())
        {
            person.nt_hash = Some(password::nt_hash(pw));
        }
    }
    changes
}

/// A site's `cartable.toml` on the test slapd with Samba accounts; `files` adds keys to
/// `[files]`, and what follows it other sections.
pub(crate) fn samba_site(
    data: &std::path::Path,
    url: &str,
    root: &std::path::Path,
    nss: &std::path::Path,
    files: &str,
) -> String {
    format!(
        "data_dir = \"{data}\"\nlisten = \"127.0.0.1:0\"\n\
         [directory]\nbackend = \"ldap\"\nurl = \"{url}\"\nbase_dn = \"{BASE_DN}\"\n\
         bind_dn = \"{ADMIN_DN}\"\nbind_password = \"{ADMIN_PASSWORD}\"\n\
         samba_domain_sid = \"{SID}\"\n\
         [files]\nroot = \"{root}\"\nnss_dir = \"{nss}\"\n{files}",
        data = data.display(),
        root = root.display(),
        nss = nss.display(),
    )
}

/// A test slapd with the college, Samba accounts, the domain and the primary group.
pub(crate) async fn samba_directory()
-> Result<(Backend, LdapConfig), Box<dyn std::error::Error + Send + Sync>> {
    let slapd = tokio::task::spawn_blocking(Slapd::start_with_samba).await??;
    let mut config = slapd.config();
    config.samba_domain_sid = Some(SID.to_owned());
    let ldap = config.clone();
    let b = Backend::with(
        cartable_core::config::DirectoryConfig::Ldap(config),
        Some(slapd),
    )
    .await?;
    b.dir.apply(college_with_two_classes()).await?;
    let slapd = b.slapd.as_ref().ok_or("no slapd")?;
    // The domain and the primary group every account has (the install writes them).
    slapd.ldif(&cartable_tests::samba::domain_ldif(BASE_DN, SID))?;
    Ok((b, ldap))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shares_follow_the_annuaire() -> TestResult {
    let (b, ldap) = samba_directory().await?;

    // cartable lays out the tree and writes the NSS files.
    let tmp = tempfile::tempdir()?;
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))?;
    let files = FilesConfig {
        root: tmp.path().join("fichiers"),
        nss_dir: Some(tmp.path().join("extrausers")),
        ..FilesConfig::default()
    };
    let report = keep::keep_in_step(&b.dir, &files).await?;
    assert!(report.created >= 12, "{report:?}");
    assert_eq!(
        keep::keep_in_step(&b.dir, &files).await?,
        Default::default(),
        "a second pass changes nothing"
    );
    let tree = Tree::new(files.root.clone());
    let passwd = std::fs::read_to_string(tmp.path().join("extrausers/passwd"))?;
    let group = std::fs::read_to_string(tmp.path().join("extrausers/group"))?;
    assert!(group.contains("cl-6a:x:"), "{group}");
    let lea_uid: u32 = passwd
        .lines()
        .find_map(|l| l.strip_prefix("lea.martin:x:"))
        .and_then(|r| r.split(':').next())
        .ok_or("lea in passwd")?
        .parse()?;
    assert_eq!(
        std::fs::metadata(tree.perso(&login("lea.martin")))?.uid(),
        lea_uid
    );

    let quotas = tmp.path().join("samba-quotas");
    let smbd = Smbd::for_cartable(&ldap, &files.root, &quotas, &tmp.path().join("extrausers"))?;

    let work = tempfile::tempdir()?;
    let w = work.path();
    std::fs::write(w.join("expose.txt"), "Mon exposé sur les volcans")?;
    std::fs::write(w.join("consigne.txt"), "Lire le chapitre 3")?;
    let pw = |who: &str| PASSWORDS.iter().find(|(l, _)| *l == who).map(|(_, p)| *p);
    let ok = |share: &str,
              who: &str,
              cmds: &str|
     -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
        let (ok, text) = smbd.run(share, who, pw(who).ok_or(who.to_owned())?, cmds, w)?;
        assert!(ok, "{who} on {share}: {cmds}\n{text}\n{}", smbd.log());
        Ok(text)
    };
    let denied = |share: &str,
                  who: &str,
                  cmds: &str|
     -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
        let (ok, text) = smbd.run(share, who, pw(who).ok_or(who.to_owned())?, cmds, w)?;
        assert!(!ok, "{who} on {share} was allowed: {cmds}\n{text}");
        Ok(text)
    };

    // Home share: the pupil's own files, written as him.
    let text = ok("lea.martin", "lea.martin", "put expose.txt; ls")?;
    assert!(text.contains("expose.txt"), "{text}");
    let saved = tree.perso(&login("lea.martin")).join("expose.txt");
    assert_eq!(
        std::fs::read_to_string(&saved)?,
        "Mon exposé sur les volcans"
    );
    assert_eq!(
        std::fs::metadata(&saved)?.uid(),
        lea_uid,
        "written as the pupil"
    );
    denied("paul.prof", "lea.martin", "ls")?;

    // The class: the teacher writes donnees, the pupil reads it and cannot write there.
    ok("classes", "paul.prof", "cd 6A/donnees; put consigne.txt")?;
    let text = ok(
        "classes",
        "lea.martin",
        "cd 6A/donnees; get consigne.txt lu.txt",
    )?;
    assert_eq!(
        std::fs::read_to_string(w.join("lu.txt"))?,
        "Lire le chapitre 3",
        "{text}"
    );
    let text = denied("classes", "lea.martin", "cd 6A/donnees; put expose.txt")?;
    assert!(text.contains("NT_STATUS_ACCESS_DENIED"), "{text}");
    // travail: the pupil hands in, the teacher reads it (the folder's default ACL).
    ok("classes", "lea.martin", "cd 6A/travail; put expose.txt")?;
    ok(
        "classes",
        "paul.prof",
        "cd 6A/travail; get expose.txt rendu.txt",
    )?;
    assert_eq!(
        std::fs::read_to_string(w.join("rendu.txt"))?,
        "Mon exposé sur les volcans"
    );
    // Another class's pupil sees only his class and cannot enter 6A.
    let text = ok("classes", "hugo.petit", "ls")?;
    assert!(text.contains("6B") && !text.contains("6A"), "{text}");
    denied("classes", "hugo.petit", "cd 6A/donnees; ls")?;
    // Groups and commun.
    ok("groupes", "lea.martin", "cd 6-LAT; put expose.txt")?;
    denied("groupes", "hugo.petit", "cd 6-LAT; ls")?;
    ok("commun", "paul.prof", "put consigne.txt")?;
    ok("commun", "hugo.petit", "get consigne.txt commun.txt")?;
    denied("commun", "hugo.petit", "put expose.txt")?;

    // Over quota, the home share turns read-only at the next connection; back under, writable.
    cartable_core::files::samba::set_read_only(&quotas, &login("lea.martin"), true)?;
    let text = denied("lea.martin", "lea.martin", "put consigne.txt")?;
    assert!(
        text.contains("NT_STATUS_ACCESS_DENIED") || text.contains("WRITE_PROTECTED"),
        "{text}"
    );
    ok("lea.martin", "lea.martin", "get expose.txt relu.txt")?;
    cartable_core::files::samba::set_read_only(&quotas, &login("lea.martin"), false)?;
    ok("lea.martin", "lea.martin", "put consigne.txt")?;

    // Refusals: wrong password; a new password works at once; disabling closes the door.
    let (ok_wrong, text) = smbd.run("lea.martin", "lea.martin", "mauvais", "ls", w)?;
    assert!(
        !ok_wrong && text.contains("NT_STATUS_LOGON_FAILURE"),
        "{text}"
    );
    let accounts = b.accounts();
    let new_pw = accounts
        .set_password("rupn", &login("lea.martin"), None, false)
        .await?;
    let (ok_new, text) = smbd.run("lea.martin", "lea.martin", &new_pw, "ls", w)?;
    assert!(ok_new, "{text}");
    let (ok_old, _) = smbd.run("lea.martin", "lea.martin", "Tilleul-26", "ls", w)?;
    assert!(!ok_old, "the old password still works");
    accounts.disable("rupn", &login("lea.martin")).await?;
    let (ok_disabled, text) = smbd.run("lea.martin", "lea.martin", &new_pw, "ls", w)?;
    assert!(
        !ok_disabled
            && (text.contains("NT_STATUS_ACCOUNT_DISABLED") || text.contains("LOGON_FAILURE")),
        "{text}"
    );
    Ok(())
}

/// Lists a folder of the web file manager (the names of its entries).
async fn web_names(
    http: &reqwest::Client,
    base: &str,
    space: &str,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    Ok(http
        .get(format!("{base}/fichiers/dossier?e={space}"))
        .send()
        .await?
        .text()
        .await?)
}

/// Polls until `check` holds, at most `within`.
async fn within<F, Fut>(
    within: std::time::Duration,
    mut check: F,
) -> Result<bool, Box<dyn std::error::Error + Send + Sync>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool, Box<dyn std::error::Error + Send + Sync>>>,
{
    let start = std::time::Instant::now();
    loop {
        if check().await? {
            return Ok(true);
        }
        if start.elapsed() > within {
            return Ok(false);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The same files through both doors, with the real daemon: what a pupil saves on a school PC
/// is in the web file manager and its recent documents within 2 s, what he uploads from home
/// is on the PC, his; over quota, the home share turns read-only until he frees space on the
/// web.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_and_smb_are_two_doors_to_the_same_files() -> TestResult {
    let (b, ldap) = samba_directory().await?;
    let slapd = b.slapd.as_ref().ok_or("no slapd")?;
    let tmp = tempfile::tempdir()?;
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))?;
    let data = tmp.path().join("var");
    let root = tmp.path().join("fichiers");
    let nss = tmp.path().join("extrausers");
    let config = tmp.path().join("cartable.toml");
    std::fs::write(&config, samba_site(&data, &slapd.url, &root, &nss, ""))?;
    let daemon = tokio::task::spawn_blocking({
        let (config, dir) = (config.clone(), tmp.path().to_owned());
        move || Daemon::serve(&config, &dir)
    })
    .await??;
    // The daemon laid out the tree and wrote the NSS files before it listened.
    let quotas = cartable_core::files::samba::quota_dir(&data);
    let smbd = Smbd::for_cartable(&ldap, &root, &quotas, &nss)?;
    let base = daemon.url.clone();
    let http = client(&data.join("tls/ca.pem"))?;
    assert_eq!(
        sign_in(&http, &base, "lea.martin", "Tilleul-26").await?,
        303
    );

    let work = tempfile::tempdir()?;
    let w = work.path();
    std::fs::write(w.join("expose.txt"), "Mon exposé sur les volcans")?;
    std::fs::write(w.join("gros.bin"), vec![1u8; 2 * 1024 * 1024])?;
    let smb = |cmds: &str| smbd.run("lea.martin", "lea.martin", "Tilleul-26", cmds, w);

    // Saved on a school PC: on the web, and in the recent documents, within 2 s (the page
    // was seen before: its summary is known and must be dropped by the watcher).
    let before = http
        .get(format!("{base}/fichiers"))
        .send()
        .await?
        .text()
        .await?;
    assert!(!before.contains("expose.txt"), "{before}");
    let (ok, text) = smb("mkdir Sciences; cd Sciences; put expose.txt")?;
    assert!(ok, "{text}");
    let seen = within(std::time::Duration::from_secs(2), || async {
        let page = http
            .get(format!("{base}/fichiers"))
            .send()
            .await?
            .text()
            .await?;
        // In the page, not in its title.
        assert!(
            !page[..page.find("</title>").unwrap_or(0)].contains("récents"),
            "{page}"
        );
        Ok(page.contains("Documents récents") && page.contains("expose.txt"))
    })
    .await?;
    assert!(
        seen,
        "the recent documents did not show the file saved over SMB"
    );
    let page = web_names(&http, &base, "perso&p=Sciences").await?;
    assert!(page.contains("data-nom=\"expose.txt\""), "{page}");

    // Uploaded from home: on the school PC, owned by the pupil.
    let home = http
        .get(format!("{base}/fichiers/dossier?e=perso"))
        .send()
        .await?
        .text()
        .await?;
    let csrf = csrf_in(&home).ok_or("no CSRF token")?;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .part(
            "fichiers",
            reqwest::multipart::Part::bytes(b"fait a la maison".to_vec()).file_name("maison.txt"),
        );
    let res = http
        .post(format!("{base}/fichiers/envoyer?e=perso&p="))
        .multipart(form)
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let (ok, text) = smb("get maison.txt depuis-ent.txt")?;
    assert!(ok, "{text}");
    assert_eq!(
        std::fs::read_to_string(w.join("depuis-ent.txt"))?,
        "fait a la maison"
    );
    let lea_home = root.join("perso/lea.martin");
    assert_eq!(
        std::fs::metadata(lea_home.join("maison.txt"))?.uid(),
        std::fs::metadata(&lea_home)?.uid(),
        "the web writes as the pupil"
    );

    // A devoir handed out from the web lands in the pupil's home share, his to work in.
    let (ok, text) = smbd.run(
        "paul.prof",
        "paul.prof",
        "Prof-2026",
        "put expose.txt consigne.odt",
        w,
    )?;
    assert!(ok, "{text}");
    let teacher = client(&data.join("tls/ca.pem"))?;
    assert_eq!(
        sign_in(&teacher, &base, "paul.prof", "Prof-2026").await?,
        303
    );
    let page = teacher
        .get(format!("{base}/fichiers/devoirs"))
        .send()
        .await?
        .text()
        .await?;
    let token = csrf_in(&page).ok_or("no CSRF token on the devoirs page")?;
    let res = teacher
        .post(format!("{base}/fichiers/devoirs"))
        .form(&[
            ("csrf", token.as_str()),
            ("titre", "DM volcans"),
            ("pour", "classe:6A"),
            ("fichier", "consigne.odt"),
        ])
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 303);
    let (ok, text) =
        smb("cd \"devoirs/PROF Paul/DM volcans\"; get consigne.odt; put expose.txt ma-copie.txt")?;
    assert!(ok, "{text}");

    // Over quota: at his next connection his home share is read-only, reading still works.
    let store = Store::open(&data.join("cartable.sqlite")).await?;
    store
        .write(|w| w.set_file_quota("lea.martin", Some(1024 * 1024)))
        .await?;
    let (ok, text) = smb("put gros.bin")?;
    assert!(ok, "{text}");
    let blocked = within(std::time::Duration::from_secs(5), || async {
        Ok(!smb("put expose.txt encore.txt")?.0)
    })
    .await?;
    assert!(blocked, "still writable over SMB once over quota");
    let (ok, text) = smb("get maison.txt relu.txt")?;
    assert!(ok, "reading stops too: {text}");
    let page = web_names(&http, &base, "perso").await?;
    assert!(page.contains("2,0 Mo utilisés sur 1,0 Mo"), "{page}");

    // Freed from the web (corbeille emptied): writable again.
    for (url, form) in [
        ("supprimer", vec![("e", "perso"), ("p", "gros.bin")]),
        ("corbeille/vider", vec![("e", "perso")]),
    ] {
        let mut form = form;
        form.push(("csrf", &csrf));
        let res = http
            .post(format!("{base}/fichiers/{url}"))
            .form(&form)
            .send()
            .await?;
        assert_eq!(res.status().as_u16(), 303, "{url}");
    }
    let free = within(std::time::Duration::from_secs(5), || async {
        Ok(smb("put expose.txt encore.txt")?.0)
    })
    .await?;
    assert!(free, "still read-only once back under the quota");
    store.close();
    Ok(())
}
