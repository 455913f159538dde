//! What the X connector tests share: a connector on the loopback X world (or any fake
//! API), a store that keeps pages the way the sync engine does, and the day's spend.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use chrono::Utc;
use switchboard::config::Config;
use switchboard::connectors::x::XConnector;
use switchboard::connectors::Connector;
use switchboard::model::{Item, ItemId, Meter, NewItem};

use super::common::x_api::{x_account_toml, X_TOKEN};

pub fn connector(base: &str, token: &str) -> XConnector {
    let text = x_account_toml("acme-x", base).replace(X_TOKEN, token);
    let config = Config::parse(Path::new("test.toml"), &text).unwrap();
    XConnector::new(&config.accounts[0], super::common::quick_http_options()).unwrap()
}

/// What the sync engine does with pages: one copy per remote id, then the cursor.
#[derive(Default)]
pub struct Store {
    pub items: BTreeMap<String, NewItem>,
    pub cursor: Option<String>,
}

impl Store {
    /// One pass: pages until `more` is false; the items new to the store.
    pub async fn pass(&mut self, c: &XConnector) -> Vec<NewItem> {
        let mut new = Vec::new();
        loop {
            let page = c.fetch_new(self.cursor.as_deref()).await.unwrap();
            assert!(page.problems.is_empty(), "{:?}", page.problems);
            for item in page.items {
                if !self.items.contains_key(&item.remote_id) {
                    new.push(item.clone());
                }
                self.items.insert(item.remote_id.clone(), item);
            }
            self.cursor = page.cursor.or(self.cursor.take());
            if !page.more {
                return new;
            }
        }
    }

    pub fn stored(&self, remote_id: &str) -> Item {
        let new = self.items[remote_id].clone();
        Item::from_new(ItemId::generate(), new, Utc::now())
    }
}

pub fn spent(c: &XConnector) -> (u64, u64) {
    match c.usage().unwrap().meter {
        Meter::Spend { micros, calls, .. } => (micros, calls),
        other => panic!("{other:?}"),
    }
}
