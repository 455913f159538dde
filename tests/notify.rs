//! Notifications against real receivers on loopback: a hyper webhook receiver
//! (`common::webhook`) and a real SMTP server (aiosmtpd, `common::smtp`), with hubs in this
//! process: the bodies of each format, hostile text, retries, timeouts, and which terminals
//! hear of a notice. The binary's side (`notify test`, `doctor`, a restart) is in
//! `notify_cli.rs`.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use switchboard::config::Config;
use switchboard::hub::protocol::Event;
use switchboard::hub::Hub;
use switchboard::model::{Actor, Delivery, DeliveryState, ItemId, Notice, NoticeKind};
use switchboard::store::{SledStore, Store};
use switchboard::team::Scope;

use common::smtp::SmtpServer;
use common::webhook::WebhookReceiver;

const WAIT: Duration = Duration::from_secs(20);

/// A hub on a fresh store with this config, delivering notices.
struct Fixture {
    _dir: tempfile::TempDir,
    hub: Arc<Hub>,
    delivery: tokio::task::JoinHandle<()>,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.delivery.abort();
    }
}

fn fixture(config: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let config = Config::parse(Path::new("config.toml"), config).expect("test config");
    let hub = Arc::new(Hub::new(store, "test").with_config(config));
    let delivery = tokio::spawn(switchboard::notify::deliver_forever(Arc::clone(&hub)));
    Fixture {
        _dir: dir,
        hub,
        delivery,
    }
}

/// A customer's item with this text, stored.
fn item_with_text(hub: &Hub, text: &str) -> ItemId {
    let mut item = common::items::customer_item("acme", 1);
    item.text = text.into();
    item.author.handle = "claire.bsky.social".into();
    item.url = Some("https://bsky.app/profile/claire/post/1".into());
    let outcomes = hub
        .store()
        .ingest(vec![item], &Actor::system(), Utc::now())
        .unwrap();
    outcomes[0].id()
}

fn notice(title: &str, body: &str, item: Option<ItemId>, channels: &[&str]) -> Notice {
    Notice {
        kind: NoticeKind::Escalated,
        at: Utc::now(),
        title: title.into(),
        body: body.into(),
        item,
        channels: channels.iter().map(|c| c.to_string()).collect(),
        users: Vec::new(),
    }
}

/// Waits until every delivery of the hub is settled; returns them by channel.
async fn settled(hub: &Hub, count: usize) -> Vec<Delivery> {
    let deadline = Instant::now() + WAIT;
    loop {
        let mut all = hub.store().deliveries().unwrap();
        if all.len() >= count && all.iter().all(|d| d.state.is_settled()) {
            all.sort_by(|a, b| a.channel.cmp(&b.channel));
            return all;
        }
        assert!(
            Instant::now() < deadline,
            "deliveries never settled: {all:#?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn webhooks(receiver: &WebhookReceiver) -> String {
    format!(
        "[notify.slack]\nkind = \"webhook\"\nurl = \"{}\"\nformat = \"slack\"\n\
         [notify.json]\nkind = \"webhook\"\nurl = \"{}\"\nformat = \"json\"\n\
         [notifications]\nretry = \"1s\"\ntimeout = \"2s\"\n",
        receiver.url("/hooks/slack"),
        receiver.url("/hooks/json")
    )
}

fn email(server: &SmtpServer, extra: &str) -> String {
    format!(
        "[notify.legal-mail]\nkind = \"email\"\nto = [\"legal@acme.test\", \"counsel@acme.test\"]\n\
         [smtp]\nhost = \"127.0.0.1\"\nport = {}\nfrom = \"switchboard@acme.test\"\nstarttls = false\n{extra}",
        server.port
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_bodies_in_slack_and_json_formats() {
    let receiver = WebhookReceiver::start();
    let f = fixture(&webhooks(&receiver));
    let item = item_with_text(&f.hub, "My order #4411 never came & I want a refund");
    let n = notice(
        "Escalated to legal: @claire",
        "Dana: threat of a lawsuit",
        Some(item),
        &["slack", "json"],
    );
    f.hub.notify(n.clone()).unwrap();
    let received = receiver.wait_for(2, WAIT);
    let slack = received
        .iter()
        .find(|r| r.path == "/hooks/slack")
        .expect("slack hook");
    let json = received
        .iter()
        .find(|r| r.path == "/hooks/json")
        .expect("json hook");
    for request in [slack, json] {
        assert_eq!(request.method, "POST");
        assert_eq!(request.header("content-type"), Some("application/json"));
    }
    let text = slack.json()["text"].as_str().unwrap().to_string();
    assert!(
        text.starts_with("*Escalated to legal: @claire*\nDana: threat of a lawsuit\n"),
        "{text}"
    );
    assert!(
        text.contains("(@claire.bsky.social):\n> My order #4411 never came &amp; I want a refund"),
        "{text}"
    );
    assert!(
        text.ends_with("<https://bsky.app/profile/claire/post/1>"),
        "{text}"
    );
    let body = json.json();
    assert_eq!(body["kind"], "escalated");
    assert_eq!(body["channel"], "json");
    assert_eq!(body["notice"]["title"], n.title);
    assert_eq!(body["item"]["id"], item.to_string());
    assert_eq!(
        body["item"]["text"],
        "My order #4411 never came & I want a refund"
    );
    let deliveries = settled(&f.hub, 2).await;
    assert!(deliveries
        .iter()
        .all(|d| matches!(d.state, DeliveryState::Delivered { .. }) && d.attempts == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_arrives_with_its_subject_from_to_and_body() {
    let server = SmtpServer::start();
    let f = fixture(&email(&server, ""));
    let item = item_with_text(&f.hub, "Vous aurez des nouvelles de mon avocat.");
    f.hub
        .notify(notice(
            "Escalated to legal: @claire on bluesky",
            "Dana: a lawyer is mentioned",
            Some(item),
            &["legal-mail"],
        ))
        .unwrap();
    let mail = server.wait_for(1, WAIT).remove(0);
    assert_eq!(mail.mail_from, "switchboard@acme.test");
    assert_eq!(mail.rcpt_tos, ["legal@acme.test", "counsel@acme.test"]);
    assert_eq!(mail.subject, "Escalated to legal: @claire on bluesky");
    assert_eq!(mail.header_values("from"), ["switchboard@acme.test"]);
    assert_eq!(
        mail.header_values("to"),
        ["legal@acme.test, counsel@acme.test"]
    );
    assert!(
        mail.body.contains("Dana: a lawyer is mentioned"),
        "{}",
        mail.body
    );
    assert!(
        mail.body
            .contains("Vous aurez des nouvelles de mon avocat."),
        "{}",
        mail.body
    );
    assert!(
        mail.body
            .contains(&format!("Item {item} on bluesky (acme)")),
        "{}",
        mail.body
    );
    assert!(!mail.authenticated);
    let delivery = settled(&f.hub, 1).await.remove(0);
    assert!(
        matches!(delivery.state, DeliveryState::Delivered { .. }),
        "{delivery:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_authenticates_with_the_password_read_at_send_time() {
    let server = SmtpServer::with_auth("switchboard", "s3cret-pass");
    let var = "SWITCHBOARD_NOTIFY_TEST_SMTP_PASSWORD";
    let f = fixture(&email(
        &server,
        &format!("username = \"switchboard\"\npassword_env = \"{var}\"\n"),
    ));
    // Set only now: after the config was read and the hub started.
    std::env::set_var(var, "s3cret-pass");
    f.hub
        .notify(notice("Page: SLA breached", "", None, &["legal-mail"]))
        .unwrap();
    let mail = server.wait_for(1, WAIT).remove(0);
    assert!(mail.authenticated, "{mail:?}");
    assert_eq!(mail.subject, "Page: SLA breached");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_text_is_made_safe_on_every_channel() {
    let receiver = WebhookReceiver::start();
    let server = SmtpServer::start();
    let f = fixture(&format!("{}{}", webhooks(&receiver), email(&server, "")));
    let hostile =
        "Legal\r\nBcc: victim@evil.test\r\n\r\nforged\x1b]0;pwned\x07 \u{202e}gpj.exe <!channel>";
    let item = item_with_text(&f.hub, hostile);
    f.hub
        .notify(notice(
            hostile,
            hostile,
            Some(item),
            &["slack", "json", "legal-mail"],
        ))
        .unwrap();
    let received = receiver.wait_for(2, WAIT);
    for request in &received {
        assert!(
            !request.body.contains(&0x1b) && !request.body.contains(&0x07),
            "raw control bytes in {request:?}"
        );
    }
    let slack = received
        .iter()
        .find(|r| r.path == "/hooks/slack")
        .unwrap()
        .json();
    let text = slack["text"].as_str().unwrap();
    assert!(
        !text.contains(['\x1b', '\x07', '\u{202e}', '\r']),
        "{text:?}"
    );
    assert!(
        !text.contains("<!channel>") && text.contains("&lt;!channel&gt;"),
        "{text}"
    );
    let json = received
        .iter()
        .find(|r| r.path == "/hooks/json")
        .unwrap()
        .json();
    assert_eq!(
        json["item"]["text"], hostile,
        "the JSON format carries the text exactly, escaped by serde"
    );
    let mail = server.wait_for(1, WAIT).remove(0);
    assert_eq!(
        mail.rcpt_tos,
        ["legal@acme.test", "counsel@acme.test"],
        "no recipient added"
    );
    assert!(mail.header_values("bcc").is_empty(), "{:?}", mail.headers);
    assert!(
        mail.subject
            .starts_with("Legal Bcc: victim@evil.test forged"),
        "{:?}",
        mail.subject
    );
    assert!(
        !mail
            .subject
            .contains(['\x1b', '\x07', '\u{202e}', '\n', '\r']),
        "{:?}",
        mail.subject
    );
    assert!(
        !mail.body.contains(['\x1b', '\x07', '\u{202e}']),
        "{:?}",
        mail.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_is_retried_until_delivered() {
    let receiver = WebhookReceiver::start();
    receiver.answer_next(&[500]);
    let f = fixture(&webhooks(&receiver));
    f.hub
        .notify(notice("SLA breached", "", None, &["slack"]))
        .unwrap();
    let received = receiver.wait_for(2, WAIT);
    assert_eq!(received[0].body, received[1].body, "the same notice again");
    let delivery = settled(&f.hub, 1).await.remove(0);
    assert!(
        matches!(delivery.state, DeliveryState::Delivered { .. }),
        "{delivery:?}"
    );
    assert_eq!(delivery.attempts, 2);
    let error = delivery.last_error.unwrap();
    assert!(error.contains("500"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_receiver_holds_neither_the_hub_nor_other_channels() {
    let stuck = WebhookReceiver::start();
    stuck.hang(true);
    let healthy = WebhookReceiver::start();
    let config = format!(
        "[notify.stuck]\nkind = \"webhook\"\nurl = \"{}\"\n[notify.healthy]\nkind = \"webhook\"\nurl = \"{}\"\n\
         [notifications]\nattempts = 1\ntimeout = \"5s\"\n",
        stuck.url("/"),
        healthy.url("/")
    );
    let f = fixture(&config);
    let started = Instant::now();
    f.hub
        .notify(notice("Page", "", None, &["stuck", "healthy"]))
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "notify waited {:?}",
        started.elapsed()
    );
    // The healthy channel hears well before the stuck one's 5 s timeout.
    while healthy.received().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "the healthy channel waited on the stuck one"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let pending = f.hub.store().deliveries().unwrap();
    assert!(
        pending
            .iter()
            .any(|d| d.channel == "stuck" && !d.state.is_settled()),
        "the stuck channel is still being tried: {pending:?}"
    );
    let deliveries = settled(&f.hub, 2).await;
    let stuck_one = deliveries.iter().find(|d| d.channel == "stuck").unwrap();
    let DeliveryState::Failed { reason, .. } = &stuck_one.state else {
        panic!("{stuck_one:?}")
    };
    assert!(reason.contains("no answer from 127.0.0.1"), "{reason}");
    assert_eq!(
        stuck.received().len(),
        1,
        "the hanging receiver got the request"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_reach_only_the_terminals_of_the_users_they_name() {
    let f = fixture("");
    let mut dana = f.hub.event_feed(Scope::everything()).with_user("dana");
    let mut erin = f.hub.event_feed(Scope::everything()).with_user("erin");
    // Each feed first sends who is online.
    for feed in [&mut dana, &mut erin] {
        assert!(matches!(feed.next().await, Some(Event::Presence { .. })));
    }
    let mut n = notice("Escalated to legal", "", None, &[]);
    n.users = vec!["dana".into()];
    f.hub.notify(n.clone()).unwrap();
    let got = tokio::time::timeout(WAIT, dana.next()).await.unwrap();
    assert!(matches!(got, Some(Event::Notice { notice }) if notice == n));
    let nothing = tokio::time::timeout(Duration::from_millis(300), erin.next()).await;
    assert!(nothing.is_err(), "erin got {nothing:?}");
    assert!(
        f.hub.store().deliveries().unwrap().is_empty(),
        "no channel, no delivery"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_is_required_when_configured_never_skipped() {
    // The test server offers no STARTTLS: with `starttls = true` nothing goes out in clear.
    let server = SmtpServer::start();
    let config = email(&server, "[notifications]\nattempts = 1\n")
        .replace("starttls = false", "starttls = true");
    let f = fixture(&config);
    f.hub
        .notify(notice("Escalated to legal", "", None, &["legal-mail"]))
        .unwrap();
    let delivery = settled(&f.hub, 1).await.remove(0);
    let DeliveryState::Failed { reason, .. } = &delivery.state else {
        panic!("{delivery:?}")
    };
    assert!(
        reason.contains(&format!("127.0.0.1:{}", server.port)),
        "{reason}"
    );
    assert!(reason.to_lowercase().contains("tls"), "{reason}");
    assert!(
        server.messages().is_empty(),
        "a message went out without TLS"
    );
}
