//! The dashboard in the TUI, driven through `update` against the fake hub: `D` shows it and
//! asks for the report of the last 7 days, `1`, `7` and `3` ask for another window (an
//! answer for a window left since is dropped), `esc` goes back, the emacs keymap reaches it
//! with `C-x D`; a failed call says why. Snapshots of the screen at two sizes.

mod ui_support;

use std::collections::BTreeMap;

use chrono::Duration;
use switchboard::hub::protocol::{ErrorKind, Request, Response, WireError};
use switchboard::reports::{AgentStats, EscalationStats, SlaSummary, StatsReport, Timing, Volume};
use switchboard::ui::app::{update, App};
use switchboard::ui::keymap::Context;
use switchboard::ui::msg::{CallFailure, CallTag, Effect, Msg};
use switchboard::ui::Keymap;
use ui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// A week of a small team: figures worked out so that every part of the screen shows.
fn report() -> StatsReport {
    let until = now();
    StatsReport {
        since: until - Duration::days(7),
        until,
        volume: Volume {
            total: 140,
            by_platform: counts(&[
                ("x", 52),
                ("instagram", 40),
                ("mastodon", 30),
                ("bluesky", 18),
            ]),
            by_kind: counts(&[("comment", 70), ("mention", 45), ("dm", 25)]),
            bucket_seconds: 86_400,
            over_time: vec![12, 18, 25, 30, 22, 15, 18],
        },
        first_response: Timing {
            count: 120,
            missing: 20,
            median_seconds: Some(12 * 60),
            p90_seconds: Some(3 * 3600 + 5 * 60),
        },
        resolution: Timing {
            count: 100,
            missing: 40,
            median_seconds: Some(2 * 3600),
            p90_seconds: Some(26 * 3600),
        },
        sla: SlaSummary {
            met: 87,
            breached: 13,
            pending: 5,
            without_due: 35,
            met_percent: Some(87.0),
        },
        agents: vec![
            AgentStats {
                user: "alice".into(),
                replies_sent: 64,
                resolved: 51,
                first_response_median_seconds: Some(540),
            },
            AgentStats {
                user: "bob\u{1b}[31m".into(),
                replies_sent: 40,
                resolved: 38,
                first_response_median_seconds: Some(900),
            },
        ],
        escalations: vec![
            EscalationStats {
                name: "legal".into(),
                raised: 4,
                answered: 3,
                answer_median_seconds: Some(1800),
                answer_p90_seconds: Some(5400),
            },
            EscalationStats {
                name: "brand".into(),
                raised: 2,
                answered: 2,
                answer_median_seconds: Some(600),
                answer_p90_seconds: Some(900),
            },
        ],
        escalations_shown: true,
    }
}

/// The `Stats` calls among `effects`, with their numbers; the other effects run on the
/// fake hub.
fn stats_calls(app: &mut App, hub: &mut FakeHub, effects: Vec<Effect>) -> Vec<(u64, Request)> {
    let mut calls = Vec::new();
    let mut rest = Vec::new();
    for effect in effects {
        match effect {
            Effect::Call {
                tag: CallTag::Stats { seq },
                request,
            } => calls.push((seq, request)),
            other => rest.push(other),
        }
    }
    run(app, hub, rest);
    calls
}

fn press(app: &mut App, hub: &mut FakeHub, key: &str) -> Vec<(u64, Request)> {
    let mut calls = Vec::new();
    for chord in switchboard::ui::keys::parse_sequence(key).unwrap() {
        let effects = update(app, Msg::Key(chord));
        calls.extend(stats_calls(app, hub, effects));
    }
    calls
}

fn answer(app: &mut App, seq: u64, result: Result<Response, CallFailure>) {
    let effects = update(
        app,
        Msg::Answer {
            tag: CallTag::Stats { seq },
            result,
        },
    );
    assert!(effects.is_empty());
}

/// The hours between a `Stats` request's start and the app's clock.
fn hours_back(app: &App, request: &Request) -> i64 {
    match request {
        Request::Stats {
            since: Some(since),
            until: None,
        } => (app.now - *since).num_hours(),
        other => panic!("not a stats request: {other:?}"),
    }
}

#[test]
fn d_shows_the_week_and_the_number_keys_change_the_window() {
    let mut hub = FakeHub::new(sample_items(5));
    let mut app = started(120, 40, &mut hub);
    let calls = press(&mut app, &mut hub, "D");
    assert_eq!(app.context(), Context::Dashboard);
    assert_eq!(calls.len(), 1);
    assert_eq!(hours_back(&app, &calls[0].1), 7 * 24);
    assert!(screen(&app).contains("loading…"), "{}", screen(&app));

    let day = press(&mut app, &mut hub, "1");
    assert_eq!(hours_back(&app, &day[0].1), 24);
    // The week's answer comes after the day was asked: dropped.
    answer(&mut app, calls[0].0, Ok(Response::Stats(report())));
    assert!(app.dashboard.report.is_none() && app.dashboard.loading);
    let month = press(&mut app, &mut hub, "3");
    assert_eq!(hours_back(&app, &month[0].1), 30 * 24);
    answer(&mut app, month[0].0, Ok(Response::Stats(report())));
    assert!(
        screen(&app).contains("Dashboard · last 30 days"),
        "{}",
        screen(&app)
    );

    let again = press(&mut app, &mut hub, "ctrl-l");
    assert_eq!(
        hours_back(&app, &again[0].1),
        30 * 24,
        "refresh keeps the window"
    );
    assert!(
        app.dashboard.report.is_some(),
        "the figures stay while refreshing"
    );
    press(&mut app, &mut hub, "esc");
    assert_eq!(app.context(), Context::Queue);
}

#[test]
fn a_failed_call_says_why() {
    let mut hub = FakeHub::new(sample_items(3));
    let mut app = started(80, 24, &mut hub);
    let calls = press(&mut app, &mut hub, "D");
    let refused = CallFailure::Hub(WireError {
        kind: ErrorKind::BadRequest,
        message: "the stats window is empty".into(),
    });
    answer(&mut app, calls[0].0, Err(refused));
    let text = screen(&app);
    assert!(text.contains("cannot load the stats"), "{text}");
    assert!(text.contains("the stats window is empty"), "{text}");
}

#[test]
fn the_emacs_keymap_opens_it_with_c_x_d() {
    let mut hub = FakeHub::new(sample_items(3));
    let keymap = Keymap::builtin("emacs").unwrap();
    let mut app = app_with_keymap(keymap, 80, 24, &[]);
    let effects = app.start();
    run(&mut app, &mut hub, effects);
    let calls = press(&mut app, &mut hub, "C-x D");
    assert_eq!(calls.len(), 1);
    assert_eq!(app.context(), Context::Dashboard);
    let week = press(&mut app, &mut hub, "7");
    assert_eq!(hours_back(&app, &week[0].1), 7 * 24);
    press(&mut app, &mut hub, "C-g");
    assert_eq!(app.context(), Context::Queue);
}

#[test]
fn dashboard_snapshots() {
    for (width, height) in SIZES {
        let mut hub = FakeHub::new(sample_items(5));
        let mut app = started(width, height, &mut hub);
        let calls = press(&mut app, &mut hub, "D");
        answer(&mut app, calls[0].0, Ok(Response::Stats(report())));
        let text = screen(&app);
        assert!(!text.contains('\u{1b}'), "names are sanitized");
        insta::assert_snapshot!(format!("dashboard_{width}x{height}"), text);
    }
}
