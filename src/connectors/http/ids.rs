//! Ids that go into a request path. An id comes from a payload, the store or the config, so
//! it is untrusted: `../me` or `1?fields=…` in a path would make the call another call. Each
//! platform says which bytes its ids are made of; anything else is refused, naming the id
//! (cut and made printable).

use super::client::clip;
use crate::connectors::ConnectorError;

/// `id` when `fine` (the platform's rule held for it), else why not: "'ID' is not WHAT".
pub fn checked_id<'a>(id: &'a str, what: &str, fine: bool) -> Result<&'a str, ConnectorError> {
    if fine {
        Ok(id)
    } else {
        Err(ConnectorError::Refused(format!(
            "'{}' is not {what}",
            clip(id)
        )))
    }
}

/// Whether `id` is 1 to `max_len` bytes, all `allowed`.
pub fn made_of(id: &str, max_len: usize, allowed: impl Fn(u8) -> bool) -> bool {
    !id.is_empty() && id.len() <= max_len && id.bytes().all(allowed)
}

/// Letters, digits, `_` and `-`: the bytes of most platforms' ids.
pub fn word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_characters_and_lengths_are_refused() {
        let check = |id| checked_id(id, "an id", made_of(id, 8, word_byte));
        assert_eq!(check("ab_1-2"), Ok("ab_1-2"));
        for bad in ["", "../me", "1?x=1", "a/b", "a b", "123456789"] {
            let err = check(bad).unwrap_err();
            assert!(err.to_string().ends_with("is not an id"), "{err}");
        }
        let hostile = check("\u{1b}]0;x\u{7}").unwrap_err();
        assert!(!hostile.to_string().contains('\u{1b}'));
    }
}
