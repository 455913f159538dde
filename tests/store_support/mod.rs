//! Fixtures shared by the store's integration tests: items, actors, times and short edits.

#![allow(dead_code)]

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use switchboard::model::{Actor, Author, Item, ItemId, Kind, NewItem, Platform, Status};
use switchboard::store::{AuditNote, IngestOutcome, SledStore, Store};

pub fn at(minute: i64) -> DateTime<Utc> {
    "2026-11-20T10:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::minutes(minute)
}

pub fn actor() -> Actor {
    Actor::new("alice", "cli")
}

pub fn new_item(account: &str, remote_id: &str) -> NewItem {
    NewItem {
        platform: Platform::Mastodon,
        account: account.into(),
        kind: Kind::Comment,
        remote_id: remote_id.into(),
        thread_id: Some("root-1".into()),
        parent_id: None,
        author: Author {
            id: "42".into(),
            handle: "claire".into(),
            name: "Claire".into(),
        },
        text: format!("Where is my order? ({remote_id})"),
        lang: Some("en".into()),
        created_at: at(0),
        url: None,
        from_brand: false,
        raw: Some(json!({ "id": remote_id, "content": "<p>Where is my order?</p>" })),
        status: None,
        priority: None,
        tags: Default::default(),
        assignee: None,
    }
}

pub fn ingest_one(store: &SledStore, item: NewItem, now: DateTime<Utc>) -> IngestOutcome {
    store.ingest(vec![item], &actor(), now).unwrap()[0]
}

/// Applies a plain mutation with an audit note.
pub fn edit(store: &SledStore, id: ItemId, change: impl Fn(&mut Item)) -> Item {
    store
        .update(id, &actor(), at(100), &mut |item| {
            change(item);
            Ok(Some(AuditNote::new("edit", "test edit")))
        })
        .unwrap()
}

pub fn set_status(store: &SledStore, id: ItemId, to: Status) -> Item {
    edit(store, id, |item| {
        item.set_status(to).unwrap();
    })
}

pub fn ids(items: &[Item]) -> Vec<ItemId> {
    items.iter().map(|i| i.id).collect()
}
