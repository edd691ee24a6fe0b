//! Logs with tracing: plain text without colours or timestamps under systemd (journald adds
//! them), with timestamps otherwise. `RUST_LOG` overrides the configured level. Whatever a
//! client sent (a login, a CAS service, a path) may end up in a message: control characters
//! — newlines, carriage returns, ANSI escapes — are written escaped, so one event is always
//! one line and nobody can forge another.

use std::io::Write;

use cartable_core::server::{Area, Incidents};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

pub fn init(level: &str) {
    init_with(level, None);
}

/// Logs; with `incidents`, also keeps the server's warnings and errors for the console's
/// « Serveur » page, whatever the configured level.
pub fn init_with(level: &str, incidents: Option<Incidents>) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let under_systemd = std::env::var_os("JOURNAL_STREAM").is_some();
    let fmt = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(OneLine);
    let fmt = if under_systemd {
        fmt.without_time().with_target(false).boxed()
    } else {
        fmt.boxed()
    };
    let recorder = incidents.map(|i| Recorder(i).with_filter(LevelFilter::WARN));
    let _ = tracing_subscriber::registry()
        .with(fmt.with_filter(filter))
        .with(recorder)
        .try_init();
}

/// Hands each warning or error about a part of the server to the console's list.
struct Recorder(Incidents);

impl<S: Subscriber> Layer<S> for Recorder {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let meta = event.metadata();
        let error = *meta.level() == Level::ERROR;
        let target = meta.target();
        let area = match Area::of_target(target) {
            Some(a) => a,
            None if error && target.starts_with("cartable_web") => Area::Pages,
            None if error => Area::Taches,
            None => return,
        };
        let mut fields = Fields::default();
        event.record(&mut fields);
        self.0.record(area, error, &fields.text());
    }
}

/// The field an event may carry with its line for the console's « Problèmes signalés ».
const CONSOLE: &str = "console";

/// An event's message and its other fields, as one line.
#[derive(Default)]
struct Fields {
    message: String,
    others: Vec<(&'static str, String)>,
}

impl Fields {
    fn text(&self) -> String {
        // An event may say, in French, how the RUPN should read it (a failed page names the
        // incident number the person was shown); otherwise its message and fields.
        if let Some((_, console)) = self.others.iter().find(|(n, _)| *n == CONSOLE) {
            return console.clone();
        }
        let mut out = self.message.clone();
        for (k, v) in &self.others {
            out.push_str(&format!(" ; {k} : {v}"));
        }
        out
    }
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        } else {
            self.others.push((field.name(), format!("{value:?}")));
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_owned();
        } else {
            self.others.push((field.name(), value.to_owned()));
        }
    }
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
    fn the_console_reads_an_events_own_line_or_its_message_and_fields() {
        let plain = super::Fields {
            message: "sauvegarde échouée".into(),
            others: vec![("dossier", "/srv/sauvegardes".into())],
        };
        assert_eq!(
            plain.text(),
            "sauvegarde échouée ; dossier : /srv/sauvegardes"
        );
        let page = super::Fields {
            message: "request failed".into(),
            others: vec![
                ("incident", "K7Q2".into()),
                (
                    super::CONSOLE,
                    "Une page n'a pas pu s'afficher (incident K7Q2)".into(),
                ),
            ],
        };
        assert_eq!(
            page.text(),
            "Une page n'a pas pu s'afficher (incident K7Q2)"
        );
    }

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
