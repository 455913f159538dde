//! The canned-response picker over the composer. `canned` opens it (from the queue or the
//! detail it opens the composer on the item first) and asks the hub for the library; the
//! answer is taken only by the picker that asked. Typing ranks the responses, `confirm`
//! chooses the highlighted one; its fill-in fields are asked one at a time (`cancel` goes
//! back to the list), then the filled text is inserted at the composer's cursor like typed
//! text (so the draft is saved). `cancel` on the list closes the picker, the text intact.

use super::super::action::Action;
use super::super::components::canned::Outcome;
use super::super::components::{CannedPicker, Stage};
use super::super::msg::{CallFailure, CallTag, Effect};
use super::{reply, App};
use crate::hub::protocol::{Request, Response};
use crate::responses::Library;

/// How far a page key moves in the list.
const PAGE: isize = 10;

/// Opens the picker over the composer (opening the composer first when it is not).
pub fn open(app: &mut App) -> Vec<Effect> {
    let mut effects = Vec::new();
    if app.composer.is_none() {
        effects = reply::open(app);
    }
    let Some(composer) = app.composer.as_ref().filter(|c| c.stage == Stage::Editing) else {
        return effects;
    };
    let item = composer.item.clone();
    let seq = app.next_seq();
    app.canned = Some(CannedPicker::new(item, seq));
    effects.push(Effect::Call {
        tag: CallTag::Canned { seq },
        request: Request::Canned,
    });
    effects
}

/// The hub's library arrived (or could not be had).
pub fn answered(app: &mut App, seq: u64, result: Result<Response, CallFailure>) -> Vec<Effect> {
    let me = app.me.display_name.clone();
    let Some(picker) = &mut app.canned else {
        return Vec::new();
    };
    match result {
        Ok(Response::Canned {
            responses,
            problems,
            brand,
            agent,
        }) => {
            let agent = if agent.is_empty() { me } else { agent };
            let library = Library {
                responses,
                problems,
            };
            picker.accept(seq, library, &brand, &agent);
        }
        Ok(_) => {}
        Err(failure) => {
            picker.refuse(seq, failure.to_string());
        }
    }
    Vec::new()
}

/// An action while the picker is open.
pub fn action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(picker) = &mut app.canned else {
        return Vec::new();
    };
    if picker.filling.is_some() {
        return field_action(app, action);
    }
    match action {
        Action::Confirm => {
            let outcome = picker.choose();
            return settle(app, outcome);
        }
        Action::Cancel | Action::Back | Action::Canned => app.canned = None,
        Action::MoveDown => picker.move_by(1),
        Action::MoveUp => picker.move_by(-1),
        Action::PageDown => picker.move_by(PAGE),
        Action::PageUp => picker.move_by(-PAGE),
        edit => {
            if picker.input.edit(edit) {
                picker.refilter();
            }
        }
    }
    Vec::new()
}

/// An action while a fill-in field is asked.
fn field_action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(picker) = &mut app.canned else {
        return Vec::new();
    };
    match action {
        Action::Confirm => {
            let outcome = picker.answer_field();
            return settle(app, outcome);
        }
        Action::Cancel | Action::Back => picker.filling = None,
        edit => {
            if let Some(filling) = &mut picker.filling {
                filling.input.edit(edit);
            }
        }
    }
    Vec::new()
}

/// Text typed or pasted: into the field asked, else the query.
pub fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    let Some(picker) = &mut app.canned else {
        return Vec::new();
    };
    match &mut picker.filling {
        Some(filling) => filling.input.insert(text),
        None => {
            picker.input.insert(text);
            picker.refilter();
        }
    }
    Vec::new()
}

/// A filled text goes into the reply at the cursor, as if typed (the draft is saved).
fn settle(app: &mut App, outcome: Outcome) -> Vec<Effect> {
    match outcome {
        Outcome::Stay => Vec::new(),
        Outcome::Insert(text) => {
            app.canned = None;
            reply::typed(app, &text)
        }
    }
}
