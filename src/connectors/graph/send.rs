//! Meta's Send API bodies (`POST /{page-id}/messages`, `POST /{ig-user-id}/messages`), with
//! the messaging window chosen from when the customer last wrote:
//!
//! - within 24 hours: `messaging_type = RESPONSE`;
//! - within 7 days, where the account may (`human_agent = true`): `messaging_type =
//!   MESSAGE_TAG`, `tag = HUMAN_AGENT`;
//! - a private reply to a public comment: `recipient = {comment_id}`, allowed once per
//!   comment within 7 days of the comment (the hub keeps the once; this checks the 7 days).
//!
//! Past its window a message is refused here, before any call: the hub refuses the same
//! earlier, this is the last line of defence.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::connectors::ConnectorError;
use crate::responses::window::{HUMAN_AGENT, STANDARD};

/// How long after a comment a private reply may be sent.
pub const PRIVATE_REPLY_WINDOW: Duration = Duration::days(7);

/// Who a message goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recipient<'a> {
    /// A person, by their page-scoped (or Instagram-scoped) id.
    Person(&'a str),
    /// The author of a public comment: a private reply.
    CommentAuthor(&'a str),
}

/// The body of a Send API message, or why it may not be sent now.
pub fn message_body(
    recipient: Recipient<'_>,
    text: &str,
    since: DateTime<Utc>,
    human_agent: bool,
    now: DateTime<Utc>,
) -> Result<Value, ConnectorError> {
    let age = now - since;
    match recipient {
        Recipient::CommentAuthor(comment) => {
            if age > PRIVATE_REPLY_WINDOW {
                return Err(ConnectorError::Refused(format!(
                    "a private reply is only allowed within 7 days of the comment (it is {} days old)",
                    age.num_days()
                )));
            }
            Ok(json!({
                "recipient": {"comment_id": comment},
                "message": {"text": text},
            }))
        }
        Recipient::Person(id) if age <= STANDARD => Ok(json!({
            "recipient": {"id": id},
            "messaging_type": "RESPONSE",
            "message": {"text": text},
        })),
        Recipient::Person(id) if human_agent && age <= HUMAN_AGENT => Ok(json!({
            "recipient": {"id": id},
            "messaging_type": "MESSAGE_TAG",
            "tag": "HUMAN_AGENT",
            "message": {"text": text},
        })),
        Recipient::Person(_) => Err(ConnectorError::Refused(format!(
            "the messaging window is closed: the customer last wrote {} hours ago, and a reply \
             is allowed within 24 hours{}",
            age.num_hours(),
            if human_agent {
                " (7 days with the HUMAN_AGENT tag)"
            } else {
                " (7 days needs `human_agent = true` on the account)"
            }
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn inside_a_day_it_is_a_response() {
        let body = message_body(
            Recipient::Person("42"),
            "hi",
            now() - Duration::hours(23),
            false,
            now(),
        )
        .unwrap();
        assert_eq!(
            body,
            json!({"recipient": {"id": "42"}, "messaging_type": "RESPONSE", "message": {"text": "hi"}})
        );
    }

    #[test]
    fn after_a_day_only_a_human_agent_may_answer_for_a_week() {
        let since = now() - Duration::hours(30);
        let tagged = message_body(Recipient::Person("42"), "hi", since, true, now()).unwrap();
        assert_eq!(tagged["messaging_type"], "MESSAGE_TAG");
        assert_eq!(tagged["tag"], "HUMAN_AGENT");
        let refused = message_body(Recipient::Person("42"), "hi", since, false, now());
        assert!(
            matches!(refused, Err(ConnectorError::Refused(ref why)) if why.contains("human_agent = true")),
            "{refused:?}"
        );
        let week = now() - Duration::days(8);
        assert!(message_body(Recipient::Person("42"), "hi", week, true, now()).is_err());
    }

    #[test]
    fn a_private_reply_names_the_comment_and_keeps_to_seven_days() {
        let body = message_body(
            Recipient::CommentAuthor("1_2"),
            "hi",
            now() - Duration::days(6),
            false,
            now(),
        )
        .unwrap();
        assert_eq!(body["recipient"], json!({"comment_id": "1_2"}));
        let late = message_body(
            Recipient::CommentAuthor("1_2"),
            "hi",
            now() - Duration::days(8),
            true,
            now(),
        );
        assert!(matches!(late, Err(ConnectorError::Refused(ref why)) if why.contains("7 days")));
    }
}
