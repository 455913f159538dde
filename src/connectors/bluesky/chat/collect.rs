//! Turning one page of chat answers into items: each message once (a message can come
//! both from the backlog and from the log), our own marked `from_brand`, authors named from
//! the convo's members or the entry's profiles, and what does not read kept as a
//! [`PayloadProblem`] with its raw JSON.

use std::collections::HashSet;

use serde_json::Value;

use super::payload::{self, Message, MessageView, Profile};
use super::{remote_id, ChatPage, NSID};
use crate::connectors::PayloadProblem;
use crate::model::{Author, Kind, NewItem, Platform};

/// Items and problems of one page, each message once.
pub(super) struct Collector<'a> {
    account: &'a str,
    own_did: &'a str,
    items: Vec<NewItem>,
    problems: Vec<PayloadProblem>,
    seen: HashSet<String>,
}

impl<'a> Collector<'a> {
    pub(super) fn new(account: &'a str, own_did: &'a str) -> Collector<'a> {
        Collector {
            account,
            own_did,
            items: Vec::new(),
            problems: Vec::new(),
            seen: HashSet::new(),
        }
    }

    pub(super) fn problem(&mut self, method: &str, reason: &str, raw: &Value) {
        self.problems.push(PayloadProblem::new(
            format!("{NSID}.{method}: {reason}"),
            &raw.to_string(),
        ));
    }

    /// The readable message view among a message union member, if it is one.
    pub(super) fn message(&mut self, value: &Value, method: &str) -> Option<MessageView> {
        match payload::message(value) {
            Ok(message) => self.take(message, value, method),
            Err(reason) => {
                self.problem(method, &reason, value);
                None
            }
        }
    }

    pub(super) fn take(
        &mut self,
        message: Message,
        raw: &Value,
        method: &str,
    ) -> Option<MessageView> {
        match message {
            Message::View(view) => Some(view),
            Message::Deleted { id } => {
                tracing::debug!(%id, "skipping a deleted message");
                None
            }
            Message::System => None,
            Message::Other(kind) => {
                tracing::debug!(%kind, %method, raw = %raw, "skipping an unknown message kind");
                None
            }
        }
    }

    pub(super) fn push(&mut self, view: &MessageView, convo_id: &str, members: &[Profile]) {
        let item = self.item(view, convo_id, members);
        if self.seen.insert(item.remote_id.clone()) {
            self.items.push(item);
        }
    }

    pub(super) fn item(&self, view: &MessageView, convo_id: &str, members: &[Profile]) -> NewItem {
        let profile = members.iter().find(|p| p.did == view.sender);
        NewItem {
            platform: Platform::Bluesky,
            account: self.account.to_string(),
            kind: Kind::Dm,
            remote_id: remote_id(convo_id, &view.id),
            thread_id: Some(convo_id.to_string()),
            parent_id: view.reply_to.as_deref().map(|id| remote_id(convo_id, id)),
            author: Author {
                id: view.sender.clone(),
                handle: profile.map(|p| p.handle.clone()).unwrap_or_default(),
                name: profile
                    .and_then(|p| p.display_name.clone())
                    .unwrap_or_default(),
            },
            text: view.text.clone(),
            lang: None,
            created_at: view.sent_at,
            url: None,
            from_brand: view.sender == self.own_did,
            raw: Some(view.raw.clone()),
            status: None,
            priority: None,
            tags: Default::default(),
            assignee: None,
        }
    }

    pub(super) fn page(&mut self, cursor: Option<String>, more: bool) -> ChatPage {
        ChatPage {
            items: std::mem::take(&mut self.items),
            problems: std::mem::take(&mut self.problems),
            cursor,
            more,
        }
    }
}
