//! The terminal UI: keyboard-driven triage of the unified queue, as a client of the hub.
//!
//! Built as The Elm Architecture: every user command is an [`action::Action`] (named, so
//! keymaps, help and palette share it); [`app::App`] holds all state and
//! [`app::update`] is the only thing that changes it, turning each [`msg::Msg`] (keys
//! read through the [`keymap::Keymap`], hub answers and events, timers, the clock) into
//! new state and [`msg::Effect`]s; [`view::draw`] renders the state and changes nothing;
//! [`runtime`] runs the loop against the terminal and a
//! [`HubClient`](crate::hub::client::HubClient), lending the terminal to
//! [`external_editor`] for long replies, and ringing for notices through [`alert`]. Platform
//! text is
//! made safe by [`sanitize`] at the point it becomes a span, never before: the store
//! keeps what was received.

pub mod action;
pub mod alert;
pub mod app;
pub mod components;
pub mod external_editor;
pub mod format;
pub mod keymap;
pub mod keys;
pub mod msg;
pub mod runtime;
pub mod sanitize;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod when;

use std::path::Path;

pub use keymap::{Keymap, KeymapError};
pub use runtime::run;
pub use theme::ColorMode;

use crate::config::Config;

/// The user keymap file, in the config directory, whose bindings override the base keymap.
pub const USER_KEYMAP_FILE: &str = "keymap.toml";

/// What the TUI needs from the configuration.
#[derive(Clone, Debug)]
pub struct UiOptions {
    pub keymap: Keymap,
    /// Saved views shown as tabs after the built-in ones: (name, query).
    pub views: Vec<(String, String)>,
    pub color: ColorMode,
    /// Who we are: `assign_me` assigns to this name (empty: the name the hub gives us).
    pub user: String,
    /// Team members offered when assigning.
    pub assignees: Vec<String>,
    /// Capture the mouse (wheel scrolls, click selects). Off by default: it takes away the
    /// terminal's own text selection.
    pub mouse: bool,
    /// Who the hub says we are (role, presence session); `None`: an admin named `user`.
    pub me: Option<components::Me>,
    /// Notices raise desktop notifications (OSC 9/777) as well as the bell.
    pub desktop_notifications: bool,
}

impl UiOptions {
    /// Options with the given keymap and user, no saved views, colours from the
    /// environment, no mouse.
    pub fn new(keymap: Keymap, user: &str) -> UiOptions {
        UiOptions {
            keymap,
            views: Vec::new(),
            color: ColorMode::detect(false),
            user: user.to_string(),
            assignees: Vec::new(),
            mouse: false,
            me: None,
            desktop_notifications: true,
        }
    }

    /// Options from `config.toml`: `[ui] keymap` (`default`, `emacs`, or a path, relative
    /// to the config directory) with the user's `keymap.toml` from `config_dir` on top,
    /// `[views]` as tabs, `[ui] basic_colors` and `NO_COLOR`, `[users]` for assignment.
    pub fn from_config(
        config: &Config,
        config_dir: &Path,
        user: &str,
    ) -> Result<UiOptions, KeymapError> {
        let base = config.ui.keymap.as_deref().unwrap_or("default");
        let base = match base {
            "default" | "emacs" => base.to_string(),
            path => config_dir.join(path).display().to_string(),
        };
        let keymap = Keymap::load(&base, Some(&config_dir.join(USER_KEYMAP_FILE)))?;
        Ok(UiOptions {
            keymap,
            views: config
                .views
                .iter()
                .map(|(n, q)| (n.clone(), q.clone()))
                .collect(),
            color: ColorMode::detect(config.ui.basic_colors),
            user: user.to_string(),
            assignees: config.users.keys().cloned().collect(),
            mouse: false,
            me: None,
            desktop_notifications: config.ui.desktop_notifications,
        })
    }
}
