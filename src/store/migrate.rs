//! Schema versions of the on-disk layout, and the one place where a store is brought up to
//! the version this build understands.
//!
//! The version lives in the `m` "schema" record. A fresh store is stamped with
//! [`SCHEMA_VERSION`]; an older one runs each migration `from -> to` in order, each one's
//! writes and its version stamp committed in one atomic batch (so a crash mid-way re-runs at
//! most the step that did not land); a newer one is refused rather than misread.

use super::keys;
use super::sled_store::codec::engine;
use super::{Result, StoreError};

/// The layout this build reads and writes. Version 1 is the first real schema.
pub const SCHEMA_VERSION: u32 = 2;

/// One step of the schema: reads what it needs from the tree and adds its writes to the
/// batch, which the runner commits together with the new version number.
pub type MigrationFn = fn(&sled::Tree, &mut sled::Batch) -> Result<()>;

/// A migration from schema `from` to schema `to`.
#[derive(Clone, Copy)]
pub struct Migration {
    pub from: u32,
    pub to: u32,
    pub run: MigrationFn,
}

/// The migrations of this build, oldest first.
pub const MIGRATIONS: &[Migration] = &[Migration {
    from: 1,
    to: 2,
    run: index_resolved_by_author,
}];

/// v1 → v2: the `z` index (resolved items by account, thread and author), so a customer's
/// new message finds what it reopens with one short range read.
fn index_resolved_by_author(tree: &sled::Tree, batch: &mut sled::Batch) -> Result<()> {
    use crate::store::sled_store::codec::{decode, ItemRecord};
    for entry in tree.scan_prefix([keys::ITEM]) {
        let (key, bytes) = entry.map_err(engine)?;
        let item: crate::model::Item = decode(&key, ItemRecord::split(&key, &bytes)?.item)?;
        for index_key in keys::index_entries(&item) {
            if index_key.first() == Some(&keys::RESOLVED) {
                batch.insert(index_key, &[] as &[u8]);
            }
        }
    }
    Ok(())
}

/// Reads the schema version; `None` for a store that never had one.
pub fn read_version(tree: &sled::Tree) -> Result<Option<u32>> {
    let key = keys::meta(keys::META_SCHEMA);
    let Some(value) = tree.get(&key).map_err(engine)? else {
        return Ok(None);
    };
    let bytes: [u8; 4] = value.as_ref().try_into().map_err(|_| StoreError::Corrupt {
        key: keys::describe(&key),
        reason: format!("schema version has {} bytes, expected 4", value.len()),
    })?;
    Ok(Some(u32::from_be_bytes(bytes)))
}

/// Brings the store at `path` to `supported` with `migrations`; returns the version it
/// started at. A fresh (empty) store is stamped, a newer one refused.
pub fn prepare(
    tree: &sled::Tree,
    path: &str,
    migrations: &[Migration],
    supported: u32,
) -> Result<u32> {
    let Some(mut version) = read_version(tree)? else {
        return stamp_fresh(tree, supported);
    };
    let found = version;
    if found > supported {
        return Err(StoreError::TooNew {
            path: path.to_string(),
            found,
            supported,
        });
    }
    while version < supported {
        let step = migrations
            .iter()
            .find(|m| m.from == version && m.to > version && m.to <= supported)
            .ok_or_else(|| {
                StoreError::Engine(format!(
                    "the store at {path} has schema version {version} and this build has no \
                     migration from it to {supported}"
                ))
            })?;
        let mut batch = sled::Batch::default();
        (step.run)(tree, &mut batch)?;
        batch.insert(keys::meta(keys::META_SCHEMA), &step.to.to_be_bytes());
        tree.apply_batch(batch).map_err(engine)?;
        tracing::info!(from = step.from, to = step.to, "migrated the store schema");
        version = step.to;
    }
    Ok(found)
}

fn stamp_fresh(tree: &sled::Tree, supported: u32) -> Result<u32> {
    if let Some(first) = tree.iter().next() {
        let (key, _) = first.map_err(engine)?;
        return Err(StoreError::Corrupt {
            key: keys::describe(&keys::meta(keys::META_SCHEMA)),
            reason: format!(
                "the store holds records (first {}) but no schema version",
                keys::describe(&key)
            ),
        });
    }
    tree.insert(keys::meta(keys::META_SCHEMA), &supported.to_be_bytes())
        .map_err(engine)?;
    Ok(supported)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    static STEP_ONE_RUNS: AtomicUsize = AtomicUsize::new(0);
    static STEP_TWO_RUNS: AtomicUsize = AtomicUsize::new(0);

    fn step_one(_tree: &sled::Tree, batch: &mut sled::Batch) -> Result<()> {
        STEP_ONE_RUNS.fetch_add(1, Ordering::SeqCst);
        batch.insert(b"x-order".as_slice(), b"1".as_slice());
        Ok(())
    }

    fn step_two(tree: &sled::Tree, batch: &mut sled::Batch) -> Result<()> {
        STEP_TWO_RUNS.fetch_add(1, Ordering::SeqCst);
        let before = tree
            .get(b"x-order")
            .map_err(crate::store::sled_store::codec::engine)?;
        let mut order = before.map(|v| v.to_vec()).unwrap_or_default();
        order.extend_from_slice(b",2");
        batch.insert(b"x-order".as_slice(), order);
        Ok(())
    }

    const STEPS: &[Migration] = &[
        Migration {
            from: 2,
            to: 3,
            run: step_two,
        },
        Migration {
            from: 1,
            to: 2,
            run: step_one,
        },
    ];

    fn temporary_tree() -> sled::Db {
        sled::Config::new().temporary(true).open().unwrap()
    }

    #[test]
    fn fresh_store_is_stamped_with_the_current_version() {
        let db = temporary_tree();
        assert_eq!(
            prepare(&db, "t", MIGRATIONS, SCHEMA_VERSION).unwrap(),
            SCHEMA_VERSION
        );
        assert_eq!(read_version(&db).unwrap(), Some(SCHEMA_VERSION));
    }

    #[test]
    fn migrations_run_once_in_order_and_record_the_version() {
        let db = temporary_tree();
        prepare(&db, "t", &[], 1).unwrap();
        assert_eq!(prepare(&db, "t", STEPS, 3).unwrap(), 1);
        assert_eq!(read_version(&db).unwrap(), Some(3));
        assert_eq!(db.get(b"x-order").unwrap().unwrap().as_ref(), b"1,2");
        assert_eq!(prepare(&db, "t", STEPS, 3).unwrap(), 3);
        assert_eq!(STEP_ONE_RUNS.load(Ordering::SeqCst), 1);
        assert_eq!(STEP_TWO_RUNS.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn newer_schema_is_refused() {
        let db = temporary_tree();
        prepare(&db, "here", &[], 5).unwrap();
        let err = prepare(&db, "here", &[], 1).unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::TooNew {
                    found: 5,
                    supported: 1,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn missing_step_names_the_versions() {
        let db = temporary_tree();
        prepare(&db, "here", &[], 1).unwrap();
        let err = prepare(&db, "here", &[], 2).unwrap_err().to_string();
        assert!(
            err.contains("schema version 1") && err.contains("to 2"),
            "{err}"
        );
    }

    #[test]
    fn records_without_a_version_are_corrupt() {
        let db = temporary_tree();
        db.insert(b"i-something", b"{}".as_slice()).unwrap();
        let err = prepare(&db, "here", &[], 1).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    }
}
