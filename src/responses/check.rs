//! Validating a library before a CM meets its mistakes: what `switchboard canned check`
//! prints, one located problem per line.
//!
//! Besides the files that did not load (`library.rs`, `file.rs`), each response is checked
//! for: an empty body; a body that does not parse (an unclosed `{`); an unknown variable
//! (neither built in nor declared in `[fields]`: an error, the reply could not be filled);
//! a declared field the body never uses (a warning: the CM would be asked for nothing); the
//! same name and language twice; and a body too long for a platform it targets (every
//! platform when it names none), counted the platform's way (`limits.rs`) with each variable
//! counted as [`VARIABLE_ALLOWANCE`] characters, since its value is only known at insert
//! time.

use std::collections::BTreeMap;

use super::library::{CannedResponse, Library, Problem};
use super::limits;
use super::pick;
use super::template::{parse, Piece, BUILT_IN};
use crate::model::Platform;

/// What one variable counts for in the length check (a name or an order number fits;
/// a customer with a very long name may still push a reply that is close over the limit,
/// and the composer's live count catches that).
pub const VARIABLE_ALLOWANCE: usize = 20;

/// Every problem of the library, located, in path and line order.
pub fn check(library: &Library) -> Vec<Problem> {
    let mut problems = library.problems.clone();
    for response in &library.responses {
        problems.extend(check_response(response));
    }
    problems.extend(duplicates(&library.responses));
    problems.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    problems
}

/// The problems of one response.
pub fn check_response(response: &CannedResponse) -> Vec<Problem> {
    let path = response.path.as_str();
    let at = |line: usize| response.body_line + line - 1;
    if response.body.trim().is_empty() {
        return vec![Problem::error(
            path,
            response.body_line,
            "the body is empty",
        )];
    }
    let pieces = match parse(&response.body) {
        Ok(pieces) => pieces,
        Err(e) => return vec![Problem::error(path, at(e.line), e.message)],
    };
    let mut problems = Vec::new();
    for (name, line) in variables(&pieces) {
        if !BUILT_IN.contains(&name) && response.field(name).is_none() {
            problems.push(Problem::error(path, at(line), unknown(response, name)));
        }
    }
    for field in &response.fields {
        if !variables(&pieces)
            .iter()
            .any(|(name, _)| *name == field.key)
        {
            let message = format!(
                "field '{}' is declared but the body never uses {{{}}}",
                field.key, field.key
            );
            problems.push(Problem::warning(path, field.line, message));
        }
    }
    problems.extend(too_long(response, &pieces));
    problems
}

fn variables<'a>(pieces: &[Piece<'a>]) -> Vec<(&'a str, usize)> {
    pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Var { name, line } => Some((*name, *line)),
            Piece::Text(_) => None,
        })
        .collect()
}

fn unknown(response: &CannedResponse, name: &str) -> String {
    let mut known: Vec<&str> = BUILT_IN.to_vec();
    known.extend(response.fields.iter().map(|f| f.key.as_str()));
    let hint = match pick::close_names(&known, name).first() {
        Some(close) => format!(" (did you mean {{{close}}}?)"),
        None => String::new(),
    };
    let braced: Vec<String> = known.iter().map(|k| format!("{{{k}}}")).collect();
    let declare = match name.contains('.') {
        true => String::new(),
        false => format!(", or declare it in [fields] (`{name} = \"what to ask\"`)"),
    };
    format!(
        "unknown variable {{{name}}}{hint}: use one of {}{declare}",
        braced.join(", ")
    )
}

/// One problem naming every targeted platform the body is too long for.
fn too_long(response: &CannedResponse, pieces: &[Piece]) -> Option<Problem> {
    let stand_in = "x".repeat(VARIABLE_ALLOWANCE);
    let text: String = pieces
        .iter()
        .map(|p| match p {
            Piece::Text(text) => text,
            Piece::Var { .. } => stand_in.as_str(),
        })
        .collect();
    let targets: Vec<Platform> = match response.platforms.is_empty() {
        true => Platform::KNOWN.to_vec(),
        false => response.platforms.clone(),
    };
    let over: Vec<String> = targets
        .iter()
        .map(|platform| (platform, limits::measure(platform, &text)))
        .filter(|(_, length)| !length.fits())
        .map(|(platform, length)| format!("{platform} ({})", length.describe()))
        .collect();
    (!over.is_empty()).then(|| {
        let hint = match response.platforms.is_empty() {
            true => "shorten it, or name the platforms it is for in `platforms`",
            false => "shorten it",
        };
        Problem::error(
            &response.path,
            response.body_line,
            format!(
                "too long for {} with each variable counted as {VARIABLE_ALLOWANCE} characters: {hint}",
                over.join(", ")
            ),
        )
    })
}

/// The same name and language in two files: the second one (in path order) is named.
fn duplicates(responses: &[CannedResponse]) -> Vec<Problem> {
    let mut first: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    let mut sorted: Vec<&CannedResponse> = responses.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut problems = Vec::new();
    for response in sorted {
        let key = (response.name.as_str(), response.language.as_str());
        match first.get(&key) {
            Some(other) => problems.push(Problem::error(
                &response.path,
                1,
                format!(
                    "duplicate response '{}' in '{}': {other} has the same name and language",
                    response.name, response.language
                ),
            )),
            None => {
                first.insert(key, &response.path);
            }
        }
    }
    problems
}

/// How many errors and warnings.
pub fn tally(problems: &[Problem]) -> (usize, usize) {
    let errors = problems.iter().filter(|p| p.is_error()).count();
    (errors, problems.len() - errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::responses::file::parse;

    fn file(path: &str, front: &str, body: &str) -> CannedResponse {
        parse(path, &format!("+++\n{front}\n+++\n{body}\n")).unwrap()
    }

    fn messages(library: &Library) -> Vec<String> {
        check(library).iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn a_clean_library_has_no_problems() {
        let library = Library {
            responses: vec![
                file(
                    "a.en.md",
                    "name = \"a\"\nlanguage = \"en\"\n[fields]\norder = \"Order\"",
                    "Hi {author.name}, order {order}. {brand}",
                ),
                file(
                    "a.fr.md",
                    "name = \"a\"\nlanguage = \"fr\"",
                    "Bonjour {{ok}}",
                ),
            ],
            problems: Vec::new(),
        };
        assert_eq!(messages(&library), Vec::<String>::new());
    }

    #[test]
    fn unknown_and_unused_variables_empty_bodies_and_duplicates() {
        let front = "name = \"a\"\nlanguage = \"en\"\n[fields]\norder = \"Order\"";
        let library = Library {
            responses: vec![
                file("a.en.md", front, "Hi\n{ordr} {author.nme}"),
                file("b.en.md", "name = \"a\"\nlanguage = \"en\"", "Hi"),
                file("c.en.md", "name = \"c\"\nlanguage = \"en\"", "  "),
                file("d.en.md", "name = \"d\"\nlanguage = \"en\"", "Hi {oops"),
            ],
            problems: Vec::new(),
        };
        let found = messages(&library);
        assert_eq!(found.len(), 6, "{found:#?}");
        assert!(found[0].starts_with("a.en.md:5: warning: field 'order' is declared but"));
        assert!(
            found[1].starts_with("a.en.md:8: error: unknown variable {ordr} (did you mean {order}?): use one of {author.name},"),
            "{}",
            found[1]
        );
        assert!(found[1].ends_with("or declare it in [fields] (`ordr = \"what to ask\"`)"));
        assert!(found[2].starts_with(
            "a.en.md:8: error: unknown variable {author.nme} (did you mean {author.name}?)"
        ));
        assert!(!found[2].contains("declare"), "{}", found[2]);
        assert_eq!(found[3], "b.en.md:1: error: duplicate response 'a' in 'en': a.en.md has the same name and language");
        assert_eq!(found[4], "c.en.md:6: error: the body is empty");
        assert!(found[5].starts_with("d.en.md:5: error: a `{` that is never closed"));
    }

    #[test]
    fn lengths_are_counted_per_platform_with_an_allowance_per_variable() {
        let x_only = "name = \"long\"\nlanguage = \"en\"\nplatforms = [\"x\"]";
        let long = file("long.en.md", x_only, &"a".repeat(300));
        let found = check_response(&long);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].to_string(),
            "long.en.md:6: error: too long for x (300/280 weighted characters) with each variable counted as 20 characters: shorten it"
        );
        // 265 characters and one variable: 285 on X.
        let close = file("c.en.md", x_only, &format!("{}{{brand}}", "a".repeat(265)));
        assert_eq!(check_response(&close).len(), 1);
        let fits = file("c.en.md", x_only, &format!("{}{{brand}}", "a".repeat(260)));
        assert!(check_response(&fits).is_empty());
        let everywhere = file(
            "e.en.md",
            "name = \"e\"\nlanguage = \"en\"",
            &"a".repeat(400),
        );
        let message = check_response(&everywhere)[0].to_string();
        assert!(
            message.contains("x (400/280") && message.contains("bluesky (400/300 graphemes)"),
            "{message}"
        );
        assert!(
            !message.contains("mastodon") && message.contains("name the platforms"),
            "{message}"
        );
    }

    #[test]
    fn load_problems_come_first_in_path_order_and_are_tallied() {
        let library = Library {
            responses: vec![file(
                "b.en.md",
                "name = \"b\"\nlanguage = \"en\"\n[fields]\nx = \"X\"",
                "Hi",
            )],
            problems: vec![Problem::error("a.en.md", 2, "front matter: bad")],
        };
        let found = check(&library);
        assert_eq!(found[0].path, "a.en.md");
        assert_eq!(tally(&found), (1, 1));
    }
}
