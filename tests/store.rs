//! The sled store through its public `Store` interface: dedup, queue order, index moves,
//! counters, audit, cursors, the change feed, edits that write nothing, and platform ids
//! with any bytes in them. Failures are in `store_failures.rs`.

mod store_support;

use std::collections::BTreeMap;

use serde_json::json;
use store_support::{actor, at, edit, ids, ingest_one, new_item, set_status};
use switchboard::model::{ItemId, NewItem, Priority, Status};
use switchboard::store::{ChangeKind, ChangeRejected, IngestOutcome, SledStore, Store, StoreError};

#[test]
fn same_remote_item_twice_is_one_item_updated_or_unchanged() {
    let store = SledStore::temporary().unwrap();
    let created = ingest_one(&store, new_item("acme", "1001"), at(1));
    let IngestOutcome::Created(id) = created else {
        panic!("{created:?}")
    };
    assert_eq!(
        ingest_one(&store, new_item("acme", "1001"), at(2)),
        IngestOutcome::Unchanged(id)
    );
    let mut edited = new_item("acme", "1001");
    edited.text = "Where is my order?? (edited)".into();
    assert_eq!(
        ingest_one(&store, edited, at(3)),
        IngestOutcome::Updated(id)
    );

    let item = store.get(id).unwrap().unwrap();
    assert_eq!(item.text, "Where is my order?? (edited)");
    assert_eq!(item.version, 2);
    assert_eq!(item.received_at, at(1));
    assert_eq!(item.updated_at, at(3));
    assert_eq!(store.counts().unwrap().total(), 1);
    let audit = store.audit(Some(id), 10).unwrap();
    assert_eq!(audit.len(), 1, "only the update is audited");
    assert_eq!(audit[0].action, "ingest");
    assert_eq!(audit[0].detail, "content updated from cli");
}

#[test]
fn refresh_keeps_triage_state_and_replaces_raw() {
    let store = SledStore::temporary().unwrap();
    let id = ingest_one(&store, new_item("acme", "7"), at(0)).id();
    set_status(&store, id, Status::Resolved);
    let mut again = new_item("acme", "7");
    again.raw = Some(json!({ "id": "7", "edited": true }));
    again.status = Some(Status::New);
    assert_eq!(ingest_one(&store, again, at(5)), IngestOutcome::Updated(id));
    let item = store.get(id).unwrap().unwrap();
    assert_eq!(item.status, Status::Resolved);
    assert_eq!(item.raw, None, "items come back without their raw payload");
    assert_eq!(
        store.raw(id).unwrap(),
        Some(json!({ "id": "7", "edited": true }))
    );
}

#[test]
fn same_remote_id_on_two_accounts_is_two_items() {
    let store = SledStore::temporary().unwrap();
    let out = store
        .ingest(
            vec![new_item("acme-a", "1"), new_item("acme-b", "1")],
            &actor(),
            at(0),
        )
        .unwrap();
    assert!(matches!(out[..], [IngestOutcome::Created(a), IngestOutcome::Created(b)] if a != b));
    assert_eq!(
        store.lookup_remote("acme-a", "1").unwrap(),
        Some(out[0].id())
    );
    assert_eq!(
        store.lookup_remote("acme-b", "1").unwrap(),
        Some(out[1].id())
    );
    assert_eq!(store.lookup_remote("acme-c", "1").unwrap(), None);
}

#[test]
fn one_batch_naming_an_item_twice_creates_it_once() {
    let store = SledStore::temporary().unwrap();
    let mut second = new_item("acme", "9");
    second.text = "second sight".into();
    let out = store
        .ingest(
            vec![new_item("acme", "9"), new_item("acme", "9"), second],
            &actor(),
            at(0),
        )
        .unwrap();
    let id = out[0].id();
    assert_eq!(
        out,
        vec![
            IngestOutcome::Created(id),
            IngestOutcome::Unchanged(id),
            IngestOutcome::Updated(id)
        ]
    );
    assert_eq!(store.counts().unwrap().get(Status::New), 1);
    assert_eq!(store.get(id).unwrap().unwrap().text, "second sight");
    assert_eq!(store.queue(&Status::ALL, 0, 10).unwrap().len(), 1);
}

#[test]
fn queue_orders_by_priority_then_due_then_received_across_statuses() {
    let store = SledStore::temporary().unwrap();
    let mut id_of = BTreeMap::new();
    for (n, name) in [
        "low",
        "normal-first",
        "normal-second",
        "urgent",
        "due-soon",
        "due-later",
        "resolved",
    ]
    .into_iter()
    .enumerate()
    {
        id_of.insert(
            name,
            ingest_one(&store, new_item("acme", name), at(n as i64)).id(),
        );
    }
    edit(&store, id_of["low"], |i| i.priority = Priority::Low);
    edit(&store, id_of["urgent"], |i| i.priority = Priority::Urgent);
    edit(&store, id_of["due-soon"], |i| i.sla_due = Some(at(30)));
    edit(&store, id_of["due-later"], |i| i.sla_due = Some(at(60)));
    set_status(&store, id_of["normal-first"], Status::Open);
    set_status(&store, id_of["due-later"], Status::Pending);
    set_status(&store, id_of["resolved"], Status::Resolved);

    let expected: Vec<ItemId> = [
        "urgent",
        "due-soon",
        "due-later",
        "normal-first",
        "normal-second",
        "low",
    ]
    .iter()
    .map(|n| id_of[n])
    .collect();
    let queue = store.queue(&Status::ACTIVE, 0, 100).unwrap();
    assert_eq!(ids(&queue), expected);
    assert_eq!(
        ids(&store.queue(&Status::ACTIVE, 2, 3).unwrap()),
        expected[2..5]
    );
    let lazily: Vec<ItemId> = store
        .queue_iter(&Status::ACTIVE)
        .map(|i| i.unwrap().id)
        .collect();
    assert_eq!(lazily, expected);
    let duplicated = [Status::Open, Status::Open, Status::New];
    let new_and_open: Vec<ItemId> = ["urgent", "due-soon", "normal-first", "normal-second", "low"]
        .iter()
        .map(|n| id_of[n])
        .collect();
    assert_eq!(
        ids(&store.queue(&duplicated, 0, 100).unwrap()),
        new_and_open
    );
    assert_eq!(
        ids(&store.queue(&[Status::Resolved], 0, 10).unwrap()),
        vec![id_of["resolved"]]
    );
    assert!(store.queue(&Status::ALL, 0, 0).unwrap().is_empty());
}

#[test]
fn index_entries_move_with_status_tags_and_assignee() {
    let store = SledStore::temporary().unwrap();
    let id = ingest_one(&store, new_item("acme", "1"), at(0)).id();
    edit(&store, id, |i| {
        i.tags.insert("legal".into());
        i.tags.insert("vip".into());
        i.assignee = Some("bob".into());
    });
    assert_eq!(store.by_tag("legal").unwrap(), vec![id]);
    assert_eq!(store.by_assignee("bob").unwrap(), vec![id]);

    set_status(&store, id, Status::Open);
    edit(&store, id, |i| {
        i.tags.remove("legal");
        i.assignee = Some("carol".into());
    });
    assert!(store.by_tag("legal").unwrap().is_empty());
    assert_eq!(store.by_tag("vip").unwrap(), vec![id]);
    assert!(store.by_assignee("bob").unwrap().is_empty());
    assert_eq!(store.by_assignee("carol").unwrap(), vec![id]);
    assert!(store.queue(&[Status::New], 0, 10).unwrap().is_empty());
    assert_eq!(ids(&store.queue(&[Status::Open], 0, 10).unwrap()), vec![id]);
    assert_eq!(
        store.queue(&Status::ALL, 0, 10).unwrap().len(),
        1,
        "no stale queue entry"
    );
}

#[test]
fn thread_and_author_read_their_items_oldest_first() {
    let store = SledStore::temporary().unwrap();
    let mut later = new_item("acme", "2");
    later.created_at = at(10);
    let mut other_author = new_item("acme", "3");
    other_author.author.id = "77".into();
    other_author.thread_id = None;
    let out = store
        .ingest(
            vec![later, new_item("acme", "1"), other_author],
            &actor(),
            at(20),
        )
        .unwrap();
    let thread = store.thread("acme", "root-1", usize::MAX).unwrap();
    assert_eq!(ids(&thread), vec![out[1].id(), out[0].id()]);
    assert_eq!(
        ids(&store.thread("acme", "3", usize::MAX).unwrap()),
        vec![out[2].id()]
    );
    assert_eq!(
        ids(&store.by_author("acme", "42", usize::MAX).unwrap()),
        vec![out[1].id(), out[0].id()]
    );
    assert!(store
        .by_author("other", "42", usize::MAX)
        .unwrap()
        .is_empty());

    let mut anonymous = new_item("acme", "4");
    anonymous.author.id.clear();
    let id = ingest_one(&store, anonymous, at(21)).id();
    assert!(
        store.by_author("acme", "", usize::MAX).unwrap().is_empty(),
        "no author, no history entry"
    );
    assert!(ids(&store.thread("acme", "root-1", usize::MAX).unwrap()).contains(&id));
}

fn counts_by_scan(store: &SledStore) -> BTreeMap<Status, u64> {
    let mut counts: BTreeMap<Status, u64> = Status::ALL.iter().map(|s| (*s, 0)).collect();
    for item in store.queue_iter(&Status::ALL) {
        *counts.get_mut(&item.unwrap().status).unwrap() += 1;
    }
    counts
}

#[test]
fn counters_match_a_scan_after_many_changes_and_after_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let expected = {
        let store = SledStore::open(dir.path()).unwrap();
        let batch: Vec<NewItem> = (0..60).map(|n| new_item("acme", &n.to_string())).collect();
        let out = store.ingest(batch, &actor(), at(0)).unwrap();
        use Status::*;
        let paths: [&[Status]; 6] = [
            &[],
            &[Open],
            &[Open, Pending],
            &[Escalated, Resolved],
            &[Spam, Open, Resolved],
            &[Pending, Resolved, Open, Escalated],
        ];
        for (n, outcome) in out.iter().enumerate() {
            for to in paths[n % paths.len()] {
                set_status(&store, outcome.id(), *to);
            }
        }
        let scanned = counts_by_scan(&store);
        assert_eq!(store.counts().unwrap().by_status, scanned);
        assert_eq!(store.counts().unwrap().total(), 60);
        scanned
    };
    let reopened = SledStore::open(dir.path()).unwrap();
    assert_eq!(reopened.counts().unwrap().by_status, expected);
    assert_eq!(counts_by_scan(&reopened), expected);
}

#[test]
fn audit_lines_per_item_and_global_with_increasing_seqs() {
    let store = SledStore::temporary().unwrap();
    let a = ingest_one(&store, new_item("acme", "a"), at(0)).id();
    let b = ingest_one(&store, new_item("acme", "b"), at(0)).id();
    set_status(&store, a, Status::Open);
    set_status(&store, b, Status::Open);
    let seq = store
        .append_audit(&actor(), at(5), None, "import", "3 items")
        .unwrap();
    set_status(&store, a, Status::Resolved);

    let all = store.audit(None, 100).unwrap();
    assert_eq!(all.len(), 4);
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(all[2].seq, seq);
    assert_eq!(all[2].item, None);
    let newest = store.audit(None, 2).unwrap();
    assert_eq!(
        newest.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![all[2].seq, all[3].seq]
    );
    let of_a = store.audit(Some(a), 100).unwrap();
    assert_eq!(of_a.len(), 2);
    assert!(of_a.iter().all(|e| e.item == Some(a) && e.actor == actor()));
    assert_eq!(store.audit(Some(a), 1).unwrap(), of_a[1..]);
}

#[test]
fn cursors_and_sequence_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let last_seq = {
        let store = SledStore::open(dir.path()).unwrap();
        store.set_cursor("acme-masto", "since:1234").unwrap();
        store.set_cursor("acme-masto", "since:5678").unwrap();
        store
            .append_audit(&actor(), at(0), None, "note", "first")
            .unwrap()
    };
    let store = SledStore::open(dir.path()).unwrap();
    assert_eq!(
        store.cursor("acme-masto").unwrap().as_deref(),
        Some("since:5678")
    );
    assert_eq!(store.cursor("acme-bsky").unwrap(), None);
    assert!(
        store
            .append_audit(&actor(), at(1), None, "note", "second")
            .unwrap()
            > last_seq
    );
}

#[test]
fn change_feed_reports_created_and_updated_items() {
    let store = SledStore::temporary().unwrap();
    let mut feed = store.subscribe();
    let id = ingest_one(&store, new_item("acme", "1"), at(0)).id();
    set_status(&store, id, Status::Open);
    ingest_one(&store, new_item("acme", "1"), at(1));

    let created = feed.try_recv().unwrap();
    assert_eq!((created.kind, created.item.id), (ChangeKind::Created, id));
    assert_eq!(created.item.raw, None);
    let updated = feed.try_recv().unwrap();
    assert_eq!(
        (updated.kind, updated.item.status),
        (ChangeKind::Updated, Status::Open)
    );
    assert!(updated.seq > created.seq);
    assert!(
        feed.try_recv().is_err(),
        "an unchanged re-ingest announces nothing"
    );
}

#[test]
fn rejected_or_empty_edit_writes_nothing() {
    let store = SledStore::temporary().unwrap();
    let id = ingest_one(&store, new_item("acme", "1"), at(0)).id();
    let mut feed = store.subscribe();
    let err = store
        .update(id, &actor(), at(1), &mut |item| {
            item.tags.insert("half-done".into());
            Err(ChangeRejected("cannot move an item from new to new".into()))
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected(_)), "{err}");
    let unchanged = store
        .update(id, &actor(), at(1), &mut |item| {
            item.tags.insert("ignored".into());
            Ok(None)
        })
        .unwrap();
    assert!(unchanged.tags.is_empty());

    let item = store.get(id).unwrap().unwrap();
    assert_eq!((item.version, item.tags.len()), (1, 0));
    assert!(store.by_tag("half-done").unwrap().is_empty());
    assert!(store.audit(None, 10).unwrap().is_empty());
    assert!(feed.try_recv().is_err());
}

#[test]
fn nul_bytes_and_unicode_in_platform_ids_stay_apart() {
    let store = SledStore::temporary().unwrap();
    let mut tricky = new_item("acme\0x", "ü\0ñ-💬");
    tricky.thread_id = Some("thread\0/\u{202e}".into());
    tricky.author.id = "\0".into();
    tricky.tags.insert("vip\0legal".into());
    let plain = new_item("acme", "x\0ü\0ñ-💬");
    let out = store.ingest(vec![tricky, plain], &actor(), at(0)).unwrap();
    let (a, b) = (out[0].id(), out[1].id());
    assert_ne!(a, b);
    assert_eq!(store.lookup_remote("acme\0x", "ü\0ñ-💬").unwrap(), Some(a));
    assert_eq!(store.lookup_remote("acme", "x\0ü\0ñ-💬").unwrap(), Some(b));
    assert_eq!(
        ids(&store
            .thread("acme\0x", "thread\0/\u{202e}", usize::MAX)
            .unwrap()),
        vec![a]
    );
    assert_eq!(
        ids(&store.by_author("acme\0x", "\0", usize::MAX).unwrap()),
        vec![a]
    );
    assert_eq!(store.by_tag("vip\0legal").unwrap(), vec![a]);
    assert!(store.by_tag("vip").unwrap().is_empty());
    assert_eq!(
        ids(&store.thread("acme", "root-1", usize::MAX).unwrap()),
        vec![b]
    );
    assert_eq!(store.get(a).unwrap().unwrap().remote_id, "ü\0ñ-💬");
}

#[test]
fn readers_run_while_the_writer_ingests() {
    let store = std::sync::Arc::new(SledStore::temporary().unwrap());
    let writer = {
        let store = store.clone();
        std::thread::spawn(move || {
            for batch in 0..20 {
                let items = (0..50)
                    .map(|n| new_item("acme", &format!("{batch}-{n}")))
                    .collect();
                store.ingest(items, &actor(), at(batch)).unwrap();
            }
        })
    };
    let mut last_total = 0;
    while !writer.is_finished() {
        let total = store.counts().unwrap().total();
        assert!(
            total >= last_total && total % 50 == 0,
            "counts move by whole batches"
        );
        last_total = total;
        let page = store.queue(&Status::ACTIVE, 0, 20).unwrap();
        assert!(page.len() <= 20);
    }
    writer.join().unwrap();
    assert_eq!(store.counts().unwrap().total(), 1000);
    assert_eq!(store.queue_iter(&Status::ACTIVE).count(), 1000);
}

#[test]
fn outbox_since_reads_the_entries_created_from_a_time_on_oldest_first() {
    use switchboard::model::{OutboxEntry, OutboxState};
    let store = SledStore::temporary().unwrap();
    let entry = |minute: i64| {
        let created = at(minute);
        let ms = u64::try_from(created.timestamp_millis()).unwrap();
        OutboxEntry {
            id: ItemId::from_parts(ms, 7),
            item: ItemId::from_parts(ms, 1),
            account: "acme".into(),
            text: format!("reply {minute}"),
            author: "alice".into(),
            idempotency_key: format!("k{minute}"),
            state: OutboxState::Queued { retry_at: None },
            attempts: 0,
            moderation: None,
            private: false,
            created_at: created,
            updated_at: created,
        }
    };
    for minute in [30, 10, 20, 40] {
        store.put_outbox(&entry(minute)).unwrap();
    }
    let since = at(20);
    let texts: Vec<String> = store.outbox_since(since).map(|e| e.unwrap().text).collect();
    assert_eq!(texts, ["reply 20", "reply 30", "reply 40"]);
    assert_eq!(store.outbox().unwrap().len(), 4);
}
