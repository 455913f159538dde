//! How the command line prints: JSON lines that are safe to show in a terminal, one-line
//! human tables with platform text sanitized, and small formatting helpers.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::Item;
use crate::ui::sanitize;

/// One JSON value on one line. Besides JSON's own escaping of C0 controls, every character
/// a terminal could act on or hide text with (DEL, C1 controls, bidi controls, zero-width and
/// line-separator characters) is written as a `\uXXXX` escape: the JSON stays equal, and
/// piping `list --json` to a terminal cannot be turned against the reader.
pub fn json_line<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value)
        .unwrap_or_else(|e| format!("{{\"error\":\"cannot encode: {e}\"}}"));
    escape_invisible(&json)
}

fn escape_invisible(json: &str) -> String {
    if !json.chars().any(needs_escape) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if needs_escape(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters outside C0 that JSON leaves raw but a terminal may act on or hide text with.
/// (Only string contents can hold them: JSON syntax itself is ASCII.)
fn needs_escape(c: char) -> bool {
    matches!(c,
        '\u{7f}'..='\u{9f}'
        | '\u{ad}'
        | '\u{34f}'
        | '\u{61c}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e007f}')
}

/// A short, single-line, sanitized excerpt of untrusted text.
pub fn excerpt(text: &str, max_cols: usize) -> String {
    sanitize::one_line(text, max_cols)
}

/// "3m", "5h", "2d": how long ago.
pub fn age(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - at).num_seconds().max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

/// The header of the human `list` table.
pub fn list_header() -> String {
    format!(
        "{:<26}  {:<9} {:<6} {:<9} {:<7} {:<22} {:>4}  TEXT",
        "ID", "STATUS", "PRI", "PLATFORM", "KIND", "AUTHOR", "AGE"
    )
}

/// One human `list` line. Every platform string passes the sanitizer.
pub fn list_line(item: &Item, now: DateTime<Utc>) -> String {
    let author = if item.author.handle.is_empty() {
        &item.author.name
    } else {
        &item.author.handle
    };
    format!(
        "{:<26}  {:<9} {:<6} {:<9} {:<7} {} {:>4}  {}{}",
        item.id,
        item.status.as_str(),
        item.priority.as_str(),
        sanitize::one_line(item.platform.as_str(), 9),
        item.kind.as_str(),
        sanitize::pad_to(&sanitize::one_line(&format!("@{author}"), 22), 22),
        age(item.created_at, now),
        sanitize::one_line(&item.text, 60),
        tags_suffix(item),
    )
}

fn tags_suffix(item: &Item) -> String {
    let mut out = String::new();
    if !item.tags.is_empty() {
        let tags: Vec<_> = item
            .tags
            .iter()
            .map(|t| format!("#{}", sanitize::one_line(t, 24)))
            .collect();
        out.push_str(&format!("  {}", tags.join(" ")));
    }
    if let Some(a) = &item.assignee {
        out.push_str(&format!("  →{}", sanitize::one_line(a, 24)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_escape_what_terminals_act_on_and_stay_equal() {
        let text = "a\u{1b}[2J b\u{9b}2J c\u{202e}d\u{200b}e\u{7f}";
        let line = json_line(&text);
        assert!(line.is_ascii(), "{line}");
        assert!(line.contains("\\u001b") && line.contains("\\u009b") && line.contains("\\u202e"));
        let back: String = serde_json::from_str(&line).unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn astral_invisible_characters_are_escaped_as_surrogate_pairs() {
        let line = json_line(&"tag\u{e0041}");
        assert!(line.contains("\\udb40\\udc41"), "{line}");
        assert_eq!(
            serde_json::from_str::<String>(&line).unwrap(),
            "tag\u{e0041}"
        );
    }
}
