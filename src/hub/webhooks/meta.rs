//! Meta's two requests on `{prefix}/meta`:
//!
//! - the subscription check, `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`:
//!   the challenge back (200) when the token is ours, 403 otherwise;
//! - a delivery, `POST` with `X-Hub-Signature-256: sha256=<hex HMAC of the raw body>`: 403
//!   unless signed with the app secret, then every entry of `{"object": "page" |
//!   "instagram", "entry": [{"id": …}]}` wakes the Facebook account whose `page_id` (or the
//!   Instagram account whose `ig_user_id`) is the entry's id, after handing the entry to
//!   that account's connector (`Connector::pushed`: Instagram keeps the comment ids of
//!   `mentions` changes, which it cannot poll). The answer is 200 at once,
//!   also for ids not configured here (counted), since Meta retries what is not 200.

use serde_json::Value;

use super::endpoint::{Answer, Endpoint};
use super::routes::MetaKeys;
use super::signature;
use super::targets::Target;

/// The longest challenge echoed back.
const MAX_CHALLENGE: usize = 512;

/// `GET {prefix}/meta`: Meta's subscription check.
pub fn verify(keys: &MetaKeys, query: &[(String, String)]) -> Answer {
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let token_ok = param("hub.verify_token")
        .is_some_and(|given| signature::same_token(given, keys.verify_token.expose()));
    match (param("hub.mode"), param("hub.challenge")) {
        (Some("subscribe"), Some(challenge))
            if token_ok && !challenge.is_empty() && challenge.len() <= MAX_CHALLENGE =>
        {
            Answer::text(200, challenge)
        }
        _ => {
            tracing::warn!("Meta webhook subscription check refused: wrong verify token or mode");
            Answer::text(403, "forbidden")
        }
    }
}

/// `POST {prefix}/meta`: a delivery.
pub fn deliver(
    endpoint: &Endpoint,
    keys: &MetaKeys,
    signature: Option<&str>,
    body: &[u8],
) -> Answer {
    if !signature::meta_signed(&keys.app_secret, body, signature) {
        return endpoint.reject("meta", 403, "bad or missing X-Hub-Signature-256");
    }
    let Ok(payload) = serde_json::from_slice::<Value>(body) else {
        return endpoint.reject("meta", 400, "signed, but not JSON");
    };
    let object = payload.get("object").and_then(Value::as_str).unwrap_or("");
    let ids: Vec<String> = payload
        .get("entry")
        .and_then(Value::as_array)
        .map(|entries| entries.iter().filter_map(|e| id_of(e.get("id"))).collect())
        .unwrap_or_default();
    let instagram = match object {
        "page" => false,
        "instagram" => true,
        _ => {
            endpoint.not_ours("meta", object, ids.len().max(1));
            return endpoint.accept("meta", &[]);
        }
    };
    let entries = payload.get("entry").and_then(Value::as_array);
    for entry in entries.into_iter().flatten() {
        if let Some(id) = id_of(entry.get("id")) {
            endpoint.hand_over(target(instagram, &id), entry);
        }
    }
    let targets: Vec<Target<'_>> = ids.iter().map(|id| target(instagram, id)).collect();
    endpoint.accept("meta", &targets)
}

/// An entry id, as Meta writes it (a string, sometimes a number).
/// The account an entry names: an Instagram account's id, or a Page's.
fn target(instagram: bool, id: &str) -> Target<'_> {
    match instagram {
        true => Target::Instagram(id),
        false => Target::Page(id),
    }
}

fn id_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(id) if !id.is_empty() => Some(id.clone()),
        Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectors::credentials::Secret;

    fn keys() -> MetaKeys {
        MetaKeys {
            app_secret: signature::key("app"),
            verify_token: Secret::new("verify-me"),
        }
    }

    fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_subscription_check_echoes_the_challenge_only_for_our_token() {
        let good = query(&[
            ("hub.mode", "subscribe"),
            ("hub.verify_token", "verify-me"),
            ("hub.challenge", "1158201444"),
        ]);
        let answer = verify(&keys(), &good);
        assert_eq!((answer.status, answer.body.as_str()), (200, "1158201444"));
        for bad in [
            query(&[
                ("hub.mode", "subscribe"),
                ("hub.verify_token", "verify-mf"),
                ("hub.challenge", "1"),
            ]),
            query(&[
                ("hub.mode", "unsubscribe"),
                ("hub.verify_token", "verify-me"),
                ("hub.challenge", "1"),
            ]),
            query(&[("hub.mode", "subscribe"), ("hub.challenge", "1")]),
            query(&[("hub.mode", "subscribe"), ("hub.verify_token", "verify-me")]),
        ] {
            assert_eq!(verify(&keys(), &bad).status, 403, "{bad:?}");
        }
    }

    #[test]
    fn entry_ids_are_strings_or_numbers() {
        assert_eq!(id_of(Some(&Value::from("17841"))), Some("17841".into()));
        assert_eq!(id_of(Some(&Value::from(17841u64))), Some("17841".into()));
        assert_eq!(id_of(Some(&Value::from(""))), None);
        assert_eq!(id_of(None), None);
    }
}
