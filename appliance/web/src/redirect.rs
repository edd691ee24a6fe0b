//! The plain-HTTP listener: every request is sent to the same path over HTTPS.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

/// Where plain-HTTP requests are sent.
#[derive(Clone)]
pub struct HttpsTarget {
    /// `https://ent.example.fr` when configured.
    pub public_url: Option<String>,
    /// The HTTPS port, used when the base URL comes from the request's host.
    pub https_port: u16,
}

pub async fn to_https(req: HttpRequest, target: web::Data<HttpsTarget>) -> HttpResponse {
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let base = match &target.public_url {
        Some(u) => u.clone(),
        None => {
            let host = req.connection_info().host().to_owned();
            let name = strip_port(&host);
            if target.https_port == 443 {
                format!("https://{name}")
            } else {
                format!("https://{name}:{}", target.https_port)
            }
        }
    };
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, format!("{base}{path}")))
        .finish()
}

/// `host:port` → `host`, keeping IPv6 brackets.
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    host.rsplit_once(':').map_or(host, |(h, _)| h)
}

#[cfg(test)]
mod tests {
    use super::strip_port;

    #[test]
    fn strips_ports() {
        assert_eq!(strip_port("ent.example.fr:8080"), "ent.example.fr");
        assert_eq!(strip_port("ent.example.fr"), "ent.example.fr");
        assert_eq!(strip_port("[::1]:80"), "[::1]");
    }
}
