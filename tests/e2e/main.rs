//! End-to-end tests: the real cartabled binary, a real browser, real servers on loopback.
//! One binary, one module per feature.

// Test code: a panic is a failed test with its message, which is what we want here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

/// Runs each scenario (`async fn(&Backend) -> TestResult` of the calling module) on both
/// directory backends: the embedded one and OpenLDAP on a slapd of its own.
macro_rules! on_both_backends {
    ($($scenario:ident),* $(,)?) => {
        mod embedded {
            $(
                #[tokio::test]
                async fn $scenario() -> crate::TestResult {
                    let b = crate::directory::Backend::embedded().await?;
                    super::$scenario(&b).await
                }
            )*
        }
        mod ldap {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $scenario() -> crate::TestResult {
                    let b = crate::directory::Backend::ldap().await?;
                    super::$scenario(&b).await
                }
            )*
        }
    };
}

mod academie;
mod academie_hub;
mod accounts_cli;
mod actualites;
mod agenda;
mod annuaire;
mod authz;
mod backup;
mod blogs;
mod browser_actualites;
mod browser_cahier_de_textes;
mod browser_console;
mod browser_devoirs;
mod browser_emploi_du_temps;
mod browser_files;
mod browser_mediacentre;
mod browser_messagerie;
mod browser_notes;
mod browser_pages;
mod browser_reservations;
mod browser_sign_in;
mod browser_vie_scolaire;
mod cahier_de_textes;
mod calendrier;
mod carnet;
mod cas;
mod config;
mod demo;
mod directory;
mod domain;
mod durability;
mod emploi_du_temps;
mod files_http;
mod forums;
mod gar;
mod hardening;
mod import;
mod import_cli;
mod import_siecle;
mod lifecycle;
mod links;
mod mail_tls;
mod mediacentre;
mod messagerie;
mod notes;
mod notifications;
mod provision;
mod reservations;
mod server;
mod smb;
mod usages;
mod vie_scolaire;
mod web;

type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;
