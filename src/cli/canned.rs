//! `canned list`, `canned check` and the canned side of `reply --canned`: the team's
//! library of canned responses from the command line. The library comes from the hub (a CM
//! on a team box cannot read the hub's config directory), except for `check --dir`, which
//! validates a checkout with no hub at all. Text from the files is sanitized before it is
//! printed, like platform text.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use super::output::json_line;
use super::verbs::call;
use super::{Context, Failure};
use crate::hub::protocol::{Request, Response};
use crate::hub::{attach, AttachOptions, HubClient};
use crate::model::{Item, Platform};
use crate::responses::{check, language, pick, template, CannedResponse, Library};
use crate::ui::sanitize;

#[derive(Debug, Subcommand)]
pub enum CannedCommand {
    /// One line per response: name, languages, tags, platforms and how it starts.
    List {
        /// One JSON object per line and language variant (the whole file, body included).
        #[arg(long)]
        json: bool,
        /// Only the variants in this language.
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
        /// Only the responses usable on this platform.
        #[arg(long, value_name = "PLATFORM")]
        platform: Option<String>,
    },
    /// Validate the library: files that do not read, unknown variables, unused fields,
    /// duplicates, bodies too long for a platform. Exit 1 when there are errors.
    Check {
        /// Check this directory (a git checkout) instead of the hub's library.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// The library as the hub gave it, with the values of `{brand}` and `{agent.name}`.
pub struct Fetched {
    pub library: Library,
    pub brand: String,
    pub agent: String,
}

/// Asks the hub for its library.
pub async fn fetch(hub: &HubClient) -> Result<Fetched, Failure> {
    let Response::Canned {
        responses,
        problems,
        brand,
        agent,
    } = call(hub, Request::Canned).await?
    else {
        return Err(Failure("unexpected answer from the hub to canned".into()));
    };
    Ok(Fetched {
        library: Library {
            responses,
            problems,
        },
        brand,
        agent,
    })
}

pub async fn run(context: &Context, command: CannedCommand) -> Result<ExitCode, Failure> {
    if let CannedCommand::Check { dir: Some(dir) } = &command {
        if !dir.is_dir() {
            return Err(Failure(format!("{} is not a directory", dir.display())));
        }
        return Ok(report(&Library::load(dir), &dir.display().to_string()));
    }
    let attached = attach(&context.paths, &context.config, &AttachOptions::cli()).await?;
    let fetched = fetch(&attached.client).await?;
    match command {
        CannedCommand::List {
            json,
            lang,
            platform,
        } => list(&fetched.library, json, lang.as_deref(), platform.as_deref()),
        CannedCommand::Check { .. } => {
            // In-process, the library's real place is known; a remote hub's is its own.
            let dir = match &attached.hosted {
                Some(_) => crate::hub::responses_dir(&context.paths.config_file)
                    .display()
                    .to_string(),
                None => "responses".into(),
            };
            Ok(report(&fetched.library, &dir))
        }
    }
}

/// Prints every problem as `DIR/path:line: severity: message`, then how many responses
/// are fine; exit 1 when any problem is an error.
fn report(library: &Library, dir: &str) -> ExitCode {
    let problems = check::check(library);
    for problem in &problems {
        println!("{}", clean(&problem.located(dir)));
    }
    let (errors, warnings) = check::tally(&problems);
    let broken = |r: &&CannedResponse| problems.iter().any(|p| p.is_error() && p.path == r.path);
    let fine = library.responses.iter().filter(|r| !broken(r)).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    println!(
        "{} fine in {dir}; {}, {}",
        plural(fine, "response"),
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    ExitCode::from(u8::from(errors > 0))
}

/// One line for the terminal: sanitized, line breaks as spaces.
fn clean(text: &str) -> String {
    sanitize::sanitize(text).replace('\n', " ")
}

fn list(
    library: &Library,
    json: bool,
    lang: Option<&str>,
    platform: Option<&str>,
) -> Result<ExitCode, Failure> {
    use std::io::Write;
    let wanted_lang = lang.and_then(language::primary);
    let platform = platform.map(|p| Platform::from(p.to_string()));
    let keep = |r: &&CannedResponse| {
        wanted_lang.as_ref().is_none_or(|l| r.language == *l)
            && platform.as_ref().is_none_or(|p| r.applies_to(p))
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for name in library.names() {
        let variants: Vec<&CannedResponse> =
            library.variants(name).into_iter().filter(keep).collect();
        if variants.is_empty() {
            continue;
        }
        if !json {
            writeln!(out, "{}", list_line(&variants))?;
        }
        for variant in variants.iter().filter(|_| json) {
            writeln!(out, "{}", json_line(variant))?;
        }
    }
    out.flush()?;
    if !library.problems.is_empty() && !json {
        eprintln!(
            "{} file(s) could not be read: `switchboard canned check` says why",
            library.problems.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `refund-delay  en,fr  #refund #delay  x, mastodon  Hi {author.name}, sorry for…`
fn list_line(variants: &[&CannedResponse]) -> String {
    let shown = language::choose(variants, None).unwrap_or(variants[0]);
    let languages: Vec<&str> = variants.iter().map(|r| r.language.as_str()).collect();
    let tags: Vec<String> = shown.tags.iter().map(|t| format!("#{t}")).collect();
    format!(
        "{}  {:<8} {}  {}  {}",
        sanitize::pad_to(&sanitize::one_line(&shown.name, 24), 24),
        languages.join(","),
        sanitize::pad_to(&sanitize::one_line(&tags.join(" "), 28), 28),
        sanitize::pad_to(&sanitize::one_line(&shown.platform_names(), 24), 24),
        sanitize::flat_line(&shown.body, 50),
    )
}

/// What `reply --canned` asks for.
pub struct Choice<'a> {
    pub name: &'a str,
    /// `KEY=VALUE` as typed.
    pub vars: &'a [String],
    pub lang: Option<&'a str>,
}

/// The text of a canned response filled for `item`, or why it cannot be.
pub async fn fill_for(
    hub: &HubClient,
    item: &Item,
    choice: &Choice<'_>,
) -> Result<String, Failure> {
    let vars = parse_vars(choice.vars)?;
    let fetched = fetch(hub).await?;
    let response = choose(&fetched.library, item, choice)?;
    let unknown: Vec<&String> = vars
        .keys()
        .filter(|k| response.field(k).is_none())
        .collect();
    if let Some(key) = unknown.first() {
        let fields: Vec<&str> = response.fields.iter().map(|f| f.key.as_str()).collect();
        return Err(Failure(format!(
            "--var {key}: '{}' has no field '{key}' (its fields: {})",
            response.name,
            if fields.is_empty() {
                "none".into()
            } else {
                fields.join(", ")
            }
        )));
    }
    let context = template::Context::for_item(item, &fetched.agent, &fetched.brand);
    let about = format!(
        "canned response '{}' ({})",
        response.name, response.language
    );
    let text = template::fill(response, &context, &vars).map_err(|e| match e {
        template::FillError::Missing { .. } => Failure(format!("{about}: {e}")),
        other => Failure(format!("{about}: {other}; run `switchboard canned check`")),
    })?;
    // On stderr: stdout keeps the reply verb's contract.
    eprintln!("{about} filled for @{}", clean(&item.author.handle));
    Ok(text)
}

/// `order=1234` pairs; a value may hold `=`.
fn parse_vars(given: &[String]) -> Result<BTreeMap<String, String>, Failure> {
    given
        .iter()
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => {
                Ok((key.trim().to_string(), value.to_string()))
            }
            _ => Err(Failure(format!(
                "--var '{pair}' is not KEY=VALUE (e.g. --var order=1234)"
            ))),
        })
        .collect()
}

/// The variant that answers `item`: by name, allowed on its platform, in `--lang` or the
/// item's language (see `responses/language.rs`).
fn choose<'a>(
    library: &'a Library,
    item: &Item,
    choice: &Choice<'_>,
) -> Result<&'a CannedResponse, Failure> {
    let name = choice.name;
    let variants = library.variants(name);
    if variants.is_empty() {
        return Err(Failure(unknown_name(library, name)));
    }
    let allowed: Vec<&CannedResponse> = variants
        .iter()
        .copied()
        .filter(|r| r.applies_to(&item.platform))
        .collect();
    if allowed.is_empty() {
        return Err(Failure(format!(
            "canned response '{name}' is for {}; this item is on {}",
            variants[0].platform_names(),
            item.platform
        )));
    }
    let Some(asked) = choice.lang else {
        return Ok(language::choose(&allowed, item.lang.as_deref()).unwrap_or(allowed[0]));
    };
    let code = language::primary(asked).unwrap_or_default();
    allowed
        .iter()
        .copied()
        .find(|r| r.language == code)
        .ok_or_else(|| {
            let have: Vec<&str> = allowed.iter().map(|r| r.language.as_str()).collect();
            Failure(format!(
                "canned response '{name}' has no '{code}' variant (it has {})",
                have.join(", ")
            ))
        })
}

fn unknown_name(library: &Library, name: &str) -> String {
    let names = library.names();
    let close = pick::close_names(&names, name);
    let hint = match close.is_empty() {
        true => String::new(),
        false => format!(" (did you mean {}?)", close.join(", ")),
    };
    let unread = match library.problems.is_empty() {
        true => String::new(),
        false => format!(
            "; {} file(s) could not be read, see `switchboard canned check`",
            library.problems.len()
        ),
    };
    format!(
        "no canned response '{}'{hint}; `switchboard canned list` lists them{unread}",
        clean(name)
    )
}
