//! A stand-in for the académie's HTTPS endpoint: its own CA, a free loopback port, and a
//! switch to be up (200), down (503), or to lose its answers (the request is read and kept,
//! the connection closed before any reply). It keeps messages by idempotency key, as the real
//! endpoint is expected to, and counts every attempt.

use std::collections::BTreeMap;
use std::io::{Error, Result};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// How the endpoint answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Up = 0,
    Down = 1,
    LoseAnswers = 2,
}

/// One message as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub kind: String,
    pub body: serde_json::Value,
    /// Attempts that carried this key.
    pub attempts: usize,
}

pub struct Academie {
    pub url: String,
    /// `https://127.0.0.1:<port>`, for other paths than the indicators'.
    pub base: String,
    pub ca_file: PathBuf,
    mode: Arc<AtomicU8>,
    messages: Arc<Mutex<BTreeMap<String, Received>>>,
    gets: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

impl Academie {
    /// Starts on the current tokio runtime.
    pub async fn start() -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let pki = crate::test_pki()?;
        let ca_file = dir.path().join("academie-ca.pem");
        std::fs::write(&ca_file, &pki.ca_pem)?;

        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let tls = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::other(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(
                vec![rustls::pki_types::CertificateDer::from(pki.cert_der)],
                rustls::pki_types::PrivateKeyDer::try_from(pki.key_der).map_err(Error::other)?,
            )
            .map_err(|e| Error::other(e.to_string()))?;
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("https://127.0.0.1:{}", listener.local_addr()?.port());
        let url = format!("{base}/indicateurs");
        let mode = Arc::new(AtomicU8::new(Mode::Up as u8));
        let messages: Arc<Mutex<BTreeMap<String, Received>>> = Arc::default();
        let gets: Arc<Mutex<Vec<String>>> = Arc::default();
        let (m, msgs, g) = (mode.clone(), messages.clone(), gets.clone());
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, m, msgs, g) = (acceptor.clone(), m.clone(), msgs.clone(), g.clone());
                tokio::spawn(async move {
                    if let Ok(mut s) = acceptor.accept(tcp).await {
                        let _ = serve_one(&mut s, &m, &msgs, &g).await;
                    }
                });
            }
        });
        Ok(Self {
            url,
            base,
            ca_file,
            mode,
            messages,
            gets,
            task,
            _dir: dir,
        })
    }

    pub fn set(&self, mode: Mode) {
        self.mode.store(mode as u8, Ordering::SeqCst);
    }

    /// Targets (`/path?query`) of the GET requests received (CAS proxy callbacks).
    pub fn gets(&self) -> Vec<String> {
        self.gets.lock().map(|g| g.clone()).unwrap_or_default()
    }

    /// Messages kept, by idempotency key.
    pub fn messages(&self) -> BTreeMap<String, Received> {
        self.messages.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

impl Drop for Academie {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_one<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    s: &mut S,
    mode: &AtomicU8,
    messages: &Mutex<BTreeMap<String, Received>>,
    gets: &Mutex<Vec<String>>,
) -> Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    if let Some(target) = head.strip_prefix("GET ").and_then(|r| r.split(' ').next()) {
        if let Ok(mut g) = gets.lock() {
            g.push(target.to_owned());
        }
        s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .await?;
        return s.shutdown().await;
    }
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let len: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = &buf[head_end..buf.len().min(head_end + len)];
    let mode = mode.load(Ordering::SeqCst);
    if mode == Mode::Down as u8 {
        s.write_all(
            b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
        )
        .await?;
        return s.shutdown().await;
    }
    if let (Some(key), Ok(value)) = (
        header("idempotency-key"),
        serde_json::from_slice::<serde_json::Value>(body),
    ) && let Ok(mut m) = messages.lock()
    {
        m.entry(key)
            .and_modify(|r| r.attempts += 1)
            .or_insert(Received {
                kind: header("x-cartable-type").unwrap_or_default(),
                body: value,
                attempts: 1,
            });
    }
    if mode == Mode::LoseAnswers as u8 {
        return Ok(()); // dropped without a word
    }
    s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        .await?;
    s.shutdown().await
}
