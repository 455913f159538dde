//! Where everything goes on the screen. Shared by `draw` and by `update` (which needs the
//! number of visible rows to page and scroll), so both always agree.
//!
//! ```text
//! row 0        tabs with counts, filter
//! rows 1..h-2  queue | detail (side by side from 120 columns, else the detail covers it)
//! row h-2      status bar: hub, user, next SLA breach, messages
//! row h-1      key hints of the focused component, or the prompt
//! ```

use ratatui::layout::Rect;

/// From this width on, the detail pane opens beside the queue instead of over it.
pub const SPLIT_WIDTH: u16 = 120;

/// The screen's regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub queue: Option<Rect>,
    /// The column between queue and detail in split mode.
    pub separator: Option<Rect>,
    pub detail: Option<Rect>,
    pub body: Rect,
    pub status: Rect,
    pub bottom: Rect,
}

impl Areas {
    pub fn new(screen: Rect, detail_open: bool) -> Areas {
        let row = |y: u16, height: u16| Rect::new(screen.x, y, screen.width, height);
        let height = screen.height;
        let header = row(screen.y, height.min(1));
        let body_height = height.saturating_sub(3);
        let body = row(screen.y + header.height, body_height);
        let status = row(body.bottom(), u16::from(height >= 2));
        let bottom = row(status.bottom(), u16::from(height >= 3));
        let (queue, separator, detail) = match (detail_open, screen.width >= SPLIT_WIDTH) {
            (false, _) => (Some(body), None, None),
            (true, false) => (None, None, Some(body)),
            (true, true) => {
                let queue_width = body.width * 9 / 20;
                let queue = Rect::new(body.x, body.y, queue_width, body.height);
                let separator = Rect::new(queue.right(), body.y, 1, body.height);
                let detail = Rect::new(
                    separator.right(),
                    body.y,
                    body.width - queue_width - 1,
                    body.height,
                );
                (Some(queue), Some(separator), Some(detail))
            }
        };
        Areas {
            header,
            queue,
            separator,
            detail,
            body,
            status,
            bottom,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_screens_stack_and_wide_ones_split() {
        let small = Areas::new(Rect::new(0, 0, 80, 24), true);
        assert_eq!(small.queue, None);
        assert_eq!(small.detail, Some(Rect::new(0, 1, 80, 21)));
        assert_eq!(small.status.y, 22);
        assert_eq!(small.bottom.y, 23);
        let wide = Areas::new(Rect::new(0, 0, 120, 40), true);
        let (queue, detail) = (wide.queue.unwrap(), wide.detail.unwrap());
        assert_eq!(queue.width + 1 + detail.width, 120);
        assert_eq!(queue.height, 37);
        let tiny = Areas::new(Rect::new(0, 0, 10, 2), false);
        assert_eq!(tiny.body.height, 0);
    }
}
