//! Sign-in throttling, in memory. Failures are counted per (source address, login) and per
//! source address: an attacker guessing one pupil's password is stopped for that account from
//! that address, without locking the pupil out from elsewhere or the rest of the class; an
//! address trying many accounts is stopped altogether. The per-address limit is high because a
//! whole school signs in from behind one NAT address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Failures allowed for one login from one address within the window.
const PER_ACCOUNT: usize = 5;
/// Failures allowed from one address, all logins together, within the window.
const PER_ADDRESS: usize = 300;
/// Window and lock-out length, in seconds.
const WINDOW: i64 = 15 * 60;
/// Entries kept at most (memory bound under a spray of addresses).
const MAX_KEYS: usize = 100_000;

#[derive(Default)]
pub struct LoginThrottle {
    inner: Mutex<State>,
}

#[derive(Default)]
struct State {
    per_account: HashMap<(IpAddr, String), Vec<i64>>,
    per_address: HashMap<IpAddr, Vec<i64>>,
}

fn recent(times: &mut Vec<i64>, now: i64) -> usize {
    times.retain(|t| now - t < WINDOW);
    times.len()
}

impl LoginThrottle {
    /// `Err(seconds)` when this attempt must be refused without checking the password.
    pub fn check(&self, ip: IpAddr, login: &str, now: i64) -> Result<(), i64> {
        let Ok(mut s) = self.inner.lock() else {
            return Ok(());
        };
        let wait = |times: &Vec<i64>| times.first().map_or(0, |t| WINDOW - (now - t));
        if let Some(t) = s.per_address.get_mut(&ip)
            && recent(t, now) >= PER_ADDRESS
        {
            return Err(wait(t).max(1));
        }
        if let Some(t) = s.per_account.get_mut(&(ip, login.to_owned()))
            && recent(t, now) >= PER_ACCOUNT
        {
            return Err(wait(t).max(1));
        }
        Ok(())
    }

    pub fn failure(&self, ip: IpAddr, login: &str, now: i64) {
        let Ok(mut s) = self.inner.lock() else {
            return;
        };
        if s.per_account.len() > MAX_KEYS {
            s.per_account.retain(|_, t| recent(t, now) > 0);
            s.per_address.retain(|_, t| recent(t, now) > 0);
        }
        s.per_account
            .entry((ip, login.to_owned()))
            .or_default()
            .push(now);
        s.per_address.entry(ip).or_default().push(now);
    }

    /// A success from this address clears that account's failures from it.
    pub fn success(&self, ip: IpAddr, login: &str) {
        if let Ok(mut s) = self.inner.lock() {
            s.per_account.remove(&(ip, login.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_the_attacker_not_the_account() {
        let t = LoginThrottle::default();
        let attacker: IpAddr = "203.0.113.7".parse().unwrap();
        let home: IpAddr = "198.51.100.2".parse().unwrap();
        for i in 0..PER_ACCOUNT as i64 {
            assert!(t.check(attacker, "lea.martin", 1000 + i).is_ok());
            t.failure(attacker, "lea.martin", 1000 + i);
        }
        assert!(t.check(attacker, "lea.martin", 1010).is_err());
        // The pupil from home, and a classmate's account, are not affected.
        assert!(t.check(home, "lea.martin", 1010).is_ok());
        assert!(t.check(attacker, "paul.durand", 1010).is_ok());
        // The lock ends with the window.
        assert!(t.check(attacker, "lea.martin", 1000 + WINDOW + 5).is_ok());
    }

    #[test]
    fn an_address_spraying_many_accounts_is_stopped() {
        let t = LoginThrottle::default();
        let ip: IpAddr = "203.0.113.9".parse().unwrap();
        for i in 0..PER_ADDRESS {
            t.failure(ip, &format!("eleve{i}"), 5000);
        }
        assert!(t.check(ip, "nouveau.compte", 5001).is_err());
    }
}
