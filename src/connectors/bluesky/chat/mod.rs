//! Bluesky direct messages: the `chat.bsky.convo.*` methods of the chat service.
//!
//! What it owns: reading the account's new DMs as items ([`Chat::new_messages`]), sending
//! a DM into a convo ([`Chat::send`]) and looking for one already sent after a crash
//! ([`Chat::find_sent`]). Every call goes through the account's [`HttpClient`] bound to
//! `chat_api_base` (default: the PDS `api_base`), with the session's access token and the
//! `atproto-proxy` header ([`DEFAULT_PROXY`]) by which the PDS forwards the call to the
//! chat service, as Bluesky's own clients do. Session handling (login, refresh) is the
//! connector's: a [`Chat`] is cheap and built per pass with the current token.
//!
//! **Why `getLog`.** The chat service keeps a log per account of everything that happened
//! in its convos (a convo begun, a message created or deleted, a convo read, reactions,
//! group events), each entry with a `rev`: strings that sort in the order of the log.
//! `getLog` from the last rev read gives what is new in every convo in one call, where
//! `listConvos` + `getMessages` would cost a call per convo on every pass and find new
//! messages only by comparison. It is what Bluesky's own app polls.
//!
//! **Sync.** The cursor is the rev of the newest log entry read (opaque to everyone else).
//! - First sync (no cursor): `getLog` without a cursor gives the log's latest rev, *then*
//!   the backlog is read: `listConvos` (most recent activity first, paged) up to
//!   [`DEFAULT_BACKLOG_CONVOS`] convos and one `getMessages` page of each, its newest
//!   [`DEFAULT_BACKLOG_MESSAGES`] messages (see [`Chat::with_backlog`]). Taking the rev
//!   first means that a message arriving during the backlog read is read twice (by the
//!   backlog and by the next `getLog`), never missed; the store keeps one copy.
//! - Afterwards: `getLog` from the cursor. `#logCreateMessage` entries become items; every
//!   other entry (and any entry kind this code does not know) only moves the cursor. A page's
//!   cursor is safe to store once its items are: a failed call returns an error and no
//!   cursor, so the same entries are asked for again.
//!
//! **Items.** A message is a [`Kind::Dm`] item with `remote_id` = `convoId/messageId` (see
//! [`remote_id`]: the lexicons do not say message ids are unique beyond their convo),
//! `thread_id` = the convo id, `parent_id` = the message it answers when it is a reply (`replyTo`),
//! author = the sender's DID and, when the convo's members or the entry's related profiles
//! give them, handle and display name. Our own messages (sender = the account's DID) come
//! back as items too, marked `from_brand`.
//!
//! **Tolerance.** A union member this code does not know (a newer message or log kind) is
//! skipped; a deleted message (`#deletedMessageView`: its text is gone) and system messages
//! are skipped; a message view that does not read is a [`PayloadProblem`] with its raw
//! JSON. None of these fails the pass. An answer that is not the expected JSON at all is a
//! [`ConnectorError::Transient`] (the cursor does not move).
//!
//! Sent messages are plain text: no facets, so a link is not made clickable for the reader.

mod collect;
pub mod payload;

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use reqwest::header::HeaderName;
use serde_json::{json, Value};
use unicode_segmentation::UnicodeSegmentation;

use self::collect::Collector;
use self::payload::{ConvosPage, LogPage, Message, MessageView, MessagesPage, Profile};
use crate::connectors::credentials::Secret;
use crate::connectors::http::{Call, HttpClient};
use crate::connectors::{ConnectorError, PayloadProblem};
use crate::model::NewItem;

/// The `atproto-proxy` value that sends a call through the PDS to Bluesky's chat service.
pub const DEFAULT_PROXY: &str = "did:web:api.bsky.chat#bsky_chat";
/// Convos whose recent messages the first sync reads.
pub const DEFAULT_BACKLOG_CONVOS: usize = 50;
/// Messages the first sync reads from each of those convos (newest first).
pub const DEFAULT_BACKLOG_MESSAGES: usize = 20;
/// `chat.bsky.convo.defs#messageInput.text`: `maxLength` (UTF-8 bytes).
pub const MAX_TEXT_BYTES: usize = 10_000;
/// `chat.bsky.convo.defs#messageInput.text`: `maxGraphemes`.
pub const MAX_TEXT_GRAPHEMES: usize = 1_000;
/// The `limit` maximum of `listConvos` and `getMessages`.
const MAX_LIMIT: usize = 100;
/// `getMessages` pages [`Chat::find_sent`] reads at most.
const FIND_SENT_PAGES: usize = 3;
/// How far the chat service's clock may be behind ours for [`Chat::find_sent`].
pub const FIND_SENT_SKEW_SECS: i64 = 30;

const NSID: &str = "chat.bsky.convo";

/// One page of new DMs; see [`crate::connectors::Page`], which it becomes part of.
#[derive(Clone, Debug, Default)]
pub struct ChatPage {
    pub items: Vec<NewItem>,
    pub problems: Vec<PayloadProblem>,
    /// The cursor to store once `items` are: passed back to [`Chat::new_messages`].
    /// `None`: keep the old (the account's log is still empty).
    pub cursor: Option<String>,
    /// Another page may be waiting now.
    pub more: bool,
}

/// The item `remote_id` of a message: `convoId/messageId`.
pub fn remote_id(convo_id: &str, message_id: &str) -> String {
    format!("{convo_id}/{message_id}")
}

/// Whether `text` fits a DM (`chat.bsky.convo.defs#messageInput`); `Refused` says why not.
pub fn check_text(text: &str) -> Result<(), ConnectorError> {
    if text.trim().is_empty() {
        return Err(ConnectorError::Refused(
            "a Bluesky DM cannot be empty".into(),
        ));
    }
    let graphemes = text.graphemes(true).count();
    if graphemes > MAX_TEXT_GRAPHEMES || text.len() > MAX_TEXT_BYTES {
        return Err(ConnectorError::Refused(format!(
            "a Bluesky DM holds at most {MAX_TEXT_GRAPHEMES} characters and {MAX_TEXT_BYTES} \
             bytes; this one has {graphemes} characters and {} bytes",
            text.len()
        )));
    }
    Ok(())
}

/// The chat service, as one account.
pub struct Chat<'a> {
    http: &'a HttpClient,
    token: &'a Secret,
    proxy: Option<String>,
    backlog_convos: usize,
    backlog_messages: usize,
}

impl<'a> Chat<'a> {
    /// Calls through `http` with the session's access token and [`DEFAULT_PROXY`].
    pub fn new(http: &'a HttpClient, token: &'a Secret) -> Chat<'a> {
        Chat {
            http,
            token,
            proxy: Some(DEFAULT_PROXY.to_string()),
            backlog_convos: DEFAULT_BACKLOG_CONVOS,
            backlog_messages: DEFAULT_BACKLOG_MESSAGES,
        }
    }

    /// Another `atproto-proxy` value (`None`: send none, for a chat service called
    /// directly).
    pub fn with_proxy(mut self, proxy: Option<&str>) -> Chat<'a> {
        self.proxy = proxy.map(str::to_string);
        self
    }

    /// How much the first sync reads: the most recent `convos` convos, the newest
    /// `messages` (at most 100) of each.
    pub fn with_backlog(mut self, convos: usize, messages: usize) -> Chat<'a> {
        self.backlog_convos = convos;
        self.backlog_messages = messages.min(MAX_LIMIT);
        self
    }

    /// The DMs that are new since `cursor` (`None`: the first sync, which reads the
    /// backlog). `account` names the configured account, `own_did` its DID.
    pub async fn new_messages(
        &self,
        cursor: Option<&str>,
        account: &str,
        own_did: &str,
    ) -> Result<ChatPage, ConnectorError> {
        let mut out = Collector::new(account, own_did);
        match cursor.filter(|c| !c.is_empty()) {
            None => self.first_sync(&mut out).await,
            Some(cursor) => self.read_log(cursor, &mut out).await,
        }
    }

    /// Sends `text` into the convo; our message as an item. `sendMessage` has no
    /// idempotency key: after an error that leaves it unknown whether the message went
    /// out (a timeout, a 5xx, an unreadable answer), call [`Chat::find_sent`] before
    /// sending again. Never retried here.
    pub async fn send(
        &self,
        convo_id: &str,
        text: &str,
        account: &str,
        own_did: &str,
    ) -> Result<NewItem, ConnectorError> {
        check_text(text)?;
        let call = self
            .procedure("sendMessage")
            .json(json!({ "convoId": convo_id, "message": { "text": text } }));
        let answer = self.http.send(&call).await?;
        let view = serde_json::from_slice::<Value>(&answer.body)
            .map_err(|e| e.to_string())
            .and_then(|value| payload::message_view(&value))
            .map_err(|reason| {
                ConnectorError::Transient(format!(
                    "{}: sent, but the answer does not read ({reason}); look for it before \
                     sending again",
                    answer.call
                ))
            })?;
        Ok(Collector::new(account, own_did).item(&view, convo_id, &[]))
    }

    /// Our message with this `text` in the convo, sent at or after `not_before`, if there
    /// is one: how a send whose outcome is unknown is found after the fact.
    ///
    /// Limits, since `sendMessage` takes no idempotency key: the match is on sender and
    /// text (trimmed) only, so an identical text we sent in the same convo in the window
    /// counts as this one; the window opens [`FIND_SENT_SKEW_SECS`] seconds before
    /// `not_before` (the chat service's clock against ours), so an identical text sent just
    /// before it counts too; only the newest 300 messages of the convo are read (three
    /// `getMessages` pages), so a reply buried under more traffic is not found; a message
    /// deleted since is not found. When several match, the oldest is returned.
    pub async fn find_sent(
        &self,
        convo_id: &str,
        text: &str,
        account: &str,
        own_did: &str,
        not_before: DateTime<Utc>,
    ) -> Result<Option<NewItem>, ConnectorError> {
        let since = not_before - Duration::seconds(FIND_SENT_SKEW_SECS);
        let wanted = text.trim();
        let mut found: Option<MessageView> = None;
        let mut cursor: Option<String> = None;
        for _ in 0..FIND_SENT_PAGES {
            let mut call = self
                .query("getMessages")
                .query("convoId", convo_id)
                .query("limit", MAX_LIMIT);
            if let Some(c) = &cursor {
                call = call.query("cursor", c);
            }
            let page: MessagesPage = self.http.send(&call).await?.json()?;
            let mut oldest: Option<DateTime<Utc>> = None;
            for value in &page.messages {
                let Ok(Message::View(view)) = payload::message(value) else {
                    continue;
                };
                oldest = Some(oldest.map_or(view.sent_at, |t| t.min(view.sent_at)));
                let ours = view.sender == own_did && view.text.trim() == wanted;
                let earlier = found.as_ref().is_none_or(|f| view.sent_at < f.sent_at);
                if ours && view.sent_at >= since && earlier {
                    found = Some(view);
                }
            }
            // Pages go back in time: stop once a page reaches back before the window.
            if oldest.is_some_and(|t| t < since) || page.messages.is_empty() {
                break;
            }
            match page.cursor {
                Some(next) if Some(&next) != cursor.as_ref() => cursor = Some(next),
                _ => break,
            }
        }
        let out = Collector::new(account, own_did);
        Ok(found.map(|view| out.item(&view, convo_id, &[])))
    }

    async fn first_sync(&self, out: &mut Collector<'_>) -> Result<ChatPage, ConnectorError> {
        // The log's position before anything else (see the module doc).
        let log: LogPage = self.http.send(&self.query("getLog")).await?.json()?;
        let mut cursor = log.cursor.clone();
        for rev in log.logs.iter().filter_map(|e| e.get("rev")?.as_str()) {
            if cursor.as_deref().is_none_or(|c| rev > c) {
                cursor = Some(rev.to_string());
            }
        }

        let mut convos = Vec::new();
        let mut page_cursor: Option<String> = None;
        while convos.len() < self.backlog_convos {
            let limit = (self.backlog_convos - convos.len()).min(MAX_LIMIT);
            let mut call = self.query("listConvos").query("limit", limit);
            if let Some(c) = &page_cursor {
                call = call.query("cursor", c);
            }
            let page: ConvosPage = self.http.send(&call).await?.json()?;
            for value in &page.convos {
                match payload::convo(value) {
                    Ok(convo) => convos.push(convo),
                    Err(reason) => out.problem("listConvos", &reason, value),
                }
            }
            match page.cursor {
                Some(next) if !page.convos.is_empty() && Some(&next) != page_cursor.as_ref() => {
                    page_cursor = Some(next)
                }
                _ => break,
            }
        }
        convos.truncate(self.backlog_convos);

        for convo in convos.iter().filter(|_| self.backlog_messages > 0) {
            let call = self
                .query("getMessages")
                .query("convoId", &convo.id)
                .query("limit", self.backlog_messages);
            let page: MessagesPage = match self.http.send(&call).await {
                Ok(answer) => answer.json()?,
                // Gone between the two calls (left, taken down): nothing to read there.
                Err(ConnectorError::Refused(reason)) => {
                    tracing::warn!(convo = %convo.id, %reason, "skipping a convo's backlog");
                    continue;
                }
                Err(other) => return Err(other),
            };
            let mut members = convo.members.clone();
            members.extend(payload::profiles(&page.related_profiles));
            let mut views = Vec::new();
            for value in &page.messages {
                if let Some(view) = out.message(value, "getMessages") {
                    views.push(view);
                }
            }
            views.sort_by(|a, b| (a.sent_at, &a.rev).cmp(&(b.sent_at, &b.rev)));
            for view in &views {
                out.push(view, &convo.id, &members);
            }
        }
        Ok(out.page(cursor, false))
    }

    async fn read_log(
        &self,
        cursor: &str,
        out: &mut Collector<'_>,
    ) -> Result<ChatPage, ConnectorError> {
        let call = self.query("getLog").query("cursor", cursor);
        let page: LogPage = self.http.send(&call).await?.json()?;
        let mut newest = cursor.to_string();
        let mut members: HashMap<String, Vec<Profile>> = HashMap::new();
        for value in &page.logs {
            let Some(rev) = value.get("rev").and_then(Value::as_str) else {
                out.problem("getLog", "a log entry without rev", value);
                continue;
            };
            // Already read (a service that answers from the cursor inclusive).
            if rev <= cursor {
                continue;
            }
            if rev > newest.as_str() {
                newest = rev.to_string();
            }
            let entry = match payload::log_entry(value) {
                Ok(entry) => entry,
                Err(reason) => {
                    out.problem("getLog", &reason, value);
                    continue;
                }
            };
            let payload::LogEntry::CreateMessage {
                convo_id,
                message,
                mut profiles,
                ..
            } = entry
            else {
                continue;
            };
            let Some(view) = out.take(message, value, "getLog") else {
                continue;
            };
            let named = |list: &[Profile]| {
                list.iter()
                    .any(|p| p.did == view.sender && !p.handle.is_empty())
            };
            if !named(&profiles) {
                if !members.contains_key(&convo_id) {
                    let found = self.members(&convo_id).await?;
                    members.insert(convo_id.clone(), found);
                }
                profiles.extend(members[&convo_id].iter().cloned());
            }
            out.push(&view, &convo_id, &profiles);
        }
        if let Some(next) = page.cursor.filter(|c| c.as_str() > newest.as_str()) {
            newest = next;
        }
        let more = newest != cursor;
        Ok(out.page(Some(newest), more))
    }

    /// The members of a convo (`getConvo`), for handles; none when the convo is gone.
    async fn members(&self, convo_id: &str) -> Result<Vec<Profile>, ConnectorError> {
        let call = self.query("getConvo").query("convoId", convo_id);
        match self.http.send(&call).await {
            Ok(answer) => {
                let value: Value = answer.json()?;
                Ok(value
                    .get("convo")
                    .and_then(|c| payload::convo(c).ok())
                    .map(|c| c.members)
                    .unwrap_or_default())
            }
            Err(ConnectorError::Refused(reason)) => {
                tracing::debug!(convo = %convo_id, %reason, "no members for a convo");
                Ok(Vec::new())
            }
            Err(other) => Err(other),
        }
    }

    fn query(&self, method: &str) -> Call {
        self.authorize(Call::get(format!("/xrpc/{NSID}.{method}")))
    }

    fn procedure(&self, method: &str) -> Call {
        self.authorize(Call::post(format!("/xrpc/{NSID}.{method}")))
    }

    fn authorize(&self, call: Call) -> Call {
        let call = call.bearer(self.token);
        match &self.proxy {
            Some(proxy) => call.header(HeaderName::from_static("atproto-proxy"), proxy.clone()),
            None => call,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_limits_follow_the_lexicon() {
        assert!(check_text("Hello! 👋").is_ok());
        assert!(check_text(&"a".repeat(MAX_TEXT_GRAPHEMES)).is_ok());
        let long = check_text(&"a".repeat(MAX_TEXT_GRAPHEMES + 1)).unwrap_err();
        assert!(
            long.to_string().contains("at most 1000 characters"),
            "{long}"
        );
        // 1000 graphemes, but 25 bytes each: over the byte limit.
        let family = "👨‍👩‍👧‍👦".repeat(MAX_TEXT_GRAPHEMES);
        assert_eq!(family.graphemes(true).count(), MAX_TEXT_GRAPHEMES);
        assert!(matches!(
            check_text(&family),
            Err(ConnectorError::Refused(_))
        ));
        assert!(matches!(
            check_text("  \n"),
            Err(ConnectorError::Refused(_))
        ));
    }

    #[test]
    fn remote_ids_name_the_convo() {
        assert_eq!(remote_id("3kconvo", "3kmsg"), "3kconvo/3kmsg");
    }
}
