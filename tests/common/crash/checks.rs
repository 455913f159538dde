//! What the servers hold of the brand's answers at the end, checked against the items
//! answered: each reply exactly once, where it belongs, and nothing else.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{status_text, Platforms, BRAND_POSTS};

/// An item answered (as `list --json` shows it) and the reply's text.
pub struct Answer {
    pub item: Value,
    pub text: String,
}

impl Answer {
    pub fn str(&self, field: &str) -> &str {
        self.item[field].as_str().unwrap_or_default()
    }
}

/// Every Mastodon reply is one status by the brand, addressed to the customer, in reply to
/// the item's status, `direct` for a DM and `public` otherwise; nothing else was posted.
pub async fn mastodon(platforms: &Platforms, answers: &[Answer], sent: &BTreeMap<&str, &Value>) {
    let statuses = platforms.mastodon_statuses().await;
    let mut checked = 0;
    for answer in answers.iter().filter(|t| t.str("platform") == "mastodon") {
        let handle = answer.item["author"]["handle"].as_str().unwrap();
        let wanted = format!("@{handle} {}", answer.text);
        let found: Vec<&Value> = statuses
            .iter()
            .filter(|s| status_text(s) == wanted)
            .collect();
        assert_eq!(found.len(), 1, "{wanted:?} exactly once: {found:#?}");
        let status = found[0];
        assert_eq!(
            status["in_reply_to_id"], answer.item["remote_id"],
            "{status:#}"
        );
        let visibility = match answer.str("kind") {
            "dm" => "direct",
            _ => "public",
        };
        assert_eq!(status["visibility"], visibility, "{status:#}");
        assert_eq!(sent[answer.str("id")]["remote_id"], status["id"]);
        checked += 1;
    }
    assert_eq!(checked, platforms.mix.total());
    assert_eq!(
        statuses.len(),
        BRAND_POSTS + checked,
        "the brand's posts and one answer each, nothing more"
    );
}

/// Every Bluesky reply is one post record in the brand's repo whose `reply.parent` is the
/// item's post, or one chat message in the item's conversation; nothing else was written.
pub async fn bluesky(platforms: &Platforms, answers: &[Answer], sent: &BTreeMap<&str, &Value>) {
    let records = platforms.bluesky_posts().await;
    let messages = platforms.bluesky_messages();
    let bluesky: Vec<&Answer> = answers
        .iter()
        .filter(|t| t.str("platform") == "bluesky")
        .collect();
    for answer in bluesky.iter().filter(|t| t.str("kind") != "dm") {
        let found: Vec<&Value> = records
            .iter()
            .filter(|r| r["value"]["text"] == answer.text.as_str())
            .collect();
        assert_eq!(found.len(), 1, "{:?} exactly once: {found:#?}", answer.text);
        let record = found[0];
        assert_eq!(
            record["value"]["reply"]["parent"]["uri"], answer.item["remote_id"],
            "{record:#}"
        );
        assert_eq!(sent[answer.str("id")]["remote_id"], record["uri"]);
    }
    for answer in bluesky.iter().filter(|t| t.str("kind") == "dm") {
        let found: Vec<&(String, String)> = messages
            .iter()
            .filter(|(_, text)| *text == answer.text)
            .collect();
        assert_eq!(found.len(), 1, "{:?} exactly once: {found:#?}", answer.text);
        assert_eq!(Some(found[0].0.as_str()), answer.item["thread_id"].as_str());
    }
    let mix = platforms.mix;
    assert_eq!(records.len(), BRAND_POSTS + mix.mentions + mix.comments);
    assert_eq!(messages.len(), mix.dms);
}
