//! Account secrets: an API token (`token`, `token_env` or `token_cmd`) or, for Bluesky, an
//! app password (`password`, `password_env` or `password_cmd`) next to its `identifier`.
//!
//! A secret is resolved when a connector needs it, held in a [`Secret`] whose `Debug` and
//! `Display` never show it (so a log line or an error cannot leak it), and never written to
//! the item store. A config file holding literal secrets that others can read is reported.

use std::fmt;
use std::path::Path;
use std::process::Command;

use crate::config::{AccountConfig, Config};

/// A credential value. Shows as `***` everywhere but [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// A secret obtained at run time (a session token).
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for the one place that sends it (an `Authorization` header, a login).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Why an account's secret could not be had. Never includes the secret.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CredentialError {
    #[error("account {account}: no {what} configured (set {what}, {what}_env or {what}_cmd)")]
    Missing { account: String, what: &'static str },
    #[error("account {account}: {what}_env names {var}, which is not set or empty")]
    Env {
        account: String,
        what: &'static str,
        var: String,
    },
    #[error("account {account}: {what}_cmd failed: {reason}")]
    Command {
        account: String,
        what: &'static str,
        reason: String,
    },
}

/// The account's API token.
pub fn token(account: &AccountConfig) -> Result<Secret, CredentialError> {
    resolve(
        &account.name,
        "token",
        (&account.token, &account.token_env, &account.token_cmd),
    )
}

/// The account's (app) password.
pub fn password(account: &AccountConfig) -> Result<Secret, CredentialError> {
    resolve(
        &account.name,
        "password",
        (
            &account.password,
            &account.password_env,
            &account.password_cmd,
        ),
    )
}

type Sources<'a> = (&'a Option<String>, &'a Option<String>, &'a Option<String>);

fn resolve(
    account: &str,
    what: &'static str,
    sources: Sources<'_>,
) -> Result<Secret, CredentialError> {
    lookup(sources).map_err(|problem| match problem {
        SourceProblem::Missing => CredentialError::Missing {
            account: account.to_string(),
            what,
        },
        SourceProblem::Env(var) => CredentialError::Env {
            account: account.to_string(),
            what,
            var,
        },
        SourceProblem::Command(reason) => CredentialError::Command {
            account: account.to_string(),
            what,
            reason,
        },
    })
}

/// Why a secret's source gave nothing; never includes the secret.
#[derive(Debug, PartialEq, Eq)]
pub enum SourceProblem {
    /// None of the three sources is set.
    Missing,
    /// This environment variable is not set or empty.
    Env(String),
    /// The command failed, and how.
    Command(String),
}

/// A secret from the first source set of (literal, environment variable, command): shared
/// by the accounts and the `[webhooks]` section.
pub fn lookup((literal, env, cmd): Sources<'_>) -> Result<Secret, SourceProblem> {
    if let Some(value) = literal {
        return Ok(Secret(value.clone()));
    }
    if let Some(var) = env {
        return match std::env::var(var) {
            Ok(value) if !value.trim().is_empty() => Ok(Secret(value.trim().to_string())),
            _ => Err(SourceProblem::Env(var.clone())),
        };
    }
    if let Some(command) = cmd {
        return run(command).map(Secret).map_err(SourceProblem::Command);
    }
    Err(SourceProblem::Missing)
}

/// Runs a `*_cmd` with `sh -c`; its first line of output is the secret. What it printed is
/// never part of an error (it may be the secret itself).
fn run(command: &str) -> Result<String, String> {
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .output()
        .map_err(|e| format!("cannot run sh: {e}"))?;
    if !output.status.success() {
        return Err(format!("`{command}` exited with {}", output.status));
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| format!("`{command}` printed something that is not UTF-8"))?;
    let first = text.lines().next().unwrap_or("").trim().to_string();
    if first.is_empty() {
        return Err(format!("`{command}` printed nothing"));
    }
    Ok(first)
}

/// A warning when `path` holds literal secrets and others than its owner may read it.
pub fn exposure_warning(path: &Path, config: &Config) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let holders: Vec<&str> = config
        .accounts
        .iter()
        .filter(|a| a.token.is_some() || a.password.is_some())
        .map(|a| a.name.as_str())
        .collect();
    let webhooks = config.webhooks.holds_literal_secret();
    if holders.is_empty() && !webhooks {
        return None;
    }
    let mut what = Vec::new();
    if !holders.is_empty() {
        what.push(format!("accounts {}", holders.join(", ")));
    }
    if webhooks {
        what.push("[webhooks]".to_string());
    }
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then(|| {
        format!(
            "{} holds secrets ({}) and is readable by others (mode {mode:o}): chmod 600 it, or use the _env / _cmd keys",
            path.display(),
            what.join("; ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(fields: &str) -> AccountConfig {
        let text = format!("[[accounts]]\nname = \"acme\"\nplatform = \"mastodon\"\n{fields}");
        let config = Config::parse(Path::new("c.toml"), &text).unwrap();
        config.accounts[0].clone()
    }

    #[test]
    fn secrets_come_from_the_file_the_environment_or_a_command_and_never_show() {
        let literal = token(&account("token = \"s3cret\"")).unwrap();
        assert_eq!(literal.expose(), "s3cret");
        assert_eq!(format!("{literal} {literal:?}"), "*** Secret(***)");
        std::env::set_var("SWITCHBOARD_TEST_TOKEN_42", "from-env\n");
        let env = token(&account("token_env = \"SWITCHBOARD_TEST_TOKEN_42\"")).unwrap();
        assert_eq!(env.expose(), "from-env");
        let cmd = password(&account("password_cmd = \"printf 'app-pass\\\\nignored'\"")).unwrap();
        assert_eq!(cmd.expose(), "app-pass");
    }

    #[test]
    fn failures_name_the_account_and_the_source_but_not_the_secret() {
        let missing = token(&account("")).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "account acme: no token configured (set token, token_env or token_cmd)"
        );
        let unset = token(&account("token_env = \"SWITCHBOARD_TEST_UNSET_VAR\"")).unwrap_err();
        assert!(unset
            .to_string()
            .contains("SWITCHBOARD_TEST_UNSET_VAR, which is not set"));
        let failed = token(&account(
            "token_cmd = \"printf leaked; printf -- -secret; exit 3\"",
        ))
        .unwrap_err();
        let message = failed.to_string();
        assert!(message.contains("exit status: 3"), "{message}");
        assert!(!message.contains("leaked-secret"), "{message}");
    }

    #[test]
    fn a_readable_config_with_literal_secrets_is_reported() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let text = "[[accounts]]\nname = \"acme\"\nplatform = \"mastodon\"\ntoken = \"t\"\n";
        std::fs::write(&path, text).unwrap();
        let config = Config::parse(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let warning = exposure_warning(&path, &config).unwrap();
        assert!(
            warning.contains("accounts acme") && warning.contains("mode 644"),
            "{warning}"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(exposure_warning(&path, &config), None);
    }
}
