//! The handoff overlay: who handed over and when, the numbers of their shift, their note and
//! the notes written during the shift. Names and notes are user text: every one goes
//! through the sanitizer.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::app::App;
use super::super::components::HandoffView;
use super::super::format::{compact, timestamp};
use super::super::sanitize::{one_line, pad_to, wrap};
use super::super::theme::Theme;
use super::overlays::popup;
use crate::model::Handoff;

/// The overlay's widest.
const MAX_WIDTH: u16 = 80;

pub fn draw_handoff(app: &App, view: &HandoffView, frame: &mut Frame, area: Rect) {
    let handoff = &view.handoff;
    let width = area.width.min(MAX_WIDTH);
    let text_width = usize::from(width.saturating_sub(2));
    let lines = handoff_lines(handoff, text_width, &app.theme);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let title = format!(
        " Handoff from {} · {} ({} ago) ",
        one_line(&handoff.author, 24),
        timestamp(handoff.at),
        compact(app.now - handoff.at)
    );
    let inner = popup(frame, area, width, height, 1, title, &app.theme);
    let rows = usize::from(inner.height);
    let scroll = view.scroll.min(lines.len().saturating_sub(rows));
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(rows).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

/// The overlay's text at `width` columns.
pub fn handoff_lines(handoff: &Handoff, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let c = &handoff.counts;
    let mut lines = vec![
        Line::styled(
            format!(
                " Since {} ({})",
                timestamp(handoff.since),
                compact(handoff.at - handoff.since)
            ),
            theme.dim(),
        ),
        Line::default(),
        count_row(("New", c.new), ("Handled", c.handled), theme),
        count_row(("Open", c.open), ("Escalated", c.escalated), theme),
        count_row(("Near SLA", c.near_sla), ("Past SLA", c.past_sla), theme),
    ];
    if let Some(note) = &handoff.note {
        lines.push(Line::default());
        lines.push(Line::styled(" Note", theme.title()));
        for row in wrap(note, width.saturating_sub(3)) {
            lines.push(Line::raw(format!("   {row}")));
        }
    }
    if !handoff.notes.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled(" Notes during the shift", theme.title()));
        for note in &handoff.notes {
            lines.push(Line::from(vec![
                Span::styled(format!("   {} ", note.at.format("%H:%M")), theme.dim()),
                Span::styled(pad_to(&note.by, 12), theme.assignee()),
                Span::raw(format!(
                    " {}",
                    one_line(&note.text, width.saturating_sub(22))
                )),
            ]));
        }
    }
    lines
}

/// Two labelled numbers side by side.
fn count_row(left: (&str, u64), right: (&str, u64), theme: &Theme) -> Line<'static> {
    let cell = |(label, n): (&str, u64)| {
        vec![
            Span::styled(format!(" {label:<10}"), theme.dim()),
            Span::styled(format!("{n:>6}    "), theme.bold()),
        ]
    };
    let mut spans = cell(left);
    spans.extend(cell(right));
    Line::from(spans)
}
