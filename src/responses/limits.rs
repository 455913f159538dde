//! How long a reply may be on each platform, counted the way the platform counts.
//!
//! A reply that is too long is refused by the platform after the CM pressed send, so the
//! composer counts live and the hub refuses before queueing. Each platform counts
//! differently:
//!
//! - **X**: 280 *weighted* characters (twitter-text v3): most Latin, Greek, Cyrillic and
//!   punctuation weigh 1, everything else (CJK, emoji sequences, ...) 2; every URL counts 23
//!   whatever its length. (twitter-text also NFC-normalizes and finds URLs without a scheme;
//!   here a URL is `http://` or `https://` up to the next space.)
//! - **Bluesky**: 300 graphemes (user-perceived characters: an emoji with a skin tone is one).
//! - **Mastodon**: 500 characters; a URL counts 23, and a mention `@user@domain` counts as
//!   `@user` (the server's rule).
//! - **Instagram** 2,200, **Facebook** 8,000 and **YouTube** 10,000 characters.
//!
//! A direct message (a DM answer, or a private reply to a comment) has its own limit where
//! the platform's messaging API sets one: **Messenger** 2,000 characters, **Instagram**
//! 1,000 bytes of UTF-8, **X** 10,000 characters, **Bluesky** chat 1,000 graphemes.
//!
//! Platforms switchboard does not know have no limit here (the hub still caps a reply).

use unicode_segmentation::UnicodeSegmentation;

use crate::model::Platform;

/// What every URL counts on X and Mastodon (the length of their link shorteners).
const URL_WEIGHT: usize = 23;

/// A reply's length against its platform's limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Length {
    /// What the text counts, in the platform's unit.
    pub used: usize,
    /// The platform's limit, if switchboard knows one.
    pub limit: Option<usize>,
    /// The unit the platform counts in ("characters", "weighted characters", "graphemes").
    pub unit: &'static str,
}

impl Length {
    /// Whether the platform accepts this length.
    pub fn fits(&self) -> bool {
        self.limit.is_none_or(|limit| self.used <= limit)
    }

    /// How much is left (negative: how much too long), if there is a limit.
    pub fn left(&self) -> Option<i64> {
        self.limit.map(|limit| limit as i64 - self.used as i64)
    }

    /// "312/300 graphemes", for error messages and the composer.
    pub fn describe(&self) -> String {
        match self.limit {
            Some(limit) => format!("{}/{limit} {}", self.used, self.unit),
            None => format!("{} {}", self.used, self.unit),
        }
    }
}

/// The platform's limit on one reply, if known.
pub fn limit(platform: &Platform) -> Option<usize> {
    match platform {
        Platform::X => Some(280),
        Platform::Bluesky => Some(300),
        Platform::Mastodon => Some(500),
        Platform::Instagram => Some(2_200),
        Platform::Facebook => Some(8_000),
        Platform::Youtube => Some(10_000),
        Platform::Other(_) => None,
    }
}

/// Counts `text` as a reply on `platform`: a direct message (`direct`) where the platform's
/// messaging API counts differently, else a public post.
pub fn measure_reply(platform: &Platform, direct: bool, text: &str) -> Length {
    if !direct {
        return measure(platform, text);
    }
    let (used, limit, unit) = match platform {
        Platform::Facebook => (text.chars().count(), 2_000, "characters"),
        Platform::Instagram => (text.len(), 1_000, "bytes"),
        Platform::X => (text.chars().count(), 10_000, "characters"),
        Platform::Bluesky => (text.graphemes(true).count(), 1_000, "graphemes"),
        _ => return measure(platform, text),
    };
    Length {
        used,
        limit: Some(limit),
        unit,
    }
}

/// Counts `text` the way `platform` does.
pub fn measure(platform: &Platform, text: &str) -> Length {
    let (used, unit) = match platform {
        Platform::X => (x_weighted(text), "weighted characters"),
        Platform::Bluesky => (text.graphemes(true).count(), "graphemes"),
        Platform::Mastodon => (mastodon_count(text), "characters"),
        _ => (text.chars().count(), "characters"),
    };
    Length {
        used,
        limit: limit(platform),
        unit,
    }
}

/// Splits text into URLs and the rest, in order.
fn split_urls(text: &str) -> Vec<(bool, &str)> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = find_url_start(rest) {
        let end = rest[start..]
            .find(char::is_whitespace)
            .map_or(rest.len(), |n| start + n);
        if start > 0 {
            parts.push((false, &rest[..start]));
        }
        parts.push((true, &rest[start..end]));
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        parts.push((false, rest));
    }
    parts
}

/// Where the next `http://` or `https://` starting a word is.
fn find_url_start(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(n) = text[from..].find("http") {
        let at = from + n;
        let starts_word = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || "([{\"'".contains(c));
        let tail = &text[at..];
        let scheme = tail.starts_with("https://") || tail.starts_with("http://");
        if starts_word && scheme && tail.len() > "https://".len() {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

/// twitter-text v3: a URL weighs 23, an emoji sequence 2, a character in the light ranges
/// 1, anything else 2.
fn x_weighted(text: &str) -> usize {
    split_urls(text)
        .into_iter()
        .map(|(url, part)| if url { URL_WEIGHT } else { x_plain(part) })
        .sum()
}

fn x_plain(text: &str) -> usize {
    text.graphemes(true)
        .map(|g| {
            if is_emoji(g) {
                2
            } else {
                g.chars().map(x_char_weight).sum()
            }
        })
        .sum()
}

fn x_char_weight(c: char) -> usize {
    let light = matches!(
        c as u32,
        0..=4351 | 8192..=8205 | 8208..=8223 | 8242..=8247
    );
    if light {
        1
    } else {
        2
    }
}

/// An emoji grapheme: a pictograph, or a sequence joined or modified the way emoji are.
fn is_emoji(grapheme: &str) -> bool {
    // 0x1F000..=0x1FAFF includes the regional indicators of flags (0x1F1E6..=0x1F1FF).
    grapheme
        .chars()
        .any(|c| matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x200D | 0xFE0F))
}

/// Mastodon: characters, with each URL as 23 and `@user@domain` as `@user`.
fn mastodon_count(text: &str) -> usize {
    split_urls(text)
        .into_iter()
        .map(|(url, part)| {
            if url {
                URL_WEIGHT
            } else {
                part.split_inclusive(char::is_whitespace)
                    .map(mastodon_word)
                    .sum()
            }
        })
        .sum()
}

fn mastodon_word(word: &str) -> usize {
    let count = word.chars().count();
    let Some(handle) = word.trim_end().strip_prefix('@') else {
        return count;
    };
    match handle.split_once('@') {
        Some((user, domain)) if !user.is_empty() && domain.contains('.') => {
            count - domain.chars().count() - 1
        }
        _ => count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used(platform: Platform, text: &str) -> usize {
        measure(&platform, text).used
    }

    #[test]
    fn x_weighs_latin_one_cjk_and_emoji_two_and_urls_23() {
        assert_eq!(used(Platform::X, "hello"), 5);
        assert_eq!(used(Platform::X, "café — ok"), 9);
        assert_eq!(used(Platform::X, "日本語"), 6);
        assert_eq!(used(Platform::X, "👍"), 2);
        assert_eq!(used(Platform::X, "👍🏽"), 2, "a skin tone is one emoji");
        assert_eq!(used(Platform::X, "👨‍👩‍👧"), 2, "a family sequence is one emoji");
        let url = "https://example.com/a/very/long/path/that/goes/on/and/on";
        assert_eq!(used(Platform::X, &format!("see {url} now")), 4 + 23 + 4);
        assert_eq!(used(Platform::X, "https://"), 8, "a bare scheme is no URL");
    }

    #[test]
    fn x_limit_is_280_weighted() {
        assert!(measure(&Platform::X, &"a".repeat(280)).fits());
        assert!(!measure(&Platform::X, &"日".repeat(141)).fits());
        assert_eq!(measure(&Platform::X, &"日".repeat(141)).left(), Some(-2));
    }

    #[test]
    fn bluesky_counts_graphemes() {
        assert_eq!(used(Platform::Bluesky, "e\u{301}"), 1);
        assert_eq!(used(Platform::Bluesky, "👍🏽👍"), 2);
        assert_eq!(measure(&Platform::Bluesky, "x").limit, Some(300));
    }

    #[test]
    fn mastodon_counts_urls_as_23_and_remote_mentions_by_username() {
        assert_eq!(used(Platform::Mastodon, "@claire@mastodon.example hi"), 10);
        assert_eq!(used(Platform::Mastodon, "@claire hi"), 10);
        assert_eq!(used(Platform::Mastodon, "mail me@ok"), 10);
        let long = format!("https://example.com/{}", "x".repeat(100));
        assert_eq!(used(Platform::Mastodon, &long), 23);
    }

    #[test]
    fn other_platforms_count_characters_against_their_limits() {
        assert_eq!(measure(&Platform::Instagram, "é").limit, Some(2_200));
        let dm = measure_reply(&Platform::Instagram, true, "é");
        assert_eq!((dm.used, dm.limit, dm.unit), (2, Some(1_000), "bytes"));
        let messenger = measure_reply(&Platform::Facebook, true, &"a".repeat(2_001));
        assert!(!messenger.fits(), "{}", messenger.describe());
        assert_eq!(
            measure_reply(&Platform::Mastodon, true, "hi"),
            measure(&Platform::Mastodon, "hi")
        );
        assert_eq!(measure(&Platform::Facebook, "é").limit, Some(8_000));
        assert_eq!(measure(&Platform::Youtube, "é").limit, Some(10_000));
        let other = measure(&Platform::Other("forum".into()), "abc");
        assert!(other.fits());
        assert_eq!(other.describe(), "3 characters");
        assert_eq!(
            measure(&Platform::Bluesky, "ab").describe(),
            "2/300 graphemes"
        );
    }
}
