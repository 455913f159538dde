//! Platform-shaped identifiers: what a remote id, a thread id or an author id looks like on
//! each platform, and a mint that never hands out the same remote id twice.
//!
//! Shapes follow the real APIs closely enough to exercise parsing and display: Mastodon and
//! X snowflakes derived from the creation time, Bluesky `at://` URIs with TID record keys,
//! Facebook `object_object` ids, Instagram numeric ids, YouTube `Ug…` comment ids.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::dice::{self, Dice, BASE32_LOWER, BASE32_SORTABLE, BASE64URL};
use crate::model::{Author, Platform};

/// Milliseconds since the Unix epoch at which X (Twitter) snowflakes start counting.
const X_EPOCH_MS: i64 = 1_288_834_974_657;

/// What is being identified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A top-level post: a brand post, a video, a mention.
    Post,
    /// A public reply or comment under a post.
    Reply,
    /// A private message.
    Message,
}

/// Everything an id can depend on.
pub(crate) struct IdRequest<'a> {
    pub platform: &'a Platform,
    pub shape: Shape,
    pub at: DateTime<Utc>,
    /// The writer (Bluesky URIs and Facebook posts embed it).
    pub author: &'a Author,
    /// The thread's root post, for comment ids that embed it (Facebook).
    pub root: Option<&'a str>,
    /// What this answers, for reply ids that embed it (YouTube).
    pub parent: Option<&'a str>,
}

/// Hands out remote ids, each at most once per simulator.
#[derive(Default)]
pub(crate) struct IdMint {
    issued: HashSet<String>,
}

impl IdMint {
    /// A fresh remote id for a new item.
    pub fn remote_id(&mut self, rng: &mut Dice, req: &IdRequest<'_>) -> String {
        loop {
            let id = candidate(rng, req);
            if self.issued.insert(id.clone()) {
                return id;
            }
        }
    }
}

fn candidate(rng: &mut Dice, req: &IdRequest<'_>) -> String {
    match req.platform {
        Platform::Mastodon => mastodon_snowflake(rng, req.at),
        Platform::Bluesky => bluesky_id(rng, req),
        Platform::X => x_snowflake(rng, req.at),
        Platform::Facebook => facebook_id(rng, req),
        Platform::Instagram => instagram_id(rng, req.shape),
        Platform::Youtube => youtube_id(rng, req),
        Platform::Other(name) => format!("{name}-{}", dice::digits(rng, 16)),
    }
}

/// Mastodon ids: milliseconds shifted left 16 bits, plus a sequence (18 digits today).
fn mastodon_snowflake(rng: &mut Dice, at: DateTime<Utc>) -> String {
    let ms = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    ((ms << 16) | dice::between(rng, 0, 0xFFFF)).to_string()
}

/// X ids: milliseconds since the X epoch shifted 22 bits, worker and sequence (19 digits).
fn x_snowflake(rng: &mut Dice, at: DateTime<Utc>) -> String {
    let ms = u64::try_from(at.timestamp_millis() - X_EPOCH_MS).unwrap_or(0);
    ((ms << 22) | dice::between(rng, 0, (1 << 22) - 1)).to_string()
}

/// A TID: 53 bits of microseconds and 10 bits of clock id, in sortable base32 (13 chars).
pub(crate) fn tid(rng: &mut Dice, at: DateTime<Utc>) -> String {
    let micros = u64::try_from(at.timestamp_micros()).unwrap_or(0) & ((1 << 53) - 1);
    let value = (micros << 10) | dice::between(rng, 0, 1023);
    (0..13)
        .map(|i| {
            let shift = 60 - 5 * i;
            char::from(BASE32_SORTABLE[((value >> shift) & 31) as usize])
        })
        .collect()
}

fn bluesky_id(rng: &mut Dice, req: &IdRequest<'_>) -> String {
    let key = tid(rng, req.at);
    match req.shape {
        Shape::Message => key,
        Shape::Post | Shape::Reply => {
            format!("at://{}/app.bsky.feed.post/{key}", req.author.id)
        }
    }
}

/// Facebook: posts are `owner_post`, comments `post_comment`, Messenger ids `m_…`.
fn facebook_id(rng: &mut Dice, req: &IdRequest<'_>) -> String {
    match req.shape {
        Shape::Post => format!("{}_{}", req.author.id, dice::digits(rng, 15)),
        Shape::Reply => {
            let post = req
                .root
                .and_then(|root| root.split_once('_'))
                .map(|(_, post)| post.to_string())
                .unwrap_or_else(|| dice::digits(rng, 15));
            format!("{post}_{}", dice::digits(rng, 16))
        }
        Shape::Message => format!("m_{}", dice::string_of(rng, BASE64URL, 40)),
    }
}

/// Instagram: media and comments are 17–18 digit numbers, DM ids are opaque base64.
fn instagram_id(rng: &mut Dice, shape: Shape) -> String {
    match shape {
        Shape::Post => format!("179{}", dice::digits(rng, 15)),
        Shape::Reply => format!("178{}", dice::digits(rng, 14)),
        Shape::Message => format!(
            "aWdfZAG1faXRlbToxOklH{}",
            dice::string_of(rng, BASE64URL, 32)
        ),
    }
}

/// YouTube: videos have 11-character ids; top-level comments `Ug…4AaABAg`; replies
/// `<top-level id>.<22 chars>`.
fn youtube_id(rng: &mut Dice, req: &IdRequest<'_>) -> String {
    if req.shape == Shape::Post {
        return dice::string_of(rng, BASE64URL, 11);
    }
    match req.parent.filter(|p| p.starts_with("Ug")) {
        Some(parent) => {
            let top = parent.split('.').next().unwrap_or(parent);
            format!("{top}.{}", dice::string_of(rng, BASE64URL, 22))
        }
        None => format!(
            "Ug{}{}4AaABAg",
            char::from(dice::pick(rng, b"wxyz")),
            dice::string_of(rng, BASE64URL, 20)
        ),
    }
}

/// The conversation id of a DM between a customer and the brand. On X, Facebook, Instagram
/// and Bluesky there is one conversation per pair of accounts, so a returning customer's
/// messages land in the same thread; Mastodon has no such object, so its DM threads are
/// rooted at their first message.
pub(crate) fn dm_thread_id(
    platform: &Platform,
    customer: &Author,
    brand: &Author,
    first_message: &str,
) -> String {
    match platform {
        Platform::X => {
            let (a, b) = if (customer.id.len(), &customer.id) < (brand.id.len(), &brand.id) {
                (&customer.id, &brand.id)
            } else {
                (&brand.id, &customer.id)
            };
            format!("{a}-{b}")
        }
        Platform::Facebook => format!("t_{}", customer.id),
        Platform::Instagram => format!("aWdfZAG06MTpJR01lc3NhZ2VUaHJlYWQ6{}", customer.id),
        Platform::Bluesky => {
            let did = customer.id.trim_start_matches("did:plc:");
            did.chars().take(13).collect()
        }
        _ => first_message.to_string(),
    }
}

/// A platform-shaped id for an account (the `Author::id`).
pub(crate) fn author_id(rng: &mut Dice, platform: &Platform) -> String {
    match platform {
        Platform::Mastodon => {
            // Accounts created between 2017 and 2024, as Mastodon snowflakes.
            let ms = dice::between(rng, 1_490_000_000_000, 1_720_000_000_000);
            ((ms << 16) | dice::between(rng, 0, 0xFFFF)).to_string()
        }
        Platform::Bluesky => format!("did:plc:{}", dice::string_of(rng, BASE32_LOWER, 24)),
        Platform::X => {
            let len = dice::pick(rng, &[9usize, 10, 18, 19]);
            dice::digits(rng, len)
        }
        Platform::Facebook => dice::digits(rng, 16),
        Platform::Instagram => dice::digits(rng, 17),
        Platform::Youtube => format!("UC{}", dice::string_of(rng, BASE64URL, 22)),
        Platform::Other(_) => dice::digits(rng, 12),
    }
}

/// The Instagram shortcode of a numeric media id (base64url of the number), as used in
/// `/p/<shortcode>/` links.
pub(crate) fn instagram_shortcode(media_id: &str) -> String {
    let mut n: u64 = media_id.parse().unwrap_or(0);
    let mut out = Vec::new();
    while n > 0 {
        out.push(BASE64URL[(n % 64) as usize]);
        n /= 64;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn at() -> DateTime<Utc> {
        "2025-03-14T09:26:53.589Z".parse().unwrap()
    }

    #[test]
    fn snowflakes_have_platform_lengths() {
        let mut rng = Dice::seed_from_u64(3);
        assert_eq!(mastodon_snowflake(&mut rng, at()).len(), 18);
        assert_eq!(x_snowflake(&mut rng, at()).len(), 19);
    }

    #[test]
    fn tids_sort_by_time() {
        let mut rng = Dice::seed_from_u64(4);
        let early = tid(&mut rng, at());
        let late = tid(&mut rng, at() + chrono::Duration::seconds(1));
        assert_eq!(early.len(), 13);
        assert!(early < late, "{early} !< {late}");
    }

    #[test]
    fn youtube_replies_embed_their_top_level_comment() {
        let mut rng = Dice::seed_from_u64(5);
        let author = Author::default();
        let mut req = IdRequest {
            platform: &Platform::Youtube,
            shape: Shape::Reply,
            at: at(),
            author: &author,
            root: Some("dQw4w9WgXcQ"),
            parent: Some("dQw4w9WgXcQ"),
        };
        let top = youtube_id(&mut rng, &req);
        assert!(top.starts_with("Ug") && top.ends_with("4AaABAg"), "{top}");
        req.parent = Some(&top);
        let reply = youtube_id(&mut rng, &req);
        assert!(reply.starts_with(&format!("{top}.")), "{reply}");
    }

    #[test]
    fn shortcodes_are_base64url() {
        assert_eq!(instagram_shortcode("64"), "BA");
        assert!(instagram_shortcode("17912345678901234")
            .bytes()
            .all(|b| BASE64URL.contains(&b)));
    }
}
