//! Keymap loading: the built-in keymaps, user overrides, sequences, and the exact errors for
//! an unknown action, a malformed key and conflicts.

use std::io::Write;

use switchboard::ui::action::Action;
use switchboard::ui::keymap::{Context, Keymap, Lookup};
use switchboard::ui::keys::{parse_sequence, KeyChord};

fn keys(text: &str) -> Vec<KeyChord> {
    parse_sequence(text).unwrap()
}

fn error(text: &str) -> String {
    Keymap::parse("my.toml", text).unwrap_err().to_string()
}

#[test]
fn builtin_keymaps_load_and_bind_the_essentials() {
    for name in ["default", "emacs"] {
        let map = Keymap::builtin(name).unwrap();
        for action in [
            Action::MoveDown,
            Action::Open,
            Action::Resolve,
            Action::ResolveNext,
            Action::Tag,
            Action::AssignMe,
            Action::Undo,
            Action::Find,
            Action::Help,
            Action::Palette,
            Action::Quit,
        ] {
            assert!(
                map.keys_for(Context::Queue, action).is_some(),
                "{name}: {action} unbound in the queue"
            );
        }
        for context in [Context::Compose, Context::Picker, Context::Palette] {
            assert!(map.keys_for(context, Action::Confirm).is_some(), "{name}");
            assert!(map.keys_for(context, Action::Cancel).is_some(), "{name}");
        }
    }
}

#[test]
fn vim_sequences_and_global_fallback() {
    let map = Keymap::builtin("default").unwrap();
    assert_eq!(
        map.lookup(Context::Queue, &keys("j")),
        Lookup::Action(Action::MoveDown)
    );
    assert_eq!(map.lookup(Context::Queue, &keys("g")), Lookup::Prefix);
    assert_eq!(
        map.lookup(Context::Queue, &keys("g g")),
        Lookup::Action(Action::Top)
    );
    assert_eq!(
        map.lookup(Context::Queue, &keys("g t")),
        Lookup::Action(Action::NextTab)
    );
    assert_eq!(map.lookup(Context::Queue, &keys("g z")), Lookup::Unbound);
    assert_eq!(
        map.lookup(Context::Queue, &keys("G")),
        Lookup::Action(Action::Bottom)
    );
    assert_eq!(
        map.lookup(Context::Queue, &keys("ctrl-d")),
        Lookup::Action(Action::PageDown)
    );
    assert_eq!(
        map.lookup(Context::Queue, &keys("?")),
        Lookup::Action(Action::Help)
    );
    // Text contexts never inherit global bindings: `q` is typed, not quit.
    assert_eq!(map.lookup(Context::Compose, &keys("q")), Lookup::Unbound);
    let continuations: Vec<Action> = map
        .continuations(Context::Queue, &keys("g"))
        .into_iter()
        .map(|b| b.action)
        .collect();
    assert!(continuations.contains(&Action::Top), "{continuations:?}");
    assert!(
        continuations.contains(&Action::NextTab),
        "{continuations:?}"
    );
}

#[test]
fn emacs_prefixes_reach_global_sequences() {
    let map = Keymap::builtin("emacs").unwrap();
    assert_eq!(map.lookup(Context::Queue, &keys("C-x")), Lookup::Prefix);
    assert_eq!(
        map.lookup(Context::Queue, &keys("C-x h")),
        Lookup::Action(Action::SelectAll)
    );
    assert_eq!(
        map.lookup(Context::Queue, &keys("C-x C-c")),
        Lookup::Action(Action::Quit)
    );
    assert_eq!(
        map.lookup(Context::Queue, &keys("M-<")),
        Lookup::Action(Action::Top)
    );
    assert_eq!(
        map.lookup(Context::Queue, &keys("C-c C-c")),
        Lookup::Action(Action::ResolveNext)
    );
    let help: Vec<Action> = map
        .bindings(Context::Queue)
        .into_iter()
        .map(|b| b.action)
        .collect();
    assert!(
        help.contains(&Action::Quit),
        "global C-x C-c must show in the queue's help"
    );
}

#[test]
fn unknown_action_names_file_line_and_key() {
    let text = "[queue]\nj = \"move_down\"\nk = \"mvoe_up\"\n";
    assert_eq!(
        error(text),
        "invalid keymap my.toml:3: [queue] key \"k\": unknown action \"mvoe_up\""
    );
}

#[test]
fn malformed_key_names_file_line_and_key() {
    let text = "[detail]\n\n\"ctrl-enterr\" = \"back\"\n";
    assert_eq!(
        error(text),
        "invalid keymap my.toml:3: [detail] key \"ctrl-enterr\": malformed key: unknown key name \"enterr\" (expected one character, or enter, esc, tab, backtab, backspace, delete, insert, up, down, left, right, home, end, pageup, pagedown, space, f1..f24)"
    );
    let text = "[queue]\n\"ctrl-\" = \"top\"\n";
    assert_eq!(
        error(text),
        "invalid keymap my.toml:2: [queue] key \"ctrl-\": malformed key: \"ctrl-\": a modifier needs a key after it"
    );
}

#[test]
fn the_same_chord_twice_is_a_conflict() {
    let text = "[queue]\n\"ctrl-d\" = \"page_down\"\nj = \"move_down\"\n\"C-d\" = \"bottom\"\n";
    assert_eq!(
        error(text),
        "invalid keymap my.toml:4: [queue] key \"C-d\": bound twice (also \"ctrl-d\" on line 2)"
    );
}

#[test]
fn a_binding_that_starts_a_sequence_is_a_conflict() {
    let text = "[queue]\n\"g g\" = \"top\"\ng = \"bottom\"\n";
    assert_eq!(
        error(text),
        "invalid keymap my.toml:3: [queue] key \"g\": is also the start of the sequence \"g g\" on line 2"
    );
    let text = "[queue]\ng = \"bottom\"\n\"g g\" = \"top\"\n";
    assert_eq!(
        error(text),
        "invalid keymap my.toml:3: [queue] key \"g g\": starts with \"g\" on line 2, which is bound on its own"
    );
    // The same keys in different tables are fine.
    assert!(Keymap::parse(
        "ok.toml",
        "[queue]\ng = \"top\"\n[detail]\n\"g g\" = \"top\"\n"
    )
    .is_ok());
}

#[test]
fn unknown_table_and_toml_errors_are_located() {
    assert_eq!(
        error("[queue]\nj = \"move_down\"\n\n[qeue]\nk = \"move_up\"\n"),
        "invalid keymap my.toml:4: unknown table [qeue] (expected global, queue, detail, compose, picker, palette, reply, confirm, outbox, escalations or dashboard)"
    );
    let message = error("[queue]\nj = 3\n");
    assert!(
        message.starts_with("invalid keymap my.toml:2:"),
        "{message}"
    );
    let message = error("[queue]\nj = \"move_down\"\nj = \"move_up\"\n");
    assert!(
        message.starts_with("invalid keymap my.toml:3:"),
        "{message}"
    );
}

#[test]
fn user_file_overrides_single_bindings_and_can_unbind() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    write!(
        file,
        "[queue]\n# rebind g alone: replaces the g g and g s sequences\ng = \"top\"\nd = \"resolve_next\"\nx = \"none\"\n"
    )
    .unwrap();
    let map = Keymap::load("default", Some(file.path())).unwrap();
    assert_eq!(
        map.lookup(Context::Queue, &keys("g")),
        Lookup::Action(Action::Top)
    );
    assert_eq!(
        map.lookup(Context::Queue, &keys("d")),
        Lookup::Action(Action::ResolveNext)
    );
    assert_eq!(map.lookup(Context::Queue, &keys("x")), Lookup::Unbound);
    // Everything else of the base stays.
    assert_eq!(
        map.lookup(Context::Queue, &keys("j")),
        Lookup::Action(Action::MoveDown)
    );
    assert_eq!(
        map.lookup(Context::Queue, &keys("R")),
        Lookup::Action(Action::ResolveNext)
    );
}

#[test]
fn a_bad_user_file_refuses_the_whole_keymap_and_names_the_file() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    write!(
        file,
        "[queue]\nj = \"move_down\"\n\n\"space z\" = \"zap\"\n"
    )
    .unwrap();
    let message = Keymap::load("emacs", Some(file.path()))
        .unwrap_err()
        .to_string();
    let expected = format!(
        "invalid keymap {}:4: [queue] key \"space z\": unknown action \"zap\"",
        file.path().display()
    );
    assert_eq!(message, expected);
}

#[test]
fn missing_user_file_is_no_override_but_missing_base_is_an_error() {
    let map = Keymap::load(
        "default",
        Some(std::path::Path::new("/nonexistent/keymap.toml")),
    );
    assert!(map.is_ok());
    let message = Keymap::load("/nonexistent/base.toml", None)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("cannot read keymap /nonexistent/base.toml"),
        "{message}"
    );
}

#[test]
fn ui_options_come_from_the_config_and_a_bad_user_keymap_stops_them() {
    use switchboard::config::Config;
    use switchboard::ui::UiOptions;
    let dir = tempfile::tempdir().unwrap();
    let config = Config::parse(
        &dir.path().join("config.toml"),
        "[ui]\nkeymap = \"emacs\"\n[views]\nlegal = \"tag:legal\"\n[users.bob]\n",
    )
    .unwrap();
    let options = UiOptions::from_config(&config, dir.path(), "alice").unwrap();
    assert_eq!(options.keymap.name, "emacs");
    assert_eq!(
        options.views,
        vec![("legal".to_string(), "tag:legal".to_string())]
    );
    assert_eq!(options.assignees, vec!["bob".to_string()]);
    let user_keymap = dir.path().join("keymap.toml");
    std::fs::write(
        &user_keymap,
        "[queue]\n\"C-c r\" = \"resolve\"\n\"C-c\" = \"top\"\n",
    )
    .unwrap();
    let message = UiOptions::from_config(&config, dir.path(), "alice")
        .unwrap_err()
        .to_string();
    assert_eq!(
        message,
        format!(
            "invalid keymap {}:3: [queue] key \"C-c\": is also the start of the sequence \"ctrl-c r\" on line 2",
            user_keymap.display()
        )
    );
}
