//! Private replies: answering a public comment with a direct message to its author, which
//! Facebook and Instagram allow **once per comment, within 7 days** of it (a second one, or
//! a late one, is refused by the platform). The hub refuses them first, whatever client asks,
//! so a CM learns why at once and the outbox never holds a reply that cannot be sent:
//!
//! - only a customer's comment on the brand's posts, on Facebook or Instagram (not a
//!   mention: a post that tags the brand, a comment on someone else's media);
//! - within 7 days of the comment;
//! - once: an earlier private reply to the same comment that is queued, held, sending or sent
//!   refuses the next (a failed or rejected one does not count: nothing reached the person).
//!
//! The connector builds the Send API message (`connectors::graph::send`).

use chrono::{DateTime, Utc};

use super::core::store_error;
use super::protocol::{ErrorKind, WireError};
use super::Hub;
use crate::connectors::graph::send::PRIVATE_REPLY_WINDOW;
use crate::model::{Item, Kind, OutboxEntry, OutboxState, Platform};

impl Hub {
    /// Why a private reply to `item` cannot be sent now, if it cannot.
    pub(super) fn refuse_private_reply(
        &self,
        item: &Item,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<(), WireError> {
        if let Some(why) = not_privately_answerable(item, now) {
            return Err(refused(why));
        }
        let length = crate::responses::limits::measure_reply(&item.platform, true, text.trim());
        if !length.fits() {
            return Err(refused(format!(
                "the private reply is too long for a {} message: {}",
                item.platform,
                length.describe()
            )));
        }
        let entries = self.store.outbox().map_err(store_error)?;
        match entries.iter().find(|e| counts_as_sent(e, item)) {
            Some(earlier) => Err(refused(format!(
                "{} already has a private reply ({} by {}, {}): {} allows one per comment",
                item.id,
                earlier.id,
                earlier.author,
                earlier.state.name(),
                item.platform
            ))),
            None => Ok(()),
        }
    }
}

/// Why `item` takes no private reply at `now`, by what it is and how old it is.
pub fn not_privately_answerable(item: &Item, now: DateTime<Utc>) -> Option<String> {
    if !matches!(item.platform, Platform::Facebook | Platform::Instagram) {
        return Some(format!(
            "private replies are a Facebook and Instagram feature, not {}'s",
            item.platform
        ));
    }
    match item.kind {
        Kind::Comment => {}
        Kind::Dm => {
            return Some("a direct message is answered directly, not with a private reply".into())
        }
        Kind::Mention => {
            return Some(
                "a private reply answers a comment on the brand's posts, not a mention".into(),
            )
        }
    }
    let age = now - item.created_at;
    if age > PRIVATE_REPLY_WINDOW {
        return Some(format!(
            "a private reply is allowed within 7 days of the comment, and this one is {} days old",
            age.num_days()
        ));
    }
    None
}

/// Whether `entry` is a private reply to `item` that reached, or may still reach, the person.
fn counts_as_sent(entry: &OutboxEntry, item: &Item) -> bool {
    entry.private
        && entry.item == item.id
        && !matches!(
            entry.state,
            OutboxState::Failed { .. } | OutboxState::Rejected { .. }
        )
}

fn refused(message: String) -> WireError {
    WireError {
        kind: ErrorKind::Refused,
        message,
    }
}
