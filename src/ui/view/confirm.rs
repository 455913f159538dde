//! A yes/no question (a moderation step before it goes out) in a window over the panes:
//! the question, what follows from a yes, and the keys that answer it. The question names
//! platform handles: sanitized like all text.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::action::Action;
use super::super::app::App;
use super::super::components::Confirm;
use super::super::keymap::Context;
use super::super::keys::sequence_label;
use super::super::sanitize::wrap;
use super::overlays::popup;

/// The window's widest.
const MAX_WIDTH: u16 = 72;

pub fn draw_confirm(app: &App, confirm: &Confirm, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let width = area.width.min(MAX_WIDTH);
    let room = usize::from(width.saturating_sub(4));
    let mut lines: Vec<Line> = wrap(&confirm.question, room)
        .into_iter()
        .map(|l| Line::styled(format!(" {l}"), theme.bold()))
        .collect();
    lines.extend(
        wrap(&confirm.warning, room)
            .into_iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| Line::styled(format!(" {l}"), theme.sla_due())),
    );
    lines.push(Line::default());
    lines.push(Line::styled(
        format!(
            " {} yes · {} no",
            key(app, Action::Confirm),
            key(app, Action::Cancel)
        ),
        theme.key(),
    ));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let top = area.height.saturating_sub(height) / 2;
    let inner = popup(
        frame,
        area,
        width,
        height,
        top,
        " Are you sure? ".into(),
        theme,
    );
    frame.render_widget(Paragraph::new(lines), inner);
}

fn key(app: &App, action: Action) -> String {
    app.keymap
        .keys_for(Context::Confirm, action)
        .map(|k| sequence_label(&k))
        .unwrap_or_else(|| action.name().to_string())
}
