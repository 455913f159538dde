//! The canned library from the command line, on the real binary and a temporary `--home`:
//! `canned check` (located problems, exit codes), `canned list`, and `reply --canned` filling
//! the variant in the item's language.

mod common;

use std::path::Path;

use common::Home;
use serde_json::Value;

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A response file with this front matter (after name and language) and body.
fn response(name: &str, language: &str, extra: &str, body: &str) -> String {
    format!("+++\nname = \"{name}\"\nlanguage = \"{language}\"\n{extra}\n+++\n{body}\n")
}

/// The sample library of `examples/responses`, in the home's `responses/`.
fn home_with_sample() -> Home {
    let home = Home::new();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/responses");
    for entry in std::fs::read_dir(sample).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        write(
            &home.path().join("responses"),
            &name,
            &std::fs::read_to_string(&path).unwrap(),
        );
    }
    write(home.path(), "config.toml", "[brand]\nname = \"Acme\"\n");
    home
}

/// Imports one customer item and returns its id.
fn import(home: &Home, platform: &str, lang: &str, name: &str) -> String {
    let line = serde_json::json!({
        "platform": platform, "account": "acme", "kind": "mention",
        "remote_id": format!("r-{platform}-{lang}"), "created_at": "2026-01-05T10:00:00Z",
        "author": {"id": "u1", "handle": "claire", "name": name},
        "text": "ma commande n'est pas arrivée", "lang": lang,
    });
    let file = home.path().join("items.jsonl");
    std::fs::write(&file, format!("{line}\n")).unwrap();
    home.ok(&["import", file.to_str().unwrap()]);
    let items = home.items(&[&format!("platform:{platform}")]);
    items[0]["id"].as_str().unwrap().to_string()
}

fn outbox_texts(home: &Home) -> Vec<String> {
    home.ok(&["outbox", "--json"])
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn check_names_each_problem_with_its_path_and_exits_1() {
    let home = Home::new();
    let dir = home.path().join("library");
    write(
        &dir,
        "ok.en.md",
        &response("ok", "en", "", "Hi {author.name}"),
    );
    write(
        &dir,
        "typo.en.md",
        &response("typo", "en", "", "Hi\n{author.nmae}"),
    );
    write(
        &dir,
        "work/ok-again.en.md",
        &response("ok", "en", "", "Hello"),
    );
    let x_only = "platforms = [\"x\"]";
    write(
        &dir,
        "long.en.md",
        &response("long", "en", x_only, &"a".repeat(300)),
    );
    write(
        &dir,
        "broken.fr.md",
        "+++\nname = \"broken\"\nlangue = \"fr\"\n+++\nBonjour",
    );
    let out = home.run(&["canned", "check", "--dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let d = dir.display();
    for expected in [
        format!("{d}/broken.fr.md:3: error: front matter: unknown field `langue`"),
        format!("{d}/work/ok-again.en.md:1: error: duplicate response 'ok' in 'en': ok.en.md"),
        format!("{d}/long.en.md:6: error: too long for x (300/280 weighted characters)"),
        format!("{d}/typo.en.md:7: error: unknown variable {{author.nmae}} (did you mean {{author.name}}?)"),
        format!("1 response fine in {d}; 4 errors, 0 warnings"),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn a_clean_library_passes_through_the_hub_and_lists() {
    let home = home_with_sample();
    let out = home.ok(&["canned", "check"]);
    assert!(
        out.contains("6 responses fine") && out.contains("0 errors"),
        "{out}"
    );
    let lines: Vec<Value> = home
        .ok(&["canned", "list", "--json", "--lang", "fr-CA"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let names: Vec<&str> = lines.iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["legal-hold", "refund-delay", "thanks"]);
    assert!(lines.iter().all(|l| l["language"] == "fr"));
    assert_eq!(lines[1]["fields"][0]["key"], "order");
    let youtube = home.ok(&["canned", "list", "--platform", "youtube"]);
    assert!(
        !youtube.contains("refund-delay") && youtube.contains("thanks"),
        "{youtube}"
    );
    let human = home.ok(&["canned", "list"]);
    assert!(
        human.contains("refund-delay") && human.contains("en,fr"),
        "{human}"
    );
}

#[test]
fn reply_canned_queues_the_french_variant_filled() {
    let home = home_with_sample();
    let id = import(&home, "mastodon", "fr-FR", "Claire");
    let missing = home.fails(&["reply", &id, "--canned", "refund-delay"]);
    assert!(
        missing.contains("--var order=... (Numéro de commande)"),
        "{missing}"
    );
    let unknown = home.fails(&["reply", &id, "--canned", "refund-dealy", "--var", "order=1"]);
    assert!(unknown.contains("did you mean refund-delay?"), "{unknown}");
    let wrong_key = home.fails(&["reply", &id, "--canned", "refund-delay", "--var", "ordre=1"]);
    assert!(
        wrong_key.contains("has no field 'ordre' (its fields: order)"),
        "{wrong_key}"
    );
    assert!(outbox_texts(&home).is_empty());
    home.ok(&[
        "reply",
        &id,
        "--canned",
        "refund-delay",
        "--var",
        "order=42",
    ]);
    let texts = outbox_texts(&home);
    assert_eq!(texts.len(), 1);
    assert!(
        texts[0].starts_with("Bonjour Claire, désolés pour l'attente sur la commande 42."),
        "{}",
        texts[0]
    );
    assert!(texts[0].ends_with("pour Acme"), "{}", texts[0]);
}

#[test]
fn reply_canned_respects_lang_platforms_and_keeps_text_exclusive() {
    let home = home_with_sample();
    let id = import(&home, "youtube", "en", "Sam");
    let refused = home.fails(&["reply", &id, "--canned", "refund-delay", "--var", "order=1"]);
    assert!(refused.contains("this item is on youtube"), "{refused}");
    let no_german = home.fails(&["reply", &id, "--canned", "thanks", "--lang", "de"]);
    assert!(
        no_german.contains("no 'de' variant (it has en, fr)"),
        "{no_german}"
    );
    home.ok(&["reply", &id, "--canned", "thanks", "--lang", "fr"]);
    assert!(outbox_texts(&home)[0].starts_with("Merci beaucoup Sam,"));
    let both = home.run(&["reply", &id, "--text", "hi", "--canned", "thanks"]);
    assert_eq!(both.status.code(), Some(2));
    let neither = home.run(&["reply", &id]);
    assert_eq!(neither.status.code(), Some(2));
}

/// The login running the tests, as the hub will name it.
fn login() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn a_running_hub_reads_edits_without_a_restart_and_names_the_agent() {
    let home = home_with_sample();
    let config = format!(
        "[brand]\nname = \"Acme\"\n\n[users.claire]\nunix_user = \"{}\"\ndisplay_name = \"Claire (in-house)\"\nrole = \"admin\"\n",
        login()
    );
    write(home.path(), "config.toml", &config);
    let id = import(&home, "x", "en", "Sam");
    let _hub = home.serve();
    let before = home.ok(&["canned", "list"]);
    assert!(!before.contains("shipping"), "{before}");
    let body = "Your parcel ships {when}, {author.name}. {agent.name}";
    let extra = "[fields]\nwhen = \"When\"";
    write(
        &home.path().join("responses/more"),
        "shipping.en.md",
        &response("shipping", "en", extra, body),
    );
    let after = home.ok(&["canned", "list"]);
    assert!(after.contains("shipping"), "{after}");
    let check = home.ok(&["canned", "check"]);
    assert!(check.contains("7 responses fine in responses;"), "{check}");
    home.ok(&["reply", &id, "--canned", "shipping", "--var", "when=today"]);
    assert_eq!(
        outbox_texts(&home),
        ["Your parcel ships today, Sam. Claire (in-house)"]
    );
}
