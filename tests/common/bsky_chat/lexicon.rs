//! A small hand-written validator for atproto lexicon documents (the JSON files of
//! `../shared/fixtures/bluesky/lexicons/`, read in place), enough to hold the loopback chat
//! server to `chat.bsky.convo.*`: which methods exist and whether each is a query (GET) or
//! a procedure (POST); XRPC query parameters; JSON input and output bodies.
//!
//! What it checks, by schema type:
//! - `object`/`params`: `required` (a `null` counts as missing unless `nullable`), each
//!   known property's value; extra properties pass in bodies (lexicons evolve by adding
//!   fields) but **not in query parameters**, where an unknown name is almost always a
//!   client's typo (stricter than the reference implementation, on purpose);
//! - `string`: `minLength`/`maxLength` (UTF-8 bytes), `minGraphemes`/`maxGraphemes`,
//!   `enum`, `const`, and the formats `did`, `handle`, `datetime`, `uri`, `at-uri`, `tid`,
//!   `nsid` (others pass); `knownValues` are open by definition and not enforced;
//! - `integer` (`minimum`, `maximum`, `enum`, `const`), `boolean`, `null`;
//! - `array` (`minLength`/`maxLength` on the count, each item);
//! - `ref` (`#local`, `nsid#name`, `nsid` for `main`) and `union` (the member's `$type`
//!   must be present; a listed member is checked against its def; an unlisted one passes an
//!   open union and fails a `closed` one);
//! - `unknown`, `blob`, `bytes`, `cid-link`: an object.
//!
//! A ref to a lexicon that is not loaded (`app.bsky.richtext.facet`, `app.bsky.embed.*`,
//! `chat.bsky.embed.*`, `chat.bsky.group.defs`) is only checked to be an object:
//! [`Lexicons::unresolved_refs`] lists them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use unicode_segmentation::UnicodeSegmentation;

/// How deep a value may nest before the check gives up (refs can be recursive).
const MAX_DEPTH: usize = 64;

/// Whether an XRPC method is called with GET or POST.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodKind {
    Query,
    Procedure,
}

impl MethodKind {
    pub fn http_method(self) -> &'static str {
        match self {
            MethodKind::Query => "GET",
            MethodKind::Procedure => "POST",
        }
    }
}

/// A set of lexicon documents by id.
#[derive(Clone, Debug, Default)]
pub struct Lexicons {
    docs: BTreeMap<String, Value>,
}

impl Lexicons {
    /// Every `*.json` lexicon document in `dir`. Panics on a file that is not one.
    pub fn load(dir: &Path) -> Lexicons {
        let mut lexicons = Lexicons::default();
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let doc: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
            lexicons.add(doc);
        }
        lexicons
    }

    /// Adds one document. Panics when it is not a lexicon document.
    pub fn add(&mut self, doc: Value) {
        assert_eq!(doc["lexicon"], 1, "not a lexicon v1 document: {doc}");
        let id = doc["id"].as_str().expect("lexicon without id").to_string();
        assert!(doc["defs"].is_object(), "{id}: no defs");
        self.docs.insert(id, doc);
    }

    /// The ids of the loaded documents.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.docs.keys().map(String::as_str)
    }

    /// The XRPC methods (queries and procedures) defined.
    pub fn methods(&self) -> Vec<String> {
        self.ids()
            .filter(|id| self.method(id).is_some())
            .map(str::to_string)
            .collect()
    }

    /// Whether `nsid` is a query or a procedure; `None` when it is not a known method.
    pub fn method(&self, nsid: &str) -> Option<MethodKind> {
        match self.main(nsid)?.get("type")?.as_str()? {
            "query" => Some(MethodKind::Query),
            "procedure" => Some(MethodKind::Procedure),
            _ => None,
        }
    }

    /// The query parameters of a call, as they came (`members=a&members=b`).
    pub fn check_params(&self, nsid: &str, params: &[(String, String)]) -> Result<(), String> {
        let main = self
            .main(nsid)
            .ok_or_else(|| format!("{nsid}: no such method"))?;
        let schema = main.get("parameters");
        let mut given: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (key, value) in params {
            given.entry(key).or_default().push(value);
        }
        let properties = schema.and_then(|s| s.get("properties"));
        for (key, values) in &given {
            let Some(property) = properties.and_then(|p| p.get(*key)) else {
                return Err(format!("unknown parameter '{key}'"));
            };
            let path = format!("params.{key}");
            if property["type"] == "array" {
                check_count(property, values.len(), &path, "values")?;
                for (i, raw) in values.iter().enumerate() {
                    let item = &property["items"];
                    let value = coerce(item, raw, &format!("{path}[{i}]"))?;
                    self.field(nsid, item, &value, &format!("{path}[{i}]"), 0)?;
                }
            } else {
                if values.len() > 1 {
                    return Err(format!("{path}: given {} times", values.len()));
                }
                let value = coerce(property, values[0], &path)?;
                self.field(nsid, property, &value, &path, 0)?;
            }
        }
        for name in required(schema) {
            if !given.contains_key(name) {
                return Err(format!("params: '{name}' is required"));
            }
        }
        Ok(())
    }

    /// A procedure's JSON input body.
    pub fn check_input(&self, nsid: &str, body: &Value) -> Result<(), String> {
        self.check_body(nsid, "input", body)
    }

    /// A method's JSON output body.
    pub fn check_output(&self, nsid: &str, body: &Value) -> Result<(), String> {
        self.check_body(nsid, "output", body)
    }

    /// A method's `input` or `output` body against its schema.
    fn check_body(&self, nsid: &str, side: &str, body: &Value) -> Result<(), String> {
        let main = self
            .main(nsid)
            .ok_or_else(|| format!("{nsid}: no such method"))?;
        let schema = main
            .pointer(&format!("/{side}/schema"))
            .ok_or_else(|| format!("{nsid} has no {side}"))?;
        self.field(nsid, schema, body, side, 0)
    }

    /// A value against one def (`chat.bsky.convo.defs#messageView`).
    pub fn check(&self, reference: &str, value: &Value) -> Result<(), String> {
        let (id, def) = self
            .resolve("", reference)
            .ok_or_else(|| format!("no def {reference}"))?;
        self.field(&id, def, value, reference, 0)
    }

    /// Every ref (and union member) that points at a def that is not loaded.
    pub fn unresolved_refs(&self) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        for (id, doc) in &self.docs {
            let mut refs = Vec::new();
            collect_refs(&doc["defs"], &mut refs);
            for reference in refs {
                if self.resolve(id, &reference).is_none() {
                    found.insert(full_ref(id, &reference));
                }
            }
        }
        found
    }

    fn main(&self, nsid: &str) -> Option<&Value> {
        self.docs.get(nsid)?.pointer("/defs/main")
    }

    /// The def a ref names, with the id of its document.
    fn resolve(&self, context: &str, reference: &str) -> Option<(String, &Value)> {
        let full = full_ref(context, reference);
        let (id, name) = full.split_once('#').unwrap_or((&full, "main"));
        let def = self.docs.get(id)?.get("defs")?.get(name)?;
        Some((id.to_string(), def))
    }

    fn field(
        &self,
        context: &str,
        schema: &Value,
        value: &Value,
        path: &str,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!("{path}: nested too deep"));
        }
        let kind = schema.get("type").and_then(Value::as_str).unwrap_or("");
        match kind {
            "ref" => {
                let reference = schema["ref"].as_str().ok_or(format!("{path}: bad ref"))?;
                match self.resolve(context, reference) {
                    Some((id, def)) => self.field(&id, def, value, path, depth + 1),
                    None => expect_object(value, path),
                }
            }
            "union" => self.union(context, schema, value, path, depth),
            "object" | "params" => self.object(context, schema, value, path, depth),
            "array" => {
                let items = value
                    .as_array()
                    .ok_or_else(|| format!("{path}: expected an array, got {}", show(value)))?;
                check_count(schema, items.len(), path, "items")?;
                for (i, item) in items.iter().enumerate() {
                    self.field(
                        context,
                        &schema["items"],
                        item,
                        &format!("{path}[{i}]"),
                        depth + 1,
                    )?;
                }
                Ok(())
            }
            "string" => string(schema, value, path),
            "integer" => integer(schema, value, path),
            "boolean" => {
                let b = value
                    .as_bool()
                    .ok_or_else(|| format!("{path}: expected a boolean, got {}", show(value)))?;
                match schema.get("const").and_then(Value::as_bool) {
                    Some(c) if c != b => Err(format!("{path}: must be {c}")),
                    _ => Ok(()),
                }
            }
            "null" if value.is_null() => Ok(()),
            "null" => Err(format!("{path}: expected null, got {}", show(value))),
            "unknown" | "blob" | "bytes" | "cid-link" => expect_object(value, path),
            "token" => Err(format!("{path}: a token is not a value")),
            other => Err(format!("{path}: schema type '{other}' is not supported")),
        }
    }

    fn object(
        &self,
        context: &str,
        schema: &Value,
        value: &Value,
        path: &str,
        depth: usize,
    ) -> Result<(), String> {
        let object = value
            .as_object()
            .ok_or_else(|| format!("{path}: expected an object, got {}", show(value)))?;
        let nullable: Vec<&str> = schema
            .get("nullable")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for name in required(Some(schema)) {
            match object.get(name) {
                None => return Err(format!("{path}: '{name}' is required")),
                Some(Value::Null) if !nullable.contains(&name) => {
                    return Err(format!("{path}: '{name}' is required (null given)"))
                }
                _ => {}
            }
        }
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return Ok(());
        };
        for (name, property) in properties {
            match object.get(name) {
                None => {}
                Some(Value::Null) if nullable.contains(&name.as_str()) => {}
                Some(v) => {
                    self.field(context, property, v, &format!("{path}.{name}"), depth + 1)?
                }
            }
        }
        Ok(())
    }

    fn union(
        &self,
        context: &str,
        schema: &Value,
        value: &Value,
        path: &str,
        depth: usize,
    ) -> Result<(), String> {
        expect_object(value, path)?;
        let member = value
            .get("$type")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{path}: a union member needs a $type"))?;
        let member = member.strip_suffix("#main").unwrap_or(member);
        let refs = schema["refs"].as_array().cloned().unwrap_or_default();
        let listed = refs
            .iter()
            .filter_map(Value::as_str)
            .find(|r| full_ref(context, r).trim_end_matches("#main") == member);
        match listed {
            Some(reference) => match self.resolve(context, reference) {
                Some((id, def)) => self.field(&id, def, value, path, depth + 1),
                None => Ok(()),
            },
            None if schema.get("closed") == Some(&Value::Bool(true)) => Err(format!(
                "{path}: '{member}' is not a member of this closed union"
            )),
            None => Ok(()),
        }
    }
}

/// `#name` in the context of document `context`, made absolute.
fn full_ref(context: &str, reference: &str) -> String {
    match reference.strip_prefix('#') {
        Some(name) => format!("{context}#{name}"),
        None => reference.to_string(),
    }
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            match map.get("type").and_then(Value::as_str) {
                Some("ref") => out.extend(map.get("ref").and_then(Value::as_str).map(String::from)),
                Some("union") => out.extend(
                    map.get("refs")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(String::from),
                ),
                _ => {}
            }
            for v in map.values() {
                collect_refs(v, out);
            }
        }
        Value::Array(list) => list.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

fn required(schema: Option<&Value>) -> Vec<&str> {
    schema
        .and_then(|s| s.get("required"))
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// A query parameter's text as the JSON value its schema type calls for.
fn coerce(schema: &Value, raw: &str, path: &str) -> Result<Value, String> {
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") => raw
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("{path}: '{raw}' is not an integer")),
        Some("boolean") => match raw {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("{path}: '{raw}' is not a boolean")),
        },
        Some("string") => Ok(Value::String(raw.to_string())),
        other => Err(format!("{path}: parameter type {other:?} is not supported")),
    }
}

fn expect_object(value: &Value, path: &str) -> Result<(), String> {
    if value.is_object() {
        Ok(())
    } else {
        Err(format!("{path}: expected an object, got {}", show(value)))
    }
}

fn string(schema: &Value, value: &Value, path: &str) -> Result<(), String> {
    let s = value
        .as_str()
        .ok_or_else(|| format!("{path}: expected a string, got {}", show(value)))?;
    let limit = |name: &str| schema.get(name).and_then(Value::as_u64);
    let bytes = s.len() as u64;
    if limit("maxLength").is_some_and(|max| bytes > max) {
        return Err(format!(
            "{path}: {bytes} bytes, more than maxLength {}",
            limit("maxLength").unwrap_or_default()
        ));
    }
    if limit("minLength").is_some_and(|min| bytes < min) {
        return Err(format!("{path}: {bytes} bytes, fewer than minLength"));
    }
    if limit("maxGraphemes").is_some() || limit("minGraphemes").is_some() {
        let graphemes = s.graphemes(true).count() as u64;
        if let Some(max) = limit("maxGraphemes").filter(|max| graphemes > *max) {
            return Err(format!(
                "{path}: {graphemes} graphemes, more than maxGraphemes {max}"
            ));
        }
        if let Some(min) = limit("minGraphemes").filter(|min| graphemes < *min) {
            return Err(format!(
                "{path}: {graphemes} graphemes, fewer than minGraphemes {min}"
            ));
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.iter().any(|a| a.as_str() == Some(s)) {
            return Err(format!(
                "{path}: '{s}' is not one of {}",
                Value::from(allowed.clone())
            ));
        }
    }
    if let Some(c) = schema.get("const").and_then(Value::as_str) {
        if c != s {
            return Err(format!("{path}: must be '{c}'"));
        }
    }
    match schema.get("format").and_then(Value::as_str) {
        Some(format) if !format_ok(format, s) => {
            Err(format!("{path}: '{}' is not a valid {format}", cut(s)))
        }
        _ => Ok(()),
    }
}

fn integer(schema: &Value, value: &Value, path: &str) -> Result<(), String> {
    let n = value
        .as_i64()
        .ok_or_else(|| format!("{path}: expected an integer, got {}", show(value)))?;
    if let Some(min) = schema.get("minimum").and_then(Value::as_i64) {
        if n < min {
            return Err(format!("{path}: {n} is below the minimum {min}"));
        }
    }
    if let Some(max) = schema.get("maximum").and_then(Value::as_i64) {
        if n > max {
            return Err(format!("{path}: {n} is above the maximum {max}"));
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.iter().any(|a| a.as_i64() == Some(n)) {
            return Err(format!("{path}: {n} is not an allowed value"));
        }
    }
    match schema.get("const").and_then(Value::as_i64) {
        Some(c) if c != n => Err(format!("{path}: must be {c}")),
        _ => Ok(()),
    }
}

/// The string formats of the lexicon spec, checked for shape.
pub fn format_ok(format: &str, s: &str) -> bool {
    match format {
        "did" => did_ok(s),
        "handle" => handle_ok(s),
        "at-identifier" => did_ok(s) || handle_ok(s),
        "datetime" => {
            s.contains('T')
                && (s.ends_with('Z') || s[s.len().saturating_sub(6)..].starts_with(['+', '-']))
                && chrono::DateTime::parse_from_rfc3339(s).is_ok()
        }
        "uri" => s.split_once(':').is_some_and(|(scheme, rest)| {
            !rest.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }),
        "at-uri" => s.starts_with("at://") && s.len() > 5,
        "tid" => {
            s.len() == 13
                && s.chars()
                    .all(|c| "234567abcdefghijklmnopqrstuvwxyz".contains(c))
                && "234567abcdefghij".contains(&s[..1])
        }
        "nsid" => {
            let parts: Vec<&str> = s.split('.').collect();
            parts.len() >= 3
                && parts.iter().all(|p| {
                    !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
        }
        _ => true,
    }
}

fn did_ok(s: &str) -> bool {
    let mut parts = s.splitn(3, ':');
    let (Some("did"), Some(method), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    s.len() <= 2048
        && !method.is_empty()
        && method.chars().all(|c| c.is_ascii_lowercase())
        && !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._:%-".contains(c))
        && !id.ends_with([':', '%'])
}

fn handle_ok(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    s.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
        && labels
            .last()
            .is_some_and(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
}

fn show(value: &Value) -> String {
    cut(&value.to_string())
}

fn cut(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_string(),
    }
}

/// An array's `minLength`/`maxLength` (counts of elements, in lexicons).
fn check_count(schema: &Value, count: usize, path: &str, what: &str) -> Result<(), String> {
    let count = count as u64;
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
        if count < min {
            return Err(format!("{path}: {count} {what}, fewer than {min}"));
        }
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
        if count > max {
            return Err(format!("{path}: {count} {what}, more than {max}"));
        }
    }
    Ok(())
}
