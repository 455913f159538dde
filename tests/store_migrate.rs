//! Schema migrations on a real store, and the index they add: resolved items by author and
//! thread, which is what a customer's new message reopens.

mod store_support;

use std::path::Path;

use store_support::*;
use switchboard::model::Status;
use switchboard::store::{SledStore, Store, SCHEMA_VERSION};

fn schema_key() -> Vec<u8> {
    let mut key = vec![b'm'];
    key.extend_from_slice(&6u32.to_be_bytes());
    key.extend_from_slice(b"schema");
    key
}

fn resolved_keys(dir: &Path) -> usize {
    let db = sled::open(dir).unwrap();
    db.scan_prefix([b'z']).count()
}

#[test]
fn the_resolved_index_follows_status_changes() {
    let store = SledStore::temporary().unwrap();
    let first = ingest_one(&store, new_item("acme", "1"), at(0)).id();
    let mut other_author = new_item("acme", "2");
    other_author.author.id = "7".into();
    let second = ingest_one(&store, other_author, at(1)).id();
    let mut ours = new_item("acme", "3");
    ours.from_brand = true;
    ingest_one(&store, ours, at(2));

    assert!(store
        .resolved_in_thread("acme", "root-1", "42")
        .unwrap()
        .is_empty());
    set_status(&store, first, Status::Resolved);
    set_status(&store, second, Status::Resolved);
    assert_eq!(
        store.resolved_in_thread("acme", "root-1", "42").unwrap(),
        vec![first]
    );
    assert_eq!(
        store.resolved_in_thread("acme", "root-1", "7").unwrap(),
        vec![second]
    );
    assert!(store
        .resolved_in_thread("acme", "other", "42")
        .unwrap()
        .is_empty());
    set_status(&store, first, Status::Open);
    assert!(store
        .resolved_in_thread("acme", "root-1", "42")
        .unwrap()
        .is_empty());
}

#[test]
fn a_version_1_store_gains_the_resolved_index_once() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let store = SledStore::open(dir.path()).unwrap();
        let id = ingest_one(&store, new_item("acme", "1"), at(0)).id();
        ingest_one(&store, new_item("acme", "2"), at(1));
        set_status(&store, id, Status::Resolved);
        store.flush().unwrap();
        id
    };
    // Make it a version 1 store: no `z` entries, schema 1.
    {
        let db = sled::open(dir.path()).unwrap();
        for key in db.scan_prefix([b'z']).keys() {
            db.remove(key.unwrap()).unwrap();
        }
        db.insert(schema_key(), &1u32.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    assert_eq!(resolved_keys(dir.path()), 0);

    let store = SledStore::open(dir.path()).unwrap();
    assert_eq!(
        store.resolved_in_thread("acme", "root-1", "42").unwrap(),
        vec![id]
    );
    drop(store);
    let db = sled::open(dir.path()).unwrap();
    let version = db.get(schema_key()).unwrap().unwrap();
    assert_eq!(
        u32::from_be_bytes(version.as_ref().try_into().unwrap()),
        SCHEMA_VERSION
    );
    drop(db);
    assert_eq!(
        resolved_keys(dir.path()),
        1,
        "migrated once, nothing duplicated"
    );
}
