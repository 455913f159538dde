//! Items as a connector brings them in, for tests that need some but not their detail.

use chrono::Utc;
use switchboard::model::{Author, Kind, NewItem, Platform};

/// Customer number `n` mentioning the brand on `account` (a Bluesky mention, its own
/// thread, in English, created now). Tests change what they care about with `..`.
pub fn customer_item(account: &str, n: usize) -> NewItem {
    NewItem {
        platform: Platform::Bluesky,
        account: account.into(),
        kind: Kind::Mention,
        remote_id: format!("post-{n}"),
        thread_id: Some(format!("post-{n}")),
        parent_id: None,
        author: Author {
            id: format!("did:plc:{n}"),
            handle: format!("user{n}.bsky.social"),
            name: format!("User {n}"),
        },
        text: format!("hello brand, message {n}"),
        lang: Some("en".into()),
        created_at: Utc::now(),
        url: None,
        from_brand: false,
        raw: None,
        status: None,
        priority: None,
        tags: Default::default(),
        assignee: None,
    }
}
