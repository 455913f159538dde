use std::path::Path;

use crate::config::Config;

const BASE: &str = "[[accounts]]\nname = \"acme-masto\"\nplatform = \"mastodon\"\n\
    [users.dana]\nteam = \"legal\"\n[escalations.legal]\nowners = [\"dana\"]\n";

fn load(rules: &str) -> Result<Config, String> {
    Config::parse(Path::new("/h/config.toml"), &format!("{BASE}{rules}")).map_err(|e| e.to_string())
}

#[test]
fn a_full_rule_loads_with_one_or_many_values() {
    let config = load(
        "[priority]\nvip = [\"x:bigco\"]\nnegative_words = [\"bof\"]\n\
         [[rules]]\nname = \"legal-threat\"\ntag = [\"legal\"]\nescalate = \"legal\"\npriority = \"urgent\"\n\
         assign = \"team:legal\"\nhide = \"troll\"\ndraft = \"holding\"\n\
         [rules.match]\nplatform = \"mastodon\"\naccount = [\"acme-masto\"]\nkind = [\"dm\", \"Mention\"]\n\
         words = \"avocat\"\nregex = '\\bRGPD\\b'\nauthors = [\"vip\"]\nlanguage = \"fr\"\n",
    )
    .unwrap();
    let rule = &config.rules[0];
    assert_eq!(rule.when.platform.0, ["mastodon"]);
    assert_eq!(rule.when.kind.0, ["dm", "Mention"]);
    assert!(rule
        .when
        .regex
        .as_ref()
        .unwrap()
        .regex()
        .unwrap()
        .is_match("le rgpd"));
    assert_eq!(config.priority.vip, ["x:bigco"]);
}

#[test]
fn errors_name_the_rule_and_the_key() {
    let rule = |body: &str| format!("[[rules]]\nname = \"r\"\n{body}");
    for (text, expected) in [
        (
            rule("tag = [\"x\"]\n"),
            "rules[0] (r).match: give at least one condition",
        ),
        (
            rule("match = { words = \"a\" }\n"),
            "rules[0] (r): the rule does nothing",
        ),
        (
            rule("match = { regex = '(unclosed' }\ntag = [\"x\"]\n"),
            "invalid config /h/config.toml: rules[0] (r).match.regex: regex parse error",
        ),
        (
            rule("match = { kind = \"tweet\" }\ntag = [\"x\"]\n"),
            "rules[0] (r).match.kind: unknown kind 'tweet'",
        ),
        (
            rule("match = { account = \"nope\" }\ntag = [\"x\"]\n"),
            "rules[0] (r).match.account: no [[accounts]] is named 'nope'",
        ),
        (
            rule("match = { words = \"!!\" }\ntag = [\"x\"]\n"),
            "rules[0] (r).match.words: '!!' has no letters",
        ),
        (
            rule("match = { authors = \"\" }\ntag = [\"x\"]\n"),
            "rules[0] (r).match.authors: an empty value",
        ),
        (
            rule("match = { words = \"a\" }\nescalate = \"pr\"\n"),
            "rules[0] (r).escalate: no [escalations.pr]",
        ),
        (
            rule("match = { words = \"a\" }\npriority = \"hot\"\n"),
            "rules[0] (r).priority: unknown priority 'hot'",
        ),
        (
            rule("match = { words = \"a\" }\nassign = \"erin\"\n"),
            "rules[0] (r).assign: no [users.erin]",
        ),
        (
            rule("match = { words = \"a\" }\nassign = \"team:pr\"\n"),
            "rules[0] (r).assign: no user is in team 'pr'",
        ),
        (
            rule("match = { words = \"a\" }\nhide = \"junk\"\n"),
            "rules[0] (r).hide: 'junk' is neither",
        ),
        (
            rule("match = { words = \"a\" }\ntag = [\"two words\"]\n"),
            "rules[0] (r).tag: 'two words' is not a tag",
        ),
        (
            rule("match = { words = \"a\" }\ndraft = \" \"\n"),
            "rules[0] (r).draft: name a canned response",
        ),
        (
            rule("match = { wrods = \"a\" }\ntag = [\"x\"]\n"),
            "unknown field `wrods`",
        ),
        (
            rule("match = { words = \"a\" }\ntags = [\"x\"]\n"),
            "unknown field `tags`",
        ),
        (
            format!(
                "{}{}",
                rule("match = { words = \"a\" }\ntag = [\"x\"]\n"),
                rule("match = { words = \"b\" }\ntag = [\"y\"]\n")
            ),
            "rules[1] (r).name: rules[0] has the same name",
        ),
    ] {
        let err = load(&text).unwrap_err();
        assert!(err.contains(expected), "{err}\n--- wanted: {expected}");
    }
}

#[test]
fn a_toml_error_in_a_rule_has_its_line() {
    let err = load("[[rules]]\nname = \"r\"\nmatch = { words = 3 }\ntag = [\"x\"]\n").unwrap_err();
    assert!(
        err.starts_with("invalid config /h/config.toml:10:"),
        "{err}"
    );
    assert!(err.contains("a string or a list of strings"), "{err}");
}
