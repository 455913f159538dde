//! Escalations on screen: the picker (the configured escalations, name and description,
//! over the panes), the "My escalations" screen (one row per open escalation we own: name,
//! the customer, who escalated, age, when an answer is due, the last answer; the one at the
//! cursor in full below), and the detail pane's section (each escalation of the item and its
//! answers). Names, notes and answers are user or platform text: all of it is sanitized.

use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::super::app::App;
use super::super::components::escalations::EscalationPicker;
use super::super::format::{compact, timestamp};
use super::super::sanitize::{one_line, pad_to, wrap};
use super::super::theme::Theme;
use super::overlays::popup;
use crate::model::{Escalation, EscalationRow};

/// Rows under the list for the escalation at the cursor.
const PREVIEW_ROWS: u16 = 4;

/// The picker, centred over `area`.
pub fn draw_picker(app: &App, picker: &EscalationPicker, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let matches = picker.matches(&app.escalations.targets);
    let width = area.width.saturating_sub(4).min(80);
    let height = (matches.len() as u16 + 3).clamp(4, 14);
    let title = format!(" Escalate {} to ", one_line(&picker.label, 30));
    let inner = popup(frame, area, width, height, 1, title, theme);
    let input = Line::from(vec![
        Span::styled("> ", theme.key()),
        Span::raw(one_line(picker.input.text(), usize::from(inner.width))),
    ]);
    frame.render_widget(Paragraph::new(input), Rect { height: 1, ..inner });
    let rows = usize::from(inner.height.saturating_sub(1));
    let first = picker.selected.saturating_sub(rows.saturating_sub(1));
    let room = usize::from(inner.width);
    let mut lines: Vec<Line> = matches
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(index, target)| {
            let sla = target
                .sla
                .as_deref()
                .map(|s| format!(" · {s}"))
                .unwrap_or_default();
            let line = Line::from(vec![
                Span::styled(pad_to(&one_line(&target.name, 12), 12), theme.tag()),
                Span::styled(
                    pad_to(&one_line(&target.owners.join(","), 14), 14),
                    theme.assignee(),
                ),
                Span::styled(
                    one_line(
                        &format!("{}{sla}", target.description),
                        room.saturating_sub(28),
                    ),
                    theme.dim(),
                ),
            ]);
            match index == picker.selected {
                true => line.style(theme.cursor_row()),
                false => line,
            }
        })
        .collect();
    if matches.is_empty() {
        lines.push(Line::styled("no escalation matches", theme.dim()));
    }
    let list = Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1),
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), list);
}

/// The "My escalations" screen over `area` (the panes).
pub fn draw_screen(app: &App, frame: &mut Frame, area: Rect) {
    if area.height < PREVIEW_ROWS + 2 {
        return;
    }
    frame.render_widget(Clear, area);
    let view = &app.escalations;
    let theme = &app.theme;
    let width = usize::from(area.width);
    let title = format!(" My escalations · {} waiting on me", view.rows.len());
    let title = Line::styled(pad_to(&title, width), theme.bar());
    frame.render_widget(Paragraph::new(title), Rect { height: 1, ..area });
    let list = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height - 1 - PREVIEW_ROWS,
    );
    let first = view
        .cursor
        .saturating_sub(usize::from(list.height).saturating_sub(1));
    let mut lines: Vec<Line> = view
        .rows
        .iter()
        .enumerate()
        .skip(first)
        .take(usize::from(list.height))
        .map(|(index, row)| {
            let line = screen_row(row, app.now, width, theme);
            match index == view.cursor {
                true => line.style(theme.cursor_row()),
                false => line,
            }
        })
        .collect();
    if view.rows.is_empty() {
        let empty = match view.loaded {
            true => " nothing is escalated to you",
            false => " loading escalations…",
        };
        lines.push(Line::styled(empty, theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), list);
    if let Some(row) = view.current() {
        let preview = Rect::new(area.x, list.bottom(), area.width, PREVIEW_ROWS);
        let text = preview_lines(row, width, theme);
        frame.render_widget(Paragraph::new(text), preview);
    }
}

/// `legal  @claire  alice  2h  due 1h  waiting · threatens to sue`
fn screen_row(
    row: &EscalationRow,
    now: DateTime<Utc>,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    let e = &row.escalation;
    let due = match e.due {
        Some(due) if due <= now => (format!("late {}", compact(now - due)), theme.sla_over()),
        Some(due) => (format!("due {}", compact(due - now)), theme.sla_due()),
        None => (String::new(), theme.dim()),
    };
    let last = match e.last_answer() {
        Some(answer) => format!("{} {}", answer.by, answer.kind.words()),
        None => e.state.as_str().to_string(),
    };
    let handle = format!("@{}", row.item.author.handle);
    let used = 1 + 10 + 16 + 10 + 5 + 10 + 3;
    Line::from(vec![
        Span::raw(" "),
        Span::styled(pad_to(&one_line(&e.name, 9), 10), theme.tag()),
        Span::styled(pad_to(&one_line(&handle, 15), 16), theme.author()),
        Span::styled(pad_to(&one_line(&e.by, 9), 10), theme.assignee()),
        Span::styled(format!("{:>4} ", compact(now - e.at)), theme.dim()),
        Span::styled(pad_to(&due.0, 10), due.1),
        Span::raw(one_line(
            &format!("{last} · {}", e.note),
            width.saturating_sub(used),
        )),
    ])
}

/// The escalation at the cursor: the note in full, then the customer's words.
fn preview_lines(row: &EscalationRow, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let e = &row.escalation;
    let mut lines = vec![Line::styled("─".repeat(width), theme.border())];
    lines.push(Line::from(vec![
        Span::styled(format!(" {} escalated: ", one_line(&e.by, 20)), theme.dim()),
        Span::raw(one_line(&e.note, width.saturating_sub(24))),
    ]));
    lines.push(Line::from(vec![
        Span::styled(
            format!(" @{}: ", one_line(&row.item.author.handle, 24)),
            theme.author(),
        ),
        Span::raw(one_line(&row.item.text, width.saturating_sub(30))),
    ]));
    lines
}

/// The detail pane's section: each escalation of the item, its note and its answers.
pub fn detail_section(
    lines: &mut Vec<Line<'static>>,
    escalations: &[Escalation],
    width: usize,
    theme: &Theme,
) {
    if escalations.is_empty() {
        return;
    }
    super::detail::section(
        lines,
        format!("Escalations ({})", escalations.len()),
        width,
        theme,
    );
    for e in escalations {
        let due = e
            .due
            .filter(|_| e.state.is_open())
            .map(|due| format!(" · answer due {}", timestamp(due)))
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("  ▲ {}", one_line(&e.name, 20)), theme.tag()),
            Span::styled(
                format!(" · {} · by {}", e.state, one_line(&e.by, 20)),
                theme.dim(),
            ),
            Span::styled(format!(" · {}{due}", timestamp(e.at)), theme.dim()),
        ]));
        for text in wrap(&e.note, width.saturating_sub(4)) {
            lines.push(Line::raw(format!("    {text}")));
        }
        for answer in &e.answers {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("    {} ", one_line(&answer.by, 20)),
                    theme.assignee(),
                ),
                Span::styled(answer.kind.words(), theme.key()),
                Span::styled(format!(" · {}", timestamp(answer.at)), theme.dim()),
            ]));
            for text in wrap(&answer.text, width.saturating_sub(6)) {
                lines.push(Line::raw(format!("      {text}")));
            }
        }
    }
}
