//! Moderation from the keyboard: hide, unhide, delete, block, mute or report the open item
//! (or the one under the cursor). Each asks first, in `[confirm]` ("Block @troll on
//! mastodon? This is public and lasting."; on X, what the step costs: "This costs
//! $0.005."); a report asks for its reason before that. A yes
//! queues the step in the outbox (`Moderate`): the hub answers queued, or held for an
//! approver, and the outcome (the item's tag, or a failure) arrives live with the outbox
//! entry and the item. A no sends nothing.

use super::super::action::Action;
use super::super::components::{Confirm, OnYes, Prompt, PromptKind, ReasonFor};
use super::super::msg::{CallFailure, CallTag, Effect};
use super::super::sanitize::one_line;
use super::{triage, App, Overlay};
use crate::hub::protocol::{Request, Response};
use crate::model::{Item, ItemId, Moderation, OutboxState};
use crate::responses::cost;

/// A moderation action from the panes.
pub fn start(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(item) = target(app) else {
        return Vec::new();
    };
    let step = match action {
        Action::ModerateHide => Moderation::Hide,
        Action::ModerateUnhide => Moderation::Unhide,
        Action::ModerateDelete => Moderation::Delete,
        Action::ModerateBlock => Moderation::Block,
        Action::ModerateMute => Moderation::Mute,
        Action::ModerateReport => return ask_reason(app, item),
        _ => return Vec::new(),
    };
    ask(app, &item, step);
    Vec::new()
}

/// The one item a step is about: the open one, else the only selected, else the cursor's.
fn target(app: &mut App) -> Option<Item> {
    match triage::targets(app).as_slice() {
        [one] => Some(one.clone()),
        [] => {
            app.flash("no item under the cursor", true);
            None
        }
        _ => {
            app.flash(
                "moderation acts on one item: open it, or clear the selection",
                true,
            );
            None
        }
    }
}

/// A report needs a reason first.
fn ask_reason(app: &mut App, item: Item) -> Vec<Effect> {
    let target = format!(
        "@{} to {}",
        one_line(&item.author.handle, 24),
        one_line(item.platform.as_str(), 16)
    );
    app.reason_for = Some(ReasonFor::Report {
        item: Box::new(item),
    });
    let prompt = Prompt::new(PromptKind::Report, "", Vec::new(), target);
    app.overlay = Some(Overlay::Prompt(prompt));
    Vec::new()
}

/// The report's reason was given: now the question.
pub fn reported(app: &mut App, item: &Item, reason: String) -> Vec<Effect> {
    ask(app, item, Moderation::Report { reason });
    Vec::new()
}

fn ask(app: &mut App, item: &Item, step: Moderation) {
    let confirm = Confirm {
        question: question(item, &step),
        warning: with_cost(warning(app, &step), item, &step),
        on_yes: OnYes::Moderate {
            item: item.id,
            action: step,
        },
    };
    app.overlay = Some(Overlay::Confirm(confirm));
}

/// "Block @troll on mastodon?"
fn question(item: &Item, step: &Moderation) -> String {
    let who = format!("@{}", one_line(&item.author.handle, 30));
    let platform = one_line(item.platform.as_str(), 16);
    match step {
        Moderation::Hide => format!("Hide {who}'s reply from the thread on {platform}?"),
        Moderation::Unhide => format!("Show {who}'s hidden reply on {platform} again?"),
        Moderation::Delete => format!("Delete this message by {who} on {platform}?"),
        Moderation::Block => format!("Block {who} on {platform}?"),
        Moderation::Mute => format!("Mute {who} on {platform}?"),
        Moderation::Report { reason } => {
            format!("Report {who} to {platform} ({})?", one_line(reason, 60))
        }
        Moderation::Dismiss => format!("Dismiss this notification on {platform}?"),
    }
}

/// The warning, and what the step costs where the platform bills it (X): "Others stop
/// seeing it under the brand's post. This costs $0.005."
fn with_cost(warning: String, item: &Item, step: &Moderation) -> String {
    let Some(cost) = cost::cost(&item.platform, cost::Action::Moderate(step)) else {
        return warning;
    };
    let sentence = format!("This {}.", cost.describe());
    match warning.is_empty() {
        true => sentence,
        false => format!("{warning} {sentence}"),
    }
}

/// What follows from a yes.
fn warning(app: &App, step: &Moderation) -> String {
    match step {
        Moderation::Block | Moderation::Delete if !app.outbox.approver => {
            "This is public and lasting: an approver releases it first.".into()
        }
        Moderation::Block | Moderation::Delete => "This is public and lasting.".into(),
        Moderation::Report { .. } => "The platform's moderators will see it.".into(),
        Moderation::Hide => "Others stop seeing it under the brand's post.".into(),
        Moderation::Mute => "We stop seeing them; they are not told.".into(),
        Moderation::Unhide | Moderation::Dismiss => String::new(),
    }
}

/// A key while the question is open: yes sends the step, no sends nothing.
pub fn answer_question(app: &mut App, action: Action) -> Vec<Effect> {
    let yes = match action {
        Action::Confirm => true,
        Action::Cancel | Action::Back => false,
        _ => return Vec::new(),
    };
    let Some(Overlay::Confirm(confirm)) = app.overlay.take() else {
        return Vec::new();
    };
    let OnYes::Moderate { item, action } = confirm.on_yes;
    if !yes {
        app.flash(format!("{}: cancelled, nothing sent", action.name()), false);
        return Vec::new();
    }
    vec![moderate_call(item, action)]
}

fn moderate_call(id: ItemId, action: Moderation) -> Effect {
    Effect::Call {
        tag: CallTag::Moderate {
            id,
            what: action.name(),
        },
        request: Request::Moderate { id, action },
    }
}

/// The hub's answer: the step is queued, or held for an approver, or refused.
pub fn moderated(
    app: &mut App,
    what: &'static str,
    result: Result<Response, CallFailure>,
) -> Vec<Effect> {
    match result {
        Ok(Response::Entry { entry }) => {
            let text = match entry.state {
                OutboxState::Held => format!("{what} held for approval"),
                _ => format!("{what} queued"),
            };
            app.outbox.upsert(entry);
            app.flash(text, false);
        }
        Ok(_) => {}
        Err(failure) => app.flash(format!("{what} refused: {failure}"), true),
    }
    Vec::new()
}
