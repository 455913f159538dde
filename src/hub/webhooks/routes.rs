//! The endpoint's routes and their secrets, resolved once when it starts: Meta's (the app
//! secret, as a signing key, and the verify token) and X's (the consumer secret). A route
//! whose secret is not configured, or cannot be had (an unset `_env`, a failing `_cmd`),
//! is down: it answers 404 and says why in the status. The secrets never leave this
//! module except as keys; no message shows them.

use ring::hmac;

use super::signature;
use super::status::RouteDown;
use crate::config::{SecretSource, WebhooksConfig};
use crate::connectors::credentials::{self, Secret, SourceProblem};

/// Meta's two secrets.
pub struct MetaKeys {
    pub app_secret: hmac::Key,
    pub verify_token: Secret,
}

/// The routes that answer, with their keys.
pub struct Routes {
    /// `{prefix}/meta`, `{prefix}/x`.
    pub meta_path: String,
    pub x_path: String,
    pub meta: Option<MetaKeys>,
    pub x: Option<hmac::Key>,
    pub down: Vec<RouteDown>,
}

impl Routes {
    /// The routes `config` describes, with their secrets resolved.
    pub fn resolve(config: &WebhooksConfig) -> Routes {
        let mut down = Vec::new();
        let meta = if config.meta_configured() {
            let app = secret("meta_app_secret", &config.meta_app_secret);
            let verify = secret("meta_verify_token", &config.meta_verify_token);
            match (app, verify) {
                (Ok(app), Ok(verify_token)) => Some(MetaKeys {
                    app_secret: signature::key(app.expose()),
                    verify_token,
                }),
                (Err(why), _) | (_, Err(why)) => {
                    down.push(route_down("meta", why, true));
                    None
                }
            }
        } else {
            down.push(route_down("meta", "not configured".into(), false));
            None
        };
        let x = if config.x_configured() {
            match secret("x_consumer_secret", &config.x_consumer_secret) {
                Ok(consumer) => Some(signature::key(consumer.expose())),
                Err(why) => {
                    down.push(route_down("x", why, true));
                    None
                }
            }
        } else {
            down.push(route_down("x", "not configured".into(), false));
            None
        };
        Routes {
            meta_path: format!("{}/meta", config.path_prefix),
            x_path: format!("{}/x", config.path_prefix),
            meta,
            x,
            down,
        }
    }

    /// The names of the routes that answer.
    pub fn up(&self) -> Vec<String> {
        let mut up = Vec::new();
        if self.meta.is_some() {
            up.push("meta".to_string());
        }
        if self.x.is_some() {
            up.push("x".to_string());
        }
        up
    }
}

fn route_down(route: &str, why: String, configured: bool) -> RouteDown {
    RouteDown {
        route: route.to_string(),
        why,
        configured,
    }
}

/// The secret, or why it cannot be had (naming the key, never the value).
fn secret(what: &str, source: &SecretSource) -> Result<Secret, String> {
    credentials::lookup((&source.literal, &source.env, &source.cmd)).map_err(
        |problem| match problem {
            SourceProblem::Missing => format!("{what} is not configured"),
            SourceProblem::Env(var) => format!("{what}_env names {var}, which is not set or empty"),
            SourceProblem::Command(reason) => format!("{what}_cmd failed: {reason}"),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn routes(section: &str) -> Routes {
        let config = Config::parse(std::path::Path::new("c.toml"), section).unwrap();
        Routes::resolve(&config.webhooks)
    }

    #[test]
    fn configured_routes_answer_and_the_others_say_why_not() {
        let both = routes(
            "[webhooks]\npath_prefix = \"/in\"\nmeta_app_secret = \"a\"\nmeta_verify_token = \"v\"\n\
             x_consumer_secret_cmd = \"printf c\"\n",
        );
        assert_eq!(both.up(), ["meta", "x"]);
        assert_eq!(
            (both.meta_path.as_str(), both.x_path.as_str()),
            ("/in/meta", "/in/x")
        );
        assert!(both.down.is_empty());
        let x_only =
            routes("[webhooks]\nx_consumer_secret_env = \"SWITCHBOARD_TEST_UNSET_X_SECRET\"\n");
        assert!(x_only.up().is_empty());
        assert_eq!(
            x_only.down,
            [
                route_down("meta", "not configured".into(), false),
                route_down(
                    "x",
                    "x_consumer_secret_env names SWITCHBOARD_TEST_UNSET_X_SECRET, which is not set or empty"
                        .into(),
                    true
                ),
            ]
        );
    }
}
