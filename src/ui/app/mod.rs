//! The TUI's whole state ([`App`]) and [`update`], the only function that changes it.
//!
//! `update` takes one [`Msg`] and returns the [`Effect`]s the runtime must perform (hub
//! calls, timers); it never blocks and never touches the terminal, so every behaviour is
//! testable with fabricated messages. Its work is split by concern: key reading
//! ([`input`]), commands ([`commands`]), item changes and undo ([`triage`]), hub answers
//! ([`answers`]), hub events, timers and the clock ([`live`]), the reply composer and drafts
//! ([`reply`], with [`review`] and the external [`editor`]), the canned-response picker
//! over it ([`canned`]), presence, ours and the team's ([`presence`]), the outbox screen and
//! its live entries ([`outbox`]), the dashboard ([`dashboard`]), approvals and retries
//! ([`approvals`]) and moderation from the keyboard ([`moderation`]).

mod answers;
mod approvals;
mod canned;
mod commands;
mod dashboard;
mod editor;
mod escalations;
mod handoff;
mod input;
mod live;
mod moderation;
mod outbox;
mod pages;
mod presence;
mod reply;
mod review;
mod triage;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use ratatui::layout::Rect;

use super::components::escalations::EscalationsThen;
use super::components::{
    CannedPicker, Component, Composer, Confirm, DashboardView, Detail, EscalationsView, Find,
    HandoffView, Help, Me, OutboxView, PageRequest, Palette, PresenceOut, Prompt, PromptKind,
    Queue, ReasonFor, Tabs, UndoLog,
};
use super::keymap::{Context, Keymap};
use super::keys::KeyChord;
use super::msg::{CallTag, Effect, Msg};
use super::theme::Theme;
use super::view::{detail_lines, detail_presence, Areas};
use super::UiOptions;
use crate::hub::protocol::PresenceEntry;
use crate::hub::protocol::{HubStatus, Request};
use crate::model::{AccountStatus, Item, ItemId};
use crate::store::Counts;

pub use commands::dispatch;

/// How long a message stays in the status bar.
const FLASH_SECONDS: i64 = 6;

/// A window over the queue pane: help, palette, find or a prompt.
#[derive(Clone, Debug)]
pub enum Overlay {
    Help(Help),
    Palette(Palette),
    Find(Find),
    Prompt(Prompt),
    /// The latest shift handoff.
    Handoff(HandoffView),
    /// A yes/no question (a moderation step).
    Confirm(Confirm),
}

/// The keys typed so far of a multi-key sequence, and whether its hint shows.
#[derive(Clone, Debug, Default)]
pub struct Pending {
    pub keys: Vec<KeyChord>,
    pub shown: bool,
    pub generation: u64,
}

/// A message in the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
    pub until: DateTime<Utc>,
}

/// A filter sent to the hub but not yet accepted, to restore the old one if it is refused.
#[derive(Clone, Debug)]
struct FilterAttempt {
    generation: u64,
    previous: String,
    attempted: String,
}

/// Everything the TUI shows and remembers.
pub struct App {
    pub keymap: Keymap,
    pub theme: Theme,
    /// Who we are (for `assignee:me`, `assign_me`).
    pub user: String,
    /// Who the hub says we are: role, display name, presence session.
    pub me: Me,
    /// How the hub is reached (status bar).
    pub connection: String,
    pub now: DateTime<Utc>,
    pub width: u16,
    pub height: u16,
    pub tabs: Tabs,
    pub queue: Queue,
    pub detail: Option<Detail>,
    /// The reply being written, over the detail pane.
    pub composer: Option<Composer>,
    /// The canned-response picker, over the composer.
    pub canned: Option<CannedPicker>,
    /// Our unsent replies kept on the hub, by item.
    pub drafts: BTreeMap<ItemId, String>,
    pub overlay: Option<Overlay>,
    pub pending: Pending,
    pub flash: Option<Flash>,
    pub undo: UndoLog,
    pub counts: Option<Counts>,
    pub hub_status: Option<HubStatus>,
    /// Why the hub is not reachable, while it is not.
    pub hub_problem: Option<String>,
    /// Tags seen on items, for completion.
    pub known_tags: BTreeSet<String>,
    /// Team members, for completion.
    pub assignees: BTreeSet<String>,
    /// Who is attached to the hub and what they view or compose (from presence events).
    pub online: Vec<PresenceEntry>,
    /// The platform accounts we see and how their sync is doing.
    pub accounts: Vec<AccountStatus>,
    /// The outbox (replies and moderation on their way out) and its screen.
    pub outbox: OutboxView,
    /// Escalations: the picker, "My escalations" and its screen.
    pub escalations: EscalationsView,
    /// The dashboard screen and its last report.
    pub dashboard: DashboardView,
    /// What the open reason prompt is for (a rejection, a report).
    pub reason_for: Option<ReasonFor>,
    pub history: BTreeMap<PromptKind, Vec<String>>,
    pub mouse: bool,
    pub should_quit: bool,
    /// Whether something visible changed since the last frame.
    pub dirty: bool,
    seq: u64,
    refresh_pending: bool,
    counts_pending: bool,
    detail_pending: bool,
    filter_attempt: Option<FilterAttempt>,
    ticks: u64,
    presence_out: PresenceOut,
    /// Presence events received (an older answer to `Team` is then dropped).
    presence_events: u64,
}

impl App {
    pub fn new(options: UiOptions, connection: String, now: DateTime<Utc>) -> App {
        let mut assignees: BTreeSet<String> = options.assignees.into_iter().collect();
        assignees.insert(options.user.clone());
        let me = options.me.unwrap_or_else(|| Me::named(&options.user));
        let outbox = OutboxView::new(me.role >= crate::team::Role::Approver);
        let tabs = match me.sees_escalations() {
            true => Tabs::new(&options.views),
            false => Tabs::new(&options.views).without_escalations(),
        };
        App {
            keymap: options.keymap,
            theme: Theme::new(options.color),
            user: options.user,
            me,
            connection,
            now,
            width: 80,
            height: 24,
            tabs,
            queue: Queue::default(),
            detail: None,
            composer: None,
            canned: None,
            drafts: BTreeMap::new(),
            overlay: None,
            pending: Pending::default(),
            flash: None,
            undo: UndoLog::default(),
            counts: None,
            hub_status: None,
            hub_problem: None,
            known_tags: BTreeSet::new(),
            assignees,
            online: Vec::new(),
            accounts: Vec::new(),
            outbox,
            escalations: EscalationsView::default(),
            dashboard: DashboardView::default(),
            reason_for: None,
            history: BTreeMap::new(),
            mouse: options.mouse,
            should_quit: false,
            dirty: true,
            seq: 0,
            refresh_pending: false,
            counts_pending: false,
            detail_pending: false,
            filter_attempt: None,
            ticks: 0,
            presence_out: PresenceOut::default(),
            presence_events: 0,
        }
    }

    /// What to do first: subscribe, load the first page, the counts, the hub's status, who
    /// is online, our drafts and the outbox, and ask for the latest shift handoff.
    pub fn start(&mut self) -> Vec<Effect> {
        self.relayout();
        let page = self.queue.reset();
        let mut effects = vec![
            Effect::Subscribe,
            self.page_call(page),
            status_call(),
            accounts_call(),
        ];
        effects.extend(counts_calls(&self.tabs));
        effects.push(handoff::call(false));
        effects.push(presence::team_call(self));
        effects.push(reply::drafts_call());
        effects.push(outbox::load_call());
        effects.push(escalations::load_call(EscalationsThen::Start));
        effects
    }

    /// The accounts' sync states changed (an event or an answer).
    pub fn set_accounts(&mut self, accounts: Vec<AccountStatus>) {
        if self.accounts != accounts {
            self.accounts = accounts;
            self.dirty = true;
        }
    }

    /// A fresh number for tagging requests and keystrokes.
    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// The context keys are read in now.
    pub fn context(&self) -> Context {
        if let Some(picker) = &self.canned {
            return picker.context();
        }
        if let Some(composer) = &self.composer {
            return composer.context();
        }
        if let Some(picker) = &self.escalations.picker {
            return picker.context();
        }
        match &self.overlay {
            Some(Overlay::Palette(_)) => Context::Palette,
            Some(Overlay::Find(_)) => Context::Picker,
            Some(Overlay::Prompt(_)) => Context::Compose,
            Some(Overlay::Confirm(_)) => Context::Confirm,
            Some(Overlay::Help(_)) | Some(Overlay::Handoff(_)) | None => self.pane_context(),
        }
    }

    /// The context of the pane (or the outbox screen) under any overlay.
    pub fn pane_context(&self) -> Context {
        if self.dashboard.shown {
            Context::Dashboard
        } else if self.outbox.shown {
            Context::Outbox
        } else if self.escalations.shown {
            Context::Escalations
        } else if self.detail.is_some() {
            Context::Detail
        } else {
            Context::Queue
        }
    }

    /// The focused component, whose commands the hint bar lists.
    pub fn focused(&self) -> &dyn Component {
        if let Some(picker) = &self.canned {
            return picker;
        }
        if let Some(composer) = &self.composer {
            return composer;
        }
        if let Some(picker) = &self.escalations.picker {
            return picker;
        }
        match &self.overlay {
            Some(Overlay::Help(help)) => help,
            Some(Overlay::Handoff(view)) => view,
            Some(Overlay::Palette(palette)) => palette,
            Some(Overlay::Find(find)) => find,
            Some(Overlay::Prompt(prompt)) => prompt,
            Some(Overlay::Confirm(question)) => question,
            None if self.dashboard.shown => &self.dashboard,
            None if self.outbox.shown => &self.outbox,
            None if self.escalations.shown => &self.escalations,
            None => match &self.detail {
                Some(detail) => detail,
                None => &self.queue,
            },
        }
    }

    pub fn areas(&self) -> Areas {
        Areas::new(
            Rect::new(0, 0, self.width, self.height),
            self.detail.is_some(),
        )
    }

    /// Recomputes the sizes `update` pages and scrolls by; re-wraps the detail if its width
    /// changed.
    fn relayout(&mut self) {
        let areas = self.areas();
        let queue_rows = areas.queue.map_or(areas.body.height, |r| r.height);
        self.queue.set_rows(usize::from(queue_rows));
        self.outbox.set_height(areas.body.height);
        self.escalations.height = usize::from(areas.body.height.saturating_sub(1 + 4));
        let presence_rows = u16::from(detail_presence(self).is_some());
        if let (Some(detail), Some(area)) = (&mut self.detail, areas.detail) {
            detail.rows = usize::from(area.height.saturating_sub(1 + presence_rows));
            if detail.width != area.width {
                self.rebuild_detail();
            }
        }
    }

    /// Renders the detail's lines again (new data, new width).
    fn rebuild_detail(&mut self) {
        let Some(area) = self.areas().detail else {
            return;
        };
        let (theme, now) = (self.theme, self.now);
        if let Some(detail) = &mut self.detail {
            detail.width = area.width;
            detail.lines = detail_lines(
                &detail.item,
                detail.detail.as_deref(),
                area.width,
                &theme,
                now,
            );
            detail.clamp_scroll();
        }
    }

    fn page_call(&self, page: PageRequest) -> Effect {
        Effect::Call {
            tag: CallTag::Page {
                generation: page.generation,
                seq: page.seq,
                start: page.start,
            },
            request: Request::List {
                query: self.tabs.query(),
                skip: page.start,
                limit: page.limit,
                raw: false,
            },
        }
    }

    /// The page the queue needs after its cursor moved, if any.
    fn follow_cursor(&mut self) -> Vec<Effect> {
        self.queue
            .needs_page()
            .map(|page| self.page_call(page))
            .into_iter()
            .collect()
    }

    /// Shows a message in the status bar.
    pub fn flash(&mut self, text: impl Into<String>, error: bool) {
        self.flash = Some(Flash {
            text: text.into(),
            error,
            until: self.now + chrono::Duration::seconds(FLASH_SECONDS),
        });
    }

    /// Learns tags from items (for completion).
    fn learn(&mut self, items: &[Item]) {
        self.outbox.learn(items);
        for item in items {
            self.known_tags.extend(item.tags.iter().cloned());
            if let Some(assignee) = &item.assignee {
                self.assignees.insert(assignee.clone());
            }
        }
    }

    /// The loaded item that is soonest due (or longest overdue), with its due time.
    pub fn next_breach(&self) -> Option<&Item> {
        self.queue.next_sla().and_then(|i| self.queue.item_at(i))
    }
}

/// The per-status counters, and a count of every view tab that is more than a status set.
fn counts_calls(tabs: &crate::ui::components::tabs::Tabs) -> Vec<Effect> {
    let mut calls = vec![Effect::Call {
        tag: CallTag::Counts,
        request: Request::Counts,
    }];
    for (index, tab) in tabs.tabs.iter().enumerate() {
        if tab.statuses.is_none() {
            calls.push(Effect::Call {
                tag: CallTag::TabCount { index },
                request: Request::Count {
                    query: tab.query.clone(),
                },
            });
        }
    }
    calls
}

fn status_call() -> Effect {
    Effect::Call {
        tag: CallTag::HubStatus,
        request: Request::Status,
    }
}

/// Asks for the accounts' sync states (events keep them current after that).
fn accounts_call() -> Effect {
    Effect::Call {
        tag: CallTag::Accounts,
        request: Request::Accounts,
    }
}

/// Changes the state for one message; returns what the runtime must do next (and tells the
/// hub what we show when that changed).
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    // A message that changes nothing visible must not hide one that did, earlier in the
    // same batch (the runtime draws once per batch).
    let undrawn = app.dirty;
    let mut effects = handle(app, msg);
    app.dirty |= undrawn;
    effects.extend(presence::follow(app));
    effects
}

/// One message; `app.dirty` says whether it changed anything visible.
fn handle(app: &mut App, msg: Msg) -> Vec<Effect> {
    app.dirty = true;
    match msg {
        Msg::Key(chord) => input::key(app, chord),
        Msg::Action(action) => {
            app.pending = Pending::default();
            dispatch(app, action)
        }
        Msg::Text(text) => input::text(app, &text),
        Msg::Answer { tag, result } => answers::answer(app, tag, result),
        Msg::Hub(event) => live::hub_event(app, event),
        Msg::Subscribed => live::subscribed(app),
        Msg::HubLost(why) => live::hub_lost(app, why),
        Msg::Timer(timer) => live::timer(app, timer),
        Msg::Tick(now) => live::tick(app, now),
        Msg::Resize { width, height } => {
            app.width = width;
            app.height = height;
            app.relayout();
            app.follow_cursor()
        }
        Msg::Scroll(lines) => live::scroll(app, lines),
        Msg::Click { column, row } => live::click(app, column, row),
        Msg::Closing => reply::closing(app),
        Msg::Edited { text } => editor::edited(app, text),
        Msg::EditFailed(why) => editor::failed(app, why),
    }
}
