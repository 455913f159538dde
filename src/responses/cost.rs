//! What an action costs before it is sent: X bills every post, DM and moderation call
//! (`pricing.rs`), and a post with a link costs about thirteen times one without. Pure, so
//! the hub, the CLI (`switchboard reply`) and the TUI (the review question, the moderation
//! confirmation; it has no connector) all show the same price. Platforms that bill nothing
//! have no cost: `None`.
//!
//! The link test is switchboard's estimate of X's: a word starting `http://`, `https://` or
//! `www.`, or a `name.tld` with a common top-level domain (X turns those into links too). A
//! shown price is what X's price list says for the action; X's own console is the record.

use super::pricing;
use crate::model::{Kind, Moderation, Platform};

/// Something a CM is about to send to a platform.
#[derive(Clone, Copy, Debug)]
pub enum Action<'a> {
    /// A reply (public, or a DM when the item is one) with this text.
    Reply { kind: Kind, text: &'a str },
    /// A moderation step.
    Moderate(&'a Moderation),
}

/// The price of one action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cost {
    /// Millionths of a US dollar.
    pub micros: u64,
    /// Why it costs what it does, when worth saying ("has a link").
    pub note: Option<&'static str>,
}

impl Cost {
    /// "costs $0.20 (has a link)", "costs $0.015".
    pub fn describe(&self) -> String {
        match self.note {
            Some(note) => format!("costs {} ({note})", price(self.micros)),
            None => format!("costs {}", price(self.micros)),
        }
    }
}

/// What `action` costs on `platform`; `None` where the platform bills nothing for it.
pub fn cost(platform: &Platform, action: Action<'_>) -> Option<Cost> {
    if *platform != Platform::X {
        return None;
    }
    let (micros, note) = match action {
        Action::Reply { kind: Kind::Dm, .. } => (pricing::DM_CREATE, None),
        Action::Reply { text, .. } if has_link(text) => {
            (pricing::CONTENT_CREATE_WITH_URL, Some("has a link"))
        }
        Action::Reply { .. } => (pricing::CONTENT_CREATE, None),
        Action::Moderate(Moderation::Hide | Moderation::Unhide | Moderation::Delete) => {
            (pricing::CONTENT_MANAGE, None)
        }
        Action::Moderate(Moderation::Mute) => (pricing::USER_INTERACTION_CREATE, None),
        // Not offered on X (see connectors::x::moderation): nothing is sent, nothing billed.
        Action::Moderate(Moderation::Block | Moderation::Report { .. } | Moderation::Dismiss) => {
            return None
        }
    };
    Some(Cost { micros, note })
}

/// `$0.20`, `$0.015`, `$0.005`: cents when the price is whole cents, else to the tenth of
/// a cent (or finer when needed).
pub fn price(micros: u64) -> String {
    if micros % 10_000 == 0 {
        return format!("${}.{:02}", micros / 1_000_000, micros % 1_000_000 / 10_000);
    }
    let fraction = format!("{:06}", micros % 1_000_000);
    let digits = fraction.trim_end_matches('0');
    format!("${}.{}", micros / 1_000_000, &digits[..digits.len().max(3)])
}

/// Top-level domains X is sure to link without a scheme (the common ones).
const COMMON_TLDS: [&str; 32] = [
    "com", "net", "org", "io", "co", "ly", "me", "app", "dev", "info", "biz", "us", "uk", "fr",
    "de", "es", "it", "nl", "be", "ch", "ca", "eu", "gg", "tv", "ai", "link", "shop", "store",
    "site", "online", "xyz", "gl",
];

/// Whether X would see a link in `text` (see the module doc).
pub fn has_link(text: &str) -> bool {
    text.split_whitespace().any(|word| {
        let word = word.trim_matches(|c: char| "()[]{}<>\"'.,;:!?".contains(c));
        let lower = word.to_ascii_lowercase();
        lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("www.")
            || bare_domain(&lower)
    })
}

/// `name.tld` or `name.tld/path` with a common top-level domain.
fn bare_domain(word: &str) -> bool {
    let host = word.split('/').next().unwrap_or_default();
    if word.contains('@') {
        return false;
    }
    match host.rsplit_once('.') {
        Some((name, tld)) => {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
                && COMMON_TLDS.contains(&tld)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(kind: Kind, text: &str) -> Option<Cost> {
        cost(&Platform::X, Action::Reply { kind, text })
    }

    #[test]
    fn a_post_with_a_link_costs_far_more_than_one_without() {
        let plain = reply(Kind::Comment, "Sorry about that, we are on it").unwrap();
        assert_eq!(plain.micros, 15_000);
        assert_eq!(plain.describe(), "costs $0.015");
        let linked = reply(Kind::Mention, "See https://help.example.com/a/1").unwrap();
        assert_eq!(linked.micros, 200_000);
        assert_eq!(linked.describe(), "costs $0.20 (has a link)");
        for text in [
            "go to www.acme.test",
            "status: acme.com/status",
            "(acme.io).",
        ] {
            assert_eq!(
                reply(Kind::Comment, text).unwrap().micros,
                200_000,
                "{text}"
            );
        }
    }

    #[test]
    fn words_with_dots_that_x_would_not_link_cost_the_plain_price() {
        for text in [
            "e.g. tomorrow",
            "version 2.0",
            "mail help@acme.com",
            "the end.",
        ] {
            assert_eq!(reply(Kind::Comment, text).unwrap().micros, 15_000, "{text}");
        }
    }

    #[test]
    fn a_dm_costs_a_dm_whatever_its_text() {
        let dm = reply(Kind::Dm, "https://acme.test/track").unwrap();
        assert_eq!(dm.micros, 15_000);
        assert_eq!(dm.note, None);
    }

    #[test]
    fn moderation_costs_what_x_charges_and_nothing_for_what_x_does_not_offer() {
        let on_x = |m: &Moderation| cost(&Platform::X, Action::Moderate(m)).map(|c| c.micros);
        assert_eq!(on_x(&Moderation::Hide), Some(5_000));
        assert_eq!(on_x(&Moderation::Delete), Some(5_000));
        assert_eq!(on_x(&Moderation::Mute), Some(15_000));
        assert_eq!(on_x(&Moderation::Block), None);
        assert_eq!(on_x(&Moderation::Dismiss), None);
    }

    #[test]
    fn other_platforms_are_free() {
        for platform in [Platform::Mastodon, Platform::Bluesky, Platform::Facebook] {
            let action = Action::Reply {
                kind: Kind::Comment,
                text: "https://acme.test",
            };
            assert_eq!(cost(&platform, action), None);
        }
    }

    #[test]
    fn prices_read_as_cents_or_finer() {
        assert_eq!(price(200_000), "$0.20");
        assert_eq!(price(15_000), "$0.015");
        assert_eq!(price(5_000), "$0.005");
        assert_eq!(price(1_234_500), "$1.2345");
        assert_eq!(price(0), "$0.00");
    }
}
