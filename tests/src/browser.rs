//! Headless Chromium driven through chromedriver (WebDriver), both from Debian's packages.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;

/// A chromedriver process and a browser session on it; both stop on drop.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn find(candidates: &[&str]) -> Option<String> {
    candidates
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(|p| (*p).to_owned())
}

impl Browser {
    /// Starts chromedriver on a free port and opens a headless Chromium session. The
    /// daemon's certificate is self-issued: the browser is told to accept it.
    pub async fn start() -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Self::start_with_downloads(None).await
    }

    /// Like [`Browser::start`]; downloads land in `downloads` without asking.
    pub async fn start_with_downloads(
        downloads: Option<&std::path::Path>,
    ) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let driver_bin = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"])
            .ok_or("chromedriver not installed (apt-get install chromium-driver)")?;
        let chromium = find(&["/usr/bin/chromium", "/usr/lib/chromium/chromium"])
            .ok_or("chromium not installed (apt-get install chromium)")?;
        let port = crate::free_port()?;
        let driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let profile = tempfile::Builder::new()
            .prefix("cartable-chromium-")
            .tempdir()?;
        let caps = serde_json::json!({
            "browserName": "chrome",
            "acceptInsecureCerts": true,
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=390,844",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": {
                    "download.default_directory": downloads.map(|d| d.display().to_string()),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                }
            }
        });
        let serde_json::Value::Object(caps) = caps else {
            return Err("capabilities".into());
        };
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let attempt = ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await;
            match attempt {
                Ok(c) => break c,
                Err(e) if started.elapsed() > Duration::from_secs(30) => {
                    return Err(format!("chromedriver did not answer: {e}").into());
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Ok(Self {
            client,
            driver,
            _profile: profile,
        })
    }

    /// Ends the browser session.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Opens `url`. When Chromium shows its own error page instead (a network error on a loaded
/// machine: its page, not ours, is what axe would judge — its viewport forbids zoom), the error
/// is printed and the page asked for again, twice at most; a page that never comes is an error.
pub async fn open(
    c: &fantoccini::Client,
    url: &str,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    const NET_ERROR: &str = "return document.location.protocol === 'chrome-error:' \
        ? ((document.querySelector('.error-code') || {}).textContent || 'erreur réseau') : null";
    for attempt in 1..=3 {
        c.goto(url).await?;
        match c.execute(NET_ERROR, vec![]).await?.as_str() {
            None => return Ok(()),
            Some(error) if attempt < 3 => {
                eprintln!("{url} : Chromium affiche {error}, page redemandée");
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
            Some(error) => return Err(format!("{url} : {error} trois fois de suite").into()),
        }
    }
    Ok(())
}
