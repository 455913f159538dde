//! Issue 7 end to end, through one hub with its real notification delivery, against real
//! receivers on loopback (a webhook receiver and aiosmtpd):
//!
//! - a legal threat arrives, a `[[rules]]` rule tags and escalates it, and the legal owner is
//!   told by webhook and by email within seconds; the CM's reply is held for the owner, the
//!   owner approves it, and it is delivered;
//! - an SLA breach under a controlled clock pages the user on call through their channel,
//!   and, when nobody acknowledges in time, the backup through theirs.

mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use common::accepting::Accepting;
use common::smtp::SmtpServer;
use common::webhook::WebhookReceiver;
use switchboard::config::Config;
use switchboard::connectors::Connectors;
use switchboard::hub::outbox::deliver_due;
use switchboard::hub::protocol::{Request, Response};
use switchboard::hub::sync::Platforms;
use switchboard::hub::Hub;
use switchboard::model::{
    Actor, AnswerRequest, EscalationState, ItemId, NewItem, OutboxState, Status,
};
use switchboard::responses::policy::ReplyPolicy;
use switchboard::store::{SledStore, Store};
use switchboard::team::Team;

/// The team, the legal escalation with both kinds of channel, the rule that catches legal
/// threats in French and English, and an SLA with on-call paging.
fn config(hook: &WebhookReceiver, smtp: &SmtpServer) -> String {
    format!(
        r#"
[users.alice]
role = "agent"
notify = ["alice-hook"]
[users.dana]
role = "agent"
[users.bob]
role = "admin"
notify = ["bob-mail"]

[notify.legal-hook]
kind = "webhook"
url = "{legal_hook}"
format = "slack"
[notify.legal-mail]
kind = "email"
to = ["legal@acme.test"]
[notify.alice-hook]
kind = "webhook"
url = "{alice_hook}"
format = "json"
[notify.bob-mail]
kind = "email"
to = ["bob@acme.test"]

[smtp]
host = "127.0.0.1"
port = {port}
from = "switchboard@acme.test"
starttls = false

[notifications]
retry = "1s"

[escalations.legal]
description = "Legal threats"
owners = ["dana"]
notify = ["legal-hook", "legal-mail"]
sla = "2h"

[[rules]]
name = "legal-threat"
match = {{ words = ["avocat", "lawyer", "tribunal", "sue"] }}
tag = ["legal-threat"]
escalate = "legal"

[sla]
timezone = "UTC"
warn_before = "15m"
[[sla.targets]]
first_response = "1h"
resolution = "1d"

[oncall]
timezone = "UTC"
ack_timeout = "10m"
backup = ["bob"]
[[oncall.shifts]]
user = "alice"
start = "00:00"
end = "00:00"
"#,
        legal_hook = hook.url("/legal"),
        alice_hook = hook.url("/alice"),
        port = smtp.port,
    )
}

struct Fixture {
    _dir: tempfile::TempDir,
    hub: Arc<Hub>,
    clock: Arc<Mutex<DateTime<Utc>>>,
    delivery: tokio::task::JoinHandle<()>,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.delivery.abort();
    }
}

fn fixture(config_text: &str, now: DateTime<Utc>) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::parse(Path::new("config.toml"), config_text).expect("config");
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let clock = Arc::new(Mutex::new(now));
    let time = Arc::clone(&clock);
    let hub = Hub::new(store, "test")
        .with_team(Team::from_config(&config), None)
        .with_reply_policy(ReplyPolicy::from_config(&config))
        .with_config(config)
        .with_clock(Arc::new(move || *time.lock().unwrap()));
    let mut connectors = Connectors::default();
    connectors.add(Arc::new(Accepting::new("acme-bsky")));
    hub.install_platforms(Platforms::of(connectors));
    let hub = Arc::new(hub);
    let delivery = tokio::spawn(switchboard::notify::deliver_forever(Arc::clone(&hub)));
    Fixture {
        _dir: dir,
        hub,
        clock,
        delivery,
    }
}

impl Fixture {
    fn call(&self, user: &str, request: Request) -> Response {
        self.hub
            .handle(&Actor::new(user, "test"), request)
            .unwrap_or_else(|e| panic!("{user}: {e}"))
    }

    fn ingest(&self, item: NewItem) -> ItemId {
        let request = Request::Ingest {
            items: vec![item],
            source: "test".into(),
        };
        match self.call("bob", request) {
            Response::Ingested { outcomes } => outcomes[0].id(),
            other => panic!("{other:?}"),
        }
    }

    fn set_clock(&self, at: DateTime<Utc>) {
        *self.clock.lock().unwrap() = at;
    }
}

fn customer(text: &str) -> NewItem {
    let mut item = common::items::customer_item("acme-bsky", 1);
    item.text = text.into();
    item.author.handle = "claire.bsky.social".into();
    item.lang = Some("fr".into());
    item
}

/// Waits on a blocking receiver without holding the runtime's only thread.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_legal_threat_is_escalated_by_rule_notified_approved_and_delivered() {
    let hook = Arc::new(WebhookReceiver::start());
    let smtp = Arc::new(SmtpServer::start());
    let f = fixture(&config(&hook, &smtp), Utc::now());

    let arrived = Instant::now();
    let id = f.ingest(customer(
        "Remboursez-moi ou je contacte mon AVOCAT, on se verra au tribunal !",
    ));
    let item = f.hub.store().get(id).unwrap().unwrap();
    assert_eq!(item.status, Status::Escalated, "{item:?}");
    assert!(item.tags.contains("legal") && item.tags.contains("legal-threat"));
    let audit = f.hub.store().audit(Some(id), 20).unwrap();
    let escalate = audit
        .iter()
        .find(|a| a.action == "escalate")
        .expect("audit");
    assert!(
        escalate.detail.starts_with("legal: rule legal-threat"),
        "{escalate:?}"
    );
    assert_eq!(escalate.actor.client, "rules");

    // Both of the escalation's channels, within seconds.
    let received = Arc::clone(&hook);
    let posts = blocking(move || received.wait_for(1, Duration::from_secs(10))).await;
    let webhook_after = arrived.elapsed();
    assert_eq!(posts[0].path, "/legal");
    let text = posts[0].json()["text"].as_str().unwrap().to_string();
    assert!(text.contains("Escalated to legal"), "{text}");
    assert!(text.contains("claire.bsky.social"), "{text}");
    let server = Arc::clone(&smtp);
    let mails = blocking(move || server.wait_for(1, Duration::from_secs(10))).await;
    let email_after = arrived.elapsed();
    assert_eq!(mails[0].rcpt_tos, ["legal@acme.test"]);
    assert!(
        mails[0]
            .subject
            .starts_with("Escalated to legal: @claire.bsky.social"),
        "{}",
        mails[0].subject
    );
    assert!(mails[0].body.contains("AVOCAT"), "{}", mails[0].body);
    eprintln!("legal owner told by webhook in {webhook_after:?}, by email in {email_after:?}");
    assert!(email_after < Duration::from_secs(10) && webhook_after < Duration::from_secs(10));

    // The CM's reply waits for the owner, who approves it; then it goes out.
    let reply = Request::Reply {
        id,
        text: "Nous sommes désolés, notre service juridique revient vers vous.".into(),
        seen_version: None,
    };
    let Response::Entry { entry } = f.call("alice", reply) else {
        panic!("a reply answers with its entry")
    };
    assert_eq!(entry.state, OutboxState::Held, "held for the owners");
    deliver_due(&f.hub, &f.hub.connectors()).await.unwrap();
    assert_eq!(
        f.hub.store().get(id).unwrap().unwrap().status,
        Status::Escalated
    );
    let answer = Request::AnswerEscalation {
        id,
        answer: AnswerRequest::Approve,
    };
    let Response::Escalation { escalation } = f.call("dana", answer) else {
        panic!("an answer answers with the escalation")
    };
    assert_eq!(escalation.state, EscalationState::Approved);
    deliver_due(&f.hub, &f.hub.connectors()).await.unwrap();
    let Response::Entries { entries } = f.call("bob", Request::Outbox) else {
        panic!("outbox")
    };
    let sent = entries.iter().find(|e| e.item == id).expect("the reply");
    assert!(matches!(sent.state, OutboxState::Sent { .. }), "{sent:?}");
    let item = f.hub.store().get(id).unwrap().unwrap();
    assert_eq!(item.status, Status::Resolved, "after_send = resolved");
    assert!(item.first_response_at.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sla_breach_pages_on_call_then_the_backup_through_their_channels() {
    let hook = Arc::new(WebhookReceiver::start());
    let smtp = Arc::new(SmtpServer::start());
    let arrival: DateTime<Utc> = "2026-11-23T09:00:00Z".parse().unwrap();
    let f = fixture(&config(&hook, &smtp), arrival);
    let id = f.ingest(customer("Bonjour, ma commande n'est jamais arrivée."));
    let due: DateTime<Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
    assert_eq!(f.hub.store().get(id).unwrap().unwrap().sla_due, Some(due));

    // At the due time: alice, on call around the clock, is paged through her webhook.
    f.set_clock(due);
    let report = switchboard::hub::sla_clock::pass(&f.hub, due).unwrap();
    assert_eq!(report.breached, [id]);
    assert_eq!(report.paged.len(), 1);
    assert_eq!(report.paged[0].user, "alice");
    let received = Arc::clone(&hook);
    let posts = blocking(move || received.wait_for(1, Duration::from_secs(10))).await;
    assert_eq!(posts[0].path, "/alice");
    let page = posts[0].json();
    assert_eq!(page["kind"], "page", "{page}");
    assert_eq!(page["item"]["id"], id.to_string(), "{page}");
    assert!(smtp.messages().is_empty(), "the backup is not paged yet");

    // Nobody acknowledges within 10 minutes: bob, the backup, gets an email.
    let later = due + chrono::Duration::minutes(11);
    f.set_clock(later);
    let report = switchboard::hub::sla_clock::pass(&f.hub, later).unwrap();
    assert_eq!(report.paged.len(), 1);
    assert_eq!(report.paged[0].user, "bob");
    let server = Arc::clone(&smtp);
    let mails = blocking(move || server.wait_for(1, Duration::from_secs(10))).await;
    assert_eq!(mails[0].rcpt_tos, ["bob@acme.test"]);
    assert!(
        mails[0].subject.starts_with("Page: "),
        "{}",
        mails[0].subject
    );

    // bob acknowledges: nobody else is paged, ever.
    f.call("bob", Request::Ack { id });
    let much_later = later + chrono::Duration::hours(2);
    f.set_clock(much_later);
    let report = switchboard::hub::sla_clock::pass(&f.hub, much_later).unwrap();
    assert!(report.paged.is_empty(), "{:?}", report.paged);
    assert_eq!(hook.received().len(), 1);
}
