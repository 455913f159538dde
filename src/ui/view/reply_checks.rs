//! The composer's checks on screen: the length counter on the right of the input's rule
//! (`212/280 weighted characters`, amber near the limit, red and `(-12)` over it), the
//! messaging window line above the text of a Meta DM, and the review question with the
//! count and, on X, what the reply costs. Shortened, never cut mid-word, when the pane is narrow.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::super::app::App;
use super::super::components::{Composer, Level};
use super::super::sanitize::{display_width, one_line};
use super::super::theme::Theme;
use crate::responses::cost;

/// The style of a count or a window at `level`.
fn style(theme: &Theme, level: Level) -> Style {
    match level {
        Level::Fine => theme.dim(),
        Level::Near => theme.warning(),
        Level::Over => theme.error(),
    }
}

/// The counter, right-aligned on the input's rule of `width` columns, next to a title of
/// `title_cols`: the unit spelled out when there is room.
pub fn counter_title(
    app: &App,
    composer: &Composer,
    width: u16,
    title_cols: usize,
) -> Line<'static> {
    let counter = composer.counter();
    let room = usize::from(width).saturating_sub(title_cols + 4);
    let long = format!(" {} ", counter.label(false));
    let label = match display_width(&long) <= room {
        true => long,
        false => format!(" {} ", counter.label(true)),
    };
    Line::from(Span::styled(label, style(&app.theme, counter.level))).right_aligned()
}

/// " messaging window: 3h 12m left", for a reply that has a window.
pub fn window_line(app: &App, width: u16) -> Option<Line<'static>> {
    let line = app.reply_window_line()?;
    let room = usize::from(width).saturating_sub(2);
    Some(Line::from(Span::styled(
        format!(" {}", one_line(&line.text, room)),
        style(&app.theme, line.level),
    )))
}

/// "Send to @claire on x? public reply · 212/280 weighted characters · costs $0.20 (has a
/// link) · y / n" (the cost only where the platform bills the reply: X), the longest form
/// that fits in `room` columns.
pub fn review_question(composer: &Composer, keys: (String, String), room: usize) -> String {
    let (yes, no) = keys;
    let item = &composer.item;
    let to = format!(
        "{} @{} on {}?",
        composer.sends.verb(),
        one_line(&item.author.handle, 24),
        one_line(item.platform.as_str(), 16)
    );
    let counter = composer.counter();
    let answers = format!("{yes} / {no}");
    let channel = composer.channel();
    let text = composer.text.text();
    let price = cost::cost(
        &item.platform,
        cost::Action::Reply {
            kind: item.kind,
            text: &text,
        },
    );
    let (cost_long, cost_short) = match price {
        Some(price) => (
            format!(" · {}", price.describe()),
            format!(" · {}", cost::price(price.micros)),
        ),
        None => (String::new(), String::new()),
    };
    first_fitting(
        vec![
            format!(
                "{to} {channel} · {}{cost_long} · {answers}",
                counter.count(false)
            ),
            format!(
                "{to} {channel} · {}{cost_long} · {answers}",
                counter.count(true)
            ),
            format!(
                "{to} {channel} · {}{cost_short} · {answers}",
                counter.count(true)
            ),
            format!("{to} {}{cost_short} · {answers}", counter.count(true)),
        ],
        room,
    )
}

/// The first of `forms` (longest first) that fits in `room` columns, else the last.
pub fn first_fitting(forms: Vec<String>, room: usize) -> String {
    let last = forms.len().saturating_sub(1);
    let at = forms
        .iter()
        .position(|form| display_width(form) <= room)
        .unwrap_or(last);
    forms.into_iter().nth(at).unwrap_or_default()
}
