//! X's two requests on `{prefix}/x` (Account Activity API):
//!
//! - the challenge-response check, `GET ?crc_token=…`: `{"response_token": "sha256=<base64
//!   HMAC-SHA256(consumer secret, crc_token)>"}`, which X asks for when the webhook is
//!   registered and about daily after;
//! - a delivery, `POST` with `x-twitter-webhooks-signature: sha256=<base64 HMAC of the raw
//!   body>`: 403 unless signed with the consumer secret, then `for_user_id` wakes the X
//!   account whose `user_id` it is. 200 at once, also for a user not configured here.

use serde_json::Value;

use super::endpoint::{Answer, Endpoint};
use super::signature;
use super::targets::Target;

/// The longest `crc_token` answered.
const MAX_CRC_TOKEN: usize = 512;

/// `GET {prefix}/x`: the challenge-response check.
pub fn crc(key: &ring::hmac::Key, query: &[(String, String)]) -> Answer {
    let token = query
        .iter()
        .find(|(k, _)| k == "crc_token")
        .map(|(_, v)| v.as_str())
        .filter(|t| !t.is_empty() && t.len() <= MAX_CRC_TOKEN);
    match token {
        Some(token) => {
            let body = serde_json::json!({
                "response_token": signature::x_response_token(key, token)
            });
            Answer::json(200, &body)
        }
        None => Answer::text(400, "crc_token missing"),
    }
}

/// `POST {prefix}/x`: a delivery.
pub fn deliver(
    endpoint: &Endpoint,
    key: &ring::hmac::Key,
    signature: Option<&str>,
    body: &[u8],
) -> Answer {
    if !signature::x_signed(key, body, signature) {
        return endpoint.reject("x", 403, "bad or missing x-twitter-webhooks-signature");
    }
    let Ok(payload) = serde_json::from_slice::<Value>(body) else {
        return endpoint.reject("x", 400, "signed, but not JSON");
    };
    let user = match payload.get("for_user_id") {
        Some(Value::String(id)) if !id.is_empty() => Some(id.clone()),
        Some(Value::Number(id)) => Some(id.to_string()),
        _ => None,
    };
    match &user {
        Some(user) => endpoint.accept("x", &[Target::XUser(user)]),
        None => {
            endpoint.not_ours("x", "no for_user_id", 1);
            endpoint.accept("x", &[])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crc_answer_is_json_with_the_signed_token() {
        let key = signature::key("z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu");
        let query = vec![(
            "crc_token".to_string(),
            "9b4507b3-9040-4669-9ca3-6b94edb50553".to_string(),
        )];
        let answer = crc(&key, &query);
        assert_eq!(answer.status, 200);
        let body: Value = serde_json::from_str(&answer.body).unwrap();
        assert_eq!(
            body["response_token"],
            "sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8="
        );
        assert_eq!(crc(&key, &[]).status, 400);
    }
}
