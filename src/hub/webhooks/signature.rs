//! The webhook signatures, all HMAC-SHA256 (`ring::hmac`) and all compared in constant time:
//!
//! - Meta signs each delivery's raw body with the app secret: `X-Hub-Signature-256:
//!   sha256=<hex>`;
//! - X signs each delivery's raw body with the app's consumer secret:
//!   `x-twitter-webhooks-signature: sha256=<base64>`, and answers its challenge-response
//!   check (CRC) with `sha256=<base64 HMAC of the crc_token>`;
//! - Meta's subscription check sends back the verify token we chose: compared through an
//!   HMAC of both under a one-off key, so the comparison takes the same time wherever they
//!   differ.

use base64::Engine;
use ring::hmac;

/// The prefix both platforms put before the signature.
const SCHEME: &str = "sha256=";

/// A signing key for `secret`.
pub fn key(secret: &str) -> hmac::Key {
    hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes())
}

/// Whether `header` (`sha256=<hex>`) is Meta's signature of `body` under `key`.
pub fn meta_signed(key: &hmac::Key, body: &[u8], header: Option<&str>) -> bool {
    let Some(tag) = header.and_then(|h| h.strip_prefix(SCHEME)).and_then(hex) else {
        return false;
    };
    hmac::verify(key, body, &tag).is_ok()
}

/// Whether `header` (`sha256=<base64>`) is X's signature of `body` under `key`.
pub fn x_signed(key: &hmac::Key, body: &[u8], header: Option<&str>) -> bool {
    let Some(tag) = header
        .and_then(|h| h.strip_prefix(SCHEME))
        .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
    else {
        return false;
    };
    hmac::verify(key, body, &tag).is_ok()
}

/// X's CRC answer: `sha256=<base64 HMAC-SHA256(consumer secret, crc_token)>`.
pub fn x_response_token(key: &hmac::Key, crc_token: &str) -> String {
    let tag = hmac::sign(key, crc_token.as_bytes());
    format!(
        "{SCHEME}{}",
        base64::engine::general_purpose::STANDARD.encode(tag.as_ref())
    )
}

/// Whether two tokens are equal, in time that does not depend on where they differ.
pub fn same_token(given: &str, expected: &str) -> bool {
    let mut one_off = [0u8; 32];
    if ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut one_off).is_err() {
        return false;
    }
    let key = hmac::Key::new(hmac::HMAC_SHA256, &one_off);
    let expected_tag = hmac::sign(&key, expected.as_bytes());
    hmac::verify(&key, given.as_bytes(), expected_tag.as_ref()).is_ok()
}

/// Lower- or upper-case hex digits, two per byte.
fn hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex_of(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn sign_hex(key_bytes: &[u8], data: &[u8]) -> String {
        let key = hmac::Key::new(hmac::HMAC_SHA256, key_bytes);
        hex_of(hmac::sign(&key, data).as_ref())
    }

    /// RFC 4231, test cases 1, 2, 3 and 6 (HMAC-SHA-256).
    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        let cases: [(Vec<u8>, &[u8], &str); 4] = [
            (
                vec![0x0b; 20],
                b"Hi There",
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                b"Jefe".to_vec(),
                b"what do ya want for nothing?",
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (
                vec![0xaa; 20],
                &[0xdd; 50],
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
            ),
            (
                vec![0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First",
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
        ];
        for (key_bytes, data, expected) in cases {
            assert_eq!(sign_hex(&key_bytes, data), expected);
        }
    }

    #[test]
    fn meta_signatures_are_hex_and_checked_against_the_raw_body() {
        // The value a Meta webhook library documents for body "test" and secret "secret".
        let header = "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914";
        let key = key("secret");
        assert!(meta_signed(&key, b"test", Some(header)));
        assert!(meta_signed(
            &key,
            b"test",
            Some(&header.to_uppercase().replace("SHA256=", "sha256="))
        ));
        assert!(!meta_signed(&key, b"test ", Some(header)), "another body");
        assert!(
            !meta_signed(&super::key("secreT"), b"test", Some(header)),
            "another secret"
        );
        for bad in [
            "",
            "sha256=",
            "0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914",
            "sha1=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914",
            "SHA256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914",
            "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c091",
            "sha256=zz29a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914",
            "sha256=é329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914",
        ] {
            assert!(!meta_signed(&key, b"test", Some(bad)), "{bad}");
        }
        assert!(!meta_signed(&key, b"test", None));
    }

    #[test]
    fn x_tokens_and_signatures_are_base64() {
        // X's documented CRC example: this consumer secret and crc_token (the answer
        // computed independently, with Python's hmac and base64).
        let key = key("z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu");
        let token = x_response_token(&key, "9b4507b3-9040-4669-9ca3-6b94edb50553");
        assert_eq!(token, "sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=");
        let body = b"9b4507b3-9040-4669-9ca3-6b94edb50553";
        assert!(x_signed(&key, body, Some(&token)));
        assert!(!x_signed(&key, b"{}", Some(&token)));
        assert!(!x_signed(&key, body, Some("sha256=not base64!")));
        assert!(!x_signed(
            &key,
            body,
            Some(token.trim_start_matches("sha256="))
        ));
        assert!(!x_signed(&key, body, None));
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token("verify-me", "verify-me"));
        assert!(!same_token("verify-m", "verify-me"));
        assert!(!same_token("verify-me!", "verify-me"));
        assert!(!same_token("", "verify-me"));
    }
}
