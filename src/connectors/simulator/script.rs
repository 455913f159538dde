//! The script the cast follows: which topics come up and how often, which kinds of message
//! each topic takes and where, how long conversations last, the showcase every backlog
//! contains, and what a customer says back to the brand.

use super::corpus::{Bank, Language, Topic, ENGLISH};
use super::dice;
use super::ids::Shape;
use crate::model::{Kind, Platform};

/// A conversation the backlog must contain.
#[derive(Clone, Copy, Debug)]
pub(super) struct Forced {
    pub topic: Topic,
    pub lang: Option<&'static str>,
    pub kind: Option<Kind>,
}

/// The conversations every backlog shows when it is long enough.
pub(super) const SHOWCASE: [Forced; 8] = [
    forced(Topic::LegalThreat, Some("fr"), Kind::Dm),
    forced(Topic::LegalThreat, Some("en"), Kind::Comment),
    forced(Topic::Journalist, None, Kind::Dm),
    forced(Topic::Influencer, None, Kind::Mention),
    forced(Topic::Spam, None, Kind::Comment),
    forced(Topic::Spam, None, Kind::Dm),
    forced(Topic::Troll, None, Kind::Comment),
    forced(Topic::Insult, None, Kind::Mention),
];

const fn forced(topic: Topic, lang: Option<&'static str>, kind: Kind) -> Forced {
    Forced {
        topic,
        lang,
        kind: Some(kind),
    }
}

pub(super) const TOPIC_WEIGHTS: [(Topic, u32); 13] = [
    (Topic::LateOrder, 15),
    (Topic::Refund, 9),
    (Topic::Damaged, 8),
    (Topic::Praise, 14),
    (Topic::ProductQuestion, 13),
    (Topic::StoreHours, 6),
    (Topic::Checkout, 6),
    (Topic::Troll, 4),
    (Topic::Insult, 3),
    (Topic::Spam, 8),
    (Topic::LegalThreat, 1),
    (Topic::Journalist, 1),
    (Topic::Influencer, 2),
];

/// What a customer says when they write again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Next {
    Nudge,
    FollowUp,
    Thanks,
    StillWaiting,
    Details,
}
pub(super) fn kind_weights(topic: Topic) -> [(Kind, u32); 3] {
    let (comment, dm, mention) = match topic {
        Topic::LateOrder => (4, 4, 3),
        Topic::Refund => (3, 5, 2),
        Topic::Damaged => (3, 4, 3),
        Topic::Praise => (6, 1, 5),
        Topic::ProductQuestion => (6, 3, 2),
        Topic::StoreHours => (5, 3, 2),
        Topic::Checkout => (3, 5, 2),
        Topic::Troll => (6, 0, 4),
        Topic::Insult => (5, 1, 4),
        Topic::Spam => (5, 3, 2),
        Topic::LegalThreat => (3, 5, 2),
        Topic::Journalist => (0, 6, 4),
        Topic::Influencer => (1, 0, 7),
    };
    [
        (Kind::Comment, comment),
        (Kind::Dm, dm),
        (Kind::Mention, mention),
    ]
}

/// Whether a platform carries this kind of message about this topic: YouTube has no DMs,
/// and only creators "mention" a brand there (in a video).
pub(super) fn carries(platform: &Platform, kind: Kind, topic: Topic) -> bool {
    match (platform, kind) {
        (Platform::Youtube, Kind::Dm) => false,
        (Platform::Youtube, Kind::Mention) => topic == Topic::Influencer,
        _ => true,
    }
}

/// The id shape of a conversation's first message.
pub(super) fn first_shape(kind: Kind) -> Shape {
    match kind {
        Kind::Dm => Shape::Message,
        Kind::Comment => Shape::Reply,
        Kind::Mention => Shape::Post,
    }
}

/// The id shape of a later message in a conversation.
pub(super) fn reply_shape(kind: Kind) -> Shape {
    match kind {
        Kind::Dm => Shape::Message,
        Kind::Comment | Kind::Mention => Shape::Reply,
    }
}

/// How many times the customer may write again unprompted.
pub(super) fn turns_for(rng: &mut dice::Dice, topic: Topic) -> u8 {
    let (lo, hi) = match topic {
        Topic::Spam => (0, 0),
        Topic::Praise => (0, 1),
        Topic::Troll | Topic::Insult => (0, 2),
        Topic::LegalThreat | Topic::Journalist | Topic::Influencer => (1, 2),
        _ => (1, 3),
    };
    u8::try_from(dice::between(rng, lo, hi)).unwrap_or(1)
}

/// Complaints others pile onto.
pub(super) fn joinable(topic: Topic) -> bool {
    matches!(
        topic,
        Topic::LateOrder | Topic::Refund | Topic::Damaged | Topic::Checkout
    )
}

/// Topics the brand answers in the backlog (it ignores trolls, insults and spam).
pub(super) fn brand_answers(topic: Topic) -> bool {
    !matches!(topic, Topic::Spam | Topic::Troll | Topic::Insult)
}

/// Trolls and insults: they come back to provoke, never to ask for an answer.
pub(super) fn provokes(topic: Topic) -> bool {
    matches!(topic, Topic::Troll | Topic::Insult)
}

/// The brand's lines for a topic.
pub(super) fn reply_lines(topic: Topic) -> fn(&Language) -> &[&'static str] {
    match topic {
        Topic::StoreHours => |l| l.brand.hours,
        Topic::ProductQuestion => |l| l.brand.answer,
        Topic::Praise | Topic::Influencer => |l| l.brand.praise,
        Topic::Journalist => |l| l.brand.press,
        Topic::LegalThreat => |l| l.brand.escalation,
        _ => |l| l.brand.issue,
    }
}

/// How a customer reacts to the brand's answer `brand_text` (empty when unknown).
pub(super) fn reaction(rng: &mut dice::Dice, topic: Topic, brand_text: &str) -> Next {
    if asks_for_details(brand_text) && dice::chance(rng, 75) {
        return Next::Details;
    }
    match topic {
        Topic::Praise if dice::chance(rng, 70) => Next::Thanks,
        Topic::Praise | Topic::Troll | Topic::Insult => Next::FollowUp,
        Topic::LegalThreat | Topic::Journalist | Topic::Influencer => {
            dice::weighted(rng, &[(Next::FollowUp, 5), (Next::Thanks, 3)])
        }
        _ => dice::weighted(
            rng,
            &[
                (Next::Thanks, 45),
                (Next::StillWaiting, 30),
                (Next::FollowUp, 25),
            ],
        ),
    }
}

/// Whether an answer asks the customer for their order number or to write privately.
pub(super) fn asks_for_details(text: &str) -> bool {
    const ASKS: [&str; 8] = [
        "order number",
        "order no",
        "dm us",
        "by dm",
        "numéro de commande",
        "message privé",
        "en mp",
        "private message",
    ];
    let lower = text.to_lowercase();
    ASKS.iter().any(|ask| lower.contains(ask))
}

/// The bank a conversation about `topic` opens from: the speaker's language if it has one,
/// English otherwise.
pub(super) fn bank_for(
    lang: &'static Language,
    topic: Topic,
) -> (&'static Language, &'static Bank) {
    lang.bank(topic)
        .filter(|b| !b.openers.is_empty())
        .map(|b| (lang, b))
        .or_else(|| ENGLISH.bank(topic).map(|b| (ENGLISH, b)))
        .unwrap_or((ENGLISH, &ENGLISH.banks[0]))
}

/// A template for what the customer says next, and the language it is in.
pub(super) fn customer_line(
    rng: &mut dice::Dice,
    lang: &'static Language,
    topic: Topic,
    next: Next,
) -> (&'static Language, &'static str) {
    let lines: fn(&Language) -> &[&'static str] = match next {
        Next::FollowUp => return follow_up_line(rng, lang, topic),
        Next::Nudge => |l| l.nudges,
        Next::Thanks => |l| l.thanks,
        Next::StillWaiting => |l| l.still_waiting,
        Next::Details => |l| l.details,
    };
    let lang = lang.or_english(lines);
    (lang, dice::pick(rng, lines(lang)))
}

pub(super) fn follow_up_line(
    rng: &mut dice::Dice,
    lang: &'static Language,
    topic: Topic,
) -> (&'static Language, &'static str) {
    for candidate in [lang, ENGLISH] {
        if let Some(bank) = candidate.bank(topic).filter(|b| !b.follow_ups.is_empty()) {
            return (candidate, dice::pick(rng, bank.follow_ups));
        }
    }
    customer_line(rng, lang, topic, Next::Nudge)
}
