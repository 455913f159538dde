//! [`Subject`]: what the query language reads from the thing it matches. [`Item`] is one;
//! the hub's in-memory queue index offers its compact entries as another, so one matcher
//! serves the store scan and the index and both give the same answers.

use chrono::{DateTime, Utc};

use crate::model::{Item, Kind, Platform, Priority, Status};

/// One searchable text field, as a subject hands it to free-word matching.
#[derive(Clone, Copy, Debug)]
pub enum TextField<'a> {
    /// As received: folded (into a reused buffer) before it is searched.
    Raw(&'a str),
    /// Known to fold to its own ASCII lowercase (see [`folds_like_ascii`]): searched in
    /// place, ignoring ASCII case, with no folding at all.
    ///
    /// [`folds_like_ascii`]: super::folds_like_ascii
    FoldsLikeAscii(&'a str),
}

/// The fields free words and phrases look in: the text, the author's handle (found with or
/// without a leading `@`) and the author's display name.
#[derive(Clone, Copy, Debug)]
pub struct TextFields<'a> {
    pub text: TextField<'a>,
    pub handle: TextField<'a>,
    pub name: TextField<'a>,
}

/// Everything a query term can test.
pub trait Subject {
    fn platform(&self) -> &Platform;
    fn account(&self) -> &str;
    fn kind(&self) -> Kind;
    fn status(&self) -> Status;
    fn priority(&self) -> Priority;
    fn tags(&self) -> impl Iterator<Item = &str> + '_;
    fn lang(&self) -> Option<&str>;
    /// The author's handle as stored (without a leading `@`, usually).
    fn handle(&self) -> &str;
    fn assignee(&self) -> Option<&str>;
    fn created_at(&self) -> DateTime<Utc>;
    fn snoozed_until(&self) -> Option<DateTime<Utc>>;
    fn text_fields(&self) -> TextFields<'_>;
}

impl Subject for Item {
    fn platform(&self) -> &Platform {
        &self.platform
    }
    fn account(&self) -> &str {
        &self.account
    }
    fn kind(&self) -> Kind {
        self.kind
    }
    fn status(&self) -> Status {
        self.status
    }
    fn priority(&self) -> Priority {
        self.priority
    }
    fn tags(&self) -> impl Iterator<Item = &str> + '_ {
        self.tags.iter().map(String::as_str)
    }
    fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
    fn handle(&self) -> &str {
        &self.author.handle
    }
    fn assignee(&self) -> Option<&str> {
        self.assignee.as_deref()
    }
    fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
    fn snoozed_until(&self) -> Option<DateTime<Utc>> {
        self.snoozed_until
    }
    fn text_fields(&self) -> TextFields<'_> {
        TextFields {
            text: TextField::Raw(&self.text),
            handle: TextField::Raw(&self.author.handle),
            name: TextField::Raw(&self.author.name),
        }
    }
}
