//! The detail pane: the item in full, its thread (parents, earlier messages, our replies),
//! notes, the author's earlier items with the brand, and the audit trail. The lines are
//! built (and long text wrapped) once per answer and width by [`detail_lines`]; drawing
//! only slices them. "Why this priority" is `priority_why.rs`. Above them, live: who else views the item or writes a reply to it,
//! and whether we keep a draft for it ([`detail_presence`]).

use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::app::App;
use super::super::components::presence::{composers, viewers};
use super::super::format::{compact, sla_stage, timestamp, TimeCell};
use super::super::keymap::Context;
use super::super::keys::sequence_label;
use super::super::sanitize::{one_line, wrap};
use super::super::theme::Theme;
use crate::hub::protocol::ItemDetail;
use crate::model::Item;

/// Lines of text shown per item of the thread and the author's history.
const CONTEXT_LINES: usize = 6;

/// Renders an item and its context as lines `width` columns wide.
pub fn detail_lines(
    item: &Item,
    detail: Option<&ItemDetail>,
    width: u16,
    theme: &Theme,
    now: DateTime<Utc>,
) -> Vec<Line<'static>> {
    let width = usize::from(width.max(10));
    let mut lines = facts(item, width, theme, now);
    lines.push(Line::default());
    lines.extend(
        wrap(&item.text, width - 1)
            .into_iter()
            .map(|l| Line::raw(format!(" {l}"))),
    );
    super::priority_why::priority_why(&mut lines, item, width, theme);
    let Some(detail) = detail else {
        lines.push(Line::default());
        lines.push(Line::styled(
            " loading the thread and history…",
            theme.dim(),
        ));
        return lines;
    };
    super::escalations::detail_section(&mut lines, &detail.escalations, width, theme);
    thread(&mut lines, item, &detail.thread, width, theme);
    notes(&mut lines, item, width, theme);
    history(&mut lines, item, &detail.author_history, width, theme);
    audit(&mut lines, detail, width, theme);
    lines
}

fn facts(item: &Item, width: usize, theme: &Theme, now: DateTime<Utc>) -> Vec<Line<'static>> {
    let author = format!(
        "@{} ({})",
        one_line(&item.author.handle, width / 2),
        one_line(&item.author.name, width / 3)
    );
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!(" {} ", item.platform.badge()),
            theme.badge(&item.platform),
        ),
        Span::styled(item.kind.as_str(), theme.dim()),
        Span::raw(" "),
        Span::styled(author, theme.author()),
        Span::styled(format!(" on {}", one_line(&item.account, 30)), theme.dim()),
    ])];
    let time = match TimeCell::of(item, now) {
        TimeCell::Age(age) => Span::styled(format!("received {age} ago"), theme.dim()),
        TimeCell::Due(due) => {
            Span::styled(format!("{} due in {due}", sla_stage(item)), theme.sla_due())
        }
        TimeCell::Overdue(_) => {
            let late = compact(now - item.sla_due.unwrap_or(now));
            let text = format!("{} {late} overdue", sla_stage(item));
            Span::styled(text, theme.sla_over())
        }
    };
    lines.push(Line::from(vec![
        Span::raw(format!(" {} · {} · ", item.status, item.priority)),
        time,
        Span::styled(
            format!(" · written {}", timestamp(item.created_at)),
            theme.dim(),
        ),
    ]));
    let mut triage = vec![Span::raw(" ")];
    match item.tags.is_empty() {
        true => triage.push(Span::styled("no tags", theme.dim())),
        false => {
            let tags: Vec<String> = item
                .tags
                .iter()
                .map(|t| format!("#{}", one_line(t, 30)))
                .collect();
            triage.push(Span::styled(
                one_line(&tags.join(" "), width / 2),
                theme.tag(),
            ));
        }
    }
    let assignee = item
        .assignee
        .as_deref()
        .map_or("unassigned".to_string(), |a| {
            format!("→{}", one_line(a, 20))
        });
    triage.push(Span::raw(" · "));
    triage.push(Span::styled(assignee, theme.assignee()));
    if let Some(until) = item.snoozed_until.filter(|u| *u > now) {
        triage.push(Span::styled(
            format!(" · snoozed for {}", compact(until - now)),
            theme.dim(),
        ));
    }
    lines.push(Line::from(triage));
    if let Some(url) = &item.url {
        lines.push(Line::styled(
            format!(" {}", one_line(url, width - 1)),
            theme.dim(),
        ));
    }
    lines
}

pub(super) fn section(lines: &mut Vec<Line<'static>>, title: String, width: usize, theme: &Theme) {
    lines.push(Line::default());
    let rule = "─".repeat(width.saturating_sub(title.chars().count() + 4));
    lines.push(Line::styled(format!("── {title} {rule}"), theme.title()));
}

/// Text cut to what `lines` lines can show, then wrapped (a 1 MB message costs no more
/// than its first lines here).
fn excerpt(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let budget = width * max_lines * 4;
    let cut = match text.char_indices().nth(budget) {
        Some((at, _)) => &text[..at],
        None => text,
    };
    let mut wrapped = wrap(cut, width);
    wrapped.retain(|l| !l.trim().is_empty());
    if wrapped.len() > max_lines {
        wrapped.truncate(max_lines);
        if let Some(last) = wrapped.last_mut() {
            last.push('…');
        }
    }
    wrapped
}

fn thread(
    lines: &mut Vec<Line<'static>>,
    item: &Item,
    thread: &[Item],
    width: usize,
    theme: &Theme,
) {
    if thread.is_empty() {
        return;
    }
    section(
        lines,
        format!("Thread ({})", thread.len() + 1),
        width,
        theme,
    );
    let mut entries: Vec<&Item> = thread.iter().collect();
    entries.push(item);
    entries.sort_by_key(|i| i.created_at);
    for entry in entries {
        let this = entry.id == item.id;
        let who = if entry.from_brand {
            Span::styled(
                format!("us (@{})", one_line(&entry.author.handle, 30)),
                theme.ours(),
            )
        } else {
            Span::styled(
                format!("@{}", one_line(&entry.author.handle, 40)),
                theme.author(),
            )
        };
        let marker = if this { "▶ " } else { "  " };
        lines.push(Line::from(vec![
            Span::styled(marker, theme.key()),
            who,
            Span::styled(
                format!(" · {} · {}", timestamp(entry.created_at), entry.status),
                theme.dim(),
            ),
        ]));
        if this {
            lines.push(Line::styled("    (this message, above)", theme.dim()));
            continue;
        }
        let style = if entry.from_brand {
            theme.ours()
        } else {
            theme.plain()
        };
        for text in excerpt(&entry.text, width.saturating_sub(4), CONTEXT_LINES) {
            lines.push(Line::styled(format!("    {text}"), style));
        }
    }
}

fn notes(lines: &mut Vec<Line<'static>>, item: &Item, width: usize, theme: &Theme) {
    if item.notes.is_empty() {
        return;
    }
    section(lines, format!("Notes ({})", item.notes.len()), width, theme);
    for note in &item.notes {
        lines.push(Line::from(vec![
            Span::styled(format!("  {}", one_line(&note.by, 30)), theme.assignee()),
            Span::styled(format!(" · {}", timestamp(note.at)), theme.dim()),
        ]));
        for text in wrap(&note.text, width.saturating_sub(4)) {
            lines.push(Line::raw(format!("    {text}")));
        }
    }
}

fn history(
    lines: &mut Vec<Line<'static>>,
    item: &Item,
    history: &[Item],
    width: usize,
    theme: &Theme,
) {
    let earlier: Vec<&Item> = history.iter().filter(|i| i.id != item.id).collect();
    if earlier.is_empty() {
        return;
    }
    let handle = one_line(&item.author.handle, 30);
    section(
        lines,
        format!("Earlier from @{handle} ({})", earlier.len()),
        width,
        theme,
    );
    for entry in earlier {
        let head = format!(
            "  {} {:<9} ",
            timestamp(entry.created_at),
            entry.status.as_str()
        );
        let room = width.saturating_sub(head.chars().count());
        lines.push(Line::from(vec![
            Span::styled(head, theme.dim()),
            Span::raw(one_line(&entry.text, room)),
        ]));
    }
}

fn audit(lines: &mut Vec<Line<'static>>, detail: &ItemDetail, width: usize, theme: &Theme) {
    if detail.audit.is_empty() {
        return;
    }
    section(
        lines,
        format!("Audit ({})", detail.audit.len()),
        width,
        theme,
    );
    for entry in &detail.audit {
        let head = format!(
            "  {} {} via {}: ",
            timestamp(entry.at),
            one_line(&entry.actor.user, 20),
            one_line(&entry.actor.client, 20)
        );
        let room = width.saturating_sub(head.chars().count());
        let what = format!("{} {}", entry.action, entry.detail);
        lines.push(Line::from(vec![
            Span::styled(head, theme.dim()),
            Span::raw(one_line(&what, room)),
        ]));
    }
}

/// Draws the open detail: a title row, then the visible slice of its lines.
pub fn draw_detail(app: &App, frame: &mut Frame, area: Rect) {
    let Some(detail) = &app.detail else {
        return;
    };
    let total = detail.lines.len();
    let shown_to = (detail.scroll + detail.rows).min(total);
    let mut title = format!(" item {} ", detail.id());
    if total > detail.rows {
        title.push_str(&format!(
            "· lines {}-{} of {total} ",
            detail.scroll + 1,
            shown_to
        ));
    }
    let mut lines = vec![Line::styled(title, app.theme.title())];
    lines.extend(detail_presence(app));
    if let Some(error) = &detail.error {
        lines.push(Line::styled(
            format!(" {}", one_line(error, usize::from(area.width))),
            app.theme.error(),
        ));
    }
    lines.extend(
        detail
            .lines
            .iter()
            .skip(detail.scroll)
            .take(detail.rows)
            .cloned(),
    );
    frame.render_widget(Paragraph::new(lines), area);
}

/// Glyphs of the presence markers (one column each, in every terminal).
pub const VIEWING: &str = "◉";
pub const WRITING: &str = "✎";

/// "✎ carol is writing a reply · ◉ bob is viewing · your draft is kept": the line under the
/// detail's title, when there is anything to say. Names are sanitized.
pub fn detail_presence(app: &App) -> Option<Line<'static>> {
    let detail = app.detail.as_ref()?;
    let id = detail.id();
    let theme = &app.theme;
    let mut parts: Vec<Span<'static>> = Vec::new();
    let writing = composers(&app.online, &app.me, id);
    if !writing.is_empty() {
        let text = format!("{WRITING} {} writing a reply", people(&writing));
        parts.push(Span::styled(text, theme.sla_due()));
    }
    let viewing = viewers(&app.online, &app.me, id);
    if !viewing.is_empty() {
        let text = format!("{VIEWING} {} viewing", people(&viewing));
        parts.push(Span::styled(text, theme.ok()));
    }
    if app.drafts.contains_key(&id) && app.composer.is_none() {
        let key = app
            .keymap
            .keys_for(Context::Detail, crate::ui::action::Action::Reply)
            .map(|k| format!(" ({} to go on)", sequence_label(&k)))
            .unwrap_or_default();
        parts.push(Span::styled(
            format!("your draft is kept{key}"),
            theme.key(),
        ));
    }
    if parts.is_empty() {
        return None;
    }
    let mut spans = vec![Span::raw(" ")];
    for (n, part) in parts.into_iter().enumerate() {
        if n > 0 {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        spans.push(part);
    }
    Some(Line::from(spans))
}

/// "bob is", "bob and carol are", "bob, carol and 2 others are" (names sanitized).
fn people(names: &[&str]) -> String {
    let shown: Vec<String> = names.iter().take(2).map(|n| one_line(n, 16)).collect();
    match names.len() {
        1 => format!("{} is", shown[0]),
        2 => format!("{} and {} are", shown[0], shown[1]),
        n => format!("{}, {} and {} others are", shown[0], shown[1], n - 2),
    }
}
