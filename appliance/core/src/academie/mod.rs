//! The link with the académie. Inbound, the drop folder where it deposits the AAF feed
//! (`drop`: which deliveries are complete and settled). Outbound, the daily usage indicators
//! and status report (`reports`), queued in a durable outbox (`outbox`) and sent with retries
//! and idempotency keys, so that a week without the académie loses nothing and sends nothing
//! twice. `audience` counts, per day, the visits and distinct users of each service by
//! profile, under the national audience measurement's service names. `exchange` holds the
//! messages' types, shared with the académie's hub (`cartable-academie`).

pub mod audience;
pub mod drop;
pub mod exchange;
pub mod outbox;
pub mod reports;
