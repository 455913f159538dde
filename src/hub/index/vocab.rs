//! [`Vocab`]: the few distinct values of the item fields that repeat (platforms, accounts,
//! languages, assignees, tag sets), each kept once and named in entries by a small number.

use std::collections::HashMap;
use std::hash::Hash;

use crate::model::{Item, Platform};

/// The number an optional field has when it is absent.
pub(super) const NONE: u32 = u32::MAX;

/// Distinct values, numbered in order of first sight.
pub(super) struct Interner<T> {
    values: Vec<T>,
    ids: HashMap<T, u32>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            values: Vec::new(),
            ids: HashMap::new(),
        }
    }
}

impl<T: Clone + Eq + Hash> Interner<T> {
    pub fn intern(&mut self, value: &T) -> u32 {
        if let Some(&id) = self.ids.get(value) {
            return id;
        }
        let id = u32::try_from(self.values.len()).expect("fewer than 4 billion distinct values");
        self.values.push(value.clone());
        self.ids.insert(value.clone(), id);
        id
    }

    pub fn get(&self, id: u32) -> &T {
        &self.values[id as usize]
    }

    /// The numbers `other`'s values have here, interning the new ones.
    fn absorb(&mut self, other: &Interner<T>) -> Vec<u32> {
        other.values.iter().map(|v| self.intern(v)).collect()
    }
}

/// Interned strings (accounts, languages, assignees, tags).
type Names = Interner<Box<str>>;

fn intern_str(names: &mut Names, s: &str) -> u32 {
    match names.ids.get(s) {
        Some(&id) => id,
        None => names.intern(&Box::from(s)),
    }
}

fn intern_opt(names: &mut Names, s: Option<&str>) -> u32 {
    s.map_or(NONE, |s| intern_str(names, s))
}

/// Every interned value of the index.
#[derive(Default)]
pub(super) struct Vocab {
    platforms: Interner<Platform>,
    accounts: Names,
    langs: Names,
    assignees: Names,
    tags: Names,
    /// Sets of tag numbers (the tags of an item, in its order).
    tag_sets: Interner<Box<[u32]>>,
}

/// The interned fields of one item.
pub(super) struct ItemCodes {
    pub platform: u32,
    pub account: u32,
    pub lang: u32,
    pub assignee: u32,
    pub tags: u32,
}

/// How the numbers of an absorbed vocabulary map into this one.
pub(super) struct Renumbering {
    platforms: Vec<u32>,
    accounts: Vec<u32>,
    langs: Vec<u32>,
    assignees: Vec<u32>,
    tag_sets: Vec<u32>,
}

impl Vocab {
    pub fn codes(&mut self, item: &Item) -> ItemCodes {
        let tags: Box<[u32]> = item
            .tags
            .iter()
            .map(|t| intern_str(&mut self.tags, t))
            .collect();
        ItemCodes {
            platform: self.platforms.intern(&item.platform),
            account: intern_str(&mut self.accounts, &item.account),
            lang: intern_opt(&mut self.langs, item.lang.as_deref()),
            assignee: intern_opt(&mut self.assignees, item.assignee.as_deref()),
            tags: self.tag_sets.intern(&tags),
        }
    }

    pub fn platform(&self, id: u32) -> &Platform {
        self.platforms.get(id)
    }

    pub fn account(&self, id: u32) -> &str {
        self.accounts.get(id)
    }

    pub fn lang(&self, id: u32) -> Option<&str> {
        (id != NONE).then(|| &**self.langs.get(id))
    }

    pub fn assignee(&self, id: u32) -> Option<&str> {
        (id != NONE).then(|| &**self.assignees.get(id))
    }

    pub fn tags(&self, set: u32) -> impl Iterator<Item = &str> + '_ {
        self.tag_sets
            .get(set)
            .iter()
            .map(|&tag| &**self.tags.get(tag))
    }

    /// Takes in another vocabulary (built by another thread) and says how to renumber the
    /// entries that use it.
    pub fn absorb(&mut self, other: &Vocab) -> Renumbering {
        let tags = self.tags.absorb(&other.tags);
        let tag_sets = other
            .tag_sets
            .values
            .iter()
            .map(|set| {
                let renumbered: Box<[u32]> = set.iter().map(|&t| tags[t as usize]).collect();
                self.tag_sets.intern(&renumbered)
            })
            .collect();
        Renumbering {
            platforms: self.platforms.absorb(&other.platforms),
            accounts: self.accounts.absorb(&other.accounts),
            langs: self.langs.absorb(&other.langs),
            assignees: self.assignees.absorb(&other.assignees),
            tag_sets,
        }
    }

    /// Bytes the vocabulary holds, roughly (values and maps).
    pub fn heap_bytes(&self) -> usize {
        let names = |n: &Names| n.values.iter().map(|v| 2 * (v.len() + 40)).sum::<usize>();
        let sets = self
            .tag_sets
            .values
            .iter()
            .map(|s| 2 * (4 * s.len() + 40))
            .sum::<usize>();
        names(&self.accounts)
            + names(&self.langs)
            + names(&self.assignees)
            + names(&self.tags)
            + sets
    }
}

impl Renumbering {
    pub fn apply(&self, codes: &mut ItemCodes) {
        let optional = |map: &[u32], id: u32| if id == NONE { NONE } else { map[id as usize] };
        codes.platform = self.platforms[codes.platform as usize];
        codes.account = self.accounts[codes.account as usize];
        codes.lang = optional(&self.langs, codes.lang);
        codes.assignee = optional(&self.assignees, codes.assignee);
        codes.tags = self.tag_sets[codes.tags as usize];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Author, ItemId, Kind, NewItem};

    fn item(platform: &str, account: &str, tags: &[&str], assignee: Option<&str>) -> Item {
        let new = NewItem {
            platform: Platform::from(platform.to_string()),
            account: account.into(),
            kind: Kind::Dm,
            remote_id: "1".into(),
            thread_id: None,
            parent_id: None,
            author: Author::default(),
            text: String::new(),
            lang: None,
            created_at: chrono::Utc::now(),
            url: None,
            from_brand: false,
            raw: None,
            status: None,
            priority: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            assignee: assignee.map(str::to_string),
        };
        Item::from_new(ItemId::generate(), new, chrono::Utc::now())
    }

    #[test]
    fn values_are_kept_once_and_read_back() {
        let mut vocab = Vocab::default();
        let a = vocab.codes(&item("x", "acme-x", &["vip", "legal"], Some("bob")));
        let b = vocab.codes(&item("threads", "acme-x", &["legal", "vip"], None));
        assert_eq!(a.account, b.account);
        assert_eq!(a.tags, b.tags, "tag sets are sets");
        assert_eq!(vocab.platform(b.platform).as_str(), "threads");
        assert_eq!(vocab.assignee(a.assignee), Some("bob"));
        assert_eq!(vocab.assignee(b.assignee), None);
        assert_eq!(vocab.lang(a.lang), None);
        let tags: Vec<&str> = vocab.tags(a.tags).collect();
        assert_eq!(tags, ["legal", "vip"]);
    }

    #[test]
    fn absorbing_renumbers_into_one_vocabulary() {
        let mut main = Vocab::default();
        main.codes(&item("x", "acme-x", &["vip"], None));
        let mut other = Vocab::default();
        let mut codes = other.codes(&item("youtube", "acme-yt", &["press", "vip"], Some("dana")));
        let renumbering = main.absorb(&other);
        renumbering.apply(&mut codes);
        assert_eq!(main.platform(codes.platform).as_str(), "youtube");
        assert_eq!(main.account(codes.account), "acme-yt");
        assert_eq!(main.assignee(codes.assignee), Some("dana"));
        let tags: Vec<&str> = main.tags(codes.tags).collect();
        assert_eq!(tags, ["press", "vip"]);
    }
}
