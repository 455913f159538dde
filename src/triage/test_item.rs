//! An item to run the triage functions on, for their unit tests.

use chrono::{DateTime, Utc};

use crate::model::{Author, Item, ItemId, Kind, NewItem, Platform};

pub fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// A French mention on Mastodon from @claire, received at 2026-11-20T10:00:00Z.
pub fn item(text: &str) -> Item {
    let new = NewItem {
        platform: Platform::Mastodon,
        account: "acme-masto".into(),
        kind: Kind::Mention,
        remote_id: "1".into(),
        thread_id: None,
        parent_id: None,
        author: Author {
            id: "42".into(),
            handle: "Claire@example.social".into(),
            name: "Claire".into(),
        },
        text: text.into(),
        lang: Some("fr-FR".into()),
        created_at: at("2026-11-20T10:00:00Z"),
        url: None,
        from_brand: false,
        raw: None,
        status: None,
        priority: None,
        tags: Default::default(),
        assignee: None,
    };
    Item::from_new(ItemId::generate(), new, at("2026-11-20T10:00:00Z"))
}
