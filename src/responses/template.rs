//! A response body's `{variables}`, and filling them for one item.
//!
//! Built-in variables come from the item and the hub: `{author.name}` (the customer's display
//! name, else their handle), `{author.handle}` (without `@`: write `@{author.handle}`),
//! `{agent.name}` (the CM's display name on the hub), `{brand}` (`[brand] name`) and
//! `{item.platform}` (`x`, `mastodon`, ...). Any other `{key}` is a fill-in field the
//! response declares in `[fields]`; the CM is asked for it when inserting the response, in
//! the order the fields first appear in the body. `{{` and `}}` are literal braces.
//!
//! Values are platform text (a customer's name): each is put on one line and stripped of
//! control and bidi characters before it goes into a reply.

use std::collections::BTreeMap;

use super::library::{CannedResponse, Field};
use crate::model::Item;

/// The variables every response may use.
pub const BUILT_IN: [&str; 5] = [
    "author.name",
    "author.handle",
    "agent.name",
    "brand",
    "item.platform",
];

/// A piece of a body: text as it is, or a variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Var {
        name: &'a str,
        /// The body line it is on (1 = the body's first line).
        line: usize,
    },
}

/// A body that cannot be read, at a line of the body.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    pub line: usize,
    pub message: String,
}

/// Splits a body into text and variables.
pub fn parse(body: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut pieces = Vec::new();
    let (mut rest, mut line) = (body, 1);
    while let Some(at) = rest.find(['{', '}']) {
        let (text, tail) = rest.split_at(at);
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        line += text.matches('\n').count();
        let brace = &tail[..1];
        if tail[1..].starts_with(brace) {
            pieces.push(Piece::Text(brace));
            rest = &tail[2..];
            continue;
        }
        let fail = |message: &str| TemplateError {
            line,
            message: message.to_string(),
        };
        if brace == "}" {
            return Err(fail("a lone `}` (write `}}` for a literal brace)"));
        }
        let end = tail[1..]
            .find(['}', '{', '\n'])
            .map(|i| i + 1)
            .filter(|&i| tail[i..].starts_with('}'))
            .ok_or_else(|| fail("a `{` that is never closed (write `{{` for a literal brace)"))?;
        let name = &tail[1..end];
        if !is_variable_name(name) {
            return Err(fail(&format!(
                "`{{{name}}}` is not a variable: use letters, digits, '_', '-' and '.' (write `{{{{` for a literal brace)"
            )));
        }
        pieces.push(Piece::Var { name, line });
        rest = &tail[end + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    Ok(pieces)
}

fn is_variable_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// The values of the built-in variables for one item.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    pub author_name: String,
    pub author_handle: String,
    pub agent_name: String,
    pub brand: String,
    pub platform: String,
}

impl Context {
    /// For a reply to `item` by the agent called `agent_name`, for `brand`.
    pub fn for_item(item: &Item, agent_name: &str, brand: &str) -> Context {
        let (name, handle) = (clean(&item.author.name), clean(&item.author.handle));
        Context {
            author_name: if name.is_empty() {
                handle.clone()
            } else {
                name
            },
            author_handle: handle.trim_start_matches('@').to_string(),
            agent_name: clean(agent_name),
            brand: clean(brand),
            platform: item.platform.as_str().to_string(),
        }
    }

    /// A built-in variable's value.
    pub fn value(&self, name: &str) -> Option<&str> {
        Some(match name {
            "author.name" => &self.author_name,
            "author.handle" => &self.author_handle,
            "agent.name" => &self.agent_name,
            "brand" => &self.brand,
            "item.platform" => &self.platform,
            _ => return None,
        })
    }
}

/// One line, without control, bidi or zero-width characters, trimmed.
pub fn clean(value: &str) -> String {
    let one_line: String = value
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .filter(|c| !c.is_control() && !is_invisible(*c))
        .collect();
    one_line.trim().to_string()
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// Why a response cannot be filled.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FillError {
    #[error("{path}:{line}: {message}")]
    Template {
        path: String,
        line: usize,
        message: String,
    },
    #[error("unknown variable {{{name}}} at {path}:{line}: it is neither built in nor declared in [fields]")]
    Unknown {
        name: String,
        path: String,
        line: usize,
    },
    #[error("{}", missing_message(fields))]
    Missing { fields: Vec<Field> },
}

fn missing_message(fields: &[Field]) -> String {
    let wanted: Vec<String> = fields
        .iter()
        .map(|f| format!("--var {}=... ({})", f.key, f.prompt))
        .collect();
    format!("fill in {}", wanted.join(", "))
}

/// The fields the body uses, in the order they first appear, then those it never uses.
pub fn fields_in_order(response: &CannedResponse) -> Vec<&Field> {
    let used: Vec<&str> = parse(&response.body)
        .map(|pieces| variable_names(&pieces))
        .unwrap_or_default();
    let mut ordered: Vec<&Field> = used.iter().filter_map(|n| response.field(n)).collect();
    let mut seen = std::collections::BTreeSet::new();
    ordered.retain(|f| seen.insert(f.key.as_str()));
    ordered.extend(
        response
            .fields
            .iter()
            .filter(|f| !seen.contains(f.key.as_str())),
    );
    ordered
}

fn variable_names<'a>(pieces: &[Piece<'a>]) -> Vec<&'a str> {
    pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Var { name, .. } => Some(*name),
            Piece::Text(_) => None,
        })
        .collect()
}

/// The declared fields `vars` has no (non-blank) value for, in the order they are asked.
pub fn missing_fields<'a>(
    response: &'a CannedResponse,
    vars: &BTreeMap<String, String>,
) -> Vec<&'a Field> {
    fields_in_order(response)
        .into_iter()
        .filter(|f| vars.get(&f.key).is_none_or(|v| v.trim().is_empty()))
        .collect()
}

/// The reply: every variable replaced. Refuses a broken body, an unknown variable and
/// missing fields (all of them at once, in the order they are asked).
pub fn fill(
    response: &CannedResponse,
    context: &Context,
    vars: &BTreeMap<String, String>,
) -> Result<String, FillError> {
    let missing = missing_fields(response, vars);
    let text = render(response, context, vars, false)?;
    match missing.is_empty() {
        true => Ok(text),
        false => Err(FillError::Missing {
            fields: missing.into_iter().cloned().collect(),
        }),
    }
}

/// What the picker shows: the body filled as far as it can be; a field not given yet (or an
/// unknown variable) stays as `{key}`.
pub fn preview(
    response: &CannedResponse,
    context: &Context,
    vars: &BTreeMap<String, String>,
) -> Result<String, FillError> {
    render(response, context, vars, true)
}

fn render(
    response: &CannedResponse,
    context: &Context,
    vars: &BTreeMap<String, String>,
    keep_unfilled: bool,
) -> Result<String, FillError> {
    let pieces = parse(&response.body).map_err(|e| FillError::Template {
        path: response.path.clone(),
        line: response.body_line + e.line - 1,
        message: e.message,
    })?;
    let mut out = String::with_capacity(response.body.len() + 32);
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Var { name, line } => {
                let given = vars.get(name).map(|v| clean(v)).filter(|v| !v.is_empty());
                let field = response.field(name).map(|_| given);
                match (context.value(name), field) {
                    (Some(value), _) => out.push_str(value),
                    (None, Some(Some(value))) => out.push_str(&value),
                    (None, Some(None)) => out.push_str(&format!("{{{name}}}")),
                    (None, None) if keep_unfilled => out.push_str(&format!("{{{name}}}")),
                    (None, None) => {
                        return Err(FillError::Unknown {
                            name: name.to_string(),
                            path: response.path.clone(),
                            line: response.body_line + line - 1,
                        })
                    }
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "template_tests.rs"]
mod tests;
