//! The établissement's SMTP relay (`[mail]`): the transport of the mail outbox, and the loop
//! that hands mails over as soon as they are queued, retries what waits and queues the daily
//! summaries.

use std::sync::Arc;
use std::time::Duration;

use cartable_core::config::{MailConfig, MailSecurity};
use cartable_core::notify::outbox::{
    MailOutbox, MailTransport, Outgoing, SendError, next_digest_time,
};
use lettre::message::header::ContentTransferEncoding;
use lettre::message::header::ContentType;
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::messages;

/// How long one exchange with the relay may take before it counts as down.
const TIMEOUT: Duration = Duration::from_secs(20);
/// Even with nothing queued, look again this often (retries, a clock change).
const IDLE: Duration = Duration::from_secs(30);

pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Smtp {
    pub fn new(c: &MailConfig) -> anyhow::Result<Self> {
        let tls = || -> anyhow::Result<TlsParameters> {
            let mut b = TlsParameters::builder(c.host.clone());
            if let Some(ca) = &c.ca_file {
                let pem = std::fs::read(ca)
                    .map_err(|e| anyhow::anyhow!("mail.ca_file ({}) : {e}", ca.display()))?;
                b = b.add_root_certificate(
                    Certificate::from_pem(&pem)
                        .map_err(|e| anyhow::anyhow!("mail.ca_file ({}) : {e}", ca.display()))?,
                );
            }
            Ok(b.build_rustls()?)
        };
        let tls = match c.security {
            MailSecurity::StartTls => Tls::Required(tls()?),
            MailSecurity::Tls => Tls::Wrapper(tls()?),
            MailSecurity::None => Tls::None,
        };
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(c.host.clone())
            .port(c.port)
            .tls(tls)
            .timeout(Some(TIMEOUT));
        if let Some((user, password)) = &c.credentials {
            b = b.credentials(Credentials::new(user.clone(), password.clone()));
        }
        let from: Mailbox = c
            .sender
            .parse()
            .map_err(|e| anyhow::anyhow!("mail.sender « {} » : {e}", c.sender))?;
        Ok(Self {
            transport: b.build(),
            from,
        })
    }
}

impl MailTransport for Smtp {
    fn send<'a>(
        &'a self,
        mail: Outgoing<'a>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), SendError>> + Send + 'a>>
    {
        Box::pin(async move {
            let to: Mailbox = mail
                .to
                .parse()
                .map_err(|_| SendError::Refused(messages::MAIL_BAD_ADDRESS.to_owned()))?;
            let message = Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(mail.subject)
                .message_id(Some(mail.message_id))
                .header(ContentType::TEXT_PLAIN)
                // Quoted-printable: French text stays readable in any mailbox's source.
                .body(
                    Body::new_with_encoding(
                        mail.body.to_owned(),
                        ContentTransferEncoding::QuotedPrintable,
                    )
                    .map_err(|_| SendError::Refused(messages::MAIL_BAD_BODY.to_owned()))?,
                )
                .map_err(|e| SendError::Refused(e.to_string()))?;
            match self.transport.send(message).await {
                Ok(_) => Ok(()),
                Err(e) if e.is_permanent() => Err(SendError::Refused(messages::mail_refused(&e))),
                Err(e) => Err(SendError::Later(messages::mail_later(&e))),
            }
        })
    }
}

/// Sends as soon as woken, or when the next mail is due; queues the daily summaries at the
/// configured hour.
pub async fn run(
    outbox: MailOutbox,
    transport: Arc<Smtp>,
    wake: Arc<tokio::sync::Notify>,
    clock: cartable_core::clock::SharedClock,
    config: MailConfig,
    base_url: String,
    signature: String,
) {
    let digest_hour = config.digest_hour;
    loop {
        if let Err(e) = outbox
            .queue_digests(digest_hour, &base_url, &signature)
            .await
        {
            tracing::warn!("résumés quotidiens : {e}");
        }
        let mut relay_down = false;
        match outbox.send_due(transport.as_ref()).await {
            Ok(r) => {
                if r.sent + r.refused > 0 {
                    tracing::info!(envoyes = r.sent, refuses = r.refused, "courriels");
                }
                relay_down = r.later > 0;
            }
            Err(e) => tracing::warn!("envoi des courriels : {e}"),
        }
        let now = clock.now();
        // The relay down: wait the first retry delay before knocking again, whatever is due.
        let floor = if relay_down {
            config.retry
        } else {
            Duration::from_millis(200)
        };
        let mut wait = IDLE;
        if let Ok(Some(s)) = outbox.next_due_in().await {
            wait = wait.min(Duration::from_secs(s.max(1) as u64));
        }
        let digest = (next_digest_time(now, digest_hour) - now).whole_seconds();
        wait = wait
            .min(Duration::from_secs(digest.max(1) as u64))
            .max(floor);
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}
