//! The brand being simulated: its name, its one demo account per platform, and how it
//! appears there (handle, account id, how customers tag it).

use super::dice::Dice;
use super::ids;
use super::people::fold_to_ascii;
use crate::model::{Author, Platform};

/// Who "we" are on the six platforms.
pub(crate) struct Brand {
    pub name: String,
    /// Lower-case ASCII with dashes, e.g. `acme` or `cafe-lumiere`.
    pub slug: String,
    identities: Vec<(Platform, Author)>,
}

impl Brand {
    pub fn new(rng: &mut Dice, name: &str) -> Brand {
        let name = match name.trim() {
            "" => "Acme".to_string(),
            trimmed => trimmed.to_string(),
        };
        let slug = slugify(&name);
        let identities = Platform::KNOWN
            .iter()
            .map(|p| (p.clone(), identity(rng, p, &name, &slug)))
            .collect();
        Brand {
            name,
            slug,
            identities,
        }
    }

    /// The configured account name for a platform, e.g. `acme-mastodon`.
    pub fn account(&self, platform: &Platform) -> String {
        format!("{}-{}", self.slug, platform.as_str())
    }

    /// The platform the account belongs to, if it is one of ours.
    pub fn platform_of(&self, account: &str) -> Option<&Platform> {
        self.identities
            .iter()
            .map(|(p, _)| p)
            .find(|p| self.account(p) == account)
    }

    /// The brand's own account on a platform.
    pub fn author(&self, platform: &Platform) -> &Author {
        self.identities
            .iter()
            .find(|(p, _)| p == platform)
            .map(|(_, a)| a)
            .unwrap_or(&self.identities[0].1)
    }

    /// How a customer tags the brand in a post on that platform.
    pub fn tag(&self, platform: &Platform) -> String {
        match platform {
            Platform::Facebook => self.name.clone(),
            _ => format!("@{}", self.author(platform).handle),
        }
    }

    /// The prefix of the brand's order numbers (`AC` for Acme).
    pub fn order_prefix(&self) -> String {
        let letters: String = self
            .slug
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .take(2)
            .collect();
        match letters.len() {
            2 => letters.to_ascii_uppercase(),
            _ => "OR".to_string(),
        }
    }
}

fn identity(rng: &mut Dice, platform: &Platform, name: &str, slug: &str) -> Author {
    let handle = match platform {
        Platform::Mastodon => format!("{slug}@mastodon.example"),
        Platform::Bluesky => format!("{slug}.bsky.social"),
        Platform::X => slug.replace('-', "_").chars().take(15).collect(),
        Platform::Instagram => slug.replace('-', "_"),
        _ => slug.replace('-', ""),
    };
    Author {
        id: ids::author_id(rng, platform),
        handle,
        name: name.to_string(),
    }
}

/// Lower-case ASCII letters and digits, other runs become one dash; never empty.
pub(crate) fn slugify(name: &str) -> String {
    let folded = fold_to_ascii(name).to_ascii_lowercase();
    let mut slug = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "brand".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn slugs_are_ascii_and_dashed() {
        assert_eq!(slugify("Acme"), "acme");
        assert_eq!(slugify("  Café Lumière & Co. "), "cafe-lumiere-co");
        assert_eq!(slugify("☕☕"), "brand");
    }

    #[test]
    fn accounts_map_back_to_platforms() {
        let mut rng = Dice::seed_from_u64(1);
        let brand = Brand::new(&mut rng, "Acme");
        assert_eq!(brand.account(&Platform::X), "acme-x");
        assert_eq!(brand.platform_of("acme-youtube"), Some(&Platform::Youtube));
        assert_eq!(brand.platform_of("other-x"), None);
        assert_eq!(brand.tag(&Platform::Mastodon), "@acme@mastodon.example");
        assert_eq!(brand.order_prefix(), "AC");
    }
}
