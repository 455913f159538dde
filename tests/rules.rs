//! Routing rules inside one hub, in-process: a new item is tagged, assigned, hidden,
//! escalated and given a draft by `[[rules]]`, with its computed priority and the reasons;
//! items that already existed are left alone; rules reload with the team; `RulesTest`
//! answers without changing anything.

mod common;

use std::sync::Arc;

use switchboard::config::Config;
use switchboard::hub::protocol::{Request, Response};
use switchboard::hub::Hub;
use switchboard::model::{Actor, Item, ItemId, Kind, NewItem, Priority, Status};
use switchboard::store::{IngestOutcome, SledStore, Store};
use switchboard::team::Team;

const CONFIG: &str = r#"
[brand]
name = "Acme"

[users.root]
role = "admin"
[users.dana]
role = "approver"
team = "legal"
display_name = "Dana"
[users.lee]
role = "approver"
team = "legal"
[users.sam]
role = "agent"

[escalations.legal]
owners = ["dana"]

[priority]
vip = ["bluesky:bigco.bsky.social"]

[[rules]]
name = "legal-threat"
match = { words = ["avocat", "lawyer", "mise en demeure"] }
tag = ["legal"]
escalate = "legal"
priority = "urgent"
draft = "legal-hold"

[[rules]]
name = "refunds"
match = { regex = 'rembours|refund', kind = ["dm", "mention"] }
tag = ["refund"]
assign = "team:legal"

[[rules]]
name = "trolls"
match = { words = "clown" }
hide = "troll"

[[rules]]
name = "vip"
match = { authors = "vip" }
tag = ["vip"]
assign = "sam"
"#;

struct Fixture {
    dir: tempfile::TempDir,
    hub: Arc<Hub>,
}

fn fixture(config_text: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let config_file = dir.path().join("config.toml");
    std::fs::write(&config_file, config_text).unwrap();
    switchboard::responses::sample::write(&dir.path().join("responses")).unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let config = Config::load(&config_file).unwrap();
    let hub = Hub::new(store, "test")
        .with_team(Team::from_config(&config), Some(config_file))
        .with_config(config);
    Fixture {
        dir,
        hub: Arc::new(hub),
    }
}

fn root() -> Actor {
    Actor::new("root", "test")
}

fn customer(n: usize, text: &str) -> NewItem {
    NewItem {
        text: text.into(),
        ..common::items::customer_item("acme-bsky", n)
    }
}

impl Fixture {
    fn ingest(&self, items: Vec<NewItem>) -> Vec<ItemId> {
        let answer = self.hub.handle(
            &root(),
            Request::Ingest {
                items,
                source: "test".into(),
            },
        );
        let Ok(Response::Ingested { outcomes }) = answer else {
            panic!("{answer:?}");
        };
        outcomes
            .into_iter()
            .map(|o| match o {
                IngestOutcome::Created(id) | IngestOutcome::Updated(id) => id,
                IngestOutcome::Unchanged(id) => id,
            })
            .collect()
    }

    fn item(&self, id: ItemId) -> Item {
        self.hub.store().get(id).unwrap().unwrap()
    }

    fn audit(&self, id: ItemId) -> Vec<(String, String, String)> {
        self.hub
            .store()
            .audit(Some(id), 100)
            .unwrap()
            .into_iter()
            .map(|e| (e.actor.client, e.action, e.detail))
            .collect()
    }

    fn detail(&self, who: &str, id: ItemId) -> switchboard::hub::protocol::ItemDetail {
        match self
            .hub
            .handle(&Actor::new(who, "test"), Request::Show { id, raw: false })
        {
            Ok(Response::Detail { detail }) => *detail,
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn a_legal_threat_is_tagged_escalated_prioritized_and_drafted() {
    let f = fixture(CONFIG);
    let [id] = f.ingest(vec![customer(
        1,
        "Mon AVOCAT vous enverra une mise en demeure",
    )])[..] else {
        panic!()
    };
    let item = f.item(id);
    assert_eq!(item.status, Status::Escalated);
    assert!(item.tags.contains("legal"), "{:?}", item.tags);
    assert_eq!(item.priority, Priority::Urgent);
    assert_eq!(
        item.priority_why.last().unwrap(),
        "rule legal-threat: urgent"
    );
    assert!(item
        .priority_why
        .iter()
        .any(|r| r.starts_with("negative words")));
    let audit = f.audit(id);
    assert!(audit
        .iter()
        .any(|(client, action, detail)| client == "rules"
            && action == "rules"
            && detail.starts_with("legal-threat: priority urgent, +legal")));
    assert!(
        audit
            .iter()
            .any(|(client, action, detail)| client == "rules"
                && action == "escalate"
                && detail.starts_with(
                    "legal: rule legal-threat: words: \"avocat\", \"mise en demeure\""
                )),
        "{audit:?}"
    );
    // The draft, in the item's language (en), is offered to whoever opens it; nobody sent it.
    let detail = f.detail("dana", id);
    let draft = detail.suggested_draft.expect("a suggested draft");
    assert!(draft.starts_with("Hello User 1, thank you"), "{draft}");
    assert!(draft.ends_with("Acme"), "{draft}");
    assert!(f.hub.store().outbox().unwrap().is_empty());
    // The first CM to save their own draft takes it over.
    let save = Request::SaveDraft {
        id,
        text: format!("{draft} (edited)"),
    };
    f.hub.handle(&Actor::new("dana", "test"), save).unwrap();
    assert_eq!(f.detail("root", id).suggested_draft, None);
}

#[test]
fn team_assignment_goes_to_the_least_busy_member_and_first_assign_wins() {
    let f = fixture(CONFIG);
    let ids = f.ingest(vec![
        NewItem {
            kind: Kind::Dm,
            ..customer(1, "Remboursez-moi svp")
        },
        customer(2, "refund please"),
    ]);
    let (first, second) = (f.item(ids[0]), f.item(ids[1]));
    assert_eq!(first.assignee.as_deref(), Some("dana"), "ties go by name");
    assert_eq!(
        second.assignee.as_deref(),
        Some("lee"),
        "dana has one already"
    );
    assert!(first.tags.contains("refund"));
    let mut vip = customer(3, "refund now");
    vip.author.handle = "BigCo.bsky.social".into();
    let [id] = f.ingest(vec![vip])[..] else {
        panic!()
    };
    let item = f.item(id);
    assert_eq!(
        item.assignee.as_deref(),
        Some("dana"),
        "refunds comes first"
    );
    assert!(item.tags.contains("vip") && item.tags.contains("refund"));
    assert!(item
        .priority_why
        .iter()
        .any(|r| r == "VIP author @BigCo.bsky.social: +3"));
    assert_eq!(
        item.priority,
        Priority::Urgent,
        "mention 1 + refund 2 + VIP 3"
    );
}

#[test]
fn trolls_are_hidden_and_plain_items_only_get_a_priority() {
    let f = fixture(CONFIG);
    let ids = f.ingest(vec![
        customer(1, "what a clown"),
        NewItem {
            kind: Kind::Comment,
            ..customer(2, "nice post")
        },
    ]);
    let troll = f.item(ids[0]);
    assert_eq!(troll.status, Status::Spam);
    assert!(troll.tags.contains("troll"));
    let plain = f.item(ids[1]);
    assert_eq!(plain.status, Status::New);
    assert!(plain.tags.is_empty() && plain.assignee.is_none());
    assert_eq!(plain.priority, Priority::Low);
    assert_eq!(plain.priority_why, ["comment: +0", "0 points: low"]);
    let audit = f.audit(ids[1]);
    assert_eq!(
        audit,
        [(
            "rules".to_string(),
            "rules".to_string(),
            "no rule fired: priority low".to_string()
        )]
    );
}

#[test]
fn items_that_existed_brand_items_and_restored_lines_are_left_alone() {
    let f = fixture(CONFIG);
    let [id] = f.ingest(vec![customer(1, "hello")])[..] else {
        panic!()
    };
    let version = f.item(id).version;
    // The same remote item again, now with a threat: a refresh, not a new item.
    f.ingest(vec![customer(1, "hello, my lawyer says hi")]);
    let again = f.item(id);
    assert_eq!(again.status, Status::New);
    assert!(again.tags.is_empty());
    assert!(again.version > version, "the content refresh is recorded");
    assert!(!f.audit(id).iter().any(|(_, a, _)| a == "escalate"));
    let ours = NewItem {
        from_brand: true,
        ..customer(2, "our lawyer answers")
    };
    let restored = NewItem {
        status: Some(Status::Open),
        ..customer(3, "lawyer")
    };
    let ids = f.ingest(vec![ours, restored]);
    for id in ids {
        let item = f.item(id);
        assert!(
            item.tags.is_empty() && item.priority_why.is_empty(),
            "{item:?}"
        );
        assert!(f.audit(id).is_empty());
    }
}

#[test]
fn repeat_contacts_count_the_authors_earlier_items() {
    let f = fixture(CONFIG);
    let first = customer(1, "question");
    let second = NewItem {
        remote_id: "post-1b".into(),
        ..customer(1, "question again")
    };
    f.ingest(vec![first]);
    let [id] = f.ingest(vec![second])[..] else {
        panic!()
    };
    let item = f.item(id);
    assert!(
        item.priority_why
            .contains(&"repeat contact, 1 earlier message: +1".to_string()),
        "{:?}",
        item.priority_why
    );
}

#[test]
fn rules_reload_with_the_team_and_rules_test_changes_nothing() {
    let f = fixture(CONFIG);
    let [id] = f.ingest(vec![customer(1, "a parrot")])[..] else {
        panic!()
    };
    let before = f.item(id);
    let test = |f: &Fixture| match f.hub.handle(&root(), Request::RulesTest { id }) {
        Ok(Response::RulesTest { report }) => report,
        other => panic!("{other:?}"),
    };
    let report = test(&f);
    assert!(report.verdicts.iter().all(|v| !v.fired));
    assert_eq!(
        report.verdicts[0].why,
        ["words: none of \"avocat\", \"lawyer\", \"mise en demeure\""]
    );
    let parrots = format!("{CONFIG}\n[[rules]]\nname = \"parrots\"\nmatch = {{ words = \"parrot\" }}\ntag = [\"birds\"]\n");
    std::fs::write(f.dir.path().join("config.toml"), parrots).unwrap();
    f.hub.handle(&root(), Request::ReloadTeam).unwrap();
    let report = test(&f);
    let parrot = report.verdicts.last().unwrap();
    assert!(parrot.fired && parrot.rule == "parrots");
    assert_eq!(parrot.why, ["words: \"parrot\""]);
    assert_eq!(f.item(id), before, "rules test changes nothing");
    let [new] = f.ingest(vec![customer(2, "another parrot")])[..] else {
        panic!()
    };
    assert!(f.item(new).tags.contains("birds"));
    // A config whose rules do not load is refused and the rules in force stay.
    let broken =
        format!("{CONFIG}\n[[rules]]\nname = \"bad\"\nmatch = {{ regex = '(' }}\ntag = [\"x\"]\n");
    std::fs::write(f.dir.path().join("config.toml"), broken).unwrap();
    let err = f.hub.handle(&root(), Request::ReloadTeam).unwrap_err();
    assert!(
        err.message.contains("rules[4] (bad).match.regex"),
        "{}",
        err.message
    );
    assert!(test(&f).verdicts.last().unwrap().rule == "parrots");
}

#[test]
fn an_unknown_draft_is_written_in_the_audit_not_sent() {
    let config = CONFIG.replace("draft = \"legal-hold\"", "draft = \"no-such-response\"");
    let f = fixture(&config);
    let [id] = f.ingest(vec![customer(1, "lawyer")])[..] else {
        panic!()
    };
    assert_eq!(f.item(id).status, Status::Escalated);
    assert!(f
        .audit(id)
        .iter()
        .any(|(_, action, detail)| action == "rules"
            && detail.contains("draft 'no-such-response': no canned response of that name")));
    assert_eq!(f.detail("root", id).suggested_draft, None);
}
