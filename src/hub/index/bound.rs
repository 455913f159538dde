//! [`FuzzyPattern`]: the two cheap tests the index runs before fuzzy-matcher's skim scorer.
//!
//! * [`FuzzyPattern::occurs_in`] is exactly skim's own first test (every pattern character
//!   appears, in order; ASCII case ignored unless the pattern has an ASCII capital), run with
//!   `memchr` instead of over a vector of chars. Texts that fail it have no score.
//! * [`FuzzyPattern::score_bound`] is an upper bound of the score skim gives a text, in one
//!   pass over it. Once the best `limit` hits are known, a text whose bound does not beat the
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
//!   earlier row or call. It is only read when the text's previous character also matches
//!   pattern character `i`; the bound then counts 16, the largest bonus skim ever computes.
//! * skim keeps two rows of its matrix; a row's first cell is not reset, so an alignment may
//!   continue from the row two characters back (skipping two pattern characters) with a gap
//!   penalty of at least 1, and the final maximum may read that cell too. The bound adds
//!   those transitions from the best score of character `i - 3`.
//!
//! Every other quantity is taken exactly or above. A randomized test checks the bound
//! against skim itself on millions of short texts over a tiny alphabet (where doubled letters
//! and repeated pattern characters, the hard cases, are everywhere) and on realistic texts.

/// Bonus at a word start (after a space or a hard separator, or at the text's start).
const BONUS_HEAD: i32 = 8;
const BONUS_BREAK: i32 = 7;
const BONUS_CAMEL: i32 = 6;
const BONUS_CONSECUTIVE: i32 = 4;
const SCORE_MATCH: i32 = 16;
/// The largest bonus skim computes (a word start at the text's first character, doubled).
const BONUS_MAX: i32 = 2 * BONUS_HEAD;
/// Patterns longer than this are scored without a bound (one bit per pattern character).
const MAX_BOUNDED_CHARS: usize = 64;
const UNREACHED: i32 = i32::MIN / 4;

/// Skim's character classes, as they decide bonuses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Start,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

fn class_of(c: char) -> Class {
    match c {
        '\0' => Class::Start,
        ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => Class::HardSep,
        '!'..='\'' | '*'..='.' | ':'..='@' | '^'..='`' | '~' => Class::SoftSep,
        '0'..='9' => Class::Number,
        'A'..='Z' => Class::Upper,
        _ => Class::Lower,
    }
}

fn in_place(previous: Class, current: Class) -> i32 {
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
            chars,
            case_sensitive,
            ascii_masks,
            wide_masks,
        }
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
            self.bound_over(text.bytes().map(char::from))
        } else {
            self.bound_over(text.chars())
        };
        Some(i64::from(bound))
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

    /// The sparse recurrence over the text's characters.
    #[inline(always)]
    fn bound_over(&self, text: impl Iterator<Item = char>) -> i32 {
        let mut state = BoundState::new(self.chars.len());
        let mut previous = (Class::Start, 0u64);
        for (j, c) in text.enumerate() {
            let class = class_of(c);
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
}

/// Per pattern character: the bound at its last matching position, the running maximum
/// behind it (for gaps), and its best bound anywhere.
struct BoundState {
    n: usize,
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
        let mut pending = mask;
        while pending != 0 {
            let i = 63 - pending.leading_zeros() as usize;
            pending &= !(1u64 << i);
            let carried = if previous_mask & (1 << i) != 0 {
                BONUS_MAX
            } else {
                0
            };
            let gain = self.gain(i, j, bonus, carried);
            if gain > UNREACHED {
                self.record(i, j, SCORE_MATCH + gain);
            }
        }
    }

    /// The best bonus-minus-penalties character `i` can get at position `j`.
    fn gain(&self, i: usize, j: i32, bonus: i32, carried: i32) -> i32 {
        if i == 0 {
            return bonus - 1;
        }
        let mut gain = UNREACHED;
        let adjacent = self.last_pos[i - 1] == j - 1;
        if adjacent {
            let consecutive = bonus.max(BONUS_CONSECUTIVE).max(carried);
            gain = gain.max(self.last_value[i - 1] + consecutive);
        }
        let reach = if adjacent {
            self.reach_before_last[i - 1]
        } else {
            self.reach[i - 1]
        };
        if reach > UNREACHED {
            // value(k) + bonus - 3 - (j - k - 1) for the best earlier k <= j - 2.
            gain = gain.max(reach - j - 2 + bonus);
        }
        // Skim's stale first cell: continue from two pattern characters back.
        if i == 2 {
            gain = gain.max(bonus - 2);
        } else if i >= 3 && self.best[i - 3] > UNREACHED {
            gain = gain.max(self.best[i - 3] - 1 + bonus);
        }
        gain
    }

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
        for _ in 0..300_000 {
            let text = random_string(&mut rng, &alphabet, 24);
            let earlier = random_string(&mut rng, &alphabet, 24);
            let mut pattern = random_string(&mut rng, &alphabet, 6);
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
    fn long_patterns_are_not_bounded() {
        let pattern = "a".repeat(MAX_BOUNDED_CHARS + 1);
        assert_eq!(FuzzyPattern::new(&pattern).score_bound("aaa"), None);
    }
}
