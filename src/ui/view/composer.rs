//! The reply composer, drawn over the detail pane: a title (who the reply goes to, whether
//! the hub keeps the draft), the item and its thread above, the input below with the
//! cursor, and a status line (what the keys do, the review question, sending, a refusal).
//! A conflict shows the hub's account of what changed in a warning window. Typed text, the
//! hub's message and platform text are sanitized here like everything else.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::super::action::Action;
use super::super::app::App;
use super::super::components::{Composer, Sends, Stage};
use super::super::keymap::Context;
use super::super::keys::sequence_label;
use super::super::sanitize::{display_width, one_line};
use super::flat;
use super::overlays::popup;

/// Rows of text the input shows at least (more as the reply grows, up to half the pane).
const MIN_TEXT_ROWS: u16 = 2;

/// Draws the composer over `area` (the detail pane).
pub fn draw_composer(app: &App, composer: &Composer, frame: &mut Frame, area: Rect) {
    if area.height < 6 || area.width < 20 {
        return;
    }
    frame.render_widget(Clear, area);
    let text_width = usize::from(area.width - 2);
    let text_rows = composer.text.rows(text_width).len() as u16;
    let most = (area.height / 2).saturating_sub(2).max(MIN_TEXT_ROWS);
    let shown_rows = text_rows.clamp(MIN_TEXT_ROWS, most);
    // Title, thread, then the input: a rule, the text, the status line.
    let input_height = shown_rows + 2;
    let title = Rect { height: 1, ..area };
    let thread = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height - 1 - input_height,
    );
    let input = Rect::new(area.x, thread.bottom(), area.width, input_height);
    frame.render_widget(Paragraph::new(title_line(app, composer, area.width)), title);
    draw_thread(app, composer, frame, thread);
    draw_input(app, composer, frame, input);
    if let Stage::Conflict { message, refreshed } = &composer.stage {
        draw_conflict(app, message, *refreshed, frame, area);
    }
}

/// ` reply to @claire on x · public reply          draft saved`
fn title_line(app: &App, composer: &Composer, width: u16) -> Line<'static> {
    let theme = &app.theme;
    let item = &composer.item;
    let state =
        if !composer.keeps_draft() || (composer.text.is_blank() && composer.saved.is_empty()) {
            ""
        } else if composer.draft_saved() {
            "draft saved "
        } else {
            "draft not saved yet "
        };
    let room = usize::from(width).saturating_sub(state.len() + 2);
    let about = format!(
        "{}reply to @{} on {} · {}",
        match composer.sends {
            Sends::Reply => "",
            Sends::Retry(_) => "retry, corrected: ",
            Sends::Approve(_) => "approve with edits: ",
        },
        one_line(&item.author.handle, 30),
        one_line(item.platform.as_str(), 16),
        composer.channel()
    );
    let left = format!(" {}", one_line(&about, room));
    let gap = usize::from(width).saturating_sub(display_width(&left) + state.len());
    Line::from(vec![
        Span::styled(left, theme.title()),
        Span::raw(" ".repeat(gap)),
        Span::styled(state, theme.dim()),
    ])
}

/// The detail's lines (the item, its thread, notes, history) from the composer's scroll.
fn draw_thread(app: &App, composer: &Composer, frame: &mut Frame, area: Rect) {
    let Some(detail) = &app.detail else {
        return;
    };
    let rows = usize::from(area.height);
    let scroll = composer.scroll.min(detail.lines.len().saturating_sub(rows));
    let lines: Vec<Line> = detail
        .lines
        .iter()
        .skip(scroll)
        .take(rows)
        .cloned()
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_input(app: &App, composer: &Composer, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme.border())
        .title(Span::styled(" your reply ", theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let text_area = Rect {
        height: inner.height - 1,
        ..inner
    };
    let width = usize::from(inner.width - 2);
    let rows = composer.text.rows(width);
    let (cursor_row, cursor_col) = composer.text.cursor_position(width);
    let visible = usize::from(text_area.height);
    let first = cursor_row.saturating_sub(visible.saturating_sub(1));
    let lines: Vec<Line> = rows
        .iter()
        .skip(first)
        .take(visible)
        .map(|row| {
            let text: String = composer.text.lines()[row.line]
                .chars()
                .skip(row.start)
                .take(row.end - row.start)
                .collect();
            Line::raw(format!(" {}", flat(&text)))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), text_area);
    let status = Rect {
        y: inner.bottom() - 1,
        height: 1,
        ..inner
    };
    frame.render_widget(
        Paragraph::new(status_line(app, composer, inner.width)),
        status,
    );
    if composer.stage == Stage::Editing {
        let x = inner.x + 1 + (cursor_col as u16).min(inner.width - 2);
        let y = text_area.y + (cursor_row - first) as u16;
        frame.set_cursor_position((x, y));
    }
}

/// The keys bound to an action in a context, as the help shows them.
fn key(app: &App, context: Context, action: Action) -> String {
    app.keymap
        .keys_for(context, action)
        .map(|k| sequence_label(&k))
        .unwrap_or_else(|| action.name().to_string())
}

/// What the keys do now, the review question, or what went wrong.
fn status_line(app: &App, composer: &Composer, width: u16) -> Line<'static> {
    let theme = &app.theme;
    let room = usize::from(width).saturating_sub(2);
    let (text, style) = match &composer.stage {
        Stage::Editing => match &composer.error {
            Some(error) => (one_line(error, room), theme.error()),
            None => (
                format!(
                    "{} new line · {} send · {} close{}",
                    key(app, Context::Reply, Action::Newline),
                    key(app, Context::Reply, Action::Send),
                    key(app, Context::Reply, Action::Cancel),
                    match composer.keeps_draft() {
                        true => ", the draft is kept",
                        false => "",
                    },
                ),
                theme.dim(),
            ),
        },
        Stage::Review => (
            format!(
                "{} @{} on {}? {} yes · {} no",
                composer.sends.verb(),
                one_line(&composer.item.author.handle, 24),
                one_line(composer.item.platform.as_str(), 16),
                key(app, Context::Confirm, Action::Confirm),
                key(app, Context::Confirm, Action::Cancel),
            ),
            theme.key(),
        ),
        Stage::Sending => ("sending…".to_string(), theme.dim()),
        Stage::Conflict { .. } => (
            "not sent: the item changed since you opened it".to_string(),
            theme.error(),
        ),
    };
    Line::from(Span::styled(format!(" {}", one_line(&text, room)), style))
}

/// The hub's account of what changed, and the choice: send anyway or go back to editing,
/// in a window over the lower part of the pane.
fn draw_conflict(app: &App, message: &str, refreshed: bool, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let width = area.width.min(90);
    let room = usize::from(width.saturating_sub(4));
    let mut lines: Vec<Line> = message
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, l)| match n {
            0 => Line::styled(format!(" {}", one_line(l, room)), theme.error()),
            _ => Line::raw(format!("   {}", one_line(l, room))),
        })
        .collect();
    lines.push(Line::default());
    lines.push(if refreshed {
        Line::styled(
            format!(
                " {} send anyway · {} back to editing",
                key(app, Context::Confirm, Action::Confirm),
                key(app, Context::Confirm, Action::Cancel),
            ),
            theme.key(),
        )
    } else {
        Line::styled(" loading the item as it is now…", theme.dim())
    });
    // At the bottom of the pane: the item's facts (status, tags, assignee) stay in view.
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(3));
    let top = area.height - height;
    let inner = popup(frame, area, width, height, top, " Not sent ".into(), theme);
    frame.render_widget(Paragraph::new(lines), inner);
}
