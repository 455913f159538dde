//! The index answers exactly as the store scan does: the same `List` pages, `Find` hits and
//! `Counts`, on a few thousand generated items with varied triage state and awkward texts,
//! before and after live changes, and after a change burst that overflows the feed.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use super::QueueIndex;
use crate::hub::protocol::{FindHit, Request, Response};
use crate::hub::Hub;
use crate::model;
use crate::model::{Actor, Author, Item, ItemId, Kind, NewItem, Platform, Priority, Status};
use crate::store::{AuditNote, SledStore, Store};

#[path = "../../../benches/hub_query/corpus.rs"]
#[allow(dead_code)]
mod corpus;

const QUERIES: &[&str] = &[
    "",
    "platform:x",
    "status:new,open tag:legal",
    "refund",
    "-refund",
    "\"free shipping\"",
    "colis -status:resolved",
    "is:unassigned",
    "assignee:me",
    "assignee:bob is:assigned",
    "is:mine -is:unread",
    "is:snoozed",
    "-is:snoozed status:open",
    "from:@claire",
    "@mastodon",
    "lang:fr kind:dm",
    "priority:high,urgent",
    "after:2026-09-01 before:2026-10-01",
    "account:acme-youtube",
    "needle",
    "-needle status:new",
    "école",
    "οδοσ",
    "tag:vip,press -tag:legal",
    "is:unread",
    "-status:spam,resolved",
    "kind:mention tag:refund martin",
];

const PAGES: &[(usize, usize)] = &[
    (0, 100),
    (37, 25),
    (0, 0),
    (900, 50),
    (1_000_000, 5),
    (5, usize::MAX),
];

const PATTERNS: &[&str] = &[
    "refund",
    "rfnd",
    "colis",
    "Claire",
    "ordr late",
    "",
    "  lyon ",
    "zzqx",
    "é",
    "ΟΔ",
    "needle",
    "remboursement",
    "ee",
];

fn actor() -> Actor {
    Actor::new("alice", "test")
}

/// A store with the corpus plus awkward items, and two hubs on it: one answering from its
/// index (ready), one from the store.
struct Fixture {
    store: Arc<dyn Store>,
    indexed: Hub,
    plain: Hub,
}

impl Fixture {
    fn new(items: usize) -> Fixture {
        let store: Arc<dyn Store> = Arc::new(SledStore::temporary().unwrap());
        let loader = Hub::new(Arc::clone(&store), "test");
        let mut corpus = corpus::Corpus::new(3, items);
        for _ in 0..items / 500 {
            ingest(&loader, corpus.take(500));
        }
        ingest(&loader, awkward_items());
        triage(&*store, 7);
        let indexed = Hub::new(Arc::clone(&store), "test");
        assert!(indexed.index().wait_ready(Duration::from_secs(120)));
        let plain = Hub::with_index(Arc::clone(&store), "test", QueueIndex::disabled());
        Fixture {
            store,
            indexed,
            plain,
        }
    }

    /// One page of one query gives the same items both ways.
    fn assert_same_page(&self, query: &str, skip: usize, limit: usize) {
        let request = || Request::List {
            query: query.to_string(),
            skip,
            limit,
            raw: false,
        };
        assert_eq!(
            page(&self.indexed, request()),
            page(&self.plain, request()),
            "List {query:?} skip {skip} limit {limit}"
        );
    }

    /// Every query, page and pattern gives the same answer both ways.
    fn assert_same_answers(&self) {
        for query in QUERIES {
            for &(skip, limit) in PAGES {
                self.assert_same_page(query, skip, limit);
            }
        }
        for pattern in PATTERNS {
            for (query, limit) in [
                ("", 20),
                ("status:new,open", 1),
                ("platform:mastodon", 0),
                ("needle", 20),
                ("status:pending", usize::MAX),
            ] {
                let request = || Request::Find {
                    pattern: pattern.to_string(),
                    query: query.to_string(),
                    limit,
                };
                assert_eq!(
                    hits(&self.indexed, request()),
                    hits(&self.plain, request()),
                    "Find {pattern:?} in {query:?} limit {limit}"
                );
            }
        }
        assert_eq!(counts(&self.indexed), counts(&self.plain));
    }
}

fn ingest(hub: &Hub, items: Vec<NewItem>) -> Vec<ItemId> {
    let request = Request::Ingest {
        items,
        source: "test".into(),
    };
    match hub.handle(&actor(), request).unwrap() {
        Response::Ingested { outcomes } => outcomes.into_iter().map(|o| o.id()).collect(),
        other => panic!("unexpected answer {other:?}"),
    }
}

/// Ids in queue order and `more`.
fn page(hub: &Hub, request: Request) -> (Vec<ItemId>, bool) {
    match hub.handle(&actor(), request).unwrap() {
        Response::Items { items, more } => (items.into_iter().map(|i| i.id).collect(), more),
        other => panic!("unexpected answer {other:?}"),
    }
}

type Hit = (ItemId, i64, Vec<usize>, Vec<usize>);

fn hits(hub: &Hub, request: Request) -> Vec<Hit> {
    match hub.handle(&actor(), request).unwrap() {
        Response::Found { hits } => hits
            .into_iter()
            .map(
                |FindHit {
                     item,
                     score,
                     text_matches,
                     handle_matches,
                 }| { (item.id, score, text_matches, handle_matches) },
            )
            .collect(),
        other => panic!("unexpected answer {other:?}"),
    }
}

fn counts(hub: &Hub) -> crate::store::Counts {
    match hub.handle(&actor(), Request::Counts).unwrap() {
        Response::Counts { counts } => counts,
        other => panic!("unexpected answer {other:?}"),
    }
}

/// Texts and authors that take the slow paths: cut texts, texts that do not fold like
/// ASCII, odd handles, the brand's own posts.
fn awkward_items() -> Vec<NewItem> {
    let long = format!("{} needle at the end", "padding words ".repeat(400));
    let texts = [
        long.as_str(),
        "ÉCOLE fermée, ΟΔΟΣ closed: needle",
        "İstanbul Kelvin \u{212A} sign",
        "Refund REFUND rEfUnD",
        "\u{202e}bidi\u{2066} and zero\u{200b}width, free shipping",
        "",
    ];
    let handles = [
        "@atclaire",
        "",
        "ÉLODIE",
        "claire@mastodon.example",
        "x",
        "Zoë",
    ];
    texts
        .iter()
        .zip(handles)
        .enumerate()
        .map(|(n, (text, handle))| NewItem {
            platform: Platform::from(["x", "mastodon", "threads"][n % 3].to_string()),
            account: "acme-awkward".into(),
            kind: Kind::ALL[n % 3],
            remote_id: format!("awkward-{n}"),
            thread_id: None,
            parent_id: None,
            author: Author {
                id: format!("a{n}"),
                handle: handle.into(),
                name: format!("Ñame {handle}"),
            },
            text: text.to_string(),
            lang: Some("fr-FR".into()),
            created_at: "2026-09-15T12:00:00Z".parse().unwrap(),
            url: None,
            from_brand: n == 4,
            raw: None,
            status: None,
            priority: None,
            tags: Default::default(),
            assignee: None,
        })
        .collect()
}

/// Gives every `nth` item an SLA due time, a snooze or a priority change, directly in the
/// store (no hub request sets an SLA yet).
fn triage(store: &dyn Store, nth: usize) {
    let now = Utc::now();
    let ids: Vec<ItemId> = store
        .queue_iter(&Status::ALL)
        .map(|item| item.unwrap().id)
        .step_by(nth)
        .collect();
    for (n, id) in ids.into_iter().enumerate() {
        let mut edit = |item: &mut Item| {
            match n % 3 {
                0 => item.sla_due = Some(now + chrono::Duration::minutes(n as i64 % 50)),
                1 => item.snoozed_until = Some(now + chrono::Duration::hours(2)),
                _ => item.priority = Priority::ALL[n % 4],
            }
            Ok(Some(AuditNote::new("test", "triage")))
        };
        store.update(id, &actor(), now, &mut edit).unwrap();
    }
}

#[test]
fn index_and_store_scan_give_the_same_answers() {
    let fixture = Fixture::new(2_000);
    let stats = fixture.indexed.index().stats().unwrap();
    assert_eq!(stats.items as u64, counts(&fixture.plain).total());
    fixture.assert_same_answers();
}

#[test]
fn live_changes_reach_the_index() {
    let fixture = Fixture::new(1_000);
    let hub = &fixture.indexed;
    let (first, _) = page(
        hub,
        Request::List {
            query: "status:new".into(),
            skip: 0,
            limit: 40,
            raw: false,
        },
    );
    for (n, id) in first.iter().copied().enumerate() {
        let request = match n % 6 {
            0 => Request::SetStatus {
                id,
                status: Status::Resolved,
            },
            1 => Request::Tag {
                id,
                tag: "legal".into(),
            },
            2 => Request::Assign {
                id,
                user: Some("alice".into()),
            },
            3 => Request::SetPriority {
                id,
                priority: Priority::Urgent,
            },
            4 => Request::Snooze {
                id,
                until: Some(Utc::now() + chrono::Duration::hours(1)),
            },
            _ => Request::Untag {
                id,
                tag: "vip".into(),
            },
        };
        hub.handle(&actor(), request).unwrap();
    }
    // New items, and a known one whose text changed (a re-sync).
    let mut more = corpus::Corpus::new(99, 200).take(200);
    let mut edited = awkward_items().remove(1);
    edited.text = "now about a refund, not a needle".into();
    more.push(edited);
    ingest(hub, more);
    assert!(fixture.store.counts().unwrap().total() > 1_000);
    fixture.assert_same_answers();
}

#[test]
fn a_change_burst_larger_than_the_feed_still_ends_consistent() {
    let fixture = Fixture::new(500);
    ingest(&fixture.indexed, corpus::Corpus::new(5, 5_000).take(5_000));
    assert!(fixture.indexed.index().wait_ready(Duration::from_secs(120)));
    // What a missed change would break: counts, and lists across statuses and pages (the
    // full battery runs in `index_and_store_scan_give_the_same_answers`).
    assert_eq!(counts(&fixture.indexed), counts(&fixture.plain));
    for query in ["", "status:new,open", "-status:resolved tag:vip"] {
        for (skip, limit) in [(0, 50), (4_000, 600)] {
            fixture.assert_same_page(query, skip, limit);
        }
    }
}

#[test]
fn a_disabled_index_leaves_answers_to_the_store() {
    let index = QueueIndex::disabled();
    assert!(!index.is_ready());
    assert!(!index.wait_ready(Duration::from_millis(10)));
    assert!(index.stats().is_none());
    assert!(index.counts().is_none());
}
