//! The user stream: `GET /api/v1/streaming/user` as Server-Sent Events, token in the
//! `Authorization` header, on the account's `api_base` (Mastodon's web server proxies the
//! streaming paths; a separate streaming host would be refused by the origin lock, and the
//! account then polls). A `notification` event of type `mention` (or one that cannot be
//! read) and a `conversation` event wake the sync engine, which then fetches with its
//! cursor; favourites, boosts and follows do not cost a fetch. The stream ends `Ok` when the
//! server closes it, and fails when the connection does (or stays silent, heartbeats
//! included, for `stream_idle`): the engine polls meanwhile and opens it again later.

use futures::StreamExt;
use reqwest::header::ACCEPT;
use serde_json::Value;

use super::MastodonConnector;
use crate::connectors::http::client::clip;
use crate::connectors::http::Call;
use crate::connectors::ConnectorError;

const PATH: &str = "/api/v1/streaming/user";
/// The longest line kept; the rest of a longer one is dropped (a status is far shorter).
const MAX_LINE: usize = 1 << 20;

impl MastodonConnector {
    pub(super) async fn listen(
        &self,
        wake: &(dyn Fn() + Send + Sync),
    ) -> Result<(), ConnectorError> {
        let call = Call::get(PATH)
            .header(ACCEPT, "text/event-stream")
            .bearer(&self.token);
        let response = self.http.open_stream(&call).await?;
        tracing::info!(account = %self.account, "mastodon stream open");
        let mut body = response.bytes_stream();
        let mut events = Sse::default();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| {
                ConnectorError::Transient(format!("GET {PATH}: {}", clip(&e.to_string())))
            })?;
            for event in events.push(&chunk) {
                if wakes(&event) {
                    wake();
                }
            }
        }
        tracing::info!(account = %self.account, "mastodon stream closed by the server");
        Ok(())
    }
}

/// Whether an event may mean something new to fetch.
pub fn wakes(event: &Event) -> bool {
    match event.name.as_str() {
        "conversation" => true,
        "notification" => serde_json::from_str::<Value>(&event.data)
            .ok()
            .and_then(|n| {
                n.get("type")
                    .and_then(Value::as_str)
                    .map(|t| t == "mention")
            })
            .unwrap_or(true),
        _ => false,
    }
}

/// One Server-Sent Event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub name: String,
    pub data: String,
}

/// An incremental SSE parser: bytes in (split anywhere), events out. Comments (`:thump`)
/// and unknown fields are skipped; `\n` and `\r\n` both end a line.
#[derive(Default)]
pub struct Sse {
    line: Vec<u8>,
    name: String,
    data: String,
    has_data: bool,
}

impl Sse {
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Event> {
        let mut out = Vec::new();
        for &b in bytes {
            if b == b'\n' {
                self.end_line(&mut out);
            } else if self.line.len() < MAX_LINE {
                self.line.push(b);
            }
        }
        out
    }

    fn end_line(&mut self, out: &mut Vec<Event>) {
        let mut line = std::mem::take(&mut self.line);
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.is_empty() {
            if self.has_data || !self.name.is_empty() {
                out.push(Event {
                    name: std::mem::take(&mut self.name),
                    data: std::mem::take(&mut self.data),
                });
            }
            self.has_data = false;
            return;
        }
        if line[0] == b':' {
            return;
        }
        let text = String::from_utf8_lossy(&line);
        let (field, value) = text.split_once(':').unwrap_or((&text, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => self.name = value.to_string(),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_read_across_chunks_and_comments_skipped() {
        let mut sse = Sse::default();
        let stream = b":connected\n\nevent: notification\r\ndata: {\"type\":\"mention\"}\r\n\r\n:thump\n\nevent: update\ndata: {\"id\":\"1\"}\n\nevent: conversation\ndata: a\ndata: b\n\n";
        let mut events = Vec::new();
        for chunk in stream.chunks(7) {
            events.extend(sse.push(chunk));
        }
        let names: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["notification", "update", "conversation"]);
        assert_eq!(events[0].data, r#"{"type":"mention"}"#);
        assert_eq!(events[2].data, "a\nb");
        let woke: Vec<bool> = events.iter().map(wakes).collect();
        assert_eq!(woke, [true, false, true]);
    }

    #[test]
    fn only_mentions_and_unreadable_notifications_wake() {
        let event = |data: &str| Event {
            name: "notification".into(),
            data: data.into(),
        };
        assert!(!wakes(&event(r#"{"type":"favourite"}"#)));
        assert!(wakes(&event("{truncated")));
        let mut sse = Sse::default();
        let long = format!("data: {}\n\n", "x".repeat(MAX_LINE * 2));
        let events = sse.push(long.as_bytes());
        assert_eq!(events.len(), 1);
        assert!(events[0].data.len() < MAX_LINE);
    }
}
