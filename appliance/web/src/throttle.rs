//! Sign-in throttling, in memory: progressive delays, never a long lock-out.
//!
//! - **Per account from one address**: 5 failures are free; after that, each attempt must wait
//!   1 s, then 2, 4… after the previous failure, never more than [`CAP`] (60 s). A classmate
//!   typing wrong passwords on a pupil's login behind the school's NAT holds him off for at
//!   most a minute after his last try; a guesser from one address gets about one try a minute.
//! - **Per account from everywhere**: 20 failures are free, then the same doubling delay,
//!   capped at a minute: a guesser spread over many addresses is slowed as much, and the owner
//!   waits at most a minute with the right password.
//! - **Per address, all accounts**: the school's NAT is one address for hundreds of pupils, so
//!   an address is never refused; past 300 failures in a quarter of an hour its failures are
//!   answered after a [`TARPIT`] pause (a right password is not paused).
//!
//! Attempts refused for waiting are not counted (the password is not even checked). A success
//! clears that account's failures. A quarter of an hour without failure forgets them.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

/// Failures of one account from one address before delays start.
const FREE_PER_PAIR: u32 = 5;
/// Failures of one account, all addresses, before delays start.
const FREE_PER_ACCOUNT: u32 = 20;
/// Failures from one address, all accounts, before its failures are paused.
const FREE_PER_ADDRESS: u32 = 300;
/// The longest delay, in seconds.
pub const CAP: i64 = 60;
/// Pause before answering a failure from an address past its free failures.
pub const TARPIT: Duration = Duration::from_secs(2);
/// Quiet time after which failures are forgotten, in seconds.
const WINDOW: i64 = 15 * 60;
/// Entries kept per table at most (memory bound under a spray of addresses or logins).
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy, Default)]
struct Failures {
    count: u32,
    last: i64,
}

impl Failures {
    fn current(&self, now: i64) -> u32 {
        if now - self.last >= WINDOW {
            0
        } else {
            self.count
        }
    }

    /// Seconds still to wait before the next attempt, once past `free` failures.
    fn wait(&self, now: i64, free: u32) -> i64 {
        let n = self.current(now);
        if n < free {
            return 0;
        }
        let delay = 1i64
            .checked_shl(n - free)
            .filter(|d| *d > 0)
            .map_or(CAP, |d| d.min(CAP));
        (self.last + delay - now).max(0)
    }

    fn add(&mut self, now: i64) {
        self.count = self.current(now).saturating_add(1);
        self.last = now;
    }
}

#[derive(Default)]
pub struct LoginThrottle {
    inner: Mutex<State>,
}

#[derive(Default)]
struct State {
    per_pair: HashMap<(IpAddr, String), Failures>,
    per_account: HashMap<String, Failures>,
    per_address: HashMap<IpAddr, Failures>,
}

fn bump<K: Hash + Eq>(map: &mut HashMap<K, Failures>, key: K, now: i64) {
    if map.len() >= MAX_KEYS {
        map.retain(|_, f| f.current(now) > 0);
    }
    map.entry(key).or_default().add(now);
}

impl LoginThrottle {
    /// `Err(seconds)` when this attempt must wait before the password is checked.
    pub fn check(&self, ip: IpAddr, login: &str, now: i64) -> Result<(), i64> {
        let Ok(s) = self.inner.lock() else {
            return Ok(());
        };
        let pair = s
            .per_pair
            .get(&(ip, login.to_owned()))
            .map_or(0, |f| f.wait(now, FREE_PER_PAIR));
        let account = s
            .per_account
            .get(login)
            .map_or(0, |f| f.wait(now, FREE_PER_ACCOUNT));
        match pair.max(account) {
            0 => Ok(()),
            wait => Err(wait),
        }
    }

    /// A wrong password: counted, and how long to pause before answering it.
    pub fn failure(&self, ip: IpAddr, login: &str, now: i64) -> Duration {
        let Ok(mut s) = self.inner.lock() else {
            return Duration::ZERO;
        };
        bump(&mut s.per_pair, (ip, login.to_owned()), now);
        bump(&mut s.per_account, login.to_owned(), now);
        bump(&mut s.per_address, ip, now);
        let from_address = s.per_address.get(&ip).map_or(0, |f| f.current(now));
        if from_address > FREE_PER_ADDRESS {
            TARPIT
        } else {
            Duration::ZERO
        }
    }

    /// The right password: that account's failures are forgotten.
    pub fn success(&self, ip: IpAddr, login: &str) {
        if let Ok(mut s) = self.inner.lock() {
            s.per_pair.remove(&(ip, login.to_owned()));
            s.per_account.remove(login);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn behind_the_school_nat_a_classmate_holds_a_pupil_off_a_minute_at_most() {
        let t = LoginThrottle::default();
        let nat = ip("192.0.2.10");
        // A classmate types wrong passwords on Léa's login as fast as he is let.
        let mut now = 1000;
        let mut tries = 0;
        while now < 1000 + 3600 {
            match t.check(nat, "lea.martin", now) {
                Ok(()) => {
                    t.failure(nat, "lea.martin", now);
                    tries += 1;
                }
                Err(wait) => assert!(wait <= CAP, "{wait}"),
            }
            now += 1;
        }
        // About one try a minute once past the free ones.
        assert!(tries < 5 + 20 + 60 + 5, "{tries} tries in an hour");
        // Léa, from the same NAT, waits at most a minute after his last try.
        assert!(t.check(nat, "lea.martin", now + CAP).is_ok());
        // Her classmates, from the same address, are not affected.
        assert!(t.check(nat, "paul.durand", now).is_ok());
    }

    #[test]
    fn a_guess_spread_over_many_addresses_is_slowed_too() {
        let t = LoginThrottle::default();
        for i in 0..FREE_PER_ACCOUNT {
            let a = IpAddr::from([198, 51, 100, i as u8]);
            assert!(t.check(a, "lea.martin", 5000).is_ok());
            t.failure(a, "lea.martin", 5000);
        }
        let fresh = ip("203.0.113.99");
        let wait = t.check(fresh, "lea.martin", 5000).err().unwrap_or(0);
        assert!((1..=CAP).contains(&wait), "{wait}");
        // The right password, after the wait, clears it.
        assert!(t.check(fresh, "lea.martin", 5000 + CAP).is_ok());
        t.success(fresh, "lea.martin");
        assert!(t.check(fresh, "lea.martin", 5000 + CAP).is_ok());
    }

    #[test]
    fn an_address_spraying_accounts_is_paused_never_refused() {
        let t = LoginThrottle::default();
        let nat = ip("203.0.113.9");
        let mut pause = Duration::ZERO;
        for i in 0..=FREE_PER_ADDRESS {
            pause = t.failure(nat, &format!("eleve{i}"), 5000);
        }
        assert_eq!(pause, TARPIT);
        assert!(t.check(nat, "nouveau.compte", 5001).is_ok());
        // Forgotten after a quiet quarter of an hour.
        assert_eq!(t.failure(nat, "x", 5000 + WINDOW + 1), Duration::ZERO);
    }
}
