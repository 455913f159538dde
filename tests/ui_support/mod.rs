//! Test support for the TUI: fabricated items, a fake hub that answers requests from a list
//! of items the way the real hub does (queue order, pages, find, changes with the status
//! rules), and helpers to drive `update` and draw into a `TestBackend`.

#![allow(dead_code)]

pub mod escalations;
pub mod live;
pub mod outbox;

use std::collections::{BTreeSet, VecDeque};

use chrono::{DateTime, Duration, Utc};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use switchboard::hub::protocol::{
    ErrorKind, FindHit, HubStatus, ItemDetail, PresenceEntry, Request, Response, WireError,
};
use switchboard::model::{
    Author, Draft, Item, ItemId, Kind, OutboxEntry, OutboxState, Platform, Priority, Status,
};
use switchboard::store::Counts;
use switchboard::ui::app::{update, App};
use switchboard::ui::keys::parse_sequence;
use switchboard::ui::msg::{CallFailure, Effect, Msg};
use switchboard::ui::{view, ColorMode, Keymap, UiOptions};

/// The fixed "now" of every test.
pub fn now() -> DateTime<Utc> {
    "2026-11-20T12:00:00Z".parse().unwrap()
}

/// One item with the given platform, kind, handle and text; the rest deterministic.
pub fn item(n: u64, platform: Platform, kind: Kind, handle: &str, text: &str) -> Item {
    let created = now() - Duration::minutes(7 * n as i64 + 3);
    Item {
        id: ItemId::from_parts(1_700_000_000_000 + n, u128::from(n)),
        platform,
        account: "acme".into(),
        kind,
        remote_id: format!("r{n}"),
        thread_id: Some(format!("t{}", n % 7)),
        parent_id: None,
        author: Author {
            id: format!("u-{handle}"),
            handle: handle.into(),
            name: handle.to_uppercase(),
        },
        text: text.into(),
        lang: None,
        created_at: created,
        received_at: created,
        url: None,
        from_brand: false,
        status: Status::New,
        priority: Priority::Normal,
        priority_why: Vec::new(),
        tags: BTreeSet::new(),
        assignee: None,
        sla_due: None,
        sla_since: None,
        first_response_at: None,
        snoozed_until: None,
        notes: Vec::new(),
        updated_at: created,
        version: 1,
        raw: None,
    }
}

/// A realistic queue of `count` items across the six platforms and three kinds.
pub fn sample_items(count: usize) -> Vec<Item> {
    const TEXTS: &[&str] = &[
        "Where is my order #4411? It was due on Monday",
        "Bonjour, ma commande n'est toujours pas arrivée",
        "Love the new jacket, fits perfectly!",
        "I want a refund, the zipper broke after two days",
        "Votre service client ne répond jamais",
        "Is the store in Lyon open on Sunday?",
        "Journalist at Le Monde here: can we talk about the recall?",
        "My lawyer will be in touch about the injury",
        "Remboursement demandé il y a trois semaines",
        "Great support from Sam yesterday, thanks",
    ];
    const HANDLES: &[&str] = &[
        "claire",
        "marc_d",
        "jsmith",
        "lea.martin",
        "tom",
        "nadia",
        "press_lemonde",
        "k.ito",
    ];
    (0..count)
        .map(|n| {
            let platform = Platform::KNOWN[n % 6].clone();
            let kind = [Kind::Comment, Kind::Dm, Kind::Mention][n % 3];
            let mut it = item(
                n as u64,
                platform,
                kind,
                HANDLES[n % HANDLES.len()],
                TEXTS[n % TEXTS.len()],
            );
            it.priority = match n % 9 {
                0 => Priority::Urgent,
                1 | 5 => Priority::High,
                7 => Priority::Low,
                _ => Priority::Normal,
            };
            it.status = if n % 4 == 1 {
                Status::Open
            } else {
                Status::New
            };
            if n % 5 == 2 {
                it.tags.insert("refund".into());
            }
            if n % 6 == 3 {
                it.tags.insert("vip".into());
                it.assignee = Some("alice".into());
            }
            if n % 3 == 0 {
                it.sla_due = Some(now() + Duration::minutes(n as i64 * 4 - 10));
            }
            it
        })
        .collect()
}

/// A stand-in for the hub: keeps items, answers requests like the real one.
#[derive(Default)]
pub struct FakeHub {
    pub items: Vec<Item>,
    pub requests: Vec<Request>,
    /// What `LatestHandoff` answers.
    pub handoff: Option<switchboard::model::Handoff>,
    /// The team side: drafts, who is online, replies, changes by others.
    pub team: FakeTeam,
    /// The outbox: entries, approvals, retries, moderation.
    pub outbox: outbox::FakeOutbox,
    /// What `Show` answers as the messaging window (the hub computes it from its policy).
    pub reply_window: Option<switchboard::responses::window::ReplyWindow>,
    /// What the next external editor gives back (by default the text unchanged).
    pub editor: Option<Result<String, String>>,
    /// The alerts the app asked the terminal to ring: (title, body).
    pub alerts: Vec<(String, String)>,
    /// Escalations made and answered (`Show` sends an item's).
    pub escalations: Vec<switchboard::model::Escalation>,
    /// The configured escalations `Escalations` answers.
    pub escalation_targets: Vec<switchboard::model::EscalationTarget>,
}

/// What the fake hub keeps for the team requests.
#[derive(Default)]
pub struct FakeTeam {
    /// Our drafts by item.
    pub drafts: std::collections::BTreeMap<ItemId, String>,
    /// What `Team` answers as online.
    pub online: Vec<PresenceEntry>,
    /// Replies accepted: (item, text).
    pub replies: Vec<(ItemId, String)>,
    /// Replies are held for approval (the user `requires_approval`).
    pub held: bool,
    /// Changes by other people: (item, version after it, "bob tag: +legal").
    pub foreign: Vec<(ItemId, u64, String)>,
    /// The canned library `Canned` answers (brand "Acme", agent "Alice").
    pub canned: Vec<switchboard::responses::CannedResponse>,
    /// Routing rules' drafts `Show` offers (`ItemDetail::suggested_draft`).
    pub suggested: std::collections::BTreeMap<ItemId, String>,
}

fn refused(kind: ErrorKind, message: &str) -> CallFailure {
    CallFailure::Hub(WireError {
        kind,
        message: message.into(),
    })
}

impl FakeHub {
    pub fn new(items: Vec<Item>) -> FakeHub {
        FakeHub {
            items,
            requests: Vec::new(),
            handoff: None,
            team: FakeTeam::default(),
            outbox: outbox::FakeOutbox::default(),
            reply_window: None,
            editor: None,
            alerts: Vec::new(),
            escalations: Vec::new(),
            escalation_targets: Vec::new(),
        }
    }

    /// Someone else (`who`) changes an item: the version moves on and a reply on an older
    /// view conflicts, naming the change.
    pub fn change_by(&mut self, who: &str, id: ItemId, what: &str, edit: impl FnOnce(&mut Item)) {
        let item = self.items.iter_mut().find(|i| i.id == id).unwrap();
        edit(item);
        item.version += 1;
        self.team
            .foreign
            .push((id, item.version, format!("{who} {what}")));
    }

    /// The requests of the team: claim, drafts, presence, the team, replies.
    fn team_answer(&mut self, request: &Request) -> Option<Result<Response, CallFailure>> {
        Some(match request.clone() {
            Request::Claim { id } => self.change(id, |i| match &i.assignee {
                Some(owner) if owner != "alice" => Err(format!(
                    "{owner} already has this item; ask them, or assign it explicitly"
                )),
                _ => {
                    i.assignee = Some("alice".into());
                    Ok(())
                }
            }),
            Request::SaveDraft { id, text } => {
                match text.trim().is_empty() {
                    true => self.team.drafts.remove(&id),
                    false => self.team.drafts.insert(id, text),
                };
                Ok(Response::Done)
            }
            Request::Drafts => Ok(Response::Drafts {
                drafts: self
                    .team
                    .drafts
                    .iter()
                    .map(|(id, text)| Draft {
                        user: "alice".into(),
                        item: *id,
                        text: text.clone(),
                        updated_at: now(),
                    })
                    .collect(),
            }),
            Request::Team => Ok(Response::Team {
                members: Vec::new(),
                online: self.team.online.clone(),
                open: true,
            }),
            Request::Presence { .. } => Ok(Response::Done),
            Request::Canned => Ok(Response::Canned {
                responses: self.team.canned.clone(),
                problems: Vec::new(),
                brand: "Acme".into(),
                agent: "Alice".into(),
            }),
            Request::Reply {
                id,
                text,
                seen_version,
            } => self.reply(id, text, seen_version),
            Request::PrivateReply {
                id,
                text,
                seen_version,
            } => self
                .reply(id, text, seen_version)
                .map(|answer| match answer {
                    Response::Entry { mut entry } => {
                        entry.private = true;
                        if let Some(last) = self.outbox.entries.last_mut() {
                            last.private = true;
                        }
                        Response::Entry { entry }
                    }
                    other => other,
                }),
            _ => return None,
        })
    }

    fn reply(
        &mut self,
        id: ItemId,
        text: String,
        seen: Option<u64>,
    ) -> Result<Response, CallFailure> {
        let changes: Vec<&String> = self
            .team
            .foreign
            .iter()
            .filter(|(item, version, _)| *item == id && seen.is_some_and(|s| *version > s))
            .map(|(_, _, what)| what)
            .collect();
        if !changes.is_empty() {
            let lines: Vec<String> = changes.iter().map(|c| format!("  12:00:00 {c}")).collect();
            return Err(refused(
                ErrorKind::Conflict,
                &format!(
                    "someone else changed this item since you opened it:\n{}\nreview the item, then send again to reply anyway",
                    lines.join("\n")
                ),
            ));
        }
        let item = self.change(id, |i| {
            i.status = Status::Pending;
            Ok(())
        })?;
        let Response::Item { item } = item else {
            unreachable!()
        };
        self.team.replies.push((id, text.clone()));
        let entry = OutboxEntry {
            id: ItemId::generate(),
            item: id,
            account: item.account,
            text,
            author: "alice".into(),
            idempotency_key: "k".into(),
            state: match self.team.held {
                true => OutboxState::Held,
                false => OutboxState::Queued { retry_at: None },
            },
            attempts: 0,
            moderation: None,
            private: false,
            created_at: now(),
            updated_at: now(),
        };
        self.outbox.entries.push(entry.clone());
        Ok(Response::Entry { entry })
    }

    /// Items of a query in queue order: a tiny version of the real query language.
    fn select(&self, query: &str) -> Result<Vec<Item>, CallFailure> {
        let mut out: Vec<Item> = Vec::new();
        'items: for item in &self.items {
            for word in query.split_whitespace() {
                let ok = match word.split_once(':') {
                    Some(("status", list)) => list.split(',').any(|s| s == item.status.as_str()),
                    Some(("platform", p)) => item.platform.as_str() == p,
                    Some(("tag", t)) => item.tags.contains(t),
                    Some(("kind", k)) => item.kind.as_str() == k,
                    Some(("assignee", "me")) => item.assignee.as_deref() == Some("alice"),
                    Some(("is", "unassigned")) => item.assignee.is_none(),
                    Some((field, _)) => {
                        return Err(refused(
                            ErrorKind::BadRequest,
                            &format!("malformed query: unknown field '{field}'"),
                        ))
                    }
                    None => item.text.to_lowercase().contains(&word.to_lowercase()),
                };
                if !ok {
                    continue 'items;
                }
            }
            out.push(item.clone());
        }
        out.sort_by_key(|i| {
            (
                std::cmp::Reverse(i.priority),
                i.sla_due.is_none(),
                i.sla_due,
                i.received_at,
            )
        });
        Ok(out)
    }

    fn change(
        &mut self,
        id: ItemId,
        edit: impl FnOnce(&mut Item) -> Result<(), String>,
    ) -> Result<Response, CallFailure> {
        let item = self
            .items
            .iter_mut()
            .find(|i| i.id == id)
            .ok_or_else(|| refused(ErrorKind::NotFound, &format!("no item with id {id}")))?;
        edit(item).map_err(|m| refused(ErrorKind::Refused, &m))?;
        item.version += 1;
        Ok(Response::Item { item: item.clone() })
    }

    pub fn answer(&mut self, request: &Request) -> Result<Response, CallFailure> {
        self.requests.push(request.clone());
        if let Some(answer) = self.team_answer(request) {
            return answer;
        }
        if let Some(answer) = self.outbox_answer(request) {
            return answer;
        }
        if let Some(answer) = self.escalation_answer(request) {
            return answer;
        }
        match request.clone() {
            Request::List {
                query, skip, limit, ..
            } => {
                let all = self.select(&query)?;
                let items: Vec<Item> = all.iter().skip(skip).take(limit).cloned().collect();
                let more = all.len() > skip + items.len();
                Ok(Response::Items { items, more })
            }
            Request::Find {
                pattern,
                query,
                limit,
            } => {
                let pattern = pattern.to_lowercase();
                let hits = self
                    .select(&query)?
                    .into_iter()
                    .filter_map(|item| {
                        let text: Vec<char> = item.text.to_lowercase().chars().collect();
                        let needle: Vec<char> = pattern.chars().collect();
                        let at = text
                            .windows(needle.len())
                            .position(|w| w == needle.as_slice())?;
                        Some(FindHit {
                            text_matches: (at..at + needle.len()).collect(),
                            handle_matches: Vec::new(),
                            score: 100 - at as i64,
                            item,
                        })
                    })
                    .take(limit)
                    .collect();
                Ok(Response::Found { hits })
            }
            Request::Show { id, .. } => {
                let item = self
                    .items
                    .iter()
                    .find(|i| i.id == id)
                    .cloned()
                    .ok_or_else(|| refused(ErrorKind::NotFound, "no such item"))?;
                let reply_window = self.reply_window.filter(|_| {
                    switchboard::responses::window::has_window(&item.platform, item.kind)
                });
                let thread = self
                    .items
                    .iter()
                    .filter(|i| i.thread_key() == item.thread_key() && i.id != id)
                    .cloned()
                    .collect();
                let author_history = self
                    .items
                    .iter()
                    .filter(|i| i.author.id == item.author.id && i.id != id)
                    .cloned()
                    .collect();
                Ok(Response::Detail {
                    detail: Box::new(ItemDetail {
                        item,
                        thread,
                        author_history,
                        audit: Vec::new(),
                        reply_window,
                        escalations: self
                            .escalations
                            .iter()
                            .filter(|e| e.item == id)
                            .cloned()
                            .collect(),
                        suggested_draft: self.team.suggested.get(&id).cloned(),
                    }),
                })
            }
            Request::SetStatus { id, status } => self.change(id, |i| {
                i.set_status(status).map(|_| ()).map_err(|e| e.to_string())
            }),
            Request::Tag { id, tag } => self.change(id, |i| {
                i.tags.insert(tag);
                Ok(())
            }),
            Request::Untag { id, tag } => self.change(id, |i| {
                i.tags.remove(&tag);
                Ok(())
            }),
            Request::Assign { id, user } => self.change(id, |i| {
                i.assignee = user;
                Ok(())
            }),
            Request::Snooze { id, until } => self.change(id, |i| {
                i.snoozed_until = until;
                Ok(())
            }),
            Request::Note { id, text } => self.change(id, |i| {
                i.notes.push(switchboard::model::Note {
                    at: now(),
                    by: "alice".into(),
                    text,
                });
                Ok(())
            }),
            Request::Counts => {
                let mut counts = Counts::default();
                for item in &self.items {
                    *counts.by_status.entry(item.status).or_default() += 1;
                }
                Ok(Response::Counts { counts })
            }
            Request::Status => Ok(Response::Status {
                status: HubStatus {
                    server: "switchboard 0.1.0".into(),
                    pid: 4242,
                    store: "/tmp/store".into(),
                    schema_version: 1,
                    items: self.items.len() as u64,
                    clients: 2,
                    started_at: now(),
                    mode: "in-process".into(),
                    webhooks: None,
                },
            }),
            Request::LatestHandoff => Ok(Response::LatestHandoff {
                handoff: self.handoff.clone(),
            }),
            Request::Ack { id } => Ok(Response::Pages {
                pages: vec![switchboard::model::Page {
                    id: ItemId::generate(),
                    item: id,
                    due: now(),
                    user: "alice".into(),
                    step: 0,
                    at: now(),
                    acked_by: Some("alice".into()),
                    acked_at: Some(now()),
                    closed_at: None,
                    last: false,
                }],
            }),
            _ => Ok(Response::Done),
        }
    }

    /// The id at position `n` of the All view.
    pub fn select_id(&self, n: usize) -> ItemId {
        self.select("status:new,open,pending,escalated").unwrap()[n].id
    }

    pub fn get(&self, id: ItemId) -> &Item {
        self.items.iter().find(|i| i.id == id).unwrap()
    }
}

/// An app on the default keymap, no colour, user alice, sized `width`×`height`.
pub fn app_sized(width: u16, height: u16, views: &[(&str, &str)]) -> App {
    app_with_keymap(Keymap::builtin("default").unwrap(), width, height, views)
}

/// Like [`app_sized`] with another keymap.
pub fn app_with_keymap(keymap: Keymap, width: u16, height: u16, views: &[(&str, &str)]) -> App {
    let mut options = UiOptions::new(keymap, "alice");
    options.color = ColorMode::None;
    options.views = views
        .iter()
        .map(|(n, q)| (n.to_string(), q.to_string()))
        .collect();
    options.assignees = vec!["bob".into(), "chloe".into()];
    let mut app = App::new(options, "socket /run/switchboard/hub.sock".into(), now());
    update(&mut app, Msg::Resize { width, height });
    app
}

/// Runs effects to completion against the fake hub: calls are answered, timers fire at once.
pub fn run(app: &mut App, hub: &mut FakeHub, effects: Vec<Effect>) {
    let mut pending: VecDeque<Effect> = effects.into();
    let mut steps = 0;
    while let Some(effect) = pending.pop_front() {
        steps += 1;
        assert!(steps < 10_000, "effects never settle");
        let msg = match effect {
            Effect::Call { tag, request } => Msg::Answer {
                tag,
                result: hub.answer(&request),
            },
            Effect::Chain { tag, requests } => {
                let mut result = Ok(Response::Done);
                for request in &requests {
                    result = hub.answer(request);
                    if result.is_err() {
                        break;
                    }
                }
                Msg::Answer { tag, result }
            }
            Effect::After { timer, .. } => Msg::Timer(timer),
            Effect::Subscribe => Msg::Subscribed,
            Effect::EditExternally { text } => match hub.editor.take() {
                Some(Ok(edited)) => Msg::Edited { text: edited },
                Some(Err(why)) => Msg::EditFailed(why),
                None => Msg::Edited { text },
            },
            Effect::Alert { title, body } => {
                hub.alerts.push((title, body));
                continue;
            }
        };
        pending.extend(update(app, msg));
    }
}

/// A started app with the hub's items loaded.
pub fn started(width: u16, height: u16, hub: &mut FakeHub) -> App {
    let mut app = app_sized(width, height, &[("vip", "tag:vip")]);
    let effects = app.start();
    run(&mut app, hub, effects);
    app
}

/// Sends one message and runs what follows.
pub fn send(app: &mut App, hub: &mut FakeHub, msg: Msg) {
    let effects = update(app, msg);
    run(app, hub, effects);
}

/// Types keys (`"g g"`, `"ctrl-d"`, `"j j j"`) through the keymap.
pub fn keys(app: &mut App, hub: &mut FakeHub, text: &str) {
    for chord in parse_sequence(text).unwrap() {
        send(app, hub, Msg::Key(chord));
    }
}

/// Types text into the focused input.
pub fn type_text(app: &mut App, hub: &mut FakeHub, text: &str) {
    send(app, hub, Msg::Text(text.into()));
}

/// Draws the app into a test terminal of its size.
pub fn draw(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.width, app.height)).unwrap();
    terminal.draw(|frame| view::draw(app, frame)).unwrap();
    terminal
}

/// The screen as text, one line per row.
pub fn screen(app: &App) -> String {
    draw(app).backend().to_string()
}

/// Another session on the hub, as the presence list shows it.
pub fn presence(
    session: u64,
    user: &str,
    viewing: Option<ItemId>,
    composing: Option<ItemId>,
) -> PresenceEntry {
    PresenceEntry {
        session,
        user: user.into(),
        display_name: user.into(),
        client: "tui".into(),
        since: now(),
        viewing,
        composing,
    }
}
