//! [`Table`]: the index's data. Entries by slot, the slots in queue order and by id, the
//! shared vocabulary and string arena, and the status counts, all kept current by
//! [`Table::apply`] as changed items come in.
//!
//! After a build, slot order is queue order, so a scan walks the entries front to back.

use super::arena::Span;
use super::arena::{Arena, Strings};
use super::entry::{flag, time_ms, version, Entry};
use super::order::Order;
use super::view::EntryView;
use super::vocab::Vocab;
use crate::hub::find::scope;
use crate::model::query::folds_like_ascii;
use crate::model::{Item, ItemId, Status};
use crate::store::Counts;

/// Entries decoded by one build thread, with their own vocabulary and arena.
#[derive(Default)]
pub(super) struct Part {
    entries: Vec<Entry>,
    vocab: Vocab,
    arena: Arena,
}

impl Part {
    pub fn push(&mut self, item: &Item) {
        let entry = make_entry(item, &mut self.vocab, &mut self.arena);
        self.entries.push(entry);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

/// The index's data.
#[derive(Default)]
pub(super) struct Table {
    entries: Vec<Entry>,
    /// Slots sorted by item id.
    by_id: Vec<u32>,
    order: Order,
    vocab: Vocab,
    arena: Arena,
    counts: [u64; Status::ALL.len()],
}

impl Table {
    /// The table of everything the parts hold. An item read twice (a build scan can meet an
    /// item again after a change moved it) is kept once, at its highest version.
    pub fn from_parts(parts: Vec<Part>) -> Table {
        let mut parts = parts.into_iter();
        let mut first = parts.next().unwrap_or_default();
        for part in parts {
            let renumbering = first.vocab.absorb(&part.vocab);
            let offset = first.arena.append(part.arena);
            first
                .entries
                .extend(part.entries.into_iter().map(|mut entry| {
                    let mut codes = entry.codes();
                    renumbering.apply(&mut codes);
                    entry.set_codes(codes);
                    entry.span = entry.span.moved_by(offset);
                    entry
                }));
        }
        let Part {
            entries,
            vocab,
            mut arena,
        } = first;
        let mut entries = latest_versions(entries, &mut arena);
        entries.sort_unstable_by_key(Entry::queue_key);
        arena.shrink_to_fit();
        let mut table = Table {
            order: Order::from_sorted(&(0..slot(entries.len())).collect::<Vec<u32>>()),
            by_id: (0..slot(entries.len())).collect(),
            entries,
            vocab,
            arena,
            counts: Default::default(),
        };
        let entries = &table.entries;
        table
            .by_id
            .sort_unstable_by_key(|&s| entries[s as usize].id);
        for entry in &table.entries {
            table.counts[usize::from(entry.status.index_byte())] += 1;
        }
        table
    }

    /// Takes in an item as it is now (created or changed). A version older than or equal to
    /// the one held changes nothing.
    pub fn apply(&mut self, item: &Item) {
        match self.slot_of(item.id) {
            Some(slot) => self.replace(slot, item),
            None => self.add(item),
        }
        if self.arena.wants_compaction() {
            self.arena
                .compact(self.entries.iter_mut().map(|entry| &mut entry.span));
        }
    }

    fn add(&mut self, item: &Item) {
        let entry = make_entry(item, &mut self.vocab, &mut self.arena);
        let key = entry.queue_key();
        let new = slot(self.entries.len());
        self.counts[usize::from(entry.status.index_byte())] += 1;
        self.entries.push(entry);
        let entries = &self.entries;
        let id = item.id.to_bytes();
        let at = self.by_id.partition_point(|&s| entries[s as usize].id < id);
        self.by_id.insert(at, new);
        self.order
            .insert(new, &key, |s| entries[s as usize].queue_key());
    }

    fn replace(&mut self, slot: u32, item: &Item) {
        let old = &self.entries[slot as usize];
        if old.version >= version(item.version) {
            return;
        }
        let (old_key, old_status, old_span, old_flags) =
            (old.queue_key(), old.status, old.span, old.flags);
        let held = self.arena.get(old_span);
        let strings_unchanged = held.text == scope(&item.text)
            && held.handle == item.author.handle
            && held.name == item.author.name;
        let entry = if strings_unchanged {
            entry_with_span(item, &mut self.vocab, old_span, old_flags)
        } else {
            self.arena.release(old_span);
            make_entry(item, &mut self.vocab, &mut self.arena)
        };
        let new_key = entry.queue_key();
        let moves = new_key != old_key;
        if moves {
            // The order finds the slot by its old key, so the old entry stays until then.
            let entries = &self.entries;
            self.order
                .remove(slot, &old_key, |s| entries[s as usize].queue_key());
        }
        self.entries[slot as usize] = entry;
        if moves {
            let entries = &self.entries;
            self.order
                .insert(slot, &new_key, |s| entries[s as usize].queue_key());
        }
        self.counts[usize::from(old_status.index_byte())] -= 1;
        self.counts[usize::from(item.status.index_byte())] += 1;
    }

    /// The slot of an item, if the table has it.
    pub fn slot_of(&self, id: ItemId) -> Option<u32> {
        let id = id.to_bytes();
        let at = self
            .by_id
            .partition_point(|&s| self.entries[s as usize].id < id);
        self.by_id
            .get(at)
            .copied()
            .filter(|&s| self.entries[s as usize].id == id)
    }

    pub fn entry(&self, slot: u32) -> &Entry {
        &self.entries[slot as usize]
    }

    pub fn strings(&self, slot: u32) -> Strings<'_> {
        self.arena.get(self.entries[slot as usize].span)
    }

    /// The entry at `slot` as the query language sees it.
    pub fn view(&self, slot: u32) -> EntryView<'_> {
        EntryView::new(
            &self.entries[slot as usize],
            self.strings(slot),
            &self.vocab,
        )
    }

    pub fn order(&self) -> &Order {
        &self.order
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn counts(&self) -> Counts {
        Counts {
            by_status: Status::ALL
                .into_iter()
                .map(|s| (s, self.counts[usize::from(s.index_byte())]))
                .collect(),
        }
    }

    /// Bytes the table holds on the heap, roughly.
    pub fn heap_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.by_id.capacity() * 4
            + self.order.heap_bytes()
            + self.arena.heap_bytes()
            + self.vocab.heap_bytes()
    }
}

/// Keeps one entry per id, the one with the highest version (in place); releases the
/// others' strings.
fn latest_versions(mut entries: Vec<Entry>, arena: &mut Arena) -> Vec<Entry> {
    entries.sort_unstable_by_key(|e| (e.id, std::cmp::Reverse(e.version)));
    entries.dedup_by(|later, kept| {
        let duplicate = later.id == kept.id;
        if duplicate {
            arena.release(later.span);
        }
        duplicate
    });
    entries.shrink_to_fit();
    entries
}

/// A slot number: the index of an entry. The table holds fewer than 4 billion items.
fn slot(index: usize) -> u32 {
    u32::try_from(index).expect("fewer than 4 billion items")
}

/// A new entry for `item`, its strings appended to `arena`.
fn make_entry(item: &Item, vocab: &mut Vocab, arena: &mut Arena) -> Entry {
    let text = scope(&item.text);
    let mut flags = 0;
    if text.len() < item.text.len() {
        flags |= flag::TEXT_CUT;
    }
    for (s, bit) in [
        (text, flag::TEXT_ASCII_FOLD),
        (item.author.handle.as_str(), flag::HANDLE_ASCII_FOLD),
        (item.author.name.as_str(), flag::NAME_ASCII_FOLD),
    ] {
        if folds_like_ascii(s) {
            flags |= bit;
        }
    }
    let span = arena.push(text, &item.author.handle, &item.author.name);
    entry_with_span(item, vocab, span, flags)
}

/// The entry for `item` whose strings are already at `span`, with the string `flags`
/// computed for them.
fn entry_with_span(item: &Item, vocab: &mut Vocab, span: Span, flags: u8) -> Entry {
    let codes = vocab.codes(item);
    let string_flags = flags & !flag::FROM_BRAND;
    Entry {
        id: item.id.to_bytes(),
        version: version(item.version),
        created_at: item.created_at,
        snoozed_until: item.snoozed_until,
        received_ms: time_ms(item.received_at),
        due_ms: item.sla_due.map(time_ms).unwrap_or(u64::MAX),
        span,
        account: codes.account,
        lang: codes.lang,
        assignee: codes.assignee,
        tags: codes.tags,
        platform: codes.platform,
        status: item.status,
        priority: item.priority,
        kind: item.kind,
        flags: string_flags | if item.from_brand { flag::FROM_BRAND } else { 0 },
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::model::{Author, Kind, NewItem, Platform, Priority};

    fn item(remote: &str, received: &str) -> Item {
        let new = NewItem {
            platform: Platform::X,
            account: "acme-x".into(),
            kind: Kind::Dm,
            remote_id: remote.into(),
            thread_id: None,
            parent_id: None,
            author: Author {
                id: "u1".into(),
                handle: "claire".into(),
                name: "Claire".into(),
            },
            text: format!("text of {remote}"),
            lang: None,
            created_at: Utc::now(),
            url: None,
            from_brand: false,
            raw: None,
            status: None,
            priority: None,
            tags: Default::default(),
            assignee: None,
        };
        let received: DateTime<Utc> = received.parse().unwrap();
        Item::from_new(ItemId::generate(), new, received)
    }

    fn queue(table: &Table) -> Vec<ItemId> {
        let slots: Vec<u32> = table.order().slots(0..table.len()).collect();
        slots.into_iter().map(|s| table.entry(s).id()).collect()
    }

    #[test]
    fn an_item_read_twice_is_kept_at_its_latest_version() {
        let older = item("a", "2026-01-01T10:00:00Z");
        let mut newer = older.clone();
        newer.version = 3;
        newer.status = Status::Resolved;
        newer.text = "edited".into();
        let other = item("b", "2026-01-01T09:00:00Z");
        let mut first = Part::default();
        first.push(&newer);
        first.push(&other);
        let mut second = Part::default();
        second.push(&older);
        let table = Table::from_parts(vec![first, second]);
        assert_eq!(table.len(), 2);
        assert_eq!(queue(&table), [other.id, older.id]);
        let slot = table.slot_of(older.id).unwrap();
        assert_eq!(table.entry(slot).status, Status::Resolved);
        assert_eq!(table.strings(slot).text, "edited");
        assert_eq!(table.counts().get(Status::Resolved), 1);
        assert_eq!(table.counts().get(Status::New), 1);
    }

    #[test]
    fn changes_move_entries_and_stale_ones_are_ignored() {
        let a = item("a", "2026-01-01T10:00:00Z");
        let b = item("b", "2026-01-01T11:00:00Z");
        let mut table = Table::default();
        table.apply(&a);
        table.apply(&b);
        assert_eq!(queue(&table), [a.id, b.id]);
        let mut urgent = b.clone();
        urgent.version = 2;
        urgent.priority = Priority::Urgent;
        table.apply(&urgent);
        assert_eq!(queue(&table), [b.id, a.id]);
        table.apply(&b);
        assert_eq!(queue(&table), [b.id, a.id], "version 1 is older than 2");
        assert_eq!(table.counts().total(), 2);
    }
}
