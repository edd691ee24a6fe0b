//! Charts drawn on the server as accessible SVG: a title and a description for screen
//! readers, each bar's figure in its own `<title>`, and the same numbers always offered as a
//! table beside the picture. Used by the académie's hub and the RUPN's pages; no script.

use std::fmt::Write;

/// One series of a bar chart (a service, a profile…), with its colour.
pub struct Series<'a> {
    pub name: &'a str,
    pub values: &'a [i64],
}

/// Colours readable on white and distinct for the common colour blindnesses (Okabe–Ito).
const COLOURS: [&str; 7] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
];

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A round top for the value axis: 1, 2 or 5 times a power of ten, at least `max`.
fn nice_top(max: i64) -> i64 {
    let mut step = 1i64;
    loop {
        for m in [1, 2, 5] {
            if step.saturating_mul(m) >= max.max(1) {
                return step.saturating_mul(m);
            }
        }
        step = step.saturating_mul(10);
    }
}

/// French thousands: « 12 345 » (narrow no-break space).
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Stacked bars, one per label (a week, an hour), the series stacked in order, with a legend.
/// `id` names the SVG for the page's links and tests; the SVG scales to its container.
pub fn stacked_bars(id: &str, title: &str, labels: &[String], series: &[Series<'_>]) -> String {
    const W: f64 = 720.0;
    const H: f64 = 260.0;
    const LEFT: f64 = 56.0;
    const BOTTOM: f64 = 40.0;
    const TOP: f64 = 10.0;
    let totals: Vec<i64> = (0..labels.len())
        .map(|i| {
            series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0).max(0))
                .sum()
        })
        .collect();
    let top = nice_top(totals.iter().copied().max().unwrap_or(0));
    let legend_rows = series.len().div_ceil(3) as f64;
    let height = H + legend_rows * 20.0;
    let plot_h = H - BOTTOM - TOP;
    let n = labels.len().max(1) as f64;
    let slot = (W - LEFT - 8.0) / n;
    let bar = (slot * 0.7).max(1.0);
    let grand: i64 = totals.iter().sum();
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="graphique" id="{id}" viewBox="0 0 {W} {height}" role="img" aria-labelledby="{id}-titre {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-titre">{}</title><desc id="{id}-desc">{} périodes, total {} ; le détail est dans le tableau qui suit.</desc>"#,
        escape(title),
        labels.len(),
        thousands(grand)
    );
    // Axis with four gridlines.
    for k in 0..=4 {
        let v = top * k / 4;
        let y = TOP + plot_h - plot_h * k as f64 / 4.0;
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{W}" y1="{y:.1}" y2="{y:.1}" stroke="#d0d5dc" stroke-width="1"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#4a5563">{}</text>"##,
            LEFT - 4.0,
            y + 4.0,
            thousands(v)
        );
    }
    let every = (labels.len() / 12).max(1);
    for (i, label) in labels.iter().enumerate() {
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let mut y = TOP + plot_h;
        for (k, serie) in series.iter().enumerate() {
            let v = serie.values.get(i).copied().unwrap_or(0).max(0);
            if v == 0 {
                continue;
            }
            let h = plot_h * v as f64 / top as f64;
            y -= h;
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{h:.1}" fill="{}"><title>{} — {} : {}</title></rect>"#,
                COLOURS[k % COLOURS.len()],
                escape(label),
                escape(serie.name),
                thousands(v)
            );
        }
        if i.is_multiple_of(every) {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#4a5563">{}</text>"##,
                x + bar / 2.0,
                TOP + plot_h + 16.0,
                escape(label)
            );
        }
    }
    for (k, serie) in series.iter().enumerate() {
        let (col, row) = ((k % 3) as f64, (k / 3) as f64);
        let x = LEFT + col * 220.0;
        let y = H + row * 20.0 - 6.0;
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{:.1}" width="12" height="12" fill="{}"/><text x="{:.1}" y="{y:.1}" font-size="12" fill="#1f2933">{}</text>"##,
            y - 10.0,
            COLOURS[k % COLOURS.len()],
            x + 16.0,
            escape(serie.name)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_carry_their_figures_and_names_are_escaped() {
        let labels = vec!["S36".to_owned(), "S37".to_owned()];
        let svg = stacked_bars(
            "g",
            "Visites <par> semaine",
            &labels,
            &[
                Series {
                    name: "Élèves",
                    values: &[1200, 30],
                },
                Series {
                    name: "Parents & tuteurs",
                    values: &[0, 5],
                },
            ],
        );
        assert!(
            svg.contains("<title>S36 — Élèves : 1\u{202f}200</title>"),
            "{svg}"
        );
        assert!(svg.contains("Parents &amp; tuteurs : 5"));
        assert!(svg.contains("Visites &lt;par&gt; semaine"));
        assert!(!svg.contains("S36 — Parents"), "a zero draws no bar");
        assert!(svg.contains("total 1\u{202f}235"));
    }

    #[test]
    fn the_axis_ends_on_a_round_figure() {
        assert_eq!(nice_top(0), 1);
        assert_eq!(nice_top(7), 10);
        assert_eq!(nice_top(1235), 2000);
        assert_eq!(nice_top(50), 50);
        assert_eq!(thousands(1234567), "1\u{202f}234\u{202f}567");
    }
}
