//! School PCs: a real smbd reads the accounts cartable writes into OpenLDAP (`ldapsam`,
//! trusted), so the ENT password is the SMB password. smbd also looks accounts up by name
//! (getpwnam): here through nss_wrapper with the accounts' uid/gid from LDAP; on an install,
//! from the file cartable will write for libnss-extrausers (issue 6, still to come). A pupil puts a file in his
//! home share; a wrong password, another pupil's home, a person without a password yet and a
//! disabled account are refused.

use std::os::unix::fs::{MetadataExt, PermissionsExt};

use cartable_core::auth::password;
use cartable_core::directory::{Change, DirectoryWrite};
use cartable_tests::samba::{Smbd, SmbdConfig};
use cartable_tests::slapd::{ADMIN_DN, ADMIN_PASSWORD, BASE_DN, Slapd};

use crate::TestResult;
use crate::directory::{Backend, college, login};

/// The gid cartable gives accounts (`users`), mapped to the domain's users group.
const SID: &str = "S-1-5-21-1111111111-2222222222-3333333333";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ent_password_opens_the_home_share_and_nothing_else() -> TestResult {
    let slapd = tokio::task::spawn_blocking(Slapd::start_with_samba).await??;
    let mut config = slapd.config();
    config.samba_domain_sid = Some(SID.to_owned());
    let b = Backend::with(
        cartable_core::config::DirectoryConfig::Ldap(config),
        Some(slapd),
    )
    .await?;
    let mut changes = college();
    for c in &mut changes {
        if let Change::CreatePerson { person, .. } = c
            && ["lea.martin", "paul.prof"].contains(&person.login.as_str())
        {
            person.nt_hash = person.password_hash.as_ref().map(|_| {
                password::nt_hash(if person.login.as_str() == "lea.martin" {
                    "Tilleul-26"
                } else {
                    "Prof-2026"
                })
            });
        }
    }
    b.dir.apply(changes).await?;
    let slapd = b.slapd.as_ref().ok_or("no slapd")?;
    // The domain the accounts' SIDs belong to (the technician's install writes it).
    slapd.ldif(&format!(
        "dn: sambaDomainName=CARTABLE,{BASE_DN}\nobjectClass: sambaDomain\n\
         sambaDomainName: CARTABLE\nsambaSID: {SID}\n\n\
         dn: ou=groups,{BASE_DN}\nobjectClass: organizationalUnit\nou: groups\n\n\
         dn: cn=utilisateurs,ou=groups,{BASE_DN}\nobjectClass: posixGroup\n\
         objectClass: sambaGroupMapping\ncn: utilisateurs\ngidNumber: {gid}\n\
         sambaSID: {SID}-513\nsambaGroupType: 2\n",
        gid = 100
    ))?;

    // Home folders as the file service lays them out: owned by the account, private.
    let tmp = tempfile::tempdir()?;
    let perso = tmp.path().join("perso");
    let (mut passwd, mut group) = (String::new(), String::new());
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))?;
    for who in ["lea.martin", "paul.prof"] {
        let entry = slapd.search(&format!("(uid={who})"), &["uidNumber", "gidNumber"])?;
        let num = |k: &str| -> Result<u32, Box<dyn std::error::Error + Send + Sync>> {
            Ok(entry
                .lines()
                .find_map(|l| l.strip_prefix(k))
                .ok_or(format!("{k} of {who}"))?
                .trim()
                .parse()?)
        };
        let (uid, gid) = (num("uidNumber:")?, num("gidNumber:")?);
        passwd.push_str(&format!(
            "{who}:x:{uid}:{gid}::/nonexistent:/usr/sbin/nologin\n"
        ));
        if !group.contains(&format!(":{gid}:")) {
            group.push_str(&format!("eleves{gid}:x:{gid}:\n"));
        }
        let home = perso.join(who);
        std::fs::create_dir_all(&home)?;
        std::os::unix::fs::chown(&home, Some(uid), Some(gid))?;
        std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700))?;
    }
    std::fs::set_permissions(&perso, std::fs::Permissions::from_mode(0o755))?;
    let url = b.slapd.as_ref().map(|s| s.url.clone()).ok_or("url")?;
    let smbd = Smbd::start(&SmbdConfig {
        ldap_url: &url,
        suffix: BASE_DN,
        admin_dn: ADMIN_DN,
        admin_password: ADMIN_PASSWORD,
        home_root: &perso,
        shares: "",
        passwd: &passwd,
        group: &group,
    })?;

    let work = tempfile::tempdir()?;
    std::fs::write(work.path().join("expose.txt"), "Mon exposé sur les volcans")?;
    let out = smbd.client(
        "lea.martin",
        "lea.martin",
        "Tilleul-26",
        "put expose.txt; ls",
        work.path(),
    )?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && text.contains("expose.txt"),
        "{text}\n{}",
        smbd.log()
    );
    let saved = perso.join("lea.martin/expose.txt");
    assert_eq!(
        std::fs::read_to_string(&saved)?,
        "Mon exposé sur les volcans"
    );
    let lea_uid = std::fs::metadata(perso.join("lea.martin"))?.uid();
    assert_eq!(
        std::fs::metadata(&saved)?.uid(),
        lea_uid,
        "written as the pupil"
    );

    let refused = |share: &str,
                   user: &str,
                   pw: &str|
     -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
        let out = smbd.client(share, user, pw, "ls", work.path())?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.status.success(), "{user} reached {share}: {text}");
        Ok(text)
    };
    assert!(refused("lea.martin", "lea.martin", "mauvais")?.contains("NT_STATUS_LOGON_FAILURE"));
    let other = refused("paul.prof", "lea.martin", "Tilleul-26")?;
    assert!(
        other.contains("NT_STATUS_ACCESS_DENIED") || other.contains("NT_STATUS_BAD_NETWORK_NAME"),
        "{other}"
    );
    refused("marc.durand", "marc.durand", "")?;
    // A new password from the ENT is the SMB password at once; disabling closes the door.
    let accounts = b.accounts();
    let pw = accounts
        .set_password("rupn", &login("lea.martin"), None, false)
        .await?;
    let out = smbd.client("lea.martin", "lea.martin", &pw, "ls", work.path())?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    refused("lea.martin", "lea.martin", "Tilleul-26")?;
    accounts.disable("rupn", &login("lea.martin")).await?;
    let text = refused("lea.martin", "lea.martin", &pw)?;
    assert!(
        text.contains("NT_STATUS_ACCOUNT_DISABLED") || text.contains("LOGON_FAILURE"),
        "{text}"
    );
    Ok(())
}
