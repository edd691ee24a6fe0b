//! Harness of the end-to-end tests: starts the real `cartabled` binary, Chromium (through
//! chromedriver) and, later, slapd and smbd, on free loopback ports in temporary
//! directories, keeps their logs there, and stops them on drop.

// The harness polls external processes from test threads, outside any executor, so a short
// sleep is the right way to wait here.
#![allow(clippy::disallowed_methods)]

pub mod academie;
pub mod accounts;
pub mod apache;
pub mod browser;
pub mod daemon;
pub mod http;
pub mod samba;
pub mod slapd;

/// A free TCP port on 127.0.0.1 (the OS picks it; a race with another process is possible
/// but harmless in practice since the port is used at once).
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Recursive copy of a directory tree (the demo template into a test's own directory).
pub fn copy_tree(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
