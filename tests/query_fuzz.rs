//! Randomized checks of the query language: any text either parses or fails with a
//! `malformed query:` message (never a panic), whatever parses prints as text that parses
//! back to an equal query, and the canonical text is a fixed point. Plus an ignored
//! throughput measurement over a million synthetic items.

use std::collections::BTreeSet;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use switchboard::model::query::{MatchContext, Query};
use switchboard::model::{Author, Item, ItemId, Kind, NewItem, Platform, Priority, Status};

const FRAGMENTS: &[&str] = &[
    "refund",
    "Refund",
    "\"free shipping\"",
    "-",
    "--",
    "\"",
    "\\",
    "\\\"",
    ":",
    ",",
    "tag:",
    "tag:vip",
    "tag:\"needs legal\"",
    "platform:",
    "platform:twitter",
    "x",
    "bsky",
    "status:",
    "new",
    "open,",
    "kind:dm",
    "priority:urgent",
    "lang:en",
    "from:@claire",
    "@",
    "assignee:me",
    "is:unread",
    "is:mine",
    "before:",
    "after:",
    "2026-11-20",
    "T10:00",
    "7d",
    "24h",
    "30m",
    "2w",
    "https://a.example",
    "12:30",
    "ÉCOLE",
    "日本",
    "ς",
    " ",
    "  ",
    "\t",
    "\u{3000}",
    "-x",
    "foo:bar",
    "\"a,b\"",
    "'",
    "é\u{301}",
    "Σ",
];

fn random_query(rng: &mut ChaCha8Rng) -> String {
    let n = rng.gen_range(0..8);
    (0..n)
        .map(|_| FRAGMENTS[rng.gen_range(0..FRAGMENTS.len())])
        .collect()
}

#[test]
fn random_text_parses_or_fails_cleanly_and_round_trips() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let (mut parsed, mut failed) = (0, 0);
    for _ in 0..50_000 {
        let text = random_query(&mut rng);
        match Query::parse(&text) {
            Ok(q) => {
                parsed += 1;
                let canonical = q.to_string();
                let again = Query::parse(&canonical)
                    .unwrap_or_else(|e| panic!("{text:?} -> {canonical:?}: {e}"));
                assert_eq!(again, q, "{text:?} -> {canonical:?}");
                assert_eq!(again.to_string(), canonical, "{text:?}");
            }
            Err(e) => {
                failed += 1;
                assert!(e.to_string().starts_with("malformed query: "), "{e}");
            }
        }
    }
    assert!(
        parsed > 10_000 && failed > 1_000,
        "{parsed} parsed, {failed} failed"
    );
}

/// A million items shaped like a busy inbox: short ASCII texts, some accents and emoji.
fn synthetic_items(n: usize, now: DateTime<Utc>) -> Vec<Item> {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let words = [
        "order", "refund", "late", "thanks", "broken", "where", "is", "my", "package", "café",
        "great", "service", "😡", "help", "please", "shipping", "free", "account", "login",
    ];
    (0..n)
        .map(|i| {
            let text: Vec<&str> = (0..rng.gen_range(5..40))
                .map(|_| words[rng.gen_range(0..words.len())])
                .collect();
            let new = NewItem {
                platform: Platform::KNOWN[i % 6].clone(),
                account: format!("acme-{}", i % 6),
                kind: Kind::ALL[i % 3],
                remote_id: i.to_string(),
                thread_id: None,
                parent_id: None,
                author: Author {
                    id: i.to_string(),
                    handle: format!("user{}@example.social", i % 5000),
                    name: format!("User Number {}", i % 5000),
                },
                text: text.join(" "),
                lang: Some("en".into()),
                created_at: now - Duration::minutes((i % 20_000) as i64),
                url: None,
                from_brand: false,
                raw: None,
                status: Some(Status::ALL[i % 6]),
                priority: Some(Priority::ALL[i % 4]),
                tags: BTreeSet::from([format!("tag{}", i % 10)]),
                assignee: (i % 3 == 0).then(|| "sam".to_string()),
            };
            Item::from_new(ItemId::generate(), new, now)
        })
        .collect()
}

#[test]
#[ignore = "throughput measurement: cargo test --release --test query_fuzz -- --ignored --nocapture"]
fn matches_per_second_over_a_million_items() {
    let now: DateTime<Utc> = "2026-11-20T12:00:00Z".parse().unwrap();
    let items = synthetic_items(1_000_000, now);
    let ctx = MatchContext::new("sam", now);
    for query in [
        "",
        "status:new,open platform:x,bluesky",
        "refund",
        "\"free shipping\"",
        "Refund -tag:tag3 after:7d",
        "café",
        "zzzz",
        "from:@user42",
        "is:mine priority:urgent,high",
    ] {
        let q = Query::parse(query).unwrap();
        let start = Instant::now();
        let hits = items.iter().filter(|item| q.matches(item, &ctx)).count();
        let elapsed = start.elapsed();
        let rate = items.len() as f64 / elapsed.as_secs_f64() / 1e6;
        println!("{query:45} {hits:8} hits  {elapsed:>10.2?}  {rate:6.1} M matches/s");
    }
}
