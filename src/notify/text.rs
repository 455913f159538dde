//! What a notice says on each channel, made safe: platform text is untrusted, so everything
//! quoted passes the terminal sanitizer (no escape sequences, controls shown as glyphs, no
//! bidi or invisible characters), and each channel's own escaping comes on top (Slack's
//! `&`, `<`, `>`; one-line, bounded subjects so nothing can add a mail header).

use crate::model::{Delivery, Item};
use crate::ui::sanitize::{flat_line, sanitize};

/// Longest subject line, in columns.
const SUBJECT_COLS: usize = 150;
/// Longest quoted body or item text, in characters.
const QUOTE_CHARS: usize = 2000;

/// The email subject: the notice's title on one clean, bounded line.
pub fn subject(title: &str) -> String {
    let line = flat_line(title, SUBJECT_COLS);
    if line.is_empty() {
        "switchboard notice".to_string()
    } else {
        line
    }
}

/// The plain-text email body: title, body, and the item quoted with where it came from.
pub fn plain_body(delivery: &Delivery, item: Option<&Item>) -> String {
    let notice = &delivery.notice;
    let mut out = format!("{}\n", subject(&notice.title));
    let body = clean(&notice.body);
    if !body.is_empty() {
        out.push('\n');
        out.push_str(&body);
        out.push('\n');
    }
    if let Some(item) = item {
        out.push('\n');
        out.push_str(&about(item));
        out.push_str(":\n");
        out.push_str(&clean(&item.text));
        out.push('\n');
        if let Some(url) = &item.url {
            out.push_str(&flat_line(url, 300));
            out.push('\n');
        }
    } else if let Some(id) = notice.item {
        out.push_str(&format!("\nItem {id}\n"));
    }
    out.push_str(&format!(
        "\n-- \nswitchboard, {} notice to {} (delivery {})\n",
        notice.kind.as_str(),
        delivery.channel,
        delivery.id
    ));
    out
}

/// The text of a Slack/Mattermost message: the title in bold, the body, the item quoted.
pub fn slack_text(delivery: &Delivery, item: Option<&Item>) -> String {
    let notice = &delivery.notice;
    let mut out = format!("*{}*", slack_escape(&subject(&notice.title)));
    let body = clean(&notice.body);
    if !body.is_empty() {
        out.push('\n');
        out.push_str(&slack_escape(&body));
    }
    if let Some(item) = item {
        out.push_str(&format!("\n{}:", slack_escape(&about(item))));
        for line in clean(&item.text).lines() {
            out.push_str(&format!("\n> {}", slack_escape(line)));
        }
        if let Some(url) = &item.url {
            out.push_str(&format!("\n<{}>", slack_escape(&flat_line(url, 300))));
        }
    }
    out
}

/// "Item ID on x (acme), from Claire (@claire)", cleaned.
fn about(item: &Item) -> String {
    format!(
        "Item {} on {} ({}), from {} (@{})",
        item.id,
        item.platform,
        flat_line(&item.account, 60),
        flat_line(&item.author.name, 60),
        flat_line(&item.author.handle, 60)
    )
}

/// Untrusted text made safe and bounded, line breaks kept.
fn clean(text: &str) -> String {
    let safe = sanitize(text);
    let mut out: String = safe.chars().take(QUOTE_CHARS).collect();
    if safe.chars().nth(QUOTE_CHARS).is_some() {
        out.push('…');
    }
    out.trim().to_string()
}

/// Slack's control characters in message text.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Notice, NoticeKind};

    fn delivery(title: &str, body: &str) -> Delivery {
        let notice = Notice {
            kind: NoticeKind::Escalated,
            at: chrono::Utc::now(),
            title: title.into(),
            body: body.into(),
            item: None,
            channels: vec!["c".into()],
            users: Vec::new(),
        };
        Delivery::new("c", notice, chrono::Utc::now())
    }

    #[test]
    fn a_hostile_subject_stays_one_clean_line() {
        let s = subject("Legal\r\nBcc: victim@evil.test\x1b]0;pwn\x07 \u{202e}gnp.exe");
        assert!(
            !s.contains(['\r', '\n', '\x1b', '\x07', '\u{202e}']),
            "{s:?}"
        );
        assert!(s.starts_with("Legal Bcc: victim@evil.test"), "{s:?}");
        assert_eq!(subject("\n\n"), "switchboard notice");
        assert!(subject(&"x".repeat(1000)).chars().count() <= SUBJECT_COLS);
    }

    #[test]
    fn slack_text_escapes_links_and_mentions() {
        let d = delivery("<!channel> & co", "see <https://evil.test|bank>\x1b[31m");
        let text = slack_text(&d, None);
        assert_eq!(
            text,
            "*&lt;!channel&gt; &amp; co*\nsee &lt;https://evil.test|bank&gt;"
        );
    }

    #[test]
    fn the_plain_body_keeps_lines_and_drops_escapes() {
        let d = delivery("t", "line one\nline two\x1b]52;c;Zm9v\x07");
        let body = plain_body(&d, None);
        assert!(body.contains("line one\nline two"), "{body}");
        assert!(!body.contains('\x1b') && !body.contains('\x07'), "{body:?}");
    }
}
