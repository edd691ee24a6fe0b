//! Logs with tracing: plain text without colours or timestamps under systemd (journald adds
//! them), with timestamps otherwise. `RUST_LOG` overrides the configured level. Whatever a
//! client sent (a login, a CAS service, a path) may end up in a message: control characters
//! — newlines, carriage returns, ANSI escapes — are written escaped, so one event is always
//! one line and nobody can forge another.

use std::io::Write;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

pub fn init(level: &str) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let under_systemd = std::env::var_os("JOURNAL_STREAM").is_some();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(OneLine);
    let _ = if under_systemd {
        builder.without_time().with_target(false).try_init()
    } else {
        builder.try_init()
    };
}

/// Standard error, one line per event.
struct OneLine;

impl<'a> MakeWriter<'a> for OneLine {
    type Writer = Escaping;
    fn make_writer(&'a self) -> Self::Writer {
        Escaping
    }
}

struct Escaping;

impl Write for Escaping {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        std::io::stderr().lock().write_all(&escape(buf))?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// The event's text with every control character but its final newline escaped.
pub fn escape(buf: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(buf);
    let (body, end) = match text.strip_suffix('\n') {
        Some(b) => (b, "\n"),
        None => (text.as_ref(), ""),
    };
    let mut out = String::with_capacity(body.len() + 1);
    for c in body.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push('\t'),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                out.extend(c.escape_unicode());
            }
            c => out.push(c),
        }
    }
    out.push_str(end);
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    #[test]
    fn forged_lines_and_escapes_stay_on_one_line() {
        let event = "INFO sign-in refused login=eve\nINFO signed in login=admin\x1b[2J\r\n";
        let out = String::from_utf8(super::escape(event.as_bytes())).unwrap_or_default();
        assert_eq!(out.matches('\n').count(), 1, "{out}");
        assert!(out.ends_with('\n'));
        assert!(
            out.contains("eve\\nINFO") && out.contains("\\u{1b}[2J\\r"),
            "{out}"
        );
    }
}
