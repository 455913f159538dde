//! The outbox's crash rules with a platform that remembers what it was sent.

use std::sync::Mutex;

use super::*;
use crate::connectors::{BoxFuture, Connector, Moderation, Page};
use crate::model::{Author, Item, Kind, NewItem, Platform};
use crate::store::{SledStore, Store};

/// A platform that keeps what it was sent, and finds it again by idempotency key.
#[derive(Default)]
struct Remembering {
    sent: Mutex<Vec<(String, Delivered)>>,
    /// What looking for a sent reply answers instead, when set.
    lookup_error: Mutex<Option<ConnectorError>>,
}

impl Remembering {
    fn holding(key: &str, delivered: Delivered) -> Remembering {
        Remembering {
            sent: Mutex::new(vec![(key.to_string(), delivered)]),
            ..Remembering::default()
        }
    }

    fn sends(&self) -> usize {
        self.sent.lock().unwrap().len()
    }
}

impl Connector for Remembering {
    fn account(&self) -> &str {
        "acme"
    }

    fn platform(&self) -> Platform {
        Platform::Mastodon
    }

    fn fetch_new<'a>(&'a self, _: Option<&'a str>) -> BoxFuture<'a, Result<Page, ConnectorError>> {
        Box::pin(async { Ok(Page::default()) })
    }

    fn fetch_thread<'a>(
        &'a self,
        _: &'a Item,
    ) -> BoxFuture<'a, Result<Vec<NewItem>, ConnectorError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn send_reply<'a>(
        &'a self,
        request: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Delivered, ConnectorError>> {
        Box::pin(async move {
            let n = self.sends();
            let delivered = Delivered {
                reply: reply_item(&request.item, &format!("reply-{n}"), &request.text),
            };
            let key = request.idempotency_key.clone();
            self.sent.lock().unwrap().push((key, delivered.clone()));
            Ok(delivered)
        })
    }

    fn find_sent<'a>(
        &'a self,
        request: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Option<Delivered>, ConnectorError>> {
        Box::pin(async move {
            if let Some(error) = self.lookup_error.lock().unwrap().clone() {
                return Err(error);
            }
            let sent = self.sent.lock().unwrap();
            let found = sent.iter().find(|(k, _)| *k == request.idempotency_key);
            Ok(found.map(|(_, d)| d.clone()))
        })
    }

    fn moderate<'a>(
        &'a self,
        _: &'a Item,
        _: &'a Moderation,
    ) -> BoxFuture<'a, Result<(), ConnectorError>> {
        Box::pin(async { Ok(()) })
    }
}

fn customer_post() -> NewItem {
    NewItem {
        platform: Platform::Mastodon,
        account: "acme".into(),
        kind: Kind::Mention,
        remote_id: "100".into(),
        thread_id: Some("100".into()),
        parent_id: None,
        author: Author {
            id: "7".into(),
            handle: "alice".into(),
            name: "Alice".into(),
        },
        text: "where is my order?".into(),
        lang: None,
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

fn reply_item(item: &Item, remote_id: &str, text: &str) -> NewItem {
    NewItem {
        remote_id: remote_id.into(),
        thread_id: Some(item.thread_key().to_string()),
        parent_id: Some(item.remote_id.clone()),
        author: Author {
            id: "1".into(),
            handle: "acme".into(),
            name: "Acme".into(),
        },
        text: text.into(),
        from_brand: true,
        ..customer_post()
    }
}

/// A hub with one pending customer item and a reply to it in the outbox.
fn hub_with_reply(platform: Arc<Remembering>) -> (Arc<Hub>, Connectors, OutboxEntry) {
    let store: Arc<dyn Store> = Arc::new(SledStore::temporary().unwrap());
    let hub = Arc::new(Hub::new(Arc::clone(&store), "test"));
    let actor = Actor::new("claire", "cli");
    let now = Utc::now();
    let item = store.ingest(vec![customer_post()], &actor, now).unwrap()[0].id();
    store
        .update(item, &actor, now, &mut |item| {
            item.set_status(Status::Pending).unwrap();
            Ok(Some(AuditNote::new("status", "new -> pending")))
        })
        .unwrap();
    let entry = new_entry(&hub, &actor, item, "It ships tomorrow.", now).unwrap();
    store.put_outbox(&entry).unwrap();
    let mut connectors = Connectors::default();
    connectors.add(platform);
    (hub, connectors, entry)
}

fn state_of(hub: &Hub, entry: &OutboxEntry) -> OutboxState {
    let entries = hub.store().outbox().unwrap();
    entries
        .into_iter()
        .find(|e| e.id == entry.id)
        .unwrap()
        .state
}

fn replies_in_thread(hub: &Hub, item: &Item) -> usize {
    let thread = hub.store().thread("acme", item.thread_key(), 50).unwrap();
    thread.iter().filter(|i| i.from_brand).count()
}

#[tokio::test]
async fn the_item_is_resolved_before_its_reply_is_recorded_sent() {
    let platform = Arc::new(Remembering::default());
    let (hub, connectors, entry) = hub_with_reply(Arc::clone(&platform));
    deliver_due(&hub, &connectors).await.unwrap();
    assert_eq!(platform.sends(), 1);
    assert_eq!(state_of(&hub, &entry).name(), "sent");
    // Each step is flushed before the next: a hub killed after `sent` was recorded has
    // resolved the item already (nothing looks at a sent entry again).
    let audit = hub.store().audit(Some(entry.item), 50).unwrap();
    let position = |wanted: &dyn Fn(&crate::model::AuditEntry) -> bool| {
        audit
            .iter()
            .position(wanted)
            .unwrap_or_else(|| panic!("{audit:#?}"))
    };
    let resolved = position(&|a| a.detail.ends_with("-> resolved: reply sent"));
    let sent = position(&|a| a.detail == format!("reply {} sent", entry.id));
    assert!(resolved < sent, "{audit:#?}");
}

#[tokio::test]
async fn a_reply_left_sending_after_the_item_was_resolved_is_found_not_sent_again() {
    // The state a hub killed between resolving the item and recording `sent` leaves:
    // the platform has the reply, the thread has it, the item is resolved, the entry
    // says `sending`.
    let placeholder = Arc::new(Remembering::default());
    let (hub, _, mut entry) = hub_with_reply(placeholder);
    let item = hub.store().get(entry.item).unwrap().unwrap();
    let delivered = Delivered {
        reply: reply_item(&item, "reply-0", &entry.text),
    };
    let platform = Arc::new(Remembering::holding(
        &entry.idempotency_key,
        delivered.clone(),
    ));
    let mut connectors = Connectors::default();
    connectors.add(Arc::clone(&platform) as Arc<dyn Connector>);
    entry.state = OutboxState::Sending;
    entry.attempts = 1;
    hub.store().put_outbox(&entry).unwrap();
    record_sent_steps_before_settle(&hub, &entry, delivered);

    deliver_due(&hub, &connectors).await.unwrap();
    assert_eq!(platform.sends(), 1, "found on the platform, not sent again");
    assert!(matches!(
        state_of(&hub, &entry),
        OutboxState::Sent { remote_id, .. } if remote_id == "reply-0"
    ));
    let item = hub.store().get(entry.item).unwrap().unwrap();
    assert_eq!(item.status, Status::Resolved);
    assert_eq!(
        replies_in_thread(&hub, &item),
        1,
        "our reply once in the thread"
    );
}

/// What `record_sent` writes before it records the entry `sent`.
fn record_sent_steps_before_settle(hub: &Hub, entry: &OutboxEntry, delivered: Delivered) {
    let actor = Actor::new(entry.author.clone(), "outbox");
    let now = Utc::now();
    hub.store()
        .ingest(vec![delivered.reply], &actor, now)
        .unwrap();
    hub.store()
        .update(entry.item, &actor, now, &mut |item| {
            item.set_status(Status::Resolved).unwrap();
            Ok(Some(AuditNote::new(
                "status",
                "pending -> resolved: reply sent",
            )))
        })
        .unwrap();
}

/// A hub whose reply to its one item is already on the platform (an earlier attempt got
/// there), the entry in `state` after `attempts`.
fn hub_with_delivered_reply(
    state: OutboxState,
    attempts: u32,
) -> (Arc<Hub>, Connectors, OutboxEntry, Arc<Remembering>) {
    let (hub, _, mut entry) = hub_with_reply(Arc::new(Remembering::default()));
    let item = hub.store().get(entry.item).unwrap().unwrap();
    let delivered = Delivered {
        reply: reply_item(&item, "reply-0", &entry.text),
    };
    let platform = Arc::new(Remembering::holding(&entry.idempotency_key, delivered));
    let mut connectors = Connectors::default();
    connectors.add(Arc::clone(&platform) as Arc<dyn Connector>);
    entry.state = state;
    entry.attempts = attempts;
    hub.store().put_outbox(&entry).unwrap();
    (hub, connectors, entry, platform)
}

#[tokio::test]
async fn a_retry_after_a_failed_attempt_first_looks_for_the_reply() {
    // A timeout after the platform accepted: the entry is queued for a retry, but the reply
    // is there (a platform without idempotency keys would post it twice).
    let queued = OutboxState::Queued { retry_at: None };
    let (hub, connectors, entry, platform) = hub_with_delivered_reply(queued, 1);
    deliver_due(&hub, &connectors).await.unwrap();
    assert_eq!(platform.sends(), 1, "found, not sent again");
    assert_eq!(state_of(&hub, &entry).name(), "sent");
}

#[tokio::test]
async fn a_reply_whose_arrival_cannot_be_checked_is_never_sent_blind() {
    let (hub, connectors, entry, platform) = hub_with_delivered_reply(OutboxState::Sending, 1);
    *platform.lookup_error.lock().unwrap() = Some(ConnectorError::Transient("timeout".into()));
    deliver_due(&hub, &connectors).await.unwrap();
    assert_eq!(platform.sends(), 1, "not sent again");
    let state = state_of(&hub, &entry);
    assert!(
        matches!(state, OutboxState::Queued { retry_at: Some(_) }),
        "{state:?}"
    );
    // Still unanswerable after the attempts: failed, for a person to look.
    for _ in 0..MAX_ATTEMPTS {
        let mut now = hub
            .store()
            .outbox()
            .unwrap()
            .into_iter()
            .find(|e| e.id == entry.id)
            .unwrap();
        if let OutboxState::Queued { .. } = now.state {
            now.state = OutboxState::Queued { retry_at: None };
            hub.store().put_outbox(&now).unwrap();
        }
        deliver_due(&hub, &connectors).await.unwrap();
    }
    let OutboxState::Failed { reason } = state_of(&hub, &entry) else {
        panic!("{:?}", state_of(&hub, &entry))
    };
    assert!(
        reason.contains("could not check whether an earlier attempt arrived"),
        "{reason}"
    );
    assert_eq!(platform.sends(), 1);
}
