//! X from the binary and the config: a plain `[[accounts]]` block makes an X connector (a
//! missing `user_id` names the account), `sync --once` brings the loopback X world in with
//! the right kinds, `doctor` shows the day's spend, and `reply` says what a reply costs.

mod common;

use std::path::Path;

use common::x_api::*;
use serde_json::json;
use switchboard::config::Config;
use switchboard::connectors::build_connectors;
use switchboard::model::Platform;

#[test]
fn a_plain_config_makes_an_x_connector_and_a_missing_user_id_names_the_account() {
    let text = format!(
        "{}\n[[accounts]]\nname = \"other-x\"\nplatform = \"x\"\ntoken = \"t\"\n",
        x_account_toml("acme-x", "http://127.0.0.1:9")
    );
    let config = Config::parse(Path::new("c.toml"), &text).unwrap();
    let (connectors, problems) = build_connectors(&config);
    assert_eq!(connectors.get("acme-x").unwrap().platform(), Platform::X);
    assert_eq!(problems.len(), 1);
    let why = problems[0].error.to_string();
    assert!(
        why.contains("account other-x") && why.contains("user_id"),
        "{why}"
    );
}

/// An item of `platform` imported into `home`; its id.
fn import(home: &common::Home, platform: &str) -> String {
    let line = json!({
        "platform": platform, "account": format!("acme-{platform}"), "kind": "mention",
        "remote_id": "1578516295611748353", "created_at": "2026-11-23T06:00:00Z",
        "author": {"id": "7", "handle": "claire", "name": "Claire"}, "text": "where is it?",
    });
    let file = home.path().join(format!("{platform}.jsonl"));
    std::fs::write(&file, format!("{line}\n")).unwrap();
    home.ok(&["import", file.to_str().unwrap()]);
    let items = home.items(&[&format!("platform:{platform}")]);
    items[0]["id"].as_str().unwrap().to_string()
}

#[test]
fn the_reply_command_says_what_a_reply_costs_on_x_and_nothing_elsewhere() {
    let home = common::Home::new();
    let x = import(&home, "x");
    let linked = home.ok(&[
        "reply",
        &x,
        "--text",
        "Track it at https://acme.example/t/1",
    ]);
    assert!(
        linked.contains("this reply costs $0.20 (has a link) on x"),
        "{linked}"
    );
    let plain = home.ok(&["reply", &x, "--text", "It left today"]);
    assert!(plain.contains("this reply costs $0.015 on x"), "{plain}");
    let mastodon = import(&home, "mastodon");
    let free = home.ok(&["reply", &mastodon, "--text", "https://acme.example/t/1"]);
    assert!(!free.contains("costs"), "{free}");
}

#[test]
fn sync_once_brings_the_world_in_and_doctor_shows_the_day_s_spend() {
    let api = start_x_world();
    let home = common::Home::new();
    let config = x_account_toml("acme-x", &api.base());
    std::fs::write(home.path().join("config.toml"), config).unwrap();
    let out = home.run(&["sync", "--once"]);
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items = home.items(&["platform:x"]);
    let kinds = |kind: &str| items.iter().filter(|i| i["kind"] == kind).count();
    // The brand's post came in as the thread of @ben's reply (a context comment).
    assert_eq!(
        (kinds("mention"), kinds("comment"), kinds("dm")),
        (10, 3, 2),
        "{said}"
    );
    assert!(said.contains("acme-x: 14 new"), "{said}");
    let doctor = String::from_utf8_lossy(&home.run(&["doctor"]).stdout).to_string();
    let account = doctor
        .lines()
        .find(|l| l.contains("acme-x (x)"))
        .unwrap_or_default();
    // The thread's lookup read a post already charged today: 5 billed calls, not 6.
    assert!(
        account.contains("spent $0.1") && account.ends_with("today (5 billed calls)"),
        "{doctor}"
    );
}
