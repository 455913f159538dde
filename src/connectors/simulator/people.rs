//! The cast: everyone who writes to the brand. Recurring customers (a few regulars write
//! again and again), newcomers, two trolls who keep coming back, spam accounts, a journalist
//! per language and an influencer per language.
//!
//! Each person has one identity on every platform, shaped like that platform's handles and
//! ids (Mastodon `user@instance`, Bluesky `name.bsky.social`, X handles, Facebook and
//! Instagram names, YouTube channels), and a short list of the platforms they actually use.

use std::collections::HashSet;

use super::corpus::{
    self, Language, Topic, ENGLISH, FRENCH, HANDLE_WORDS, MASTODON_INSTANCES, OTHERS,
    SPAMMER_NAMES, TROLL_NAMES,
};
use super::dice::{self, Dice};
use super::ids;
use crate::model::{Author, Platform};

/// How many customers the simulator knows before traffic starts.
const STARTING_CUSTOMERS: usize = 40;
/// Past this many customers, newcomers become rare.
const BUSY_CUSTOMERS: usize = 300;

/// Why someone writes.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Role {
    Customer,
    Troll,
    Spammer,
    Journalist { outlet: &'static str },
    Influencer { followers: u64 },
}

/// One person and their accounts.
pub(crate) struct Persona {
    /// How the brand addresses them in a reply.
    pub first: String,
    pub lang: &'static Language,
    pub role: Role,
    /// The platforms they use, in no particular order; never empty.
    pub platforms: Vec<Platform>,
    identities: Vec<(Platform, Author)>,
}

impl Persona {
    /// Their account on a platform (everyone has one everywhere; `platforms` says which
    /// ones they start conversations on).
    pub fn author(&self, platform: &Platform) -> &Author {
        self.identities
            .iter()
            .find(|(p, _)| p == platform)
            .map(|(_, a)| a)
            .unwrap_or(&self.identities[0].1)
    }

    pub fn followers(&self) -> Option<u64> {
        match self.role {
            Role::Influencer { followers } => Some(followers),
            _ => None,
        }
    }
}

/// A person's name, as written and in ASCII for handles.
struct Naming {
    display: String,
    first: String,
    handle_base: String,
}

/// Everyone, by index.
pub(crate) struct Cast {
    people: Vec<Persona>,
    customers: Vec<usize>,
    trolls: Vec<usize>,
    spammers: Vec<usize>,
    handles: HashSet<String>,
}

impl Cast {
    pub fn new(rng: &mut Dice) -> Cast {
        let mut cast = Cast {
            people: Vec::new(),
            customers: Vec::new(),
            trolls: Vec::new(),
            spammers: Vec::new(),
            handles: HashSet::new(),
        };
        for _ in 0..STARTING_CUSTOMERS {
            let lang = customer_language(rng);
            cast.new_customer(rng, lang);
        }
        for &(display, base) in &TROLL_NAMES[..2] {
            cast.new_troll(rng, display, base);
        }
        cast.new_journalist(rng, ENGLISH, corpus::OUTLETS_EN);
        cast.new_journalist(rng, FRENCH, corpus::OUTLETS_FR);
        cast.new_influencer(rng, ENGLISH, "Unboxes");
        cast.new_influencer(rng, FRENCH, "en Voyage ✈️");
        cast
    }

    pub fn get(&self, id: usize) -> &Persona {
        &self.people[id]
    }

    /// Who writes a new conversation about `topic`, optionally in a given language.
    pub fn for_topic(&mut self, rng: &mut Dice, topic: Topic, lang: Option<&str>) -> usize {
        match topic {
            Topic::Spam => self.spammer(rng),
            Topic::Troll if dice::chance(rng, 80) => self.troll(rng),
            Topic::Insult if dice::chance(rng, 50) => self.troll(rng),
            Topic::Journalist => self.special(rng, lang, |r| matches!(r, Role::Journalist { .. })),
            Topic::Influencer => self.special(rng, lang, |r| matches!(r, Role::Influencer { .. })),
            _ => self.customer(rng, lang),
        }
    }

    /// A customer: often a regular, sometimes someone new.
    pub fn customer(&mut self, rng: &mut Dice, lang: Option<&str>) -> usize {
        if let Some(code) = lang {
            return self.customer_speaking(rng, code);
        }
        let newcomer_odds = if self.customers.len() < BUSY_CUSTOMERS {
            25
        } else {
            5
        };
        if dice::chance(rng, newcomer_odds) {
            let lang = customer_language(rng);
            return self.new_customer(rng, lang);
        }
        // The smaller of two rolls favours the first customers: the regulars.
        let a = dice::index(rng, self.customers.len());
        let b = dice::index(rng, self.customers.len());
        self.customers[a.min(b)]
    }

    fn customer_speaking(&mut self, rng: &mut Dice, code: &str) -> usize {
        let speakers: Vec<usize> = self
            .customers
            .iter()
            .copied()
            .filter(|&i| self.people[i].lang.code == code)
            .collect();
        if speakers.is_empty() || dice::chance(rng, 20) {
            let lang = [ENGLISH, FRENCH]
                .into_iter()
                .chain(OTHERS)
                .find(|l| l.code == code)
                .unwrap_or(ENGLISH);
            return self.new_customer(rng, lang);
        }
        dice::pick(rng, &speakers)
    }

    fn troll(&mut self, rng: &mut Dice) -> usize {
        if self.trolls.len() < TROLL_NAMES.len() && dice::chance(rng, 10) {
            let (display, base) = TROLL_NAMES[self.trolls.len()];
            return self.new_troll(rng, display, base);
        }
        dice::pick(rng, &self.trolls)
    }

    fn spammer(&mut self, rng: &mut Dice) -> usize {
        if self.spammers.is_empty() || dice::chance(rng, 60) {
            let (display, base) = dice::pick(rng, SPAMMER_NAMES);
            let lang = if dice::chance(rng, 70) {
                ENGLISH
            } else {
                FRENCH
            };
            let base = format!("{base}{}", dice::digits(rng, 4));
            let platforms = vec![weighted_platform(rng)];
            let naming = Naming {
                display: display.to_string(),
                first: display.to_string(),
                handle_base: base,
            };
            let id = self.add(rng, naming, lang, Role::Spammer, platforms);
            self.spammers.push(id);
            return id;
        }
        dice::pick(rng, &self.spammers)
    }

    /// A journalist or an influencer, in the asked language when there is one.
    fn special(&mut self, rng: &mut Dice, lang: Option<&str>, is: fn(&Role) -> bool) -> usize {
        let matching: Vec<usize> = (0..self.people.len())
            .filter(|&i| is(&self.people[i].role))
            .collect();
        let in_lang: Vec<usize> = matching
            .iter()
            .copied()
            .filter(|&i| lang.is_none_or(|code| self.people[i].lang.code == code))
            .collect();
        dice::pick(
            rng,
            if in_lang.is_empty() {
                &matching
            } else {
                &in_lang
            },
        )
    }

    fn new_customer(&mut self, rng: &mut Dice, lang: &'static Language) -> usize {
        let naming = customer_naming(rng, lang);
        let mut platforms = Vec::new();
        let count = dice::between(rng, 1, 3);
        while platforms.len() < count as usize {
            let p = weighted_platform(rng);
            if !platforms.contains(&p) {
                platforms.push(p);
            }
        }
        let id = self.add(rng, naming, lang, Role::Customer, platforms);
        self.customers.push(id);
        id
    }

    fn new_troll(&mut self, rng: &mut Dice, display: &str, base: &str) -> usize {
        let lang = if dice::chance(rng, 60) {
            ENGLISH
        } else {
            FRENCH
        };
        let naming = Naming {
            display: display.to_string(),
            first: display.to_string(),
            handle_base: base.to_string(),
        };
        let platforms = vec![Platform::X, Platform::Youtube, Platform::Instagram];
        let id = self.add(rng, naming, lang, Role::Troll, platforms);
        self.trolls.push(id);
        id
    }

    fn new_journalist(
        &mut self,
        rng: &mut Dice,
        lang: &'static Language,
        outlets: &[&'static str],
    ) {
        let naming = customer_naming(rng, lang);
        let role = Role::Journalist {
            outlet: dice::pick(rng, outlets),
        };
        let platforms = vec![Platform::X, Platform::Mastodon, Platform::Bluesky];
        self.add(rng, naming, lang, role, platforms);
    }

    fn new_influencer(&mut self, rng: &mut Dice, lang: &'static Language, title: &str) {
        let person = customer_naming(rng, lang);
        let naming = Naming {
            display: format!("{} {title}", person.first),
            handle_base: format!("{}{}", ascii_word(&person.first), ascii_word(title)),
            first: person.first,
        };
        let role = Role::Influencer {
            followers: dice::between(rng, 120_000, 1_200_000),
        };
        let platforms = vec![Platform::Instagram, Platform::Youtube, Platform::X];
        self.add(rng, naming, lang, role, platforms);
    }

    fn add(
        &mut self,
        rng: &mut Dice,
        naming: Naming,
        lang: &'static Language,
        role: Role,
        platforms: Vec<Platform>,
    ) -> usize {
        let identities = Platform::KNOWN
            .iter()
            .map(|p| {
                let handle = self.unique_handle(rng, p, &naming.handle_base);
                let author = Author {
                    id: ids::author_id(rng, p),
                    handle,
                    name: naming.display.clone(),
                };
                (p.clone(), author)
            })
            .collect();
        self.people.push(Persona {
            first: naming.first,
            lang,
            role,
            platforms,
            identities,
        });
        self.people.len() - 1
    }

    /// The handle for `base`, or when taken, its first ten characters and a number (short
    /// enough to survive X's 15-character limit).
    fn unique_handle(&mut self, rng: &mut Dice, platform: &Platform, base: &str) -> String {
        let mut candidate = base.to_string();
        loop {
            let handle = platform_handle(rng, platform, &candidate);
            if self.handles.insert(format!("{platform}:{handle}")) {
                return handle;
            }
            let stem: String = base.chars().take(10).collect();
            candidate = format!("{stem}{}", dice::digits(rng, 4));
        }
    }
}

fn customer_language(rng: &mut Dice) -> &'static Language {
    match dice::between(rng, 0, 99) {
        0..=47 => ENGLISH,
        48..=92 => FRENCH,
        _ => dice::pick(rng, &OTHERS),
    }
}

fn weighted_platform(rng: &mut Dice) -> Platform {
    let table = [(0usize, 12u32), (1, 14), (2, 20), (3, 20), (4, 22), (5, 12)];
    Platform::KNOWN[dice::weighted(rng, &table)].clone()
}

/// A believable name and a handle base for a customer speaking `lang`.
fn customer_naming(rng: &mut Dice, lang: &'static Language) -> Naming {
    let (given, given_roman) = dice::pick(rng, lang.names.given);
    let (family, family_roman) = dice::pick(rng, lang.names.family);
    let g = ascii_word(if given_roman.is_empty() {
        given
    } else {
        given_roman
    });
    let f = ascii_word(if family_roman.is_empty() {
        family
    } else {
        family_roman
    });
    let display = if lang.names.family_first {
        format!("{family}{given}")
    } else {
        match dice::between(rng, 0, 9) {
            0..=5 => format!("{given} {family}"),
            6 | 7 => format!("{given} {}.", family.chars().next().unwrap_or('X')),
            8 => format!(
                "{given} {}",
                dice::pick(rng, &["🌿", "✨", "🌸", "⚽", "🎧", "☕"])
            ),
            _ => given.to_lowercase(),
        }
    };
    let handle_base = match dice::between(rng, 0, 6) {
        0 => format!("{g}{f}"),
        1 => format!("{g}_{f}"),
        2 => format!("{g}.{f}"),
        3 => format!("{g}{}", dice::digits(rng, 2)),
        4 => format!("{}{f}", &g[..1.min(g.len())]),
        5 => format!("{g}_{}", dice::pick(rng, HANDLE_WORDS)),
        _ => format!("{g}{f}{}", dice::digits(rng, 2)),
    };
    Naming {
        display,
        first: given.to_string(),
        handle_base,
    }
}

/// A handle in the platform's own format, from a base like `emma_walker`.
fn platform_handle(rng: &mut Dice, platform: &Platform, base: &str) -> String {
    let keep = |allowed: &str| -> String {
        base.chars()
            .filter(|c| c.is_ascii_alphanumeric() || allowed.contains(*c))
            .collect()
    };
    match platform {
        Platform::Mastodon => format!(
            "{}@{}",
            keep("_").to_lowercase(),
            dice::pick(rng, MASTODON_INSTANCES)
        ),
        Platform::Bluesky => format!(
            "{}.bsky.social",
            base.to_lowercase().replace(['_', '.'], "-")
        ),
        Platform::X => keep("_").chars().take(15).collect(),
        Platform::Facebook => keep(".").to_lowercase(),
        Platform::Instagram => keep("._").to_lowercase().chars().take(30).collect(),
        _ => keep("._-").to_lowercase(),
    }
}

/// Lower-case ASCII letters and digits only, accents folded (`Lefèvre` → `lefevre`).
fn ascii_word(text: &str) -> String {
    fold_to_ascii(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}

/// Latin letters with their accents removed; everything else unchanged.
pub(crate) fn fold_to_ascii(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'A',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'É' | 'È' | 'Ê' | 'Ë' => 'E',
            'î' | 'ï' | 'í' | 'ì' => 'i',
            'Î' | 'Ï' | 'Í' | 'Ì' => 'I',
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
            'Ô' | 'Ö' | 'Ó' | 'Ò' | 'Õ' => 'O',
            'û' | 'ü' | 'ú' | 'ù' => 'u',
            'Û' | 'Ü' | 'Ú' | 'Ù' => 'U',
            'ç' => 'c',
            'Ç' => 'C',
            'ñ' => 'n',
            'Ñ' => 'N',
            'ÿ' => 'y',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn handles_follow_platform_formats() {
        let mut rng = Dice::seed_from_u64(9);
        let cast = Cast::new(&mut rng);
        for i in 0..cast.people.len() {
            let p = cast.get(i);
            let masto = &p.author(&Platform::Mastodon).handle;
            assert!(
                masto.contains('@') && masto.ends_with(".example"),
                "{masto}"
            );
            assert!(p
                .author(&Platform::Bluesky)
                .handle
                .ends_with(".bsky.social"));
            let x = &p.author(&Platform::X).handle;
            assert!(x.len() <= 15 && !x.is_empty(), "{x}");
            assert!(p.author(&Platform::Youtube).id.starts_with("UC"));
        }
    }

    #[test]
    fn folding_removes_accents() {
        assert_eq!(ascii_word("Lefèvre"), "lefevre");
        assert_eq!(ascii_word("O'Brien"), "obrien");
        assert_eq!(ascii_word("Élodie"), "elodie");
    }
}
