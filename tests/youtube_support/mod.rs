//! What the YouTube connector tests share: the account as configured for a loopback
//! channel, a connector on it, a whole sync, and looking at what came back.

#![allow(dead_code)]

use chrono::Utc;
use switchboard::config::{AccountConfig, Config};
use switchboard::connectors::youtube::YoutubeConnector;
use switchboard::connectors::Connector;
use switchboard::model::{Item, ItemId, Meter, NewItem};

use crate::common::quick_http_options;
use crate::common::youtube_api::account_toml;

pub fn config(base: &str, extra: &str) -> AccountConfig {
    let text = format!("{}{extra}", account_toml("acme-yt", base));
    Config::parse(std::path::Path::new("c.toml"), &text)
        .unwrap()
        .accounts[0]
        .clone()
}

pub fn connector(base: &str) -> YoutubeConnector {
    YoutubeConnector::new(&config(base, ""), quick_http_options()).unwrap()
}

pub fn stored(new: &NewItem) -> Item {
    Item::from_new(ItemId::generate(), new.clone(), Utc::now())
}

/// Every page until `more` is false: the items, the problems' reasons, the cursor.
pub async fn sync(
    conn: &YoutubeConnector,
    cursor: Option<String>,
) -> (Vec<NewItem>, Vec<String>, Option<String>) {
    let (mut cursor, mut items, mut problems) = (cursor, Vec::new(), Vec::new());
    for _ in 0..30 {
        let page = conn.fetch_new(cursor.as_deref()).await.expect("fetch_new");
        items.extend(page.items);
        problems.extend(page.problems.into_iter().map(|p| p.reason));
        cursor = page.cursor.or(cursor);
        if !page.more {
            return (items, problems, cursor);
        }
    }
    panic!("fetch_new never said it was done");
}

pub fn by_id<'a>(items: &'a [NewItem], id: &str) -> &'a NewItem {
    items
        .iter()
        .find(|i| i.remote_id == id)
        .unwrap_or_else(|| panic!("no {id} in {:?}", ids(items)))
}

pub fn ids(items: &[NewItem]) -> Vec<&str> {
    items.iter().map(|i| i.remote_id.as_str()).collect()
}

pub fn used(conn: &YoutubeConnector) -> u64 {
    match conn.usage().expect("youtube meters its quota").meter {
        Meter::Quota { used, .. } => used,
        other => panic!("{other:?}"),
    }
}
