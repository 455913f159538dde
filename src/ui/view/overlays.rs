//! The windows drawn over the panes: the help overlay (every binding of the context, from
//! the keymap and the action descriptions), the command palette and the which-key hint.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::super::action::{Action, Group};
use super::super::app::App;
use super::super::components::{Help, Palette};
use super::super::keymap::Context;
use super::super::keys::sequence_label;
use super::super::sanitize::{display_width, pad_to, sanitize};
use super::super::theme::Theme;

/// A bordered, cleared window of at most `width`×`height` centred horizontally in `area`,
/// `top` rows down.
pub fn popup(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    height: u16,
    top: u16,
    title: String,
    theme: &Theme,
) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height.saturating_sub(top));
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + top,
        width,
        height,
    );
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// What the markers in the queue mean.
const LEGEND: &[&str] = &[
    "● new   … pending   ▲ escalated   ✓ resolved   × spam   * selected",
    "!! urgent   ! high   ↓ low      3h age   ≤12m SLA due in   !5m SLA breached",
];

fn group_title(group: Group) -> &'static str {
    match group {
        Group::Move => "Move",
        Group::Triage => "Triage",
        Group::Select => "Select",
        Group::View => "Views and tools",
        Group::Input => "Editing",
    }
}

/// The help text for a context: legend, then every bound action by group.
pub fn help_lines(app: &App, context: Context, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut lines: Vec<Line<'static>> = LEGEND
        .iter()
        .map(|l| Line::styled(format!(" {l}"), theme.dim()))
        .collect();
    let bindings = app.keymap.bindings(context);
    // Single keys before sequences: `t, space t`.
    let keys_of = |action: Action| -> Vec<String> {
        let mut keys: Vec<_> = bindings.iter().filter(|b| b.action == action).collect();
        keys.sort_by_key(|b| b.keys.len());
        keys.iter().map(|b| sequence_label(&b.keys)).collect()
    };
    let mut group = None;
    for action in Action::ALL {
        let (keys, name, description) = match folded_tabs(*action, &keys_of) {
            Fold::Skip => continue,
            Fold::Line(keys, name, description) => (keys, name, description),
            Fold::No => (
                keys_of(*action).join(", "),
                action.name(),
                action.description(),
            ),
        };
        if keys.is_empty() {
            continue;
        }
        if group != Some(action.group()) {
            group = Some(action.group());
            lines.push(Line::default());
            lines.push(Line::styled(
                format!(" {}", group_title(action.group())),
                theme.title(),
            ));
        }
        let description_width = width.saturating_sub(37);
        lines.push(Line::from(vec![
            Span::styled(format!("  {}", pad_to(&keys, 18)), theme.key()),
            Span::raw(format!(" {}", pad_to(name, 15))),
            Span::styled(
                format!(" {}", pad_to(description, description_width)),
                theme.dim(),
            ),
        ]));
    }
    lines
}

/// How `tab_1` … `tab_9` appear in the help: one line when each has one key.
enum Fold {
    No,
    Skip,
    Line(String, &'static str, &'static str),
}

fn folded_tabs(action: Action, keys_of: &dyn Fn(Action) -> Vec<String>) -> Fold {
    let Some(index) = action.tab_index() else {
        return Fold::No;
    };
    let tabs: Vec<Vec<String>> = Action::ALL
        .iter()
        .filter(|a| a.tab_index().is_some())
        .map(|a| keys_of(*a))
        .collect();
    if !tabs.iter().all(|keys| keys.len() == 1) {
        return Fold::No;
    }
    if index > 0 {
        return Fold::Skip;
    }
    let range = format!("{} … {}", tabs[0][0], tabs[tabs.len() - 1][0]);
    Fold::Line(range, "tab_1 … tab_9", "Go to view tab 1 … 9")
}

pub fn draw_help(app: &App, help: &Help, frame: &mut Frame, area: Rect) {
    let width = area.width.min(100);
    let title = format!(
        " Keys: {} (keymap {}) ",
        help.context.name(),
        app.keymap.name
    );
    let inner = popup(frame, area, width, area.height, 0, title, &app.theme);
    let lines = help_lines(app, help.context, usize::from(inner.width));
    let rows = usize::from(inner.height);
    let scroll = help.scroll.min(lines.len().saturating_sub(rows));
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(rows).collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

pub fn draw_palette(app: &App, palette: &Palette, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let width = area.width.saturating_sub(4).min(90);
    let height = (palette.matches.len() as u16 + 3).clamp(4, 16);
    let inner = popup(frame, area, width, height, 1, " Command ".into(), theme);
    let input = Line::from(vec![
        Span::styled(": ", theme.key()),
        Span::raw(sanitize(palette.input.text()).into_owned()),
    ]);
    frame.render_widget(Paragraph::new(input), Rect { height: 1, ..inner });
    let rows = usize::from(inner.height.saturating_sub(1));
    let first = palette.selected.saturating_sub(rows.saturating_sub(1));
    let context = app.pane_context();
    let lines: Vec<Line> = palette
        .matches
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(index, m)| {
            let keys = app
                .keymap
                .keys_for(context, m.action)
                .map(|k| sequence_label(&k))
                .unwrap_or_default();
            let mut spans = name_spans(m.action.name(), &m.name_hits, theme);
            spans.push(Span::raw(
                " ".repeat(16usize.saturating_sub(m.action.name().len())),
            ));
            spans.push(Span::styled(pad_to(&keys, 10), theme.key()));
            spans.push(Span::styled(
                format!(" {}", m.action.description()),
                theme.dim(),
            ));
            let line = Line::from(spans);
            if index == palette.selected {
                line.style(theme.cursor_row())
            } else {
                line
            }
        })
        .collect();
    let list = Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1),
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), list);
    let typed: String = palette
        .input
        .text()
        .chars()
        .take(palette.input.cursor())
        .collect();
    cursor_after(frame, inner, 2 + display_width(&sanitize(&typed)) as u16);
}

/// An action name with its fuzzy-matched characters highlighted.
fn name_spans(name: &'static str, hits: &[usize], theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = vec![Span::raw(" ")];
    for (index, c) in name.chars().enumerate() {
        let style = if hits.contains(&index) {
            theme.highlight()
        } else {
            theme.plain()
        };
        spans.push(Span::styled(c.to_string(), style));
    }
    spans
}

/// Puts the terminal cursor in an input line.
pub fn cursor_after(frame: &mut Frame, line: Rect, column: u16) {
    if line.width > 0 && line.height > 0 {
        frame.set_cursor_position((line.x + column.min(line.width - 1), line.y));
    }
}

/// The continuations of the pending key sequence, in the bottom right corner.
pub fn draw_which_key(app: &App, frame: &mut Frame, body: Rect) {
    let prefix = &app.pending.keys;
    let continuations = app.keymap.continuations(app.context(), prefix);
    if continuations.is_empty() {
        return;
    }
    let lines: Vec<Line> = continuations
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(
                    format!(" {:<8}", sequence_label(&b.keys[prefix.len()..])),
                    app.theme.key(),
                ),
                Span::raw(b.action.name()),
            ])
        })
        .collect();
    let width = 34.min(body.width);
    let height = (lines.len() as u16 + 2).min(body.height);
    let rect = Rect::new(
        body.right().saturating_sub(width),
        body.bottom().saturating_sub(height),
        width,
        height,
    );
    frame.render_widget(Clear, rect);
    let title = format!(" {} … ", sequence_label(prefix));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border())
        .title(Span::styled(title, app.theme.title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
}
