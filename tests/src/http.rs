//! An HTTPS client that trusts only the daemon's generated CA (so the tests also prove the
//! certificate chain is valid for `localhost`).

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

/// A client trusting `ca`, keeping cookies, not following redirects.
pub fn client(ca: &Path) -> Result<reqwest::Client, Box<dyn std::error::Error + Send + Sync>> {
    client_from(ca, None)
}

/// Like [`client`], connecting from a chosen local address (another loopback address plays
/// another device).
pub fn client_from(
    ca: &Path,
    source: Option<std::net::IpAddr>,
) -> Result<reqwest::Client, Box<dyn std::error::Error + Send + Sync>> {
    browser(browser_tls(ca)?, source)
}

/// What a browser knows before its first connection: the roots it trusts (read once, as a
/// browser has them loaded), and no TLS session to resume — each new [`browser`] made from
/// it is a first visit.
pub fn browser_tls(
    ca: &Path,
) -> Result<rustls::ClientConfig, Box<dyn std::error::Error + Send + Sync>> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(ca)? {
        roots.add(cert?)?;
    }
    // The TLS 1.3 suites in the order Chrome and Firefox offer them (AES-128 first).
    let mut provider = rustls::crypto::aws_lc_rs::default_provider();
    provider.cipher_suites.sort_by_key(|s| {
        use rustls::CipherSuite as C;
        match s.suite() {
            C::TLS13_AES_128_GCM_SHA256 => 0,
            C::TLS13_AES_256_GCM_SHA384 => 1,
            _ => 2,
        }
    });
    let provider = Arc::new(provider);
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    tls.resumption = rustls::client::Resumption::disabled();
    Ok(tls)
}

/// A new browser: its own connections and cookies.
pub fn browser(
    tls: rustls::ClientConfig,
    source: Option<std::net::IpAddr>,
) -> Result<reqwest::Client, Box<dyn std::error::Error + Send + Sync>> {
    Ok(reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .cookie_store(true)
        .local_address(source)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()?)
}

/// Where a redirect leads (empty when the answer is not one).
pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The sign-in form's CSRF token in a page.
pub fn csrf_in(page: &str) -> Option<String> {
    let at = page.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    page[at..].split('"').next().map(str::to_owned)
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Signs in through the form, as a browser would; returns the final status.
pub async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    login: &str,
    password: &str,
) -> Result<reqwest::StatusCode, BoxError> {
    Ok(post_sign_in(client, base, login, password).await?.status())
}

/// Loads the sign-in page and posts its form; returns the whole response.
pub async fn post_sign_in(
    client: &reqwest::Client,
    base: &str,
    login: &str,
    password: &str,
) -> Result<reqwest::Response, BoxError> {
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await?
        .text()
        .await?;
    let csrf = csrf_in(&page).ok_or("no CSRF token on the sign-in page")?;
    Ok(client
        .post(format!("{base}/login"))
        .form(&[("login", login), ("password", password), ("csrf", &csrf)])
        .send()
        .await?)
}

/// GET a JSON document.
pub async fn get_json(client: &reqwest::Client, url: &str) -> Result<serde_json::Value, BoxError> {
    Ok(client.get(url).send().await?.json().await?)
}

/// GET a page's text.
pub async fn text(client: &reqwest::Client, url: &str) -> Result<String, BoxError> {
    Ok(client.get(url).send().await?.text().await?)
}

/// GET a page's status only.
pub async fn status(client: &reqwest::Client, url: &str) -> Result<u16, BoxError> {
    Ok(client.get(url).send().await?.status().as_u16())
}

/// What a form's POST answered: the status, where it leads (a redirect), the page.
pub struct Posted {
    pub status: u16,
    pub location: String,
    pub body: String,
}

/// POST a form (pairs of names and values) and read the whole answer.
pub async fn post(
    client: &reqwest::Client,
    url: &str,
    form: &(impl serde::Serialize + ?Sized),
) -> Result<Posted, BoxError> {
    let res = client.post(url).form(form).send().await?;
    let (status, location) = (res.status().as_u16(), location(&res));
    Ok(Posted {
        status,
        location,
        body: res.text().await?,
    })
}

/// A client signed in as `login` (the sign-in must answer 303).
pub async fn signed_in(
    base: &str,
    ca: &Path,
    login: &str,
    password: &str,
) -> Result<reqwest::Client, BoxError> {
    let c = client(ca)?;
    let status = sign_in(&c, base, login, password).await?.as_u16();
    if status != 303 {
        return Err(format!("{login} could not sign in: {status}").into());
    }
    Ok(c)
}

/// POSTs `fields` to `url` with the CSRF token of the page at `from`, as its form would.
pub async fn post_from(
    c: &reqwest::Client,
    from: &str,
    url: &str,
    fields: &[(&str, &str)],
) -> Result<Posted, BoxError> {
    let page = text(c, from).await?;
    let csrf = csrf_in(&page).ok_or(format!("no CSRF token on {from}"))?;
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("csrf", &csrf));
    post(c, url, &form).await
}
