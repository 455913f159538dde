//! The platforms of the outbox crash test (`tests/outbox_crash.rs`): mastodon-mock and the
//! Bluesky dev-env network (with the loopback chat service for DMs), each with a brand and
//! customers who write to it, and what the servers hold of the brand's answers, read from
//! the servers themselves (never from switchboard's store).

pub mod checks;
pub mod runs;
mod seed;

use std::collections::BTreeMap;
use std::time::Instant;

use serde_json::Value;

use super::bluesky::{self, BlueskyNet};
use super::bsky_chat::ChatServer;
use super::mastodon::{self, MastodonMock};
use super::Home;
use seed::{seed_bluesky, seed_mastodon};

/// How many messages of each kind the customers write, per platform.
#[derive(Clone, Copy, Debug)]
pub struct Mix {
    pub mentions: usize,
    pub comments: usize,
    pub dms: usize,
}

impl Mix {
    pub fn total(&self) -> usize {
        self.mentions + self.comments + self.dms
    }
}

/// Posts of the brand that customers answer (the comments are spread over them).
pub const BRAND_POSTS: usize = 4;

/// Both platforms, seeded.
pub struct Platforms {
    pub mastodon: MastodonMock,
    pub mastodon_brand: mastodon::Account,
    pub net: BlueskyNet,
    pub chat: ChatServer,
    pub bluesky_brand: bluesky::Account,
    /// The Bluesky DM conversations, by the customer's handle.
    pub convos: BTreeMap<String, String>,
    /// What the customers wrote on each platform.
    pub mix: Mix,
}

impl Platforms {
    /// Starts both servers (Mastodon's on a thread while the Bluesky network comes up) and
    /// has the customers write `mix` on each.
    pub async fn start(mix: Mix) -> Platforms {
        let mastodon = std::thread::spawn(MastodonMock::start);
        let net = BlueskyNet::start();
        let mastodon = mastodon.join().expect("mastodon-mock started");
        let chat = ChatServer::start().await;
        let started = Instant::now();
        let mastodon_brand = seed_mastodon(&mastodon, mix).await;
        let (bluesky_brand, convos) = seed_bluesky(&net, &chat, mix).await;
        println!("both platforms seeded in {:.1?}", started.elapsed());
        Platforms {
            mastodon,
            mastodon_brand,
            net,
            chat,
            bluesky_brand,
            convos,
            mix,
        }
    }

    /// A home with both accounts (secrets read from files through `token_cmd` and
    /// `password_cmd`).
    pub fn home(&self) -> Home {
        let home = Home::new();
        let token = home.path().join("mastodon.token");
        std::fs::write(&token, &self.mastodon_brand.token).unwrap();
        let password = home.path().join("bsky.password");
        std::fs::write(&password, &self.bluesky_brand.password).unwrap();
        let config = format!(
            r#"
[[accounts]]
name = "acme-masto"
platform = "mastodon"
api_base = "{masto}"
token_cmd = "cat {token}"
poll_interval = 30
timeout = 5

[[accounts]]
name = "acme-bsky"
platform = "bluesky"
api_base = "{pds}"
identifier = "{handle}"
password_cmd = "cat {password}"
chat_api_base = "{chat}"
poll_interval = 30
timeout = 10
"#,
            masto = self.mastodon.base_url(),
            token = token.display(),
            pds = self.net.pds,
            handle = self.bluesky_brand.handle,
            password = password.display(),
            chat = self.chat.base(),
        );
        std::fs::write(home.path().join("config.toml"), config).unwrap();
        home
    }

    /// The brand's statuses on Mastodon, newest first.
    pub async fn mastodon_statuses(&self) -> Vec<Value> {
        self.mastodon.all_statuses_by(&self.mastodon_brand).await
    }

    /// The brand's post records on its Bluesky PDS (`{uri, cid, value}`), read from the
    /// repo with `com.atproto.repo.listRecords`.
    pub async fn bluesky_posts(&self) -> Vec<Value> {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut query = vec![
                ("repo", self.bluesky_brand.did.as_str()),
                ("collection", "app.bsky.feed.post"),
                ("limit", "100"),
            ];
            if let Some(c) = &cursor {
                query.push(("cursor", c.as_str()));
            }
            let page = self
                .net
                .query(None, "com.atproto.repo.listRecords", &query)
                .await
                .unwrap_or_else(|e| panic!("listRecords: {e:?}"));
            let records = page["records"].as_array().cloned().unwrap_or_default();
            let next = page["cursor"].as_str().map(str::to_string);
            let done = records.is_empty() || next.is_none() || next == cursor;
            all.extend(records);
            if done {
                return all;
            }
            cursor = next;
        }
    }

    /// The brand's chat messages: (convo id, text).
    pub fn bluesky_messages(&self) -> Vec<(String, String)> {
        self.convos
            .values()
            .flat_map(|convo| {
                self.chat
                    .messages(convo)
                    .into_iter()
                    .filter(|(sender, _, _)| *sender == self.bluesky_brand.did)
                    .map(move |(_, text, _)| (convo.clone(), text))
            })
            .collect()
    }

    /// Every text the brand wrote anywhere (posts, statuses as plain text, DMs), with how
    /// many times each is there.
    pub async fn brand_texts(&self) -> BTreeMap<String, usize> {
        let mut texts = BTreeMap::new();
        for status in self.mastodon_statuses().await {
            *texts.entry(status_text(&status)).or_default() += 1;
        }
        for record in self.bluesky_posts().await {
            let text = record["value"]["text"].as_str().unwrap_or_default();
            *texts.entry(text.to_string()).or_default() += 1;
        }
        for (_, text) in self.bluesky_messages() {
            *texts.entry(text).or_default() += 1;
        }
        texts
    }
}

/// A mock status's content as plain text (the mock writes `<p>@alice on its way</p>`,
/// without links or entities for the texts used here).
pub fn status_text(status: &Value) -> String {
    let html = status["content"].as_str().unwrap_or_default();
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&")
}
