//! Ringing the terminal for a notice (`Event::Notice`): the bell, and unless
//! `[ui] desktop_notifications = false`, a desktop notification as OSC 9
//! (`ESC ] 9 ; text BEL`: iTerm2, Windows Terminal, kitty, foot, ...) and OSC 777
//! (`ESC ] 777 ; notify ; title ; body BEL`: urxvt, VTE terminals, WezTerm). Both are plain
//! bytes on the terminal's stream, so they pass through SSH.
//!
//! The text comes from platform users (a customer's words in an escalation): it is cleaned to
//! one bounded line by the sanitizer, with every control character left out, so nothing in it
//! can end the sequence early or start another one. `;` separates OSC 777's fields (the
//! title has none) and starts ConEmu's OSC 9 sub-commands (OSC 9's text has none).

use std::io::{self, Write};

use super::sanitize::flat_line;
use crate::model::NoticeKind;

/// Longest title, in columns.
const TITLE_COLS: usize = 80;
/// Longest body, in columns.
const BODY_COLS: usize = 200;

/// Writes alerts to the terminal (or any writer, for tests).
pub struct Alerter<W: Write> {
    out: W,
    /// Also the OSC 9 / OSC 777 desktop notifications (the bell always).
    desktop: bool,
}

impl<W: Write> Alerter<W> {
    pub fn new(out: W, desktop: bool) -> Alerter<W> {
        Alerter { out, desktop }
    }

    /// Rings for one notice and flushes, so it shows now.
    pub fn ring(&mut self, title: &str, body: &str) -> io::Result<()> {
        self.out
            .write_all(&alert_bytes(title, body, self.desktop))?;
        self.out.flush()
    }

    /// The writer (what a test captured).
    pub fn into_inner(self) -> W {
        self.out
    }
}

/// The bytes of one alert: BEL, then OSC 9 and OSC 777 when `desktop`.
pub fn alert_bytes(title: &str, body: &str, desktop: bool) -> Vec<u8> {
    let mut out = vec![0x07];
    if !desktop {
        return out;
    }
    let title = osc_text(title, TITLE_COLS).replace(';', ",");
    let body = osc_text(body, BODY_COLS);
    let text = if body.is_empty() {
        title.clone()
    } else {
        format!("{title}: {body}")
    };
    // No `;` in OSC 9's text either: ConEmu reads `9;4;...` as a progress bar.
    let text = osc_text(&text, BODY_COLS).replace(';', ",");
    out.extend_from_slice(format!("\x1b]9;{text}\x07").as_bytes());
    out.extend_from_slice(format!("\x1b]777;notify;{title};{body}\x07").as_bytes());
    out
}

/// One sanitized line, cut to `cols`, without any control character at all.
fn osc_text(text: &str, cols: usize) -> String {
    flat_line(text, cols)
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

/// How the status bar names a notice.
pub fn label(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Escalated => "escalated",
        NoticeKind::EscalationAnswered => "escalation answered",
        NoticeKind::SlaWarning => "SLA warning",
        NoticeKind::SlaBreached => "SLA breached",
        NoticeKind::Page => "page",
        NoticeKind::Test => "test notice",
    }
}
