//! School days as the demo's calendar has them, for tests that pick a date a form must accept.

use std::path::Path;

use time::{Date, Duration};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The first school day on or after `from` (no week-end, holiday or public holiday), read from
/// the data folder's calendar. Call it while the daemon is stopped.
pub async fn school_day_from(data: &Path, from: Date) -> Result<Date, BoxError> {
    let store = cartable_core::store::Store::open(&data.join("cartable.sqlite")).await?;
    let cal = store.read(|r| r.school_calendar()).await?;
    store.close();
    let mut d = from;
    for _ in 0..60 {
        if cal.closed(d).is_none() {
            return Ok(d);
        }
        d += Duration::days(1);
    }
    Err(format!("no school day in the 60 days from {from}").into())
}
