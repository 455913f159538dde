//! `doctor`'s `webhooks` line, when `[webhooks] listen` is set: where the running hub's
//! endpoint listens, which routes answer (and which answer 404, and why), and how many
//! deliveries it received and rejected. Without a running hub nothing listens: a warning.

use super::doctor::{line, Level};
use super::Context;
use crate::hub::attach::Attached;
use crate::hub::protocol::{Request, Response};

/// The line; false only when the endpoint failed (not listening).
pub async fn check(context: &Context, attached: &Attached) -> bool {
    let Some(listen) = context.config.webhooks.listen else {
        return true;
    };
    if attached.hosted.is_some() {
        return line(
            "webhooks",
            Level::Warn,
            &format!(
                "listen = \"{listen}\" is set, but no hub is running to listen (run `switchboard serve`)"
            ),
        );
    }
    let status = match attached.client.call(Request::Status).await {
        Ok(Response::Status { status }) => status,
        Ok(_) => return line("webhooks", Level::Fail, "unexpected answer to status"),
        Err(e) => return line("webhooks", Level::Fail, &e.to_string()),
    };
    match status.webhooks {
        None => line(
            "webhooks",
            Level::Warn,
            "the running hub has no webhook endpoint (started before [webhooks] listen was set? restart it)",
        ),
        Some(webhooks) => {
            let level = match (webhooks.listening, webhooks.needs_attention()) {
                (false, _) => Level::Fail,
                (true, true) => Level::Warn,
                (true, false) => Level::Ok,
            };
            line("webhooks", level, &webhooks.describe())
        }
    }
}
