//! X API v2 answers as the connector reads them: every field optional (the recorded mentions
//! carry no `author_id` or `created_at`; a field may be absent whenever the app did not ask
//! for it), read leniently from the JSON, so one odd field never costs the whole page. What
//! is required (an id) is decided where the item is made (`items`).
//!
//! A list answer is `{"data": [...], "includes": {"users": [...]}, "meta": {...}}`, possibly
//! with `errors` (partial errors next to data, or alone).

use std::collections::HashMap;

use serde_json::Value;

/// A field as text: strings as they are, numbers written out, anything else absent.
pub fn text(value: &Value, field: &str) -> Option<String> {
    match value.get(field)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A list answer.
#[derive(Clone, Debug, Default)]
pub struct ListAnswer {
    /// The entries of `data` (a lone object counts as one).
    pub data: Vec<Value>,
    /// `includes.users`, by id.
    pub users: HashMap<String, User>,
    /// `meta.next_token`: another (older) page waits.
    pub next_token: Option<String>,
    /// The `errors` entries, each as the platform's words (next to data: what X could not
    /// give, such as a deleted post of a lookup).
    pub errors: Vec<String>,
}

impl ListAnswer {
    pub fn read(body: &Value) -> ListAnswer {
        let data = match body.get("data") {
            Some(Value::Array(items)) => items.clone(),
            Some(item @ Value::Object(_)) => vec![item.clone()],
            _ => Vec::new(),
        };
        let users = body
            .pointer("/includes/users")
            .and_then(Value::as_array)
            .map(|users| users.iter().filter_map(User::read).collect())
            .unwrap_or_default();
        let meta = body.get("meta").cloned().unwrap_or(Value::Null);
        ListAnswer {
            data,
            users,
            next_token: text(&meta, "next_token").filter(|t| !t.is_empty()),
            errors: errors(body),
        }
    }

    /// Whether the answer is only errors (no data, no meta): the call failed.
    pub fn failed(body: &Value) -> bool {
        body.get("data").is_none() && body.get("meta").is_none() && !errors(body).is_empty()
    }
}

/// A user from `includes.users`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: Option<String>,
    pub name: Option<String>,
}

impl User {
    fn read(value: &Value) -> Option<(String, User)> {
        let id = text(value, "id").filter(|id| !id.is_empty())?;
        let user = User {
            id: id.clone(),
            username: text(value, "username"),
            name: text(value, "name"),
        };
        Some((id, user))
    }
}

/// The words of each entry of `errors` (`detail`, `message`, or `title`).
pub fn errors(body: &Value) -> Vec<String> {
    body.get("errors")
        .and_then(Value::as_array)
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| {
                    text(e, "detail")
                        .or_else(|| text(e, "message"))
                        .or_else(|| text(e, "title"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The id of the post a post replies to (its `replied_to` reference).
pub fn replied_to(tweet: &Value) -> Option<String> {
    tweet
        .get("referenced_tweets")?
        .as_array()?
        .iter()
        .find(|r| r.get("type").and_then(Value::as_str) == Some("replied_to"))
        .and_then(|r| text(r, "id"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_list_answer_reads_what_is_there_and_skips_the_rest() {
        let body = json!({
            "data": [{"id": "1"}, {"id": 2}],
            "includes": {"users": [{"id": "9", "username": "claire"}, {"name": "no id"}]},
            "meta": {"next_token": "abc", "newest_id": "2", "result_count": 2},
            "errors": [{"detail": "Could not find tweet 3", "title": "Not Found Error"}]
        });
        let answer = ListAnswer::read(&body);
        assert_eq!(answer.data.len(), 2);
        assert_eq!(answer.users.len(), 1);
        assert_eq!(answer.users["9"].username.as_deref(), Some("claire"));
        assert_eq!(answer.next_token.as_deref(), Some("abc"));
        assert_eq!(answer.errors, vec!["Could not find tweet 3".to_string()]);
        assert!(!ListAnswer::failed(&body));
        assert!(ListAnswer::failed(&json!({"errors": [{"message": "no"}]})));
        assert!(!ListAnswer::failed(&json!({"meta": {"result_count": 0}})));
    }

    #[test]
    fn the_parent_is_the_replied_to_reference() {
        let tweet = json!({"referenced_tweets": [
            {"type": "quoted", "id": "5"}, {"type": "replied_to", "id": "7"}]});
        assert_eq!(replied_to(&tweet).as_deref(), Some("7"));
        assert_eq!(replied_to(&json!({"id": "1"})), None);
    }
}
