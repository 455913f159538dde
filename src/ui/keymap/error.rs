//! Why a keymap was refused: every error names the file, the line and the key, so a typo in
//! a user's `keymap.toml` is found at once and start-up never runs on half a keymap.

use super::super::keys::KeyParseError;

/// A keymap that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    #[error("cannot read keymap {file}: {source}")]
    Unreadable {
        file: String,
        source: std::io::Error,
    },
    #[error("invalid keymap {file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("invalid keymap {file}:{line}: unknown table [{table}] (expected global, queue, detail, compose, picker, palette, reply, confirm, outbox, escalations or dashboard)")]
    UnknownContext {
        file: String,
        line: usize,
        table: String,
    },
    #[error(
        "invalid keymap {file}:{line}: [{context}] key \"{key}\": unknown action \"{action}\""
    )]
    UnknownAction {
        file: String,
        line: usize,
        context: String,
        key: String,
        action: String,
    },
    #[error("invalid keymap {file}:{line}: [{context}] key \"{key}\": malformed key: {reason}")]
    MalformedKey {
        file: String,
        line: usize,
        context: String,
        key: String,
        reason: KeyParseError,
    },
    #[error("invalid keymap {file}:{line}: [{context}] key \"{key}\": {reason}")]
    Conflict {
        file: String,
        line: usize,
        context: String,
        key: String,
        reason: String,
    },
}
