//! Moderation on X (API v2), each step charged to the day's spend once X did it.
//!
//! - Hide, Unhide: `PUT /2/tweets/:id/hidden` `{"hidden": true|false}`: X lets the author
//!   of a conversation's first post hide the replies in it (repeatable: the same twice is
//!   once).
//! - Delete: the brand's own posts only, `DELETE /2/tweets/:id` (one already gone is done).
//! - Mute: `POST /2/users/:brand/muting` `{"target_user_id"}` (the author's id is needed).
//! - Block: X API v2 offers blocking to Enterprise apps only: unsupported, mute or hide
//!   instead. Report: the API has no reporting. Dismiss: no notifications to dismiss.
//!
//! DMs can be neither hidden nor deleted through the API.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{errors, path_id, XConnector};
use crate::connectors::http::Call;
use crate::connectors::{ConnectorError, Moderation};
use crate::model::{Item, Kind, Platform};
use crate::responses::cost;

impl XConnector {
    pub(super) async fn apply(
        &self,
        item: &Item,
        action: &Moderation,
    ) -> Result<(), ConnectorError> {
        match action {
            Moderation::Hide | Moderation::Unhide => self.hide(item, *action == Moderation::Hide).await?,
            Moderation::Delete => self.delete(item).await?,
            Moderation::Mute => self.mute(item).await?,
            Moderation::Block => {
                return Err(ConnectorError::Unsupported(
                    "X API v2 lets only Enterprise apps block accounts: mute the author or hide the reply instead"
                        .into(),
                ))
            }
            Moderation::Report { .. } => {
                return Err(ConnectorError::Unsupported(
                    "X API v2 has no way to report a post: report it in the X app, or mute the author or hide the reply"
                        .into(),
                ))
            }
            Moderation::Dismiss => {
                return Err(ConnectorError::Unsupported(
                    "X API v2 has no notifications to dismiss".into(),
                ))
            }
        }
        if let Some(price) = cost::cost(&Platform::X, cost::Action::Moderate(action)) {
            self.meter.write(price.micros);
        }
        Ok(())
    }

    async fn hide(&self, item: &Item, hidden: bool) -> Result<(), ConnectorError> {
        if item.kind == Kind::Dm {
            return Err(ConnectorError::Unsupported(
                "X cannot hide a DM: mute the sender instead".into(),
            ));
        }
        let id = path_id(&item.remote_id)?;
        let call = Call::new(Method::PUT, format!("/2/tweets/{id}/hidden"), true)
            .json(json!({ "hidden": hidden }));
        self.send(call).await.map(drop)
    }

    async fn delete(&self, item: &Item) -> Result<(), ConnectorError> {
        if item.kind == Kind::Dm {
            return Err(ConnectorError::Unsupported(
                "X API v2 cannot delete a DM".into(),
            ));
        }
        if !item.from_brand {
            return Err(ConnectorError::Unsupported(
                "X lets an account delete only its own posts: hide the reply or mute its author instead"
                    .into(),
            ));
        }
        let id = path_id(&item.remote_id)?;
        let answer = self
            .answer(Call::new(Method::DELETE, format!("/2/tweets/{id}"), true))
            .await?;
        if answer.status == StatusCode::NOT_FOUND {
            return Ok(());
        }
        errors::read(&answer).map(drop)
    }

    async fn mute(&self, item: &Item) -> Result<(), ConnectorError> {
        if item.from_brand {
            return Err(ConnectorError::Refused(
                "cannot mute the brand's own account".into(),
            ));
        }
        if item.author.id.is_empty() {
            return Err(ConnectorError::Refused(
                "cannot mute an author X did not name (the post came without author_id)".into(),
            ));
        }
        let target = path_id(&item.author.id)?;
        let call = Call::post(format!("/2/users/{}/muting", self.user_id))
            .json(json!({ "target_user_id": target }))
            .repeatable(true);
        self.send(call).await.map(drop)
    }
}
