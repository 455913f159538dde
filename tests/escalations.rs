//! Escalations inside one hub, in-process: escalating (status, tag, audit line, record),
//! unknown names, the owners' queue whatever their role, each kind of answer, the reply a
//! CM writes while an item is escalated (held for the owners, approved by one, delivered
//! through a connector), and who may not answer.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use common::accepting::Accepting;
use switchboard::config::Config;
use switchboard::connectors::Connectors;
use switchboard::hub::outbox::deliver_due;
use switchboard::hub::protocol::{ErrorKind, Event, Request, Response, WireError};
use switchboard::hub::sync::Platforms;
use switchboard::hub::Hub;
use switchboard::model::{
    Actor, AnswerRequest, Escalation, EscalationState, ItemId, OutboxEntry, OutboxState, Status,
};
use switchboard::store::{SledStore, Store};
use switchboard::team::Team;

const CONFIG: &str = r#"
[users.alice]
unix_user = "alice"
role = "agent"

[users.bob]
unix_user = "bob"
role = "agent"

[users.dana]
unix_user = "dana"
role = "agent"

[users.erin]
unix_user = "erin"
role = "approver"

[users.root]
role = "admin"

[escalations.legal]
description = "Legal threats"
owners = ["dana"]
sla = "2h"

[escalations.brand]
description = "Brand questions"
owners = ["erin"]
"#;

struct Fixture {
    _dir: tempfile::TempDir,
    hub: Arc<Hub>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let config = Config::parse(Path::new("config.toml"), CONFIG).unwrap();
    let hub = Hub::new(store, "test")
        .with_team(Team::from_config(&config), None)
        .with_config(config);
    let hub = Arc::new(hub);
    let mut connectors = Connectors::default();
    connectors.add(Arc::new(Accepting::new("acme-bsky")));
    hub.install_platforms(Platforms::of(connectors));
    Fixture { _dir: dir, hub }
}

impl Fixture {
    fn ask(&self, who: &str, request: Request) -> Result<Response, WireError> {
        self.hub.handle(&Actor::new(who, "test"), request)
    }

    fn seed(&self, n: usize) -> Vec<ItemId> {
        let items = (1..=n)
            .map(|i| common::items::customer_item("acme-bsky", i))
            .collect();
        let request = Request::Ingest {
            items,
            source: "test".into(),
        };
        match self.ask("root", request).unwrap() {
            Response::Ingested { outcomes } => outcomes.iter().map(|o| o.id()).collect(),
            other => panic!("unexpected {other:?}"),
        }
    }

    fn escalate(&self, who: &str, id: ItemId, name: &str, note: &str) -> Escalation {
        let request = Request::Escalate {
            id,
            name: name.into(),
            note: note.into(),
        };
        match self.ask(who, request).unwrap() {
            Response::Escalation { escalation } => escalation,
            other => panic!("unexpected {other:?}"),
        }
    }

    fn answer(
        &self,
        who: &str,
        id: ItemId,
        answer: AnswerRequest,
    ) -> Result<Escalation, WireError> {
        match self.ask(who, Request::AnswerEscalation { id, answer })? {
            Response::Escalation { escalation } => Ok(escalation),
            other => panic!("unexpected {other:?}"),
        }
    }

    fn escalations(&self, who: &str, mine: bool, waiting_only: bool) -> Vec<Escalation> {
        let request = Request::Escalations { mine, waiting_only };
        match self.ask(who, request).unwrap() {
            Response::Escalations { escalations, .. } => {
                escalations.into_iter().map(|row| row.escalation).collect()
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    fn listed(&self, who: &str, query: &str) -> Vec<ItemId> {
        let request = Request::List {
            query: query.into(),
            skip: 0,
            limit: 100,
            raw: false,
        };
        match self.ask(who, request).unwrap() {
            Response::Items { items, .. } => items.iter().map(|i| i.id).collect(),
            other => panic!("unexpected {other:?}"),
        }
    }

    /// The newest audit line of an item: (action, detail).
    fn last_audit(&self, id: ItemId) -> (String, String) {
        let line = self.hub.store().audit(Some(id), 1).unwrap().pop().unwrap();
        (line.action, line.detail)
    }

    fn reply(&self, who: &str, id: ItemId, text: &str) -> OutboxEntry {
        let request = Request::Reply {
            id,
            text: text.into(),
            seen_version: None,
        };
        match self.ask(who, request).unwrap() {
            Response::Entry { entry } => entry,
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[test]
fn escalating_sets_the_status_the_tag_the_audit_line_and_the_record() {
    let f = fixture();
    let id = f.seed(1)[0];
    let before = Utc::now();
    let escalation = f.escalate("alice", id, "legal", "threatens to sue");
    let item = f.hub.store().get(id).unwrap().unwrap();
    assert_eq!(item.status, Status::Escalated);
    assert!(item.tags.contains("legal"), "{:?}", item.tags);
    assert_eq!(
        f.last_audit(id),
        ("escalate".into(), "legal: threatens to sue".into())
    );
    assert_eq!(escalation.by, "alice");
    assert_eq!(escalation.owners, vec!["dana".to_string()]);
    assert_eq!(escalation.state, EscalationState::Waiting);
    assert!(escalation.at >= before);
    assert_eq!(
        escalation.due,
        Some(escalation.at + chrono::Duration::hours(2))
    );
    let stored = f.hub.store().escalations().unwrap();
    assert_eq!(stored, vec![escalation.clone()], "the record is durable");
    // The same escalation twice is refused; another one of the same item is not.
    let again = Request::Escalate {
        id,
        name: "legal".into(),
        note: String::new(),
    };
    assert_eq!(f.ask("bob", again).unwrap_err().kind, ErrorKind::Refused);
    let brand = f.escalate("alice", id, "brand", "");
    assert_eq!(brand.due, None, "brand has no sla");
    assert_eq!(f.last_audit(id), ("escalate".into(), "brand: ".into()));
}

#[test]
fn an_unknown_escalation_is_refused_naming_the_known_ones_and_changes_nothing() {
    let f = fixture();
    let id = f.seed(1)[0];
    let request = Request::Escalate {
        id,
        name: "lawyers".into(),
        note: "x".into(),
    };
    let err = f.ask("alice", request).unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadRequest);
    assert!(
        err.message.contains("unknown escalation 'lawyers'")
            && err.message.contains("brand, legal"),
        "{}",
        err.message
    );
    assert_eq!(f.hub.store().get(id).unwrap().unwrap().status, Status::New);
    assert!(f.hub.store().escalations().unwrap().is_empty());
    let unknown_item = Request::Escalate {
        id: ItemId::generate(),
        name: "legal".into(),
        note: String::new(),
    };
    assert_eq!(
        f.ask("alice", unknown_item).unwrap_err().kind,
        ErrorKind::NotFound
    );
}

#[test]
fn owners_see_the_items_escalated_to_them_whatever_their_role() {
    let f = fixture();
    let ids = f.seed(3);
    f.escalate("alice", ids[0], "legal", "lawyer letter");
    f.escalate("alice", ids[1], "brand", "logo question");
    // Dana is an agent: she sees legal's item, not brand's, and the open one.
    let dana = f.listed("dana", "");
    assert!(dana.contains(&ids[0]), "the legal item shows to its owner");
    assert!(!dana.contains(&ids[1]), "brand's does not");
    assert!(dana.contains(&ids[2]));
    assert_eq!(f.listed("dana", "status:escalated"), vec![ids[0]]);
    // Bob, an agent owning nothing, sees no escalated item.
    assert_eq!(f.listed("bob", "status:escalated"), Vec::<ItemId>::new());
    let mine: Vec<ItemId> = f
        .escalations("dana", true, true)
        .iter()
        .map(|e| e.item)
        .collect();
    assert_eq!(mine, vec![ids[0]]);
    assert!(f.escalations("bob", false, false).is_empty());
    assert_eq!(f.escalations("alice", false, true).len(), 2, "her own");
    assert_eq!(f.escalations("root", false, true).len(), 2);
    assert_eq!(f.escalations("root", true, true).len(), 0, "root owns none");
}

#[test]
fn guidance_keeps_the_item_escalated_and_tells_the_cm_live() {
    let f = fixture();
    let id = f.seed(1)[0];
    f.escalate("alice", id, "legal", "lawyer letter");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let scope = f.hub.member_scope(&Actor::new("alice", "tui")).unwrap();
    let mut feed = f.hub.event_feed(scope);
    let guidance = AnswerRequest::Guidance {
        text: "do not admit fault".into(),
    };
    let answered = f.answer("dana", id, guidance).unwrap();
    assert_eq!(answered.state, EscalationState::Answered);
    assert_eq!(answered.answers[0].by, "dana");
    assert_eq!(
        f.hub.store().get(id).unwrap().unwrap().status,
        Status::Escalated
    );
    assert_eq!(
        f.last_audit(id),
        (
            "escalation".into(),
            "legal answered: guidance: do not admit fault".into()
        )
    );
    let event = runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                if let Some(Event::Escalation { escalation, by }) = feed.next().await {
                    return (escalation, by);
                }
            }
        })
        .await
        .expect("the answer is pushed")
    });
    assert_eq!(event.1, "dana");
    assert_eq!(event.0.state, EscalationState::Answered);
    // Guidance needs words; an empty one is refused.
    let empty = AnswerRequest::Guidance { text: " ".into() };
    assert_eq!(
        f.answer("dana", id, empty).unwrap_err().kind,
        ErrorKind::BadRequest
    );
    // Still open: listed as waiting on dana.
    assert_eq!(f.escalations("dana", true, true).len(), 1);
}

#[test]
fn taking_over_assigns_the_owner_and_handing_back_returns_it_to_the_cm() {
    let f = fixture();
    let ids = f.seed(2);
    let taken = f.escalate("alice", ids[0], "legal", "one");
    f.escalate("bob", ids[1], "legal", "two");
    let done = f.answer("dana", taken.id, AnswerRequest::TakeOver).unwrap();
    assert_eq!(done.state, EscalationState::TakenOver);
    let item = f.hub.store().get(ids[0]).unwrap().unwrap();
    assert_eq!(
        (item.status, item.assignee.as_deref()),
        (Status::Open, Some("dana"))
    );
    assert_eq!(
        f.last_audit(ids[0]),
        ("escalation".into(), "legal answered: took over".into())
    );
    let back = AnswerRequest::HandBack {
        text: "reply with the standard apology".into(),
    };
    let handed = f.answer("dana", ids[1], back).unwrap();
    assert_eq!(handed.state, EscalationState::HandedBack);
    let item = f.hub.store().get(ids[1]).unwrap().unwrap();
    assert_eq!(
        (item.status, item.assignee.as_deref()),
        (Status::Open, Some("bob"))
    );
    assert_eq!(
        f.last_audit(ids[1]),
        (
            "escalation".into(),
            "legal answered: handed back: reply with the standard apology".into()
        )
    );
    // Closed ones are no longer waiting, and cannot be answered again.
    assert!(f.escalations("dana", true, true).is_empty());
    assert_eq!(f.escalations("dana", true, false).len(), 2);
    let again = f.answer("dana", taken.id, AnswerRequest::TakeOver);
    assert_eq!(again.unwrap_err().kind, ErrorKind::Refused);
}

#[test]
fn only_owners_and_admins_answer() {
    let f = fixture();
    let ids = f.seed(2);
    f.escalate("alice", ids[0], "legal", "x");
    f.escalate("alice", ids[1], "legal", "y");
    for who in ["alice", "bob", "erin"] {
        let err = f.answer(who, ids[0], AnswerRequest::TakeOver).unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::Forbidden | ErrorKind::NotFound),
            "{who}: {err:?}"
        );
    }
    let err = f
        .answer("erin", ids[0], AnswerRequest::TakeOver)
        .unwrap_err();
    assert!(
        err.message.contains("not an owner of the legal escalation"),
        "{}",
        err.message
    );
    let by_admin = f.answer("root", ids[1], AnswerRequest::TakeOver).unwrap();
    assert_eq!(by_admin.answers[0].by, "root");
    assert_eq!(
        f.hub.store().get(ids[0]).unwrap().unwrap().status,
        Status::Escalated,
        "refused answers changed nothing"
    );
}

#[tokio::test]
async fn a_cms_reply_is_held_for_the_owners_and_sent_once_one_approves() {
    let f = fixture();
    let id = f.seed(1)[0];
    f.escalate("alice", id, "legal", "lawyer letter");
    let entry = f.reply("alice", id, "We are sorry, our team will contact you.");
    assert_eq!(entry.state, OutboxState::Held);
    assert_eq!(
        f.hub.store().get(id).unwrap().unwrap().status,
        Status::Escalated,
        "the item stays with the owners"
    );
    assert!(f
        .last_audit(id)
        .1
        .contains("held for the legal escalation's owners"));
    // An approver who does not own the escalation cannot release it.
    let approve = Request::Approve {
        entry: entry.id,
        text: None,
    };
    assert_eq!(
        f.ask("erin", approve).unwrap_err().kind,
        ErrorKind::Forbidden
    );
    deliver_due(&f.hub, &f.hub.connectors()).await.unwrap();
    assert_eq!(outbox_state(&f, entry.id), OutboxState::Held, "not sent");
    let approved = f.answer("dana", id, AnswerRequest::Approve).unwrap();
    assert_eq!(approved.state, EscalationState::Approved);
    assert_eq!(
        f.last_audit(id),
        ("escalation".into(), "legal answered: approved".into())
    );
    deliver_due(&f.hub, &f.hub.connectors()).await.unwrap();
    assert!(matches!(
        outbox_state(&f, entry.id),
        OutboxState::Sent { .. }
    ));
    assert_eq!(
        f.hub.store().get(id).unwrap().unwrap().status,
        Status::Resolved
    );
    // With nothing held, approve says so.
    let other = f.seed(2)[1];
    f.escalate("alice", other, "legal", "z");
    let err = f.answer("dana", other, AnswerRequest::Approve).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Refused);
    assert!(err.message.contains("no reply is held"), "{}", err.message);
    // The owner's own reply is not held.
    let own = f.reply("dana", other, "Our legal team answers you here.");
    assert!(matches!(own.state, OutboxState::Queued { .. }));
}

fn outbox_state(f: &Fixture, entry: ItemId) -> OutboxState {
    f.hub
        .store()
        .outbox()
        .unwrap()
        .into_iter()
        .find(|e| e.id == entry)
        .unwrap()
        .state
}

#[tokio::test]
async fn escalation_events_reach_owners_and_the_cm_not_other_agents() {
    let f = fixture();
    let id = f.seed(1)[0];
    let feed_of = |who: &str| {
        let scope = f.hub.member_scope(&Actor::new(who, "tui")).unwrap();
        f.hub.event_feed(scope)
    };
    let (mut alice, mut dana, mut bob, mut erin) = (
        feed_of("alice"),
        feed_of("dana"),
        feed_of("bob"),
        feed_of("erin"),
    );
    f.escalate("alice", id, "legal", "private: the customer's lawyer wrote");
    f.answer("dana", id, AnswerRequest::TakeOver).unwrap();
    for (who, feed, expected) in [
        ("alice", &mut alice, 2),
        ("dana", &mut dana, 2),
        ("erin", &mut erin, 2),
        ("bob", &mut bob, 0),
    ] {
        let mut seen = 0;
        while let Ok(Some(event)) =
            tokio::time::timeout(Duration::from_millis(300), feed.next()).await
        {
            if let Event::Escalation { escalation, .. } = event {
                assert_eq!(escalation.item, id);
                seen += 1;
            }
        }
        assert_eq!(seen, expected, "{who}");
    }
}

#[test]
fn a_refused_escalation_writes_neither_the_item_nor_the_record() {
    let f = fixture();
    let id = f.seed(1)[0];
    f.ask(
        "root",
        Request::SetStatus {
            id,
            status: Status::Resolved,
        },
    )
    .unwrap();
    let request = Request::Escalate {
        id,
        name: "legal".into(),
        note: "too late".into(),
    };
    let err = f.ask("alice", request).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Refused);
    assert!(err.message.contains("reopen it first"), "{}", err.message);
    let item = f.hub.store().get(id).unwrap().unwrap();
    assert_eq!(item.status, Status::Resolved);
    assert!(!item.tags.contains("legal"));
    assert!(f.hub.store().escalations().unwrap().is_empty());
    assert_ne!(f.last_audit(id).0, "escalate");
}
