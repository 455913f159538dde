//! Case folding for the query language, built for speed.
//!
//! Needles and field values are folded once, when the query is parsed. Item fields are folded
//! per item into one reused, thread-local buffer (no allocation once it has grown), with an
//! ASCII fast path: most of the bytes of most messages are ASCII and fold with a plain
//! byte-wise lowercase. Folding is Unicode lowercasing, one code point at a time, with the
//! Greek final sigma `ς` folded to `σ` so that `ΟΔΟΣ`, `οδος` and `οδοσ` all meet.

use std::cell::RefCell;
use std::fmt;

use memchr::memmem;

use crate::model::Item;

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

/// The folded searchable fields of one item: its text, `@handle` and author name, one after
/// the other in one buffer.
#[derive(Default)]
pub(super) struct FoldedFields {
    buf: String,
    text_end: usize,
    handle_end: usize,
}

impl FoldedFields {
    fn load(&mut self, item: &Item) {
        self.buf.clear();
        fold_into(&item.text, &mut self.buf);
        self.text_end = self.buf.len();
        if !item.author.handle.is_empty() {
            // The handle is stored without `@`; adding it lets `@claire` find her too.
            if !item.author.handle.starts_with('@') {
                self.buf.push('@');
            }
            fold_into(&item.author.handle, &mut self.buf);
        }
        self.handle_end = self.buf.len();
        fold_into(&item.author.name, &mut self.buf);
    }

    /// Whether the needle occurs in the text, the handle or the name.
    pub(super) fn contain(&self, needle: &Needle) -> bool {
        needle.is_in(&self.buf[..self.text_end])
            || needle.is_in(&self.buf[self.text_end..self.handle_end])
            || needle.is_in(&self.buf[self.handle_end..])
    }
}

thread_local! {
    static FOLDED: RefCell<FoldedFields> = RefCell::new(FoldedFields::default());
}

/// Runs `f` on the folded fields of `item`, reusing this thread's buffer.
pub(super) fn with_folded_fields<R>(item: &Item, f: impl FnOnce(&FoldedFields) -> R) -> R {
    FOLDED.with(|cell| {
        let mut fields = cell.borrow_mut();
        fields.load(item);
        f(&fields)
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
    fn needles_find_folded_text() {
        let needle = Needle::new("Free Shipping".into());
        assert!(needle.is_in(&fold("GET FREE SHIPPING NOW")));
        assert!(!needle.is_in(&fold("free  shipping")));
        assert_eq!(needle.written(), "Free Shipping");
    }
}
