//! CAS 2.0/3.0 validation responses (`cas:serviceResponse`), escaped XML.

/// Why a validation failed, with the protocol's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    InvalidRequest,
    InvalidTicketSpec,
    InvalidTicket,
    InvalidService,
    UnauthorizedServiceProxy,
}

impl Failure {
    fn code(self) -> &'static str {
        match self {
            Failure::InvalidRequest => "INVALID_REQUEST",
            Failure::InvalidTicketSpec => "INVALID_TICKET_SPEC",
            Failure::InvalidTicket => "INVALID_TICKET",
            Failure::InvalidService => "INVALID_SERVICE",
            Failure::UnauthorizedServiceProxy => "UNAUTHORIZED_SERVICE_PROXY",
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

/// A success, with attributes when the service may have them (`p3` endpoints).
pub fn success(user: &str, attributes: &[(String, Vec<String>)]) -> String {
    let mut out = format!(
        "{OPEN}  <cas:authenticationSuccess>\n    <cas:user>{}</cas:user>\n",
        escape(user)
    );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped() {
        let x = success("a<b", &[("nom".into(), vec!["D'Été & <Cie>".into()])]);
        assert!(x.contains("<cas:user>a&lt;b</cas:user>"));
        assert!(x.contains("<cas:nom>D&apos;Été &amp; &lt;Cie&gt;</cas:nom>"));
        assert!(failure(Failure::InvalidTicket, "x").contains("code=\"INVALID_TICKET\""));
    }
}
