//! What the platform will take of the reply being written, as the composer shows it and
//! checks it before the review question: its length counted the platform's way
//! ([`Counter`]: fine, near the limit, over it) and, for Meta's direct messages, the
//! messaging window at the app's clock ([`WindowLine`]). The rules themselves are
//! `responses::limits` and `responses::window`, the ones the hub enforces.

use chrono::{DateTime, Duration, Utc};

use crate::model::Platform;
use crate::responses::limits::{measure_reply, Length};
use crate::responses::window::Window;

/// How a count or a window stands: drawn plain, amber, red.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Fine,
    /// Within 10% of the length limit; less than an hour left in the window.
    Near,
    /// Over the limit; the window closed.
    Over,
}

/// The reply's length against its platform's limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counter {
    pub length: Length,
    pub level: Level,
}

impl Counter {
    /// `text` counted the way `platform` counts, trimmed as the hub counts it.
    pub fn of(platform: &Platform, text: &str) -> Counter {
        Counter::of_reply(platform, false, text)
    }

    /// The count of a reply, a direct message (`direct`) counted the messaging API's way.
    pub fn of_reply(platform: &Platform, direct: bool, text: &str) -> Counter {
        let length = measure_reply(platform, direct, text.trim());
        let level = match (length.limit, length.left()) {
            (_, Some(left)) if left < 0 => Level::Over,
            (Some(limit), Some(left)) if left as usize <= limit / 10 => Level::Near,
            _ => Level::Fine,
        };
        Counter { length, level }
    }

    /// `212/280 weighted characters`, or `212/280` when `short`.
    pub fn count(&self, short: bool) -> String {
        match (short, self.length.limit) {
            (true, Some(limit)) => format!("{}/{limit}", self.length.used),
            (true, None) => self.length.used.to_string(),
            (false, _) => self.length.describe(),
        }
    }

    /// The count with what is left near the limit and how much too long over it:
    /// `262/280 weighted characters (18 left)`, `292/280 weighted characters (-12)`.
    pub fn label(&self, short: bool) -> String {
        let count = self.count(short);
        match (self.level, self.length.left()) {
            (Level::Near, Some(left)) => format!("{count} ({left} left)"),
            (Level::Over, Some(left)) => format!("{count} ({left})"),
            _ => count,
        }
    }

    /// Why the review question does not come: "too long for x: 292/280 weighted characters
    /// — shorten it by 12".
    pub fn refusal(&self, platform: &Platform) -> Option<String> {
        let over = -self.length.left().filter(|left| *left < 0)?;
        Some(format!(
            "too long for {platform}: {} — shorten it by {over}",
            self.length.describe()
        ))
    }
}

/// The messaging window as the composer shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WindowLine {
    /// "messaging window: 3h 12m left", "messaging window closed 2h 0m ago".
    pub text: String,
    pub level: Level,
}

/// Less time than this left in the window draws it amber.
const WINDOW_CLOSING: Duration = Duration::hours(1);

impl WindowLine {
    /// The line for `window` at `now`; none when the reply has no window.
    pub fn of(window: &Window, now: DateTime<Utc>) -> Option<WindowLine> {
        let text = window.describe(now)?;
        let level = match window {
            Window::Closed { .. } => Level::Over,
            Window::Open { closes_at, .. } if *closes_at - now < WINDOW_CLOSING => Level::Near,
            _ => Level::Fine,
        };
        Some(WindowLine { text, level })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_turn_amber_near_the_limit_and_red_over_it() {
        let fine = Counter::of(&Platform::X, &"a".repeat(212));
        assert_eq!(fine.level, Level::Fine);
        assert_eq!(fine.label(false), "212/280 weighted characters");
        assert_eq!(fine.label(true), "212/280");
        assert_eq!(fine.refusal(&Platform::X), None);
        let near = Counter::of(&Platform::X, &format!("  {}\n", "a".repeat(252)));
        assert_eq!(near.level, Level::Near, "trimmed as the hub trims");
        assert_eq!(near.label(true), "252/280 (28 left)");
        let over = Counter::of(&Platform::X, &"a".repeat(292));
        assert_eq!(over.level, Level::Over);
        assert_eq!(over.label(false), "292/280 weighted characters (-12)");
        assert_eq!(
            over.refusal(&Platform::X).unwrap(),
            "too long for x: 292/280 weighted characters — shorten it by 12"
        );
        let unknown = Counter::of(&Platform::Other("forum".into()), "abc");
        assert_eq!(
            (unknown.level, unknown.label(true)),
            (Level::Fine, "3".into())
        );
    }

    #[test]
    fn the_window_line_warns_in_its_last_hour() {
        let now: DateTime<Utc> = "2026-11-20T12:00:00Z".parse().unwrap();
        let open = |left: Duration| Window::Open {
            closes_at: now + left,
            human_agent: false,
        };
        let line = WindowLine::of(&open(Duration::minutes(192)), now).unwrap();
        assert_eq!(line.text, "messaging window: 3h 12m left");
        assert_eq!(line.level, Level::Fine);
        let closing = WindowLine::of(&open(Duration::minutes(20)), now).unwrap();
        assert_eq!(closing.level, Level::Near);
        let closed = Window::Closed {
            closed_at: now - Duration::hours(2),
        };
        assert_eq!(WindowLine::of(&closed, now).unwrap().level, Level::Over);
        assert_eq!(WindowLine::of(&Window::None, now), None);
    }
}
