//! Changing items: status, tags, assignee, notes, snoozes, on the item under the cursor,
//! the open item, or every selected item (one request each). Each change records its
//! inverse for undo before it is sent, and shows at once in the queue; the hub's answer
//! and events then confirm it. Also the prompt's submission and the filter.

use chrono::{DateTime, Utc};

use super::super::components::prompt::{remember, QUERY_WORDS};
use super::super::components::queue::ProbeStep;
use super::super::components::undo::{assign_inverse, snooze_inverse, status_inverse, tag_inverse};
use super::super::components::PromptKind;
use super::super::msg::{CallTag, Effect};
use super::super::sanitize::one_line;
use super::super::when;
use super::commands::open_detail;
use super::{App, FilterAttempt, Overlay};
use crate::hub::protocol::Request;
use crate::model::{Item, Platform, Status};

/// The items a command acts on: the open item, else the selection, else the cursor's item.
pub fn targets(app: &App) -> Vec<Item> {
    if let Some(detail) = &app.detail {
        return vec![detail.item.clone()];
    }
    if !app.queue.selected.is_empty() {
        return app.queue.selected.values().cloned().collect();
    }
    app.queue.current().cloned().into_iter().collect()
}

/// `@handle` for one item, `3 items` for several (for prompts and messages).
pub fn describe(targets: &[Item]) -> String {
    match targets {
        [one] => format!("@{}", one_line(&one.author.handle, 24)),
        many => format!("{} items", many.len()),
    }
}

/// What a prompt offers to complete.
pub fn candidates(app: &App, kind: PromptKind, targets: &[Item]) -> Vec<String> {
    match kind {
        PromptKind::Tag => app.known_tags.iter().cloned().collect(),
        PromptKind::Untag => {
            let mut tags: Vec<String> = targets
                .iter()
                .flat_map(|i| i.tags.iter().cloned())
                .collect();
            tags.sort();
            tags.dedup();
            tags
        }
        PromptKind::Assign => app.assignees.iter().cloned().collect(),
        PromptKind::Snooze => when::SUGGESTIONS.iter().map(|s| s.to_string()).collect(),
        PromptKind::Filter => {
            let mut words: Vec<String> = QUERY_WORDS.iter().map(|w| w.to_string()).collect();
            words.extend(app.known_tags.iter().map(|t| format!("tag:{t}")));
            words.extend(Platform::KNOWN.iter().map(|p| format!("-platform:{p}")));
            words
        }
        PromptKind::Note
        | PromptKind::Reject
        | PromptKind::Report
        | PromptKind::EscalationNote
        | PromptKind::Guidance
        | PromptKind::HandBack => Vec::new(),
    }
}

/// Sends one request per target that `change` produces (with its inverse), and updates
/// the local copies with `apply` so the screen shows the change at once.
fn change_each(
    app: &mut App,
    label: &'static str,
    change: impl Fn(&Item) -> Option<(Request, Vec<Request>)>,
    apply: impl Fn(&mut Item),
) -> Vec<Effect> {
    let targets = targets(app);
    if targets.is_empty() {
        app.flash("no item under the cursor", true);
        return Vec::new();
    }
    let batch = app.undo.begin(label);
    let mut effects = Vec::new();
    for item in &targets {
        let Some((request, inverse)) = change(item) else {
            continue;
        };
        app.undo.record(batch, item.id, inverse.clone());
        let mut changed = item.clone();
        apply(&mut changed);
        replace_everywhere(app, &changed);
        effects.push(Effect::Call {
            tag: CallTag::Change {
                batch,
                id: item.id,
                label,
                inverse,
            },
            request,
        });
    }
    let message = match effects.len() {
        0 => format!("{label}: nothing to change"),
        _ => format!("{label}: {}", describe(&targets)),
    };
    app.flash(message, false);
    effects
}

/// Puts a newer copy of an item wherever it is shown.
pub fn replace_everywhere(app: &mut App, item: &Item) {
    app.queue.replace(item);
    if let Some(detail) = &mut app.detail {
        if detail.item.id == item.id {
            detail.item = item.clone();
            app.rebuild_detail();
        }
    }
}

/// Changes the status of the targets; with `next`, moves on to the following item.
pub fn set_status(app: &mut App, status: Status, label: &'static str, next: bool) -> Vec<Effect> {
    let mut refused = None;
    let mut effects = change_each(
        app,
        label,
        |item| match item.status.transition(status) {
            Ok(Some(_)) => Some((
                Request::SetStatus {
                    id: item.id,
                    status,
                },
                status_inverse(item.id, item.status, status),
            )),
            _ => None,
        },
        |item| item.status = status,
    );
    if effects.is_empty() {
        if let Some(item) = targets(app).first() {
            refused = item.status.transition(status).err();
        }
    }
    if let Some(err) = refused {
        app.flash(err.to_string(), true);
    }
    if !status.is_active() {
        app.queue.selected.clear();
    }
    if next {
        effects.extend(advance(app));
    }
    effects
}

/// Moves to the item after the current one (opening it when the detail pane is open).
fn advance(app: &mut App) -> Vec<Effect> {
    let from = app
        .detail
        .as_ref()
        .and_then(|d| app.queue.position(d.id()))
        .unwrap_or(app.queue.cursor);
    app.queue.move_to(from + 1);
    let mut effects = app.follow_cursor();
    if app.detail.is_some() {
        match app.queue.current().cloned() {
            Some(item) if from + 1 == app.queue.cursor => effects.extend(open_detail(app, item)),
            _ => {
                app.detail = None;
                app.relayout();
            }
        }
    }
    effects
}

pub fn assign(app: &mut App, user: Option<String>) -> Vec<Effect> {
    let label = if user.is_some() { "assign" } else { "unassign" };
    change_each(
        app,
        label,
        |item| {
            let inverse = assign_inverse(item, user.as_deref());
            (!inverse.is_empty()).then(|| {
                let request = Request::Assign {
                    id: item.id,
                    user: user.clone(),
                };
                (request, inverse)
            })
        },
        |item| item.assignee = user.clone(),
    )
}

/// Takes the targets for us; the hub refuses (and says who has it) when someone else does.
pub fn claim(app: &mut App) -> Vec<Effect> {
    let me = app.me.user.clone();
    change_each(
        app,
        "claim",
        |item| {
            let inverse = match &item.assignee {
                None => assign_inverse(item, Some(&me)),
                Some(_) => Vec::new(),
            };
            Some((Request::Claim { id: item.id }, inverse))
        },
        |item| {
            if item.assignee.is_none() {
                item.assignee = Some(me.clone());
            }
        },
    )
}

fn tag(app: &mut App, tag: String, adding: bool) -> Vec<Effect> {
    let label = if adding { "tag" } else { "untag" };
    app.known_tags.insert(tag.clone());
    change_each(
        app,
        label,
        |item| {
            let inverse = tag_inverse(item, &tag, adding);
            let (id, tag) = (item.id, tag.clone());
            let request = match adding {
                true => Request::Tag { id, tag },
                false => Request::Untag { id, tag },
            };
            (!inverse.is_empty()).then_some((request, inverse))
        },
        |item| {
            if adding {
                item.tags.insert(tag.clone());
            } else {
                item.tags.remove(&tag);
            }
        },
    )
}

fn snooze(app: &mut App, until: DateTime<Utc>) -> Vec<Effect> {
    change_each(
        app,
        "snooze",
        |item| {
            let inverse = snooze_inverse(item, Some(until));
            let request = Request::Snooze {
                id: item.id,
                until: Some(until),
            };
            (!inverse.is_empty()).then_some((request, inverse))
        },
        |item| item.snoozed_until = Some(until),
    )
}

fn note(app: &mut App, text: String) -> Vec<Effect> {
    change_each(
        app,
        "note",
        |item| {
            let request = Request::Note {
                id: item.id,
                text: text.clone(),
            };
            Some((request, Vec::new()))
        },
        |_| {},
    )
}

/// Acts on the prompt's input (Enter).
pub fn submit(app: &mut App) -> Vec<Effect> {
    let Some(Overlay::Prompt(prompt)) = &mut app.overlay else {
        return Vec::new();
    };
    let kind = prompt.kind;
    let text = prompt.input.text().trim().to_string();
    if text.is_empty() && kind != PromptKind::Filter {
        app.overlay = None;
        return Vec::new();
    }
    if kind == PromptKind::Snooze {
        match when::parse_until(&text, app.now) {
            Ok(until) => {
                finish_prompt(app, kind, &text);
                return snooze(app, until);
            }
            Err(e) => {
                prompt.error = Some(e.to_string());
                return Vec::new();
            }
        }
    }
    finish_prompt(app, kind, &text);
    match kind {
        PromptKind::Filter => apply_filter(app, text),
        PromptKind::Tag => tag(app, text, true),
        PromptKind::Untag => tag(app, text, false),
        PromptKind::Assign => {
            let user = if text == "me" { app.user.clone() } else { text };
            assign(app, Some(user))
        }
        PromptKind::Note => note(app, text),
        // Snoozes are read above; reasons go to `approvals::reason_given`, escalation
        // notes and answers to `escalations::prompt_given`.
        PromptKind::Snooze
        | PromptKind::Reject
        | PromptKind::Report
        | PromptKind::EscalationNote
        | PromptKind::Guidance
        | PromptKind::HandBack => Vec::new(),
    }
}

fn finish_prompt(app: &mut App, kind: PromptKind, text: &str) {
    app.overlay = None;
    remember(app.history.entry(kind).or_default(), text);
}

/// ANDs a new filter onto the view and reloads; remembers the old one in case the hub
/// refuses the query.
pub fn apply_filter(app: &mut App, text: String) -> Vec<Effect> {
    let text = text.trim().to_string();
    if text == app.tabs.filter {
        return Vec::new();
    }
    let previous = std::mem::replace(&mut app.tabs.filter, text.clone());
    app.detail = None;
    app.relayout();
    let page = app.queue.reset();
    app.filter_attempt = Some(FilterAttempt {
        generation: page.generation,
        previous,
        attempted: text,
    });
    vec![app.page_call(page)]
}

/// Undoes the newest command that can be undone.
pub fn undo(app: &mut App) -> Vec<Effect> {
    let Some(entry) = app.undo.pop() else {
        app.flash("nothing to undo", false);
        return Vec::new();
    };
    let count = entry.inverses.len();
    let noun = if count == 1 { "item" } else { "items" };
    app.flash(format!("undo {} ({count} {noun})", entry.label), false);
    // Back to the item: the cursor follows it when the reload brings it back into view.
    if app.detail.is_none() {
        app.queue.anchor = entry.inverses.keys().next().copied();
    }
    entry
        .inverses
        .into_iter()
        .map(|(id, requests)| Effect::Chain {
            tag: CallTag::Undo { id },
            requests,
        })
        .collect()
}

/// Goes to the bottom of the queue: directly, or by probing for the end.
pub fn bottom(app: &mut App) -> Vec<Effect> {
    let step = app.queue.bottom();
    step.map(|s| probe_effect(app, s)).into_iter().collect()
}

pub fn probe_effect(app: &App, step: ProbeStep) -> Effect {
    match step {
        ProbeStep::Load(page) => app.page_call(page),
        ProbeStep::Probe(skip) => Effect::Call {
            tag: CallTag::Probe {
                generation: app.queue.generation,
                skip,
            },
            request: Request::List {
                query: app.tabs.query(),
                skip,
                limit: 1,
                raw: false,
            },
        },
    }
}
