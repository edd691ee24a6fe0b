//! School PCs: a real smbd, configured from cartable's template (`packaging/samba/`), reads the
//! accounts cartable writes into OpenLDAP (`ldapsam`, trusted), so the ENT password is the SMB
//! password; the tree, its owners and ACLs and the NSS files are cartable's. A pupil works in
//! his home share and in his class's `travail`, reads but cannot write `donnees`, cannot see
//! another class; the class's teacher writes `donnees` and reads what pupils handed in; a wrong
//! password, another's home and a disabled account are refused.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use cartable_core::auth::password;
use cartable_core::config::FilesConfig;
use cartable_core::directory::{Change, ClassCode, ClassRef, DirectoryWrite, Profile};
use cartable_core::files::samba::{SambaSite, render};
use cartable_core::files::{Tree, keep};
use cartable_tests::samba::{Smbd, SmbdConfig};
use cartable_tests::slapd::{ADMIN_PASSWORD, BASE_DN, Slapd};

use crate::TestResult;
use crate::directory::{Backend, college, login, person, uai};

/// The domain the accounts' SIDs belong to.
const SID: &str = "S-1-5-21-1111111111-2222222222-3333333333";

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shares_follow_the_annuaire() -> TestResult {
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
    slapd.ldif(&format!(
        "dn: sambaDomainName=CARTABLE,{BASE_DN}\nobjectClass: sambaDomain\n\
         sambaDomainName: CARTABLE\nsambaSID: {SID}\n\n\
         dn: ou=groups,{BASE_DN}\nobjectClass: organizationalUnit\nou: groups\n\n\
         dn: cn=utilisateurs,ou=groups,{BASE_DN}\nobjectClass: posixGroup\n\
         objectClass: sambaGroupMapping\ncn: utilisateurs\ngidNumber: 100\n\
         sambaSID: {SID}-513\nsambaGroupType: 2\n"
    ))?;

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

    let root = files.root.clone();
    let render_conf = |port: u16, state: &Path, log: &Path| {
        render(
            &SambaSite {
                workgroup: "CARTABLE",
                netbios_name: "CARTABLE",
                root: &root,
                port,
                interfaces: "127.0.0.1",
                state_dir: state,
                log_dir: log,
            },
            &ldap,
        )
    };
    let smbd = Smbd::start(&SmbdConfig {
        render: &render_conf,
        admin_password: ADMIN_PASSWORD,
        passwd: &passwd,
        group: &group,
    })?;

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
