//! Escalations in the TUI. `escalate` opens a picker of the configured escalations (name
//! and description, filtered as one types), then asks for the note and sends `Escalate` for
//! each target item; with none configured it says how to configure them. "My escalations"
//! (`escalations`) lists the open escalations we own, loaded at start and shown at once
//! when some wait: `enter` opens the item, `guidance`, `approve` (the held reply),
//! `take_over` and `hand_back` answer. A live `Event::Escalation` tells the CM who
//! escalated each answer at once and an owner each new escalation; the item's own change
//! (the same write) reloads the detail, which shows the escalation.

use super::super::action::Action;
use super::super::components::escalations::{EscalationPicker, EscalationsThen, PromptFor};
use super::super::components::{Prompt, PromptKind};
use super::super::msg::{CallFailure, CallTag, Effect};
use super::super::sanitize::one_line;
use super::{commands, triage, App, Overlay};
use crate::hub::protocol::{Request, Response};
use crate::model::{AnswerRequest, Escalation, EscalationState};

/// Asks the hub for the open escalations we own and the configured ones.
pub fn load_call(then: EscalationsThen) -> Effect {
    Effect::Call {
        tag: CallTag::Escalations { then },
        request: Request::Escalations {
            mine: true,
            waiting_only: true,
        },
    }
}

/// The hub's list arrived.
pub fn loaded(
    app: &mut App,
    then: EscalationsThen,
    result: Result<Response, CallFailure>,
) -> Vec<Effect> {
    let (rows, targets) = match result {
        Ok(Response::Escalations {
            escalations,
            targets,
        }) => (escalations, targets),
        Ok(_) => return Vec::new(),
        Err(failure) => {
            if then != EscalationsThen::Reload {
                app.flash(format!("cannot load escalations: {failure}"), true);
            }
            return Vec::new();
        }
    };
    app.escalations.load(rows, targets);
    match then {
        EscalationsThen::Start if !app.escalations.rows.is_empty() => {
            app.escalations.shown = true;
            let waiting = app.escalations.rows.len();
            app.flash(
                format!("{waiting} escalated to you: answer them here"),
                false,
            );
        }
        EscalationsThen::Picker => return open_picker(app),
        EscalationsThen::Screen => app.escalations.shown = true,
        _ => {}
    }
    Vec::new()
}

/// `escalate`: the picker over the configured escalations, for the target items.
pub fn open_picker(app: &mut App) -> Vec<Effect> {
    let targets = triage::targets(app);
    if targets.is_empty() {
        app.flash("no item under the cursor", true);
        return Vec::new();
    }
    if !app.escalations.loaded {
        return vec![load_call(EscalationsThen::Picker)];
    }
    if app.escalations.targets.is_empty() {
        app.flash(
            "no escalations are configured: an admin adds [escalations.NAME] with owners \
             (and description, notify, sla) to the hub's config",
            true,
        );
        return Vec::new();
    }
    let label = triage::describe(&targets);
    let ids = targets.iter().map(|i| i.id).collect();
    app.escalations.picker = Some(EscalationPicker::new(ids, label));
    Vec::new()
}

/// A key in the picker.
pub fn picker_action(app: &mut App, action: Action) -> Vec<Effect> {
    let targets = app.escalations.targets.clone();
    let Some(picker) = &mut app.escalations.picker else {
        return Vec::new();
    };
    let count = picker.matches(&targets).len();
    if let Some(delta) = commands::step(action, 10) {
        picker.move_by(delta, count);
        return Vec::new();
    }
    match action {
        Action::Confirm => {
            let chosen = picker
                .matches(&targets)
                .get(picker.selected)
                .copied()
                .cloned();
            let Some(picker) = app.escalations.picker.take() else {
                return Vec::new();
            };
            if let Some(target) = chosen {
                let what = format!("{} to {}", picker.label, one_line(&target.name, 24));
                app.escalations.prompt_for = Some(PromptFor::Escalate {
                    name: target.name,
                    items: picker.items,
                });
                open_prompt(app, PromptKind::EscalationNote, what);
            }
        }
        Action::Cancel | Action::Back | Action::Escalate => app.escalations.picker = None,
        edit => {
            if picker.input.edit(edit) {
                picker.selected = 0;
            }
        }
    }
    Vec::new()
}

/// Text typed into the picker's filter.
pub fn picker_typed(app: &mut App, typed: &str) -> Vec<Effect> {
    if let Some(picker) = &mut app.escalations.picker {
        picker.input.insert(typed);
        picker.selected = 0;
    }
    Vec::new()
}

fn open_prompt(app: &mut App, kind: PromptKind, target: String) {
    app.overlay = Some(Overlay::Prompt(Prompt::new(kind, "", Vec::new(), target)));
}

/// The note, guidance or hand-back prompt was confirmed.
pub fn prompt_given(app: &mut App) -> Vec<Effect> {
    let Some(Overlay::Prompt(prompt)) = &mut app.overlay else {
        return Vec::new();
    };
    let text = prompt.input.text().trim().to_string();
    if prompt.kind == PromptKind::Guidance && text.is_empty() {
        prompt.error = Some("guidance needs a few words".into());
        return Vec::new();
    }
    app.overlay = None;
    match app.escalations.prompt_for.take() {
        Some(PromptFor::Escalate { name, items }) => items
            .into_iter()
            .map(|id| Effect::Call {
                tag: CallTag::Escalation { label: "escalate" },
                request: Request::Escalate {
                    id,
                    name: name.clone(),
                    note: text.clone(),
                },
            })
            .collect(),
        Some(PromptFor::Guidance(id)) => vec![answer_call(id, AnswerRequest::Guidance { text })],
        Some(PromptFor::HandBack(id)) => vec![answer_call(id, AnswerRequest::HandBack { text })],
        None => Vec::new(),
    }
}

fn answer_call(id: crate::model::ItemId, answer: AnswerRequest) -> Effect {
    Effect::Call {
        tag: CallTag::Escalation { label: "answer" },
        request: Request::AnswerEscalation { id, answer },
    }
}

/// `escalations`: the screen, with the list as the hub has it now.
pub fn open_screen(app: &mut App) -> Vec<Effect> {
    app.escalations.shown = true;
    vec![load_call(EscalationsThen::Screen)]
}

/// A key on the screen.
pub fn screen_action(app: &mut App, action: Action) -> Vec<Effect> {
    if let Some(delta) = commands::step(action, app.escalations.height) {
        app.escalations.move_by(delta);
        return Vec::new();
    }
    let current = app.escalations.current().cloned();
    match (action, current) {
        (Action::Back | Action::Escalations, _) => {
            app.escalations.shown = false;
            Vec::new()
        }
        (Action::Refresh, _) => vec![load_call(EscalationsThen::Reload)],
        (Action::Open, Some(row)) => {
            app.escalations.shown = false;
            commands::open_detail(app, row.item)
        }
        (Action::Guidance, Some(row)) => {
            app.escalations.prompt_for = Some(PromptFor::Guidance(row.escalation.id));
            open_prompt(
                app,
                PromptKind::Guidance,
                describe(&row.escalation, &row.item),
            );
            Vec::new()
        }
        (Action::HandBack, Some(row)) => {
            app.escalations.prompt_for = Some(PromptFor::HandBack(row.escalation.id));
            let to = format!("to {}", one_line(&row.escalation.by, 20));
            open_prompt(app, PromptKind::HandBack, to);
            Vec::new()
        }
        (Action::Approve, Some(row)) => {
            vec![answer_call(row.escalation.id, AnswerRequest::Approve)]
        }
        (Action::TakeOver, Some(row)) => {
            vec![answer_call(row.escalation.id, AnswerRequest::TakeOver)]
        }
        (Action::Help | Action::Palette, _) => commands::pane_action(app, action),
        _ => Vec::new(),
    }
}

/// `the legal escalation's owners (dana)` when the open detail shows item `id` under an
/// open escalation (a reply to it is held for them).
pub fn open_on_detail(app: &App, id: crate::model::ItemId) -> Option<String> {
    let detail = app
        .detail
        .as_ref()
        .filter(|d| d.id() == id)?
        .detail
        .as_ref()?;
    let open = detail.escalations.iter().find(|e| e.state.is_open())?;
    Some(format!(
        "the {} escalation's owners ({})",
        one_line(&open.name, 24),
        one_line(&open.owners.join(", "), 40)
    ))
}

/// An answer asked for outside the screen: say where answers are given.
pub fn outside_screen(app: &mut App, action: Action) -> Vec<Effect> {
    let key = app
        .keymap
        .keys_for(super::super::keymap::Context::Global, Action::Escalations)
        .map(|k| format!(" ({})", super::super::keys::sequence_label(&k)))
        .unwrap_or_default();
    app.flash(format!("{action} works in My escalations{key}"), true);
    Vec::new()
}

/// `legal · @claire`
fn describe(escalation: &Escalation, item: &crate::model::Item) -> String {
    format!(
        "{} · @{}",
        one_line(&escalation.name, 20),
        one_line(&item.author.handle, 24)
    )
}

/// An escalation or an answer came back.
pub fn done(
    app: &mut App,
    label: &'static str,
    result: Result<Response, CallFailure>,
) -> Vec<Effect> {
    match result {
        Ok(Response::Escalation { escalation }) => {
            let message = match label {
                "escalate" => format!(
                    "escalated to {}: waiting on {}",
                    one_line(&escalation.name, 24),
                    one_line(&escalation.owners.join(", "), 40)
                ),
                _ => format!(
                    "answered the {} escalation: {}; {} is told",
                    one_line(&escalation.name, 24),
                    escalation.state,
                    one_line(&escalation.by, 20)
                ),
            };
            app.flash(message, false);
            let mut effects = vec![load_call(EscalationsThen::Reload)];
            if app
                .detail
                .as_ref()
                .is_some_and(|d| d.id() == escalation.item)
            {
                effects.extend(commands::reload_detail(app));
            }
            effects
        }
        Ok(_) => Vec::new(),
        Err(failure) => {
            app.flash(format!("{label} refused: {failure}"), true);
            Vec::new()
        }
    }
}

/// An escalation was made or answered by `by`: tell the CM who escalated, and an owner;
/// keep the screen current.
pub fn event(app: &mut App, escalation: Escalation, by: String) -> Vec<Effect> {
    let reload = app.escalations.loaded && escalation.owned_by(&app.user);
    let effects = match reload {
        true => vec![load_call(EscalationsThen::Reload)],
        false => Vec::new(),
    };
    if by == app.user {
        return effects;
    }
    let message = match escalation.last_answer() {
        Some(answer) if escalation.by == app.user => {
            let mut text = format!(
                "{} answered your {} escalation: {}",
                one_line(&by, 24),
                one_line(&escalation.name, 24),
                answer.kind.words()
            );
            if !answer.text.is_empty() {
                text.push_str(": ");
                text.push_str(&one_line(&answer.text, 120));
            }
            text
        }
        None if escalation.state == EscalationState::Waiting && escalation.owned_by(&app.user) => {
            format!(
                "{} escalated an item to you ({}): {}",
                one_line(&by, 24),
                one_line(&escalation.name, 24),
                one_line(&escalation.note, 120)
            )
        }
        _ => return effects,
    };
    app.flash(message, false);
    app.dirty = true;
    effects
}
