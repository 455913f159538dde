//! Replies: `send_reply` and `find_sent`.
//!
//! A reply is `POST /api/v1/statuses` with `in_reply_to_id` = the item answered, the
//! original's visibility (a DM is answered `direct`; a public, unlisted or followers-only
//! post in kind), and the text addressed to the person answered (`@acct ` put first unless
//! the text already names them, as Mastodon clients do: on a DM the mention is what makes
//! them its audience). The original's visibility comes from the stored raw payload when the
//! item carries it, from the kind for DMs, from what this connector saw, and otherwise from
//! `GET /api/v1/statuses/:id` (one request).
//!
//! The request carries `Idempotency-Key: <the outbox's key>` and is marked repeatable:
//! Mastodon answers a repeated key with the status the first request made, so a retry after
//! a lost answer cannot post twice.
//!
//! `find_sent` does not repeat the POST: a repeat would post if the first never arrived
//! (which the outbox would then do anyway), but Mastodon forgets keys after about an hour,
//! so after a long outage a repeat could post a second copy. It looks instead: the brand's
//! statuses directly under the item (`GET /api/v1/statuses/:id/context`) whose text is the
//! reply's text. When that finds nothing the outbox sends again, under the same key, so
//! within the key's lifetime even a miss here cannot double-post.

use chrono::Utc;
use reqwest::header::HeaderName;
use serde_json::json;

use super::html;
use super::items::{Brand, Post};
use super::payload::{read, Status, Visibility};
use super::seen::Seen;
use super::threads::{known_thread, place};
use super::{path_id, MastodonConnector};
use crate::connectors::http::Call;
use crate::connectors::{ConnectorError, Delivered, ReplyRequest};
use crate::model::{Item, Kind};

impl MastodonConnector {
    pub(super) async fn reply(&self, request: &ReplyRequest) -> Result<Delivered, ConnectorError> {
        let brand = self.brand().await?;
        let item = &request.item;
        path_id(&item.remote_id)?;
        let visibility = self.visibility_of(item).await?;
        let text = addressed(&request.text, &item.author.handle, brand);
        let call = Call::post("/api/v1/statuses")
            .json(json!({
                "status": text,
                "in_reply_to_id": item.remote_id,
                "visibility": visibility.as_param(),
            }))
            .header(
                HeaderName::from_static("idempotency-key"),
                request.idempotency_key.clone(),
            )
            .repeatable(true);
        let body = self.get(call).await?;
        let post = Post::read(&body, "POST /api/v1/statuses")
            .map_err(|p| ConnectorError::Transient(p.reason))?;
        Ok(self.delivered(brand, item, &post))
    }

    pub(super) async fn look_for_reply(
        &self,
        request: &ReplyRequest,
    ) -> Result<Option<Delivered>, ConnectorError> {
        let brand = self.brand().await?;
        let item = &request.item;
        let context = self.context(&item.remote_id).await?;
        let wanted = squeeze(&addressed(&request.text, &item.author.handle, brand));
        let found = context
            .descendants
            .iter()
            .filter_map(|value| Post::read(value, "context").ok())
            .find(|post| {
                post.by(brand)
                    && post.status.in_reply_to_id.as_deref() == Some(item.remote_id.as_str())
                    && squeeze(&html::to_text(post.status.content.as_deref().unwrap_or("")))
                        == wanted
            });
        Ok(found.map(|post| self.delivered(brand, item, &post)))
    }

    /// Our reply as an item of the thread of the item answered.
    fn delivered(&self, brand: &Brand, item: &Item, post: &Post) -> Delivered {
        let thread = match post.is_dm() {
            true => known_thread(&self.memory, brand, post),
            false => None,
        }
        .unwrap_or_else(|| item.thread_key().to_string());
        Delivered {
            reply: place(&self.memory, &self.account, brand, post, thread, Utc::now()),
        }
    }

    /// The audience of the item answered.
    async fn visibility_of(&self, item: &Item) -> Result<Visibility, ConnectorError> {
        if let Some(status) = item.raw.as_ref().and_then(read::<Status>) {
            if status.visibility.is_some() {
                return Ok(Visibility::of(&status));
            }
        }
        if item.kind == Kind::Dm {
            return Ok(Visibility::Direct);
        }
        let seen = self.memory.get(&item.remote_id).and_then(|s| s.visibility);
        if let Some(visibility) = seen {
            return Ok(Visibility::of(&Status {
                visibility: Some(visibility),
                ..Status::default()
            }));
        }
        let id = path_id(&item.remote_id)?;
        let body = self
            .get(Call::get(format!("/api/v1/statuses/{id}")))
            .await?;
        let status: Status = read(&body).unwrap_or_default();
        let visibility = Visibility::of(&status);
        let seen = Seen {
            visibility: Some(visibility.as_param().to_string()),
            ..Seen::default()
        };
        self.memory.note(&item.remote_id, seen);
        Ok(visibility)
    }
}

/// The reply text addressed to `handle`: `@handle ` first unless the text names them
/// already (or there is no one to name, or it is the brand itself).
pub fn addressed(text: &str, handle: &str, brand: &Brand) -> String {
    let handle = handle.trim().trim_start_matches('@');
    if handle.is_empty() || handle.eq_ignore_ascii_case(&brand.handle) || names(text, handle) {
        return text.to_string();
    }
    format!("@{handle} {text}")
}

/// Whether `text` mentions `@handle` (not as part of a longer handle or an address).
fn names(text: &str, handle: &str) -> bool {
    // Usernames are letters, digits and `_`; a domain follows an `@`.
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let lower = text.to_lowercase();
    let wanted = format!("@{}", handle.to_lowercase());
    lower.match_indices(&wanted).any(|(at, m)| {
        let before = lower[..at].chars().next_back();
        let after = lower[at + m.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(|c| word(c) || c == '@')
    })
}

/// Text with every run of whitespace made one space, for comparing what was sent with
/// what the server shows.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brand() -> Brand {
        Brand {
            id: "1".into(),
            handle: "acme".into(),
        }
    }

    #[test]
    fn replies_are_addressed_once() {
        let b = brand();
        assert_eq!(addressed("on its way", "alice", &b), "@alice on its way");
        assert_eq!(
            addressed("@Alice on its way", "alice", &b),
            "@Alice on its way"
        );
        assert_eq!(addressed("thanks @alice.", "alice", &b), "thanks @alice.");
        assert_eq!(
            addressed("ask @alice@other.example", "alice", &b),
            "@alice ask @alice@other.example"
        );
        assert_eq!(
            addressed("mail bob@alice", "alice", &b),
            "@alice mail bob@alice"
        );
        assert_eq!(
            addressed("hi", "@bob@remote.example", &b),
            "@bob@remote.example hi"
        );
        assert_eq!(addressed("hi", "", &b), "hi");
        assert_eq!(addressed("hi", "acme", &b), "hi");
    }

    #[test]
    fn whitespace_does_not_tell_replies_apart() {
        assert_eq!(squeeze(" a\n\nb  c "), "a b c");
    }
}
