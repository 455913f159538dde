use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};

use super::*;
use crate::config::Config;

/// Weekdays: alice 08–16, bob 16–24; every night carol 00–08.
const ROTA: &str = r#"
[oncall]
timezone = "Europe/Paris"
[[oncall.shifts]]
user = "alice"
days = ["mon", "tue", "wed", "thu", "fri"]
start = "08:00"
end = "16:00"
[[oncall.shifts]]
user = "bob"
days = ["mon", "tue", "wed", "thu", "fri"]
start = "16:00"
end = "00:00"
[[oncall.shifts]]
user = "carol"
start = "00:00"
end = "08:00"
"#;

fn schedule(text: &str) -> OnCall {
    let config = Config::parse(Path::new("c.toml"), text).expect("config");
    OnCall::from_config(config.oncall.as_ref().expect("[oncall]"))
}

/// A Paris wall-clock time (2026-11-23 is a Monday).
fn paris(text: &str) -> DateTime<Utc> {
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    local_instant(chrono_tz::Europe::Paris, local)
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn ends(schedule: &OnCall, from: &str, to: &str) -> Vec<(String, String)> {
    schedule
        .ends_between(paris(from), paris(to))
        .into_iter()
        .map(|(user, at)| (user, at.to_rfc3339()))
        .collect()
}

#[test]
fn who_is_on_call_follows_the_weekly_shifts() {
    let rota = schedule(ROTA);
    assert_eq!(rota.on_call_at(paris("2026-11-23 10:00")), ["alice"]);
    assert_eq!(rota.on_call_at(paris("2026-11-23 16:00")), ["bob"]);
    assert_eq!(rota.on_call_at(paris("2026-11-23 23:59")), ["bob"]);
    assert_eq!(rota.on_call_at(paris("2026-11-24 00:00")), ["carol"]);
    // Saturday: only the nights are covered.
    assert_eq!(rota.on_call_at(paris("2026-11-28 03:00")), ["carol"]);
    assert!(rota.on_call_at(paris("2026-11-28 12:00")).is_empty());
}

#[test]
fn an_overnight_shift_covers_the_next_morning() {
    let rota = schedule(
        "[oncall]\ntimezone = \"UTC\"\n[[oncall.shifts]]\nuser = \"dave\"\ndays = [\"mon\"]\nstart = \"22:00\"\nend = \"06:00\"\n",
    );
    assert_eq!(rota.on_call_at(utc("2026-11-24T03:00:00Z")), ["dave"]);
    assert!(rota.on_call_at(utc("2026-11-24T06:00:00Z")).is_empty());
    assert!(
        rota.on_call_at(utc("2026-11-23T03:00:00Z")).is_empty(),
        "sunday night is not his"
    );
    let ends = rota.ends_between(utc("2026-11-23T00:00:00Z"), utc("2026-11-25T00:00:00Z"));
    assert_eq!(ends, [("dave".to_string(), utc("2026-11-24T06:00:00Z"))]);
}

#[test]
fn ends_are_listed_in_order_within_the_window() {
    let rota = schedule(ROTA);
    assert_eq!(
        ends(&rota, "2026-11-23 07:00", "2026-11-23 17:00"),
        [
            ("carol".to_string(), "2026-11-23T07:00:00+00:00".to_string()),
            ("alice".to_string(), "2026-11-23T15:00:00+00:00".to_string()),
        ]
    );
    // The window is (from, to]: an end at `from` was the previous window's.
    assert_eq!(ends(&rota, "2026-11-23 16:00", "2026-11-23 23:00"), []);
    assert_eq!(ends(&rota, "2026-11-23 15:00", "2026-11-23 16:00").len(), 1);
}

#[test]
fn back_to_back_shifts_of_one_person_do_not_end_between_them() {
    let rota = schedule(
        r#"
[oncall]
timezone = "Europe/Paris"
[[oncall.shifts]]
user = "alice"
start = "08:00"
end = "16:00"
[[oncall.shifts]]
user = "alice"
start = "16:00"
end = "20:00"
[[oncall.shifts]]
user = "bob"
start = "20:00"
end = "08:00"
"#,
    );
    assert_eq!(
        ends(&rota, "2026-11-23 09:00", "2026-11-23 21:00"),
        [("alice".to_string(), "2026-11-23T19:00:00+00:00".to_string())]
    );
    assert_eq!(
        rota.last_start("alice", paris("2026-11-23 19:00")),
        Some(paris("2026-11-23 08:00"))
    );
}

#[test]
fn overlapping_shifts_keep_config_order_once_each() {
    let rota = schedule(
        "[oncall]\ntimezone = \"UTC\"\n[[oncall.shifts]]\nuser = \"zoe\"\nstart = \"08:00\"\nend = \"18:00\"\n[[oncall.shifts]]\nuser = \"ann\"\nstart = \"09:00\"\nend = \"17:00\"\n[[oncall.shifts]]\nuser = \"zoe\"\nstart = \"10:00\"\nend = \"12:00\"\n",
    );
    assert_eq!(rota.on_call_at(utc("2026-11-23T11:00:00Z")), ["zoe", "ann"]);
}

#[test]
fn an_override_replaces_the_rotation_while_it_lasts() {
    let text = format!(
        "{ROTA}[[oncall.overrides]]\nuser = \"dan\"\nfrom = \"2026-11-24T10:00\"\nuntil = 2026-11-24T18:00:00+01:00\n"
    );
    let rota = schedule(&text);
    assert_eq!(rota.on_call_at(paris("2026-11-24 12:00")), ["dan"]);
    assert_eq!(rota.on_call_at(paris("2026-11-24 18:00")), ["bob"]);
    let moves = rota.transitions(paris("2026-11-24 09:00"), paris("2026-11-24 19:00"));
    let summary: Vec<(String, &str, TransitionKind)> = moves
        .iter()
        .map(|t| (t.at.to_rfc3339(), t.user.as_str(), t.kind))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "2026-11-24T09:00:00+00:00".to_string(),
                "alice",
                TransitionKind::Ends
            ),
            (
                "2026-11-24T09:00:00+00:00".to_string(),
                "dan",
                TransitionKind::Starts
            ),
            (
                "2026-11-24T17:00:00+00:00".to_string(),
                "dan",
                TransitionKind::Ends
            ),
            (
                "2026-11-24T17:00:00+00:00".to_string(),
                "bob",
                TransitionKind::Starts
            ),
        ]
    );
}

#[test]
fn nights_are_shorter_and_longer_when_clocks_change() {
    let night = "[oncall]\ntimezone = \"Europe/Paris\"\n[[oncall.shifts]]\nuser = \"nina\"\ndays = [\"sat\"]\nstart = \"22:00\"\nend = \"06:00\"\n";
    let rota = schedule(night);
    // Spring forward (2026-03-29, 02:00 -> 03:00): seven hours.
    let spring = rota.transitions(utc("2026-03-28T12:00:00Z"), utc("2026-03-29T12:00:00Z"));
    assert_eq!(spring[0].at, utc("2026-03-28T21:00:00Z"));
    assert_eq!(spring[1].at, utc("2026-03-29T04:00:00Z"));
    // Fall back (2026-10-25, 03:00 -> 02:00): nine hours.
    let autumn = rota.transitions(utc("2026-10-24T12:00:00Z"), utc("2026-10-25T12:00:00Z"));
    assert_eq!(autumn[0].at, utc("2026-10-24T20:00:00Z"));
    assert_eq!(autumn[1].at, utc("2026-10-25T05:00:00Z"));
    assert_eq!(rota.on_call_at(utc("2026-10-25T04:30:00Z")), ["nina"]);
}

#[test]
fn skipped_and_repeated_local_times_are_read_one_way() {
    let paris = chrono_tz::Europe::Paris;
    let at = |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    // 02:30 does not exist on 2026-03-29: the clocks land on 03:00 CEST.
    assert_eq!(
        local_instant(paris, at("2026-03-29 02:30")),
        utc("2026-03-29T01:00:00Z")
    );
    // 02:30 happens twice on 2026-10-25: the first, still CEST.
    assert_eq!(
        local_instant(paris, at("2026-10-25 02:30")),
        utc("2026-10-25T00:30:00Z")
    );
}

#[test]
fn last_start_finds_the_current_or_the_last_shift() {
    let rota = schedule(ROTA);
    let monday_8 = paris("2026-11-23 08:00");
    assert_eq!(
        rota.last_start("alice", paris("2026-11-23 12:00")),
        Some(monday_8)
    );
    assert_eq!(
        rota.last_start("alice", paris("2026-11-23 20:00")),
        Some(monday_8)
    );
    assert_eq!(rota.last_start("alice", monday_8), Some(monday_8));
    assert_eq!(rota.last_start("nobody", monday_8), None);
}

#[test]
fn the_next_boundary_is_the_next_start_or_end() {
    let rota = schedule(ROTA);
    assert_eq!(
        rota.next_boundary(paris("2026-11-23 10:00")),
        Some(paris("2026-11-23 16:00"))
    );
    assert_eq!(
        rota.next_boundary(paris("2026-11-23 16:00")),
        Some(paris("2026-11-24 00:00"))
    );
    let empty = schedule("[oncall]\ntimezone = \"UTC\"\n");
    assert_eq!(empty.next_boundary(paris("2026-11-23 10:00")), None);
    assert!(empty.on_call_at(paris("2026-11-23 10:00")).is_empty());
}
