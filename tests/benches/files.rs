//! On-demand file throughput benchmark (not run in CI):
//!
//!     cargo build --release -p cartabled
//!     cargo bench -p cartable-tests --bench files
//!
//! One file of `BENCH_MIB` MiB (default 1024), in one run: downloaded and uploaded through
//! cartabled (HTTPS, the web file manager's routes, signed in as a pupil), through nginx
//! serving the same file over HTTPS with the same certificate (GET, and PUT with the DAV
//! module: the limit of a web server on this machine), and through Samba with smbclient (the
//! pupil's home share, accounts from a test slapd as in production). Needs nginx-light,
//! slapd, samba, smbclient and libnss-wrapper. Prints MB/s and the ratio to nginx.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cartable_core::auth::password;
use cartable_core::config::{DirectoryConfig, FilesConfig};
use cartable_core::directory::{
    AnyDirectory, Change, DirectoryWrite, Login, NewPerson, Profile, Structure, Uai,
};
use cartable_core::files::keep;
use cartable_core::files::samba::{SambaSite, render};
use cartable_core::store::Store;
use cartable_tests::accounts;
use cartable_tests::daemon::{Daemon, demo_data};
use cartable_tests::http::{client, csrf_in, sign_in};
use cartable_tests::samba::{Smbd, SmbdConfig};
use cartable_tests::slapd::{ADMIN_PASSWORD, BASE_DN, Slapd};
use futures_util::StreamExt;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const SID: &str = "S-1-5-21-1111111111-2222222222-3333333333";
const MB: f64 = 1_000_000.0;

fn mbps(bytes: u64, took: Duration) -> f64 {
    bytes as f64 / MB / took.as_secs_f64()
}

/// A file of `size` bytes (a repeated 1 MiB pattern, not compressible by accident).
fn big_file(path: &Path, size: u64) -> std::io::Result<()> {
    use std::io::Write;
    let mut chunk = vec![0u8; 1 << 20];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for b in chunk.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        f.write_all(&chunk[..n])?;
        left -= n as u64;
    }
    f.into_inner().map_err(|e| e.into_error())?.sync_all()
}

async fn download(c: &reqwest::Client, url: &str) -> Result<(u64, Duration), BoxError> {
    let t = Instant::now();
    let res = c.get(url).send().await?;
    if !res.status().is_success() {
        return Err(format!("GET {url}: {}", res.status()).into());
    }
    let mut n = 0u64;
    let mut body = res.bytes_stream();
    while let Some(chunk) = body.next().await {
        n += chunk?.len() as u64;
    }
    Ok((n, t.elapsed()))
}

async fn file_body(path: &Path) -> Result<(reqwest::Body, u64), BoxError> {
    let f = tokio::fs::File::open(path).await?;
    let len = f.metadata().await?.len();
    let chunks = futures_util::stream::unfold(f, |mut f| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 256 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(buf), f))
            }
            Err(e) => Some((Err(e), f)),
        }
    });
    Ok((reqwest::Body::wrap_stream(chunks), len))
}

struct Row {
    what: &'static str,
    mbps: f64,
}

/// nginx, stopped on drop.
struct Nginx(std::process::Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn nginx(
    dir: &Path,
    serve: &Path,
    cert: &Path,
    key: &Path,
) -> Result<(Nginx, u16), BoxError> {
    let port = cartable_tests::free_port()?;
    for d in ["tmp", "put", "logs"] {
        std::fs::create_dir_all(dir.join(d))?;
    }
    let conf = dir.join("nginx.conf");
    let d = dir.display();
    std::fs::write(
        &conf,
        format!(
            "user root;\nworker_processes 2;\npid {d}/nginx.pid;\nerror_log {d}/logs/error.log;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n access_log off;\n sendfile on;\n client_body_temp_path {d}/tmp;\n\
             server {{\n  listen 127.0.0.1:{port} ssl;\n  ssl_certificate {cert};\n  ssl_certificate_key {key};\n\
             location /put/ {{ root {d}; dav_methods PUT; client_max_body_size 0; create_full_put_path on; }}\n\
             location / {{ root {serve}; }}\n }}\n}}\n",
            cert = cert.display(),
            key = key.display(),
            serve = serve.display(),
        ),
    )?;
    let child = Command::new("nginx")
        .args([
            "-e",
            &format!("{d}/logs/error.log"),
            "-g",
            "daemon off;",
            "-c",
        ])
        .arg(&conf)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    let child = Nginx(child);
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if start.elapsed() > Duration::from_secs(10) {
            return Err("nginx did not start".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok((child, port))
}

/// slapd with one Samba account, the tree laid out by cartable, smbd on it.
async fn samba(work: &Path, big: &Path) -> Result<(Smbd, Slapd, PathBuf), BoxError> {
    let slapd = tokio::task::spawn_blocking(Slapd::start_with_samba).await??;
    let mut ldap = slapd.config();
    ldap.samba_domain_sid = Some(SID.to_owned());
    let store = Store::open(&work.join("cartable.sqlite")).await?;
    let dir = AnyDirectory::from_config(
        &DirectoryConfig::Ldap(ldap.clone()),
        store.clone(),
        std::sync::Arc::new(cartable_core::clock::SystemClock),
    )
    .await?;
    let uai = Uai::parse("0860001A")?;
    dir.apply(vec![
        Change::UpsertStructure(Structure {
            uai: uai.clone(),
            name: "Collège".into(),
            kind: "CLG".into(),
        }),
        Change::CreatePerson {
            uai: Some(uai),
            person: NewPerson {
                login: Login::parse("lea.martin")?,
                jointure: None,
                profile: Profile::Eleve,
                given_name: "Léa".into(),
                family_name: "MARTIN".into(),
                email: None,
                birth_date: None,
                password_hash: Some(password::hash("Tilleul-26")?),
                nt_hash: Some(password::nt_hash("Tilleul-26")),
                must_change_password: false,
            },
        },
    ])
    .await?;
    slapd.ldif(&cartable_tests::samba::domain_ldif(BASE_DN, SID))?;
    let files = FilesConfig {
        root: work.join("fichiers"),
        nss_dir: Some(work.join("nss")),
        ..FilesConfig::default()
    };
    keep::keep_in_step(&dir, &files).await?;
    store.close();
    let home = files.root.join("perso/lea.martin");
    std::fs::hard_link(big, home.join("gros.bin"))?;
    let quotas = work.join("quotas");
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
                quota_dir: &quotas,
            },
            &ldap,
        )
    };
    let smbd = Smbd::start(&SmbdConfig {
        render: &render_conf,
        admin_password: ADMIN_PASSWORD,
        passwd: &std::fs::read_to_string(work.join("nss/passwd"))?,
        group: &std::fs::read_to_string(work.join("nss/group"))?,
    })?;
    Ok((smbd, slapd, home))
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mib: u64 = std::env::var("BENCH_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let size = mib << 20;
    let (tmp, data) = demo_data()?;
    let big = tmp.path().join("gros.bin");
    big_file(&big, size)?;
    println!("fichier de {mib} Mo ({size} octets)");

    // cartabled, signed in as a pupil whose quota holds the file twice.
    let demo = accounts::read(&data)?;
    let pupil = accounts::first(&demo, "eleve").ok_or("no pupil")?;
    {
        let store = Store::open(&data.join("cartable.sqlite")).await?;
        let login = pupil.login.clone();
        store
            .write(move |w| w.set_file_quota(&login, Some(4 * size + (1 << 30))))
            .await?;
        store.close();
    }
    let daemon = Daemon::demo(&data)?;
    let base = daemon.url.clone();
    let home = data.join("fichiers/perso").join(&pupil.login);
    std::fs::hard_link(&big, home.join("gros.bin"))?;
    let c = client(&daemon.ca())?;
    sign_in(&c, &base, &pupil.login, &pupil.password).await?;
    let mut rows = Vec::new();

    let (n, took) = download(
        &c,
        &format!("{base}/fichiers/telecharger?e=perso&p=gros.bin"),
    )
    .await?;
    assert_eq!(n, size);
    rows.push(Row {
        what: "cartabled  GET",
        mbps: mbps(n, took),
    });

    let page = c
        .get(format!("{base}/fichiers/dossier?e=perso"))
        .send()
        .await?
        .text()
        .await?;
    let csrf = csrf_in(&page).ok_or("no CSRF token")?;
    let (body, len) = file_body(&big).await?;
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
        "fichiers",
        reqwest::multipart::Part::stream_with_length(body, len).file_name("envoi.bin"),
    );
    let t = Instant::now();
    let res = c
        .post(format!("{base}/fichiers/envoyer?e=perso&p="))
        .multipart(form)
        .send()
        .await?;
    let took = t.elapsed();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(
        std::fs::metadata(home.join("envoi.bin"))?.len(),
        size,
        "upload incomplete"
    );
    std::fs::remove_file(home.join("envoi.bin"))?;
    rows.push(Row {
        what: "cartabled  POST (envoi)",
        mbps: mbps(size, took),
    });

    // nginx, same file, same certificate.
    let ngx_dir = tmp.path().join("nginx");
    let serve = tmp.path().join("nginx-root");
    std::fs::create_dir_all(&serve)?;
    std::fs::hard_link(&big, serve.join("gros.bin"))?;
    let tls = data.join("tls");
    let (ngx, port) = nginx(
        &ngx_dir,
        &serve,
        &tls.join("server.pem"),
        &tls.join("server.key"),
    )
    .await?;
    let nc = client(&daemon.ca())?;
    let (n, took) = download(&nc, &format!("https://localhost:{port}/gros.bin")).await?;
    assert_eq!(n, size);
    rows.push(Row {
        what: "nginx      GET",
        mbps: mbps(n, took),
    });
    let (body, _) = file_body(&big).await?;
    let t = Instant::now();
    let res = nc
        .put(format!("https://localhost:{port}/put/envoi.bin"))
        .body(body)
        .send()
        .await?;
    let took = t.elapsed();
    assert!(res.status().is_success(), "nginx PUT: {}", res.status());
    rows.push(Row {
        what: "nginx      PUT (envoi)",
        mbps: mbps(size, took),
    });
    let _ = std::fs::remove_file(ngx_dir.join("put/envoi.bin"));
    drop(ngx);
    drop(daemon);

    // Samba: the pupil's home share.
    let work = tmp.path().join("samba");
    std::fs::create_dir_all(&work)?;
    let (smbd, _slapd, smb_home) = samba(&work, &big).await?;
    let local = tmp.path().join("poste");
    std::fs::create_dir_all(&local)?;
    for (what, cmd) in [
        ("smbclient  get", "get gros.bin /dev/null"),
        ("smbclient  put (envoi)", "put ../gros.bin envoi.bin"),
    ] {
        let t = Instant::now();
        let (ok, text) = smbd.run("lea.martin", "lea.martin", "Tilleul-26", cmd, &local)?;
        let took = t.elapsed();
        if !ok {
            return Err(format!("{cmd}: {text}").into());
        }
        rows.push(Row {
            what,
            mbps: mbps(size, took),
        });
    }
    assert_eq!(std::fs::metadata(smb_home.join("envoi.bin"))?.len(), size);

    let limit = |prefix: &str| {
        rows.iter()
            .find(|r| r.what.starts_with("nginx") && r.what.contains(prefix))
            .map(|r| r.mbps)
    };
    println!("{:<26} {:>10}   {:>10}", "", "Mo/s", "/ nginx");
    for r in &rows {
        let reference = if r.what.contains("envoi") {
            limit("PUT")
        } else {
            limit("GET")
        };
        println!(
            "{:<26} {:>10.0}   {:>9.0} %",
            r.what,
            r.mbps,
            reference.map(|l| r.mbps / l * 100.0).unwrap_or(0.0)
        );
    }
    Ok(())
}
