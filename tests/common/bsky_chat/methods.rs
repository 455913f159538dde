//! The loopback chat service's methods: what each `chat.bsky.convo.*` call does to the
//! state (convos, messages, logs) and answers, once the request passed the lexicon checks
//! in `bsky_chat.rs`.

use super::*;

impl State {
    pub(super) fn call(
        &mut self,
        nsid: &str,
        viewer: &str,
        params: &Params,
        input: &Value,
    ) -> Result<Value, XrpcError> {
        let method = nsid.strip_prefix("chat.bsky.convo.").unwrap_or(nsid);
        match method {
            "listConvos" => self.list_convos(viewer, params),
            "getConvo" => {
                let id = params.get("convoId").unwrap_or_default();
                self.member_of(viewer, id)?;
                Ok(json!({ "convo": self.convo_view(id, viewer) }))
            }
            "getConvoForMembers" => {
                let mut members = params.all("members");
                if !members.iter().any(|m| m == viewer) {
                    members.push(viewer.to_string());
                }
                let id = self.convo_for(&members)?;
                Ok(json!({ "convo": self.convo_view(&id, viewer) }))
            }
            "getLog" => Ok(self.get_log(viewer, params.get("cursor"))),
            "getMessages" => self.get_messages(viewer, params),
            "sendMessage" => {
                let id = input["convoId"].as_str().unwrap_or_default();
                self.member_of(viewer, id)?;
                let text = input["message"]["text"].as_str().unwrap_or_default();
                let reply_to = input
                    .pointer("/message/replyTo/messageId")
                    .and_then(Value::as_str);
                let msg = self.create_message(viewer, id, text, reply_to)?;
                Ok(self.message_view(&self.convos[id], &msg, true))
            }
            "updateRead" => {
                let id = input["convoId"].as_str().unwrap_or_default();
                self.member_of(viewer, id)?;
                let convo = &self.convos[id];
                let upto = match input.get("messageId").and_then(Value::as_str) {
                    Some(mid) => convo
                        .messages
                        .iter()
                        .find(|m| m.id == mid)
                        .map(|m| m.rev.clone())
                        .ok_or_else(|| invalid("Message not found"))?,
                    None => convo
                        .messages
                        .last()
                        .map(|m| m.rev.clone())
                        .unwrap_or_default(),
                };
                self.convos
                    .get_mut(id)
                    .expect("convo")
                    .read
                    .insert(viewer.to_string(), upto);
                let rev = self.tid();
                self.log(viewer, &rev, Event::Read { convo: id.into() });
                Ok(json!({ "convo": self.convo_view(id, viewer) }))
            }
            _ => Err(XrpcError {
                status: StatusCode::NOT_IMPLEMENTED,
                error: "MethodNotImplemented",
                message: format!("Method Not Implemented: {nsid}"),
            }),
        }
    }

    /// A TID after every one given so far (microseconds since the epoch, clock id 0).
    pub(super) fn tid(&mut self) -> String {
        let now = Utc::now().timestamp_micros() as u64;
        self.last_tid = now.max(self.last_tid + 1);
        tid(self.last_tid)
    }

    pub(super) fn log(&mut self, did: &str, rev: &str, event: Event) {
        self.logs.entry(did.to_string()).or_default().push(LogRec {
            rev: rev.to_string(),
            event,
        });
    }

    pub(super) fn member_of(&self, viewer: &str, convo_id: &str) -> Result<(), XrpcError> {
        match self.convos.get(convo_id) {
            Some(c) if c.members.iter().any(|m| m == viewer) => Ok(()),
            _ => Err(invalid_convo()),
        }
    }

    /// The direct convo of these members (created, with a `#logBeginConvo` for each, when
    /// there is none yet).
    pub(super) fn convo_for(&mut self, members: &[String]) -> Result<String, XrpcError> {
        let mut members = members.to_vec();
        members.sort();
        members.dedup();
        if let Some(unknown) = members.iter().find(|m| !self.accounts.contains_key(*m)) {
            return Err(XrpcError {
                status: StatusCode::BAD_REQUEST,
                error: "RecipientNotFound",
                message: format!("no account {unknown}"),
            });
        }
        if members.len() != 2 {
            return Err(invalid("a direct convo has two members"));
        }
        if let Some(c) = self.convos.values().find(|c| {
            let mut theirs = c.members.clone();
            theirs.sort();
            theirs == members
        }) {
            return Ok(c.id.clone());
        }
        let id = self.tid();
        let rev = self.tid();
        self.convos.insert(
            id.clone(),
            Convo {
                id: id.clone(),
                rev: rev.clone(),
                members: members.clone(),
                messages: Vec::new(),
                read: HashMap::new(),
            },
        );
        for member in &members {
            self.log(member, &rev, Event::Begin { convo: id.clone() });
        }
        Ok(id)
    }

    pub(super) fn create_message(
        &mut self,
        sender: &str,
        convo_id: &str,
        text: &str,
        reply_to: Option<&str>,
    ) -> Result<Msg, XrpcError> {
        self.member_of(sender, convo_id)?;
        if let Some(parent) = reply_to {
            if !self.convos[convo_id]
                .messages
                .iter()
                .any(|m| m.id == parent)
            {
                return Err(XrpcError {
                    status: StatusCode::BAD_REQUEST,
                    error: "ReplyTargetNotFound",
                    message: format!("no message {parent} in this convo"),
                });
            }
        }
        let id = self.tid();
        let rev = self.tid();
        let msg = Msg {
            id: id.clone(),
            rev: rev.clone(),
            text: text.to_string(),
            sender: sender.to_string(),
            sent_at: Utc::now(),
            deleted: false,
            reply_to: reply_to.map(str::to_string),
        };
        let convo = self.convos.get_mut(convo_id).expect("convo");
        convo.messages.push(msg.clone());
        convo.rev = rev.clone();
        convo.read.insert(sender.to_string(), rev.clone());
        for member in convo.members.clone() {
            self.log(
                &member,
                &rev,
                Event::Create {
                    convo: convo_id.into(),
                    message: id.clone(),
                },
            );
        }
        Ok(msg)
    }

    pub(super) fn list_convos(&self, viewer: &str, params: &Params) -> Result<Value, XrpcError> {
        let mut mine: Vec<&Convo> = self
            .convos
            .values()
            .filter(|c| c.members.iter().any(|m| m == viewer))
            .filter(|c| {
                params
                    .get("cursor")
                    .is_none_or(|cursor| c.rev.as_str() < cursor)
            })
            .collect();
        mine.sort_by(|a, b| b.rev.cmp(&a.rev));
        // Every convo here is an accepted, unlocked direct one.
        let filtered_out = params.get("status") == Some("request")
            || params.get("kind") == Some("group")
            || params.get("lockStatus").is_some_and(|s| s != "unlocked");
        if filtered_out {
            mine.clear();
        }
        if params.get("readState") == Some("unread") {
            mine.retain(|c| self.unread(c, viewer) > 0);
        }
        let limit = params.limit();
        let more = mine.len() > limit;
        mine.truncate(limit);
        let mut out = json!({
            "convos": mine.iter().map(|c| self.convo_view(&c.id, viewer)).collect::<Vec<_>>()
        });
        if more {
            out["cursor"] = json!(mine.last().map(|c| c.rev.clone()));
        }
        Ok(out)
    }

    pub(super) fn get_messages(&self, viewer: &str, params: &Params) -> Result<Value, XrpcError> {
        let id = params.get("convoId").unwrap_or_default();
        self.member_of(viewer, id)?;
        let convo = &self.convos[id];
        let mut older: Vec<&Msg> = convo
            .messages
            .iter()
            .rev()
            .filter(|m| {
                params
                    .get("cursor")
                    .is_none_or(|cursor| m.rev.as_str() < cursor)
            })
            .collect();
        let limit = params.limit();
        let more = older.len() > limit;
        older.truncate(limit);
        let mut senders: Vec<&str> = older.iter().map(|m| m.sender.as_str()).collect();
        senders.sort();
        senders.dedup();
        let mut out = json!({
            "messages": older.iter().map(|m| self.message_view(convo, m, true)).collect::<Vec<_>>(),
            "relatedProfiles": senders.iter().map(|d| self.profile(d)).collect::<Vec<_>>(),
        });
        if more {
            out["cursor"] = json!(older.last().map(|m| m.rev.clone()));
        }
        Ok(out)
    }

    pub(super) fn get_log(&self, viewer: &str, cursor: Option<&str>) -> Value {
        let log = self.logs.get(viewer).map(Vec::as_slice).unwrap_or_default();
        let Some(cursor) = cursor else {
            // No cursor: where the log is now, for the client to poll from.
            return match log.last() {
                Some(last) => json!({ "logs": [], "cursor": last.rev }),
                None => json!({ "logs": [] }),
            };
        };
        let entries: Vec<&LogRec> = log
            .iter()
            .filter(|e| e.rev.as_str() > cursor)
            .take(self.log_page)
            .collect();
        let next = entries.last().map_or(cursor.to_string(), |e| e.rev.clone());
        json!({
            "logs": entries.iter().map(|e| self.log_view(e)).collect::<Vec<_>>(),
            "cursor": next,
        })
    }

    pub(super) fn log_view(&self, entry: &LogRec) -> Value {
        match &entry.event {
            Event::Begin { convo } => json!({
                "$type": format!("{DEFS}#logBeginConvo"), "rev": entry.rev, "convoId": convo,
            }),
            Event::Create { convo, message } | Event::Delete { convo, message } => {
                let c = &self.convos[convo];
                let msg = c
                    .messages
                    .iter()
                    .find(|m| &m.id == message)
                    .expect("message");
                let kind = match entry.event {
                    Event::Create { .. } => "logCreateMessage",
                    _ => "logDeleteMessage",
                };
                let mut view = json!({
                    "$type": format!("{DEFS}#{kind}"),
                    "rev": entry.rev,
                    "convoId": convo,
                    "message": self.message_view(c, msg, true),
                });
                if kind == "logCreateMessage" {
                    view["relatedProfiles"] = json!([self.profile(&msg.sender)]);
                }
                view
            }
            Event::Read { convo } => {
                let c = &self.convos[convo];
                let mut view = json!({
                    "$type": format!("{DEFS}#logReadConvo"), "rev": entry.rev, "convoId": convo,
                });
                match c.messages.last() {
                    Some(last) => view["message"] = self.message_view(c, last, false),
                    // Nothing to point at: a system message stands in.
                    None => {
                        view["message"] = json!({
                            "$type": format!("{DEFS}#systemMessageView"),
                            "id": c.id, "rev": entry.rev, "sentAt": stamp(Utc::now()),
                            "data": {"$type": format!("{DEFS}#systemMessageDataEditGroup")},
                        })
                    }
                }
                view
            }
            Event::Raw(value) => value.clone(),
        }
    }

    pub(super) fn message_view(&self, convo: &Convo, msg: &Msg, with_reply: bool) -> Value {
        if msg.deleted {
            return json!({
                "$type": format!("{DEFS}#deletedMessageView"),
                "id": msg.id, "rev": msg.rev, "sender": {"did": msg.sender},
                "sentAt": stamp(msg.sent_at),
            });
        }
        let mut view = json!({
            "$type": format!("{DEFS}#messageView"),
            "id": msg.id, "rev": msg.rev, "text": msg.text,
            "sender": {"did": msg.sender}, "sentAt": stamp(msg.sent_at),
        });
        if let (true, Some(parent)) = (with_reply, &msg.reply_to) {
            if let Some(p) = convo.messages.iter().find(|m| &m.id == parent) {
                view["replyTo"] = self.message_view(convo, p, false);
            }
        }
        view
    }

    pub(super) fn convo_view(&self, id: &str, viewer: &str) -> Value {
        let convo = &self.convos[id];
        let mut view = json!({
            "id": convo.id,
            "rev": convo.rev,
            "members": convo.members.iter().map(|m| self.profile(m)).collect::<Vec<_>>(),
            "muted": false,
            "status": "accepted",
            "unreadCount": self.unread(convo, viewer),
            "kind": {"$type": format!("{DEFS}#directConvo")},
        });
        if let Some(last) = convo.messages.last() {
            view["lastMessage"] = self.message_view(convo, last, false);
        }
        view
    }

    pub(super) fn unread(&self, convo: &Convo, viewer: &str) -> usize {
        let read = convo.read.get(viewer).map(String::as_str).unwrap_or("");
        convo
            .messages
            .iter()
            .filter(|m| m.sender != viewer && !m.deleted && m.rev.as_str() > read)
            .count()
    }

    pub(super) fn profile(&self, did: &str) -> Value {
        let account = &self.accounts[did];
        json!({ "did": did, "handle": account.handle, "displayName": account.display_name })
    }
}
