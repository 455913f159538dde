//! A deterministic corpus of realistic inbox items for the hub query benchmark and the index
//! tests: French and English customer messages (late orders, refunds, praise, questions,
//! trolls, spam, a legal threat, a journalist) of about 200 bytes, from a pool of repeat
//! customers across the six platforms, with a realistic spread of triage state.
//!
//! The includer provides `model` (the crate's `model` module) in the parent scope, so the
//! same file serves the bench (`switchboard::model`) and the crate's own tests
//! (`crate::model`).

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::model::{Author, Kind, NewItem, Platform, Priority, Status};

const OPENERS_EN: &[&str] = &[
    "Hi there,",
    "Hello @acme,",
    "Hey,",
    "Good morning,",
    "Dear Acme team,",
    "",
    "Seriously?",
    "Quick question:",
];
const OPENERS_FR: &[&str] = &[
    "Bonjour,",
    "Bonsoir @acme,",
    "Salut,",
    "Madame, Monsieur,",
    "",
    "Sérieusement ?",
    "Petite question :",
];

const BODIES_EN: &[&str] = &[
    "my order #{order} still hasn't arrived and the tracking page has said 'in transit' for {days} days now.",
    "I returned the {product} on {date} and I'm still waiting for my refund. Can you check what's going on?",
    "just wanted to say the new {product} is fantastic, best purchase this year. Thanks to the team in {city}!",
    "does the {product} come in another size? The guide on your site is confusing and the chat never answers.",
    "I was charged twice for order #{order}. Please refund the duplicate payment as soon as possible.",
    "your delivery partner left my parcel in the rain in front of the building in {city}. The {product} is ruined.",
    "if I don't get my money back for order #{order} by Friday my lawyer will be in touch. This is unacceptable.",
    "I'm a journalist at {paper} writing about delivery delays in {city}. Could your press office comment before {date}?",
    "worst customer service ever. {days} days, four emails, zero answers. Never again.",
    "can I change the delivery address of order #{order}? I'm moving to {city} next week.",
    "the discount code SPRING{days} doesn't work at checkout for the {product}. Is it expired already?",
    "WIN A FREE {product}!!! Click here http://free-gifts.example/{order} and claim your prize now",
    "loving the {product} so far, but the battery only lasts {days} hours. Is that normal or is mine faulty?",
    "where is my package? Order #{order}, paid on {date}, nothing since. Refund or deliver, your choice.",
];
const BODIES_FR: &[&str] = &[
    "ma commande n°{order} n'est toujours pas arrivée, le suivi indique 'en cours de livraison' depuis {days} jours.",
    "j'ai renvoyé le {product} le {date} et j'attends encore mon remboursement. Vous pouvez vérifier ?",
    "juste pour dire que le {product} est génial, merci à l'équipe de {city} pour le conseil !",
    "est-ce que le {product} existe dans une autre taille ? Le guide sur le site n'est pas clair du tout.",
    "j'ai été débité deux fois pour la commande n°{order}. Merci de rembourser le doublon rapidement.",
    "le livreur a laissé mon colis sous la pluie devant l'immeuble à {city}. Le {product} est fichu.",
    "sans remboursement de la commande n°{order} d'ici vendredi, mon avocat prendra contact avec vous.",
    "je suis journaliste à {paper} et j'écris sur les retards de livraison à {city}. Un commentaire avant le {date} ?",
    "service client catastrophique. {days} jours, quatre mails, aucune réponse. Plus jamais.",
    "puis-je changer l'adresse de livraison de la commande n°{order} ? Je déménage à {city} la semaine prochaine.",
    "le code promo PRINTEMPS{days} ne marche pas pour le {product}. Il est déjà expiré ?",
    "GAGNEZ UN {product} GRATUIT !!! Cliquez ici http://cadeaux.example/{order} pour réclamer votre lot",
    "où est mon colis ? Commande n°{order} payée le {date}, rien depuis. Remboursez ou livrez.",
];
const CLOSERS_EN: &[&str] = &[
    "Thanks.",
    "Cheers",
    "Regards, {name}",
    "",
    "😡",
    "🙏",
    "Thanks in advance!",
    "",
];
const CLOSERS_FR: &[&str] = &[
    "Merci.",
    "Cordialement, {name}",
    "",
    "😡",
    "Bonne journée",
    "Merci d'avance !",
    "",
];

const PRODUCTS: &[&str] = &[
    "rain jacket",
    "espresso machine",
    "running shoes",
    "desk lamp",
    "headphones",
    "backpack",
    "kettle",
    "yoga mat",
    "smart watch",
    "winter coat",
    "blender",
    "sofa cover",
];
const PRODUITS: &[&str] = &[
    "imperméable",
    "machine à expresso",
    "chaussures de course",
    "lampe de bureau",
    "casque",
    "sac à dos",
    "bouilloire",
    "tapis de yoga",
    "montre connectée",
    "manteau d'hiver",
    "blender",
    "housse de canapé",
];
const CITIES: &[&str] = &[
    "Lyon",
    "Paris",
    "Montréal",
    "Bordeaux",
    "London",
    "Bruxelles",
    "Nantes",
    "Lille",
    "Toulouse",
    "Genève",
    "Manchester",
    "Québec",
];
const PAPERS: &[&str] = &[
    "Le Monde",
    "The Guardian",
    "Libération",
    "Les Échos",
    "Reuters",
];
const FIRST: &[&str] = &[
    "Claire", "Lucas", "Emma", "Hugo", "Chloé", "Nathan", "Léa", "Tom", "Sarah", "Mehdi", "Olivia",
    "James", "Zoë", "Amir", "Inès", "Noah", "Camille", "Yuki", "Björn", "Aïcha",
];
const LAST: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Smith", "Nguyen", "Moreau", "Laurent", "Brown", "Garcia",
    "Lefèvre", "Roux", "Fontaine", "Wilson", "Kowalski", "Haddad", "Petit",
];
const TAGS: &[&str] = &[
    "legal", "vip", "refund", "press", "delivery", "billing", "bug",
];
const AGENTS: &[&str] = &["alice", "bob", "chen", "dana"];

/// How the corpus is drawn.
pub struct Corpus {
    rng: ChaCha8Rng,
    start: DateTime<Utc>,
    authors: usize,
    next: usize,
}

impl Corpus {
    /// A corpus for `seed`, its items created over the 90 days before a fixed date, written by
    /// a pool of customers about a tenth the size of the `expected` item count.
    pub fn new(seed: u64, expected: usize) -> Corpus {
        Corpus {
            rng: ChaCha8Rng::seed_from_u64(seed),
            start: "2026-08-01T00:00:00Z".parse().expect("a valid date"),
            authors: (expected / 10).max(50),
            next: 0,
        }
    }

    /// The next `n` items.
    pub fn take(&mut self, n: usize) -> Vec<NewItem> {
        (0..n).map(|_| self.item()).collect()
    }

    /// One item.
    pub fn item(&mut self) -> NewItem {
        self.next += 1;
        let author_no = self.rng.gen_range(0..self.authors);
        let platform = Platform::KNOWN[author_no % Platform::KNOWN.len()].clone();
        let french = author_no % 5 < 2;
        let author = author_for(author_no, &platform);
        let kind = *[Kind::Comment, Kind::Comment, Kind::Dm, Kind::Mention]
            .choose(&mut self.rng)
            .expect("not empty");
        let created_at = self.start + Duration::seconds(self.rng.gen_range(0..90 * 86_400));
        let text = self.text(french, &author.name);
        let thread = self.rng.gen_range(0..(self.next / 3).max(1));
        NewItem {
            account: format!("acme-{}", platform.as_str()),
            platform,
            kind,
            remote_id: format!("r{}", self.next),
            thread_id: Some(format!("t{thread}")),
            parent_id: None,
            author,
            text,
            lang: Some(if french { "fr" } else { "en" }.to_string()),
            created_at,
            url: Some(format!("https://social.example/p/{}", self.next)),
            from_brand: false,
            raw: None,
            status: Some(self.status()),
            priority: Some(self.priority()),
            tags: self.tags(),
            assignee: self.assignee(),
        }
    }

    fn text(&mut self, french: bool, name: &str) -> String {
        let (openers, bodies, closers) = if french {
            (OPENERS_FR, BODIES_FR, CLOSERS_FR)
        } else {
            (OPENERS_EN, BODIES_EN, CLOSERS_EN)
        };
        let mut parts = vec![pick(&mut self.rng, openers).to_string()];
        let sentences = if self.rng.gen_bool(0.6) { 2 } else { 1 };
        for _ in 0..sentences {
            let body = pick(&mut self.rng, bodies);
            parts.push(self.fill(body, name, french));
        }
        let closer = pick(&mut self.rng, closers);
        parts.push(self.fill(closer, name, french));
        parts.retain(|p| !p.is_empty());
        parts.join(" ")
    }

    /// The template with its `{slot}`s filled in, in one pass.
    fn fill(&mut self, template: &str, name: &str, french: bool) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let slot = &rest[open + 1..open + close];
            self.fill_slot(slot, name, french, &mut out);
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }

    fn fill_slot(&mut self, slot: &str, name: &str, french: bool, out: &mut String) {
        let number =
            |rng: &mut ChaCha8Rng, range: std::ops::Range<u32>| rng.gen_range(range).to_string();
        let value = match slot {
            "order" => number(&mut self.rng, 100_000..999_999),
            "days" => number(&mut self.rng, 2..40),
            "date" => format!(
                "{:02}/{:02}",
                self.rng.gen_range(1..29),
                self.rng.gen_range(1..13)
            ),
            "product" if french => pick(&mut self.rng, PRODUITS).to_string(),
            "product" => pick(&mut self.rng, PRODUCTS).to_string(),
            "city" => pick(&mut self.rng, CITIES).to_string(),
            "paper" => pick(&mut self.rng, PAPERS).to_string(),
            "name" => name.to_string(),
            other => other.to_string(),
        };
        out.push_str(&value);
    }

    fn status(&mut self) -> Status {
        match self.rng.gen_range(0..100) {
            0..=29 => Status::New,
            30..=44 => Status::Open,
            45..=54 => Status::Pending,
            55..=57 => Status::Escalated,
            58..=94 => Status::Resolved,
            _ => Status::Spam,
        }
    }

    fn priority(&mut self) -> Priority {
        match self.rng.gen_range(0..100) {
            0..=14 => Priority::Low,
            15..=84 => Priority::Normal,
            85..=96 => Priority::High,
            _ => Priority::Urgent,
        }
    }

    fn tags(&mut self) -> BTreeSet<String> {
        let mut tags = BTreeSet::new();
        while tags.len() < 3 && self.rng.gen_bool(0.2) {
            tags.insert(pick(&mut self.rng, TAGS).to_string());
        }
        tags
    }

    fn assignee(&mut self) -> Option<String> {
        self.rng
            .gen_bool(0.3)
            .then(|| pick(&mut self.rng, AGENTS).to_string())
    }
}

fn pick<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or("")
}

/// The customer number `n`: the same person every time, with a handle in the platform's style.
fn author_for(n: usize, platform: &Platform) -> Author {
    let first = FIRST[n % FIRST.len()];
    let last = LAST[(n / FIRST.len()) % LAST.len()];
    let base = format!(
        "{}{}{}",
        first.to_lowercase(),
        last.to_lowercase(),
        n % 1000
    );
    let handle = match platform {
        Platform::Mastodon => format!("{base}@mastodon.example"),
        Platform::Bluesky => format!("{base}.bsky.social"),
        _ => base,
    };
    Author {
        id: format!("u{n}"),
        handle,
        name: format!("{first} {last}"),
    }
}

/// The texts of `items` as `fzf` reads them: one line each, line breaks made spaces.
pub fn fzf_lines(items: &[NewItem]) -> String {
    let mut out = String::with_capacity(items.len() * 220);
    for item in items {
        out.extend(
            item.text
                .chars()
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
        );
        out.push('\n');
    }
    out
}
