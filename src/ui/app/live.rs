//! Keeping the screen live: hub events update shown items in place and schedule a reload of
//! the window, the counts or the open detail (at most one pending reload of each, so a
//! burst of events costs one request); timers fire those reloads; the clock ticks SLA
//! countdowns and expires messages; the mouse scrolls and points.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::super::action::Action;
use super::super::msg::{Effect, Timer};
use super::commands::{refresh_all, reload_detail};
use super::{accounts_call, counts_calls, dispatch, status_call, App};
use crate::hub::protocol::Event;
use crate::model::query::MatchContext;
use crate::model::{Item, Notice, NoticeKind, Query};

/// Delay before reloading the window after a change: it collects bursts, so a busy hub (a
/// hundred arrivals a second, twenty CMs attached) costs each client at most about two
/// window reloads a second, while a change still shows within half a second.
pub const REFRESH_DELAY: Duration = Duration::from_millis(500);
/// The tab counts move less visibly than the rows: reloaded at most every two seconds.
const COUNTS_DELAY: Duration = Duration::from_secs(2);
const DETAIL_DELAY: Duration = Duration::from_millis(150);
const RESUBSCRIBE_DELAY: Duration = Duration::from_secs(2);
/// Ticks (seconds) between hub status reloads.
const STATUS_EVERY: u64 = 30;

/// One hub event.
pub fn hub_event(app: &mut App, event: Event) -> Vec<Effect> {
    let change = match event {
        Event::Changed { change } => change,
        Event::Lagged { missed } => {
            app.flash(format!("missed {missed} live updates: reloading"), false);
            return refresh_all(app);
        }
        Event::Presence { online } => return super::presence::online(app, online),
        Event::Accounts { accounts } => {
            app.set_accounts(accounts);
            return Vec::new();
        }
        Event::Outbox { entry, by } => return super::outbox::event(app, *entry, by),
        Event::Notice { notice } => return notice_event(app, notice),
        Event::Escalation { escalation, by } => {
            return super::escalations::event(app, *escalation, by)
        }
        Event::Sla { event } => return super::pages::event(app, &event),
    };
    let item: &Item = &change.item;
    app.learn(std::slice::from_ref(item));
    let shown = app.queue.replace(item);
    let mut effects = Vec::new();
    let concerns_detail = app.detail.as_ref().is_some_and(|d| d.concerns(item));
    if concerns_detail {
        super::triage::replace_everywhere(app, item);
        effects.extend(schedule(app, Timer::RefreshDetail(0), DETAIL_DELAY));
    }
    if shown || may_enter(app, item) {
        effects.extend(schedule_refresh(app));
    }
    effects.extend(schedule(app, Timer::RefreshCounts(0), COUNTS_DELAY));
    // An item we do not hold changes nothing on screen until the reload it scheduled comes
    // back: no frame for it (a busy hub sends a hundred of these a second).
    app.dirty = shown || concerns_detail;
    effects
}

/// A notice for us: the terminal rings, and a message shows in the status bar unless the
/// notice's own event brings a fuller one (an escalation or its answer names who and why,
/// `escalations::event`; a warning, breach or page says what is due, `pages::event`). Both
/// arrive, in either order: the notice must not cover the fuller message.
fn notice_event(app: &mut App, notice: Notice) -> Vec<Effect> {
    if !has_own_event(notice.kind) {
        let label = crate::ui::alert::label(notice.kind);
        app.flash(format!("{label}: {}", notice.title), false);
        app.dirty = true;
    }
    vec![Effect::Alert {
        title: notice.title,
        body: notice.body,
    }]
}

/// Notices raised together with an event the TUI shows in its own words.
fn has_own_event(kind: NoticeKind) -> bool {
    match kind {
        NoticeKind::Escalated
        | NoticeKind::EscalationAnswered
        | NoticeKind::SlaWarning
        | NoticeKind::SlaBreached
        | NoticeKind::Page => true,
        NoticeKind::Test => false,
    }
}

/// Whether a changed item may now belong to the view (so the window must be reloaded).
fn may_enter(app: &App, item: &Item) -> bool {
    let ctx = MatchContext {
        me: &app.user,
        now: app.now,
    };
    Query::parse(&app.tabs.query()).map_or(true, |query| query.matches(item, &ctx))
}

/// Schedules one reload of the window (none if one is already pending).
pub fn schedule_refresh(app: &mut App) -> Vec<Effect> {
    let generation = app.queue.generation;
    schedule(app, Timer::RefreshWindow(generation), REFRESH_DELAY)
}

fn schedule(app: &mut App, timer: Timer, delay: Duration) -> Vec<Effect> {
    let pending = match timer {
        Timer::RefreshWindow(_) => &mut app.refresh_pending,
        Timer::RefreshCounts(_) => &mut app.counts_pending,
        Timer::RefreshDetail(_) => &mut app.detail_pending,
        _ => return vec![Effect::After { delay, timer }],
    };
    if std::mem::replace(pending, true) {
        return Vec::new();
    }
    vec![Effect::After { delay, timer }]
}

/// A timer went off.
pub fn timer(app: &mut App, timer: Timer) -> Vec<Effect> {
    match timer {
        Timer::RefreshWindow(generation) => {
            app.refresh_pending = false;
            if generation != app.queue.generation {
                return Vec::new();
            }
            let page = app.queue.refresh();
            vec![app.page_call(page)]
        }
        Timer::RefreshCounts(_) => {
            app.counts_pending = false;
            counts_calls(&app.tabs)
        }
        Timer::RefreshDetail(_) => {
            app.detail_pending = false;
            reload_detail(app)
        }
        Timer::Find(seq) => find_now(app, seq),
        Timer::WhichKey(generation) => {
            if app.pending.generation == generation && !app.pending.keys.is_empty() {
                app.pending.shown = true;
            } else {
                app.dirty = false;
            }
            Vec::new()
        }
        Timer::Resubscribe => vec![Effect::Subscribe],
        Timer::SaveDraft(edits) => super::reply::save_timer(app, edits),
    }
}

/// Sends the find request for keystroke `seq`, unless the user typed on since.
fn find_now(app: &mut App, seq: u64) -> Vec<Effect> {
    let query = app.tabs.query();
    let Some(super::Overlay::Find(find)) = &app.overlay else {
        return Vec::new();
    };
    if find.seq != seq || find.input.text().trim().is_empty() {
        return Vec::new();
    }
    vec![Effect::Call {
        tag: super::CallTag::Find { seq },
        request: crate::hub::protocol::Request::Find {
            pattern: find.input.text().trim().to_string(),
            query,
            limit: super::super::components::find::FIND_LIMIT,
        },
    }]
}

/// The event subscription ended: say so and try again shortly.
pub fn hub_lost(app: &mut App, why: String) -> Vec<Effect> {
    app.hub_problem = Some(why);
    vec![Effect::After {
        delay: RESUBSCRIBE_DELAY,
        timer: Timer::Resubscribe,
    }]
}

/// The subscription runs: if it had been lost, reload what may have changed meanwhile.
pub fn subscribed(app: &mut App) -> Vec<Effect> {
    match app.hub_problem.take() {
        Some(_) => refresh_all(app),
        None => Vec::new(),
    }
}

/// The clock moved: redraw only when something shown depends on it.
pub fn tick(app: &mut App, now: DateTime<Utc>) -> Vec<Effect> {
    let minute_changed = now.timestamp() / 60 != app.now.timestamp() / 60;
    app.now = now;
    app.ticks += 1;
    let expired = app.flash.as_ref().is_some_and(|f| f.until <= now);
    if expired {
        app.flash = None;
    }
    let countdown_shown = app.next_breach().is_some() || app.reply_window().is_some();
    app.dirty = minute_changed || expired || countdown_shown;
    if app.ticks % STATUS_EVERY == 0 {
        vec![status_call(), accounts_call()]
    } else {
        Vec::new()
    }
}

/// Mouse wheel: move (or scroll) by lines.
pub fn scroll(app: &mut App, lines: i32) -> Vec<Effect> {
    let action = if lines > 0 {
        Action::MoveDown
    } else {
        Action::MoveUp
    };
    (0..lines.unsigned_abs())
        .flat_map(|_| dispatch(app, action))
        .collect()
}

/// Mouse click: a click on a queue row puts the cursor there.
pub fn click(app: &mut App, column: u16, row: u16) -> Vec<Effect> {
    if app.overlay.is_some() || app.outbox.shown {
        return Vec::new();
    }
    let Some(area) = app.areas().queue else {
        return Vec::new();
    };
    let inside = (area.x..area.right()).contains(&column) && (area.y..area.bottom()).contains(&row);
    if !inside {
        return Vec::new();
    }
    let index = app.queue.scroll + usize::from(row - area.y);
    app.queue.move_to(index);
    app.follow_cursor()
}
