//! `switchboard rules test` and `rules check` through the real binary: what fires on an
//! imported item and why, the outcome and the priority's reasons, as text (sanitized) and
//! as JSON; a config whose rules do not load stops every verb with the rule's name.

mod common;

use common::Home;
use serde_json::Value;

const CONFIG: &str = r#"
[priority]
vip = ["x:bigco"]

[[rules]]
name = "legal-threat"
match = { words = ["avocat", "lawyer"], kind = ["dm", "mention"] }
tag = ["legal"]
priority = "urgent"
draft = "legal-hold"

[[rules]]
name = "vip"
match = { authors = "vip" }
tag = ["vip"]
"#;

fn line(remote: &str, kind: &str, author: &str, text: &str) -> String {
    serde_json::json!({
        "platform": "x", "account": "acme-x", "kind": kind, "remote_id": remote,
        "author": {"id": author, "handle": author, "name": author},
        "text": text, "lang": "fr", "created_at": "2026-11-20T10:00:00Z"
    })
    .to_string()
}

fn home_with(config: &str, lines: &[String]) -> Home {
    let home = Home::new();
    std::fs::write(home.path().join("config.toml"), config).unwrap();
    switchboard::responses::sample::write(&home.path().join("responses")).unwrap();
    let file = home.path().join("in.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    home.ok(&["import", file.to_str().unwrap()]);
    home
}

fn id_of(home: &Home, remote: &str) -> String {
    let items = home.items(&["status:new,spam,escalated"]);
    let item = items
        .iter()
        .find(|i| i["remote_id"] == remote)
        .unwrap_or_else(|| panic!("{remote} not in {items:?}"));
    item["id"].as_str().unwrap().to_string()
}

#[test]
fn rules_test_says_what_fires_why_and_the_priority() {
    let home = home_with(
        CONFIG,
        &[line(
            "1",
            "dm",
            "bigco",
            "Mon AVOCAT \u{1b}[31mvous écrira, c'est une arnaque",
        )],
    );
    let id = id_of(&home, "1");
    let text = home.ok(&["rules", "test", &id]);
    assert!(!text.contains('\u{1b}'), "sanitized: {text:?}");
    let expected = [
        "fires  legal-threat: kind: dm; words: \"avocat\"",
        "fires  vip: authors: vip (@bigco)",
        "outcome: tags +legal +vip, priority urgent (legal-threat), draft 'legal-hold' (legal-threat)",
        "priority: urgent",
        "  · direct message: +2",
        "  · negative words \"arnaque\", \"avocat\": +2",
        "  · VIP author @bigco: +3",
        "  · 7 points: urgent",
        "  · rule legal-threat: urgent",
    ];
    assert_eq!(text.lines().collect::<Vec<_>>(), expected, "{text}");
    let json: Value =
        serde_json::from_str(home.ok(&["rules", "test", &id, "--json"]).trim()).unwrap();
    assert_eq!(json["priority"], "urgent");
    assert_eq!(json["verdicts"][0]["rule"], "legal-threat");
    assert_eq!(json["verdicts"][0]["fired"], true);
    assert_eq!(json["outcome"]["draft"]["value"], "legal-hold");
    // The import applied the same: stored with its reasons, shown by `show --json`.
    let shown: Value = serde_json::from_str(home.ok(&["show", &id, "--json"]).trim()).unwrap();
    let item = &shown["item"];
    assert_eq!(item["priority"], "urgent");
    assert_eq!(item["priority_why"].as_array().unwrap().len(), 5);
    assert_eq!(
        shown["suggested_draft"].as_str().unwrap().split(',').next(),
        Some("Bonjour bigco")
    );
}

#[test]
fn a_rule_that_does_not_fire_names_the_first_condition_that_failed() {
    let home = home_with(CONFIG, &[line("2", "comment", "ann", "mon avocat")]);
    let text = home.ok(&["rules", "test", &id_of(&home, "2")]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "skips  legal-threat: kind: comment is not dm, mention"
    );
    assert_eq!(lines[1], "skips  vip: authors: @ann is not vip");
    assert_eq!(lines[2], "outcome: nothing");
    let unknown = home.fails(&["rules", "test", "01JDQ3ZJ9Y0000000000000000"]);
    assert!(unknown.contains("01JDQ3ZJ9Y0000000000000000"), "{unknown}");
}

#[test]
fn rules_check_validates_rules_and_their_drafts() {
    let home = home_with(CONFIG, &[]);
    let out = home.ok(&["rules", "check"]);
    assert!(out.contains("rules[0] (legal-threat): ok"), "{out}");
    assert!(out.contains("2 rules in"), "{out}");
    let missing = CONFIG.replace("legal-hold", "nope");
    std::fs::write(home.path().join("config.toml"), missing).unwrap();
    let out = home.run(&["rules", "check"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .contains("rules[0] (legal-threat): error: draft 'nope' is not in the canned library"),
        "{stdout}"
    );
    let broken = CONFIG.replace("kind = [\"dm\", \"mention\"]", "kind = [\"dm\", \"tweet\"]");
    std::fs::write(home.path().join("config.toml"), broken).unwrap();
    for verb in [&["rules", "check"][..], &["list"][..]] {
        let err = home.fails(verb);
        assert!(
            err.contains("rules[0] (legal-threat).match.kind: unknown kind 'tweet'"),
            "{err}"
        );
    }
}
