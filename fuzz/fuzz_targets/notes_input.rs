//! Fuzz target for what the notes' forms carry: a grid's cell (« 12,5 », « abs »), a level of
//! compétence, the periods' dates. Never a panic; a cell that parses writes back to the same
//! mark; a mark is within its scale; periods that parse follow each other, each locked no
//! earlier than its end.
//!
//!     cargo fuzz run notes_input

#![no_main]

use cartable_notes::average::Mark;
use cartable_notes::model::{cell_text, parse_cell};
use cartable_notes::periods::{TypedPeriod, parse};
use cartable_notes::skills::parse_level;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let out_of = u16::from(data.first().copied().unwrap_or(20)).max(1);
    if let Ok(Some(m)) = parse_cell(s, out_of) {
        assert_eq!(parse_cell(&cell_text(&m), out_of), Ok(Some(m)));
        if let Mark::Value(v) = m {
            assert!(v >= 0.into() && v <= out_of.into());
        }
    }
    if let Ok(Some(l)) = parse_level(s) {
        assert!((1..=4).contains(&l));
    }
    let fields: Vec<&str> = s.split('\n').collect();
    let rows: Vec<TypedPeriod> = fields
        .chunks(3)
        .take(3)
        .map(|c| TypedPeriod {
            first: c.first().copied().unwrap_or_default().to_owned(),
            last: c.get(1).copied().unwrap_or_default().to_owned(),
            lock: c.get(2).copied().unwrap_or_default().to_owned(),
        })
        .collect();
    if let Ok(periods) = parse(&rows) {
        assert!(matches!(periods.len(), 2 | 3));
        for w in periods.windows(2) {
            assert!(w[0].last_day < w[1].first_day);
        }
        for p in &periods {
            assert!(p.first_day <= p.last_day && p.last_day <= p.locked_after);
        }
    }
});
