//! cartabled: the appliance's daemon. It only wires cartable-core and cartable-web together,
//! talks to systemd and handles signals; the logic lives in the library crates.

mod academie;
mod accounts_cmd;
mod backup;
mod cli;
mod domain;
mod files;
mod gar;
mod import_cmd;
mod logging;
mod mail;
mod messages;
mod modules;
mod run;
mod server;
mod systemd;

use std::process::ExitCode;

/// Many short-lived allocations on many threads (TLS records, headers, pages): glibc's malloc
/// was a quarter of the HTTP threads' time under the 8:00 storm (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let matches =
        cartable_core::cli::french(<cli::Cli as clap::CommandFactory>::command()).get_matches();
    let args = match <cli::Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(a) => a,
        Err(e) => e.exit(),
    };
    let outcome = actix_web::rt::System::new().block_on(run::dispatch(args));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Configuration problems are already worded for the technician.
            if let Some(cartable_core::Error::Config(c)) = e.downcast_ref::<cartable_core::Error>()
            {
                eprintln!("{c}");
                return ExitCode::from(2);
            }
            if let Some(core) = e.downcast_ref::<cartable_core::Error>() {
                eprintln!("{}", messages::describe(core));
            } else {
                eprintln!("{}: {e:#}", messages::FATAL);
            }
            ExitCode::FAILURE
        }
    }
}
