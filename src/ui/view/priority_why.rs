//! The detail pane's "why this priority": the reasons the hub stored with the item when it
//! arrived (kind, negative words, VIP, repeat contact, SLA, a rule), one per line. Reasons
//! quote platform handles, so every line goes through the sanitizer.

use ratatui::text::{Line, Span};

use super::super::sanitize::one_line;
use super::super::theme::Theme;
use crate::model::Item;

/// Appends the section, when the item has reasons.
pub fn priority_why(lines: &mut Vec<Line<'static>>, item: &Item, width: usize, theme: &Theme) {
    if item.priority_why.is_empty() {
        return;
    }
    super::detail::section(
        lines,
        format!("Why {} priority", item.priority),
        width,
        theme,
    );
    for reason in &item.priority_why {
        lines.push(Line::from(vec![
            Span::styled(" · ", theme.dim()),
            Span::raw(one_line(reason, width.saturating_sub(4))),
        ]));
    }
}
