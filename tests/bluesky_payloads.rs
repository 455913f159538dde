//! Bad payloads through the whole Bluesky connector, from a scripted PDS on 127.0.0.1 (the
//! reference network does not send broken answers): a page that is not JSON is a transient
//! error and gives no cursor; a page with broken notifications keeps the good ones and
//! reports the others with their payload; an expired token is refreshed once; a damaged
//! cursor starts a first sync again, reported.

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use switchboard::config::Config;
use switchboard::connectors::bluesky::cursor::Cursor;
use switchboard::connectors::bluesky::Bluesky;
use switchboard::connectors::http::HttpOptions;
use switchboard::connectors::{Connector, ConnectorError};
use switchboard::model::Kind;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const BRAND: &str = "did:plc:lywjq27wkoqyzjolksqhvpah";

/// What the scripted PDS answers to listNotifications, in turn; and the paths it was asked.
#[derive(Default)]
struct Script {
    pages: Vec<(u16, String)>,
    asked: Vec<String>,
}

fn fixture_body(name: &str) -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/bluesky/");
    let text = std::fs::read_to_string(format!("{path}{name}")).unwrap();
    serde_json::from_str::<Value>(&text).unwrap()["response"]["body"].clone()
}

fn list_mut(page: &mut Value) -> &mut Vec<Value> {
    page["notifications"].as_array_mut().unwrap()
}

async fn serve(script: Arc<Mutex<Script>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let script = Arc::clone(&script);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let mut len = 0;
                while !buf[..len].windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf[len..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => len += n,
                    }
                }
                let head = String::from_utf8_lossy(&buf[..len]).to_string();
                let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
                let (status, body) = match empty_chat(&path) {
                    Some(empty) => (200, empty.to_string()),
                    None => {
                        let mut script = script.lock().unwrap();
                        script.asked.push(path.clone());
                        if path.starts_with("/xrpc/com.atproto.server.createSession")
                            || path.starts_with("/xrpc/com.atproto.server.refreshSession")
                        {
                            (200, fixture_body("create-session.json").to_string())
                        } else if script.pages.is_empty() {
                            (500, String::new())
                        } else {
                            script.pages.remove(0)
                        }
                    }
                };
                let answer = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    base
}

/// The chat service of this PDS has no conversations (DMs are tested in `bluesky_chat`).
fn empty_chat(path: &str) -> Option<Value> {
    let method = path.strip_prefix("/xrpc/chat.bsky.convo.")?;
    Some(match method.split('?').next() {
        Some("getLog") => serde_json::json!({ "logs": [] }),
        Some("listConvos") => serde_json::json!({ "convos": [] }),
        _ => serde_json::json!({}),
    })
}

fn connector(base: &str) -> Bluesky {
    let text = format!(
        "[[accounts]]\nname = \"acme-bsky\"\nplatform = \"bluesky\"\napi_base = \"{base}\"\n\
         identifier = \"brand.test\"\npassword = \"app-pass\"\n"
    );
    let account = Config::parse(std::path::Path::new("c.toml"), &text)
        .unwrap()
        .accounts[0]
        .clone();
    Bluesky::new(&account, HttpOptions::default()).unwrap()
}

#[tokio::test]
async fn broken_pages_and_notifications_from_a_scripted_pds() {
    let mut page = fixture_body("list-notifications-p1.json");
    let list = page["notifications"].as_array_mut().unwrap();
    // One whose record is not a post, one that is not even an object, one of a new reason.
    let mut not_a_post = list[1].clone();
    not_a_post["uri"] = json!("at://did:plc:x/app.bsky.feed.post/3kbroken");
    not_a_post["record"] = json!({ "$type": "app.bsky.feed.like", "subject": {} });
    list.push(not_a_post);
    list.push(json!("garbage"));
    let mut future = list[0].clone();
    future["uri"] = json!("at://did:plc:x/app.bsky.feed.post/3kfuture");
    future["reason"] = json!("a-reason-from-next-year");
    list.push(future);
    page["cursor"] = Value::Null;
    // Recent, whatever the day the test runs (the first sync reads back a week).
    let newest = chrono::Utc::now() - chrono::Duration::minutes(1);
    for (n, notification) in list_mut(&mut page).iter_mut().enumerate() {
        if notification.is_object() {
            let at = newest - chrono::Duration::seconds(n as i64);
            notification["indexedAt"] =
                json!(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        }
    }

    let script = Arc::new(Mutex::new(Script {
        pages: vec![
            (200, "<html>upstream hiccup</html>".into()),
            (
                400,
                json!({ "error": "ExpiredToken", "message": "Token has expired" }).to_string(),
            ),
            (200, page.to_string()),
            (200, page.to_string()),
        ],
        ..Script::default()
    }));
    let base = serve(Arc::clone(&script)).await;
    let conn = connector(&base);

    // Not JSON: transient, and no cursor to store.
    match conn.fetch_new(None).await {
        Err(ConnectorError::Transient(reason)) => {
            assert!(
                reason.contains("listNotifications: unreadable answer"),
                "{reason}"
            )
        }
        other => panic!("a non-JSON page: {other:?}"),
    }

    // Expired: refreshed, asked again, and the good notifications come through.
    let page = conn.fetch_new(None).await.expect("the second try");
    let kinds: Vec<Kind> = page.items.iter().map(|i| i.kind).collect();
    assert_eq!(kinds, [Kind::Mention, Kind::Comment]);
    assert!(page
        .items
        .iter()
        .all(|i| !i.from_brand && i.author.id != BRAND && i.account == "acme-bsky"));
    assert_eq!(page.problems.len(), 2, "{:?}", page.problems);
    assert!(page.problems[0]
        .reason
        .contains("not an app.bsky.feed.post"));
    assert!(page.problems[0].raw.contains("3kbroken"));
    assert_eq!(page.problems[1].raw, "\"garbage\"");
    assert!(!page.more);
    let cursor = Cursor::parse(page.cursor.as_deref()).unwrap();
    let mark = cursor.notif.mark.unwrap();
    assert_eq!(mark.timestamp_millis(), newest.timestamp_millis());

    // A damaged cursor: read again as a first sync, and said so.
    let again = conn.fetch_new(Some("{not a cursor")).await.unwrap();
    assert_eq!(again.items.len(), 2);
    assert_eq!(again.problems.len(), 3, "{:?}", again.problems);
    assert!(again.problems[0].reason.contains("unreadable sync cursor"));
    assert_eq!(again.problems[0].raw, "{not a cursor");

    let mut asked = script.lock().unwrap().asked.clone();
    assert!(asked
        .pop()
        .unwrap()
        .starts_with("/xrpc/app.bsky.notification.listNotifications"));
    let calls: Vec<&str> = asked.iter().map(|p| p.split('?').next().unwrap()).collect();
    assert_eq!(
        calls,
        [
            "/xrpc/com.atproto.server.createSession",
            "/xrpc/app.bsky.notification.listNotifications",
            "/xrpc/app.bsky.notification.listNotifications",
            "/xrpc/com.atproto.server.refreshSession",
            "/xrpc/app.bsky.notification.listNotifications",
        ]
    );
    let query = &asked[1];
    for part in [
        "limit=100",
        "priority=false",
        "reasons=reply",
        "reasons=mention",
        "reasons=quote",
    ] {
        assert!(query.contains(part), "{query}");
    }
}
