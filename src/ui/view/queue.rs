//! The queue pane: one line per item, in columns that shrink with the width so that 80
//! columns still show what matters (marker, priority, age or SLA, platform, author, text).
//! Presence rides at the end of the text column, only on the rows it concerns: `draft`
//! (ours), `✎bob` (writing a reply), `◉bob` (viewing). Every platform string and every name
//! passes the sanitizer here, at the render boundary.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::app::App;
use super::super::components::presence::{composers, viewers};
use super::super::format::TimeCell;
use super::super::sanitize::{display_width, flat_line, one_line, pad_to};
use super::super::theme::Theme;
use super::detail::{VIEWING, WRITING};
use crate::model::{Item, Kind, Priority, Status};

/// Column widths for one pane width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    pub kind: bool,
    pub author: usize,
    pub text: usize,
    pub tags: usize,
    pub assignee: usize,
}

/// Marker, status, space, priority (2), time (5), space, badge (2), space.
const LEAD: usize = 1 + 1 + 1 + 2 + 5 + 1 + 2 + 1;

impl Columns {
    pub fn for_width(width: u16) -> Columns {
        let width = usize::from(width);
        let (author, tags, assignee) = match width {
            w if w >= 160 => (20, 24, 12),
            w if w >= 120 => (16, 18, 10),
            w if w >= 100 => (14, 12, 8),
            w if w >= 80 => (12, 9, 6),
            w if w >= 60 => (10, 0, 0),
            _ => (8, 0, 0),
        };
        let kind = width >= 60;
        let optional = |w: usize| if w > 0 { w + 1 } else { 0 };
        let used =
            LEAD + if kind { 3 } else { 0 } + author + 1 + optional(tags) + optional(assignee);
        Columns {
            kind,
            author,
            text: width.saturating_sub(used),
            tags,
            assignee,
        }
    }
}

/// Draws the visible rows of the queue.
pub fn draw_queue(app: &App, frame: &mut Frame, area: Rect) {
    let queue = &app.queue;
    if queue.loaded && queue.end == Some(0) {
        let message = if app.tabs.filter.is_empty() {
            "Nothing here: this view is empty.".to_string()
        } else {
            format!(
                "Nothing matches the filter ({}).",
                one_line(&app.tabs.filter, 40)
            )
        };
        let line = Line::styled(message, app.theme.dim());
        frame.render_widget(Paragraph::new(line).centered(), area);
        return;
    }
    let columns = Columns::for_width(area.width);
    let lines: Vec<Line> = (0..usize::from(area.height))
        .map(|row| queue.scroll + row)
        .map(|index| match queue.item_at(index) {
            Some(item) => {
                let selected = queue.selected.contains_key(&item.id);
                let line = row_line(item, &columns, selected, app);
                if index == queue.cursor {
                    line.style(app.theme.cursor_row())
                } else {
                    line
                }
            }
            None if queue.end.is_none_or(|end| index < end)
                && (queue.is_loading() || !queue.loaded) =>
            {
                Line::styled(
                    pad_to("  … loading", usize::from(area.width)),
                    app.theme.dim(),
                )
            }
            None => Line::default(),
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// One item as a queue line, exactly `columns` wide.
pub fn row_line(item: &Item, columns: &Columns, selected: bool, app: &App) -> Line<'static> {
    let theme = &app.theme;
    let mut spans = vec![
        if selected {
            Span::styled("*", theme.selected_mark())
        } else {
            Span::raw(" ")
        },
        status_marker(item.status, theme),
        Span::raw(" "),
        priority_marker(item.priority, theme),
        time_span(item, app),
        Span::raw(" "),
        Span::styled(
            item.platform.badge().to_string(),
            theme.badge(&item.platform),
        ),
        Span::raw(" "),
    ];
    if columns.kind {
        spans.push(Span::styled(kind_label(item.kind), theme.dim()));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(
        author_cell(item, columns.author),
        theme.author(),
    ));
    spans.push(Span::raw(" "));
    let marks = presence_marks(item, columns.text / 3, app);
    let room = columns.text
        - marks
            .iter()
            .map(|s| display_width(&s.content))
            .sum::<usize>();
    spans.push(Span::raw(pad_to(&flat_line(&item.text, room), room)));
    spans.extend(marks);
    if columns.tags > 0 {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(tags_cell(item, columns.tags), theme.tag()));
    }
    if columns.assignee > 0 {
        spans.push(Span::raw(" "));
        let assignee = item
            .assignee
            .as_deref()
            .map(|a| format!("→{}", one_line(a, columns.assignee - 1)))
            .unwrap_or_default();
        spans.push(Span::styled(
            pad_to(&assignee, columns.assignee),
            theme.assignee(),
        ));
    }
    Line::from(spans)
}

/// The presence marks of a row, at most `max` columns: our draft, then who writes a reply,
/// then who views it; `+N` for those that do not fit. Empty when there is nothing to mark.
fn presence_marks(item: &Item, max: usize, app: &App) -> Vec<Span<'static>> {
    let theme = &app.theme;
    let mut marks: Vec<(String, Style)> = Vec::new();
    if app.drafts.contains_key(&item.id) {
        marks.push(("draft".to_string(), theme.key()));
    }
    for name in composers(&app.online, &app.me, item.id) {
        marks.push((format!("{WRITING}{}", one_line(name, 8)), theme.sla_due()));
    }
    for name in viewers(&app.online, &app.me, item.id) {
        marks.push((format!("{VIEWING}{}", one_line(name, 8)), theme.ok()));
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for (n, (text, style)) in marks.iter().enumerate() {
        let rest = marks.len() - n - 1;
        let more = if rest > 0 {
            format!(" +{rest}").len()
        } else {
            0
        };
        let width = 1 + display_width(text);
        if used + width + more > max {
            let left = format!(" +{}", marks.len() - n);
            if used + left.len() <= max {
                spans.push(Span::styled(left, theme.dim()));
            }
            break;
        }
        spans.push(Span::raw(" "));
        spans.push(Span::styled(text.clone(), *style));
        used += width;
    }
    spans
}

fn status_marker(status: Status, theme: &Theme) -> Span<'static> {
    match status {
        Status::New => Span::styled("●", theme.unread()),
        Status::Open => Span::raw(" "),
        Status::Pending => Span::styled("…", theme.dim()),
        Status::Escalated => Span::styled("▲", theme.priority(Priority::Urgent)),
        Status::Resolved => Span::styled("✓", theme.ok()),
        Status::Spam => Span::styled("×", theme.dim()),
    }
}

fn priority_marker(priority: Priority, theme: &Theme) -> Span<'static> {
    let text = match priority {
        Priority::Urgent => "!!",
        Priority::High => "! ",
        Priority::Normal => "  ",
        Priority::Low => "↓ ",
    };
    Span::styled(text, theme.priority(priority))
}

fn time_span(item: &Item, app: &App) -> Span<'static> {
    let cell = TimeCell::of(item, app.now);
    let style: Style = match cell {
        TimeCell::Age(_) => app.theme.dim(),
        TimeCell::Due(_) => app.theme.sla_due(),
        TimeCell::Overdue(_) => app.theme.sla_over(),
    };
    Span::styled(format!("{:>5}", cell.text()), style)
}

pub fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Comment => "cmt",
        Kind::Dm => "dm ",
        Kind::Mention => "@  ",
    }
}

/// `@handle` (or the display name when the platform gave no handle), padded.
pub fn author_cell(item: &Item, width: usize) -> String {
    let author = if item.author.handle.trim().is_empty() {
        one_line(&item.author.name, width)
    } else {
        format!(
            "@{}",
            one_line(&item.author.handle, width.saturating_sub(1))
        )
    };
    pad_to(&author, width)
}

fn tags_cell(item: &Item, width: usize) -> String {
    let tags: Vec<String> = item
        .tags
        .iter()
        .map(|t| format!("#{}", one_line(t, width)))
        .collect();
    pad_to(&one_line(&tags.join(" "), width), width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fill_the_width_and_shrink_gracefully() {
        for width in [40u16, 60, 80, 100, 120, 200] {
            let c = Columns::for_width(width);
            let optional = |w: usize| if w > 0 { w + 1 } else { 0 };
            let total = LEAD
                + if c.kind { 3 } else { 0 }
                + c.author
                + 1
                + c.text
                + optional(c.tags)
                + optional(c.assignee);
            assert_eq!(total, usize::from(width), "{width}: {c:?}");
            assert!(
                c.text >= usize::from(width) / 4,
                "{width}: text too narrow: {c:?}"
            );
        }
    }
}
