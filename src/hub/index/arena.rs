//! [`Arena`]: the searchable strings of every entry (text, handle, name) back to back in one
//! string. One allocation instead of three per item, and a scan reads them in the order the
//! entries were added (about queue order after a build), which keeps it cache-friendly.
//!
//! A change that alters an item's strings appends the new ones; the old bytes become garbage,
//! reclaimed by [`Arena::compact`] once they are half the arena.

/// Where one entry's strings are. The start is split in two halves so that a span packs in
/// 20 bytes (4-byte aligned) inside an entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Span {
    start_low: u32,
    start_high: u32,
    text: u32,
    handle: u32,
    name: u32,
}

impl Span {
    fn new(start: u64, text: u32, handle: u32, name: u32) -> Span {
        Span {
            start_low: start as u32,
            start_high: (start >> 32) as u32,
            text,
            handle,
            name,
        }
    }

    fn start(&self) -> u64 {
        u64::from(self.start_high) << 32 | u64::from(self.start_low)
    }

    fn len(&self) -> usize {
        self.text as usize + self.handle as usize + self.name as usize
    }
}

/// The strings of one entry, borrowed from the arena.
#[derive(Clone, Copy, Debug)]
pub(super) struct Strings<'a> {
    pub text: &'a str,
    pub handle: &'a str,
    pub name: &'a str,
}

/// The shared string storage.
#[derive(Default)]
pub(super) struct Arena {
    bytes: String,
    garbage: usize,
}

impl Arena {
    /// Appends the three strings of an entry.
    pub fn push(&mut self, text: &str, handle: &str, name: &str) -> Span {
        let span = Span::new(
            self.bytes.len() as u64,
            len_u32(text),
            len_u32(handle),
            len_u32(name),
        );
        self.bytes.push_str(text);
        self.bytes.push_str(handle);
        self.bytes.push_str(name);
        span
    }

    /// The strings at `span`.
    pub fn get(&self, span: Span) -> Strings<'_> {
        let start = span.start() as usize;
        let handle_start = start + span.text as usize;
        let name_start = handle_start + span.handle as usize;
        Strings {
            text: &self.bytes[start..handle_start],
            handle: &self.bytes[handle_start..name_start],
            name: &self.bytes[name_start..name_start + span.name as usize],
        }
    }

    /// Marks the strings at `span` as no longer used.
    pub fn release(&mut self, span: Span) {
        self.garbage += span.len();
    }

    /// Whether enough is garbage that compacting pays.
    pub fn wants_compaction(&self) -> bool {
        self.garbage > 1 << 20 && self.garbage * 2 > self.bytes.len()
    }

    /// Copies the live strings into a fresh arena, updating every span.
    pub fn compact<'a>(&mut self, spans: impl Iterator<Item = &'a mut Span>) {
        let mut fresh = Arena {
            bytes: String::with_capacity(self.bytes.len() - self.garbage),
            garbage: 0,
        };
        for span in spans {
            let strings = self.get(*span);
            *span = fresh.push(strings.text, strings.handle, strings.name);
        }
        *self = fresh;
    }

    /// Appends another arena; returns the offset its spans must be moved by.
    pub fn append(&mut self, other: Arena) -> u64 {
        let offset = self.bytes.len() as u64;
        self.bytes.push_str(&other.bytes);
        self.garbage += other.garbage;
        offset
    }

    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
    }

    /// Bytes held (capacity, garbage included).
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
    }
}

impl Span {
    /// The same strings in an arena appended at `offset` (see [`Arena::append`]).
    pub fn moved_by(self, offset: u64) -> Span {
        Span::new(self.start() + offset, self.text, self.handle, self.name)
    }
}

/// A string's length as stored. Entry strings are at most a few KB (texts are cut to the find
/// scope) or a platform's handle and name; anything beyond 4 GiB could not have come through
/// the JSON store, so saturating never cuts a real string.
fn len_u32(s: &str) -> u32 {
    u32::try_from(s.len()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip_and_survive_compaction() {
        let mut arena = Arena::default();
        let mut spans = vec![
            arena.push("Où est mon colis ?", "claire", "Claire"),
            arena.push("", "", ""),
            arena.push("😡 late", "@bob", "Bob Ünal"),
        ];
        arena.release(spans.remove(0));
        arena.compact(spans.iter_mut());
        let strings = arena.get(spans[1]);
        assert_eq!(
            (strings.text, strings.handle, strings.name),
            ("😡 late", "@bob", "Bob Ünal")
        );
        assert_eq!(arena.get(spans[0]).text, "");
        assert_eq!(arena.garbage, 0);
    }

    #[test]
    fn appended_arenas_keep_their_strings() {
        let mut first = Arena::default();
        let a = first.push("one", "h1", "n1");
        let mut second = Arena::default();
        let b = second.push("two", "h2", "n2");
        let offset = first.append(second);
        assert_eq!(first.get(a).text, "one");
        assert_eq!(first.get(b.moved_by(offset)).name, "n2");
    }
}
