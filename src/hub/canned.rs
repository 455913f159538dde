//! The canned library as the hub serves it. On a team box the CMs cannot read the hub's
//! config directory, so the hub reads `responses/` next to its `config.toml` for them, on
//! every request (a few small files): a `git pull` there shows at the next picker without a
//! restart. It answers with the values of `{brand}` (`[brand] name`, read from the same
//! config, so it is current too) and `{agent.name}` (the caller's display name).

use std::path::{Path, PathBuf};

use super::protocol::Response;
use super::Hub;
use crate::config::{BrandConfig, Config};
use crate::responses::{Library, Problem};
use crate::team::Member;

/// The library directory's name, next to the config file.
pub const RESPONSES_DIR: &str = "responses";

/// Where a hub with this config file reads its library.
pub fn responses_dir(config_file: &Path) -> PathBuf {
    config_file
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(RESPONSES_DIR)
}

impl Hub {
    /// The library, the brand and the caller's name. A hub without a config file (tests,
    /// benches) has an empty library.
    pub(super) fn canned(&self, member: &Member) -> Response {
        let (library, brand) = match &self.config_file {
            Some(file) => (Library::load(&responses_dir(file)), brand_of(file)),
            None => (Library::default(), Ok(BrandConfig::default().name)),
        };
        let mut problems = library.problems;
        let brand = brand.unwrap_or_else(|problem| {
            problems.push(problem);
            BrandConfig::default().name
        });
        Response::Canned {
            responses: library.responses,
            problems,
            brand,
            agent: member.display_name.clone(),
        }
    }
}

/// `[brand] name` from the config as it is now; a config that does not load is a problem
/// (the default brand is used meanwhile).
fn brand_of(config_file: &Path) -> Result<String, Problem> {
    Config::load(config_file)
        .map(|config| config.brand.name)
        .map_err(|e| {
            Problem::warning(
                &format!("../{}", file_name(config_file)),
                0,
                format!("{{brand}} is the default until the config loads: {e}"),
            )
        })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
