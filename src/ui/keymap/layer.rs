//! One keymap file read and checked on its own: every table a known context, every key a
//! well-formed chord sequence, every value a known action (or `none` to unbind), and no
//! two bindings of one table in conflict. Positions come from `toml`'s spans.

use std::collections::BTreeMap;

use toml::Spanned;

use super::super::action::Action;
use super::super::keys::{parse_sequence, sequence_label, KeyChord};
use super::{Context, KeymapError};

/// The value that removes a binding of the base keymap.
pub const UNBIND: &str = "none";

/// One `key = "action"` line.
#[derive(Clone, Debug)]
pub struct Entry {
    pub context: Context,
    /// The key as written, for messages.
    pub written: String,
    pub keys: Vec<KeyChord>,
    /// `None` unbinds.
    pub action: Option<Action>,
    pub line: usize,
}

/// A checked keymap file.
#[derive(Clone, Debug)]
pub struct Layer {
    pub file: String,
    pub entries: Vec<Entry>,
}

type RawTables = BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<String>>>;

impl Layer {
    /// Parses and checks keymap text; `file` is only used in messages.
    pub fn parse(file: &str, text: &str) -> Result<Layer, KeymapError> {
        let raw: RawTables = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |span| line_col(text, span.start));
            KeymapError::Syntax {
                file: file.to_string(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        let mut entries = Vec::new();
        for (table, bindings) in raw {
            let table_line = line_col(text, table.span().start).0;
            let context =
                Context::from_name(table.get_ref()).ok_or_else(|| KeymapError::UnknownContext {
                    file: file.to_string(),
                    line: table_line,
                    table: table.get_ref().clone(),
                })?;
            for (key, action) in bindings {
                let line = line_col(text, key.span().start).0;
                entries.push(read_entry(file, context, &key, &action, line)?);
            }
        }
        entries.sort_by_key(|e| e.line);
        let layer = Layer {
            file: file.to_string(),
            entries,
        };
        layer.check_conflicts()?;
        Ok(layer)
    }

    /// Refuses two bindings of one table for the same keys, or a binding that is also the
    /// start of a sequence (the sequence could never be typed).
    fn check_conflicts(&self) -> Result<(), KeymapError> {
        for (i, later) in self.entries.iter().enumerate() {
            for earlier in &self.entries[..i] {
                if earlier.context != later.context {
                    continue;
                }
                if let Some(reason) = conflict(earlier, later) {
                    return Err(KeymapError::Conflict {
                        file: self.file.clone(),
                        line: later.line,
                        context: later.context.name().to_string(),
                        key: later.written.clone(),
                        reason,
                    });
                }
            }
        }
        Ok(())
    }
}

fn read_entry(
    file: &str,
    context: Context,
    key: &Spanned<String>,
    action: &Spanned<String>,
    line: usize,
) -> Result<Entry, KeymapError> {
    let written = key.get_ref().clone();
    let keys = parse_sequence(&written).map_err(|reason| KeymapError::MalformedKey {
        file: file.to_string(),
        line,
        context: context.name().to_string(),
        key: written.clone(),
        reason,
    })?;
    let name = action.get_ref().trim();
    let action = if name == UNBIND {
        None
    } else {
        Some(
            Action::from_name(name).ok_or_else(|| KeymapError::UnknownAction {
                file: file.to_string(),
                line,
                context: context.name().to_string(),
                key: written.clone(),
                action: name.to_string(),
            })?,
        )
    };
    Ok(Entry {
        context,
        written,
        keys,
        action,
        line,
    })
}

/// Why two entries of one table cannot both stand, if they cannot.
pub fn conflict(earlier: &Entry, later: &Entry) -> Option<String> {
    let other = format!(
        "\"{}\" on line {}",
        sequence_label(&earlier.keys),
        earlier.line
    );
    if earlier.keys == later.keys {
        Some(format!("bound twice (also {other})"))
    } else if earlier.keys.starts_with(&later.keys) {
        Some(format!("is also the start of the sequence {other}"))
    } else if later.keys.starts_with(&earlier.keys) {
        Some(format!("starts with {other}, which is bound on its own"))
    } else {
        None
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
