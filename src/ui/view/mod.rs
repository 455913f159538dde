//! Drawing: [`draw`] renders the [`App`] into a frame and changes nothing. Each part of the
//! screen has its own module; all of them sanitize platform text at the point it becomes
//! a span.

mod bars;
mod canned;
mod composer;
mod confirm;
mod dashboard;
mod detail;
mod escalations;
mod find;
mod handoff;
mod layout;
mod outbox;
mod overlays;
mod priority_why;
mod queue;
mod reply_checks;

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub use detail::{detail_lines, detail_presence};
pub use find::highlighted;
pub use layout::{Areas, SPLIT_WIDTH};
pub use overlays::help_lines;
pub use queue::{row_line, Columns};

use super::app::{App, Overlay};
use super::sanitize::sanitize;

/// Platform or typed text for a single screen line: sanitized, line breaks as spaces.
pub(crate) fn flat(text: &str) -> String {
    sanitize(text).replace('\n', " ")
}

/// The smallest screen the layout works in.
const MIN_WIDTH: u16 = 30;
const MIN_HEIGHT: u16 = 6;

/// Renders the whole screen.
pub fn draw(app: &App, frame: &mut Frame) {
    let screen = frame.area();
    if screen.width < MIN_WIDTH || screen.height < MIN_HEIGHT {
        let message = Line::styled(
            format!("switchboard needs {MIN_WIDTH}×{MIN_HEIGHT} at least"),
            app.theme.error(),
        );
        frame.render_widget(Paragraph::new(message), screen);
        return;
    }
    let areas = Areas::new(screen, app.detail.is_some());
    bars::draw_header(app, frame, areas.header);
    if let Some(area) = areas.queue {
        queue::draw_queue(app, frame, area);
    }
    if let Some(area) = areas.separator {
        let block = Block::default()
            .borders(Borders::LEFT)
            .border_style(app.theme.border());
        frame.render_widget(block, area);
    }
    if let Some(area) = areas.detail {
        detail::draw_detail(app, frame, area);
    }
    if app.outbox.shown {
        outbox::draw_outbox(app, frame, areas.body);
    } else if app.escalations.shown {
        escalations::draw_screen(app, frame, areas.body);
    }
    if let Some(picker) = &app.escalations.picker {
        escalations::draw_picker(app, picker, frame, areas.body);
    }
    if app.dashboard.shown {
        dashboard::draw_dashboard(app, frame, areas.body);
    }
    if let Some(writing) = &app.composer {
        let area = areas.detail.unwrap_or(areas.body);
        composer::draw_composer(app, writing, frame, area);
        if let Some(picker) = &app.canned {
            canned::draw_canned(app, picker, frame, area);
        }
    }
    bars::draw_status(app, frame, areas.status);
    draw_overlay(app, frame, &areas);
    if app.pending.shown {
        overlays::draw_which_key(app, frame, areas.body);
    }
}

fn draw_overlay(app: &App, frame: &mut Frame, areas: &Areas) {
    let body_and_header = Rect {
        y: areas.header.y,
        height: areas.header.height + areas.body.height,
        ..areas.body
    };
    match &app.overlay {
        Some(Overlay::Prompt(prompt)) => {
            find::draw_prompt(app, prompt, frame, areas.bottom, areas.body)
        }
        other => {
            bars::draw_hints(app, frame, areas.bottom);
            match other {
                Some(Overlay::Help(help)) => overlays::draw_help(app, help, frame, body_and_header),
                Some(Overlay::Palette(palette)) => {
                    overlays::draw_palette(app, palette, frame, areas.body)
                }
                Some(Overlay::Find(finder)) => find::draw_find(app, finder, frame, areas.body),
                Some(Overlay::Handoff(view)) => {
                    handoff::draw_handoff(app, view, frame, body_and_header)
                }
                Some(Overlay::Confirm(question)) => {
                    confirm::draw_confirm(app, question, frame, areas.body)
                }
                _ => {}
            }
        }
    }
}
