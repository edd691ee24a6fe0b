//! The client cartable uses to call CAS services back (proxy callbacks, single logout),
//! built once for the process from `cas.ca_file`.

use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

pub fn get(ca_file: Option<&Path>) -> Option<&'static reqwest::Client> {
    static CLIENT: OnceLock<Option<reqwest::Client>> = OnceLock::new();
    CLIENT
        .get_or_init(
            || match crate::outbound::client(ca_file, Duration::from_secs(5)) {
                Ok(c) => Some(c),
                Err(e) => {
                    tracing::warn!("cas.ca_file : {e}");
                    None
                }
            },
        )
        .as_ref()
}
