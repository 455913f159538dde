//! The Bluesky connector's readers against the responses recorded from the reference
//! implementation (`../shared/fixtures/bluesky/`, read in place): notifications, a thread
//! and a written record become the right items, and the two notification pages walk the
//! way the connector's cursor expects. Every recorded file is looked at, so a new one is
//! not silently ignored.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::Value;
use switchboard::connectors::bluesky::api::Written;
use switchboard::connectors::bluesky::cursor::{Notifications, Seen};
use switchboard::connectors::bluesky::items::{self, Reader};
use switchboard::connectors::bluesky::payload::{NotificationPage, PostRecord};
use switchboard::connectors::bluesky::thread;
use switchboard::model::{Kind, NewItem, Platform};

const BRAND: &str = "did:plc:lywjq27wkoqyzjolksqhvpah";
const ALICE: &str = "did:plc:ovxbav7py3vg74evy2hn47wb";
const BOB: &str = "did:plc:gyiszrs3ob7hroeat2vc2yuk";
const BRAND_POST: &str = "at://did:plc:lywjq27wkoqyzjolksqhvpah/app.bsky.feed.post/3n2vyz52gjs2q";
const ALICE_REPLY: &str = "at://did:plc:ovxbav7py3vg74evy2hn47wb/app.bsky.feed.post/3n2vyz5blzk2q";
const BOB_REPLY: &str = "at://did:plc:gyiszrs3ob7hroeat2vc2yuk/app.bsky.feed.post/3n2vyz5drec2q";
const READER: Reader<'static> = Reader {
    account: "acme-bsky",
    did: BRAND,
};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/bluesky")
}

fn fixture(name: &str) -> Value {
    let path = dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn body(name: &str) -> Value {
    fixture(name)["response"]["body"].clone()
}

fn page(name: &str) -> (NotificationPage, Vec<NewItem>) {
    let page: NotificationPage = serde_json::from_value(body(name)).unwrap();
    let items = page
        .notifications
        .iter()
        .map(|n| items::from_notification(n, READER).unwrap().unwrap())
        .collect();
    (page, items)
}

fn as_seen(list: &[(String, DateTime<Utc>)]) -> Vec<Seen<'_>> {
    list.iter()
        .map(|(uri, at)| Seen { uri, at: Some(*at) })
        .collect()
}

fn time(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

#[test]
fn the_first_notification_page_gives_a_mention_and_a_reply_deeper_in_the_thread() {
    let (page, items) = page("list-notifications-p1.json");
    assert_eq!(page.cursor.as_deref(), Some("2026-11-22T16:12:25.371Z"));
    let mention = &items[0];
    assert_eq!(mention.platform, Platform::Bluesky);
    assert_eq!(mention.account, "acme-bsky");
    assert_eq!(mention.kind, Kind::Mention);
    assert_eq!(
        mention.remote_id,
        "at://did:plc:ovxbav7py3vg74evy2hn47wb/app.bsky.feed.post/3n2vyz5e4422q"
    );
    assert_eq!(
        mention.thread_id.as_deref(),
        Some(mention.remote_id.as_str())
    );
    assert_eq!(mention.parent_id, None);
    assert_eq!(
        (
            mention.author.id.as_str(),
            mention.author.handle.as_str(),
            mention.author.name.as_str()
        ),
        (ALICE, "alice.test", "")
    );
    assert_eq!(mention.text, "hey @brand.test where is my refund?");
    assert_eq!(mention.lang, None);
    assert_eq!(mention.created_at, time("2026-11-22T16:12:25.381Z"));
    assert_eq!(
        mention.url.as_deref(),
        Some("https://bsky.app/profile/alice.test/post/3n2vyz5e4422q")
    );
    assert!(!mention.from_brand);
    let raw = mention.raw.as_ref().unwrap();
    assert_eq!(
        raw["cid"],
        "bafyreib55lncjs2mnamp6z33r7lj2ohfy7cyfvkhdx2h75pcqnx3crm3iq"
    );

    // Bob answered Alice's reply: the brand is told as the thread's root author.
    let reply = &items[1];
    assert_eq!(reply.kind, Kind::Comment);
    assert_eq!(reply.remote_id, BOB_REPLY);
    assert_eq!(reply.thread_id.as_deref(), Some(BRAND_POST));
    assert_eq!(reply.parent_id.as_deref(), Some(ALICE_REPLY));
    assert_eq!(reply.author.id, BOB);
    assert_eq!(reply.text, "Same here, order #8812 is two weeks late 😡");
    assert_eq!(reply.created_at, time("2026-11-22T16:12:25.371Z"));
}

#[test]
fn the_second_page_gives_the_reply_to_the_brand_post_and_ends_the_walk() {
    let (_, first) = page("list-notifications-p1.json");
    let (second_page, second) = page("list-notifications-p2.json");
    assert_eq!(second_page.cursor, None);
    let reply = &second[0];
    assert_eq!(reply.kind, Kind::Comment);
    assert_eq!(reply.remote_id, ALICE_REPLY);
    assert_eq!(reply.thread_id.as_deref(), Some(BRAND_POST));
    assert_eq!(reply.parent_id.as_deref(), Some(BRAND_POST));
    assert_eq!(
        reply.text,
        "Ma commande #4521 n'est jamais arrivée, que faire ?"
    );

    // The walk over the two pages as the connector does it, then a pass over them again.
    let now = time("2026-11-22T16:13:00Z");
    let seen = |items: &[NewItem]| -> Vec<(String, DateTime<Utc>)> {
        items
            .iter()
            .map(|i| (i.remote_id.clone(), i.created_at))
            .collect()
    };
    let (p1, p2) = (seen(&first), seen(&second));
    let mut walk = Notifications::default();
    let (fresh, more) = walk.take_page(&as_seen(&p1), Some("2026-11-22T16:12:25.371Z"), now);
    assert_eq!((fresh, more), (vec![true, true], true));
    assert_eq!(walk.next_page(), Some("2026-11-22T16:12:25.371Z"));
    let (fresh, more) = walk.take_page(&as_seen(&p2), None, now);
    assert_eq!((fresh, more), (vec![true], false));
    assert_eq!(walk.mark, Some(time("2026-11-22T16:12:25.381Z")));
    let all: Vec<_> = p1.iter().chain(&p2).cloned().collect();
    let (fresh, more) = walk.take_page(&as_seen(&all), None, now);
    assert_eq!((fresh, more), (vec![false, false, false], false));
}

#[test]
fn the_recorded_thread_gives_every_post_with_its_place() {
    let items = thread::posts_of(&body("get-post-thread.json")["thread"], READER);
    let ids: Vec<&str> = items.iter().map(|i| i.remote_id.as_str()).collect();
    assert_eq!(ids, [BRAND_POST, ALICE_REPLY, BOB_REPLY]);
    let root = &items[0];
    assert!(root.from_brand);
    assert_eq!(root.kind, Kind::Comment);
    assert_eq!(root.thread_id.as_deref(), Some(BRAND_POST));
    assert_eq!(root.parent_id, None);
    assert_eq!(
        root.text,
        "Nouvelle collection disponible ! New collection is out."
    );
    assert_eq!(root.author.handle, "brand.test");
    let (alice, bob) = (&items[1], &items[2]);
    assert_eq!(
        (alice.author.id.as_str(), alice.kind),
        (ALICE, Kind::Comment)
    );
    assert_eq!(alice.parent_id.as_deref(), Some(BRAND_POST));
    assert_eq!(bob.parent_id.as_deref(), Some(ALICE_REPLY));
    assert_eq!(bob.thread_id.as_deref(), Some(BRAND_POST));
    assert_eq!(bob.created_at, time("2026-11-22T16:12:25.371Z"));
    assert!(!alice.from_brand && !bob.from_brand);
}

#[test]
fn the_recorded_reply_record_and_its_answer_make_the_brand_reply() {
    let exchange = fixture("create-record-reply.json");
    let record = &exchange["request"]["body"]["record"];
    let post = PostRecord::read(record).unwrap();
    let refs = post.reply.clone().unwrap();
    assert_eq!(refs.root.uri, BRAND_POST);
    assert_eq!(refs.parent.uri, BOB_REPLY);
    let written: Written = serde_json::from_value(exchange["response"]["body"].clone()).unwrap();
    assert_eq!(
        written.uri,
        "at://did:plc:lywjq27wkoqyzjolksqhvpah/app.bsky.feed.post/3n2vyz5viqk2q"
    );
    let author = Default::default();
    let item = items::Post {
        uri: &written.uri,
        author: &author,
        record: &post,
        indexed_at: None,
    }
    .item(Kind::Comment, READER, Value::Null);
    assert!(item.from_brand, "the repo's DID is the brand's");
    assert_eq!(item.author.id, BRAND);
    assert_eq!(item.thread_id.as_deref(), Some(BRAND_POST));
    assert_eq!(item.parent_id.as_deref(), Some(BOB_REPLY));
    assert_eq!(item.created_at, time("2026-11-22T16:12:25.952Z"));
    assert_eq!(
        item.url.as_deref(),
        Some("https://bsky.app/profile/did:plc:lywjq27wkoqyzjolksqhvpah/post/3n2vyz5viqk2q")
    );
}

#[test]
fn every_recorded_file_is_covered() {
    let covered = [
        "create-record-reply.json",
        "create-session.json",      // session.rs unit test
        "error-invalid-token.json", // xrpc.rs unit test
        "get-post-thread.json",
        "list-notifications-p1.json",
        "list-notifications-p2.json",
    ];
    let mut found: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    found.sort();
    assert_eq!(found, covered, "a new recorded file: read it in a test");
}
