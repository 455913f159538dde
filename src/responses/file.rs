//! One response file: TOML front matter between two `+++` lines, then the body verbatim.
//!
//! ```text
//! +++
//! name = "refund-delay"          # shared by the language variants of one response
//! language = "en"                # a primary language subtag: en, fr, de, pt, ...
//! tags = ["refund", "delay"]
//! platforms = ["x", "mastodon"]  # optional: default every platform
//! [fields]                       # optional fill-in fields: key = what the CM is asked
//! order = "Order number"
//! +++
//! Hi {author.name}, sorry for the wait on order {order}. ...
//! ```
//!
//! Reading checks what a response needs to be usable at all, and refuses the file with a
//! located problem otherwise: the front matter's shape (unknown keys are refused, so a typo
//! never silently drops a setting), a name usable on a command line, a plain language tag,
//! known platforms, field keys that cannot clash with the built-in variables. What is about
//! the body or the library as a whole (variables, lengths, duplicates) is `check.rs`.
//! Blank lines around the body and trailing spaces are not part of the reply.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::library::{CannedResponse, Field, Problem};
use super::template::BUILT_IN;
use crate::model::Platform;

/// The line that opens and closes the front matter.
const FENCE: &str = "+++";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    name: Spanned<String>,
    language: Spanned<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    platforms: Vec<Spanned<String>>,
    #[serde(default)]
    fields: BTreeMap<String, Spanned<String>>,
}

/// Reads one file; `relative` is how problems name it.
pub fn read(path: &Path, relative: &str) -> Result<CannedResponse, Problem> {
    let bytes = std::fs::read(path)
        .map_err(|e| Problem::error(relative, 0, format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| Problem::error(relative, 0, format!("not UTF-8 text: {e}")))?;
    parse(relative, &text)
}

/// Parses a file's text; `relative` is how problems name it.
pub fn parse(relative: &str, text: &str) -> Result<CannedResponse, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let fail = |line: usize, message: String| Problem::error(relative, line, message);
    if lines.first().map(|l| l.trim_end()) != Some(FENCE) {
        return Err(fail(
            1,
            format!("a response starts with a `{FENCE}` line, then its TOML front matter (name, language, ...), then `{FENCE}` and the body"),
        ));
    }
    let close = lines[1..]
        .iter()
        .position(|l| l.trim_end() == FENCE)
        .map(|i| i + 1)
        .ok_or_else(|| {
            fail(
                1,
                format!("the front matter is never closed by a `{FENCE}` line"),
            )
        })?;
    let front = lines[1..close].join("\n");
    // The front matter's first line is the file's line 2.
    let front_line = |offset: usize| 2 + front[..offset.min(front.len())].matches('\n').count();
    let matter: FrontMatter = toml::from_str(&front).map_err(|e| {
        let line = e.span().map_or(1, |span| front_line(span.start));
        fail(line, format!("front matter: {}", e.message().trim_end()))
    })?;
    let (body, body_line) = body_of(&lines[close + 1..], close + 2);
    let mut response = CannedResponse {
        name: matter.name.get_ref().trim().to_string(),
        language: matter.language.get_ref().trim().to_ascii_lowercase(),
        tags: matter
            .tags
            .iter()
            .map(|t| t.trim().to_lowercase())
            .collect(),
        platforms: Vec::new(),
        fields: Vec::new(),
        body,
        path: relative.to_string(),
        body_line,
    };
    let name_line = front_line(matter.name.span().start);
    check_name(&response.name).map_err(|m| fail(name_line, m))?;
    let language_line = front_line(matter.language.span().start);
    check_language(&response.language).map_err(|m| fail(language_line, m))?;
    for given in &matter.platforms {
        let line = front_line(given.span().start);
        response
            .platforms
            .push(platform(given.get_ref()).map_err(|m| fail(line, m))?);
    }
    for (key, prompt) in &matter.fields {
        let line = front_line(prompt.span().start);
        check_field_key(key).map_err(|m| fail(line, m))?;
        let prompt = prompt.get_ref().trim().to_string();
        response.fields.push(Field {
            key: key.clone(),
            prompt,
            line,
        });
    }
    Ok(response)
}

/// The body without the blank lines around it and trailing spaces, and its first line.
fn body_of(lines: &[&str], first_line: usize) -> (String, usize) {
    let leading = lines.iter().take_while(|l| l.trim().is_empty()).count();
    let body = lines[leading..].join("\n").trim_end().to_string();
    (body, first_line + leading)
}

/// A name scripts can type: lower-case letters, digits, `-` and `_`.
fn check_name(name: &str) -> Result<(), String> {
    let ok = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    match !name.is_empty() && ok {
        true => Ok(()),
        false => Err(format!(
            "name '{}' must be lower-case letters, digits, '-' and '_' (it is typed in `reply --canned NAME`)",
            name.escape_debug()
        )),
    }
}

/// A plain primary subtag: 2 or 3 letters.
fn check_language(language: &str) -> Result<(), String> {
    let letters = language.chars().all(|c| c.is_ascii_lowercase());
    match letters && (2..=3).contains(&language.len()) {
        true => Ok(()),
        false => Err(format!(
            "language '{}' is not a plain 2-3 letter tag (en, fr, de, ...): regional variants like fr-CA use the fr file",
            language.escape_debug()
        )),
    }
}

fn platform(name: &str) -> Result<Platform, String> {
    match Platform::from(name.to_string()) {
        Platform::Other(other) => {
            let known: Vec<&str> = Platform::KNOWN.iter().map(|p| p.as_str()).collect();
            Err(format!(
                "unknown platform '{}' (known: {})",
                other.escape_debug(),
                known.join(", ")
            ))
        }
        known => Ok(known),
    }
}

/// Field keys are plain words: a dot is reserved for the built-in variables.
fn check_field_key(key: &str) -> Result<(), String> {
    if BUILT_IN.contains(&key) {
        return Err(format!(
            "field '{key}' is a built-in variable; choose another key"
        ));
    }
    let mut chars = key.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    match first_ok && rest_ok {
        true => Ok(()),
        false => Err(format!(
            "field key '{}' must start with a lower-case letter and hold only lower-case letters, digits and '_'",
            key.escape_debug()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\nname = \"refund-delay\"\nlanguage = \"EN\"\ntags = [\"Refund\"]\nplatforms = [\"twitter\", \"mastodon\"]\n[fields]\norder = \"Order number\"\n+++\n\nHi {author.name}, order {order}.\n\n";

    #[test]
    fn reads_front_matter_and_the_body_with_its_line() {
        let r = parse("refund.en.md", GOOD).unwrap();
        assert_eq!(r.name, "refund-delay");
        assert_eq!(r.language, "en");
        assert_eq!(r.tags, ["refund"]);
        assert_eq!(r.platforms, [Platform::X, Platform::Mastodon]);
        assert_eq!(r.fields.len(), 1);
        assert_eq!((r.fields[0].key.as_str(), r.fields[0].line), ("order", 7));
        assert_eq!(r.body, "Hi {author.name}, order {order}.");
        assert_eq!(r.body_line, 10);
    }

    #[test]
    fn crlf_and_a_byte_order_mark_are_fine() {
        let text = format!("\u{feff}{}", GOOD.replace('\n', "\r\n"));
        let r = parse("refund.en.md", &text).unwrap();
        assert_eq!(r.body, "Hi {author.name}, order {order}.");
    }

    fn problem(text: &str) -> String {
        parse("a.md", text).unwrap_err().to_string()
    }

    #[test]
    fn errors_are_located() {
        assert!(problem("hello").starts_with("a.md:1: error: a response starts with"));
        assert!(problem("+++\nname = \"a\"\n")
            .contains("a.md:1: error: the front matter is never closed"));
        let unknown = problem("+++\nname = \"a\"\nlanguage = \"en\"\nlang = \"fr\"\n+++\nhi");
        assert!(
            unknown.starts_with("a.md:4: error: front matter: unknown field `lang`"),
            "{unknown}"
        );
        let missing = problem("+++\nname = \"a\"\n+++\nhi");
        assert!(missing.contains("missing field `language`"), "{missing}");
        let syntax = problem("+++\nname = \"a\nlanguage = \"en\"\n+++\nhi");
        assert!(
            syntax.starts_with("a.md:2: error: front matter:"),
            "{syntax}"
        );
    }

    #[test]
    fn names_languages_platforms_and_field_keys_are_checked() {
        let with = |line: &str| format!("+++\nname = \"a\"\nlanguage = \"en\"\n{line}\n+++\nhi");
        let bad_name = problem("+++\nname = \"Refund Delay\"\nlanguage = \"en\"\n+++\nhi");
        assert!(
            bad_name.starts_with("a.md:2: error: name 'Refund Delay'"),
            "{bad_name}"
        );
        let regional = problem("+++\nname = \"a\"\nlanguage = \"fr-CA\"\n+++\nhi");
        assert!(
            regional.starts_with("a.md:3: error: language 'fr-ca' is not a plain"),
            "{regional}"
        );
        let platform = problem(&with("platforms = [\"x\", \"myspace\"]"));
        assert!(
            platform.starts_with("a.md:4: error: unknown platform 'myspace'"),
            "{platform}"
        );
        let dotted = problem(&with("[fields]\n\"order.id\" = \"Order\""));
        assert!(
            dotted.starts_with("a.md:5: error: field key 'order.id'"),
            "{dotted}"
        );
        let built_in = problem(&with("[fields]\nbrand = \"Brand\""));
        assert!(built_in.contains("built-in variable"), "{built_in}");
    }
}
