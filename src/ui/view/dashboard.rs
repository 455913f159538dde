//! The dashboard screen, over the panes: a title (the window, the keys that change it,
//! whether an answer is on its way), the figures (first response and resolution median
//! and p90, SLA met), volume over time as a sparkline, bar charts of volume by platform,
//! by kind and of escalations by name, and the per-agent table. Names from the store
//! (platforms of imports, users, escalation names) go through the sanitizer.

use std::collections::BTreeMap;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Clear, Paragraph, Row, Sparkline, Table};
use ratatui::Frame;

use super::super::app::App;
use super::super::sanitize::one_line;
use crate::reports::format::{duration, percent};
use crate::reports::StatsReport;

/// Rows of the figures; of the sparkline and the bar charts, at least and at most (they
/// grow with the screen).
const FIGURES: u16 = 4;
const SPARK: (u16, u16) = (4, 10);
const CHARTS: (u16, u16) = (7, 12);
/// Widest label a bar chart gives a name.
const LABEL: usize = 10;

/// Draws the screen over `area` (the panes).
pub fn draw_dashboard(app: &App, frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    frame.render_widget(Paragraph::new(title_line(app)), title);
    let view = &app.dashboard;
    let Some(report) = &view.report else {
        let text = match &view.error {
            Some(why) => Line::styled(
                format!(" cannot load the stats: {}", one_line(why, 200)),
                app.theme.error(),
            ),
            None => Line::styled(" loading…", app.theme.dim()),
        };
        frame.render_widget(Paragraph::new(text), body);
        return;
    };
    let [figures, spark, charts, agents] = Layout::vertical([
        Constraint::Length(FIGURES),
        Constraint::Length((body.height / 4).clamp(SPARK.0, SPARK.1)),
        Constraint::Length((body.height / 3).clamp(CHARTS.0, CHARTS.1)),
        Constraint::Min(0),
    ])
    .areas(body);
    frame.render_widget(Paragraph::new(figure_lines(app, report)), figures);
    draw_sparkline(app, frame, report, spark);
    draw_charts(app, frame, report, charts);
    draw_agents(app, frame, report, agents);
}

/// ` Dashboard · last 7 days · 11-16 04:00 → 11-23 04:00 UTC   1 24h  7 7d  3 30d`
fn title_line(app: &App) -> Line<'static> {
    let theme = &app.theme;
    let view = &app.dashboard;
    let mut spans = vec![Span::styled(
        format!(" Dashboard · last {}", view.span.label()),
        theme.title(),
    )];
    if let Some(report) = &view.report {
        let at = |t: chrono::DateTime<chrono::Utc>| t.format("%m-%d %H:%M").to_string();
        spans.push(Span::styled(
            format!(" · {} → {} UTC", at(report.since), at(report.until)),
            theme.dim(),
        ));
    }
    if view.loading {
        spans.push(Span::styled(" · loading…", theme.dim()));
    } else if let Some(why) = view.error.as_ref().filter(|_| view.report.is_some()) {
        spans.push(Span::styled(
            format!(" · {}", one_line(why, 60)),
            theme.error(),
        ));
    }
    Line::from(spans)
}

fn figure_lines(app: &App, r: &StatsReport) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let timing = |label: &str, t: &crate::reports::Timing, done: &str| {
        Line::from(vec![
            Span::styled(format!(" {label:<15}"), theme.bold()),
            Span::raw(format!(
                "median {}  p90 {}  ",
                duration(t.median_seconds),
                duration(t.p90_seconds)
            )),
            Span::styled(
                format!("({} {done}, {} not yet)", t.count, t.missing),
                theme.dim(),
            ),
        ])
    };
    let sla = &r.sla;
    vec![
        timing("First response", &r.first_response, "answered"),
        timing("Resolution", &r.resolution, "resolved"),
        Line::from(vec![
            Span::styled(format!(" {:<15}", "SLA met"), theme.bold()),
            Span::raw(format!("{}  ", percent(sla.met_percent))),
            Span::styled(
                format!(
                    "({} met, {} breached, {} pending; {} without due)",
                    sla.met, sla.breached, sla.pending, sla.without_due
                ),
                theme.dim(),
            ),
        ]),
        escalation_line(app, r),
    ]
}

/// `Escalations    legal 3/4 answered, median 30m p90 1h30m · brand 2/2 ...`
fn escalation_line(app: &App, r: &StatsReport) -> Line<'static> {
    let theme = &app.theme;
    let head = Span::styled(format!(" {:<15}", "Escalations"), theme.bold());
    let text = match (r.escalations_shown, r.escalations.is_empty()) {
        (false, _) => Span::styled("not shown to your role", theme.dim()),
        (true, true) => Span::styled("none raised", theme.dim()),
        (true, false) => Span::raw(
            r.escalations
                .iter()
                .map(|e| {
                    format!(
                        "{} {}/{} answered, median {} p90 {}",
                        one_line(&e.name, LABEL),
                        e.answered,
                        e.raised,
                        duration(e.answer_median_seconds),
                        duration(e.answer_p90_seconds)
                    )
                })
                .collect::<Vec<_>>()
                .join(" · "),
        ),
    };
    Line::from(vec![head, text])
}

/// Volume over time, each bucket stretched to fill the width.
fn draw_sparkline(app: &App, frame: &mut Frame, r: &StatsReport, area: Rect) {
    let [label, line] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let unit = if r.volume.bucket_seconds <= 3600 {
        "hour"
    } else {
        "day"
    };
    let peak = r.volume.over_time.iter().max().copied().unwrap_or(0);
    let text = format!(" Received {} · per {unit}, peak {peak}", r.volume.total);
    frame.render_widget(Paragraph::new(Line::styled(text, app.theme.bold())), label);
    let line = Rect {
        x: line.x + 1,
        width: line.width.saturating_sub(2),
        ..line
    };
    let data = stretch(&r.volume.over_time, usize::from(line.width));
    let spark = Sparkline::default()
        .data(&data)
        .max(peak.max(1))
        .style(app.theme.highlight());
    frame.render_widget(spark, line);
}

/// Each value repeated so that all of them fill `width` columns (at least once each).
fn stretch(values: &[u64], width: usize) -> Vec<u64> {
    let each = (width / values.len().max(1)).max(1);
    values
        .iter()
        .flat_map(|v| std::iter::repeat_n(*v, each))
        .collect()
}

fn draw_charts(app: &App, frame: &mut Frame, r: &StatsReport, area: Rect) {
    let [platforms, kinds, escalations] = Layout::horizontal([Constraint::Ratio(1, 3); 3])
        .spacing(1)
        .areas(area);
    chart(app, frame, platforms, "By platform", &r.volume.by_platform);
    chart(app, frame, kinds, "By kind", &r.volume.by_kind);
    let raised: BTreeMap<String, u64> = r
        .escalations
        .iter()
        .map(|e| (e.name.clone(), e.raised))
        .collect();
    chart(app, frame, escalations, "Escalations raised", &raised);
}

/// A horizontal bar chart of counts by name, largest first, under a title line.
fn chart(app: &App, frame: &mut Frame, area: Rect, title: &str, counts: &BTreeMap<String, u64>) {
    let [head, bars_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let head = Rect {
        x: head.x + 1,
        width: head.width.saturating_sub(1),
        ..head
    };
    let head_text = Line::styled(title.to_string(), app.theme.bold());
    frame.render_widget(Paragraph::new(head_text), head);
    let mut pairs: Vec<(&String, &u64)> = counts.iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    if pairs.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(" none", app.theme.dim())),
            bars_area,
        );
        return;
    }
    let bars: Vec<Bar> = pairs
        .iter()
        .take(usize::from(bars_area.height))
        .map(|(name, n)| Bar::with_label(format!(" {}", one_line(name, LABEL)), **n))
        .collect();
    let chart = BarChart::horizontal(bars)
        .bar_width(1)
        .bar_gap(0)
        .bar_style(app.theme.highlight())
        .value_style(app.theme.bold());
    frame.render_widget(chart, bars_area);
}

fn draw_agents(app: &App, frame: &mut Frame, r: &StatsReport, area: Rect) {
    if area.height < 2 {
        return;
    }
    let header = Row::new(["Agent", "Replies", "Resolved", "First response (median)"])
        .style(app.theme.bold());
    let rows: Vec<Row> = r
        .agents
        .iter()
        .map(|a| {
            Row::new([
                one_line(&a.user, 16),
                a.replies_sent.to_string(),
                a.resolved.to_string(),
                duration(a.first_response_median_seconds),
            ])
        })
        .collect();
    let widths = [
        Constraint::Length(17),
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Min(10),
    ];
    let area = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(1),
        ..area
    };
    if rows.is_empty() {
        let text = Line::styled("nobody replied or resolved in this window", app.theme.dim());
        frame.render_widget(Paragraph::new(text), area);
        return;
    }
    frame.render_widget(Table::new(rows, widths).header(header), area);
}
