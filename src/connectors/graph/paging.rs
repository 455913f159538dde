//! Graph API lists: `{"data": [...], "paging": {"cursors": {"before", "after"}, "next"}}`.
//! The next page is asked for with `after=<cursor>` on the account's own `api_base`, never by
//! following `paging.next` (an absolute URL on Meta's host, with the token in it). A list
//! without `next` is complete.

use serde::Deserialize;
use serde_json::Value;

/// One page of a Graph list: the entries kept as JSON, each read on its own (one bad entry
/// is a payload problem, not a lost page).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Paged {
    #[serde(default)]
    pub data: Vec<Value>,
    #[serde(default)]
    pub paging: Option<Paging>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Paging {
    #[serde(default)]
    pub cursors: Option<Cursors>,
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Cursors {
    #[serde(default)]
    pub before: Option<String>,
    #[serde(default)]
    pub after: Option<String>,
}

impl Paged {
    /// The `after` cursor of the next page, when there is one.
    pub fn next_after(&self) -> Option<&str> {
        let paging = self.paging.as_ref()?;
        paging.next.as_ref()?;
        paging
            .cursors
            .as_ref()?
            .after
            .as_deref()
            .filter(|a| !a.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_next_page_is_the_after_cursor_only_when_there_is_a_next() {
        let more: Paged = serde_json::from_value(json!({
            "data": [{"id": "1"}],
            "paging": {"cursors": {"before": "b", "after": "a"}, "next": "https://graph.facebook.com/x?after=a"}
        }))
        .unwrap();
        assert_eq!(more.next_after(), Some("a"));
        let last: Paged = serde_json::from_value(json!({
            "data": [], "paging": {"cursors": {"before": "b", "after": "a"}}
        }))
        .unwrap();
        assert_eq!(last.next_after(), None);
        let bare: Paged = serde_json::from_value(json!({"data": []})).unwrap();
        assert_eq!(bare.next_after(), None);
    }
}
