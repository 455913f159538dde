//! The canned-response picker, drawn over the composer: the query line (or the fill-in
//! field being asked), the ranked responses with the matched letters of their names
//! highlighted, and the highlighted response filled for the item, with its length as the
//! item's platform counts it. Names, tags and bodies come from files a team edits and the
//! preview holds the customer's name: all of it goes through the sanitizer here.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::app::App;
use super::super::components::CannedPicker;
use super::super::sanitize::{display_width, one_line, pad_to, wrap_max};
use super::find::highlighted;
use super::flat;
use super::overlays::{cursor_after, popup};
use crate::responses::limits;

/// Columns of the name and the tags in a list row.
const NAME_COLS: usize = 22;
const TAG_COLS: usize = 24;

/// Draws the picker over `area` (where the composer is).
pub fn draw_canned(app: &App, picker: &CannedPicker, frame: &mut Frame, area: Rect) {
    let title = format!(
        "Canned responses · {} · {}",
        picker.item.platform,
        picker.item.lang.as_deref().unwrap_or("language unknown"),
    );
    let title = format!(" {} ", one_line(&title, 60));
    let inner = popup(frame, area, area.width, area.height, 0, title, &app.theme);
    if inner.height < 4 || inner.width < 20 {
        return;
    }
    let input = Rect { height: 1, ..inner };
    let rest = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    };
    draw_input(app, picker, frame, input);
    let listed = picker.ranked.len().max(1) as u16;
    let list_rows = listed.min(rest.height.saturating_sub(3) / 2).max(1);
    let list = Rect {
        height: list_rows,
        ..rest
    };
    let preview = Rect {
        y: list.bottom(),
        height: rest.height - list_rows,
        ..rest
    };
    frame.render_widget(Paragraph::new(list_lines(app, picker, list)), list);
    frame.render_widget(Paragraph::new(preview_lines(app, picker, preview)), preview);
}

/// `> query    3 responses`, or `Order number (1/2): 12_` while a field is asked.
fn draw_input(app: &App, picker: &CannedPicker, frame: &mut Frame, line: Rect) {
    let theme = &app.theme;
    let (label, input, note) = match &picker.filling {
        Some(filling) => {
            let label = format!(
                "{} ({}/{}): ",
                one_line(&filling.field().prompt, 40),
                filling.at + 1,
                filling.fields.len()
            );
            let note = filling.error.clone().unwrap_or_default();
            (label, &filling.input, note)
        }
        None => ("> ".to_string(), &picker.input, status(picker)),
    };
    let before: String = input.text().chars().take(input.cursor()).collect();
    let cursor = display_width(&label) + display_width(&flat(&before));
    let error =
        picker.error.is_some() || picker.filling.as_ref().is_some_and(|f| f.error.is_some());
    let note_style = if error { theme.error() } else { theme.dim() };
    let room = usize::from(line.width).saturating_sub(cursor + 4);
    let spans = vec![
        Span::styled(label, theme.key()),
        Span::raw(flat(input.text())),
        Span::styled(format!("   {}", one_line(&note, room)), note_style),
    ];
    frame.render_widget(Paragraph::new(Line::from(spans)), line);
    cursor_after(frame, line, cursor as u16);
}

/// What the list line says beside the query.
fn status(picker: &CannedPicker) -> String {
    if let Some(error) = &picker.error {
        return error.clone();
    }
    let Some(loaded) = &picker.loaded else {
        return "loading the team's library…".into();
    };
    let unread = match loaded.unread {
        0 => String::new(),
        n => format!(" · {n} file(s) unreadable: switchboard canned check"),
    };
    match loaded.choices.len() {
        0 => format!(
            "no canned response for this item (responses/ next to the hub's config.toml){unread}"
        ),
        n => format!("{} of {n}{unread}", picker.ranked.len()),
    }
}

fn list_lines(app: &App, picker: &CannedPicker, area: Rect) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let Some(loaded) = &picker.loaded else {
        return Vec::new();
    };
    let rows = usize::from(area.height);
    let first = picker.selected.saturating_sub(rows.saturating_sub(1));
    let width = usize::from(area.width);
    picker
        .ranked
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(position, ranked)| {
            let response = &loaded.choices[ranked.index];
            let mut hits = ranked.name_hits.clone();
            hits.sort_unstable();
            let mut spans = vec![Span::raw(" ")];
            let name = highlighted(
                &response.name,
                &hits,
                0,
                NAME_COLS,
                theme.bold(),
                theme.highlight(),
            );
            let used: usize = name.iter().map(|s| display_width(&s.content)).sum();
            spans.extend(name);
            spans.push(Span::raw(" ".repeat(NAME_COLS + 1 - used.min(NAME_COLS))));
            let tags: Vec<String> = response.tags.iter().map(|t| format!("#{t}")).collect();
            let tags = pad_to(&tags.join(" "), TAG_COLS);
            let room = width.saturating_sub(NAME_COLS + TAG_COLS + 4);
            spans.push(Span::styled(tags, theme.tag()));
            spans.push(Span::raw("  "));
            spans.push(Span::styled(
                one_line(&flat(&response.body), room),
                theme.dim(),
            ));
            let line = Line::from(spans);
            match position == picker.selected {
                true => line.style(theme.cursor_row()),
                false => line,
            }
        })
        .collect()
}

/// A rule naming the response, its language and length, then its text filled for the item.
fn preview_lines(app: &App, picker: &CannedPicker, area: Rect) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let Some((response, filled)) = picker.preview() else {
        return Vec::new();
    };
    let width = usize::from(area.width);
    let (text, length) = match &filled {
        Ok(text) => (
            text.clone(),
            Some(limits::measure(&picker.item.platform, text)),
        ),
        Err(e) => (e.to_string(), None),
    };
    let about = match length {
        Some(length) => format!(
            "{} ({}) · {}",
            response.name,
            response.language,
            length.describe()
        ),
        None => format!(
            "{} ({}) · cannot be filled",
            response.name, response.language
        ),
    };
    let about = format!(" {} ", one_line(&about, width.saturating_sub(4)));
    let rule = "─".repeat(width.saturating_sub(display_width(&about) + 1));
    let fits = length.is_none_or(|l| l.fits());
    let mut lines = vec![Line::from(vec![
        Span::styled("─", theme.border()),
        Span::styled(about, if fits { theme.title() } else { theme.error() }),
        Span::styled(rule, theme.border()),
    ])];
    let rows = usize::from(area.height).saturating_sub(1);
    let style = if filled.is_ok() {
        theme.plain()
    } else {
        theme.error()
    };
    let wrapped = wrap_max(&text, width.saturating_sub(2), rows);
    lines.extend(
        wrapped
            .lines
            .into_iter()
            .map(|l| Line::styled(format!(" {l}"), style)),
    );
    lines
}
