//! The seam for direct messages (`Kind::Dm`, `chat.bsky.convo.*`), which the chat module
//! (`chat.rs`, written separately) fills in. Until it is wired, this account has no DMs:
//! `fetch_new` gives no chat page, and answering, threading or moderating a DM is
//! [`ConnectorError::Unsupported`].
//!
//! What the connector expects from the chat module (each gets the whole connector: its
//! `account()`, `session()` (shared with the PDS calls), `http_options()` and
//! `chat_api_base()`, from which to make the chat [`super::api::Api`], with an
//! `atproto-proxy: did:web:api.bsky.chat#bsky_chat` header when it is the PDS):
//!
//! - `fetch_new(conn, cursor: Option<&str>) -> Result<Page, ConnectorError>`: one page of
//!   DMs after its own cursor (`Page::cursor` is its next cursor, kept in the account's
//!   cursor under `chat`; `Page::more` asks for another call);
//! - `fetch_thread(conn, item) -> Result<Vec<NewItem>, ConnectorError>`: the conversation;
//! - `send_reply(conn, request) -> Result<Delivered, ConnectorError>` and
//!   `find_sent(conn, request) -> Result<Option<Delivered>, ConnectorError>`;
//! - `moderate(conn, item, action) -> Result<(), ConnectorError>` for what is not about
//!   the author (mute and block are handled for DMs like for posts).

use super::Bluesky;
use crate::connectors::{ConnectorError, Delivered, Moderation, Page, ReplyRequest};
use crate::model::{Item, NewItem};

fn not_yet() -> ConnectorError {
    ConnectorError::Unsupported("Bluesky DMs are not supported by this build yet".into())
}

/// One page of DMs after `cursor`; `None`: no chat module, nothing to read.
pub(super) async fn fetch_new(
    conn: &Bluesky,
    cursor: Option<&str>,
) -> Result<Option<Page>, ConnectorError> {
    let _ = (conn, cursor);
    Ok(None)
}

pub(super) async fn fetch_thread(
    conn: &Bluesky,
    item: &Item,
) -> Result<Vec<NewItem>, ConnectorError> {
    let _ = (conn, item);
    Err(not_yet())
}

pub(super) async fn send_reply(
    conn: &Bluesky,
    request: &ReplyRequest,
) -> Result<Delivered, ConnectorError> {
    let _ = (conn, request);
    Err(not_yet())
}

pub(super) async fn find_sent(
    conn: &Bluesky,
    request: &ReplyRequest,
) -> Result<Option<Delivered>, ConnectorError> {
    let _ = (conn, request);
    Ok(None)
}

pub(super) async fn moderate(
    conn: &Bluesky,
    item: &Item,
    action: &Moderation,
) -> Result<(), ConnectorError> {
    let _ = (conn, item, action);
    Err(not_yet())
}
