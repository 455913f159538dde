//! `[webhooks]` as config files write it: defaults, a full section, and the mistakes refused
//! with their file and line.

use std::path::Path;

use crate::config::Config;

fn parse(text: &str) -> Result<Config, String> {
    Config::parse(Path::new("c.toml"), text).map_err(|e| e.to_string())
}

#[test]
fn absent_means_no_endpoint_and_the_prefix_has_a_default() {
    let config = parse("").unwrap();
    assert_eq!(config.webhooks.listen, None);
    let config = parse("[webhooks]\nx_consumer_secret = \"s\"\n").unwrap();
    assert_eq!(config.webhooks.listen, None);
    assert_eq!(config.webhooks.path_prefix, "/webhooks");
    assert!(config.webhooks.x_configured() && !config.webhooks.meta_configured());
}

#[test]
fn a_full_section_reads_and_hides_its_secrets() {
    let text = "[webhooks]\nlisten = \"127.0.0.1:8788\"\npath_prefix = \"/hooks/\"\n\
                meta_app_secret = \"app-s3cret\"\nmeta_verify_token_env = \"VT\"\n\
                x_consumer_secret_cmd = \"echo x-s3cret\"\n";
    let config = parse(text).unwrap();
    let hooks = &config.webhooks;
    assert_eq!(hooks.listen.unwrap().to_string(), "127.0.0.1:8788");
    assert_eq!(hooks.path_prefix, "/hooks");
    assert!(hooks.meta_configured() && hooks.x_configured());
    assert!(hooks.holds_literal_secret());
    let shown = format!("{config:?}");
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(shown.contains("***") && shown.contains("VT"), "{shown}");
}

#[test]
fn mistakes_are_refused_with_file_and_line() {
    for (text, expected) in [
        (
            "[webhooks]\nlisten = \"localhost:8788\"\nx_consumer_secret = \"s\"\n",
            "c.toml:2:",
        ),
        (
            "[webhooks]\nlisten = \"127.0.0.1:99999\"\n",
            "is not an address to listen on",
        ),
        (
            "[webhooks]\nlisten = \"127.0.0.1:8788\"\n",
            "no route has its secret",
        ),
        (
            "[webhooks]\nmeta_app_secret = \"a\"\n",
            "meta_app_secret is set but meta_verify_token is not",
        ),
        ("\n[webhooks]\nmeta_verify_token = \"v\"\n", "c.toml:2:"),
        (
            "[webhooks]\nmeta_verify_token = \"v\"\n",
            "meta_verify_token is set but meta_app_secret is not",
        ),
        (
            "[webhooks]\nx_consumer_secret = \"a\"\nx_consumer_secret_env = \"B\"\n",
            "give only one of x_consumer_secret, x_consumer_secret_env and x_consumer_secret_cmd",
        ),
        (
            "[webhooks]\nx_consumer_secret = \"s\"\npath_prefix = \"hooks\"\n",
            "webhooks.path_prefix: 'hooks' is not a path",
        ),
        (
            "[webhooks]\nx_consumer_secret = \" \"\n",
            "x_consumer_secret is empty",
        ),
        ("[webhooks]\nlisten_on = \"127.0.0.1:1\"\n", "listen_on"),
    ] {
        let error = parse(text).unwrap_err();
        assert!(error.contains(expected), "{error}\n--- wanted: {expected}");
        assert!(!error.contains("\"s\""), "{error}");
    }
}
