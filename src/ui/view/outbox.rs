//! The outbox screen, over the panes: a title (the filter, how many wait for approval), one
//! row per entry, newest first (its state in colour, what it does, the item's author, who
//! wrote it, how long it has been in that state, the reason it failed or was turned down,
//! its text), and under the list the entry at the cursor in full. Entry text, reasons and
//! names are user or platform text: all of it goes through the sanitizer.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::super::app::App;
use super::super::components::outbox::{short_id, PREVIEW_ROWS};
use super::super::format::compact;
use super::super::sanitize::{display_width, flat_line, one_line, pad_to, wrap_max};
use super::super::theme::Theme;
use crate::model::{OutboxEntry, OutboxState};

/// Column widths: state, what, the item's author, the entry's author, age.
const STATE: usize = 8;
const WHAT: usize = 7;
const HANDLE: usize = 14;
const AUTHOR: usize = 10;
const AGE: usize = 4;

/// Draws the screen over `area` (the panes).
pub fn draw_outbox(app: &App, frame: &mut Frame, area: Rect) {
    if area.height < PREVIEW_ROWS + 2 {
        return;
    }
    frame.render_widget(Clear, area);
    let view = &app.outbox;
    let visible = view.visible();
    let list = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height - 1 - PREVIEW_ROWS,
    );
    let preview = Rect::new(area.x, list.bottom(), area.width, PREVIEW_ROWS);
    let title = title_line(app, visible.len(), area.width);
    frame.render_widget(Paragraph::new(title), Rect { height: 1, ..area });
    let width = usize::from(area.width);
    let mut lines: Vec<Line> = visible
        .iter()
        .enumerate()
        .skip(view.scroll)
        .take(usize::from(list.height))
        .map(|(index, entry)| {
            let line = row(app, entry, width);
            match index == view.cursor {
                true => line.style(app.theme.cursor_row()),
                false => line,
            }
        })
        .collect();
    if visible.is_empty() {
        lines.push(Line::styled(empty_text(app), app.theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), list);
    if let Some(entry) = view.current() {
        let text = preview_lines(app, entry, width);
        frame.render_widget(Paragraph::new(text), preview);
    }
}

/// ` Outbox · all 12 · 2 to approve`
fn title_line(app: &App, shown: usize, width: u16) -> Line<'static> {
    let theme = &app.theme;
    let filter = match app.outbox.only_held {
        true => "needs approval",
        false => "all",
    };
    let mut spans = vec![Span::styled(
        format!(" Outbox · {filter} {shown}"),
        theme.title(),
    )];
    let held = app.outbox.held();
    if held > 0 {
        spans.push(Span::styled(
            format!(" · {held} to approve"),
            theme.sla_due(),
        ));
    }
    if !app.outbox.loaded {
        spans.push(Span::styled(" · loading…", theme.dim()));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    spans.push(Span::raw(
        " ".repeat(usize::from(width).saturating_sub(used)),
    ));
    Line::from(spans).style(theme.bar())
}

fn empty_text(app: &App) -> &'static str {
    match (app.outbox.loaded, app.outbox.only_held) {
        (false, _) => " loading the outbox…",
        (true, true) => " nothing waits for approval",
        (true, false) => " nothing on its way out: replies and moderation steps show here",
    }
}

/// One entry: state, what, @handle, author, age, then the reason (if any) and the text.
fn row(app: &App, entry: &OutboxEntry, width: usize) -> Line<'static> {
    let theme = &app.theme;
    let handle = match app.outbox.handle(entry.item) {
        Some(handle) => format!("@{handle}"),
        None => short_id(entry.item),
    };
    let age = compact(app.now - entry.updated_at);
    let mut spans = vec![
        Span::raw(" "),
        Span::styled(
            pad_to(entry.state.name(), STATE),
            state_style(&entry.state, theme),
        ),
        Span::raw(" "),
        Span::styled(pad_to(entry.what(), WHAT), theme.dim()),
        Span::raw(" "),
        Span::styled(pad_to(&handle, HANDLE), theme.author()),
        Span::raw(" "),
        Span::styled(pad_to(&entry.author, AUTHOR), theme.assignee()),
        Span::raw(" "),
        Span::styled(format!("{age:>AGE$}"), theme.dim()),
        Span::raw(" "),
    ];
    let used = 6 + STATE + WHAT + HANDLE + AUTHOR + AGE;
    let mut room = width.saturating_sub(used);
    if let Some(reason) = reason(&entry.state) {
        let shown = one_line(&reason, (room / 2).max(1));
        room = room.saturating_sub(display_width(&shown) + 3);
        spans.push(Span::styled(shown, theme.error()));
        spans.push(Span::styled(" · ", theme.dim()));
    }
    spans.push(Span::raw(flat_line(&entry.text, room)));
    Line::from(spans)
}

/// Why an entry did not go out: the platform's reason, or the approver's comment.
fn reason(state: &OutboxState) -> Option<String> {
    match state {
        OutboxState::Failed { reason } => Some(reason.clone()),
        OutboxState::Rejected { reason, by } => Some(format!("{by}: {reason}")),
        _ => None,
    }
}

/// The colour of each state: held asks for attention, failed and rejected are errors.
fn state_style(state: &OutboxState, theme: &Theme) -> Style {
    match state {
        OutboxState::Held => theme.sla_due(),
        OutboxState::Queued { .. } => theme.plain(),
        OutboxState::Sending => theme.key(),
        OutboxState::Sent { .. } => theme.ok(),
        OutboxState::Failed { .. } => theme.error(),
        OutboxState::Rejected { .. } => theme.sla_over(),
    }
}

/// The entry at the cursor: a rule naming it, its text, and its outcome.
fn preview_lines(app: &App, entry: &OutboxEntry, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let about = format!(
        "{} by {} · {} {} ago",
        app.outbox.subject(entry),
        one_line(&entry.author, 20),
        entry.state,
        compact(app.now - entry.updated_at)
    );
    let head = format!("── {} ", one_line(&about, width.saturating_sub(4)));
    let rule = "─".repeat(width.saturating_sub(display_width(&head)));
    let mut lines = vec![Line::styled(format!("{head}{rule}"), theme.title())];
    let outcome = outcome(entry);
    let text_rows = usize::from(PREVIEW_ROWS) - 1 - usize::from(outcome.is_some());
    let wrapped = wrap_max(&entry.text, width.saturating_sub(2), text_rows);
    lines.extend(
        wrapped
            .lines
            .into_iter()
            .map(|l| Line::raw(format!(" {l}"))),
    );
    if let Some((text, failed)) = outcome {
        let style = if failed { theme.error() } else { theme.ok() };
        lines.push(Line::styled(
            format!(" {}", one_line(&text, width.saturating_sub(2))),
            style,
        ));
    }
    lines
}

/// How it ended, when it did: sent where, failed why, turned down by whom and why.
fn outcome(entry: &OutboxEntry) -> Option<(String, bool)> {
    match &entry.state {
        OutboxState::Sent { url: Some(url), .. } => Some((format!("sent: {url}"), false)),
        OutboxState::Sent { remote_id, .. } => Some((format!("sent as {remote_id}"), false)),
        OutboxState::Failed { reason } => Some((format!("failed: {reason}"), true)),
        OutboxState::Rejected { reason, by } => Some((format!("rejected by {by}: {reason}"), true)),
        OutboxState::Queued { retry_at: Some(at) } => Some((
            format!(
                "attempt {} failed; trying again at {}",
                entry.attempts,
                at.format("%H:%M:%S")
            ),
            true,
        )),
        _ => None,
    }
}
