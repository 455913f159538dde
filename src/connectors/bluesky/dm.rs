//! Direct messages (`Kind::Dm`): the connector's side of the chat service, through
//! [`super::chat`]. Chat calls carry the account's session (shared with the PDS calls) and
//! the `atproto-proxy` header; a token the chat service refuses as stale is renewed through
//! the PDS once, then the call is made again.
//!
//! - new DMs come from the chat log after the chat cursor (kept in the account's cursor
//!   under `chat`), once the notifications walk is over;
//! - a DM's thread is its conversation, and every message of it arrives through the log, so
//!   there is no context to fetch;
//! - an answer goes to the conversation (`sendMessage`, which has no idempotency key: a
//!   retry after a crash first looks for our message with the same text, see
//!   [`super::chat::Chat::find_sent`]);
//! - a DM cannot be hidden, deleted for the other side or reported through this API: mute
//!   or block its author instead (handled with the posts' moderation).

use chrono::{DateTime, Utc};

use super::chat::{Chat, DEFAULT_PROXY};
use super::session::Tokens;
use super::Bluesky;
use crate::connectors::{Connector, ConnectorError, Delivered, Moderation, Page, ReplyRequest};
use crate::model::{Item, NewItem};

/// One page of DMs after `cursor`.
pub(super) async fn fetch_new(
    conn: &Bluesky,
    cursor: Option<&str>,
) -> Result<Option<Page>, ConnectorError> {
    let tokens = conn.api().me().await?;
    let chat = match read_log(conn, cursor, &tokens).await {
        Err(e) if is_stale(&e) => {
            let renewed = conn.api().renew(&tokens).await?;
            read_log(conn, cursor, &renewed).await?
        }
        other => other?,
    };
    Ok(Some(Page {
        items: chat.items,
        problems: chat.problems,
        cursor: chat.cursor,
        more: chat.more,
    }))
}

async fn read_log(
    conn: &Bluesky,
    cursor: Option<&str>,
    tokens: &Tokens,
) -> Result<super::chat::ChatPage, ConnectorError> {
    chat(conn, tokens)
        .new_messages(cursor, conn.account(), &tokens.did)
        .await
}

/// Every message of a conversation comes through the log: nothing more to fetch.
pub(super) async fn fetch_thread(
    conn: &Bluesky,
    item: &Item,
) -> Result<Vec<NewItem>, ConnectorError> {
    let _ = (conn, item);
    Ok(Vec::new())
}

pub(super) async fn send_reply(
    conn: &Bluesky,
    request: &ReplyRequest,
) -> Result<Delivered, ConnectorError> {
    let convo = convo_of(&request.item)?;
    let tokens = conn.api().me().await?;
    let sent = match send(conn, convo, &request.text, &tokens).await {
        Err(e) if is_stale(&e) => {
            let renewed = conn.api().renew(&tokens).await?;
            send(conn, convo, &request.text, &renewed).await?
        }
        other => other?,
    };
    Ok(Delivered { reply: sent })
}

async fn send(
    conn: &Bluesky,
    convo: &str,
    text: &str,
    tokens: &Tokens,
) -> Result<NewItem, ConnectorError> {
    chat(conn, tokens)
        .send(convo, text, conn.account(), &tokens.did)
        .await
}

pub(super) async fn find_sent(
    conn: &Bluesky,
    request: &ReplyRequest,
) -> Result<Option<Delivered>, ConnectorError> {
    let convo = convo_of(&request.item)?;
    let tokens = conn.api().me().await?;
    let not_before = queued_at(&request.idempotency_key);
    let found = chat(conn, &tokens)
        .find_sent(
            convo,
            &request.text,
            conn.account(),
            &tokens.did,
            not_before,
        )
        .await?;
    Ok(found.map(|reply| Delivered { reply }))
}

pub(super) async fn moderate(
    conn: &Bluesky,
    item: &Item,
    action: &Moderation,
) -> Result<(), ConnectorError> {
    let _ = (conn, item);
    Err(ConnectorError::Unsupported(format!(
        "a Bluesky DM cannot be {}: mute or block its author instead",
        match action {
            Moderation::Hide | Moderation::Unhide => "hidden",
            Moderation::Delete => "deleted for the other side",
            Moderation::Report { .. } => "reported through this API",
            _ => "dismissed",
        }
    )))
}

fn chat<'a>(conn: &'a Bluesky, tokens: &'a Tokens) -> Chat<'a> {
    Chat::new(conn.chat_http(), &tokens.access).with_proxy(Some(DEFAULT_PROXY))
}

/// The conversation a DM item belongs to.
fn convo_of(item: &Item) -> Result<&str, ConnectorError> {
    item.thread_id.as_deref().ok_or_else(|| {
        ConnectorError::Refused(format!(
            "DM {} has no conversation id: cannot answer it",
            item.remote_id
        ))
    })
}

/// When the reply was queued: the time in its key (`switchboard-<ULID>`), else a day ago.
fn queued_at(key: &str) -> DateTime<Utc> {
    key.strip_prefix("switchboard-")
        .and_then(|id| id.parse::<ulid::Ulid>().ok())
        .and_then(|ulid| DateTime::from_timestamp_millis(ulid.timestamp_ms() as i64))
        .unwrap_or_else(|| Utc::now() - chrono::Duration::days(1))
}

/// A refusal that means the access token went stale (expired, revoked).
fn is_stale(error: &ConnectorError) -> bool {
    match error {
        ConnectorError::Auth(_) => true,
        ConnectorError::Refused(reason) => {
            let reason = reason.to_ascii_lowercase();
            reason.contains("expiredtoken")
                || reason.contains("invalidtoken")
                || reason.contains("token has expired")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_time_comes_from_the_reply_key() {
        let id = ulid::Ulid::from_parts(1_764_000_000_000, 7);
        let at = queued_at(&format!("switchboard-{id}"));
        assert_eq!(at.timestamp_millis(), 1_764_000_000_000);
        assert!(queued_at("other") < Utc::now());
    }

    #[test]
    fn stale_tokens_are_told_from_other_refusals() {
        assert!(is_stale(&ConnectorError::Auth("401".into())));
        assert!(is_stale(&ConnectorError::Refused(
            "GET x: 400 (Token has expired)".into()
        )));
        assert!(!is_stale(&ConnectorError::Refused(
            "GET x: 400 (bad convo)".into()
        )));
    }
}
