//! The finder window and the prompt line. Find results show the matched characters
//! highlighted: the hub reports them as char indices into the raw text, so the text is cut
//! into runs of matched and unmatched characters, and each run is sanitized on its own
//! before it becomes a span (nothing unsafe survives, whatever the indices).

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::super::app::App;
use super::super::components::{Find, Prompt};
use super::super::sanitize::{display_width, one_line, sanitize};
use super::overlays::{cursor_after, popup};
use crate::hub::protocol::FindHit;

/// Characters of context shown before the first match in a long text.
const LEAD_IN: usize = 12;

/// Spans for `raw[start..]` with the chars at `matches` highlighted, `max_cols` wide at most.
pub fn highlighted(
    raw: &str,
    matches: &[usize],
    start: usize,
    max_cols: usize,
    base: Style,
    hit: Style,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut used = 0;
    let mut run = String::new();
    let mut run_is_hit = false;
    let flush =
        |run: &mut String, is_hit: bool, used: &mut usize, spans: &mut Vec<Span<'static>>| {
            if run.is_empty() {
                return;
            }
            let clean = sanitize(run).into_owned();
            let room = max_cols.saturating_sub(*used);
            let piece = if display_width(&clean) > room {
                one_line(&clean, room)
            } else {
                clean
            };
            *used += display_width(&piece);
            spans.push(Span::styled(piece, if is_hit { hit } else { base }));
            run.clear();
        };
    // Enough raw chars to fill the width several times over, whatever gets removed.
    for (index, c) in raw.chars().enumerate().skip(start).take(max_cols * 4 + 64) {
        if used >= max_cols {
            break;
        }
        let is_hit = matches.binary_search(&index).is_ok();
        if is_hit != run_is_hit {
            flush(&mut run, run_is_hit, &mut used, &mut spans);
            run_is_hit = is_hit;
        }
        run.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    flush(&mut run, run_is_hit, &mut used, &mut spans);
    spans
}

fn hit_line(app: &App, hit: &FindHit, width: usize) -> Line<'static> {
    let theme = &app.theme;
    let item = &hit.item;
    let mut text_matches = hit.text_matches.clone();
    text_matches.sort_unstable();
    let mut handle_matches = hit.handle_matches.clone();
    handle_matches.sort_unstable();
    let mut spans = vec![
        Span::styled(
            format!(" {} ", item.platform.badge()),
            theme.badge(&item.platform),
        ),
        Span::styled("@", theme.author()),
    ];
    let handle = highlighted(
        &item.author.handle,
        &handle_matches,
        0,
        18,
        theme.author(),
        theme.highlight(),
    );
    let handle_width: usize = handle.iter().map(|s| display_width(&s.content)).sum();
    spans.extend(handle);
    spans.push(Span::raw(" ".repeat(19usize.saturating_sub(handle_width))));
    let start = text_matches
        .first()
        .map_or(0, |first| first.saturating_sub(LEAD_IN));
    if start > 0 {
        spans.push(Span::styled("…", theme.dim()));
    }
    let room = width.saturating_sub(24);
    spans.extend(highlighted(
        &item.text,
        &text_matches,
        start,
        room,
        theme.plain(),
        theme.highlight(),
    ));
    Line::from(spans)
}

pub fn draw_find(app: &App, find: &Find, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let inner = popup(
        frame,
        area,
        area.width,
        area.height,
        0,
        " Find ".into(),
        theme,
    );
    if inner.height < 2 {
        return;
    }
    let status = if let Some(error) = &find.error {
        Span::styled(format!("  {}", one_line(error, 60)), theme.error())
    } else if find.searching() {
        Span::styled("  searching…", theme.dim())
    } else if !find.input.text().trim().is_empty() {
        Span::styled(format!("  {} found", find.hits.len()), theme.dim())
    } else {
        Span::styled("  type to search text and authors", theme.dim())
    };
    let shown_input = sanitize(find.input.text()).into_owned();
    let input_width = display_width(&shown_input) as u16;
    let input = Line::from(vec![
        Span::styled("/ ", theme.key()),
        Span::raw(shown_input),
        status,
    ]);
    frame.render_widget(Paragraph::new(input), Rect { height: 1, ..inner });
    let rows = usize::from(inner.height - 1);
    let first = find.selected.saturating_sub(rows.saturating_sub(1));
    let width = usize::from(inner.width);
    let lines: Vec<Line> = find
        .hits
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(index, hit)| {
            let line = hit_line(app, hit, width);
            if index == find.selected {
                line.style(theme.cursor_row())
            } else {
                line
            }
        })
        .collect();
    let list = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), list);
    cursor_after(frame, inner, 2 + input_width);
}

/// The prompt on the bottom line, its completions and its error above it.
pub fn draw_prompt(app: &App, prompt: &Prompt, frame: &mut Frame, line: Rect, body: Rect) {
    let theme = &app.theme;
    let label = match prompt.target.is_empty() {
        true => format!(" {}: ", prompt.kind.label()),
        false => format!(" {} {}: ", prompt.kind.label(), prompt.target),
    };
    let text = prompt.input.text();
    let before_cursor: String = text.chars().take(prompt.input.cursor()).collect();
    let cursor_column = display_width(&label) + display_width(&sanitize(&before_cursor));
    let input = Line::from(vec![
        Span::styled(label, theme.key()),
        Span::raw(sanitize(text).into_owned()),
    ]);
    frame.render_widget(Paragraph::new(input), line);
    cursor_after(frame, line, cursor_column as u16);
    let mut above: Vec<Line> = Vec::new();
    if let Some(error) = &prompt.error {
        above.push(Line::styled(
            format!(" {}", one_line(error, usize::from(line.width) - 2)),
            theme.error(),
        ));
    }
    let matches = prompt.matches(5);
    let only_what_is_typed = matches.len() == 1 && matches[0] == text;
    let show_matches = !matches.is_empty() && !only_what_is_typed;
    if show_matches {
        above.push(Line::from(
            std::iter::once(Span::styled(" tab:", theme.dim()))
                .chain(
                    matches
                        .iter()
                        .map(|m| Span::styled(format!(" {}", one_line(m, 30)), theme.tag())),
                )
                .collect::<Vec<_>>(),
        ));
    }
    if above.is_empty() || body.height < above.len() as u16 + 2 {
        return;
    }
    let height = above.len() as u16 + 1;
    let rect = Rect::new(body.x, body.bottom() - height, body.width, height);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme.border());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(above), inner);
}
