//! `fetch_thread`: the conversation around an item.
//!
//! - A comment: its media (`GET /{media-id}?fields=…`, the brand's post), the top-level
//!   comment it belongs to (`GET /{comment-id}?fields=…`) and that comment's replies
//!   (`GET /{comment-id}/replies`; Instagram threads replies one level deep).
//! - A DM: the conversation's latest messages (`GET /{conversation-id}?fields=messages{…}`).
//! - A mention: the media that tags the account is its own thread; nothing more to read.

use super::fetch::{push, Read, COMMENT_FIELDS, MEDIA_FIELDS, REPLY_PAGES};
use super::items::Maker;
use super::payload::{entry, Comment, Media};
use super::InstagramConnector;
use crate::connectors::graph::path_id;
use crate::connectors::ConnectorError;
use crate::model::{Item, Kind, NewItem};

impl InstagramConnector {
    pub(super) async fn thread_items(&self, item: &Item) -> Result<Vec<NewItem>, ConnectorError> {
        let maker = self.maker().await?;
        let mut read = Read::default();
        match item.kind {
            Kind::Dm => {
                let conversation = item.thread_key();
                let what = format!("conversation {conversation}");
                for value in self.conversation_messages(conversation).await? {
                    let made =
                        entry(&value, &what).and_then(|m| maker.message(&m, conversation, &value));
                    push(&mut read, made);
                }
            }
            Kind::Comment => self.comment_thread(&maker, item, &mut read).await?,
            Kind::Mention => {}
        }
        for problem in &read.problems {
            tracing::info!(account = %self.account, reason = %problem.reason, "thread entry not read");
        }
        Ok(read.items)
    }

    async fn comment_thread(
        &self,
        maker: &Maker<'_>,
        item: &Item,
        read: &mut Read,
    ) -> Result<(), ConnectorError> {
        let media = path_id(item.thread_key())?;
        let body = self
            .graph
            .get(&format!("/{media}"), &[("fields", MEDIA_FIELDS)])
            .await?;
        push(
            read,
            read_media(&body).and_then(|m| maker.own_media(&m, &body)),
        );
        let top = match item.parent_id.as_deref() {
            Some(parent) if parent != media => path_id(parent)?,
            _ => path_id(&item.remote_id)?,
        };
        if top == media {
            return Ok(());
        }
        if top != item.remote_id {
            let body = self
                .graph
                .get(&format!("/{top}"), &[("fields", COMMENT_FIELDS)])
                .await?;
            let made = entry::<Comment>(&body, &format!("GET /{top}"))
                .and_then(|c| maker.comment(&c, media, &body));
            push(read, made);
        }
        let mut after: Option<String> = None;
        for _ in 0..REPLY_PAGES {
            let page = self.replies_page(top, after.as_deref()).await?;
            let parent = Comment {
                id: top.to_string(),
                ..Comment::default()
            };
            self.replies_into(maker, &parent, media, &page.data, read);
            match page.next_after() {
                Some(next) => after = Some(next.to_string()),
                None => break,
            }
        }
        Ok(())
    }
}

fn read_media(body: &serde_json::Value) -> Result<Media, crate::connectors::PayloadProblem> {
    entry(body, "GET /{media-id}")
}
