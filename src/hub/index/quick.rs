//! [`QuickBound`]: the most skim can score a text, from the pattern alone and whether the
//! text starts with the pattern's first character. Computed once per pattern; O(1) per text.
//!
//! On skim's best alignment (see [`super::bound`] for the recurrence) every pattern
//! character contributes its match score plus a bonus, less penalties:
//! * the first character at most `16 - 1 +` its position's bonus: 16 at the text's first
//!   character, 8 anywhere else;
//! * a later character reached over a gap at most `16 + 8 - 4 = 20` (a word start after a
//!   one-character gap);
//! * a later character right after the previous one at most its match score (16, or 14 on
//!   a case mismatch) plus the largest of 4, the bonus of such a pair of characters (a
//!   separator then a character, a camel hump...), and 16 when skim may carry a bonus left
//!   in its scratch memory: only when some text character can match both this pattern
//!   character and the previous one (a doubled letter), or, for an even character, the
//!   previous one and all the even ones before it (see `BoundState::carried`).
//!
//! Skim's stale-row paths skip at least two characters and give the next one at most 23,
//! less than the skipped two can bring, so the sum of the per-character maxima bounds them
//! too. For a plain lowercase word the bound is `23 + 20 × (length - 1)`: what the word
//! scores as a whole word in the middle of a text, the best most texts can do.

use super::bound::{
    class_of, in_place, Class, BONUS_CONSECUTIVE, BONUS_HEAD, BONUS_MAX, SCORE_MATCH,
};

/// The score a case-mismatched character gets (skim's penalty is 2).
const SCORE_CASE_MISMATCH: i32 = SCORE_MATCH - 2;

pub(super) struct QuickBound {
    /// The first character's most, at the text's start and elsewhere.
    first_at_start: i32,
    first_elsewhere: i32,
    /// The other characters' most, summed.
    rest: i32,
}

impl QuickBound {
    pub fn new(chars: &[char], case_sensitive: bool) -> QuickBound {
        let rest = (1..chars.len())
            .map(|i| most_for(chars, i, case_sensitive))
            .sum();
        QuickBound {
            first_at_start: SCORE_MATCH + 2 * BONUS_HEAD - 1,
            first_elsewhere: SCORE_MATCH + BONUS_HEAD - 1,
            rest,
        }
    }

    /// The bound for a text that does or does not start with the first pattern character.
    pub fn bound(&self, starts_with_first: bool) -> i64 {
        let first = if starts_with_first {
            self.first_at_start
        } else {
            self.first_elsewhere
        };
        i64::from(first + self.rest)
    }
}

/// The most pattern character `i` (not the first) can bring.
fn most_for(chars: &[char], i: usize, case_sensitive: bool) -> i32 {
    let over_gap = SCORE_MATCH + BONUS_HEAD - 4;
    let carried = if may_carry(chars, i, case_sensitive) {
        BONUS_MAX
    } else {
        0
    };
    let mut adjacent = i32::MIN;
    for (previous, _) in classes(chars[i - 1], case_sensitive) {
        for (current, score) in classes(chars[i], case_sensitive) {
            let bonus = in_place(previous, current)
                .max(BONUS_CONSECUTIVE)
                .max(carried);
            adjacent = adjacent.max(score + bonus);
        }
    }
    over_gap.max(adjacent)
}

/// Whether skim may read a carried bonus for character `i` right after character `i - 1`.
fn may_carry(chars: &[char], i: usize, case_sensitive: bool) -> bool {
    let same = |a: char, b: char| {
        if case_sensitive {
            a == b
        } else {
            a.eq_ignore_ascii_case(&b)
        }
    };
    let previous = chars[i - 1];
    same(previous, chars[i])
        || (i % 2 == 0 && (0..i - 1).step_by(2).all(|k| same(chars[k], previous)))
}

/// The classes of the text characters that match pattern character `c`, with the match
/// score each gets.
fn classes(c: char, case_sensitive: bool) -> Vec<(Class, i32)> {
    if !c.is_ascii() {
        return vec![(Class::Lower, SCORE_MATCH)];
    }
    if case_sensitive || !c.is_ascii_alphabetic() {
        return vec![(class_of(c), SCORE_MATCH)];
    }
    let other = if c.is_ascii_lowercase() {
        c.to_ascii_uppercase()
    } else {
        c.to_ascii_lowercase()
    };
    vec![
        (class_of(c), SCORE_MATCH),
        (class_of(other), SCORE_CASE_MISMATCH),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bound_of(pattern: &str, at_start: bool) -> i64 {
        let chars: Vec<char> = pattern.chars().collect();
        let sensitive = chars.iter().any(char::is_ascii_uppercase);
        QuickBound::new(&chars, sensitive).bound(at_start)
    }

    #[test]
    fn plain_words_get_twenty_per_character() {
        assert_eq!(bound_of("refund", false), 23 + 5 * 20);
        assert_eq!(bound_of("refund", true), 31 + 5 * 20);
        assert_eq!(bound_of("r", false), 23);
    }

    #[test]
    fn doubled_letters_and_word_starts_may_score_more() {
        assert!(bound_of("free", false) > bound_of("frea", false));
        assert_eq!(bound_of("a b", false), 23 + 20 + (16 + 8));
    }
}
