//! Keymaps as data: which key sequence runs which [`Action`] in which context.
//!
//! Two keymaps are compiled in (`keymaps/default.toml`, vim-style, and `keymaps/emacs.toml`);
//! `[ui] keymap` picks one or names a file, and a user `keymap.toml` overrides single
//! bindings of it. Each file is checked whole before anything is used ([`layer`]), so a
//! keymap is either loaded completely or refused with the file, line and key.

mod error;
mod layer;

use std::collections::BTreeMap;
use std::path::Path;

pub use error::KeymapError;
use layer::{conflict, Layer};

use super::action::Action;
use super::keys::KeyChord;

/// The built-in keymaps: name, file name shown in messages, text.
const BUILTIN: &[(&str, &str, &str)] = &[
    (
        "default",
        "keymaps/default.toml",
        include_str!("../../../keymaps/default.toml"),
    ),
    (
        "emacs",
        "keymaps/emacs.toml",
        include_str!("../../../keymaps/emacs.toml"),
    ),
];

/// Where keys are read: one table per context in a keymap file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Applies everywhere a more specific table does not bind the key.
    Global,
    /// The queue pane.
    Queue,
    /// The detail pane.
    Detail,
    /// Typing into a prompt (filter, tag, assign, note, snooze).
    Compose,
    /// A list with an input line (find).
    Picker,
    /// The command palette.
    Palette,
    /// Writing a reply: a multi-line input (enter starts a new line).
    Reply,
    /// A yes/no question (sending a reply, sending it anyway after a conflict, a
    /// moderation step).
    Confirm,
    /// The outbox screen: replies and moderation steps on their way out, approvals.
    Outbox,
    /// The "My escalations" screen: the items escalated to us, and our answers.
    Escalations,
    /// The dashboard screen: the team's figures over a window.
    Dashboard,
}

impl Context {
    pub const ALL: [Context; 11] = [
        Context::Global,
        Context::Queue,
        Context::Detail,
        Context::Compose,
        Context::Picker,
        Context::Palette,
        Context::Reply,
        Context::Confirm,
        Context::Outbox,
        Context::Escalations,
        Context::Dashboard,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Queue => "queue",
            Context::Detail => "detail",
            Context::Compose => "compose",
            Context::Picker => "picker",
            Context::Palette => "palette",
            Context::Reply => "reply",
            Context::Confirm => "confirm",
            Context::Outbox => "outbox",
            Context::Escalations => "escalations",
            Context::Dashboard => "dashboard",
        }
    }

    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Contexts where unbound characters are typed as text.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Context::Compose | Context::Picker | Context::Palette | Context::Reply
        )
    }

    /// Whether `[global]` bindings apply here. Text contexts are self-contained, so that
    /// no global command fires while someone types, and so is a question.
    fn inherits_global(self) -> bool {
        matches!(self, Context::Queue | Context::Detail)
    }
}

/// What a key sequence means in a context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// A complete binding.
    Action(Action),
    /// The start of one or more sequences: wait for the next key.
    Prefix,
    /// Nothing.
    Unbound,
}

/// One binding as the help overlay lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindingInfo {
    pub keys: Vec<KeyChord>,
    pub action: Action,
    /// Where it is defined (`Global` for inherited ones).
    pub context: Context,
}

/// A loaded, conflict-free keymap.
#[derive(Clone, Debug)]
pub struct Keymap {
    /// The base keymap's name (`default`, `emacs`) or file.
    pub name: String,
    tables: BTreeMap<Context, BTreeMap<Vec<KeyChord>, Action>>,
}

impl Keymap {
    /// Loads the base keymap (`default`, `emacs`, or a file path) and applies the user's
    /// overrides from `user_file` when that file exists.
    pub fn load(base: &str, user_file: Option<&Path>) -> Result<Keymap, KeymapError> {
        let base_layer = match BUILTIN.iter().find(|(name, _, _)| *name == base) {
            Some((_, file, text)) => Layer::parse(file, text)?,
            None => read_layer(Path::new(base))?.ok_or_else(|| KeymapError::Unreadable {
                file: base.to_string(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file (built-in keymaps: default, emacs)",
                ),
            })?,
        };
        let user_layer = match user_file {
            Some(path) => read_layer(path)?,
            None => None,
        };
        let mut keymap = Keymap::from_layer(base, &base_layer);
        if let Some(user) = user_layer {
            keymap.apply_overrides(&user);
        }
        Ok(keymap)
    }

    /// The built-in keymap of that name (`default` or `emacs`).
    pub fn builtin(name: &str) -> Result<Keymap, KeymapError> {
        Keymap::load(name, None)
    }

    /// Parses keymap text on its own (tests, tools); `file` is used in messages.
    pub fn parse(file: &str, text: &str) -> Result<Keymap, KeymapError> {
        Ok(Keymap::from_layer(file, &Layer::parse(file, text)?))
    }

    fn from_layer(name: &str, layer: &Layer) -> Keymap {
        let mut keymap = Keymap {
            name: name.to_string(),
            tables: BTreeMap::new(),
        };
        keymap.apply_overrides(layer);
        keymap
    }

    /// Each entry replaces whatever it conflicts with in its table, then binds (or unbinds).
    fn apply_overrides(&mut self, layer: &Layer) {
        for entry in &layer.entries {
            let table = self.tables.entry(entry.context).or_default();
            table.retain(|keys, action| {
                let existing = layer::Entry {
                    context: entry.context,
                    written: String::new(),
                    keys: keys.clone(),
                    action: Some(*action),
                    line: 0,
                };
                conflict(&existing, entry).is_none()
            });
            if let Some(action) = entry.action {
                table.insert(entry.keys.clone(), action);
            }
        }
    }

    /// What `keys` mean in `context` (falling back to `[global]`).
    pub fn lookup(&self, context: Context, keys: &[KeyChord]) -> Lookup {
        match self.lookup_in(context, keys) {
            Lookup::Unbound if context.inherits_global() => self.lookup_in(Context::Global, keys),
            own => own,
        }
    }

    fn lookup_in(&self, context: Context, keys: &[KeyChord]) -> Lookup {
        let Some(table) = self.tables.get(&context) else {
            return Lookup::Unbound;
        };
        if let Some(action) = table.get(keys) {
            return Lookup::Action(*action);
        }
        let longer = table
            .range(keys.to_vec()..)
            .next()
            .is_some_and(|(k, _)| k.len() > keys.len() && k.starts_with(keys));
        if longer {
            Lookup::Prefix
        } else {
            Lookup::Unbound
        }
    }

    /// Every binding that applies in `context`: its own, then the inherited global ones.
    pub fn bindings(&self, context: Context) -> Vec<BindingInfo> {
        let mut out: Vec<BindingInfo> = self.table(context).collect();
        if context.inherits_global() {
            let inherited = self
                .table(Context::Global)
                .filter(|info| !self.shadows(context, &info.keys));
            out.extend(inherited);
        }
        out
    }

    /// Whether the context's own table hides a global binding of `keys`: it binds one of
    /// its prefixes, or starts a longer sequence with all of it.
    fn shadows(&self, context: Context, keys: &[KeyChord]) -> bool {
        let binds_a_prefix = (1..=keys.len())
            .any(|n| matches!(self.lookup_in(context, &keys[..n]), Lookup::Action(_)));
        binds_a_prefix || self.lookup_in(context, keys) == Lookup::Prefix
    }

    fn table(&self, context: Context) -> impl Iterator<Item = BindingInfo> + '_ {
        self.tables
            .get(&context)
            .into_iter()
            .flatten()
            .map(move |(keys, action)| BindingInfo {
                keys: keys.clone(),
                action: *action,
                context,
            })
    }

    /// The sequences that complete `prefix` in `context`, for the which-key popup.
    pub fn continuations(&self, context: Context, prefix: &[KeyChord]) -> Vec<BindingInfo> {
        self.bindings(context)
            .into_iter()
            .filter(|b| b.keys.len() > prefix.len() && b.keys.starts_with(prefix))
            .collect()
    }

    /// The shortest key sequence bound to `action` in `context`, for hints.
    pub fn keys_for(&self, context: Context, action: Action) -> Option<Vec<KeyChord>> {
        self.bindings(context)
            .into_iter()
            .filter(|b| b.action == action)
            .map(|b| b.keys)
            .min_by_key(|keys| (keys.len(), keys.iter().any(|k| k.ctrl || k.alt)))
    }
}

/// Reads and checks a keymap file; `Ok(None)` when it does not exist.
fn read_layer(path: &Path) -> Result<Option<Layer>, KeymapError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Layer::parse(&path.display().to_string(), &text).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(KeymapError::Unreadable {
            file: path.display().to_string(),
            source,
        }),
    }
}
