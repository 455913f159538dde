//! Replies: `POST /youtube/v3/comments?part=snippet` with
//! `{"snippet": {"parentId": <top-level comment>, "textOriginal": <text>}}` (50 units).
//! YouTube threads are one level deep, so an answer to a reply goes under the thread's
//! top-level comment. The API takes no idempotency key, so the write is never repeated by
//! the HTTP layer; after a crash, `find_sent` looks for the channel's reply with the same
//! text among the thread's replies (1 unit a page) instead of sending blind.

use chrono::Utc;
use serde_json::{json, Value};

use super::items::{self, top_level_of, Place};
use super::quota::WRITE_COST;
use super::{path_id, YoutubeConnector};
use crate::connectors::http::Call;
use crate::connectors::{ConnectorError, Delivered, ReplyRequest};
use crate::model::{Item, Platform};

/// The longest comment YouTube takes, in characters.
pub const MAX_TEXT: usize = 10_000;

impl YoutubeConnector {
    pub(super) async fn reply(&self, request: &ReplyRequest) -> Result<Delivered, ConnectorError> {
        let top = self.top_of(&request.item)?;
        check_text(&request.text)?;
        if request.private {
            return Err(ConnectorError::Unsupported(
                "private reply on youtube: YouTube has no private messages".into(),
            ));
        }
        let body = json!({"snippet": {"parentId": top, "textOriginal": request.text}});
        let call = Call::post("/youtube/v3/comments")
            .query("part", "snippet")
            .json(body);
        let answer = self.call(call, WRITE_COST).await?;
        let raw: Value = answer.json()?;
        let video = video_of(&request.item);
        let place = Place {
            thread: top,
            video: video.as_deref(),
            channel: None,
        };
        let (mut reply, _) =
            items::comment(&raw, &self.context(false), &place, true, Utc::now())
                .map_err(|p| ConnectorError::Transient(format!("{}: {}", answer.call, p.reason)))?;
        reply.from_brand = true;
        Ok(Delivered { reply })
    }

    pub(super) async fn look_for_reply(
        &self,
        request: &ReplyRequest,
    ) -> Result<Option<Delivered>, ConnectorError> {
        let top = self.top_of(&request.item)?;
        let video = video_of(&request.item);
        let place = Place {
            thread: top,
            video: video.as_deref(),
            channel: None,
        };
        let replies = self.replies(&self.context(false), &place, false).await?;
        let wanted = request.text.trim();
        let found = replies.items.into_iter().find(|reply| {
            reply.from_brand
                && reply.text.trim() == wanted
                && reply.created_at >= request.item.created_at
        });
        Ok(found.map(|reply| Delivered { reply }))
    }

    /// The top-level comment of the item's thread, checked.
    fn top_of<'i>(&self, item: &'i Item) -> Result<&'i str, ConnectorError> {
        if item.platform != Platform::Youtube {
            return Err(ConnectorError::Refused(format!(
                "{} is a {} item, not a youtube one",
                item.remote_id, item.platform
            )));
        }
        let thread = item.thread_id.as_deref().unwrap_or(&item.remote_id);
        path_id(top_level_of(thread))
    }
}

fn check_text(text: &str) -> Result<(), ConnectorError> {
    let count = text.chars().count();
    if text.trim().is_empty() {
        return Err(ConnectorError::Refused(
            "a YouTube reply needs some text".into(),
        ));
    }
    if count > MAX_TEXT {
        return Err(ConnectorError::Refused(format!(
            "a YouTube comment holds at most {MAX_TEXT} characters, this reply has {count}"
        )));
    }
    Ok(())
}

/// The video an item is on, from its URL (`watch?v=…`).
fn video_of(item: &Item) -> Option<String> {
    let url = item.url.as_deref()?;
    let rest = url.split_once("watch?v=")?.1;
    Some(rest.split('&').next().unwrap_or(rest).to_string())
}
