//! The query language from the outside: every field, negation, OR lists, quoting, dates,
//! the canonical text and every error.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use switchboard::model::query::{MatchContext, Query};
use switchboard::model::{Author, Item, ItemId, Kind, NewItem, Platform, Priority, Status};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn now() -> DateTime<Utc> {
    at("2026-11-20T12:00:00Z")
}

fn ctx() -> MatchContext<'static> {
    MatchContext::new("Sam", now())
}

/// Claire's mention on Mastodon, created two hours before `now()`.
fn claire() -> Item {
    let new = NewItem {
        platform: Platform::Mastodon,
        account: "acme-masto".into(),
        kind: Kind::Mention,
        remote_id: "1001".into(),
        thread_id: None,
        parent_id: None,
        author: Author {
            id: "42".into(),
            handle: "claire@example.social".into(),
            name: "Claire Dubois".into(),
        },
        text: "Où est ma COMMANDE? Free shipping was promised.".into(),
        lang: Some("fr-FR".into()),
        created_at: at("2026-11-20T10:00:00Z"),
        url: None,
        from_brand: false,
        raw: None,
        status: None,
        priority: Some(Priority::High),
        tags: BTreeSet::from(["VIP".to_string(), "needs legal".to_string()]),
        assignee: None,
    };
    Item::from_new(ItemId::generate(), new, now())
}

#[track_caller]
fn check(query: &str, item: &Item, expected: bool) {
    let q = Query::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
    assert_eq!(q.matches(item, &ctx()), expected, "{query}");
    let negated = Query::parse(&format!("-{}", query.trim())).unwrap();
    if !query.contains(' ') && !query.starts_with('-') {
        assert_eq!(negated.matches(item, &ctx()), !expected, "-{query}");
    }
}

#[track_caller]
fn error(query: &str) -> String {
    match Query::parse(query) {
        Ok(q) => panic!("{query} parsed as {q:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn empty_query_matches_everything() {
    for text in ["", "   ", "\t\n"] {
        let q = Query::parse(text).unwrap();
        assert!(q.is_empty());
        assert!(q.matches(&claire(), &ctx()));
        assert_eq!(q.to_string(), "");
        assert_eq!(q.statuses(), Status::ALL);
    }
    assert!(!Query::parse("refund").unwrap().is_empty());
}

#[test]
fn free_words_search_text_handle_and_name_in_any_case() {
    let item = claire();
    check("commande", &item, true);
    check("OÙ", &item, true);
    check("\"free shipping\"", &item, true);
    check("\"FREE   shipping\"", &item, false);
    check("dubois", &item, true);
    check("@claire", &item, true);
    check("example.social", &item, true);
    check("refund", &item, false);
    check("commande shipping", &item, true);
    check("commande refund", &item, false);
}

#[test]
fn words_that_look_like_fields_but_are_not() {
    let mut item = claire();
    item.text = "see https://acme.example/help at 12:30, ratio 3:1".into();
    check("https://acme.example/help", &item, true);
    check("12:30,", &item, true);
    check("3:1", &item, true);
    check("\"tag:vip\"", &item, false);
    assert_eq!(
        Query::parse("https://acme.example").unwrap().to_string(),
        "\"https://acme.example\""
    );
}

#[test]
fn platform_uses_aliases_and_keeps_unknown_names() {
    let mut item = claire();
    check("platform:mastodon", &item, true);
    check("platform:Mastodon", &item, true);
    check("platform:x,bluesky", &item, false);
    check("platform:bluesky,mastodon", &item, true);
    item.platform = Platform::X;
    check("platform:twitter", &item, true);
    item.platform = Platform::from("Threads".to_string());
    check("platform:threads", &item, true);
    check("platform:THREADS", &item, true);
}

#[test]
fn account_kind_status_priority() {
    let item = claire();
    check("account:acme-masto", &item, true);
    check("account:ACME-MASTO", &item, true);
    check("account:acme", &item, false);
    check("kind:mention", &item, true);
    check("kind:comment,dm", &item, false);
    check("status:new", &item, true);
    check("status:open,pending", &item, false);
    check("priority:high", &item, true);
    check("priority:low,normal,urgent", &item, false);
}

#[test]
fn tags_match_whole_tags_in_any_case() {
    let item = claire();
    check("tag:vip", &item, true);
    check("tag:\"needs legal\"", &item, true);
    check("tag:\"NEEDS LEGAL\"", &item, true);
    check("tag:needs", &item, false);
    check("tag:spam,vip", &item, true);
    check("tag:spam", &item, false);
}

#[test]
fn lang_matches_the_language_and_its_regions() {
    let mut item = claire();
    check("lang:fr", &item, true);
    check("lang:fr-fr", &item, true);
    check("lang:f", &item, false);
    check("lang:en,de", &item, false);
    item.lang = None;
    check("lang:fr", &item, false);
}

#[test]
fn from_matches_handles_and_fediverse_local_parts() {
    let mut item = claire();
    check("from:@claire", &item, true);
    check("from:Claire", &item, true);
    check("from:@claire@example.social", &item, true);
    check("from:claire@other.social", &item, false);
    check("from:clair", &item, false);
    check("from:bob,claire", &item, true);
    item.author.handle = "bob.bsky.social".into();
    check("from:@bob.bsky.social", &item, true);
    check("from:bob", &item, false);
}

#[test]
fn assignee_and_is_flags() {
    let mut item = claire();
    check("is:unassigned", &item, true);
    check("is:assigned", &item, false);
    check("is:unread", &item, true);
    check("is:mine", &item, false);
    check("assignee:me", &item, false);
    item.assignee = Some("sam".into());
    check("assignee:me", &item, true);
    check("is:mine", &item, true);
    check("assignee:SAM", &item, true);
    check("assignee:alex,me", &item, true);
    check("assignee:alex", &item, false);
    check("is:assigned", &item, true);
    check("is:unassigned", &item, false);
    item.assignee = Some(String::new());
    check("is:unassigned", &item, true);
    item.set_status(Status::Open).unwrap();
    check("is:unread", &item, false);
    check("is:unread,unassigned", &item, true);
    let nobody = MatchContext::new("", now());
    item.assignee = Some(String::new());
    assert!(!Query::parse("is:mine").unwrap().matches(&item, &nobody));
}

#[test]
fn snoozed_means_a_snooze_still_running() {
    let mut item = claire();
    check("is:snoozed", &item, false);
    item.snoozed_until = Some(at("2026-11-20T13:00:00Z"));
    check("is:snoozed", &item, true);
    item.snoozed_until = Some(at("2026-11-20T11:00:00Z"));
    check("is:snoozed", &item, false);
}

#[test]
fn before_and_after_absolute_dates() {
    let item = claire(); // created 2026-11-20T10:00:00Z
    check("after:2026-11-20", &item, true);
    check("before:2026-11-20", &item, false);
    check("before:2026-11-21", &item, true);
    check("after:2026-11-20T10:00", &item, true);
    check("after:2026-11-20T10:00:01", &item, false);
    check("before:2026-11-20T10:00:01", &item, true);
    check("after:2026-11-19 before:2026-11-21", &item, true);
}

#[test]
fn before_and_after_relative_ages() {
    let item = claire(); // two hours old at now()
    check("after:3h", &item, true);
    check("after:2h", &item, true);
    check("after:119m", &item, false);
    check("before:1h", &item, true);
    check("before:3h", &item, false);
    check("after:1d", &item, true);
    check("before:7d", &item, false);
    check("after:2w", &item, true);
    let later = MatchContext::new("Sam", at("2026-11-25T00:00:00Z"));
    let q = Query::parse("after:3h").unwrap();
    assert!(!q.matches(&item, &later), "ages are measured at match time");
}

#[test]
fn negation_and_or_combine() {
    let item = claire();
    check("-tag:spam", &item, true);
    check("-\"free shipping\"", &item, false);
    check("-is:unassigned", &item, false);
    check("status:new,open -platform:x,bluesky commande", &item, true);
    check("status:new -tag:spam,vip", &item, false);
    check("-refund -tag:spam", &item, true);
}

#[test]
fn field_names_are_case_insensitive_and_values_quotable() {
    let item = claire();
    check("TAG:vip", &item, true);
    check("Status:NEW", &item, true);
    check("tag:\"vip\"", &item, true);
    check("tag:\"needs legal\",spam", &item, true);
    check("tag:\"vip,needs legal\"", &item, false);
}

#[test]
fn statuses_narrow_the_index_scan() {
    use Status::*;
    let statuses = |q: &str| Query::parse(q).unwrap().statuses();
    assert_eq!(statuses("refund"), Status::ALL);
    assert_eq!(statuses("status:open,new"), [New, Open]);
    assert_eq!(statuses("status:new,open status:open,pending"), [Open]);
    assert_eq!(statuses("is:unread"), [New]);
    assert_eq!(statuses("is:unread,snoozed"), Status::ALL);
    assert_eq!(statuses("-status:resolved,spam"), Status::ACTIVE);
    assert_eq!(
        statuses("-is:unread"),
        [Open, Pending, Escalated, Resolved, Spam]
    );
    assert_eq!(
        statuses("-is:unread,mine"),
        [Open, Pending, Escalated, Resolved, Spam]
    );
    assert_eq!(statuses("-is:mine -tag:x"), Status::ALL);
    assert_eq!(statuses("status:new -status:new"), []);
}

#[test]
fn display_is_canonical_and_parses_back_equal() {
    let cases = [
        ("refund", "refund"),
        (
            "  Status:Open,NEW   platform:twitter,bsky ",
            "status:new,open platform:bluesky,x",
        ),
        (
            "tag:\"needs legal\",vip -tag:spam",
            "tag:\"needs legal\",vip -tag:spam",
        ),
        ("-\"free shipping\"", "-\"free shipping\""),
        ("from:Claire@Example.Social", "from:@claire@example.social"),
        ("assignee:ME assignee:Alex", "assignee:me assignee:alex"),
        ("is:unread,mine,unread", "is:unread,mine"),
        (
            "before:2026-11-20T00:00 after:7d",
            "before:2026-11-20 after:7d",
        ),
        ("after:2026-11-20T10:05:00Z", "after:2026-11-20T10:05"),
        ("\"say \\\"hi\\\"\"", "\"say \\\"hi\\\"\""),
        ("\"-5%\" \"re:\" a\\b", "\"-5%\" \"re:\" a\\b"),
        ("tag:\"//x\" tag:\"a,b\"", "tag:\"//x\" tag:\"a,b\""),
        (
            "kind:dm,comment priority:urgent,low",
            "kind:comment,dm priority:low,urgent",
        ),
        ("lang:EN account:Acme", "lang:en account:acme"),
    ];
    for (input, canonical) in cases {
        let q = Query::parse(input).unwrap();
        assert_eq!(q.to_string(), canonical, "{input}");
        assert_eq!(Query::parse(&q.to_string()).unwrap(), q, "{input}");
    }
}

#[test]
fn highlights_are_the_positive_free_words() {
    let q = Query::parse("Refund -spam \"free shipping\" tag:vip").unwrap();
    assert_eq!(q.highlights(), ["Refund", "free shipping"]);
}

#[test]
fn every_error_names_the_problem_and_the_term() {
    let cases = [
        ("foo:bar", "malformed query: unknown field 'foo' (known fields: platform, account, kind, status, tag, priority, lang, from, assignee, is, before, after; quote the word to search for it as text) in 'foo:bar'"),
        ("tag:", "malformed query: empty value in 'tag:'"),
        ("tag:\"\"", "malformed query: empty value in 'tag:\"\"'"),
        ("-platform:x,", "malformed query: empty value in list in '-platform:x,'"),
        ("status:new,,open", "malformed query: empty value in list in 'status:new,,open'"),
        ("\"\"", "malformed query: empty phrase in '\"\"'"),
        ("status:closed", "malformed query: unknown status 'closed' (expected new, open, pending, escalated, resolved or spam) in 'status:closed'"),
        ("kind:post", "malformed query: unknown kind 'post' (expected comment, dm or mention) in 'kind:post'"),
        ("priority:meh", "malformed query: unknown priority 'meh' (expected low, normal, high or urgent) in 'priority:meh'"),
        ("is:read", "malformed query: unknown is: value 'read' (expected unassigned, assigned, unread, snoozed or mine) in 'is:read'"),
        ("from:@", "malformed query: '@' names no handle in 'from:@'"),
        ("before:yesterday", "malformed query: bad date 'yesterday' (expected YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] in UTC, or an age such as 30m, 24h, 7d or 2w) in 'before:yesterday'"),
        ("after:2026-02-30", "malformed query: bad date '2026-02-30' (expected YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] in UTC, or an age such as 30m, 24h, 7d or 2w) in 'after:2026-02-30'"),
        ("after:1d,2d", "malformed query: after: takes one date, not a list in 'after:1d,2d'"),
        ("refund \"free shipping", "malformed query: unterminated quote in '\"free shipping'"),
        ("tag:\"needs legal", "malformed query: unterminated quote in 'tag:\"needs legal'"),
        ("refund -", "malformed query: a lone '-' at column 8 negates nothing: write it right before a term, as in -tag:spam, or quote it (\"-\") to search for a dash"),
    ];
    for (query, message) in cases {
        assert_eq!(error(query), message, "{query}");
    }
    // Platforms are open-ended: any name is a platform.
    assert!(Query::parse("platform:myspace").is_ok());
}
