//! The measured runs on a started [`Session`]: moving through the queue, filtering from the
//! filter bar, and drawing the main screens (queue, detail of a long thread, find results)
//! over and over at one size.

use std::time::Instant;

use switchboard::hub::protocol::{Request, Response};
use switchboard::ui::keys::KeyChord;

use super::report::{draw_row, press_row, Row};
use super::session::{key, thread_cpu, typed, Press, Session};

/// The key → frame target of the issue.
pub const FRAME_TARGET: &str = "≤ 16 ms p99 (key → frame)";
/// Draws per screen when timing rendering alone.
const DRAWS: usize = 300;
/// How many queue items are looked up to find the longest thread for the detail pane.
const THREAD_CANDIDATES: usize = 250;

/// Presses grouped by what they do, in the order first seen.
#[derive(Default)]
struct Groups(Vec<(&'static str, Vec<Press>)>);

impl Groups {
    fn add(&mut self, label: &'static str, presses: Vec<Press>) {
        match self.0.iter_mut().find(|(l, _)| *l == label) {
            Some((_, all)) => all.extend(presses),
            None => self.0.push((label, presses)),
        }
    }

    /// One row for all presses (with the target), then one per group.
    fn rows(&self, title: &str) -> Vec<Row> {
        let all: Vec<Press> = self.0.iter().flat_map(|(_, p)| p.iter().copied()).collect();
        let mut rows = vec![press_row(&format!("{title}: all keys"), &all, FRAME_TARGET)];
        for (label, presses) in &self.0 {
            rows.push(press_row(&format!("{title}: {label}"), presses, ""));
        }
        rows
    }
}

async fn repeat(session: &mut Session, chord: KeyChord, times: usize) -> Vec<Press> {
    session.press_all(&vec![chord; times]).await
}

/// Moving through the queue from the top: j, page down, G, k, g g, twice over.
pub async fn moving(session: &mut Session, title: &str) -> Vec<Row> {
    let mut groups = Groups::default();
    for _ in 0..2 {
        groups.add("j", repeat(session, key("j"), 100).await);
        groups.add(
            "page down (ctrl-d)",
            repeat(session, key("ctrl-d"), 30).await,
        );
        groups.add("G (bottom)", repeat(session, key("G"), 1).await);
        assert!(
            session.app.queue.end.is_some(),
            "G found the end of the queue"
        );
        groups.add("k", repeat(session, key("k"), 20).await);
        groups.add("g g (top), each g", session.press_all(&typed("gg")).await);
        assert_eq!(session.app.queue.cursor, 0, "g g went to the top");
        groups.add(
            "page down (ctrl-d)",
            repeat(session, key("ctrl-d"), 10).await,
        );
        groups.add("g g (top), each g", session.press_all(&typed("gg")).await);
    }
    groups.rows(title)
}

/// The queries typed into the filter bar.
pub const FILTERS: [&str; 3] = ["platform:x", "refund", "tag:legal -kind:dm"];

/// Filtering: `f`, the query typed key by key, `enter`, then `F` to clear it; each query
/// six times. Also returns a line on how many items each filter's view holds.
pub async fn filtering(session: &mut Session, title: &str) -> (Vec<Row>, String) {
    let mut groups = Groups::default();
    let mut sizes = Vec::new();
    for round in 0..6 {
        for query in FILTERS {
            let mut typing = vec![session.press(key("f")).await];
            typing.extend(session.press_all(&typed(query)).await);
            groups.add("f and typing the query", typing);
            groups.add(
                "enter (filter applied)",
                vec![session.press(key("enter")).await],
            );
            let queue = &session.app.queue;
            assert!(queue.loaded, "the filtered view loaded");
            if round == 0 {
                let size = match queue.end {
                    Some(end) => end.to_string(),
                    None => format!("{}+", queue.start + queue.items.len()),
                };
                sizes.push(format!("`{query}`: {size}"));
            }
            groups.add("F (filter cleared)", vec![session.press(key("F")).await]);
        }
    }
    (groups.rows(title), sizes.join(", "))
}

/// Draws the current screen `DRAWS` times: a row with each draw's wall and CPU time.
fn draws(session: &mut Session, what: &str) -> Row {
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    for _ in 0..DRAWS {
        let (began, cpu_began) = (Instant::now(), thread_cpu());
        session.draw();
        wall.push(began.elapsed());
        cpu.push(thread_cpu().saturating_sub(cpu_began));
    }
    draw_row(what, &wall, &cpu)
}

/// The loaded queue position whose item has the longest thread (and its length).
pub async fn longest_thread(session: &Session) -> (usize, usize) {
    let queue = &session.app.queue;
    let candidates: Vec<_> = queue
        .items
        .iter()
        .take(THREAD_CANDIDATES)
        .map(|i| i.id)
        .collect();
    let mut best = (queue.start, 0);
    for (n, id) in candidates.into_iter().enumerate() {
        let answer = session.call(Request::Show { id, raw: false }).await;
        if let Ok(Response::Detail { detail }) = answer {
            if detail.thread.len() > best.1 {
                best = (queue.start + n, detail.thread.len());
            }
        }
    }
    best
}

/// Render times at the session's size: the queue, the detail of the item at `position`
/// (opened with enter, timed too), and find results for `refund`.
pub async fn render(session: &mut Session, position: usize) -> Vec<Row> {
    let size = session.terminal.size().expect("terminal size");
    let at = format!("{}×{}", size.width, size.height);
    session.press_all(&typed("gg")).await;
    let mut rows = vec![draws(session, &format!("{at} queue"))];

    session.app.queue.move_to(position);
    session.draw();
    let open = session.press(key("enter")).await;
    let detail = session.app.detail.as_ref().expect("the detail opened");
    let (thread, lines) = (
        detail.detail.as_ref().map_or(0, |d| d.thread.len()),
        detail.lines.len(),
    );
    rows.push(press_row(
        &format!("{at} open the detail (enter), thread of {thread} items, {lines} lines"),
        &[open],
        "",
    ));
    rows.push(draws(session, &format!("{at} detail pane")));
    session.press(key("esc")).await;

    session.press(key("/")).await;
    session.press_all(&typed("refund")).await;
    let hits = match &session.app.overlay {
        Some(switchboard::ui::app::Overlay::Find(find)) => find.hits.len(),
        _ => panic!("the finder is open"),
    };
    rows.push(draws(
        session,
        &format!("{at} find results (`refund`, {hits} hits)"),
    ));
    session.press(key("esc")).await;
    rows
}
