use chrono::Duration;

use super::*;
use crate::triage::test_item::{at, item};

fn signals(vip: &[&str], extra: &[&str]) -> Signals {
    Signals::new(&PriorityConfig {
        vip: vip.iter().map(|s| s.to_string()).collect(),
        negative_words: extra.iter().map(|s| s.to_string()).collect(),
    })
}

fn now() -> DateTime<Utc> {
    at("2026-11-20T10:05:00Z")
}

#[test]
fn kind_orders_dm_above_mention_above_comment() {
    let none = signals(&[], &[]);
    let mut it = item("Bonjour, une question");
    let mention = assess(&it, now(), 0, &none);
    assert_eq!(mention.priority, Priority::Normal);
    assert_eq!(mention.reasons[0], "mention: +1");
    it.kind = Kind::Comment;
    let comment = assess(&it, now(), 0, &none);
    assert_eq!(comment.priority, Priority::Low);
    it.kind = Kind::Dm;
    it.text = "C'est une ARNAQUE".into();
    let dm = assess(&it, now(), 0, &none);
    assert_eq!(dm.priority, Priority::High, "{:?}", dm.reasons);
    it.kind = Kind::Mention;
    let angry_mention = assess(&it, now(), 0, &none);
    assert!(dm.priority >= angry_mention.priority);
    assert!(assess(&it, now(), 0, &none).priority > comment.priority);
}

#[test]
fn french_and_english_negative_words_ignore_case_and_accents() {
    let none = signals(&[], &[]);
    for text in [
        "C'est HONTEUX",
        "honteux!!",
        "Remboursez-moi",
        "ça m'a DÉGOÛTÉ",
        "this is a SCAM",
        "Disgusting service",
        "I will call my lawyer",
        "mise en\tdemeure",
    ] {
        let a = assess(&item(text), now(), 0, &none);
        assert!(
            a.reasons.iter().any(|r| r.starts_with("negative words")),
            "{text}: {:?}",
            a.reasons
        );
    }
    for text in ["scammer-free zone", "honteusement bien", "Merci beaucoup"] {
        let a = assess(&item(text), now(), 0, &none);
        assert!(
            !a.reasons.iter().any(|r| r.starts_with("negative words")),
            "{text}: {:?}",
            a.reasons
        );
    }
}

#[test]
fn configured_negative_words_add_to_the_built_in_ones() {
    let a = assess(
        &item("Service INADMISSIBLE et bâclé"),
        now(),
        0,
        &signals(&[], &["bâclé"]),
    );
    assert!(
        a.reasons
            .iter()
            .any(|r| r == "negative words \"inadmissible\", \"bâclé\": +2"),
        "{:?}",
        a.reasons
    );
}

#[test]
fn vip_authors_match_by_handle_or_platform_and_handle() {
    let it = item("hello");
    for vip in [
        "claire@example.social",
        "@CLAIRE@example.social",
        "mastodon:claire@example.social",
    ] {
        let a = assess(&it, now(), 0, &signals(&[vip], &[]));
        assert!(
            a.reasons.iter().any(|r| r.starts_with("VIP author")),
            "{vip}"
        );
        assert_eq!(a.priority, Priority::High, "{vip}: 1 + 3 points");
    }
    for other in [
        "x:claire@example.social",
        "claire",
        "bluesky:claire@example.social",
    ] {
        let a = assess(&it, now(), 0, &signals(&[other], &[]));
        assert!(!a.reasons.iter().any(|r| r.starts_with("VIP")), "{other}");
    }
}

#[test]
fn repeat_contacts_raise_the_priority() {
    let none = signals(&[], &[]);
    let it = item("encore moi");
    assert!(assess(&it, now(), 0, &none)
        .reasons
        .iter()
        .all(|r| !r.contains("repeat")));
    let a = assess(&it, now(), 3, &none);
    assert!(a
        .reasons
        .contains(&"repeat contact, 3 earlier messages: +1".to_string()));
    assert_eq!(a.priority, Priority::Normal);
}

#[test]
fn sla_urgency_raises_never_lowers() {
    let none = signals(&[], &[]);
    let mut it = item("une question");
    it.kind = Kind::Comment;
    for (due_in, expected) in [
        (Duration::minutes(-5), Priority::Urgent),
        (Duration::minutes(0), Priority::Urgent),
        (Duration::minutes(30), Priority::Urgent),
        (Duration::minutes(31), Priority::High),
        (Duration::hours(2), Priority::High),
        (Duration::hours(3), Priority::Low),
    ] {
        it.sla_due = Some(now() + due_in);
        let a = assess(&it, now(), 0, &none);
        assert_eq!(a.priority, expected, "{due_in}: {:?}", a.reasons);
    }
    it.sla_due = Some(now() - Duration::minutes(90));
    let a = assess(&it, now(), 0, &none);
    assert_eq!(a.reasons.last().unwrap(), "SLA breached 1h 30m ago: urgent");
    let mut vip_dm = item("arnaque");
    vip_dm.kind = Kind::Dm;
    vip_dm.sla_due = Some(now() + Duration::hours(1));
    let a = assess(&vip_dm, now(), 0, &signals(&["claire@example.social"], &[]));
    assert_eq!(a.priority, Priority::Urgent);
    assert!(
        !a.reasons.iter().any(|r| r.starts_with("SLA")),
        "{:?}",
        a.reasons
    );
}

#[test]
fn hostile_text_is_only_text() {
    let none = signals(&[], &[]);
    let huge = "\u{1b}]0;x\u{7}arnaque ".repeat(20_000);
    let a = assess(&item(&huge), now(), 0, &none);
    assert!(a
        .reasons
        .iter()
        .any(|r| r == "negative words \"arnaque\": +2"));
    let a = assess(&item("\u{202e}\u{0}\u{200b}"), now(), 0, &none);
    assert_eq!(a.priority, Priority::Normal);
}
