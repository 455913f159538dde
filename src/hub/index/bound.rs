//! [`FuzzyPattern`]: the two cheap tests the index runs before fuzzy-matcher's skim scorer.
//!
//! * [`FuzzyPattern::occurs_in`] is exactly skim's own first test (every pattern character
//!   appears, in order; ASCII case ignored unless the pattern has an ASCII capital), run with
//!   `memchr` instead of over a vector of chars. Texts that fail it have no score.
//! * [`FuzzyPattern::quick_bound`] is an upper bound from the pattern alone and the text's
//!   first character (see [`super::quick`]): O(1), and for a plain word it already equals
//!   the best score most texts can reach.
//! * [`FuzzyPattern::score_bound`] is a tighter upper bound of the score skim gives a text,
//!   in one pass over it. Once the best `limit` hits are known, a text whose bound does not beat the
//!   worst of them cannot rank and is never scored: for a word that many texts contain, skim
//!   then runs on a few hundred texts instead of hundreds of thousands.
//!
//! # Why the bound holds
//!
//! Skim (`SkimMatcherV2`, default scores) aligns pattern character `i` with text position `j`
//! for `16` (less on a case mismatch) plus a bonus, and charges gaps. On its best alignment a
//! character reached from the previous text position gets
//! `max(carried, in_place(j), 4)`; one reached over a gap of `g ≥ 1` characters gets
//! `in_place(j) - 3 - g`; the first character gets `in_place(j) - 1`. `in_place` is 8 at a
//! word start (16 at the very first character), 7 after punctuation, 6 on a camel hump,
//! else 0. The bound runs that recurrence over the positions where pattern characters occur
//! (a sparse dynamic programme: running maxima make each gap transition O(1)), taking every
//! unknown at its largest:
//!
//! * `carried` is a bonus skim reads from scratch memory that can hold a value left by an
//!   earlier row or call. It is only read after a text character that also matches pattern
//!   character `i` (the bound then counts 16, the largest bonus skim computes) and at `i`'s
//!   first greedy match (where only the rows of characters `i - 2`, `i - 4`, ... can have
//!   left something, see `BoundState::carried`).
//! * skim keeps two rows of its matrix and does not reset a row's first cell (at the
//!   character's first greedy match `f`), which still holds what the row computed two
//!   pattern characters earlier (or its initial `-1`). So an alignment may continue from
//!   character `i - 3` (or `i - 5`, ..., or from nothing), skipping the characters between,
//!   paying 1 per text position after `f`; the final maximum may read that cell too. The
//!   bound adds those transitions, from the best bound of those characters.
//! * skim only scores character `i` from its first greedy match on; so does the bound.
//!
//! Every other quantity is taken exactly or above. A randomized test checks the bound
//! against skim itself on millions of short texts over a tiny alphabet (where doubled letters
//! and repeated pattern characters, the hard cases, are everywhere) and on realistic texts.

use super::quick::QuickBound;

/// Bonus at a word start (after a space or a hard separator, or at the text's start).
pub(super) const BONUS_HEAD: i32 = 8;
pub(super) const BONUS_BREAK: i32 = 7;
pub(super) const BONUS_CAMEL: i32 = 6;
pub(super) const BONUS_CONSECUTIVE: i32 = 4;
pub(super) const SCORE_MATCH: i32 = 16;
/// The largest bonus skim computes (a word start at the text's first character, doubled).
pub(super) const BONUS_MAX: i32 = 2 * BONUS_HEAD;
/// Patterns longer than this are scored without a bound (one bit per pattern character).
const MAX_BOUNDED_CHARS: usize = 64;
const UNREACHED: i32 = i32::MIN / 4;
/// The pattern characters sharing a matrix row with an even or an odd character.
const SAME_PARITY: [u64; 2] = [0x5555_5555_5555_5555, 0xAAAA_AAAA_AAAA_AAAA];

/// Skim's character classes, as they decide bonuses.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Start,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

pub(super) const fn class_of(c: char) -> Class {
    match c {
        '\0' => Class::Start,
        ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => Class::HardSep,
        '!'..='\'' | '*'..='.' | ':'..='@' | '^'..='`' | '~' => Class::SoftSep,
        '0'..='9' => Class::Number,
        'A'..='Z' => Class::Upper,
        _ => Class::Lower,
    }
}

/// The class of every ASCII byte.
static ASCII_CLASSES: [Class; 128] = {
    let mut classes = [Class::Lower; 128];
    let mut b = 0;
    while b < 128 {
        classes[b] = class_of(b as u8 as char);
        b += 1;
    }
    classes
};

pub(super) fn in_place(previous: Class, current: Class) -> i32 {
    match (previous, current) {
        (Class::Start | Class::HardSep, _) => BONUS_HEAD,
        (Class::SoftSep, _) => BONUS_BREAK,
        (Class::Lower | Class::Number, Class::Upper) => BONUS_CAMEL,
        _ => 0,
    }
}

/// A fuzzy-find pattern, prepared for the prefilter and the bound.
pub(super) struct FuzzyPattern {
    chars: Vec<char>,
    case_sensitive: bool,
    /// For each ASCII character: which pattern characters it matches (bit `i` for char `i`).
    ascii_masks: [u64; 128],
    /// The same for the pattern's non-ASCII characters (matched exactly).
    wide_masks: Vec<(char, u64)>,
    quick: QuickBound,
}

impl FuzzyPattern {
    /// Prepares a (trimmed, non-empty) pattern, with skim's smart case: case matters only
    /// when the pattern has an ASCII capital.
    pub fn new(pattern: &str) -> FuzzyPattern {
        let chars: Vec<char> = pattern.chars().collect();
        let case_sensitive = chars.iter().any(char::is_ascii_uppercase);
        let mut ascii_masks = [0u64; 128];
        let mut wide_masks: Vec<(char, u64)> = Vec::new();
        for (i, &c) in chars.iter().enumerate().take(MAX_BOUNDED_CHARS) {
            let bit = 1u64 << i;
            if !c.is_ascii() {
                match wide_masks.iter_mut().find(|(w, _)| *w == c) {
                    Some((_, mask)) => *mask |= bit,
                    None => wide_masks.push((c, bit)),
                }
            } else if case_sensitive {
                ascii_masks[c as usize] |= bit;
            } else {
                ascii_masks[c.to_ascii_lowercase() as usize] |= bit;
                ascii_masks[c.to_ascii_uppercase() as usize] |= bit;
            }
        }
        FuzzyPattern {
            quick: QuickBound::new(&chars, case_sensitive),
            chars,
            case_sensitive,
            ascii_masks,
            wide_masks,
        }
    }

    /// An upper bound of skim's score for `text` from the pattern and `text`'s first
    /// character only.
    pub fn quick_bound(&self, text: &str) -> i64 {
        let starts_with_first = text.chars().next().is_some_and(|c| self.mask(c) & 1 != 0);
        self.quick.bound(starts_with_first)
    }

    /// Whether every pattern character occurs in `text`, in order (skim's own first test).
    pub fn occurs_in(&self, text: &str) -> bool {
        let hay = text.as_bytes();
        let mut at = 0;
        let mut utf8 = [0u8; 4];
        for &c in &self.chars {
            let rest = &hay[at..];
            let found = if !c.is_ascii() {
                let needle = c.encode_utf8(&mut utf8).as_bytes();
                memchr::memmem::find(rest, needle).map(|i| i + needle.len())
            } else if self.case_sensitive || !c.is_ascii_alphabetic() {
                memchr::memchr(c as u8, rest).map(|i| i + 1)
            } else {
                let (lower, upper) = (c.to_ascii_lowercase(), c.to_ascii_uppercase());
                memchr::memchr2(lower as u8, upper as u8, rest).map(|i| i + 1)
            };
            match found {
                Some(end) => at += end,
                None => return false,
            }
        }
        true
    }

    /// An upper bound of skim's score for `text` (see the module docs); `None` for a pattern
    /// too long to bound (then every candidate must be scored).
    pub fn score_bound(&self, text: &str) -> Option<i64> {
        if self.chars.len() > MAX_BOUNDED_CHARS {
            return None;
        }
        let bound = if text.is_ascii() {
            self.bound_ascii(text.as_bytes())
        } else {
            self.bound_chars(text)
        };
        Some(i64::from(bound))
    }

    /// The recurrence over an ASCII text: only positions that match a pattern character do
    /// any work, reading their neighbour's class and matches from tables.
    fn bound_ascii(&self, text: &[u8]) -> i32 {
        let mut state = BoundState::new(self.chars.len());
        let masks = &self.ascii_masks;
        let mut j = 0;
        while j < text.len() {
            let mask = masks[usize::from(text[j] & 0x7f)];
            if mask != 0 {
                let class = ASCII_CLASSES[usize::from(text[j] & 0x7f)];
                let (bonus, previous_mask) = match j.checked_sub(1) {
                    Some(p) => {
                        let p = usize::from(text[p] & 0x7f);
                        (in_place(ASCII_CLASSES[p], class), masks[p])
                    }
                    None => (2 * in_place(Class::Start, class), 0),
                };
                state.step(j as i32, mask, bonus, previous_mask);
            }
            j += 1;
        }
        state.result()
    }

    fn bound_chars(&self, text: &str) -> i32 {
        let mut state = BoundState::new(self.chars.len());
        let mut previous = (Class::Start, 0u64);
        for (j, c) in text.chars().enumerate() {
            let class = if c.is_ascii() {
                ASCII_CLASSES[c as usize]
            } else {
                Class::Lower
            };
            let mask = self.mask(c);
            if mask != 0 {
                let mut bonus = in_place(previous.0, class);
                if j == 0 {
                    bonus *= 2;
                }
                state.step(j as i32, mask, bonus, previous.1);
            }
            previous = (class, mask);
        }
        state.result()
    }

    fn mask(&self, c: char) -> u64 {
        if c.is_ascii() {
            self.ascii_masks[c as usize]
        } else {
            self.wide_masks
                .iter()
                .find(|(w, _)| *w == c)
                .map_or(0, |(_, mask)| *mask)
        }
    }
}

/// Per pattern character: its first greedy match, the bound at its last matching position,
/// the running maximum behind it (for gaps), and its best bound anywhere.
struct BoundState {
    n: usize,
    /// How many pattern characters the greedy (skim's first) match has placed.
    placed: usize,
    first_match: [i32; MAX_BOUNDED_CHARS],
    last_pos: [i32; MAX_BOUNDED_CHARS],
    last_value: [i32; MAX_BOUNDED_CHARS],
    /// max over positions `k` of value(k) + k, up to the last position, and before it.
    reach: [i32; MAX_BOUNDED_CHARS],
    reach_before_last: [i32; MAX_BOUNDED_CHARS],
    best: [i32; MAX_BOUNDED_CHARS],
}

impl BoundState {
    fn new(n: usize) -> BoundState {
        BoundState {
            n,
            placed: 0,
            first_match: [UNREACHED; MAX_BOUNDED_CHARS],
            last_pos: [UNREACHED; MAX_BOUNDED_CHARS],
            last_value: [UNREACHED; MAX_BOUNDED_CHARS],
            reach: [UNREACHED; MAX_BOUNDED_CHARS],
            reach_before_last: [UNREACHED; MAX_BOUNDED_CHARS],
            best: [UNREACHED; MAX_BOUNDED_CHARS],
        }
    }

    /// Position `j` matches the pattern characters in `mask`; `previous_mask` is what the
    /// character before it matched. Higher characters go first so that each reads its
    /// predecessor as it was before this position.
    #[inline(always)]
    fn step(&mut self, j: i32, mask: u64, bonus: i32, previous_mask: u64) {
        if self.placed < self.n && mask & (1 << self.placed) != 0 {
            self.first_match[self.placed] = j;
            self.placed += 1;
        }
        // Skim only scores a character from its first greedy match on.
        let placed = if self.placed == 64 {
            u64::MAX
        } else {
            (1u64 << self.placed) - 1
        };
        let mut pending = mask & placed;
        while pending != 0 {
            let i = 63 - pending.leading_zeros() as usize;
            pending &= !(1u64 << i);
            let carried = self.carried(i, j, mask, bonus, previous_mask);
            let gain = self.gain(i, j, bonus, carried);
            if gain > UNREACHED / 2 {
                self.record(i, j, SCORE_MATCH + gain);
            }
        }
    }

    /// The most skim can read as "carried" bonus for character `i` at position `j`, from its
    /// scratch memory (a cell tied to position `j - 1`).
    ///
    /// After a character that also matched `i`, this row did not rewrite the cell: anything.
    /// At `i`'s first match the cell holds what the rows of characters `i - 2`, `i - 4`, ...
    /// (the same physical row) left: each such row zeroed it unless position `j - 1` matched
    /// its character, and raised it to at most this position's own bonus (or 4) where
    /// position `j` matched its character. Left unzeroed by all of them, an even character's
    /// row may still hold anything from an earlier call; an odd one's row starts at 0.
    #[inline(always)]
    fn carried(&self, i: usize, j: i32, mask: u64, bonus: i32, previous_mask: u64) -> i32 {
        if previous_mask & (1 << i) != 0 {
            return BONUS_MAX;
        }
        if i < 2 || self.first_match[i] != j {
            return 0;
        }
        let same_row_before = SAME_PARITY[i % 2] & ((1u64 << i) - 1);
        let raised = if mask & same_row_before != 0 {
            bonus.max(BONUS_CONSECUTIVE)
        } else {
            0
        };
        let never_zeroed = previous_mask & same_row_before == same_row_before;
        if never_zeroed && i % 2 == 0 {
            BONUS_MAX
        } else {
            raised
        }
    }

    /// The best bonus-minus-penalties character `i` can get at position `j`.
    #[inline(always)]
    fn gain(&self, i: usize, j: i32, bonus: i32, carried: i32) -> i32 {
        if i == 0 {
            return bonus - 1;
        }
        // Unreached values stay far below any real one through these sums.
        let adjacent = self.last_pos[i - 1] == j - 1;
        let consecutive = bonus.max(BONUS_CONSECUTIVE).max(carried);
        let after_previous = if adjacent {
            self.last_value[i - 1] + consecutive
        } else {
            UNREACHED
        };
        let reach = if adjacent {
            self.reach_before_last[i - 1]
        } else {
            self.reach[i - 1]
        };
        // value(k) + bonus - 3 - (j - k - 1) for the best earlier k <= j - 2.
        let over_gap = reach - j - 2 + bonus;
        // From the stale first cell of character i - 1's row, 1 per position after it.
        let from_stale = self.stale(i - 1) - (j - self.first_match[i - 1]) + bonus;
        after_previous.max(over_gap).max(from_stale)
    }

    /// The most the stale first cell of character `k`'s row can hold: what the characters
    /// two, four, ... before it reached, or the row's initial -1.
    #[inline(always)]
    fn stale(&self, k: usize) -> i32 {
        let mut stale = if k % 2 == 1 { -1 } else { UNREACHED };
        let mut earlier = k;
        while earlier >= 2 {
            earlier -= 2;
            stale = stale.max(self.best[earlier]);
        }
        stale
    }

    #[inline(always)]
    fn record(&mut self, i: usize, j: i32, value: i32) {
        self.reach_before_last[i] = self.reach[i];
        self.reach[i] = self.reach[i].max(value + j);
        self.last_pos[i] = j;
        self.last_value[i] = value;
        self.best[i] = self.best[i].max(value);
    }

    fn result(&self) -> i32 {
        let last = self.best[self.n - 1];
        if self.n >= 3 {
            last.max(self.best[self.n - 3])
        } else {
            last
        }
    }
}

#[cfg(test)]
mod tests {
    use fuzzy_matcher::skim::SkimMatcherV2;
    use fuzzy_matcher::FuzzyMatcher;
    use rand::{Rng, SeedableRng};

    use super::*;

    fn random_string(rng: &mut impl Rng, alphabet: &[char], max: usize) -> String {
        let len = rng.gen_range(0..=max);
        (0..len)
            .map(|_| alphabet[rng.gen_range(0..alphabet.len())])
            .collect()
    }

    /// The bound is never below skim's score, whatever skim scored before with the same
    /// matcher (its scratch memory), and the prefilter agrees with skim exactly.
    #[test]
    fn bound_holds_and_prefilter_agrees_with_skim() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let alphabet: Vec<char> = "abAB -'x.é".chars().collect();
        let mut scored = 0;
        for round in 0..300_000 {
            let long = round % 3 == 0;
            let text = random_string(&mut rng, &alphabet, if long { 60 } else { 24 });
            let earlier = random_string(&mut rng, &alphabet, 24);
            let mut pattern = random_string(&mut rng, &alphabet, if long { 11 } else { 6 });
            if pattern.is_empty() {
                pattern.push('a');
            }
            let matcher = SkimMatcherV2::default().smart_case();
            matcher.fuzzy_match(&earlier, &pattern);
            let skim = matcher.fuzzy_match(&text, &pattern);
            let prepared = FuzzyPattern::new(&pattern);
            assert_eq!(
                prepared.occurs_in(&text),
                skim.is_some(),
                "{pattern:?} in {text:?}"
            );
            if let Some(score) = skim {
                scored += 1;
                let bound = prepared.score_bound(&text).unwrap();
                assert!(bound >= score, "{pattern:?} in {text:?}: {score} > {bound}");
                let quick = prepared.quick_bound(&text);
                assert!(
                    quick >= score,
                    "quick: {pattern:?} in {text:?}: {score} > {quick}"
                );
            }
        }
        assert!(scored > 50_000, "the test must exercise matches ({scored})");
    }

    #[test]
    fn bound_is_tight_on_a_plain_word() {
        let prepared = FuzzyPattern::new("refund");
        let text = "I'm still waiting for my refund, it has been weeks.";
        let skim = SkimMatcherV2::default().smart_case();
        let score = skim.fuzzy_match(text, "refund").unwrap();
        assert_eq!(prepared.score_bound(text), Some(score));
    }

    #[test]
    fn quick_bound_of_a_plain_word_is_its_best_mid_text_score() {
        let prepared = FuzzyPattern::new("refund");
        let skim = SkimMatcherV2::default().smart_case();
        let mid_text = "I'm still waiting for my refund, it has been weeks.";
        assert_eq!(
            Some(prepared.quick_bound(mid_text)),
            skim.fuzzy_match(mid_text, "refund")
        );
        let at_start = "Refund me now";
        assert!(prepared.quick_bound(at_start) > prepared.quick_bound(mid_text));
    }

    #[test]
    fn long_patterns_are_not_bounded() {
        let pattern = "a".repeat(MAX_BOUNDED_CHARS + 1);
        assert_eq!(FuzzyPattern::new(&pattern).score_bound("aaa"), None);
    }
}
