//! Email channels: one plain-text message per delivery to the channel's `to`, sent through
//! `[smtp]` with lettre (tokio, rustls). STARTTLS when `starttls = true`; the password is
//! read from `password_env` at send time, so a rotated secret needs no restart. The subject
//! is the notice's title on one clean line (see `text::subject`): hostile text cannot add
//! a header.

use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{text, Outcome};
use crate::config::SmtpConfig;
use crate::model::{Delivery, Item};

/// The message for a delivery, or why it cannot be built (a bad address: final).
pub fn message(
    smtp: &SmtpConfig,
    to: &[String],
    delivery: &Delivery,
    item: Option<&Item>,
) -> Result<Message, String> {
    let from: Mailbox = smtp
        .from
        .parse()
        .map_err(|e| format!("smtp.from '{}' is not an address: {e}", smtp.from))?;
    // One Message-ID per delivery: a retry after a lost answer is the same message.
    let domain = smtp.from.rsplit('@').next().unwrap_or("switchboard");
    let mut builder = Message::builder()
        .message_id(Some(format!("<{}@{domain}>", delivery.id)))
        .from(from)
        .subject(text::subject(&delivery.notice.title))
        .header(ContentType::TEXT_PLAIN);
    for address in to {
        let mailbox: Mailbox = address
            .parse()
            .map_err(|e| format!("'{address}' is not an address: {e}"))?;
        builder = builder.to(mailbox);
    }
    builder
        .body(text::plain_body(delivery, item))
        .map_err(|e| format!("cannot build the message: {e}"))
}

/// Sends one message through `[smtp]`: delivered, worth another try (a timeout, a 4xx, a
/// dropped connection) or final (a 5xx, a missing password).
pub async fn send(smtp: &SmtpConfig, message: Message, timeout: Duration) -> Outcome {
    let transport = match transport(smtp, timeout) {
        Ok(transport) => transport,
        Err(reason) => return Outcome::Fail(reason),
    };
    match transport.send(message).await {
        Ok(_) => Outcome::Delivered,
        Err(e) if e.is_permanent() => Outcome::Fail(format!(
            "{}:{} refused the message: {e}",
            smtp.host, smtp.port
        )),
        Err(e) => Outcome::Retry(format!("{}:{}: {e}", smtp.host, smtp.port)),
    }
}

fn transport(
    smtp: &SmtpConfig,
    timeout: Duration,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let builder = if smtp.starttls {
        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
            .map_err(|e| format!("smtp.host '{}': {e}", smtp.host))?
    } else {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
    };
    let mut builder = builder.port(smtp.port).timeout(Some(timeout));
    if let Some(user) = &smtp.username {
        builder = builder.credentials(Credentials::new(user.clone(), password(smtp)?));
    }
    Ok(builder.build())
}

/// The SMTP password from `password_env`, read now.
fn password(smtp: &SmtpConfig) -> Result<String, String> {
    let Some(var) = &smtp.password_env else {
        return Err("smtp.username is set but smtp.password_env is not".into());
    };
    std::env::var(var).map_err(|_| format!("smtp.password_env: ${var} is not set"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Notice, NoticeKind};

    fn smtp() -> SmtpConfig {
        SmtpConfig {
            host: "127.0.0.1".into(),
            port: 2525,
            from: "switchboard@acme.test".into(),
            username: None,
            password_env: None,
            starttls: false,
        }
    }

    #[test]
    fn the_message_has_one_subject_line_whatever_the_title() {
        let notice = Notice {
            kind: NoticeKind::Escalated,
            at: chrono::Utc::now(),
            title: "Hi\r\nBcc: victim@evil.test\r\n\r\nforged body".into(),
            body: String::new(),
            item: None,
            channels: vec!["mail".into()],
            users: Vec::new(),
        };
        let delivery = Delivery::new("mail", notice, chrono::Utc::now());
        let message = message(&smtp(), &["legal@acme.test".into()], &delivery, None).unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        let headers = raw.split("\r\n\r\n").next().unwrap();
        let bcc = headers
            .lines()
            .any(|l| l.to_lowercase().starts_with("bcc:"));
        assert!(!bcc, "{headers}");
        assert!(
            headers.contains("Subject: Hi Bcc: victim@evil.test forged body"),
            "{headers}"
        );
        assert!(headers.contains("To: legal@acme.test"), "{headers}");
        let id = format!("Message-ID: <{}@acme.test>", delivery.id);
        assert!(headers.contains(&id), "{headers}");
    }

    #[test]
    fn a_username_without_its_password_is_a_clear_error() {
        let mut config = smtp();
        config.username = Some("sb".into());
        config.password_env = Some("SWITCHBOARD_TEST_SURELY_UNSET_PASSWORD".into());
        let error = transport(&config, Duration::from_secs(1)).err().unwrap();
        assert!(
            error.contains("$SWITCHBOARD_TEST_SURELY_UNSET_PASSWORD is not set"),
            "{error}"
        );
    }
}
