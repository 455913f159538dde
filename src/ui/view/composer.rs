//! The reply composer, drawn over the detail pane: a title (who the reply goes to, whether
//! the hub keeps the draft), the item and its thread above, the input below with the
//! cursor, the length counter and a Meta DM's messaging window ([`super::reply_checks`]),
//! and a status line (what the keys do, the review question, sending, a refusal).
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
use super::super::sanitize::{display_width, one_line, wrap_max};
use super::flat;
use super::overlays::popup;
use super::reply_checks::{counter_title, first_fitting, review_question, window_line};

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
    // Title, thread, then the input: a rule, the window line (Meta DMs), the text, the
    // status (a refusal may take a few lines).
    let window_rows = u16::from(app.reply_window().is_some());
    let status_rows = status_lines(app, composer, area.width).len() as u16;
    let input_height = (shown_rows + 1 + window_rows + status_rows).min(area.height - 1);
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
    let title = " your reply ";
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme.border())
        .title(Span::styled(title, theme.title()))
        .title_top(counter_title(app, composer, area.width, title.len()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // The text keeps one row at least; the window line needs room for it and a status.
    let window = window_line(app, inner.width).filter(|_| inner.height >= 3);
    let window_rows = u16::from(window.is_some());
    let status = status_lines(app, composer, inner.width);
    let status_rows = (status.len() as u16)
        .min(inner.height.saturating_sub(window_rows + 1))
        .max(1);
    let text_area = Rect {
        y: inner.y + window_rows,
        height: inner.height.saturating_sub(window_rows + status_rows),
        ..inner
    };
    if let Some(line) = window {
        frame.render_widget(Paragraph::new(line), Rect { height: 1, ..inner });
    }
    let status_area = Rect {
        y: text_area.bottom(),
        height: status_rows,
        ..inner
    };
    frame.render_widget(Paragraph::new(status), status_area);
    if text_area.height > 0 {
        draw_text(composer, frame, text_area);
    }
}

/// The typed text from the row that keeps the cursor in view, and the cursor.
fn draw_text(composer: &Composer, frame: &mut Frame, text_area: Rect) {
    let width = usize::from(text_area.width - 2);
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
    if composer.stage == Stage::Editing {
        let x = text_area.x + 1 + (cursor_col as u16).min(text_area.width - 2);
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

/// What the keys do while editing, as much as fits.
fn editing_hint(app: &App, composer: &Composer, room: usize) -> String {
    let [newline, send, editor, close] = [
        Action::Newline,
        Action::Send,
        Action::EditExternal,
        Action::Cancel,
    ]
    .map(|action| key(app, Context::Reply, action));
    let hint = first_fitting(
        vec![
            format!("{newline} new line · {send} send · {editor} $EDITOR · {close} close, the draft is kept"),
            format!("{newline} new line · {send} send · {editor} $EDITOR · {close} close"),
            format!("{newline} new line · {send} send · {close} close, the draft is kept"),
        ],
        room,
    );
    match composer.keeps_draft() {
        true => hint,
        // An outbox entry's edits are no draft.
        false => hint.replace(", the draft is kept", ""),
    }
}

/// Lines a refusal may take under the text.
const MAX_ERROR_ROWS: usize = 3;

/// What the keys do now, the review question, or what went wrong (wrapped: a refusal
/// says why in full).
fn status_lines(app: &App, composer: &Composer, width: u16) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let room = usize::from(width).saturating_sub(2);
    let (text, style) = match &composer.stage {
        Stage::Editing => match &composer.error {
            Some(error) => {
                return wrap_max(error, room.max(1), MAX_ERROR_ROWS)
                    .lines
                    .into_iter()
                    .map(|line| Line::from(Span::styled(format!(" {line}"), theme.error())))
                    .collect();
            }
            None => (editing_hint(app, composer, room), theme.dim()),
        },
        Stage::Review => (
            review_question(
                composer,
                (
                    key(app, Context::Confirm, Action::Confirm),
                    key(app, Context::Confirm, Action::Cancel),
                ),
                room,
            ),
            theme.key(),
        ),
        Stage::Sending => ("sending…".to_string(), theme.dim()),
        Stage::Conflict { .. } => (
            "not sent: the item changed since you opened it".to_string(),
            theme.error(),
        ),
    };
    vec![Line::from(Span::styled(
        format!(" {}", one_line(&text, room)),
        style,
    ))]
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
