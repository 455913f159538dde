//! Running an action: the canned-response picker gets it first when it is open
//! ([`super::canned`]), then the reply composer ([`super::reply`]),
//! then the focused overlay (help scrolls, the palette and the finder move and edit, the
//! prompt edits and submits, a question takes yes or no), then the outbox screen when it
//! shows ([`super::outbox`]); otherwise the pane does (moving, opening, tabs, selection,
//! the triage commands of [`super::triage`] and moderation, [`super::moderation`]).

use super::super::action::Action;
use super::super::components::dashboard::StatsSpan;
use super::super::components::{Help, Palette, Prompt, PromptKind};
use super::super::msg::{CallTag, Effect};
use super::input::{find_changed, open_find};
use super::{counts_calls, reply, status_call, triage, App, Overlay};
use crate::hub::protocol::Request;
use crate::model::{Item, Status};

/// Runs one action in the current focus.
pub fn dispatch(app: &mut App, action: Action) -> Vec<Effect> {
    if app.canned.is_some() {
        return super::canned::action(app, action);
    }
    if action == Action::Canned && (app.composer.is_some() || app.overlay.is_none()) {
        return super::canned::open(app);
    }
    if app.composer.is_some() {
        return reply::action(app, action);
    }
    if app.escalations.picker.is_some() {
        return super::escalations::picker_action(app, action);
    }
    match &app.overlay {
        Some(Overlay::Help(_)) => help_action(app, action),
        Some(Overlay::Handoff(_)) => {
            let rows = usize::from(app.height);
            super::handoff::overlay_action(app, step(action, rows))
        }
        Some(Overlay::Palette(_)) => palette_action(app, action),
        Some(Overlay::Find(_)) => find_action(app, action),
        Some(Overlay::Prompt(_)) => prompt_action(app, action),
        Some(Overlay::Confirm(_)) => super::moderation::answer_question(app, action),
        None if app.dashboard.shown => super::dashboard::action(app, action),
        None if app.outbox.shown => super::outbox::action(app, action),
        None if app.escalations.shown => super::escalations::screen_action(app, action),
        None => pane_action(app, action),
    }
}

/// How many lines a move action moves in a view of `rows` lines.
pub(super) fn step(action: Action, rows: usize) -> Option<isize> {
    let page = rows.max(2) as isize - 1;
    match action {
        Action::MoveDown => Some(1),
        Action::MoveUp => Some(-1),
        Action::PageDown => Some(page),
        Action::PageUp => Some(-page),
        Action::Top => Some(isize::MIN / 2),
        Action::Bottom => Some(isize::MAX / 2),
        _ => None,
    }
}

fn help_action(app: &mut App, action: Action) -> Vec<Effect> {
    let rows = usize::from(app.height);
    if let (Some(Overlay::Help(help)), Some(delta)) = (&mut app.overlay, step(action, rows)) {
        help.scroll = help.scroll.saturating_add_signed(delta);
        return Vec::new();
    }
    app.overlay = None;
    Vec::new()
}

fn palette_action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(Overlay::Palette(palette)) = &mut app.overlay else {
        return Vec::new();
    };
    if let Some(delta) = step(action, 10) {
        palette.move_by(delta);
        return Vec::new();
    }
    match action {
        Action::Confirm => {
            let chosen = palette.current();
            app.overlay = None;
            match chosen {
                Some(action) => dispatch(app, action),
                None => Vec::new(),
            }
        }
        Action::Cancel | Action::Back | Action::Palette => {
            app.overlay = None;
            Vec::new()
        }
        Action::Complete => {
            if let Some(chosen) = palette.current() {
                palette.input.set(chosen.name());
                palette.refilter();
            }
            Vec::new()
        }
        edit => {
            if palette.input.edit(edit) {
                palette.refilter();
            }
            Vec::new()
        }
    }
}

fn find_action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(Overlay::Find(find)) = &mut app.overlay else {
        return Vec::new();
    };
    if let Some(delta) = step(action, 10) {
        find.move_by(delta);
        return Vec::new();
    }
    match action {
        Action::Confirm => {
            let hit = find.current().map(|h| h.item.clone());
            app.overlay = None;
            match hit {
                Some(item) => jump_to(app, item),
                None => Vec::new(),
            }
        }
        Action::Cancel | Action::Back | Action::Find => {
            app.overlay = None;
            Vec::new()
        }
        edit => {
            if find.input.edit(edit) {
                find_changed(app)
            } else {
                Vec::new()
            }
        }
    }
}

fn prompt_action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(Overlay::Prompt(prompt)) = &mut app.overlay else {
        return Vec::new();
    };
    match action {
        Action::Confirm if matches!(prompt.kind, PromptKind::Reject | PromptKind::Report) => {
            super::approvals::reason_given(app)
        }
        Action::Confirm
            if matches!(
                prompt.kind,
                PromptKind::EscalationNote | PromptKind::Guidance | PromptKind::HandBack
            ) =>
        {
            super::escalations::prompt_given(app)
        }
        Action::Confirm => triage::submit(app),
        Action::Cancel | Action::Back => {
            app.overlay = None;
            Vec::new()
        }
        Action::Complete => {
            prompt.complete();
            Vec::new()
        }
        Action::HistoryPrev | Action::HistoryNext => {
            let history = app.history.get(&prompt.kind).cloned().unwrap_or_default();
            prompt.recall(&history, action == Action::HistoryPrev);
            Vec::new()
        }
        edit => {
            prompt.edit(edit);
            Vec::new()
        }
    }
}

/// Actions on the queue or detail pane.
pub(super) fn pane_action(app: &mut App, action: Action) -> Vec<Effect> {
    if let Some(tab) = action.tab_index() {
        return select_tab(app, tab);
    }
    if let Some(effects) = move_action(app, action) {
        return effects;
    }
    match action {
        Action::Open => match app.queue.current().cloned() {
            Some(item) => open_detail(app, item),
            None => Vec::new(),
        },
        Action::Back => {
            if app.detail.take().is_some() {
                app.relayout();
            } else {
                app.queue.selected.clear();
            }
            app.follow_cursor()
        }
        Action::NextSla => next_sla(app),
        Action::Resolve => triage::set_status(app, Status::Resolved, "resolve", false),
        Action::ResolveNext => triage::set_status(app, Status::Resolved, "resolve", true),
        Action::Reopen => triage::set_status(app, Status::Open, "reopen", false),
        Action::Escalate => super::escalations::open_picker(app),
        Action::Escalations => super::escalations::open_screen(app),
        Action::Guidance | Action::TakeOver | Action::HandBack => {
            super::escalations::outside_screen(app, action)
        }
        Action::Spam => triage::set_status(app, Status::Spam, "spam", false),
        Action::AssignMe => {
            let me = app.user.clone();
            triage::assign(app, Some(me))
        }
        Action::Unassign => triage::assign(app, None),
        Action::Claim => triage::claim(app),
        Action::Ack => super::pages::ack(app),
        Action::Reply => reply::open(app),
        Action::Tag => open_prompt(app, PromptKind::Tag),
        Action::Untag => open_prompt(app, PromptKind::Untag),
        Action::Assign => open_prompt(app, PromptKind::Assign),
        Action::Note => open_prompt(app, PromptKind::Note),
        Action::Snooze => open_prompt(app, PromptKind::Snooze),
        Action::Filter => open_prompt(app, PromptKind::Filter),
        Action::Undo => triage::undo(app),
        Action::ToggleSelect => {
            app.queue.toggle_select();
            app.queue.move_by(1);
            app.follow_cursor()
        }
        Action::SelectAll => {
            app.queue.select_all();
            app.flash(format!("{} selected", app.queue.selected.len()), false);
            Vec::new()
        }
        Action::ClearSelection => {
            app.queue.selected.clear();
            Vec::new()
        }
        Action::ClearFilter => triage::apply_filter(app, String::new()),
        Action::Find => {
            open_find(app);
            Vec::new()
        }
        Action::Help => {
            app.overlay = Some(Overlay::Help(Help {
                context: app.pane_context(),
                scroll: 0,
            }));
            Vec::new()
        }
        Action::Palette => {
            app.overlay = Some(Overlay::Palette(Palette::default()));
            Vec::new()
        }
        Action::Handoff => vec![super::handoff::call(true)],
        Action::Outbox => super::outbox::open_screen(app),
        Action::Dashboard | Action::StatsDay | Action::StatsWeek | Action::StatsMonth => {
            super::dashboard::open(app, StatsSpan::of(action))
        }
        Action::ModerateHide
        | Action::ModerateUnhide
        | Action::ModerateDelete
        | Action::ModerateBlock
        | Action::ModerateMute
        | Action::ModerateReport => super::moderation::start(app, action),
        Action::Approve
        | Action::ApproveEdited
        | Action::Reject
        | Action::Retry
        | Action::EditRetry
        | Action::NeedsApproval => super::approvals::outside_outbox(app, action),
        Action::NextTab => {
            let changed = app.tabs.select_next();
            tab_changed(app, changed)
        }
        Action::PrevTab => {
            let changed = app.tabs.select_prev();
            tab_changed(app, changed)
        }
        Action::Refresh => refresh_all(app),
        Action::Quit => {
            app.should_quit = true;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Moves in the detail pane (scrolling) or the queue (the cursor).
fn move_action(app: &mut App, action: Action) -> Option<Vec<Effect>> {
    if let Some(detail) = &mut app.detail {
        let delta = step(action, detail.rows)?;
        match action {
            Action::Bottom => detail.scroll_to_end(),
            _ => detail.scroll_by(delta),
        }
        return Some(Vec::new());
    }
    let delta = step(action, app.queue.rows)?;
    let mut effects = Vec::new();
    match action {
        Action::Top => app.queue.move_to(0),
        Action::Bottom => effects.extend(triage::bottom(app)),
        _ => app.queue.move_by(delta),
    }
    effects.extend(app.follow_cursor());
    Some(effects)
}

fn next_sla(app: &mut App) -> Vec<Effect> {
    let Some(index) = app.queue.next_sla() else {
        app.flash("no loaded item has an SLA", false);
        return Vec::new();
    };
    app.queue.move_to(index);
    let mut effects = app.follow_cursor();
    if app.detail.is_some() {
        if let Some(item) = app.queue.current().cloned() {
            effects.extend(open_detail(app, item));
        }
    }
    effects
}

fn select_tab(app: &mut App, index: usize) -> Vec<Effect> {
    if index >= app.tabs.tabs.len() {
        app.flash(format!("there is no tab {}", index + 1), true);
        return Vec::new();
    }
    let changed = app.tabs.select(index);
    tab_changed(app, changed)
}

fn tab_changed(app: &mut App, changed: bool) -> Vec<Effect> {
    if !changed {
        return Vec::new();
    }
    app.detail = None;
    app.relayout();
    let page = app.queue.reset();
    vec![app.page_call(page)]
}

/// Reloads the window, the counts, the hub status, the outbox and the open detail.
pub(super) fn refresh_all(app: &mut App) -> Vec<Effect> {
    let page = app.queue.refresh();
    let mut effects = vec![
        app.page_call(page),
        status_call(),
        super::outbox::load_call(),
    ];
    effects.extend(counts_calls(&app.tabs));
    effects.extend(reload_detail(app));
    effects
}

/// Opens an item in the detail pane and asks the hub for its context.
pub(super) fn open_detail(app: &mut App, item: Item) -> Vec<Effect> {
    let seq = app.next_seq();
    app.detail = Some(super::Detail::new(item, seq));
    // Lays out and renders the detail (its width is new).
    app.relayout();
    reload_detail(app)
}

/// Asks the hub again for the open detail (a newer answer replaces the older).
pub(super) fn reload_detail(app: &mut App) -> Vec<Effect> {
    let seq = app.next_seq();
    let Some(detail) = &mut app.detail else {
        return Vec::new();
    };
    detail.seq = seq;
    let id = detail.id();
    vec![Effect::Call {
        tag: CallTag::Detail { id, seq },
        request: Request::Show { id, raw: false },
    }]
}

/// Goes to an item found by find: the cursor moves there when it is loaded, and the item
/// opens.
fn jump_to(app: &mut App, item: Item) -> Vec<Effect> {
    if let Some(position) = app.queue.position(item.id) {
        app.queue.move_to(position);
    }
    open_detail(app, item)
}

fn open_prompt(app: &mut App, kind: PromptKind) -> Vec<Effect> {
    let targets = triage::targets(app);
    if kind != PromptKind::Filter && targets.is_empty() {
        app.flash("no item under the cursor", true);
        return Vec::new();
    }
    let candidates = triage::candidates(app, kind, &targets);
    let initial = match kind {
        PromptKind::Filter => app.tabs.filter.clone(),
        _ => String::new(),
    };
    let target = triage::describe(&targets);
    app.overlay = Some(Overlay::Prompt(Prompt::new(
        kind, &initial, candidates, target,
    )));
    Vec::new()
}
