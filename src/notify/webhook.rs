//! Webhook channels: one HTTP POST per delivery. `format = "slack"` sends `{"text": ...}`,
//! which Slack and Mattermost incoming webhooks take; `"json"` sends the notice with its item
//! as JSON (serde escapes every control character in the item's text).

use std::time::Duration;

use serde_json::{json, Value};

use super::{text, Outcome};
use crate::config::WebhookFormat;
use crate::model::{Delivery, Item};

/// The request body for a delivery.
pub fn body(format: WebhookFormat, delivery: &Delivery, item: Option<&Item>) -> Value {
    match format {
        WebhookFormat::Slack => json!({ "text": text::slack_text(delivery, item) }),
        WebhookFormat::Json => json!({
            "delivery": delivery.id,
            "channel": delivery.channel,
            "kind": delivery.notice.kind.as_str(),
            "notice": delivery.notice,
            "item": item,
        }),
    }
}

/// POSTs the body; a 2xx is delivered, a 408, 429 or 5xx and network errors are worth
/// another try, any other status is final.
pub async fn send(http: &reqwest::Client, url: &str, body: &Value, timeout: Duration) -> Outcome {
    let response = http
        .post(url)
        .timeout(timeout)
        .header(
            "user-agent",
            concat!("switchboard/", env!("CARGO_PKG_VERSION")),
        )
        .json(body)
        .send()
        .await;
    let response = match response {
        Ok(response) => response,
        Err(e) if e.is_timeout() => {
            return Outcome::Retry(format!("no answer from {} within {timeout:?}", host(url)))
        }
        Err(e) => return Outcome::Retry(format!("cannot reach {}: {}", host(url), root(&e))),
    };
    let status = response.status();
    if status.is_success() {
        return Outcome::Delivered;
    }
    let answer = response.text().await.unwrap_or_default();
    let reason = format!(
        "{} answered {status}{}",
        host(url),
        if answer.trim().is_empty() {
            String::new()
        } else {
            format!(": {}", crate::ui::sanitize::flat_line(&answer, 120))
        }
    );
    if status.is_server_error() || status.as_u16() == 408 || status.as_u16() == 429 {
        Outcome::Retry(reason)
    } else {
        Outcome::Fail(reason)
    }
}

/// The URL's host and port, for messages (never the path: it often holds a secret token).
fn host(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(url) => match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            _ => "the webhook".to_string(),
        },
        Err(_) => "the webhook".to_string(),
    }
}

/// The innermost cause of an error, which says what went wrong (refused, reset, DNS).
fn root(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_host_not_the_secret_path() {
        assert_eq!(
            host("https://hooks.slack.com/services/T0/B0/SECRET"),
            "hooks.slack.com"
        );
        assert_eq!(host("http://127.0.0.1:9/x"), "127.0.0.1:9");
    }
}
