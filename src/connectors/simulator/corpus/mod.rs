//! The phrase banks the simulator writes from: what customers say, per topic and language,
//! and what the brand posts and answers.
//!
//! Texts are templates with `{placeholders}` (see `compose::Fill`): `{brand}`, `{at}` (how
//! the brand is tagged on that platform), `{order}`, `{product}`, `{city}`, `{price}`,
//! `{days}`, `{first}`, `{outlet}`, `{track}`, `{photo}`. English and French are complete;
//! the other languages are small and sparse on purpose, and anything they lack falls back
//! to English (see [`Language::or_english`]).

mod en;
mod fr;
mod names;
mod other;

use std::fmt;

use serde::{Deserialize, Serialize};

pub(crate) use names::{NameBank, SPAMMER_NAMES, TROLL_NAMES};

/// What a customer is writing about. Exposed so tests and tools can ask the simulator why
/// it wrote an item (`Simulator::topic_of`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    LateOrder,
    Refund,
    Damaged,
    Praise,
    ProductQuestion,
    StoreHours,
    Checkout,
    Troll,
    Insult,
    Spam,
    LegalThreat,
    Journalist,
    Influencer,
}

impl Topic {
    pub const ALL: [Topic; 13] = [
        Topic::LateOrder,
        Topic::Refund,
        Topic::Damaged,
        Topic::Praise,
        Topic::ProductQuestion,
        Topic::StoreHours,
        Topic::Checkout,
        Topic::Troll,
        Topic::Insult,
        Topic::Spam,
        Topic::LegalThreat,
        Topic::Journalist,
        Topic::Influencer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::LateOrder => "late_order",
            Topic::Refund => "refund",
            Topic::Damaged => "damaged",
            Topic::Praise => "praise",
            Topic::ProductQuestion => "product_question",
            Topic::StoreHours => "store_hours",
            Topic::Checkout => "checkout",
            Topic::Troll => "troll",
            Topic::Insult => "insult",
            Topic::Spam => "spam",
            Topic::LegalThreat => "legal_threat",
            Topic::Journalist => "journalist",
            Topic::Influencer => "influencer",
        }
    }

    /// Angry topics get angrier voices (capitals, 😡).
    pub(crate) fn is_angry(self) -> bool {
        matches!(
            self,
            Topic::LateOrder | Topic::Refund | Topic::Damaged | Topic::Insult | Topic::LegalThreat
        )
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What customers write about one topic in one language.
pub(crate) struct Bank {
    pub topic: Topic,
    /// First messages.
    pub openers: &'static [&'static str],
    /// What the same customer adds later in the same conversation.
    pub follow_ups: &'static [&'static str],
}

/// What the brand itself writes.
pub(crate) struct BrandVoice {
    /// The brand's own posts, which comments answer.
    pub posts: &'static [&'static str],
    /// Answers to a problem (late, refund, damaged, checkout); some ask for the order number.
    pub issue: &'static [&'static str],
    pub praise: &'static [&'static str],
    pub hours: &'static [&'static str],
    pub answer: &'static [&'static str],
    /// Answers that hand a matter over to the right team (legal threats).
    pub escalation: &'static [&'static str],
    /// Answers to journalists.
    pub press: &'static [&'static str],
}

/// Everything written in one language.
pub(crate) struct Language {
    /// ISO 639-1 code, set as the item's `lang`.
    pub code: &'static str,
    pub names: NameBank,
    pub banks: &'static [Bank],
    /// "Anyone there?" after a silence.
    pub nudges: &'static [&'static str],
    pub thanks: &'static [&'static str],
    pub still_waiting: &'static [&'static str],
    /// Giving the order number the brand asked for.
    pub details: &'static [&'static str],
    /// Another customer chiming in under a comment ("same here").
    pub joins: &'static [&'static str],
    pub greetings: &'static [&'static str],
    pub signoffs: &'static [&'static str],
    pub products: &'static [&'static str],
    pub cities: &'static [&'static str],
    pub prices: &'static [&'static str],
    pub brand: BrandVoice,
}

pub(crate) const EMPTY_VOICE: BrandVoice = BrandVoice {
    posts: &[],
    issue: &[],
    praise: &[],
    hours: &[],
    answer: &[],
    escalation: &[],
    press: &[],
};

pub(crate) const ENGLISH: &Language = &en::ENGLISH;
pub(crate) const FRENCH: &Language = &fr::FRENCH;

/// The sparse languages, each with a few topics, for the occasional non-EN/FR customer.
pub(crate) const OTHERS: [&Language; 6] = [
    &other::JAPANESE,
    &other::CHINESE,
    &other::KOREAN,
    &other::SPANISH,
    &other::GERMAN,
    &other::ARABIC,
];

impl Language {
    /// The bank for a topic in this language, if it has one.
    pub fn bank(&self, topic: Topic) -> Option<&'static Bank> {
        self.banks.iter().find(|b| b.topic == topic)
    }

    /// This language when `lines` has something in it, English otherwise.
    pub fn or_english(&'static self, lines: fn(&Language) -> &[&'static str]) -> &'static Language {
        if lines(self).is_empty() {
            ENGLISH
        } else {
            self
        }
    }
}

/// Emoji a mood adds at the end of a message.
pub(crate) const ANGRY_EMOJI: &[&str] = &["😡", "🙄", "😤", "🤬", "😠", "💀", "😒"];
pub(crate) const HAPPY_EMOJI: &[&str] = &["😍", "❤️", "🙏", "✨", "🔥", "👏", "😊", "🥰"];
pub(crate) const NEUTRAL_EMOJI: &[&str] = &["🤔", "🙂", "👀", "📦", "😅", "🙏"];

/// Fediverse instances for Mastodon handles: example hosts only.
pub(crate) const MASTODON_INSTANCES: &[&str] = &[
    "mastodon.example",
    "piaille.example",
    "toot.example",
    "social.example",
    "mamot.example",
    "techhub.example",
];

/// Words customers glue to their names to make handles.
pub(crate) const HANDLE_WORDS: &[&str] = &[
    "runs", "cooks", "bzh", "dev", "paris", "lol", "art", "home", "life", "music", "photo", "velo",
    "trail", "cafe", "green",
];

/// Fictional outlets journalists write for.
pub(crate) const OUTLETS_EN: &[&str] = &["The Daily Ledger", "Consumer Watch Weekly"];
pub(crate) const OUTLETS_FR: &[&str] = &["L'Écho du Commerce", "Le Courrier Conso"];

#[cfg(test)]
mod tests {
    use super::*;

    fn all_languages() -> Vec<&'static Language> {
        let mut all = vec![ENGLISH, FRENCH];
        all.extend(OTHERS);
        all
    }

    #[test]
    fn english_and_french_cover_every_topic() {
        for lang in [ENGLISH, FRENCH] {
            for topic in Topic::ALL {
                let bank = lang.bank(topic);
                assert!(
                    bank.is_some_and(|b| !b.openers.is_empty()),
                    "{} has no openers for {topic}",
                    lang.code
                );
            }
        }
    }

    #[test]
    fn placeholders_are_known() {
        const KNOWN: [&str; 11] = [
            "brand", "at", "order", "product", "city", "price", "days", "first", "outlet", "track",
            "photo",
        ];
        for lang in all_languages() {
            let mut texts: Vec<&str> = Vec::new();
            for bank in lang.banks {
                texts.extend(bank.openers);
                texts.extend(bank.follow_ups);
            }
            for lines in [
                lang.nudges,
                lang.thanks,
                lang.still_waiting,
                lang.details,
                lang.joins,
                lang.signoffs,
                lang.brand.posts,
                lang.brand.issue,
                lang.brand.praise,
                lang.brand.hours,
                lang.brand.answer,
                lang.brand.escalation,
                lang.brand.press,
            ] {
                texts.extend(lines);
            }
            for text in texts {
                for part in text.split('{').skip(1) {
                    let name = part.split('}').next().unwrap_or("");
                    assert!(KNOWN.contains(&name), "unknown {{{name}}} in {text:?}");
                }
            }
        }
    }

    #[test]
    fn urls_use_example_hosts_only() {
        for lang in all_languages() {
            for bank in lang.banks {
                for text in bank.openers.iter().chain(bank.follow_ups) {
                    for word in text.split_whitespace().filter(|w| w.contains("://")) {
                        let host = word.split("://").nth(1).unwrap_or("");
                        let host = host.split('/').next().unwrap_or("");
                        assert!(host.ends_with(".example"), "real host in {text:?}");
                    }
                }
            }
        }
    }
}
