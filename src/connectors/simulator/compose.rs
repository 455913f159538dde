//! Writing a message: filling a template's `{placeholders}` with one conversation's facts
//! (the same order number all along a thread), then giving it a human voice (greetings in
//! DMs, tags in mentions, shouting when angry, trailing emoji).

use super::corpus::{Language, Topic, ANGRY_EMOJI, HAPPY_EMOJI, NEUTRAL_EMOJI};
use super::dice::{self, Dice, BASE64URL};
use crate::model::Kind;

/// The facts one conversation is about. Rolled once when it starts and reused by every
/// message in it, so a follow-up quotes the same order number.
#[derive(Clone, Debug)]
pub(crate) struct Fill {
    pub brand: String,
    /// How the brand is tagged on this platform (`@acme`, `@acme@mastodon.example`).
    pub at: String,
    pub order: String,
    pub product: &'static str,
    pub city: &'static str,
    pub price: &'static str,
    pub days: u64,
    /// The customer's first name.
    pub first: String,
    pub outlet: &'static str,
    pub track: String,
    pub photo: String,
}

/// What `Fill::roll` needs to know about the conversation.
pub(crate) struct FillContext<'a> {
    pub lang: &'static Language,
    pub brand: &'a str,
    pub at: String,
    pub order_prefix: &'a str,
    pub first: &'a str,
    pub outlet: &'static str,
}

impl Fill {
    pub fn roll(rng: &mut Dice, ctx: FillContext<'_>) -> Fill {
        let lang = ctx.lang;
        Fill {
            brand: ctx.brand.to_string(),
            at: ctx.at,
            order: format!("{}-{}", ctx.order_prefix, dice::digits(rng, 6)),
            product: dice::pick(rng, lang.or_english(|l| l.products).products),
            city: dice::pick(rng, lang.or_english(|l| l.cities).cities),
            price: dice::pick(rng, lang.or_english(|l| l.prices).prices),
            days: dice::between(rng, 3, 14),
            first: ctx.first.to_string(),
            outlet: ctx.outlet,
            track: format!(
                "https://track.example/{}{}",
                dice::string_of(rng, b"ABCDEFGHJKLMNPQRSTUVWXYZ", 2),
                dice::digits(rng, 10)
            ),
            photo: format!(
                "https://photos.example/{}",
                dice::string_of(rng, BASE64URL, 10)
            ),
        }
    }

    fn value(&self, name: &str) -> Option<String> {
        Some(match name {
            "brand" => self.brand.clone(),
            "at" => self.at.clone(),
            "order" => self.order.clone(),
            "product" => self.product.to_string(),
            "city" => self.city.to_string(),
            "price" => self.price.to_string(),
            "days" => self.days.to_string(),
            "first" => self.first.clone(),
            "outlet" => self.outlet.to_string(),
            "track" => self.track.clone(),
            "photo" => self.photo.clone(),
            _ => return None,
        })
    }
}

/// The template with every known `{name}` replaced; anything else is left as written.
pub(crate) fn render(template: &str, fill: &Fill) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, fill.value(&after[..close])?)))
        {
            Some((close, value)) => {
                out.push_str(&value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// How a customer's message is about to be sent.
pub(crate) struct Voice<'a> {
    pub topic: Topic,
    pub kind: Kind,
    pub lang: &'static Language,
    pub fill: &'a Fill,
    /// The first message of a conversation (greetings and sign-offs only go there).
    pub opening: bool,
}

/// A customer's text: the rendered template, in that person's voice.
pub(crate) fn speak(rng: &mut Dice, template: &str, voice: &Voice<'_>) -> String {
    let mut text = render(template, voice.fill);
    if voice.kind == Kind::Mention && !text.contains(&voice.fill.at) {
        text = if dice::chance(rng, 60) {
            format!("{} {text}", voice.fill.at)
        } else {
            format!("{text} {}", voice.fill.at)
        };
    }
    if voice.kind == Kind::Dm && voice.opening {
        text = dm_manners(rng, text, voice);
    }
    text = casing(rng, text, voice.topic, voice.opening);
    if dice::chance(rng, 15) {
        let mood = if voice.topic.is_angry() {
            ANGRY_EMOJI
        } else if voice.topic == Topic::Praise {
            HAPPY_EMOJI
        } else {
            NEUTRAL_EMOJI
        };
        text.push(' ');
        text.push_str(dice::pick(rng, mood));
    }
    text
}

/// Some people open a DM with a greeting and sign it.
fn dm_manners(rng: &mut Dice, text: String, voice: &Voice<'_>) -> String {
    let lang = voice.lang;
    let mut text = text;
    if !lang.greetings.is_empty() && dice::chance(rng, 30) && !greets(&text) {
        text = format!("{}\n{text}", dice::pick(rng, lang.greetings));
    }
    if !lang.signoffs.is_empty() && dice::chance(rng, 20) {
        let signoff = render(dice::pick(rng, lang.signoffs), voice.fill);
        text = format!("{text}\n\n{signoff}");
    }
    text
}

/// Whether a message already opens with a greeting (or is a letter with its own layout).
fn greets(text: &str) -> bool {
    const GREETINGS: [&str; 8] = [
        "hi", "hello", "hey", "good", "bonjour", "bonsoir", "salut", "coucou",
    ];
    let first = text.split([' ', ',', '!', '\n']).next().unwrap_or("");
    text.contains('\n') || GREETINGS.contains(&first.to_lowercase().as_str())
}

/// Now and then all lower case; an angry first message is sometimes all capitals (never
/// with a link, which would break it).
fn casing(rng: &mut Dice, text: String, topic: Topic, opening: bool) -> String {
    if text.contains("://") {
        return text;
    }
    if opening && topic.is_angry() && dice::chance(rng, 6) {
        text.to_uppercase()
    } else if dice::chance(rng, 7) {
        text.to_lowercase()
    } else {
        text
    }
}

/// The brand's own words (posts and replies): rendered, no voice tricks. Falls back to
/// English when the language has no such lines.
pub(crate) fn brand_text(
    rng: &mut Dice,
    lines: fn(&Language) -> &[&'static str],
    lang: &'static Language,
    fill: &Fill,
) -> String {
    let options = lines(lang.or_english(lines));
    render(dice::pick(rng, options), fill)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectors::simulator::corpus::FRENCH;
    use rand::SeedableRng;

    fn fill() -> Fill {
        let mut rng = Dice::seed_from_u64(1);
        Fill::roll(
            &mut rng,
            FillContext {
                lang: FRENCH,
                brand: "Acme",
                at: "@acme".into(),
                order_prefix: "AC",
                first: "Léa",
                outlet: "Le Courrier Conso",
            },
        )
    }

    #[test]
    fn render_fills_known_and_keeps_unknown() {
        let f = fill();
        let text = render("{first}: {order} {nope} {brand", &f);
        assert_eq!(text, format!("Léa: {} {{nope}} {{brand", f.order));
        assert!(f.order.starts_with("AC-"));
    }

    #[test]
    fn mentions_always_tag_the_brand() {
        let f = fill();
        let mut rng = Dice::seed_from_u64(2);
        for _ in 0..50 {
            let voice = Voice {
                topic: Topic::Praise,
                kind: Kind::Mention,
                lang: FRENCH,
                fill: &f,
                opening: true,
            };
            let text = speak(&mut rng, "trop bien", &voice);
            assert!(text.to_lowercase().contains("@acme"), "{text}");
        }
    }
}
