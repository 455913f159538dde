//! Finding tags in status HTML: a tag's name and attributes, where it ends (quotes
//! respected), comments and declarations, and the end of an element whose content is dropped.
//! Never fails: a `<` that starts no tag is text, an unterminated tag runs to the end.

use super::entities::decode_entities;

/// A tag as found in the source.
pub(super) struct Tag<'a> {
    pub name: String,
    pub closing: bool,
    pub attrs: &'a str,
}

impl<'a> Tag<'a> {
    /// The tag starting at `lt` and the offset after it; `None` when `<` starts no tag.
    /// Comments and declarations come back as a tag named `!`.
    pub fn parse(html: &'a str, lt: usize) -> Option<(Tag<'a>, usize)> {
        let rest = &html[lt + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            let end = comment.find("-->").map_or(html.len(), |i| lt + 4 + i + 3);
            return Some((Tag::bang(), end));
        }
        let first = rest.chars().next()?;
        if first == '!' || first == '?' {
            return Some((Tag::bang(), close_of(html, lt)));
        }
        let (closing, body) = match rest.strip_prefix('/') {
            Some(body) => (true, body),
            None => (false, rest),
        };
        if !body.chars().next()?.is_ascii_alphabetic() {
            return None;
        }
        let name_len = body
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .unwrap_or(body.len());
        let end = close_of(html, lt);
        let attrs_start = (html.len() - body.len() + name_len).min(end);
        let attrs_end = end.saturating_sub(1).max(attrs_start);
        let tag = Tag {
            name: body[..name_len].to_ascii_lowercase(),
            closing,
            attrs: &html[attrs_start..attrs_end],
        };
        Some((tag, end))
    }

    fn bang() -> Tag<'static> {
        Tag {
            name: "!".into(),
            closing: false,
            attrs: "",
        }
    }

    /// An attribute's value, entities decoded.
    pub fn attr(&self, wanted: &str) -> Option<String> {
        let mut rest = self.attrs;
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() {
                return None;
            }
            let name_len = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '=')
                .unwrap_or(rest.len());
            let name = &rest[..name_len];
            rest = rest[name_len..].trim_start();
            let mut value = "";
            if let Some(after) = rest.strip_prefix('=') {
                let after = after.trim_start();
                let (v, next) = match after.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let inner = &after[1..];
                        let end = inner.find(q).unwrap_or(inner.len());
                        (&inner[..end], &inner[(end + 1).min(inner.len())..])
                    }
                    _ => {
                        let end = after
                            .find(|c: char| c.is_ascii_whitespace())
                            .unwrap_or(after.len());
                        (&after[..end], &after[end..])
                    }
                };
                value = v;
                rest = next;
            }
            if name.eq_ignore_ascii_case(wanted) {
                return Some(decode_entities(value));
            }
        }
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_ascii_whitespace().any(|c| c == class))
    }
}

/// The offset after the `>` closing the tag that starts at `lt` (quotes respected), or the
/// end of the input.
fn close_of(html: &str, lt: usize) -> usize {
    let mut quote = None;
    for (i, b) in html.as_bytes()[lt..].iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if *b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(*b),
            (None, b'>') => return lt + i + 1,
            _ => {}
        }
    }
    html.len()
}

/// Skips the content of a dropped element: to after its end tag, or the end of the input.
pub(super) fn skip_to_end_tag(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(i) = memchr::memchr(b'<', &bytes[at..]) {
        let lt = at + i;
        let rest = &bytes[lt + 1..];
        if rest.first() == Some(&b'/')
            && rest.len() > name.len()
            && rest[1..=name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return close_of(html, lt);
        }
        at = lt + 1;
    }
    html.len()
}
