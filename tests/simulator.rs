//! The demo simulator through its public API: determinism, coverage of the traffic it
//! promises, thread integrity, id uniqueness and shapes, live timing, and reply delivery.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use switchboard::connectors::simulator::{Simulator, SimulatorError, Topic};
use switchboard::model::{Item, ItemId, Kind, NewItem, Platform};

fn start() -> DateTime<Utc> {
    "2025-06-01T12:00:00Z".parse().unwrap()
}

fn as_item(new: &NewItem, n: u128) -> Item {
    let id = ItemId::from_parts(new.created_at.timestamp_millis() as u64, n);
    Item::from_new(id, new.clone(), new.created_at)
}

fn customers(items: &[NewItem]) -> impl Iterator<Item = &NewItem> {
    items.iter().filter(|i| !i.from_brand)
}

/// Backlog, live arrivals and a few replies, serialized.
fn session_json(seed: u64) -> String {
    let mut sim = Simulator::new(seed, "Acme", start());
    let mut items = sim.backlog(300);
    for n in 0..60 {
        let (delay, item) = sim.next_live();
        if n % 7 == 0 && !item.from_brand {
            let reply =
                sim.deliver_reply(&as_item(&item, n), "Hi! Could you DM us your order number?");
            items.push(reply.unwrap().reply);
        }
        items.push(item);
        items.last_mut().unwrap().assignee = Some(format!("{delay:?}"));
    }
    serde_json::to_string(&items).unwrap()
}

#[test]
fn same_seed_and_start_give_identical_traffic() {
    assert_eq!(session_json(7), session_json(7));
    assert_ne!(session_json(7), session_json(8));
    let other_start = {
        let mut sim = Simulator::new(7, "Acme", start() + chrono::Duration::hours(1));
        serde_json::to_string(&sim.backlog(50)).unwrap()
    };
    let same_start =
        serde_json::to_string(&Simulator::new(7, "Acme", start()).backlog(50)).unwrap();
    assert_ne!(other_start, same_start);
}

#[test]
fn two_hundred_items_cover_platforms_kinds_languages_and_the_showcase() {
    for seed in 0..12 {
        let mut sim = Simulator::new(seed, "Acme", start());
        let items = sim.backlog(200);
        assert_eq!(customers(&items).count(), 200, "seed {seed}");
        let platforms: BTreeSet<_> = customers(&items).map(|i| i.platform.clone()).collect();
        assert_eq!(platforms.len(), 6, "seed {seed}: {platforms:?}");
        let kinds: BTreeSet<_> = customers(&items).map(|i| i.kind).collect();
        assert_eq!(kinds.len(), 3, "seed {seed}");
        let langs: BTreeSet<_> = customers(&items).filter_map(|i| i.lang.clone()).collect();
        assert!(
            langs.contains("en") && langs.contains("fr"),
            "seed {seed}: {langs:?}"
        );
        let topics: BTreeSet<Topic> = customers(&items)
            .filter_map(|i| sim.topic_of(&i.remote_id))
            .collect();
        for needed in [
            Topic::LegalThreat,
            Topic::Journalist,
            Topic::Spam,
            Topic::Troll,
            Topic::Insult,
            Topic::Influencer,
            Topic::LateOrder,
            Topic::Praise,
        ] {
            assert!(topics.contains(&needed), "seed {seed} has no {needed}");
        }
    }
}

#[test]
fn topics_read_like_what_they_claim() {
    let mut sim = Simulator::new(3, "Acme", start());
    let items = sim.backlog(3000);
    // Each author's first message in a thread opens their conversation.
    let mut authors_seen = HashSet::new();
    let openers = customers(&items)
        .filter(|i| authors_seen.insert((i.author.id.clone(), i.thread_id.clone())));
    let mut checked = BTreeMap::new();
    for item in openers {
        let Some(topic) = sim.topic_of(&item.remote_id) else {
            continue;
        };
        let expected: &[&str] = match topic {
            Topic::LegalThreat => &[
                "lawyer",
                "avocat",
                "sue",
                "court",
                "solicitor",
                "tribunal",
                "demeure",
            ],
            Topic::Spam => &["http", "dm", "whatsapp", "écrivez", "ask me"],
            Topic::Journalist => &["press", "presse", "statement", "comment", "réagir"],
            _ => continue,
        };
        let text = item.text.to_lowercase();
        assert!(
            expected.iter().any(|w| text.contains(w)),
            "{topic} item does not read like it: {:?}",
            item.text
        );
        *checked.entry(topic).or_insert(0) += 1;
    }
    assert_eq!(checked.len(), 3, "{checked:?}");
}

#[test]
fn texts_are_varied_like_real_traffic() {
    let mut sim = Simulator::new(11, "Acme", start());
    let items = sim.backlog(1500);
    let texts: Vec<&str> = customers(&items).map(|i| i.text.as_str()).collect();
    assert!(texts.iter().any(|t| t.contains('\n')), "no multi-line text");
    assert!(texts.iter().any(|t| t.contains("https://")), "no link");
    assert!(
        texts.iter().any(|t| t.chars().any(|c| c as u32 >= 0x1F300)),
        "no emoji"
    );
    let cjk =
        |c: char| ('\u{3040}'..='\u{9FFF}').contains(&c) || ('\u{AC00}'..='\u{D7AF}').contains(&c);
    assert!(texts.iter().any(|t| t.chars().any(cjk)), "no CJK text");
    let others = customers(&items)
        .filter(|i| !matches!(i.lang.as_deref(), Some("en" | "fr")))
        .count();
    assert!(
        others > 0 && others < texts.len() / 10,
        "{others} items in other languages"
    );
    let shortest = texts.iter().map(|t| t.chars().count()).min().unwrap();
    let longest = texts.iter().map(|t| t.chars().count()).max().unwrap();
    assert!(
        shortest < 15 && longest > 250,
        "lengths {shortest}..{longest}"
    );
    let distinct: HashSet<&str> = texts.iter().copied().collect();
    assert!(
        distinct.len() > texts.len() / 2,
        "{} distinct of {}",
        distinct.len(),
        texts.len()
    );
}

#[test]
fn every_parent_is_an_earlier_item_of_the_same_thread() {
    let mut sim = Simulator::new(5, "Acme", start());
    let mut items = sim.backlog(2000);
    for n in 0..600 {
        let (_, item) = sim.next_live();
        let answer = (n % 5 == 0 && !item.from_brand).then(|| {
            sim.deliver_reply(&as_item(&item, n), "Merci, on regarde !")
                .unwrap()
                .reply
        });
        items.push(item);
        items.extend(answer);
    }
    let mut seen: HashMap<(String, String), &NewItem> = HashMap::new();
    for item in &items {
        let thread = item.thread_id.as_deref().expect("every item has a thread");
        if let Some(parent_id) = &item.parent_id {
            let parent = seen
                .get(&(item.account.clone(), parent_id.clone()))
                .unwrap_or_else(|| {
                    panic!(
                        "parent {parent_id} of {} not emitted before",
                        item.remote_id
                    )
                });
            assert_eq!(
                parent.thread_id.as_deref(),
                Some(thread),
                "parent in another thread"
            );
            assert!(parent.created_at < item.created_at, "parent not older");
        } else if item.kind != Kind::Dm {
            assert_eq!(thread, item.remote_id, "a root post is its own thread");
        }
        if item.kind == Kind::Comment && !item.from_brand {
            let root = seen.get(&(item.account.clone(), thread.to_string()));
            assert!(
                root.is_some_and(|r| r.from_brand),
                "comment thread root is not a brand post"
            );
        }
        seen.insert((item.account.clone(), item.remote_id.clone()), item);
    }
}

#[test]
fn threads_continue_and_customers_come_back() {
    let mut sim = Simulator::new(9, "Acme", start());
    let items = sim.backlog(400);
    let mut per_thread: HashMap<&str, usize> = HashMap::new();
    let mut threads_per_author: HashMap<&str, HashSet<&str>> = HashMap::new();
    for item in customers(&items) {
        let thread = item.thread_id.as_deref().unwrap();
        *per_thread.entry(thread).or_default() += 1;
        threads_per_author
            .entry(&item.author.id)
            .or_default()
            .insert(thread);
    }
    let long_dms = customers(&items)
        .filter(|i| i.kind == Kind::Dm)
        .filter(|i| per_thread[i.thread_id.as_deref().unwrap()] >= 3)
        .count();
    assert!(long_dms > 0, "no DM conversation with several messages");
    let regulars = threads_per_author.values().filter(|t| t.len() >= 3).count();
    assert!(regulars >= 3, "{regulars} customers wrote in 3+ threads");
    let brand_replies = items
        .iter()
        .filter(|i| i.from_brand && i.parent_id.is_some())
        .count();
    assert!(brand_replies > 10, "{brand_replies} earlier brand replies");
}

#[test]
fn remote_ids_are_unique_and_platform_shaped() {
    let mut sim = Simulator::new(1, "Acme", start());
    let mut items = sim.backlog(10_000);
    items.extend((0..500).map(|_| sim.next_live().1));
    assert!(items.len() > 10_000);
    let mut keys = HashSet::new();
    for item in &items {
        assert!(
            keys.insert((item.account.clone(), item.remote_id.clone())),
            "duplicate {} on {}",
            item.remote_id,
            item.account
        );
        assert_shaped(item);
    }
}

fn assert_shaped(item: &NewItem) {
    let id = &item.remote_id;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match (&item.platform, item.kind) {
        (Platform::Mastodon, _) => digits(id) && id.len() == 18,
        (Platform::X, _) => digits(id) && id.len() == 19,
        (Platform::Bluesky, Kind::Dm) => id.len() == 13,
        (Platform::Bluesky, _) => {
            id.starts_with("at://did:plc:") && id.contains("/app.bsky.feed.post/")
        }
        (Platform::Facebook, Kind::Dm) => id.starts_with("m_"),
        (Platform::Facebook, _) => id.split('_').count() == 2 && id.split('_').all(digits),
        (Platform::Instagram, Kind::Dm) => id.starts_with("aWdfZAG"),
        (Platform::Instagram, _) => digits(id),
        (Platform::Youtube, _) if item.from_brand && item.parent_id.is_none() => id.len() == 11,
        (Platform::Youtube, _) => id.starts_with("Ug") || id.len() == 11,
        (Platform::Other(_), _) => false,
    };
    assert!(
        ok,
        "{} {} id {id} is not platform-shaped",
        item.platform, item.kind
    );
    assert_eq!(item.account, format!("acme-{}", item.platform));
    if let Some(url) = &item.url {
        let host = url
            .trim_start_matches("https://")
            .split('/')
            .next()
            .unwrap();
        assert!(host.ends_with(".example"), "real host in {url}");
    }
    let raw = item.raw.as_ref().expect("raw payload");
    assert!(raw.is_object());
    let raw_text = raw.to_string();
    let first_word = item.text.split_whitespace().next().unwrap_or("");
    if item.platform != Platform::Mastodon && !first_word.contains(['"', '\\']) {
        assert!(
            raw_text.contains(first_word),
            "raw lacks the text: {raw_text}"
        );
    }
}

#[test]
fn handles_follow_platform_formats() {
    let mut sim = Simulator::new(2, "Acme", start());
    for item in customers(&sim.backlog(500)) {
        let handle = &item.author.handle;
        match item.platform {
            Platform::Mastodon => assert!(handle.contains('@') && handle.ends_with(".example")),
            Platform::Bluesky => assert!(handle.ends_with(".bsky.social")),
            Platform::X => assert!(handle.len() <= 15 && !handle.starts_with('@')),
            Platform::Youtube => assert!(item.author.id.starts_with("UC")),
            _ => assert!(!handle.is_empty()),
        }
    }
}

#[test]
fn backlog_is_before_start_and_live_follows_the_delays() {
    let mut sim = Simulator::new(4, "Acme", start());
    let backlog = sim.backlog(500);
    assert!(backlog
        .windows(2)
        .all(|w| w[0].created_at <= w[1].created_at));
    assert!(backlog.iter().all(|i| i.created_at < start()));
    assert!(backlog
        .iter()
        .any(|i| start() - i.created_at > chrono::Duration::hours(24)));
    let mut clock = start();
    let mut delays = Vec::new();
    for _ in 0..400 {
        let (delay, item) = sim.next_live();
        clock += chrono::Duration::from_std(delay).unwrap();
        if item.from_brand {
            assert!(item.created_at <= clock);
        } else {
            assert_eq!(
                item.created_at, clock,
                "a live message is dated when it arrives"
            );
            delays.push(delay);
        }
    }
    assert_eq!(sim.clock(), clock);
    let bursts = delays
        .iter()
        .filter(|d| **d < Duration::from_millis(1500))
        .count();
    let total: Duration = delays.iter().sum();
    assert!(bursts > 20, "{bursts} burst arrivals");
    assert!(delays.iter().all(|d| *d <= Duration::from_secs(25)));
    let mean = total / delays.len() as u32;
    assert!(
        mean > Duration::from_secs(2) && mean < Duration::from_secs(10),
        "mean {mean:?}"
    );
}

#[test]
fn replies_are_delivered_and_answered_later() {
    let mut sim = Simulator::new(6, "Acme", start());
    let backlog = sim.backlog(300);
    let targets: Vec<Item> = customers(&backlog)
        .filter(|i| {
            !matches!(
                sim.topic_of(&i.remote_id),
                Some(Topic::Spam | Topic::Troll | Topic::Insult)
            )
        })
        .take(40)
        .enumerate()
        .map(|(n, i)| as_item(i, n as u128))
        .collect();
    let mut expected = HashMap::new();
    for target in &targets {
        let text = "So sorry! Could you send us your order number by DM?";
        let sent = sim.deliver_reply(target, text).unwrap();
        let reply = &sent.reply;
        assert!(reply.from_brand);
        assert_eq!(reply.account, target.account);
        assert_eq!(reply.kind, target.kind);
        assert_eq!(reply.parent_id.as_deref(), Some(target.remote_id.as_str()));
        assert_eq!(reply.thread_id.as_deref(), Some(target.thread_key()));
        assert_eq!(reply.text, text);
        assert_ne!(reply.remote_id, target.remote_id);
        assert!(reply.created_at > target.created_at);
        if let Some(delay) = sent.follow_up_in {
            expected.insert(
                reply.remote_id.clone(),
                reply.created_at + chrono::Duration::from_std(delay).unwrap(),
            );
        }
    }
    assert_eq!(sim.sent_replies().len(), targets.len());
    assert_eq!(sim.sent_replies()[0].in_reply_to, targets[0].remote_id);
    assert!(
        expected.len() >= 10,
        "only {} follow-ups scheduled",
        expected.len()
    );
    let mut answered = 0;
    let mut gave_order_number = 0;
    for _ in 0..2000 {
        let (_, item) = sim.next_live();
        if let Some(due) = item.parent_id.as_ref().and_then(|p| expected.get(p)) {
            assert_eq!(item.created_at, *due);
            assert!(!item.from_brand);
            answered += 1;
            gave_order_number += usize::from(item.text.contains("AC-"));
        }
    }
    assert_eq!(
        answered,
        expected.len(),
        "every scheduled follow-up arrives"
    );
    assert!(
        gave_order_number > 0,
        "nobody gave the order number asked for"
    );
}

#[test]
fn replies_the_platform_would_refuse_are_refused() {
    let mut sim = Simulator::new(6, "Acme", start());
    let backlog = sim.backlog(100);
    let on_x = customers(&backlog)
        .find(|i| i.platform == Platform::X)
        .unwrap();
    let item = as_item(on_x, 1);
    let err = sim.deliver_reply(&item, "   ").unwrap_err();
    assert_eq!(
        err,
        SimulatorError::EmptyReply {
            platform: Platform::X
        }
    );
    let err = sim.deliver_reply(&item, &"a".repeat(281)).unwrap_err();
    assert!(
        err.to_string().contains("281") && err.to_string().contains("280"),
        "{err}"
    );
    let mut foreign = item.clone();
    foreign.account = "someone-else".into();
    let err = sim.deliver_reply(&foreign, "hello").unwrap_err();
    assert!(err.to_string().contains("'someone-else'") && err.to_string().contains("acme-x"));
    assert!(sim.sent_replies().is_empty());
}

#[test]
fn a_simulator_can_move_into_a_task() {
    fn is_send<T: Send + 'static>(_: &T) {}
    is_send(&Simulator::new(1, "Acme", start()));
}

#[test]
fn the_brand_name_is_configurable() {
    let mut sim = Simulator::new(1, "Café Lumière", start());
    assert_eq!(sim.brand(), "Café Lumière");
    let accounts: Vec<String> = sim.accounts().into_iter().map(|(a, _)| a).collect();
    assert_eq!(accounts.len(), 6);
    assert!(accounts.contains(&"cafe-lumiere-mastodon".to_string()));
    let items = sim.backlog(300);
    assert!(items.iter().any(|i| i.text.contains("Café Lumière")));
    assert!(items.iter().all(|i| i.account.starts_with("cafe-lumiere-")));
    assert!(!items.iter().any(|i| i.text.contains("Acme")));
}

#[test]
fn ten_thousand_items_are_generated_quickly() {
    let began = Instant::now();
    let items = Simulator::new(42, "Acme", start()).backlog(10_000);
    let took = began.elapsed();
    assert!(customers(&items).count() == 10_000);
    // Optimized builds must stay well under a second; unoptimized test builds on a small,
    // busy machine get a generous bound that still catches anything quadratic.
    let bound = if cfg!(debug_assertions) {
        Duration::from_secs(15)
    } else {
        Duration::from_secs(1)
    };
    assert!(took < bound, "10,000 items took {took:?}");
    eprintln!("10,000 backlog items in {took:?}");
}
