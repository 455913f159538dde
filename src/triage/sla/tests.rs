use std::path::Path;

use chrono::{DateTime, Duration, Utc};

use super::SlaPolicy;
use crate::config::{Config, Hours};
use crate::model::{Author, Item, ItemId, Kind, NewItem, Platform, Status};

fn policy(text: &str) -> SlaPolicy {
    let config = Config::parse(Path::new("c.toml"), text).unwrap();
    super::policy(&config).unwrap()
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn item(platform: Platform, kind: Kind, tags: &[&str]) -> Item {
    let new = NewItem {
        platform,
        account: "acme".into(),
        kind,
        remote_id: "1".into(),
        thread_id: None,
        parent_id: None,
        author: Author {
            id: "42".into(),
            handle: "claire".into(),
            name: "Claire".into(),
        },
        text: "where is my order".into(),
        lang: Some("en".into()),
        created_at: at("2026-11-23T09:00:00Z"),
        url: None,
        from_brand: false,
        raw: None,
        status: None,
        priority: None,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        assignee: None,
    };
    Item::from_new(ItemId::generate(), new, at("2026-11-23T09:00:00Z"))
}

/// Paris business hours, 09:00-18:00 monday to friday; targets are indexes 0..
const PARIS: &str = r#"
[sla]
timezone = "Europe/Paris"
[sla.business_hours]
start = "09:00"
end = "18:00"
[[sla.targets]]
first_response = "4h"
resolution = "2d"
[[sla.targets]]
kind = "dm"
first_response = "2h"
hours = "business"
[[sla.targets]]
kind = "dm"
platform = "x"
first_response = "1h"
hours = "business"
[[sla.targets]]
tag = "vip"
first_response = "30m"
[[sla.targets]]
tag = "press"
first_response = "15m"
"#;

fn business(p: &SlaPolicy, from: &str, span: Duration) -> String {
    p.add(at(from), span, Hours::Business).unwrap().to_rfc3339()
}

#[test]
fn the_most_specific_target_wins_and_the_first_among_equals() {
    let p = policy(PARIS);
    let index = |i: &Item| p.target_for(i).map(|t| t.index);
    assert_eq!(index(&item(Platform::X, Kind::Dm, &[])), Some(2));
    assert_eq!(index(&item(Platform::Mastodon, Kind::Dm, &[])), Some(1));
    assert_eq!(
        index(&item(Platform::Mastodon, Kind::Mention, &[])),
        Some(0)
    );
    assert_eq!(
        index(&item(Platform::Mastodon, Kind::Mention, &["vip"])),
        Some(3)
    );
    // vip and press are as specific as each other: the first in the file wins.
    let both = item(Platform::Mastodon, Kind::Mention, &["press", "vip"]);
    assert_eq!(index(&both), Some(3));
    // A DM from a VIP on X: two matchers beat one.
    assert_eq!(index(&item(Platform::X, Kind::Dm, &["vip"])), Some(2));
    let none = policy("[sla]\n[[sla.targets]]\nkind = \"dm\"\nfirst_response = \"1h\"\n");
    assert_eq!(
        none.target_for(&item(Platform::X, Kind::Mention, &[])),
        None
    );
}

#[test]
fn always_counts_elapsed_time_through_nights_weekends_and_dst() {
    let p = policy(PARIS);
    let friday = at("2026-11-27T16:00:00Z");
    assert_eq!(
        p.add(friday, Duration::hours(4), Hours::Always),
        Some(at("2026-11-27T20:00:00Z"))
    );
    // Paris leaves summer time on 2026-10-25: 24 hours is still 24 hours.
    let before_dst = at("2026-10-24T10:00:00Z");
    assert_eq!(
        p.add(before_dst, Duration::days(1), Hours::Always),
        Some(at("2026-10-25T10:00:00Z"))
    );
}

#[test]
fn business_hours_count_only_the_working_window_in_the_zone() {
    let p = policy(PARIS);
    let hour = Duration::hours(1);
    // Monday 10:00 Paris (09:00Z) + 1h: 11:00 Paris.
    assert_eq!(
        business(&p, "2026-11-23T09:00:00Z", hour),
        "2026-11-23T10:00:00+00:00"
    );
    // Before opening: counted from 09:00 Paris.
    assert_eq!(
        business(&p, "2026-11-23T05:00:00Z", hour),
        "2026-11-23T09:00:00+00:00"
    );
    // Friday 17:30 Paris + 1h: 30 minutes on friday, 30 on monday, 09:30 Paris.
    assert_eq!(
        business(&p, "2026-11-27T16:30:00Z", hour),
        "2026-11-30T08:30:00+00:00"
    );
    // Saturday counts nothing: monday 10:00 Paris.
    assert_eq!(
        business(&p, "2026-11-28T12:00:00Z", hour),
        "2026-11-30T09:00:00+00:00"
    );
    // Tuesday 14:00 Paris + 8h: 4h on tuesday, 4h on wednesday, 13:00 Paris.
    assert_eq!(
        business(&p, "2026-11-24T13:00:00Z", Duration::hours(8)),
        "2026-11-25T12:00:00+00:00"
    );
    // Exactly at closing: due at the close, not the next morning.
    assert_eq!(
        business(&p, "2026-11-23T16:00:00Z", hour),
        "2026-11-23T17:00:00+00:00"
    );
    // 2 days of business time = 18 working hours: monday 09:00 to tuesday 18:00.
    assert_eq!(
        business(&p, "2026-11-23T08:00:00Z", Duration::hours(18)),
        "2026-11-24T17:00:00+00:00"
    );
}

#[test]
fn business_hours_across_a_dst_weekend_keep_wall_clock_times() {
    let p = policy(PARIS);
    // Friday 2026-10-23 17:00 summer time (15:00Z) + 2h: 1h friday, then monday opens at
    // 09:00 winter time (08:00Z): due 10:00 Paris = 09:00Z.
    assert_eq!(
        business(&p, "2026-10-23T15:00:00Z", Duration::hours(2)),
        "2026-10-26T09:00:00+00:00"
    );
    // Spring: friday 2026-03-27 17:00 winter time (16:00Z) + 2h: monday 10:00 summer time.
    assert_eq!(
        business(&p, "2026-03-27T16:00:00Z", Duration::hours(2)),
        "2026-03-30T08:00:00+00:00"
    );
}

#[test]
fn an_overnight_window_is_longer_the_night_clocks_go_back() {
    let night = policy(
        "[sla]\ntimezone = \"Europe/Paris\"\n[sla.business_hours]\ndays = [\"sat\", \"sun\"]\n\
         start = \"22:00\"\nend = \"06:00\"\n[[sla.targets]]\nfirst_response = \"1h\"\nhours = \"business\"\n",
    );
    // Saturday 2026-10-24 22:00 summer time (20:00Z) to sunday 06:00 winter time (05:00Z):
    // 9 hours that night, so 9h of business time ends exactly at 06:00.
    assert_eq!(
        business(&night, "2026-10-24T20:00:00Z", Duration::hours(9)),
        "2026-10-25T05:00:00+00:00"
    );
    // 10h: the night is spent, the next window opens sunday 22:00 (21:00Z): 23:00 Paris.
    assert_eq!(
        business(&night, "2026-10-24T20:00:00Z", Duration::hours(10)),
        "2026-10-25T22:00:00+00:00"
    );
    // Started inside sunday's night window opened the evening before: counts from now.
    assert_eq!(
        business(&night, "2026-11-01T02:00:00Z", Duration::hours(1)),
        "2026-11-01T03:00:00+00:00"
    );
}

#[test]
fn an_item_is_due_its_first_response_then_its_resolution() {
    let p = policy(PARIS);
    let arrival = at("2026-11-23T09:00:00Z");
    let mut mention = item(Platform::Mastodon, Kind::Mention, &[]);
    assert!(p.on_arrival(&mut mention, arrival));
    assert_eq!(mention.sla_due, Some(at("2026-11-23T13:00:00Z")));
    assert!(
        !p.on_arrival(&mut mention, arrival),
        "a due time is set once"
    );
    let answered = at("2026-11-23T10:00:00Z");
    mention.set_status(Status::Pending).unwrap();
    p.on_reply_sent(&mut mention, answered);
    assert_eq!(mention.first_response_at, Some(answered));
    assert_eq!(
        mention.sla_due,
        Some(at("2026-11-25T09:00:00Z")),
        "2d from arrival"
    );
    let later = at("2026-11-24T10:00:00Z");
    p.on_reply_sent(&mut mention, later);
    assert_eq!(
        mention.first_response_at,
        Some(answered),
        "the first one stays"
    );
    mention.set_status(Status::Resolved).unwrap();
    p.on_status_change(&mut mention, Status::Pending, later);
    assert_eq!(mention.sla_due, None);
    let reopened = at("2026-11-26T08:00:00Z");
    mention.set_status(Status::Open).unwrap();
    p.on_status_change(&mut mention, Status::Resolved, reopened);
    assert_eq!(
        mention.sla_due,
        Some(at("2026-11-26T12:00:00Z")),
        "4h from the reopening"
    );
}

#[test]
fn our_own_posts_and_items_without_a_target_are_never_due() {
    let p = policy(PARIS);
    let mut ours = item(Platform::Mastodon, Kind::Mention, &[]);
    ours.from_brand = true;
    assert!(!p.on_arrival(&mut ours, at("2026-11-23T09:00:00Z")));
    assert_eq!(ours.sla_due, None);
    let dm_only = policy("[sla]\n[[sla.targets]]\nkind = \"dm\"\nresolution = \"1d\"\n");
    let mut dm = item(Platform::X, Kind::Dm, &[]);
    assert!(
        !dm_only.on_arrival(&mut dm, at("2026-11-23T09:00:00Z")),
        "no first response promised"
    );
    let mut spam = item(Platform::X, Kind::Mention, &[]);
    spam.set_status(Status::Spam).unwrap();
    assert!(!p.on_arrival(&mut spam, at("2026-11-23T09:00:00Z")));
}
