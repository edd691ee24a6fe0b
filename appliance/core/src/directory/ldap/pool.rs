//! A small pool of bound LDAP connections. Connections (and their drivers) live on the
//! backend's own runtime, so they do not depend on which web worker first asked for them.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, LdapError};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::LdapConfig;
use crate::{Error, Result};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const OPERATION_TIMEOUT: Duration = Duration::from_secs(15);

pub(super) struct Pool {
    config: LdapConfig,
    /// TLS client trusting `tls_ca_file`, read once.
    tls: Option<Arc<rustls::ClientConfig>>,
    idle: Mutex<Vec<Ldap>>,
    permits: Arc<Semaphore>,
    /// Connections people's passwords are checked on (a bind as the person), kept open
    /// between sign-ins: no new TCP connection and no unbind per sign-in. How many are in use
    /// at once is bounded by the sign-in gate.
    binds: Mutex<Vec<Ldap>>,
}

/// A connection taken from the pool; returned on drop unless marked broken.
pub(super) struct Conn<'a> {
    pool: &'a Pool,
    ldap: Option<Ldap>,
    broken: bool,
    _permit: OwnedSemaphorePermit,
}

impl std::ops::Deref for Conn<'_> {
    type Target = Ldap;
    fn deref(&self) -> &Ldap {
        // Invariant: `ldap` is Some until drop.
        self.ldap.as_ref().unwrap_or_else(|| unreachable_conn())
    }
}

impl std::ops::DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut Ldap {
        self.ldap.as_mut().unwrap_or_else(|| unreachable_conn())
    }
}

#[allow(clippy::panic)] // `ldap` is only taken in Drop.
fn unreachable_conn() -> ! {
    panic!("pooled LDAP connection used after release")
}

impl Conn<'_> {
    /// Marks the connection as unusable (I/O error): it is closed instead of reused.
    pub(super) fn broken(&mut self) {
        self.broken = true;
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        if let Some(ldap) = self.ldap.take()
            && !self.broken
            && let Ok(mut idle) = self.pool.idle.lock()
        {
            idle.push(ldap);
        }
    }
}

pub(super) fn ldap_err(context: &str) -> impl Fn(LdapError) -> Error + '_ {
    move |e| Error::Directory(format!("{context}: {e}"))
}

impl Pool {
    pub(super) fn new(config: LdapConfig) -> Result<Self> {
        let permits = Arc::new(Semaphore::new(config.pool_size));
        let tls = config
            .tls_ca_file
            .as_deref()
            .map(crate::tls::client_trusting)
            .transpose()
            .map_err(Error::Directory)?;
        Ok(Self {
            config,
            tls,
            idle: Mutex::new(Vec::new()),
            permits,
            binds: Mutex::new(Vec::new()),
        })
    }

    /// A connection bound as the service account.
    pub(super) async fn get(&self) -> Result<Conn<'_>> {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| Error::Directory("pool closed".into()))?;
        let reused = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let reused = reused.and_then(|mut l| (!l.is_closed()).then_some(l));
        let ldap = match reused {
            Some(l) => l,
            None => {
                let mut l = self.connect().await?;
                l.simple_bind(&self.config.bind_dn, &self.config.bind_password)
                    .await
                    .and_then(|r| r.success())
                    .map_err(ldap_err("bind as the service account"))?;
                l
            }
        };
        Ok(Conn {
            pool: self,
            ldap: Some(ldap),
            broken: false,
            _permit: permit,
        })
    }

    /// A connection to bind as a person on: an open one if any, else a new one.
    pub(super) async fn bind_connection(&self) -> Result<Ldap> {
        let open = self.binds.lock().ok().and_then(|mut b| b.pop());
        match open.and_then(|mut l| (!l.is_closed()).then_some(l)) {
            Some(l) => Ok(l),
            None => self.connect().await,
        }
    }

    /// Gives back a connection that served a bind and answered (not one that failed).
    pub(super) fn bind_connection_back(&self, ldap: Ldap) {
        if let Ok(mut b) = self.binds.lock()
            // As many as the sign-in gate lets bind at once: each one in use is back here.
            && b.len() < crate::auth::gate::directory_binds().workers()
        {
            b.push(ldap);
        }
    }

    /// A new, unbound connection.
    pub(super) async fn connect(&self) -> Result<Ldap> {
        let mut settings = LdapConnSettings::new().set_conn_timeout(CONNECT_TIMEOUT);
        if self.config.starttls {
            settings = settings.set_starttls(true);
        }
        if let Some(tls) = &self.tls {
            settings = settings.set_config(Arc::clone(tls));
        }
        let (conn, mut ldap) = LdapConnAsync::with_settings(settings, &self.config.url)
            .await
            .map_err(ldap_err(&format!("connect to {}", self.config.url)))?;
        ldap3::drive!(conn);
        ldap.with_timeout(OPERATION_TIMEOUT);
        Ok(ldap)
    }
}

/// One-value set, as ldap3 wants attribute values.
pub(super) fn one(v: impl Into<String>) -> HashSet<String> {
    HashSet::from([v.into()])
}
