//! SLAs through the hub, under a controlled clock: the due time set at ingest, moved to the
//! resolution once our first reply is sent, cleared on resolve, set again on reopen; the
//! SLA clock's warning and breach, the page to whoever is on call at the due time (an
//! override honoured), the backups paged when nobody acknowledges, an acknowledgement
//! stopping the chain, and a restarted hub repeating nothing. Deliveries of notices are
//! another part's job: this asserts on page records, audit lines and events.

mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use common::accepting::Accepting;
use switchboard::config::Config;
use switchboard::connectors::Connectors;
use switchboard::hub::outbox::deliver_due;
use switchboard::hub::protocol::{ErrorKind, Event, Request, Response};
use switchboard::hub::sla_clock::pass;
use switchboard::hub::sync::Platforms;
use switchboard::hub::{Hub, SlaEventKind};
use switchboard::model::{Actor, Item, ItemId, NoticeKind, Status};
use switchboard::responses::policy::ReplyPolicy;
use switchboard::store::{SledStore, Store};
use switchboard::team::Team;

/// Paris, monday 2026-11-23 (UTC+1): alice on call 08-16, bob 16-24, carol overriding
/// 14:30-15:30; dave then erin as backups, 10 minutes to acknowledge. Every customer item
/// is due its first response in 1h and its resolution in 1d.
const CONFIG: &str = r#"
[users.alice]
role = "approver"
[users.bob]
role = "approver"
[users.carol]
role = "admin"
notify = ["pager"]
[users.dave]
role = "agent"
[users.erin]
role = "agent"
[notify.pager]
kind = "webhook"
url = "http://127.0.0.1:9/hook"
[replies]
after_send = "pending"
[sla]
timezone = "Europe/Paris"
warn_before = "15m"
[[sla.targets]]
first_response = "1h"
resolution = "1d"
[oncall]
timezone = "Europe/Paris"
ack_timeout = "10m"
backup = ["dave", "erin"]
[[oncall.shifts]]
user = "alice"
start = "08:00"
end = "16:00"
[[oncall.shifts]]
user = "bob"
start = "16:00"
end = "00:00"
[[oncall.overrides]]
user = "carol"
from = "2026-11-23T14:30"
until = "2026-11-23T15:30"
"#;

/// 14:00 in Paris: an item arriving now is due at 15:00 Paris (14:00Z), in carol's override.
const ARRIVAL: &str = "2026-11-23T13:00:00Z";

struct Fixture {
    dir: tempfile::TempDir,
    hub: Arc<Hub>,
    clock: Arc<Mutex<DateTime<Utc>>>,
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn open_hub(store_dir: &Path, clock: &Arc<Mutex<DateTime<Utc>>>) -> Arc<Hub> {
    let config = Config::parse(Path::new("config.toml"), CONFIG).expect("config");
    let store: Arc<dyn Store> = Arc::new(SledStore::open(store_dir).unwrap());
    let time = Arc::clone(clock);
    let hub = Hub::new(store, "test")
        .with_team(Team::from_config(&config), None)
        .with_reply_policy(ReplyPolicy::from_config(&config))
        .with_config(config)
        .with_clock(Arc::new(move || *time.lock().unwrap()));
    let mut connectors = Connectors::default();
    connectors.add(Arc::new(Accepting::new("acme-bsky")));
    hub.install_platforms(Platforms::of(connectors));
    Arc::new(hub)
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(Mutex::new(utc(ARRIVAL)));
    let hub = open_hub(&dir.path().join("store"), &clock);
    Fixture { dir, hub, clock }
}

impl Fixture {
    fn at(&self, text: &str) -> DateTime<Utc> {
        let at = utc(text);
        *self.clock.lock().unwrap() = at;
        at
    }

    /// The hub stopped and started again on the same store.
    fn restart(self) -> Fixture {
        let Fixture { dir, hub, clock } = self;
        drop(hub);
        let hub = open_hub(&dir.path().join("store"), &clock);
        Fixture { dir, hub, clock }
    }

    fn call(
        &self,
        user: &str,
        request: Request,
    ) -> Result<Response, switchboard::hub::protocol::WireError> {
        self.hub.handle(&Actor::new(user, "test"), request)
    }

    fn ingest(&self, n: usize) -> ItemId {
        let items = vec![common::items::customer_item("acme-bsky", n)];
        let request = Request::Ingest {
            items,
            source: "test".into(),
        };
        match self.call("carol", request).unwrap() {
            Response::Ingested { outcomes } => outcomes[0].id(),
            other => panic!("{other:?}"),
        }
    }

    fn item(&self, id: ItemId) -> Item {
        self.hub.store().get(id).unwrap().unwrap()
    }

    fn set_status(&self, id: ItemId, status: Status) {
        self.call("carol", Request::SetStatus { id, status })
            .unwrap();
    }

    /// The SLA clock's pass at `when`: (warned, breached, paged users).
    fn pass(&self, when: &str) -> (Vec<ItemId>, Vec<ItemId>, Vec<String>) {
        let report = pass(&self.hub, self.at(when)).unwrap();
        let paged = report.paged.iter().map(|p| p.user.clone()).collect();
        (report.warned, report.breached, paged)
    }

    fn sla_audit(&self, id: ItemId) -> Vec<String> {
        let audit = self.hub.store().audit(Some(id), 100).unwrap();
        audit
            .into_iter()
            .filter(|a| a.action == "sla")
            .map(|a| a.detail)
            .collect()
    }
}

#[tokio::test]
async fn due_is_set_at_ingest_moved_by_the_first_reply_cleared_and_set_again() {
    let f = fixture();
    let id = f.ingest(1);
    let item = f.item(id);
    assert_eq!(item.sla_due, Some(utc("2026-11-23T14:00:00Z")));
    assert_eq!(item.first_response_at, None);
    assert_eq!(f.sla_audit(id), ["first response due 2026-11-23T14:00:00Z"]);

    let sent_at = f.at("2026-11-23T13:20:00Z");
    let reply = Request::Reply {
        id,
        text: "on it".into(),
        seen_version: None,
    };
    f.call("carol", reply).unwrap();
    deliver_due(&f.hub, &f.hub.connectors()).await.unwrap();
    let item = f.item(id);
    assert_eq!(item.status, Status::Pending, "after_send = pending");
    assert_eq!(item.first_response_at, Some(sent_at));
    assert_eq!(
        item.sla_due,
        Some(utc("2026-11-24T13:00:00Z")),
        "resolution: 1d from arrival"
    );

    f.at("2026-11-23T15:00:00Z");
    f.set_status(id, Status::Resolved);
    assert_eq!(f.item(id).sla_due, None);
    f.set_status(id, Status::Open);
    let reopened = f.item(id);
    assert_eq!(
        reopened.sla_due,
        Some(utc("2026-11-23T16:00:00Z")),
        "1h from the reopening"
    );
    assert_eq!(
        reopened.first_response_at,
        Some(sent_at),
        "the first response stays"
    );
    f.set_status(id, Status::Spam);
    assert_eq!(f.item(id).sla_due, None);

    let mut ours = common::items::customer_item("acme-bsky", 2);
    ours.from_brand = true;
    let request = Request::Ingest {
        items: vec![ours],
        source: "test".into(),
    };
    let Response::Ingested { outcomes } = f.call("carol", request).unwrap() else {
        panic!()
    };
    assert_eq!(
        f.item(outcomes[0].id()).sla_due,
        None,
        "our own posts owe nothing"
    );
}

/// A notice as the tests compare it: kind, channels, users, item.
type Told = (NoticeKind, Vec<String>, Vec<String>, Option<ItemId>);

#[tokio::test]
async fn a_warning_then_a_breach_pages_the_override_then_each_backup() {
    let f = fixture();
    let carol = f.hub.member_scope(&Actor::new("carol", "test")).unwrap();
    let mut feed = f.hub.event_feed(carol);
    let id = f.ingest(1);
    assert_eq!(f.pass("2026-11-23T13:40:00Z"), (vec![], vec![], vec![]));
    assert_eq!(f.pass("2026-11-23T13:46:00Z"), (vec![id], vec![], vec![]));
    assert_eq!(
        f.pass("2026-11-23T13:50:00Z"),
        (vec![], vec![], vec![]),
        "warned once"
    );

    // 15:00 Paris: alice's shift, but carol overrides it; her page goes through her channel.
    let report = pass(&f.hub, f.at("2026-11-23T14:00:00Z")).unwrap();
    assert_eq!((report.breached, report.paged.len()), (vec![id], 1));
    let told: Vec<Told> = report
        .notices
        .into_iter()
        .map(|n| (n.kind, n.channels, n.users, n.item))
        .collect();
    let carol = || vec!["carol".to_string()];
    assert_eq!(
        told,
        [
            (NoticeKind::SlaBreached, vec![], carol(), Some(id)),
            (
                NoticeKind::Page,
                vec!["pager".to_string()],
                carol(),
                Some(id)
            ),
        ]
    );
    let pages = f.hub.store().pages().unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(
        (pages[0].item, pages[0].step, pages[0].at),
        (id, 0, utc("2026-11-23T14:00:00Z"))
    );
    assert!(pages[0].is_open());
    assert_eq!(
        f.pass("2026-11-23T14:05:00Z"),
        (vec![], vec![], vec![]),
        "breached once"
    );

    assert_eq!(
        f.pass("2026-11-23T14:10:00Z"),
        (vec![], vec![], vec!["dave".into()])
    );
    assert_eq!(f.pass("2026-11-23T14:15:00Z"), (vec![], vec![], vec![]));
    assert_eq!(
        f.pass("2026-11-23T14:20:00Z"),
        (vec![], vec![], vec!["erin".into()])
    );
    assert_eq!(
        f.pass("2026-11-23T14:30:00Z"),
        (vec![], vec![], vec![]),
        "nobody left"
    );
    assert_eq!(f.pass("2026-11-23T15:00:00Z"), (vec![], vec![], vec![]));
    let pages = f.hub.store().pages().unwrap();
    let chain: Vec<(&str, usize, bool)> = pages
        .iter()
        .map(|p| (p.user.as_str(), p.step, p.is_open()))
        .collect();
    assert_eq!(
        chain,
        [("carol", 0, false), ("dave", 1, false), ("erin", 2, true)]
    );
    let Ok(Response::Pages { pages }) = f.call("erin", Request::Ack { id }) else {
        panic!("the last page stays open to be acknowledged")
    };
    assert_eq!(pages[0].user, "erin");

    let audit = f.sla_audit(id);
    assert_eq!(audit.len(), 7, "{audit:#?}");
    assert!(
        audit[1].starts_with("SLA soon: first response to"),
        "{audit:#?}"
    );
    assert!(
        audit[2].contains("SLA breached") && audit[2].ends_with("paged carol"),
        "{audit:#?}"
    );
    assert_eq!(
        audit[3],
        "nobody acknowledged within 10m: paged dave (backup)"
    );
    assert_eq!(
        audit[4],
        "nobody acknowledged within 10m: paged erin (backup)"
    );
    assert_eq!(
        audit[5],
        "nobody acknowledged the page and no backup is left: it stays open"
    );
    assert_eq!(audit[6], "page acknowledged by erin");

    let mut kinds = Vec::new();
    while let Ok(Some(event)) =
        tokio::time::timeout(std::time::Duration::from_millis(300), feed.next()).await
    {
        if let Event::Sla { event } = event {
            kinds.push((event.kind, event.users));
        }
    }
    let s = |u: &str| vec![u.to_string()];
    assert_eq!(
        kinds,
        [
            (SlaEventKind::Warning, s("carol")),
            (SlaEventKind::Breached, s("carol")),
            (SlaEventKind::Paged, s("carol")),
            (SlaEventKind::Paged, s("dave")),
            (SlaEventKind::Paged, s("erin")),
            (SlaEventKind::Acked, s("erin")),
        ]
    );
}

#[test]
fn an_acknowledgement_stops_the_chain() {
    let f = fixture();
    let id = f.ingest(1);
    f.pass("2026-11-23T13:00:00Z");
    f.pass("2026-11-23T14:00:00Z");
    let Ok(Response::OnCall { pages, .. }) = f.call("alice", Request::OnCall { at: None }) else {
        panic!()
    };
    assert_eq!(pages.len(), 1, "oncall lists the open page");

    f.at("2026-11-23T14:04:00Z");
    let Ok(Response::Pages { pages }) = f.call("carol", Request::Ack { id }) else {
        panic!()
    };
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].acked_by.as_deref(), Some("carol"));
    assert_eq!(pages[0].acked_at, Some(utc("2026-11-23T14:04:00Z")));
    assert_eq!(
        f.pass("2026-11-23T14:30:00Z"),
        (vec![], vec![], vec![]),
        "no backup paged"
    );
    assert!(f
        .sla_audit(id)
        .last()
        .unwrap()
        .contains("page acknowledged by carol"));
    let Ok(Response::OnCall { pages, .. }) = f.call("alice", Request::OnCall { at: None }) else {
        panic!()
    };
    assert!(pages.is_empty());

    let again = f.call("carol", Request::Ack { id }).unwrap_err();
    assert_eq!(again.kind, ErrorKind::Refused, "{again}");
    let unknown = ItemId::generate();
    let err = f.call("carol", Request::Ack { id: unknown }).unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
    assert!(err.message.contains(&unknown.to_string()), "{err}");
}

#[test]
fn answering_the_customer_stops_paging_and_nobody_on_call_pages_the_first_backup() {
    let f = fixture();
    // 03:00 Paris is nobody's shift: the breach goes to dave, the first backup.
    f.at("2026-11-23T01:00:00Z");
    let night = f.ingest(7);
    f.pass("2026-11-23T01:00:00Z");
    assert_eq!(
        f.pass("2026-11-23T02:00:00Z"),
        (vec![], vec![night], vec!["dave".into()])
    );
    let pages = f.hub.store().pages().unwrap();
    assert_eq!(pages[0].step, 1);
    // Resolved before dave acknowledged: erin is not woken for it.
    f.set_status(night, Status::Resolved);
    assert_eq!(f.pass("2026-11-23T02:10:00Z"), (vec![], vec![], vec![]));
    let audit = f.sla_audit(night);
    assert_eq!(
        audit.last().unwrap(),
        "the page is no longer needed: the item moved on"
    );
}

#[test]
fn a_restarted_hub_repeats_no_warning_and_no_page_and_skips_none() {
    let f = fixture();
    let id = f.ingest(1);
    assert_eq!(f.pass("2026-11-23T13:46:00Z").0, [id]);
    let f = f.restart();
    assert_eq!(f.pass("2026-11-23T13:50:00Z"), (vec![], vec![], vec![]));
    // Down over the due time: the breach is caught up once.
    let f = f.restart();
    assert_eq!(
        f.pass("2026-11-23T14:03:00Z"),
        (vec![], vec![id], vec!["carol".into()])
    );
    let f = f.restart();
    assert_eq!(f.pass("2026-11-23T14:05:00Z"), (vec![], vec![], vec![]));
    let f = f.restart();
    assert_eq!(
        f.pass("2026-11-23T14:13:00Z"),
        (vec![], vec![], vec!["dave".into()])
    );
    let f = f.restart();
    assert_eq!(f.pass("2026-11-23T14:14:00Z"), (vec![], vec![], vec![]));
    assert_eq!(f.hub.store().pages().unwrap().len(), 2);
}

// The verbs, end to end: a page made by the SLA clock on a `--home` store, then `oncall`
// lists it and `ack` acknowledges it.

#[test]
fn oncall_lists_the_open_page_and_ack_acknowledges_it() {
    let home = common::Home::new();
    let me = switchboard::hub::identity::current_user();
    let now = Utc::now();
    let config = format!(
        "[sla]\n[[sla.targets]]\nfirst_response = \"1h\"\n\
         [oncall]\ntimezone = \"UTC\"\n[[oncall.overrides]]\nuser = \"{me}\"\n\
         from = \"{}\"\nuntil = \"{}\"\n",
        (now - chrono::Duration::days(1)).to_rfc3339(),
        (now + chrono::Duration::days(1)).to_rfc3339(),
    );
    std::fs::write(home.path().join("config.toml"), &config).unwrap();
    let id = {
        let clock = Arc::new(Mutex::new(now));
        let parsed = Config::parse(Path::new("config.toml"), &config).unwrap();
        let store: Arc<dyn Store> = Arc::new(SledStore::open(&home.path().join("store")).unwrap());
        let time = Arc::clone(&clock);
        let hub = Hub::new(store, "test")
            .with_team(Team::from_config(&parsed), None)
            .with_config(parsed)
            .with_clock(Arc::new(move || *time.lock().unwrap()));
        let items = vec![common::items::customer_item("acme-bsky", 1)];
        let request = Request::Ingest {
            items,
            source: "test".into(),
        };
        let Ok(Response::Ingested { outcomes }) = hub.handle(&Actor::new(&me, "test"), request)
        else {
            panic!("ingest")
        };
        let report = pass(&hub, now + chrono::Duration::hours(2)).unwrap();
        assert_eq!(report.paged.len(), 1, "{report:?}");
        outcomes[0].id()
    };
    let listed = home.ok(&["oncall"]);
    assert!(listed.contains("open pages (1):"), "{listed}");
    assert!(listed.contains(&format!("about item {id}")), "{listed}");
    let acked = home.ok(&["ack", &id.to_string(), "--json"]);
    let page: serde_json::Value = serde_json::from_str(acked.trim()).unwrap();
    assert_eq!(page["item"], id.to_string());
    assert_eq!(page["acked_by"], me.as_str());
    let after = home.ok(&["oncall"]);
    assert!(!after.contains("open pages"), "{after}");
    let again = home.fails(&["ack", &id.to_string()]);
    assert!(again.contains("waiting for an acknowledgement"), "{again}");
    let unknown = home.fails(&["ack", "nonsense"]);
    assert!(unknown.contains("nonsense"), "{unknown}");
}

#[test]
fn a_customer_writing_again_reopens_the_item_with_a_new_first_response_due() {
    let f = fixture();
    let id = f.ingest(1);
    f.at("2026-11-23T13:30:00Z");
    f.set_status(id, Status::Resolved);
    assert_eq!(f.item(id).sla_due, None);
    let written = f.at("2026-11-23T18:00:00Z");
    let mut again = common::items::customer_item("acme-bsky", 1);
    again.remote_id = "post-1-again".into();
    let request = Request::Ingest {
        items: vec![again],
        source: "test".into(),
    };
    let Ok(Response::Ingested { outcomes }) = f.call("carol", request) else {
        panic!()
    };
    let reopened = f.item(id);
    assert_eq!(reopened.status, Status::Open);
    assert_eq!(reopened.sla_due, Some(written + chrono::Duration::hours(1)));
    assert_eq!(reopened.sla_since, Some(written));
    let new = f.item(outcomes[0].id());
    assert_eq!(new.sla_due, Some(written + chrono::Duration::hours(1)));
}
