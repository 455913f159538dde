//! [`EntryView`]: an index entry with its strings and vocabulary at hand, as the query
//! language sees it (a [`Subject`], like an item).

use chrono::{DateTime, Utc};

use super::arena::Strings;
use super::entry::{flag, Entry};
use super::vocab::Vocab;
use crate::model::query::{Subject, TextField, TextFields};
use crate::model::{Kind, Platform, Priority, Status};

pub(super) struct EntryView<'a> {
    entry: &'a Entry,
    strings: Strings<'a>,
    vocab: &'a Vocab,
}

impl<'a> EntryView<'a> {
    pub fn new(entry: &'a Entry, strings: Strings<'a>, vocab: &'a Vocab) -> EntryView<'a> {
        EntryView {
            entry,
            strings,
            vocab,
        }
    }

    fn field(&self, s: &'a str, folds_like_ascii: u8) -> TextField<'a> {
        if self.entry.has(folds_like_ascii) {
            TextField::FoldsLikeAscii(s)
        } else {
            TextField::Raw(s)
        }
    }
}

impl Subject for EntryView<'_> {
    fn platform(&self) -> &Platform {
        self.vocab.platform(self.entry.platform)
    }
    fn account(&self) -> &str {
        self.vocab.account(self.entry.account)
    }
    fn kind(&self) -> Kind {
        self.entry.kind
    }
    fn status(&self) -> Status {
        self.entry.status
    }
    fn priority(&self) -> Priority {
        self.entry.priority
    }
    fn tags(&self) -> impl Iterator<Item = &str> + '_ {
        self.vocab.tags(self.entry.tags)
    }
    fn lang(&self) -> Option<&str> {
        self.vocab.lang(self.entry.lang)
    }
    fn handle(&self) -> &str {
        self.strings.handle
    }
    fn assignee(&self) -> Option<&str> {
        self.vocab.assignee(self.entry.assignee)
    }
    fn created_at(&self) -> DateTime<Utc> {
        self.entry.created_at
    }
    fn snoozed_until(&self) -> Option<DateTime<Utc>> {
        self.entry.snoozed_until
    }
    /// Only meaningful when the whole text is kept (the caller checks [`flag::TEXT_CUT`]).
    fn text_fields(&self) -> TextFields<'_> {
        TextFields {
            text: self.field(self.strings.text, flag::TEXT_ASCII_FOLD),
            handle: self.field(self.strings.handle, flag::HANDLE_ASCII_FOLD),
            name: self.field(self.strings.name, flag::NAME_ASCII_FOLD),
        }
    }
}
