//! Case folding for the query language, built for speed.
//!
//! Needles and field values are folded once, when the query is parsed. Item fields are folded
//! per item into one reused, thread-local buffer (no allocation once it has grown), with an
//! ASCII fast path: most of the bytes of most messages are ASCII and fold with a plain
//! byte-wise lowercase. Folding is Unicode lowercasing, one code point at a time, with the
//! Greek final sigma `ς` folded to `σ` so that `ΟΔΟΣ`, `οδος` and `οδοσ` all meet.
//!
//! A subject may also say that a field folds like ASCII (every non-ASCII character in it
//! folds to itself): such a field is searched in place, ignoring ASCII case, without being
//! copied at all. The hub's queue index knows this of most texts and so never folds them.

use std::cell::RefCell;
use std::fmt;

use std::ops::Range;

use memchr::memmem;

use super::subject::{TextField, TextFields};

/// Folds one character (see the module docs).
fn fold_char(c: char) -> impl Iterator<Item = char> {
    c.to_lowercase().map(|l| if l == 'ς' { 'σ' } else { l })
}

/// Appends the folded form of `s` to `out`.
pub(super) fn fold_into(s: &str, out: &mut String) {
    let mut rest = s;
    while !rest.is_empty() {
        let ascii_len = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii_len]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii_len..];
        if let Some(c) = rest.chars().next() {
            out.extend(fold_char(c));
            rest = &rest[c.len_utf8()..];
        }
    }
}

/// The folded form of `s`.
pub(super) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// Whether `s` folds to exactly `folded` (which is already folded), without allocating.
pub(super) fn eq_folded(s: &str, folded: &str) -> bool {
    if s.is_ascii() {
        return s.eq_ignore_ascii_case(folded);
    }
    s.chars().flat_map(fold_char).eq(folded.chars())
}

/// Whether `a` and `b` are equal once both are folded, without allocating.
pub(super) fn eq_ignoring_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(fold_char)
        .eq(b.chars().flat_map(fold_char))
}

/// A text to look for: kept as written (for display) and folded, with a prebuilt searcher.
#[derive(Clone)]
pub(super) struct Needle {
    written: String,
    finder: memmem::Finder<'static>,
}

impl Needle {
    pub(super) fn new(written: String) -> Needle {
        let finder = memmem::Finder::new(fold(&written).as_bytes()).into_owned();
        Needle { written, finder }
    }

    /// The needle as the user wrote it.
    pub(super) fn written(&self) -> &str {
        &self.written
    }

    /// Whether the needle occurs in an already folded haystack.
    pub(super) fn is_in(&self, folded_haystack: &str) -> bool {
        self.finder.find(folded_haystack.as_bytes()).is_some()
    }
}

impl PartialEq for Needle {
    fn eq(&self, other: &Needle) -> bool {
        self.written == other.written
    }
}

impl fmt::Debug for Needle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Needle({:?})", self.written)
    }
}

/// Whether folding `s` only lowercases its ASCII letters: every other character folds to
/// itself. Such a text can be searched in place, ignoring ASCII case, with the same result as
/// searching its folded form (most texts, French and English alike, are such texts).
pub fn folds_like_ascii(s: &str) -> bool {
    s.is_ascii()
        || s.chars().all(|c| {
            let mut folded = fold_char(c);
            c.is_ascii() || (folded.next() == Some(c) && folded.next().is_none())
        })
}

/// Whether the folded (hence ASCII-lowercase) `needle` occurs in `hay` once `hay`'s ASCII
/// letters are lowercased. Other bytes compare exactly.
fn contains_ignoring_ascii_case(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    let upper = first.to_ascii_uppercase();
    let mut from = 0;
    while from <= last_start {
        let window = &hay[from..=last_start];
        let found = if upper == first {
            memchr::memchr(first, window)
        } else {
            memchr::memchr2(first, upper, window)
        };
        let Some(offset) = found else {
            return false;
        };
        let at = from + offset;
        if hay[at + 1..at + needle.len()].eq_ignore_ascii_case(rest) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// Where one searchable field is, once prepared.
enum Hay<'a> {
    /// Folded into the shared buffer, at this range.
    Folded(Range<usize>),
    /// Searched in place, ignoring ASCII case.
    InPlace(&'a str),
    /// A handle searched in place, with the `@` it is found by standing before it.
    AtInPlace(&'a str),
}

/// The searchable fields of one subject (text, `@handle`, author name), ready for needles:
/// raw fields are folded into one reused buffer, fields that fold like ASCII stay in place.
pub(super) struct Haystacks<'a> {
    buf: &'a str,
    fields: [Hay<'a>; 3],
}

impl Haystacks<'_> {
    /// Whether the needle occurs in the text, the handle or the name.
    pub(super) fn contain(&self, needle: &Needle) -> bool {
        self.fields.iter().any(|hay| self.has(hay, needle))
    }

    fn has(&self, hay: &Hay<'_>, needle: &Needle) -> bool {
        let wanted = needle.finder.needle();
        match hay {
            Hay::Folded(range) => needle.is_in(&self.buf[range.clone()]),
            Hay::InPlace(s) => contains_ignoring_ascii_case(s.as_bytes(), wanted),
            Hay::AtInPlace(s) => {
                contains_ignoring_ascii_case(s.as_bytes(), wanted)
                    || wanted.strip_prefix(b"@").is_some_and(|rest| {
                        s.len() >= rest.len()
                            && s.as_bytes()[..rest.len()].eq_ignore_ascii_case(rest)
                    })
            }
        }
    }
}

/// Places one field: folds a raw one into `buf` (after an `@` for a handle that lacks one).
fn place<'a>(field: TextField<'a>, is_handle: bool, buf: &mut String) -> Hay<'a> {
    let needs_at = |s: &str| is_handle && !s.is_empty() && !s.starts_with('@');
    match field {
        TextField::Raw(s) => {
            let start = buf.len();
            if needs_at(s) {
                // The handle is stored without `@`; adding it lets `@claire` find her too.
                buf.push('@');
            }
            fold_into(s, buf);
            Hay::Folded(start..buf.len())
        }
        TextField::FoldsLikeAscii(s) if needs_at(s) => Hay::AtInPlace(s),
        TextField::FoldsLikeAscii(s) => Hay::InPlace(s),
    }
}

thread_local! {
    static FOLDED: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs `f` on the prepared fields, folding raw ones into this thread's reused buffer.
pub(super) fn with_haystacks<R>(fields: &TextFields<'_>, f: impl FnOnce(&Haystacks<'_>) -> R) -> R {
    FOLDED.with(|cell| {
        let mut buf = cell.borrow_mut();
        buf.clear();
        let text = place(fields.text, false, &mut buf);
        let handle = place(fields.handle, true, &mut buf);
        let name = place(fields.name, false, &mut buf);
        f(&Haystacks {
            buf: &buf,
            fields: [text, handle, name],
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_ascii_and_unicode_alike() {
        assert_eq!(fold("Hello WORLD"), "hello world");
        assert_eq!(fold("ÉCOLE Straße"), "école straße");
        assert_eq!(fold("ΟΔΟΣ οδος"), "οδοσ οδοσ");
        assert_eq!(fold("mixed Ä and B"), "mixed ä and b");
        assert_eq!(fold("İ"), "i\u{307}");
    }

    #[test]
    fn equality_ignores_case_without_allocating() {
        assert!(eq_folded("Straße", "straße"));
        assert!(eq_folded("VIP", "vip"));
        assert!(!eq_folded("VIP", "vi"));
        assert!(!eq_folded("vip", "vïp"));
        assert!(eq_ignoring_case("Zoë", "ZOË"));
        assert!(!eq_ignoring_case("Zoë", "Zoe"));
    }

    #[test]
    fn folding_like_ascii_is_recognized() {
        assert!(folds_like_ascii("Hello WORLD 123 !"));
        assert!(folds_like_ascii("déjà vu, ça va ? 😡 日本"));
        assert!(!folds_like_ascii("ÉCOLE"));
        assert!(!folds_like_ascii("οδος"));
        assert!(!folds_like_ascii("İ"));
        assert!(!folds_like_ascii("\u{212A}elvin"));
    }

    /// Searching a field in place (when it folds like ASCII) finds exactly what searching its
    /// folded copy finds.
    #[test]
    fn in_place_search_equals_folded_search() {
        let hays = [
            "Where is my ORDER?",
            "déjà vu, ça va ? 😡",
            "@claire@example.social",
            "claire",
            "",
            "aaa",
            "x-Ray",
        ];
        let needles = [
            "order", "ORDER?", "ça", "vu, ça", "@claire", "@cl", "claire@", "a", "aa", "aaaa",
            "ray", "-r", "😡", "@", "é",
        ];
        for hay in hays {
            assert!(folds_like_ascii(hay), "{hay}");
            for needle in needles {
                let needle = Needle::new(needle.into());
                for is_handle in [false, true] {
                    let raw = TextFields {
                        text: TextField::Raw(""),
                        handle: TextField::Raw(if is_handle { hay } else { "" }),
                        name: TextField::Raw(if is_handle { "" } else { hay }),
                    };
                    let in_place = TextFields {
                        text: TextField::FoldsLikeAscii(""),
                        handle: TextField::FoldsLikeAscii(if is_handle { hay } else { "" }),
                        name: TextField::FoldsLikeAscii(if is_handle { "" } else { hay }),
                    };
                    let expected = with_haystacks(&raw, |h| h.contain(&needle));
                    let got = with_haystacks(&in_place, |h| h.contain(&needle));
                    assert_eq!(got, expected, "{needle:?} in {hay:?} (handle: {is_handle})");
                }
            }
        }
    }

    #[test]
    fn needles_find_folded_text() {
        let needle = Needle::new("Free Shipping".into());
        assert!(needle.is_in(&fold("GET FREE SHIPPING NOW")));
        assert!(!needle.is_in(&fold("free  shipping")));
        assert_eq!(needle.written(), "Free Shipping");
    }
}
