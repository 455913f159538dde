//! Status HTML → the plain text a community manager reads.
//!
//! Mastodon sends a status as sanitized HTML (`<p>`, `<br>`, `<a>`, `<span>`; remote servers
//! add lists, quotes, `<pre>`, emphasis). This renders it the way Mastodon's own web client
//! shows it, as text:
//!
//! - paragraphs and other blocks are separated by a blank line, `<br>` is a newline, list
//!   items start with `- `, whitespace collapses as in a browser (kept inside `<pre>`);
//! - a mention or hashtag link is its text (`@alice`, `#tag`); a link showing its own URL is
//!   the full URL, `class="invisible"` parts included and the `ellipsis` part not cut (what
//!   Mastodon's "copy link" gives); any other `http(s)` link keeps its target visible after
//!   its text, `text (https://…)`, so no one is misled about where it points;
//! - entities are decoded (named ones in common use, decimal and hex), unknown tags dropped
//!   with their text kept, and `<script>`, `<style>` and the like dropped with their content.
//!
//! It is a small single-pass scanner, linear in the input, that never fails: unclosed and
//! stray tags, a `<` that starts no tag and truncated input all give text. (`html2text` was
//! tried on the recorded fixtures: its plain renderer footnotes every mention and hashtag,
//! its trivial one drops the target of a plain link, and neither sees the `mention` class.)

mod entities;
mod tags;

pub use entities::decode_entities;
use tags::{skip_to_end_tag, Tag};

/// Tags whose content is never text.
const DROPPED: [&str; 9] = [
    "script", "style", "template", "noscript", "iframe", "object", "svg", "math", "head",
];
/// Tags that end a paragraph (a blank line around them).
const PARAGRAPHS: [&str; 14] = [
    "p",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "figure",
    "hr",
];
/// Tags that end a line.
const LINES: [&str; 9] = [
    "div", "li", "tr", "dt", "dd", "section", "article", "header", "footer",
];

/// The plain text of a status's HTML.
pub fn to_text(html: &str) -> String {
    let mut out = Writer::default();
    let bytes = html.as_bytes();
    let mut at = 0;
    while at < html.len() {
        let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) else {
            out.text(&html[at..]);
            break;
        };
        out.text(&html[at..lt]);
        at = match Tag::parse(html, lt) {
            Some((tag, end)) => out.tag(html, tag, end),
            None => {
                out.text("<");
                lt + 1
            }
        };
    }
    out.finish()
}

/// An open link: where its text starts in the output, and where it points.
struct Link {
    start: usize,
    href: Option<String>,
    /// A mention or a hashtag: its text alone says it.
    tag_like: bool,
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Newlines owed before the next text (2: a blank line).
    breaks: usize,
    space: bool,
    /// Written after the owed newlines (a list item's `- `).
    prefix: Option<&'static str>,
    pre: usize,
    link: Option<Link>,
}

impl Writer {
    /// Handles a tag; returns where scanning goes on.
    fn tag(&mut self, html: &str, tag: Tag<'_>, end: usize) -> usize {
        let name = tag.name.as_str();
        if tag.closing {
            match name {
                "a" => self.close_link(),
                "pre" => self.pre = self.pre.saturating_sub(1),
                _ => {}
            }
        } else if DROPPED.contains(&name) && !tag.attrs.trim_end().ends_with('/') {
            return skip_to_end_tag(html, end, name);
        }
        match name {
            "br" if !tag.closing => self.breaks = (self.breaks + 1).min(2),
            "a" if !tag.closing => self.open_link(&tag),
            "li" if !tag.closing => {
                self.block(1);
                self.prefix = Some("- ");
            }
            _ if PARAGRAPHS.contains(&name) => self.block(2),
            _ if LINES.contains(&name) => self.block(1),
            _ => {}
        }
        if name == "pre" && !tag.closing {
            self.pre += 1;
        }
        end
    }

    fn block(&mut self, breaks: usize) {
        self.breaks = self.breaks.max(breaks);
        self.space = false;
    }

    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let decoded = decode_entities(raw);
        for c in decoded.chars() {
            if self.pre == 0 && c.is_whitespace() && c != '\u{a0}' {
                self.space = true;
                continue;
            }
            self.flush();
            self.out.push(c);
        }
    }

    /// Writes the owed newlines, prefix or space before a visible character.
    fn flush(&mut self) {
        if self.out.is_empty() {
            self.breaks = 0;
            self.space = false;
        }
        if self.breaks > 0 {
            let trimmed = self.out.trim_end_matches([' ', '\t']).len();
            self.out.truncate(trimmed);
            let have = self.out.len() - self.out.trim_end_matches('\n').len();
            for _ in have..self.breaks {
                self.out.push('\n');
            }
            self.breaks = 0;
            self.space = false;
        }
        if let Some(prefix) = self.prefix.take() {
            self.out.push_str(prefix);
            self.space = false;
        }
        if std::mem::take(&mut self.space) && !self.out.ends_with(['\n', ' ']) {
            self.out.push(' ');
        }
    }

    fn open_link(&mut self, tag: &Tag<'_>) {
        self.close_link();
        self.flush_space_only();
        self.link = Some(Link {
            start: self.out.len(),
            href: tag
                .attr("href")
                .filter(|h| h.starts_with("http://") || h.starts_with("https://")),
            tag_like: tag.has_class("mention")
                || tag.has_class("hashtag")
                || tag.attr("rel").is_some_and(|r| r.contains("tag")),
        });
    }

    /// A space owed before a link goes before it, not inside its text.
    fn flush_space_only(&mut self) {
        if self.space && self.breaks == 0 && !self.out.is_empty() {
            self.flush();
        }
    }

    fn close_link(&mut self) {
        let Some(link) = self.link.take() else { return };
        let Some(href) = link.href.filter(|_| !link.tag_like) else {
            return;
        };
        let text = self.out[link.start..].trim().to_string();
        if text.is_empty() || same_target(&text, &href) {
            let keep = self.out.len() - self.out[link.start..].trim_start().len();
            self.out.truncate(keep);
            self.out.push_str(&href);
        } else {
            self.out.push_str(" (");
            self.out.push_str(&href);
            self.out.push(')');
        }
    }

    fn finish(mut self) -> String {
        self.close_link();
        let lines: Vec<&str> = self.out.lines().map(str::trim_end).collect();
        lines.join("\n").trim().to_string()
    }
}

/// Whether a link's text shows its own target (perhaps without the scheme, or cut with `…`).
fn same_target(text: &str, href: &str) -> bool {
    let strip = |s: &str| {
        let s = s.trim();
        let s = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .unwrap_or(s);
        let s = s.strip_prefix("www.").unwrap_or(s);
        s.trim_end_matches('/').to_ascii_lowercase()
    };
    let (text, href) = (strip(text), strip(href));
    match text.strip_suffix('…') {
        Some(cut) => !cut.is_empty() && href.starts_with(cut),
        None => text == href,
    }
}

#[cfg(test)]
mod tests;
