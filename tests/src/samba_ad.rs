//! A real Samba AD domain controller for the tests, from Debian's packages: provisioned in a
//! temporary folder and run in a network namespace of its own (LDAP, Kerberos and SMB have
//! fixed ports, and the host's slapd keeps 389/636), reached from the host through a veth pair
//! on a private /24. Its LDAPS certificate is signed by a CA made for the test. Everything it
//! started — processes, namespace, link, the private /run/samba mount — goes with it on drop.

use std::io::{Error, Result};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The realm and NetBIOS domain every test DC serves.
pub const REALM: &str = "E2E.TEST";
pub const WORKGROUP: &str = "E2E";
pub const ADMIN_PASSWORD: &str = "Adm1n-E2E-pass";
/// The password of the account cartabled writes the domain with.
pub const SYNC_PASSWORD: &str = "Sync-E2E-pass";

pub struct Dc {
    /// The controller's address, on the veth pair.
    pub ip: String,
    pub ns: String,
    /// The file server's address, beside the controller's in its namespace.
    pub member_ip: String,
    host_link: String,
    dir: tempfile::TempDir,
    child: Option<Child>,
    /// `samba-tool user syncpasswords`, once started.
    password_back: Option<Child>,
    /// smbd and winbindd of the member file server, once started.
    member: Option<Child>,
}

fn run(what: &str, cmd: &mut Command) -> Result<Output> {
    let out = cmd.output()?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(Error::other(format!(
            "{what}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )))
    }
}

fn ip(args: &[&str]) -> Result<Output> {
    run(
        &format!("ip {}", args.join(" ")),
        Command::new("ip").args(args),
    )
}

impl Dc {
    /// Provisions a domain and starts its controller; it answers LDAPS and Kerberos on return.
    pub fn start() -> Result<Self> {
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let subnet = 40 + (std::process::id() % 40) * 5 + n % 5;
        let tag = format!("{}{n}", std::process::id() % 10_000);
        let ns = format!("cartad{tag}");
        let host_link = format!("cah{tag}");
        let dc_link = format!("cad{tag}");
        let ip_dc = format!("10.98.{subnet}.2");
        let dir = tempfile::Builder::new().prefix("cartable-dc-").tempdir()?;
        // From here, drop cleans up whatever was made.
        let mut dc = Self {
            ip: ip_dc.clone(),
            ns: ns.clone(),
            member_ip: format!("10.98.{subnet}.3"),
            host_link: host_link.clone(),
            dir,
            child: None,
            password_back: None,
            member: None,
        };
        ip(&["netns", "add", &ns])?;
        ip(&[
            "link", "add", &host_link, "type", "veth", "peer", "name", &dc_link,
        ])?;
        ip(&["link", "set", &dc_link, "netns", &ns])?;
        ip(&[
            "addr",
            "add",
            &format!("10.98.{subnet}.1/24"),
            "dev",
            &host_link,
        ])?;
        ip(&["link", "set", &host_link, "up"])?;
        // The controller, the file server and a PC: three addresses of the namespace.
        for host in [2, 3, 4] {
            let address = format!("10.98.{subnet}.{host}/24");
            ip(&[
                "netns", "exec", &ns, "ip", "addr", "add", &address, "dev", &dc_link,
            ])?;
        }
        ip(&["netns", "exec", &ns, "ip", "link", "set", &dc_link, "up"])?;
        // Names and DNS inside the namespace (`ip netns exec` mounts these over /etc's).
        let etc = Path::new("/etc/netns").join(&ns);
        std::fs::create_dir_all(&etc)?;
        let realm = REALM.to_ascii_lowercase();
        std::fs::write(
            etc.join("hosts"),
            format!(
                "127.0.0.1 localhost\n{ip_dc} dc1.{realm} dc1\n10.98.{subnet}.3 fs.{realm} fs\n\
                 10.98.{subnet}.4 pc1.{realm} pc1\n"
            ),
        )?;
        std::fs::write(etc.join("resolv.conf"), format!("nameserver {ip_dc}\n"))?;
        ip(&["netns", "exec", &ns, "ip", "link", "set", "lo", "up"])?;

        let d = dc.dir.path().to_owned();
        // The install's own commands (cartable-provision's), in the test's namespace.
        let controller = dc.controller();
        std::fs::create_dir_all(controller.tls_dir())?;
        let pki = cartable_provision::controller::pki(
            &controller,
            cartable_core::clock::Clock::now(&cartable_core::clock::SystemClock),
        )
        .map_err(Error::other)?;
        std::fs::write(controller.ca_file(), &pki.ca_pem)?;
        std::fs::write(controller.tls_dir().join("dc.pem"), &pki.cert_pem)?;
        let key = controller.tls_dir().join("dc.key");
        std::fs::write(&key, &pki.key_pem)?;
        // Samba refuses a key others can read.
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))?;
        let admin_secret = d.join("admin.secret");
        std::fs::write(&admin_secret, ADMIN_PASSWORD)?;
        std::fs::write(d.join("sync.secret"), SYNC_PASSWORD)?;
        let in_ns = |what: &str, script: String| {
            run(
                what,
                Command::new("ip").args(["netns", "exec", &ns, "sh", "-c", &script]),
            )
        };
        in_ns(
            "samba-tool domain provision",
            controller.provision_script(&admin_secret),
        )?;
        run(
            "samba-tool domain passwordsettings",
            Command::new("ip")
                .args(["netns", "exec", &ns])
                .args(controller.password_policy_argv()),
        )?;
        in_ns(
            "the sync account",
            controller.sync_account_script(&d.join("sync.secret")),
        )?;
        std::fs::write(d.join("krb5.conf"), controller.krb5_conf())?;
        dc.run_samba()?;
        Ok(dc)
    }

    /// The controller as cartable-provision lays it out, in the test's folder and namespace.
    pub fn controller(&self) -> cartable_provision::controller::Controller {
        cartable_provision::controller::Controller {
            dir: self.dir.path().to_owned(),
            netns: self.ns.clone(),
            realm: REALM.to_owned(),
            host_name: "dc1".to_owned(),
            address: self.ip.clone(),
            // Its own address only: the file server takes another one of the namespace.
            interfaces: format!("127.0.0.1 {}/24", self.ip),
            dns_forwarder: None,
        }
    }

    fn run_samba(&mut self) -> Result<()> {
        let d = self.dir.path();
        let log = std::fs::File::create(d.join("samba.out"))?;
        // `ip netns exec` gives the command a mount namespace of its own: /run/samba there is
        // the test's, so no winbindd socket of the host's is ever used.
        let child = Command::new("ip")
            .args(["netns", "exec", &self.ns, "sh", "-c"])
            .arg(format!(
                "mount --bind {run} /run/samba && exec {samba} --debug-stdout",
                run = d.join("run").display(),
                samba = self.controller().samba_argv().join(" ")
            ))
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()?;
        self.child = Some(child);
        let started = Instant::now();
        loop {
            let up = [636, 88].iter().all(|port| {
                std::net::TcpStream::connect_timeout(
                    &std::net::SocketAddr::new(
                        self.ip.parse().unwrap_or([127, 0, 0, 1].into()),
                        *port,
                    ),
                    Duration::from_millis(200),
                )
                .is_ok()
            });
            if up {
                return Ok(());
            }
            if let Some(c) = self.child.as_mut()
                && let Some(status) = c.try_wait()?
            {
                return Err(Error::other(format!(
                    "samba exited ({status}):\n{}",
                    self.log()
                )));
            }
            if started.elapsed() > Duration::from_secs(30) {
                return Err(Error::other(format!(
                    "samba did not start:\n{}",
                    self.log()
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("samba.out")).unwrap_or_default()
    }

    /// Stops the controller (its state stays): the domain is down.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let group = format!("-{}", child.id());
            let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(5) {
                if child.try_wait().ok().flatten().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            let _ = child.wait();
            // Its children may outlive the leader by a moment.
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(5) && self.pids_in_ns() > 0 {
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &group])
                    .stderr(Stdio::null())
                    .status();
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }

    /// Starts the stopped controller again.
    pub fn restart(&mut self) -> Result<()> {
        self.stop();
        self.run_samba()
    }

    fn pids_in_ns(&self) -> usize {
        Command::new("ip")
            .args(["netns", "pids", &self.ns])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).lines().count())
            .unwrap_or(0)
    }

    /// A Linux PC of the school joins the domain the usual way (adcli, sssd) and a person logs
    /// on to it through PAM (pamtester), in a mount namespace of its own where /etc/sssd,
    /// /var/lib/sss, NSS and PAM are the test's. Gives the account as NSS sees it, and
    /// whether `password` was accepted and `wrong` refused.
    pub fn linux_pc_logon(&self, user: &str, password: &str, wrong: &str) -> Result<LinuxLogon> {
        let p = self.dir.path().join("pc1");
        for sub in [
            "sssd",
            "sss/db",
            "sss/pipes/private",
            "sss/mc",
            "sss/pubconf",
            "sss/gpo_cache",
            "sss/keytabs",
            "pam.d",
            "log",
        ] {
            std::fs::create_dir_all(p.join(sub))?;
        }
        std::fs::set_permissions(p.join("sssd"), std::fs::Permissions::from_mode(0o700))?;
        let realm = REALM.to_ascii_lowercase();
        let keytab = p.join("krb5.keytab");
        std::fs::write(
            p.join("sssd/sssd.conf"),
            format!(
                "[sssd]\nservices = nss, pam\ndomains = {realm}\n\n[domain/{realm}]\n\
                 id_provider = ad\nauth_provider = ad\naccess_provider = ad\n\
                 ad_gpo_access_control = permissive\nad_domain = {realm}\nkrb5_realm = {REALM}\n\
                 ad_server = dc1.{realm}\nad_hostname = pc1.{realm}\nldap_id_mapping = False\n\
                 krb5_keytab = {kt}\nldap_krb5_keytab = {kt}\ncache_credentials = True\n\
                 use_fully_qualified_names = False\nfallback_homedir = /home/%u\n\
                 dyndns_update = False\n",
                kt = keytab.display()
            ),
        )?;
        std::fs::set_permissions(
            p.join("sssd/sssd.conf"),
            std::fs::Permissions::from_mode(0o600),
        )?;
        std::fs::write(
            p.join("nsswitch.conf"),
            "passwd: files sss\ngroup: files sss\nhosts: files dns\n",
        )?;
        std::fs::write(
            p.join("pam.d/cartable-pc"),
            "auth required pam_sss.so\naccount required pam_sss.so\n",
        )?;
        let script = format!(
            "set -e\n\
             mount --bind {p}/sssd /etc/sssd\n\
             mount --bind {p}/sss /var/lib/sss\n\
             mount --bind {p}/nsswitch.conf /etc/nsswitch.conf\n\
             mount --bind {p}/pam.d /etc/pam.d\n\
             mount --bind {p}/log /var/log/sssd\n\
             echo '{ADMIN_PASSWORD}' | adcli join --domain={realm} --domain-controller=dc1.{realm} \
               --host-fqdn=pc1.{realm} --computer-name=PC1 --host-keytab={kt} -U Administrator \
               --stdin-password\n\
             sssd -i --logger=files > {p}/sssd.out 2>&1 &\n\
             for i in $(seq 1 100); do getent passwd {user} && break; sleep 0.2; done\n\
             if printf '%s\\n' \"$GOOD\" | pamtester cartable-pc {user} authenticate acct_mgmt; \
               then echo ACCEPTED; fi\n\
             if printf '%s\\n' \"$BAD\" | pamtester cartable-pc {user} authenticate; \
               then echo WRONG-ACCEPTED; else echo WRONG-REFUSED; fi\n\
             kill %1\n",
            p = p.display(),
            kt = keytab.display(),
        );
        std::fs::write(p.join("logon.sh"), script)?;
        let out = Command::new("ip")
            .args(["netns", "exec", &self.ns, "sh"])
            .arg(p.join("logon.sh"))
            .env("KRB5_CONFIG", self.krb5_conf())
            .env("GOOD", password)
            .env("BAD", wrong)
            .output()?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(LinuxLogon {
            passwd: text
                .lines()
                .find(|l| l.starts_with(&format!("{user}:")))
                .unwrap_or_default()
                .to_owned(),
            accepted: text.lines().any(|l| l == "ACCEPTED"),
            wrong_refused: text.lines().any(|l| l == "WRONG-REFUSED"),
            output: text,
        })
    }

    /// The controller's `netlogon` folder, where the logon script goes.
    /// The member file server's log (smbd and winbindd), its last `lines` lines: what a
    /// failing test shows.
    pub fn member_log(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(self.dir.path().join("fs").join("member.out"))
            .unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    pub fn netlogon_dir(&self) -> PathBuf {
        self.controller().netlogon_dir()
    }

    pub fn ca_file(&self) -> PathBuf {
        self.controller().ca_file()
    }

    pub fn url(&self) -> String {
        format!("ldaps://{}", self.ip)
    }

    pub fn admin(&self) -> String {
        format!("Administrator@{REALM}")
    }

    /// The `[domaine]` section of a `cartable.toml` for this controller, its password in
    /// a file beside.
    /// cartabled writes with the account the install makes for it, which may only touch
    /// `OU=cartable`.
    pub fn site_section(&self) -> Result<String> {
        Ok(format!(
            "[domaine]\nroyaume = \"{REALM}\"\nurl = \"{}\"\nca_file = \"{}\"\n\
             compte = \"{}@{REALM}\"\npassword_file = \"{}\"\n",
            self.url(),
            self.ca_file().display(),
            cartable_provision::controller::SYNC_ACCOUNT,
            self.dir.path().join("sync.secret").display()
        ))
    }

    /// `base` (under `DC=e2e,DC=test` when relative), searched as the administrator over
    /// LDAPS: the LDIF ldapsearch prints.
    pub fn search(&self, filter: &str, attrs: &[&str]) -> Result<String> {
        let out = run(
            "ldapsearch",
            Command::new("ldapsearch")
                .env("LDAPTLS_CACERT", self.ca_file())
                .args(["-LLL", "-o", "ldif-wrap=no", "-H", &self.url()])
                .args(["-D", &self.admin(), "-w", ADMIN_PASSWORD])
                .args(["-b", "DC=e2e,DC=test", filter])
                .args(attrs),
        )?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// A Kerberos ticket for `user` in a credentials cache of its own (`FILE:…`), or why not.
    fn ticket(&self, user: &str, password: &str) -> std::result::Result<PathBuf, String> {
        static N: AtomicU32 = AtomicU32::new(0);
        let cache = self
            .dir
            .path()
            .join(format!("cc-{}", N.fetch_add(1, Ordering::Relaxed)));
        let out = self.kerberos("kinit", user, &cache, &format!("{password}\n"))?;
        if out.status.success() {
            Ok(cache)
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// A Kerberos command (`kinit`, `kpasswd`) for `user` against this controller, with
    /// `cache`, answering its prompts with `input`.
    fn kerberos(
        &self,
        command: &str,
        user: &str,
        cache: &Path,
        input: &str,
    ) -> std::result::Result<Output, String> {
        use std::io::Write;
        let mut child = Command::new(command)
            .env("KRB5_CONFIG", self.krb5_conf())
            .env("KRB5CCNAME", format!("FILE:{}", cache.display()))
            .arg(format!("{user}@{REALM}"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(input.as_bytes());
        }
        child.wait_with_output().map_err(|e| e.to_string())
    }

    /// `kinit` of `user` with `password`, in a credentials cache of its own; on success, the
    /// ticket's encryption types as `klist -e` prints them.
    pub fn kinit(&self, user: &str, password: &str) -> std::result::Result<String, String> {
        let cache = self.ticket(user, password)?;
        let krb5 = self.krb5_conf();
        let klist = Command::new("klist")
            .env("KRB5_CONFIG", &krb5)
            .env("KRB5CCNAME", format!("FILE:{}", cache.display()))
            .arg("-e")
            .output()
            .map_err(|e| e.to_string())?;
        let _ = std::fs::remove_file(&cache);
        Ok(String::from_utf8_lossy(&klist.stdout).into_owned())
    }

    /// Starts `samba-tool user syncpasswords` with `script`, as the appliance runs it: each
    /// password change in the domain is handed to the script.
    pub fn start_password_back(&mut self, script: &Path) -> Result<()> {
        let c = self.controller();
        let init = c.password_back_init_argv(script);
        run(
            "syncpasswords --cache-ldb-initialize",
            Command::new(&init[0]).args(&init[1..]),
        )?;
        let log = std::fs::File::create(self.dir.path().join("syncpasswords.out"))?;
        let argv = c.password_back_argv();
        let child = Command::new(&argv[0])
            .args(&argv[1..])
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()?;
        self.password_back = Some(child);
        Ok(())
    }

    pub fn password_back_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("syncpasswords.out")).unwrap_or_default()
    }

    /// A password change as Windows makes it (Ctrl-Alt-Suppr): the kpasswd protocol, with the
    /// user's own old password.
    pub fn kpasswd(&self, user: &str, old: &str, new: &str) -> std::result::Result<(), String> {
        let cache = self.dir.path().join("cc-kpasswd");
        let out = self.kerberos("kpasswd", user, &cache, &format!("{old}\n{new}\n{new}\n"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Joins a file server to the domain and starts it (smbd and winbindd, at
    /// [`Self::member_ip`], in a mount namespace of their own where /run/samba is theirs and
    /// NSS asks winbind). `conf` gives its smb.conf from its state and log folders.
    pub fn start_member(&mut self, conf: &dyn Fn(&Path, &Path) -> String) -> Result<()> {
        let m = self.dir.path().join("fs");
        for sub in ["state", "log", "run"] {
            std::fs::create_dir_all(m.join(sub))?;
        }
        let smb_conf = m.join("smb.conf");
        std::fs::write(&smb_conf, conf(&m.join("state"), &m.join("log")))?;
        for sub in ["private", "lock", "state", "cache", "pid", "ncalrpc"] {
            std::fs::create_dir_all(m.join("state").join(sub))?;
        }
        std::fs::write(
            m.join("nsswitch.conf"),
            "passwd: files winbind\ngroup: files winbind\nhosts: files dns\n",
        )?;
        let krb5 = self.krb5_conf();
        run(
            "net ads join",
            Command::new("ip")
                .args(["netns", "exec", &self.ns, "net", "ads", "join"])
                .arg(format!("--configfile={}", smb_conf.display()))
                .args(["-U", &format!("Administrator%{ADMIN_PASSWORD}")])
                .env("KRB5_CONFIG", &krb5),
        )?;
        self.spawn_member()
    }

    /// Stops the member file server's smbd and winbindd and starts them again, joined as they
    /// were: what a technician does (`systemctl restart winbind smbd`) when a member stops
    /// answering. Its log so far is kept in `member.out.1`.
    pub fn restart_member(&mut self) -> Result<()> {
        if let Some(mut c) = self.member.take() {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", c.id())])
                .status();
            let _ = c.wait();
        }
        let m = self.dir.path().join("fs");
        let _ = std::fs::rename(m.join("member.out"), m.join("member.out.1"));
        self.spawn_member()
    }

    fn spawn_member(&mut self) -> Result<()> {
        let m = self.dir.path().join("fs");
        let smb_conf = m.join("smb.conf");
        let krb5 = self.krb5_conf();
        let log = std::fs::File::create(m.join("member.out"))?;
        let child = Command::new("ip")
            .args(["netns", "exec", &self.ns, "sh", "-c"])
            .arg(format!(
                "mount --bind {run} /run/samba && mount --bind {nss} /etc/nsswitch.conf && \
                 {{ winbindd -F --no-process-group --debug-stdout -s {conf} & }} && \
                 exec smbd -F --no-process-group --debug-stdout -s {conf}",
                run = m.join("run").display(),
                nss = m.join("nsswitch.conf").display(),
                conf = smb_conf.display()
            ))
            .env("KRB5_CONFIG", &krb5)
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()?;
        self.member = Some(child);
        let started = Instant::now();
        let addr =
            std::net::SocketAddr::new(self.member_ip.parse().unwrap_or([127, 0, 0, 1].into()), 445);
        while std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if started.elapsed() > Duration::from_secs(30) {
                return Err(Error::other(format!(
                    "the file server did not start:\n{}",
                    std::fs::read_to_string(m.join("member.out")).unwrap_or_default()
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    /// `smbclient` on the member file server as `user`: with a Kerberos ticket from `password`
    /// (`--use-kerberos=required`, as a domain PC does), `commands` on `share`. Its output, or
    /// why it failed.
    pub fn smbclient(
        &self,
        user: &str,
        password: &str,
        share: &str,
        commands: &str,
    ) -> std::result::Result<String, String> {
        self.smbclient_on("fs", user, password, share, commands)
    }

    /// [`Self::smbclient`] on `host`: `fs` (the file server) or `dc1` (the controller, whose
    /// `netlogon` share a domain PC reads at logon).
    pub fn smbclient_on(
        &self,
        host: &str,
        user: &str,
        password: &str,
        share: &str,
        commands: &str,
    ) -> std::result::Result<String, String> {
        let ip = if host == "dc1" {
            &self.ip
        } else {
            &self.member_ip
        };
        let cache = self.ticket(user, password)?;
        let krb5 = self.krb5_conf();
        let out = Command::new("ip")
            .args([
                "netns",
                "exec",
                &self.ns,
                "smbclient",
                "--use-kerberos=required",
            ])
            .arg(format!("//{host}.{}/{share}", REALM.to_ascii_lowercase()))
            // The name is for Kerberos (cifs/fs.…); the address spares a name lookup.
            .args(["-I", ip])
            .args(["-c", commands])
            .env("KRB5_CONFIG", &krb5)
            .env("KRB5CCNAME", format!("FILE:{}", cache.display()))
            .output()
            .map_err(|e| e.to_string())?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if out.status.success() && !text.contains("NT_STATUS_") {
            Ok(text)
        } else {
            Err(text)
        }
    }

    /// The Kerberos configuration pointing at this controller (for a `kpasswd`).
    pub fn krb5_conf(&self) -> PathBuf {
        self.dir.path().join("krb5.conf")
    }
}

/// What a Linux PC of the domain made of a logon.
#[derive(Debug)]
pub struct LinuxLogon {
    /// The account as NSS gives it (`login:*:uid:gid:…:home:shell`).
    pub passwd: String,
    pub accepted: bool,
    pub wrong_refused: bool,
    /// All it printed, for a failure's message.
    pub output: String,
}

impl Drop for Dc {
    fn drop(&mut self) {
        if let Some(mut c) = self.member.take() {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", c.id())])
                .status();
            let _ = c.wait();
        }
        if let Some(mut c) = self.password_back.take() {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", c.id())])
                .status();
            let _ = c.wait();
        }
        self.stop();
        // smbd starts samba-dcerpcd and its rpcd_* helpers on demand, in a session of their
        // own (out of the process group killed above): they name the test's folder.
        let _ = Command::new("pkill")
            .args(["-KILL", "-f"])
            .arg(self.dir.path())
            .status();
        let _ = Command::new("ip").args(["netns", "del", &self.ns]).status();
        let _ = std::fs::remove_dir_all(Path::new("/etc/netns").join(&self.ns));
        let _ = Command::new("ip")
            .args(["link", "del", &self.host_link])
            .stderr(Stdio::null())
            .status();
    }
}
