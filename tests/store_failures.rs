//! What the sled store reports when it cannot do what was asked: refused edits, unknown
//! ids, a store another open holds, a corrupt record, a store from a newer switchboard.

mod store_support;

use std::path::Path;

use store_support::{actor, at, ingest_one, new_item};
use switchboard::model::{ItemId, Status};
use switchboard::store::{AuditNote, SledStore, Store, StoreError};

#[test]
fn identity_edits_are_refused_and_unknown_ids_not_found() {
    let store = SledStore::temporary().unwrap();
    let id = ingest_one(&store, new_item("acme", "1"), at(0)).id();
    let err = store
        .update(id, &actor(), at(1), &mut |item| {
            item.remote_id = "2".into();
            Ok(Some(AuditNote::new("edit", "sneaky")))
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected(_)), "{err}");
    let missing = ItemId::generate();
    let err = store
        .update(missing, &actor(), at(1), &mut |_| Ok(None))
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(m) if m == missing));
}

#[test]
fn a_second_open_of_one_store_is_locked_not_hung() {
    let dir = tempfile::tempdir().unwrap();
    let first = SledStore::open(dir.path()).unwrap();
    let err = SledStore::open(dir.path())
        .err()
        .expect("second open must fail");
    match &err {
        StoreError::Locked { path, .. } => assert_eq!(Path::new(path), dir.path()),
        other => panic!("expected Locked, got {other}"),
    }
    assert!(err.to_string().contains("locked"));
    drop(first);
    SledStore::open(dir.path()).expect("free again once the first store is closed");
}

/// Writes a record straight into the sled files behind the store.
fn poke(dir: &Path, key: &[u8], value: &[u8]) {
    let db = sled::open(dir).unwrap();
    db.insert(key, value).unwrap();
    db.flush().unwrap();
}

#[test]
fn corrupt_item_record_is_an_error_naming_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let store = SledStore::open(dir.path()).unwrap();
        ingest_one(&store, new_item("acme", "1"), at(0)).id()
    };
    let mut key = vec![b'i'];
    key.extend_from_slice(&id.to_bytes());
    poke(dir.path(), &key, b"{not json");

    let store = SledStore::open(dir.path()).unwrap();
    let err = store.get(id).unwrap_err();
    match &err {
        StoreError::Corrupt { key, .. } => assert!(key.starts_with('i'), "{key}"),
        other => panic!("expected Corrupt, got {other}"),
    }
    assert!(matches!(
        store.queue(&Status::ALL, 0, 10),
        Err(StoreError::Corrupt { .. })
    ));
    assert!(matches!(
        store.queue_iter(&Status::ALL).next(),
        Some(Err(StoreError::Corrupt { .. }))
    ));
}

#[test]
fn store_written_by_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(SledStore::open(dir.path()).unwrap());
    let mut key = vec![b'm'];
    key.extend_from_slice(&6u32.to_be_bytes());
    key.extend_from_slice(b"schema");
    poke(dir.path(), &key, &99u32.to_be_bytes());
    let err = SledStore::open(dir.path()).err().expect("must refuse");
    assert!(
        matches!(
            err,
            StoreError::TooNew {
                found: 99,
                supported: switchboard::store::SCHEMA_VERSION,
                ..
            }
        ),
        "{err}"
    );
}
