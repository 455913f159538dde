//! The status bar shows a YouTube account's quota left next to its badge, as the connector
//! counts it (the same `Usage` the hub saves): dim while plenty is left, warning-coloured
//! when low, and the account rate-limited until the Pacific-midnight reset once used up.

mod ui_support;

use chrono::Utc;
use switchboard::connectors::youtube::{next_reset, quota_day};
use switchboard::hub::protocol::Event;
use switchboard::model::{AccountState, AccountStatus, Meter, Platform, Usage};
use switchboard::ui::msg::Msg;
use ui_support::*;

fn youtube(state: AccountState, used: u64) -> AccountStatus {
    AccountStatus {
        state,
        usage: Some(Usage {
            day: quota_day(Utc::now()),
            meter: Meter::Quota {
                used,
                limit: 10_000,
            },
        }),
        ..AccountStatus::new("acme-yt", Platform::Youtube)
    }
}

/// The status bar: the row above the key hints.
fn status_bar(screen: &str) -> String {
    screen.lines().rev().nth(1).unwrap().to_string()
}

#[test]
fn the_status_bar_shows_the_quota_left_by_the_youtube_badge() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(120, 30, &mut hub);
    let accounts = vec![
        AccountStatus {
            state: AccountState::Ok,
            ..AccountStatus::new("acme-masto", Platform::Mastodon)
        },
        youtube(AccountState::Ok, 154),
    ];
    send(&mut app, &mut hub, Msg::Hub(Event::Accounts { accounts }));
    let bar = status_bar(&screen(&app));
    insta::assert_snapshot!("status_bar_youtube_quota", bar);
    assert!(bar.contains("MA✓ YT✓ 9.8k left"), "{bar}");

    let until = next_reset(Utc::now());
    let spent = vec![youtube(AccountState::RateLimited { until }, 10_000)];
    send(
        &mut app,
        &mut hub,
        Msg::Hub(Event::Accounts { accounts: spent }),
    );
    let bar = status_bar(&screen(&app));
    assert!(bar.contains("YT⏸ 0 left"), "{bar}");
    assert!(
        bar.contains(&format!("rate-limited until {}", until.format("%H:%M"))),
        "{bar}"
    );
}
