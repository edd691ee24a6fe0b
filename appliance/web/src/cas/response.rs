//! CAS 2.0/3.0 validation responses (`cas:serviceResponse`), escaped XML.

/// Why a validation failed, with the protocol's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    InvalidRequest,
    InvalidTicketSpec,
    InvalidTicket,
    InvalidService,
    UnauthorizedServiceProxy,
    UnauthorizedService,
}

impl Failure {
    fn code(self) -> &'static str {
        match self {
            Failure::InvalidRequest => "INVALID_REQUEST",
            Failure::InvalidTicketSpec => "INVALID_TICKET_SPEC",
            Failure::InvalidTicket => "INVALID_TICKET",
            Failure::InvalidService => "INVALID_SERVICE",
            Failure::UnauthorizedServiceProxy => "UNAUTHORIZED_SERVICE_PROXY",
            Failure::UnauthorizedService => "UNAUTHORIZED_SERVICE",
        }
    }
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

const OPEN: &str = "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n";
const CLOSE: &str = "</cas:serviceResponse>\n";

pub fn failure(f: Failure, message: &str) -> String {
    format!(
        "{OPEN}  <cas:authenticationFailure code=\"{}\">{}</cas:authenticationFailure>\n{CLOSE}",
        f.code(),
        escape(message)
    )
}

/// A success, with attributes when the service may have them (`p3` endpoints), the IOU of a
/// proxy granting ticket, and the proxies a proxy ticket went through.
pub fn success(
    user: &str,
    attributes: &[(String, Vec<String>)],
    pgt_iou: Option<&str>,
    proxies: &[String],
) -> String {
    let mut out = format!(
        "{OPEN}  <cas:authenticationSuccess>\n    <cas:user>{}</cas:user>\n",
        escape(user)
    );
    if let Some(iou) = pgt_iou {
        out.push_str(&format!(
            "    <cas:proxyGrantingTicket>{}</cas:proxyGrantingTicket>\n",
            escape(iou)
        ));
    }
    if !proxies.is_empty() {
        out.push_str("    <cas:proxies>\n");
        for p in proxies {
            out.push_str(&format!("      <cas:proxy>{}</cas:proxy>\n", escape(p)));
        }
        out.push_str("    </cas:proxies>\n");
    }
    if !attributes.is_empty() {
        out.push_str("    <cas:attributes>\n");
        for (name, values) in attributes {
            for v in values {
                out.push_str(&format!("      <cas:{name}>{}</cas:{name}>\n", escape(v)));
            }
        }
        out.push_str("    </cas:attributes>\n");
    }
    out.push_str("  </cas:authenticationSuccess>\n");
    out.push_str(CLOSE);
    out
}

/// `/cas/proxy`: a proxy ticket, or why not.
pub fn proxy_success(ticket: &str) -> String {
    format!(
        "{OPEN}  <cas:proxySuccess>\n    <cas:proxyTicket>{}</cas:proxyTicket>\n  </cas:proxySuccess>\n{CLOSE}",
        escape(ticket)
    )
}

pub fn proxy_failure(f: Failure, message: &str) -> String {
    format!(
        "{OPEN}  <cas:proxyFailure code=\"{}\">{}</cas:proxyFailure>\n{CLOSE}",
        f.code(),
        escape(message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped() {
        let x = success(
            "a<b",
            &[("nom".into(), vec!["D'Été & <Cie>".into()])],
            None,
            &[],
        );
        assert!(x.contains("<cas:user>a&lt;b</cas:user>"));
        assert!(x.contains("<cas:nom>D&apos;Été &amp; &lt;Cie&gt;</cas:nom>"));
        assert!(failure(Failure::InvalidTicket, "x").contains("code=\"INVALID_TICKET\""));
    }
}
