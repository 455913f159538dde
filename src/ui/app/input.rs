//! Reading keys: each key press extends the pending sequence and is looked up in the keymap
//! of the active context. A complete binding runs its action; the start of a sequence waits
//! for the next key (and shows the which-key hint after a short delay); anything else is
//! typed as text where text is expected.

use std::time::Duration;

use super::super::components::Find;
use super::super::keymap::Lookup;
use super::super::keys::{sequence_label, KeyChord, NamedKey};
use super::super::msg::{Effect, Timer};
use super::{dispatch, reply, App, Overlay, Pending};

/// How long a sequence waits before its continuations are listed.
pub const WHICH_KEY_DELAY: Duration = Duration::from_millis(400);

/// How long find waits for the next keystroke before asking the hub.
pub const FIND_DEBOUNCE: Duration = Duration::from_millis(30);

/// One key press.
pub fn key(app: &mut App, chord: KeyChord) -> Vec<Effect> {
    let context = app.context();
    let mut keys = std::mem::take(&mut app.pending.keys);
    keys.push(chord);
    match app.keymap.lookup(context, &keys) {
        Lookup::Action(action) => {
            app.pending = Pending::default();
            dispatch(app, action)
        }
        Lookup::Prefix => {
            let generation = app.pending.generation + 1;
            app.pending = Pending {
                keys,
                shown: false,
                generation,
            };
            vec![Effect::After {
                delay: WHICH_KEY_DELAY,
                timer: Timer::WhichKey(generation),
            }]
        }
        Lookup::Unbound => {
            app.pending = Pending::default();
            if keys.len() > 1 {
                // Esc abandons a sequence quietly; anything else says what went wrong.
                if chord != KeyChord::named(NamedKey::Esc) {
                    app.flash(format!("{} is not bound here", sequence_label(&keys)), true);
                }
                return Vec::new();
            }
            match chord.text() {
                Some(c) if context.takes_text() => text(app, &c.to_string()),
                _ => Vec::new(),
            }
        }
    }
}

/// Text typed or pasted: into the focused input, if there is one.
pub fn text(app: &mut App, typed: &str) -> Vec<Effect> {
    if app.canned.is_some() {
        return super::canned::typed(app, typed);
    }
    if app.composer.is_some() {
        return reply::typed(app, typed);
    }
    if app.escalations.picker.is_some() {
        return super::escalations::picker_typed(app, typed);
    }
    match &mut app.overlay {
        Some(Overlay::Prompt(prompt)) => {
            prompt.type_text(typed);
            Vec::new()
        }
        Some(Overlay::Palette(palette)) => {
            palette.input.insert(typed);
            palette.refilter();
            Vec::new()
        }
        Some(Overlay::Find(_)) => {
            if let Some(Overlay::Find(find)) = &mut app.overlay {
                find.input.insert(typed);
            }
            find_changed(app)
        }
        Some(Overlay::Help(_)) | Some(Overlay::Handoff(_)) | Some(Overlay::Confirm(_)) | None => {
            Vec::new()
        }
    }
}

/// The find pattern changed: number the keystroke and wait a moment before asking.
pub fn find_changed(app: &mut App) -> Vec<Effect> {
    let seq = app.next_seq();
    let Some(Overlay::Find(find)) = &mut app.overlay else {
        return Vec::new();
    };
    find.changed(seq);
    if find.input.text().trim().is_empty() {
        return Vec::new();
    }
    vec![Effect::After {
        delay: FIND_DEBOUNCE,
        timer: Timer::Find(seq),
    }]
}

/// Opens the finder.
pub fn open_find(app: &mut App) {
    let seq = app.next_seq();
    app.overlay = Some(Overlay::Find(Find::new(seq)));
}
