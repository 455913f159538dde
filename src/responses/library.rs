//! The team's library of canned responses: a directory of files kept in git (one file per
//! response per language, see `file.rs` for the format), read into a [`Library`].
//!
//! Reading never stops at a broken file: each one becomes a [`Problem`] located at its path
//! and line, and the rest still load, so one bad commit costs the team one response, not the
//! picker. The hub reads the directory on every request (it is a few small files), so an
//! edit pulled from git shows without a restart; the limits below keep that cheap whatever
//! lands in the directory.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::model::Platform;

/// Files read at most (a library is tens of responses; this bounds a mistaken directory).
pub const MAX_FILES: usize = 2_000;
/// Largest response file read (a reply is a few hundred characters).
pub const MAX_FILE_BYTES: u64 = 64 * 1024;
/// How deep subdirectories are followed (a team may group files; this stops link loops).
pub const MAX_DEPTH: usize = 8;

/// One response in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedResponse {
    /// Shared by the language variants of one response (`refund-delay`).
    pub name: String,
    /// A primary language subtag, lower-case (`en`, `fr`).
    pub language: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Where it may be used; empty: every platform.
    #[serde(default)]
    pub platforms: Vec<Platform>,
    /// Fill-in fields the CM is asked for when inserting it.
    #[serde(default)]
    pub fields: Vec<Field>,
    /// The text, with `{variables}` (see `template.rs`).
    pub body: String,
    /// The file, relative to the library directory (`refund/refund-delay.en.md`).
    pub path: String,
    /// The file line the body starts on (for located template errors).
    pub body_line: usize,
}

/// A fill-in field: `order = "Order number"` in `[fields]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub key: String,
    /// What the CM is asked.
    pub prompt: String,
    /// Its line in the file.
    pub line: usize,
}

impl CannedResponse {
    /// Whether it may answer an item on `platform`.
    pub fn applies_to(&self, platform: &Platform) -> bool {
        self.platforms.is_empty() || self.platforms.contains(platform)
    }

    /// The platforms it may be used on, spelled out.
    pub fn platform_names(&self) -> String {
        match self.platforms.is_empty() {
            true => "every platform".into(),
            false => names(&self.platforms),
        }
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

fn names(platforms: &[Platform]) -> String {
    let names: Vec<&str> = platforms.iter().map(|p| p.as_str()).collect();
    names.join(", ")
}

/// How bad a problem is: an error stops `canned check` (exit 1), a warning does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// Something wrong in the library, at a file and line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Relative to the library directory.
    pub path: String,
    /// 1-based; 0 when the problem is about the whole file (or directory).
    pub line: usize,
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    pub fn error(path: &str, line: usize, message: impl Into<String>) -> Problem {
        Problem {
            path: path.to_string(),
            line,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(path: &str, line: usize, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(path, line, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `DIR/path:line: error: message`, with the library directory as the reader knows it.
    pub fn located(&self, dir: &str) -> String {
        let dir = dir.trim_end_matches('/');
        match dir.is_empty() {
            true => self.to_string(),
            false => format!("{dir}/{self}"),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Line 0: about the file as a whole (unreadable, too large).
        match self.line {
            0 => write!(f, "{}: {severity}: {}", self.path, self.message),
            line => write!(f, "{}:{line}: {severity}: {}", self.path, self.message),
        }
    }
}

/// Every response that loaded, and what did not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    pub responses: Vec<CannedResponse>,
    pub problems: Vec<Problem>,
}

impl Library {
    /// Reads `dir` and its subdirectories: `*.md` and `*.txt` files, hidden ones skipped, in
    /// path order. A missing directory is an empty library (no team library yet).
    pub fn load(dir: &Path) -> Library {
        let mut library = Library::default();
        if !dir.exists() {
            return library;
        }
        let mut files = Vec::new();
        super::walk::collect(dir, &mut files, &mut library.problems);
        for file in files {
            match super::file::read(&file.path, &file.relative) {
                Ok(response) => library.responses.push(response),
                Err(problem) => library.problems.push(problem),
            }
        }
        library
    }

    /// The response names, sorted, each once.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.responses.iter().map(|r| r.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The language variants of one response, by language.
    pub fn variants(&self, name: &str) -> Vec<&CannedResponse> {
        let mut variants: Vec<&CannedResponse> =
            self.responses.iter().filter(|r| r.name == name).collect();
        variants.sort_by(|a, b| a.language.cmp(&b.language));
        variants
    }

    /// For each name, the variant to use for an item in `language` on `platform` (see
    /// `language.rs`), among the variants allowed on that platform; sorted by name.
    pub fn for_item(&self, language: Option<&str>, platform: &Platform) -> Vec<&CannedResponse> {
        self.names()
            .into_iter()
            .filter_map(|name| {
                let allowed: Vec<&CannedResponse> = self
                    .variants(name)
                    .into_iter()
                    .filter(|r| r.applies_to(platform))
                    .collect();
                super::language::choose(&allowed, language)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_print_located_in_the_directory_the_reader_knows() {
        let problem = Problem::error("refunds/late.en.md", 3, "bad");
        assert_eq!(problem.to_string(), "refunds/late.en.md:3: error: bad");
        assert_eq!(
            problem.located("responses/"),
            "responses/refunds/late.en.md:3: error: bad"
        );
        let whole = Problem::warning("big.md", 0, "too large");
        assert_eq!(whole.located(""), "big.md: warning: too large");
    }

    #[test]
    fn a_broken_file_is_a_problem_and_the_rest_loads() {
        let dir = tempfile::tempdir().unwrap();
        let good = "+++\nname = \"thanks\"\nlanguage = \"fr\"\nplatforms = [\"x\"]\n+++\nMerci";
        std::fs::write(dir.path().join("thanks.fr.md"), good).unwrap();
        std::fs::write(dir.path().join("broken.en.md"), "no front matter").unwrap();
        let library = Library::load(dir.path());
        assert_eq!(library.names(), ["thanks"]);
        assert_eq!(library.problems.len(), 1);
        assert_eq!(library.problems[0].path, "broken.en.md");
        let on_x = library.for_item(Some("en"), &Platform::X);
        assert_eq!(on_x[0].language, "fr", "the only variant");
        assert!(library.for_item(None, &Platform::Mastodon).is_empty());
        assert_eq!(Library::load(&dir.path().join("none")), Library::default());
    }
}
