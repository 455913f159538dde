//! Writing the reply in `$VISUAL`/`$EDITOR`. `edit_external` saves the draft as it stands
//! (the editor may run a long time) and asks the runtime to hand the terminal over with
//! [`Effect::EditExternally`]; the editor's text comes back as `Msg::Edited`, replaces the
//! composer's text (cursor at the end) and counts as an edit: the draft is saved after the
//! usual pause, and a draft timer set before the editor ran finds itself superseded. A
//! failed editor keeps the text as it was and says why.

use super::super::components::Stage;
use super::super::msg::Effect;
use super::{reply, App};

/// `edit_external` while editing.
pub fn open(app: &mut App) -> Vec<Effect> {
    let Some(composer) = &app.composer else {
        return Vec::new();
    };
    let text = composer.text.text();
    let mut effects = reply::save_draft(app);
    effects.push(Effect::EditExternally { text });
    effects
}

/// The editor saved and quit with `text` (its trailing newline already trimmed).
pub fn edited(app: &mut App, text: String) -> Vec<Effect> {
    let Some(composer) = &mut app.composer else {
        app.flash(
            "the composer closed while the editor ran: its text was not kept",
            true,
        );
        return Vec::new();
    };
    composer.replace_text(&text);
    composer.stage = Stage::Editing;
    reply::edited(app)
}

/// The editor could not run or failed: the text stays as it was.
pub fn failed(app: &mut App, why: String) -> Vec<Effect> {
    app.flash(why, true);
    Vec::new()
}
