//! The one-line bars: the header (view tabs with counts, the filter, the selection), the
//! status bar (hub connection, user and role, who else is online, what waits for our
//! approval, next SLA breach, messages) and the hint bar (the focused component's commands with their keys from the
//! keymap).

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::app::App;
use super::super::components::presence::others_online;
use super::super::format::countdown;
use super::super::keys::sequence_label;
use super::super::sanitize::one_line;
use crate::model::{AccountState, AccountStatus};
use crate::team::Role;

/// Tabs with counts, then the filter and the selection.
pub fn draw_header(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let mut spans = Vec::new();
    for (index, tab) in app.tabs.tabs.iter().enumerate() {
        let count = app
            .tabs
            .count(index, app.counts.as_ref())
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        let label = format!(" {}{count} ", one_line(&tab.name, 16));
        let style = if index == app.tabs.active {
            theme.tab_active()
        } else {
            theme.tab()
        };
        spans.push(Span::styled(label, style));
    }
    if !app.tabs.filter.is_empty() {
        spans.push(Span::styled(" filter: ", theme.dim()));
        spans.push(Span::styled(one_line(&app.tabs.filter, 40), theme.key()));
        let shown = app.queue.start + app.queue.items.len();
        let matching = match app.queue.end {
            Some(end) => format!(" ({end})"),
            None if app.queue.loaded => format!(" ({shown}+)"),
            None => String::new(),
        };
        spans.push(Span::styled(matching, theme.dim()));
    }
    if !app.queue.selected.is_empty() {
        spans.push(Span::styled(
            format!("  {} selected", app.queue.selected.len()),
            theme.selected_mark(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// How many other people the status bar names before `+N`.
const ONLINE_SHOWN: usize = 4;

/// Hub connection, user (with the role unless admin), who else is online, a message when
/// there is one, else the next SLA breach and the hub's state.
pub fn draw_status(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let mut spans = match &app.hub_problem {
        None => vec![Span::styled(" ● ", theme.ok())],
        Some(_) => vec![Span::styled(" ○ ", theme.error())],
    };
    spans.push(Span::styled(one_line(&app.user, 20), theme.bold()));
    if app.me.role != Role::Admin {
        spans.push(Span::styled(format!(" ({})", app.me.role), theme.dim()));
    }
    spans.extend(online_spans(app));
    spans.extend(approval_spans(app));
    spans.extend(account_spans(app));
    if let Some(flash) = &app.flash {
        let style = if flash.error {
            theme.error()
        } else {
            theme.plain()
        };
        spans.push(Span::raw(" │ "));
        spans.push(Span::styled(
            one_line(&flash.text, usize::from(area.width)),
            style,
        ));
    } else {
        spans.extend(sla_spans(app));
        spans.extend(hub_spans(app));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.bar()), area);
}

/// `  ● bob ● carol +2`: the other people attached to the hub (names sanitized).
fn online_spans(app: &App) -> Vec<Span<'static>> {
    let others = others_online(&app.online, &app.me);
    let mut spans = Vec::new();
    if others.is_empty() {
        return spans;
    }
    spans.push(Span::raw(" "));
    for name in others.iter().take(ONLINE_SHOWN) {
        spans.push(Span::styled(" ●", app.theme.ok()));
        spans.push(Span::raw(format!(" {}", one_line(name, 12))));
    }
    if others.len() > ONLINE_SHOWN {
        spans.push(Span::styled(
            format!(" +{}", others.len() - ONLINE_SHOWN),
            app.theme.dim(),
        ));
    }
    spans
}

/// ` · 2 to approve`: for approvers, the held outbox entries waiting for them.
fn approval_spans(app: &App) -> Vec<Span<'static>> {
    let held = app.outbox.held();
    if !app.outbox.approver || held == 0 {
        return Vec::new();
    }
    vec![
        Span::raw(" ·"),
        Span::styled(format!(" {held} to approve"), app.theme.sla_due()),
    ]
}

/// How many accounts the status bar shows by badge before `+N`.
const ACCOUNTS_SHOWN: usize = 6;

/// ` · MA✓ BS⟳ X✗ acme-x: auth failed`: each platform account's sync state, and the worst
/// trouble spelled out (a broken account before a rate-limited one) (reasons sanitized: they come from the platform).
fn account_spans(app: &App) -> Vec<Span<'static>> {
    let theme = &app.theme;
    if app.accounts.is_empty() {
        return Vec::new();
    }
    let mut spans = vec![Span::raw(" ·")];
    for status in app.accounts.iter().take(ACCOUNTS_SHOWN) {
        let (glyph, style) = match &status.state {
            AccountState::Ok => ("✓", theme.ok()),
            AccountState::Idle => ("·", theme.dim()),
            AccountState::Syncing => ("⟳", theme.dim()),
            AccountState::RateLimited { .. } => ("⏸", theme.sla_due()),
            AccountState::AuthFailed { .. } | AccountState::Error { .. } => ("✗", theme.error()),
        };
        spans.push(Span::styled(
            format!(" {}", status.platform.badge().trim_end()),
            theme.badge(&status.platform),
        ));
        spans.push(Span::styled(glyph, style));
        if let Some(usage) = &status.usage {
            let style = if usage.is_low() {
                theme.sla_due()
            } else {
                theme.dim()
            };
            spans.push(Span::styled(format!(" {}", usage.badge()), style));
        }
    }
    if app.accounts.len() > ACCOUNTS_SHOWN {
        spans.push(Span::styled(
            format!(" +{}", app.accounts.len() - ACCOUNTS_SHOWN),
            theme.dim(),
        ));
    }
    let broken = |s: &&AccountStatus| {
        matches!(
            s.state,
            AccountState::AuthFailed { .. } | AccountState::Error { .. }
        )
    };
    let worst = app.accounts.iter().find(broken);
    if let Some(trouble) = worst.or_else(|| app.accounts.iter().find(|s| s.state.is_trouble())) {
        let text = match &trouble.state {
            AccountState::RateLimited { until } => {
                format!("rate-limited until {}", until.format("%H:%M"))
            }
            other => other.to_string(),
        };
        let style = match trouble.state {
            AccountState::RateLimited { .. } => theme.sla_due(),
            _ => theme.error(),
        };
        spans.push(Span::styled(
            format!(
                " {}: {}",
                one_line(&trouble.account, 20),
                one_line(&text, 48)
            ),
            style,
        ));
    }
    spans
}

fn sla_spans(app: &App) -> Vec<Span<'static>> {
    let Some(item) = app.next_breach() else {
        return Vec::new();
    };
    let Some(due) = item.sla_due else {
        return Vec::new();
    };
    let who = format!(" @{}", one_line(&item.author.handle, 16));
    let (text, style) = if due > app.now {
        (
            format!("next SLA in {}", countdown(due - app.now)),
            app.theme.sla_due(),
        )
    } else {
        (
            format!("SLA breached {} ago", countdown(app.now - due)),
            app.theme.sla_over(),
        )
    };
    vec![
        Span::raw(" · "),
        Span::styled(text, style),
        Span::styled(who, app.theme.author()),
    ]
}

fn hub_spans(app: &App) -> Vec<Span<'static>> {
    let theme = &app.theme;
    if let Some(problem) = &app.hub_problem {
        return vec![Span::styled(
            format!(" · hub unreachable: {}", one_line(problem, 60)),
            theme.error(),
        )];
    }
    let mut text = format!(" · {}", short_connection(&app.connection));
    if let Some(status) = &app.hub_status {
        let clients = if status.clients == 1 {
            "client"
        } else {
            "clients"
        };
        text.push_str(&format!(
            " · {} items · {} {clients}",
            status.items, status.clients
        ));
    }
    vec![Span::styled(text, theme.dim())]
}

/// `socket /long/path/hub.sock` as `socket …/hub.sock`: the file name says enough here.
fn short_connection(connection: &str) -> String {
    match connection.strip_prefix("socket ") {
        Some(path) if path.chars().count() > 20 => {
            let name = path.rsplit('/').next().unwrap_or(path);
            format!("socket …/{}", one_line(name, 30))
        }
        _ => one_line(connection, 40),
    }
}

/// The focused component's commands with their keys.
pub fn draw_hints(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focused();
    let context = focused.context();
    let mut spans = vec![Span::raw(" ")];
    for action in focused.commands() {
        let Some(keys) = app.keymap.keys_for(context, *action) else {
            continue;
        };
        spans.push(Span::styled(sequence_label(&keys), app.theme.key()));
        spans.push(Span::styled(
            format!(" {}  ", action.name()),
            app.theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
