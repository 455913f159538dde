//! Rich-text facets for a post we write: `@handle` mentions and `http(s)://` links, each
//! with its range in UTF-8 *bytes* of the text (`byteStart` inclusive, `byteEnd`
//! exclusive), as `app.bsky.richtext.facet` wants. Found the way the Bluesky app finds them:
//! a mention or link starts the text or follows a space or `(`; trailing punctuation is
//! not part of it. Bare domains (`example.com`) are left as text. A mention whose handle
//! does not resolve to a DID gets no facet (it stays plain text).

use serde_json::{json, Value};

/// Something found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// A handle, without its `@`.
    Mention(String),
    Link(String),
}

/// A span of the text, in bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub found: Found,
}

/// The mentions and links in `text`.
pub fn find(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut previous: Option<char> = None;
    let mut skip_to = 0;
    for (start, c) in text.char_indices() {
        let boundary = previous.is_none_or(|p| p.is_whitespace() || p == '(');
        previous = Some(c);
        if start < skip_to || !boundary {
            continue;
        }
        let word_end = text[start..]
            .find(char::is_whitespace)
            .map_or(text.len(), |n| start + n);
        let word = &text[start..word_end];
        let span = if let Some(rest) = word.strip_prefix('@') {
            mention(rest).map(|handle| Span {
                start,
                end: start + 1 + handle.len(),
                found: Found::Mention(handle.to_string()),
            })
        } else if word.starts_with("https://") || word.starts_with("http://") {
            link(word).map(|url| Span {
                start,
                end: start + url.len(),
                found: Found::Link(url.to_string()),
            })
        } else {
            None
        };
        if let Some(span) = span {
            skip_to = span.end;
            spans.push(span);
        }
    }
    spans
}

/// The handle at the start of `rest` (after the `@`), if it looks like one: labels of
/// letters, digits and `-`, at least two, the last starting with a letter.
fn mention(rest: &str) -> Option<&str> {
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .unwrap_or(rest.len());
    let handle = rest[..len].trim_end_matches(['.', '-']);
    let labels: Vec<&str> = handle.split('.').collect();
    let valid = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-'))
        && labels
            .last()
            .is_some_and(|tld| tld.starts_with(|c: char| c.is_ascii_alphabetic()));
    valid.then_some(handle)
}

/// The link at the start of `word`, without trailing punctuation (and without closing
/// parentheses it did not open).
fn link(word: &str) -> Option<&str> {
    let mut url = word;
    loop {
        url = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '"', '\'']);
        let unbalanced = url.matches(')').count() > url.matches('(').count();
        match url.strip_suffix(')') {
            Some(shorter) if unbalanced => url = shorter,
            _ => break,
        }
    }
    let host = url.split_once("://")?.1;
    (!host.is_empty() && !host.starts_with('/')).then_some(url)
}

/// The facets of `spans`; `did_of` resolves a mention's handle (no DID: no facet).
pub fn build(spans: &[Span], did_of: impl Fn(&str) -> Option<String>) -> Vec<Value> {
    spans
        .iter()
        .filter_map(|span| {
            let feature = match &span.found {
                Found::Mention(handle) => json!({
                    "$type": "app.bsky.richtext.facet#mention",
                    "did": did_of(handle)?,
                }),
                Found::Link(uri) => json!({ "$type": "app.bsky.richtext.facet#link", "uri": uri }),
            };
            Some(json!({
                "index": { "byteStart": span.start, "byteEnd": span.end },
                "features": [feature],
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<(&str, Found)> {
        find(text)
            .into_iter()
            .map(|s| (&text[s.start..s.end], s.found))
            .collect()
    }

    #[test]
    fn byte_ranges_count_utf8_bytes_past_emoji_and_accents() {
        let text = "Désolé 😡 @ann.test, voyez https://ex.ample/a?b=ç. Merci";
        let found = find(text);
        assert_eq!(found.len(), 2);
        // "Désolé " is 9 bytes, "😡 " 5: the mention starts at byte 14.
        assert_eq!((found[0].start, found[0].end), (14, 23));
        assert_eq!(&text[found[0].start..found[0].end], "@ann.test");
        assert_eq!(found[0].found, Found::Mention("ann.test".into()));
        assert_eq!(
            &text[found[1].start..found[1].end],
            "https://ex.ample/a?b=ç"
        );
        let facets = build(&found, |h| (h == "ann.test").then(|| "did:plc:ann".into()));
        assert_eq!(facets[0]["index"]["byteStart"], 14);
        assert_eq!(facets[0]["features"][0]["did"], "did:plc:ann");
        assert_eq!(facets[1]["features"][0]["uri"], "https://ex.ample/a?b=ç");
    }

    #[test]
    fn only_real_mentions_and_links_are_found() {
        assert_eq!(
            spans("mail me@ann.test or @ann or @-x.test or (@bob.example.com)."),
            [("@bob.example.com", Found::Mention("bob.example.com".into()))]
        );
        assert_eq!(
            spans("(see https://a.b/x_(y)) and https://c.d/z)."),
            [
                ("https://a.b/x_(y)", Found::Link("https://a.b/x_(y)".into())),
                ("https://c.d/z", Found::Link("https://c.d/z".into())),
            ]
        );
        assert!(spans("https:// nothing, x.com, http:///path").is_empty());
        assert!(spans("").is_empty());
    }

    #[test]
    fn unresolved_handles_get_no_facet() {
        let found = find("@ghost.test hi");
        assert_eq!(build(&found, |_| None), Vec::<Value>::new());
    }
}
