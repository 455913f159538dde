//! Threads: the thread key of each status, and `fetch_thread`.
//!
//! A public status's thread is the root of its reply chain. A status that answers nothing is
//! its own root; a reply whose parent was seen (in the same page, earlier, or in a thread
//! fetched) takes the parent's thread from memory. Otherwise the status's context
//! (`GET /api/v1/statuses/:id/context`) is read once: its first ancestor is the root, and
//! every ancestor and descendant is remembered, so the rest of that thread costs nothing.
//! The brand's own ancestors come back as context items (a customer's reply then shows under
//! the brand's post). A status whose context is refused (deleted meanwhile) is threaded
//! under its parent. DMs are threaded by their participants (see `items`).

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::items::{Brand, Post};
use super::payload::{read, Context};
use super::seen::{Memory, Seen};
use super::{path_id, MastodonConnector};
use crate::connectors::http::Call;
use crate::connectors::ConnectorError;
use crate::model::NewItem;

/// The thread of `post` from what is known, without asking the server.
pub fn known_thread(memory: &Memory, brand: &Brand, post: &Post) -> Option<String> {
    if post.is_dm() {
        return Some(post.dm_thread(brand).unwrap_or_else(|| post.id.clone()));
    }
    match &post.status.in_reply_to_id {
        None => Some(post.id.clone()),
        Some(parent) => memory.get(parent).and_then(|seen| seen.thread),
    }
}

/// The item for `post` in `thread`, remembered for the posts that follow.
pub fn place(
    memory: &Memory,
    account: &str,
    brand: &Brand,
    post: &Post,
    thread: String,
    fallback_time: DateTime<Utc>,
) -> NewItem {
    let parent_by_brand = post
        .status
        .in_reply_to_id
        .as_deref()
        .and_then(|parent| memory.get(parent))
        .is_some_and(|seen| seen.by_brand);
    memory.note(
        &post.id,
        Seen {
            thread: Some(thread.clone()),
            by_brand: post.by(brand),
            visibility: Some(post.visibility().as_param().to_string())
                .filter(|_| post.status.visibility.is_some()),
            notification: None,
        },
    );
    post.item(
        account,
        brand,
        post.kind(brand, parent_by_brand),
        thread,
        fallback_time,
    )
}

impl MastodonConnector {
    /// The items for `posts` (oldest first), each in its thread; a reply in a thread not
    /// seen yet costs one context request, whose brand posts are added to `context_items`.
    pub(super) async fn place_all(
        &self,
        brand: &Brand,
        posts: &[(Post, DateTime<Utc>)],
        context_items: &mut Vec<NewItem>,
    ) -> Result<Vec<NewItem>, ConnectorError> {
        let mut items = Vec::with_capacity(posts.len());
        for (post, time) in posts {
            let thread = match known_thread(&self.memory, brand, post) {
                Some(thread) => thread,
                None => self.find_root(brand, post, context_items).await?,
            };
            items.push(place(
                &self.memory,
                &self.account,
                brand,
                post,
                thread,
                *time,
            ));
        }
        Ok(items)
    }

    /// Reads a reply's context to find its root; remembers the whole thread.
    async fn find_root(
        &self,
        brand: &Brand,
        post: &Post,
        context_items: &mut Vec<NewItem>,
    ) -> Result<String, ConnectorError> {
        let parent = post.status.in_reply_to_id.clone().unwrap_or_default();
        let context = match self.context(&post.id).await {
            Ok(context) => context,
            Err(ConnectorError::Refused(why)) => {
                tracing::debug!(status = %post.id, %why, "no context: threaded under the parent");
                return Ok(parent);
            }
            Err(other) => return Err(other),
        };
        let ancestors = posts_of(&context.ancestors);
        let root = ancestors.first().map_or(parent, |a| a.id.clone());
        let now = Utc::now();
        for ancestor in &ancestors {
            let known = self.memory.get(&ancestor.id).is_some();
            let item = place(
                &self.memory,
                &self.account,
                brand,
                ancestor,
                root.clone(),
                now,
            );
            if ancestor.by(brand) && !known {
                context_items.push(item);
            }
        }
        for descendant in posts_of(&context.descendants) {
            if !descendant.is_dm() {
                let seen = Seen {
                    thread: Some(root.clone()),
                    by_brand: descendant.by(brand),
                    ..Seen::default()
                };
                self.memory.note(&descendant.id, seen);
            }
        }
        Ok(root)
    }

    pub(super) async fn context(&self, status_id: &str) -> Result<Context, ConnectorError> {
        let id = path_id(status_id)?;
        let body = self
            .get(Call::get(format!("/api/v1/statuses/{id}/context")))
            .await?;
        read(&body).ok_or_else(|| {
            ConnectorError::Transient(format!("GET /api/v1/statuses/{id}/context: not a context"))
        })
    }

    /// `fetch_thread`: the status, its ancestors and its descendants, in thread order.
    pub(super) async fn thread_items(
        &self,
        remote_id: &str,
    ) -> Result<Vec<NewItem>, ConnectorError> {
        let brand = self.brand().await?;
        let id = path_id(remote_id)?;
        let body = self
            .get(Call::get(format!("/api/v1/statuses/{id}")))
            .await?;
        let post = Post::read(&body, "GET /api/v1/statuses/:id")
            .map_err(|p| ConnectorError::Transient(p.reason))?;
        let context = self.context(&post.id).await?;
        let ancestors = posts_of(&context.ancestors);
        let root = match (ancestors.first(), &post.status.in_reply_to_id) {
            (Some(first), _) => first.id.clone(),
            (None, Some(parent)) => parent.clone(),
            (None, None) => post.id.clone(),
        };
        let now = Utc::now();
        let everything = ancestors
            .iter()
            .chain(std::iter::once(&post))
            .cloned()
            .chain(posts_of(&context.descendants));
        Ok(everything
            .map(|p| {
                let thread = match p.is_dm() {
                    true => known_thread(&self.memory, brand, &p).unwrap_or_else(|| root.clone()),
                    false => root.clone(),
                };
                place(&self.memory, &self.account, brand, &p, thread, now)
            })
            .collect())
    }
}

/// The readable statuses of a list (unreadable ones are left out: they are context only).
fn posts_of(values: &[Value]) -> Vec<Post> {
    values
        .iter()
        .filter_map(|v| Post::read(v, "context").ok())
        .collect()
}
