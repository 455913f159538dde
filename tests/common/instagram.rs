//! Helpers for the Instagram connector tests: a connector on an [`InstagramWorld`], a sync
//! pass the way the hub runs one, and items as the store hands them back.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::Utc;
use switchboard::config::Config;
use switchboard::connectors::instagram::InstagramConnector;
use switchboard::connectors::Connector;
use switchboard::model::{Item, ItemId, NewItem};

use super::instagram_api::InstagramWorld;

/// A connector for the world's account (`extra` config lines appended).
pub fn connector(world: &InstagramWorld, extra: &str) -> InstagramConnector {
    let text = world.account_toml("acme-ig", extra);
    let config = Config::parse(Path::new("test.toml"), &text).unwrap();
    InstagramConnector::new(&config.accounts[0], super::quick_http_options()).unwrap()
}

/// One pass: pages until `more` is false (no page may hold a problem); items by remote id.
pub async fn pass(
    c: &InstagramConnector,
    cursor: &mut Option<String>,
) -> BTreeMap<String, NewItem> {
    let mut items = BTreeMap::new();
    for _ in 0..50 {
        let page = c.fetch_new(cursor.as_deref()).await.unwrap();
        assert!(page.problems.is_empty(), "{:?}", page.problems);
        for item in page.items {
            items.insert(item.remote_id.clone(), item);
        }
        if page.cursor.is_some() {
            *cursor = page.cursor;
        }
        if !page.more {
            return items;
        }
    }
    panic!("the pass never ended");
}

/// A first sync's items.
pub async fn synced(c: &InstagramConnector) -> BTreeMap<String, NewItem> {
    pass(c, &mut None).await
}

/// An item as stored.
pub fn stored(new: &NewItem) -> Item {
    Item::from_new(ItemId::generate(), new.clone(), Utc::now())
}
