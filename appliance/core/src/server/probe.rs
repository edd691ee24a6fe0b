//! Whether a network service answers as itself: an SMB2 negotiation for Samba, the greeting
//! line for an SMTP relay. Each probe is bounded by `within`; it sends nothing that changes
//! the remote.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Why a service did not answer, as the server page tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Nothing listens there (connection refused, no route).
    Unreachable(String),
    /// No answer in time.
    Timeout,
    /// Something answered, not the service expected.
    Unexpected(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Unreachable(e) => write!(f, "{}{e}", crate::messages::PROBE_UNREACHABLE),
            Failure::Timeout => f.write_str(crate::messages::PROBE_TIMEOUT),
            Failure::Unexpected(e) => write!(f, "{}{e}", crate::messages::PROBE_UNEXPECTED),
        }
    }
}

async fn bounded<T>(
    within: Duration,
    f: impl std::future::Future<Output = Result<T, Failure>>,
) -> Result<T, Failure> {
    tokio::time::timeout(within, f)
        .await
        .unwrap_or(Err(Failure::Timeout))
}

async fn connect(host: &str, port: u16) -> Result<TcpStream, Failure> {
    let s = TcpStream::connect((host, port))
        .await
        .map_err(|e| Failure::Unreachable(e.to_string()))?;
    let _ = s.set_nodelay(true);
    Ok(s)
}

/// An SMB2 NEGOTIATE request (dialects 2.0.2 to 3.0.2, no negotiate contexts), framed for
/// direct TCP (a 4-byte length first).
fn smb2_negotiate() -> Vec<u8> {
    let dialects: [u16; 4] = [0x0202, 0x0210, 0x0300, 0x0302];
    let mut m = Vec::with_capacity(4 + 64 + 36 + 8);
    m.extend_from_slice(&[0; 4]); // length, set below
    // Header: protocol id, structure size 64, credit charge, status, command NEGOTIATE (0),
    // one credit asked, flags, next command, message id, process id, tree id, session id,
    // signature.
    m.extend_from_slice(b"\xfeSMB");
    m.extend_from_slice(&64u16.to_le_bytes());
    m.extend_from_slice(&[0; 2 + 4]);
    m.extend_from_slice(&0u16.to_le_bytes());
    m.extend_from_slice(&1u16.to_le_bytes());
    m.extend_from_slice(&[0; 4 + 4 + 8 + 4 + 4 + 8 + 16]);
    // NEGOTIATE: structure size 36, dialect count, security mode (signing enabled),
    // reserved, capabilities, client GUID, start time; then the dialects.
    m.extend_from_slice(&36u16.to_le_bytes());
    m.extend_from_slice(&(dialects.len() as u16).to_le_bytes());
    m.extend_from_slice(&1u16.to_le_bytes());
    m.extend_from_slice(&[0; 2 + 4]);
    m.extend_from_slice(b"cartable-probe!!");
    m.extend_from_slice(&[0; 8]);
    for d in dialects {
        m.extend_from_slice(&d.to_le_bytes());
    }
    let len = (m.len() - 4) as u32;
    m[..4].copy_from_slice(&len.to_be_bytes());
    m
}

/// Whether an SMB server answers at `host:port`: it must accept an SMB2 negotiation.
pub async fn smb(host: &str, port: u16, within: Duration) -> Result<(), Failure> {
    bounded(within, async {
        let mut s = connect(host, port).await?;
        let io = |e: std::io::Error| Failure::Unexpected(e.to_string());
        s.write_all(&smb2_negotiate()).await.map_err(io)?;
        // Length, then the header's protocol id and its status (bytes 8..12 of the header).
        let mut head = [0u8; 4 + 12];
        s.read_exact(&mut head).await.map_err(io)?;
        if &head[4..8] != b"\xfeSMB" {
            return Err(Failure::Unexpected(
                crate::messages::PROBE_NOT_SMB.to_owned(),
            ));
        }
        let status = u32::from_le_bytes([head[12], head[13], head[14], head[15]]);
        if status != 0 {
            return Err(Failure::Unexpected(format!("NTSTATUS 0x{status:08x}")));
        }
        Ok(())
    })
    .await
}

/// Whether an SMTP relay greets at `host:port` (`tls`: implicit TLS, where the greeting
/// comes after a handshake this probe does not make: the connection alone is checked).
pub async fn smtp(host: &str, port: u16, tls: bool, within: Duration) -> Result<(), Failure> {
    bounded(within, async {
        let mut s = connect(host, port).await?;
        if tls {
            return Ok(());
        }
        // The greeting's first line; at most 512 bytes read (RFC 5321's line limit).
        let mut line = Vec::with_capacity(64);
        let mut byte = [0u8; 1];
        while line.len() < 512 {
            let n = s
                .read(&mut byte)
                .await
                .map_err(|e| Failure::Unexpected(e.to_string()))?;
            if n == 0 || byte[0] == b'\n' {
                break;
            }
            line.push(byte[0]);
        }
        let text = String::from_utf8_lossy(&line).trim().to_owned();
        let _ = s.write_all(b"QUIT\r\n").await;
        if text.starts_with("220") {
            Ok(())
        } else {
            Err(Failure::Unexpected(
                text.chars().take(120).collect::<String>(),
            ))
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_negotiation_is_framed_as_smb2_over_tcp() {
        let m = smb2_negotiate();
        let len = u32::from_be_bytes([m[0], m[1], m[2], m[3]]) as usize;
        assert_eq!(len, m.len() - 4);
        assert_eq!(len, 64 + 36 + 8);
        assert_eq!(&m[4..8], b"\xfeSMB");
        assert_eq!(u16::from_le_bytes([m[68], m[69]]), 36);
    }

    #[tokio::test]
    async fn nothing_listening_is_unreachable_and_silence_times_out() {
        // A port just freed: nothing listens.
        let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = free.local_addr().unwrap().port();
        drop(free);
        let r = smb("127.0.0.1", port, Duration::from_secs(2)).await;
        assert!(matches!(r, Err(Failure::Unreachable(_))), "{r:?}");
        // A listener that never answers.
        let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = silent.local_addr().unwrap().port();
        let r = smtp("127.0.0.1", port, false, Duration::from_millis(200)).await;
        assert_eq!(r, Err(Failure::Timeout));
        // Something that is not a mail relay.
        let other = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = other.local_addr().unwrap().port();
        tokio::spawn(async move {
            if let Ok((mut s, _)) = other.accept().await {
                let _ = s.write_all(b"SSH-2.0-OpenSSH_9.2\r\n").await;
            }
        });
        let r = smtp("127.0.0.1", port, false, Duration::from_secs(2)).await;
        assert!(
            matches!(r, Err(Failure::Unexpected(ref t)) if t.contains("SSH")),
            "{r:?}"
        );
    }
}
