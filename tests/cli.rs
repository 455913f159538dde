//! End-to-end tests of the command line on a temporary `--home`: the contract scripts rely on.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::process::Stdio;

use common::Home;
use serde_json::Value;

const REQUIRED: [&str; 16] = [
    "id",
    "platform",
    "account",
    "kind",
    "remote_id",
    "thread_id",
    "parent_id",
    "author",
    "text",
    "status",
    "priority",
    "tags",
    "assignee",
    "created_at",
    "received_at",
    "url",
];

fn demo_home(items: usize) -> Home {
    let home = Home::new();
    home.ok(&[
        "demo",
        "--items",
        &items.to_string(),
        "--no-tui",
        "--seed",
        "7",
    ]);
    home
}

fn str_field<'a>(item: &'a Value, field: &str) -> &'a str {
    item[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} missing in {item}"))
}

#[test]
fn demo_fills_a_store_that_list_json_prints_in_full() {
    let home = demo_home(200);
    let items = home.items(&[]);
    assert_eq!(items.len(), 200);
    for item in &items {
        for field in REQUIRED {
            assert!(item.get(field).is_some(), "{field} missing in {item}");
        }
        for field in ["id", "handle", "name"] {
            assert!(
                item["author"].get(field).is_some(),
                "author.{field} missing in {item}"
            );
        }
    }
    let platforms: BTreeSet<_> = items.iter().map(|i| str_field(i, "platform")).collect();
    let kinds: BTreeSet<_> = items.iter().map(|i| str_field(i, "kind")).collect();
    assert!(platforms.len() >= 5, "platforms: {platforms:?}");
    assert_eq!(kinds, BTreeSet::from(["comment", "dm", "mention"]));
    let ids: BTreeSet<_> = items.iter().map(|i| str_field(i, "id")).collect();
    assert_eq!(ids.len(), 200, "ids are unique");
}

#[test]
fn demo_is_deterministic_with_a_seed() {
    let strip = |items: Vec<Value>| -> Vec<(String, String)> {
        items
            .iter()
            .map(|i| {
                (
                    str_field(i, "remote_id").to_string(),
                    str_field(i, "text").to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        strip(demo_home(50).items(&[])),
        strip(demo_home(50).items(&[]))
    );
}

#[test]
fn importing_an_export_adds_nothing_and_round_trips() {
    let home = demo_home(120);
    let export = home.ok(&["export"]);
    assert_eq!(export.lines().count(), 120);
    let file = home.path().join("export.jsonl");
    std::fs::write(&file, &export).unwrap();
    let report = home.ok(&["import", file.to_str().unwrap()]);
    assert!(
        report.contains("0 new, 0 updated, 120 unchanged, 0 skipped"),
        "{report}"
    );
    assert_eq!(home.items(&[]).len(), 120);

    let fresh = Home::new();
    let report = fresh.ok(&["import", file.to_str().unwrap()]);
    assert!(report.contains("120 new"), "{report}");
    let before: BTreeSet<_> = home
        .items(&[])
        .iter()
        .map(|i| {
            (
                str_field(i, "remote_id").to_string(),
                str_field(i, "text").to_string(),
            )
        })
        .collect();
    let after: BTreeSet<_> = fresh
        .items(&[])
        .iter()
        .map(|i| {
            (
                str_field(i, "remote_id").to_string(),
                str_field(i, "text").to_string(),
            )
        })
        .collect();
    assert_eq!(before, after);
}

#[test]
fn csv_export_has_a_header_and_a_row_per_item() {
    let home = demo_home(30);
    let csv = home.ok(&["export", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.headers().unwrap().get(0), Some("id"));
    assert_eq!(reader.records().count(), 30);
}

fn line(remote: &str, thread: &str, author: &str, text: &str) -> String {
    serde_json::json!({
        "platform": "threads", "account": "acme-threads", "kind": "comment", "remote_id": remote,
        "thread_id": thread, "author": {"id": author, "handle": author, "name": author},
        "text": text, "created_at": "2026-11-20T10:00:00Z"
    })
    .to_string()
}

#[test]
fn import_skips_bad_lines_with_reasons_and_keeps_the_rest() {
    let home = Home::new();
    let file = home.path().join("in.jsonl");
    let content = [
        line("1", "t1", "ann", "first"),
        "{not json".to_string(),
        r#"{"platform":"x","account":"a","kind":"dm","created_at":"2026-01-01T00:00:00Z"}"#
            .to_string(),
        String::new(),
        line("2", "t1", "bob", "second"),
    ]
    .join("\n");
    std::fs::write(&file, content).unwrap();
    let out = home.run(&["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("in.jsonl:2: skipped: not valid JSON"),
        "{stderr}"
    );
    assert!(
        stderr.contains("in.jsonl:3: skipped: missing field 'remote_id'"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("2 new, 0 updated, 0 unchanged, 2 skipped"),
        "{stdout}"
    );
    assert_eq!(home.items(&[]).len(), 2);
}

#[test]
fn triage_verbs_change_items_and_the_audit_names_the_user() {
    let home = demo_home(20);
    let id = str_field(&home.items(&["--limit", "1", "status:new"])[0], "id").to_string();
    home.ok(&["tag", &id, "Legal"]);
    home.ok(&["assign", &id, "me"]);
    home.ok(&["note", &id, "called the customer"]);
    home.ok(&["resolve", &id]);
    let shown: Value = serde_json::from_str(&home.ok(&["show", &id, "--json"])).unwrap();
    let item = &shown["item"];
    assert_eq!(item["status"], "resolved");
    assert_eq!(item["tags"], serde_json::json!(["legal"]));
    assert_eq!(item["assignee"], "root");
    assert_eq!(item["notes"][0]["text"], "called the customer");
    assert!(
        item.get("raw").is_some(),
        "show --json carries the raw payload"
    );
    let err = home.fails(&["tag", &id, "two words"]);
    assert!(err.contains("invalid tag"), "{err}");
    let err = home.fails(&["assign", &id, ""]);
    assert!(err.contains("invalid user name"), "{err}");

    assert_eq!(home.items(&["tag:legal"]).len(), 1);
    assert_eq!(home.items(&["status:resolved", "assignee:me"]).len(), 1);
    home.ok(&["reopen", &id]);
    home.ok(&["untag", &id, "legal"]);
    assert_eq!(home.items(&["tag:legal"]).len(), 0);

    let audit = home.ok(&["audit", &id, "--json"]);
    let actions: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let names: Vec<_> = actions
        .iter()
        .map(|a| a["action"].as_str().unwrap().to_string())
        .collect();
    // The item's priority was set by routing when it arrived; then the CM's changes.
    assert_eq!(
        names,
        ["rules", "tag", "assign", "note", "status", "status", "untag"]
    );
    assert_eq!(actions[0]["actor"]["client"], "rules");
    assert!(actions[1..]
        .iter()
        .all(|a| a["actor"]["user"] == "root" && a["actor"]["client"] == "cli"));
}

#[test]
fn a_customer_writing_again_reopens_their_resolved_item() {
    let home = Home::new();
    let file = home.path().join("a.jsonl");
    std::fs::write(&file, line("1", "t1", "ann", "my parcel is late")).unwrap();
    home.ok(&["import", file.to_str().unwrap()]);
    let id = str_field(&home.items(&[])[0], "id").to_string();
    home.ok(&["resolve", &id]);
    std::fs::write(
        &file,
        format!(
            "{}\n{}",
            line("2", "t1", "bob", "me too"),
            line("3", "t1", "ann", "still nothing!")
        ),
    )
    .unwrap();
    home.ok(&["import", file.to_str().unwrap()]);
    let shown: Value = serde_json::from_str(&home.ok(&["show", &id, "--json"])).unwrap();
    assert_eq!(shown["item"]["status"], "open");
    let last = shown["audit"].as_array().unwrap().last().unwrap().clone();
    assert!(
        last["detail"]
            .as_str()
            .unwrap()
            .contains("customer wrote again (3)"),
        "{last}"
    );
    assert_eq!(last["actor"]["client"], "hub");
}

#[test]
fn bad_input_gets_one_clear_line_and_exit_code_1() {
    let home = demo_home(5);
    let err = home.fails(&["show", "01JD3X5Q7R9ZK2M4N6P8S0T1V3"]);
    assert_eq!(
        err.trim(),
        "switchboard: error: no item with id 01JD3X5Q7R9ZK2M4N6P8S0T1V3"
    );
    let err = home.fails(&["resolve", "nope"]);
    assert!(err.contains("'nope' is not an item id"), "{err}");
    let err = home.fails(&["list", "colour:blue"]);
    assert!(
        err.contains("malformed query") && err.contains("colour"),
        "{err}"
    );
    let err = home.fails(&["import", "/nonexistent/file.jsonl"]);
    assert!(err.contains("cannot read /nonexistent/file.jsonl"), "{err}");
    let id = str_field(&home.items(&["--limit", "1", "status:new"])[0], "id").to_string();
    home.ok(&["resolve", &id]);
    home.fails(&["spam", &id]);
    assert_eq!(home.items(&[]).len(), 5, "nothing lost");
    let err = home.fails(&["snooze", &id, "someday"]);
    assert!(err.contains("invalid time 'someday'"), "{err}");
}

#[test]
fn a_broken_config_is_named_with_file_line_and_field() {
    let home = demo_home(3);
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        "[brand]\nname = \"Acme\"\n[hub]\nsocket_path = 3\n",
    )
    .unwrap();
    let err = home.fails(&["list"]);
    let expected = format!("invalid config {}:4:1", config.display());
    assert!(
        err.contains(&expected) && err.contains("socket_path"),
        "{err}"
    );
    let out = home.run(&["doctor"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("config    FAIL") && stdout.contains("store     ok"),
        "{stdout}"
    );
    std::fs::remove_file(&config).unwrap();
    std::fs::create_dir(&config).unwrap();
    let err = home.fails(&["list"]);
    assert!(err.contains("cannot read config"), "{err}");
    std::fs::remove_dir(&config).unwrap();
    assert_eq!(home.items(&[]).len(), 3, "nothing lost");
}

#[test]
fn commands_attach_to_a_running_hub_and_a_second_hub_is_refused() {
    let home = demo_home(10);
    let mut hub = home.serve();
    let doctor = home.ok(&["doctor"]);
    assert!(
        doctor.contains("hub       ok    switchboard") && doctor.contains("socket"),
        "{doctor}"
    );
    assert!(
        doctor.contains("team      ok    you are root (admin); open team"),
        "who the hub says we are: {doctor}"
    );
    assert!(doctor.contains("outbox    ok    empty"), "{doctor}");
    let id = str_field(&home.items(&["--limit", "1", "status:new"])[0], "id").to_string();
    home.ok(&["tag", &id, "via-hub"]);
    assert_eq!(home.items(&["tag:via-hub"]).len(), 1);
    let err = home.fails(&["serve"]);
    assert!(err.contains("already serving on"), "{err}");
    assert!(
        hub.terminate().success(),
        "the hub stops cleanly on SIGTERM"
    );
    assert!(!home.socket().exists(), "the socket is removed");
    assert_eq!(
        home.items(&["tag:via-hub"]).len(),
        1,
        "in-process after the hub stopped"
    );
}

#[test]
fn a_store_held_by_a_busy_process_is_named_not_hung() {
    let home = demo_home(3);
    // `import -` holds the store in-process (no socket) while it waits for standard input.
    let mut holder = home
        .command(&["import", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    common::wait_for(
        || home.path().join("hub.owner").exists(),
        "the holder to own the store",
    );
    let started = std::time::Instant::now();
    let err = home.fails(&["list"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
    assert!(
        err.contains("is held by process") && err.contains("import -"),
        "{err}"
    );
    holder
        .stdin
        .take()
        .unwrap()
        .write_all(line("9", "t9", "zoe", "hello").as_bytes())
        .unwrap();
    assert!(holder.wait().unwrap().success());
    assert_eq!(home.items(&[]).len(), 4);
}

#[test]
fn sync_reports_each_account_and_fails_when_one_cannot_sync() {
    let home = Home::new();
    let err = home.fails(&["sync", "--once"]);
    assert!(err.contains("no accounts to sync"), "{err}");

    std::fs::write(
        home.path().join("config.toml"),
        "[[accounts]]\nname = \"acme-x\"\nplatform = \"myspace\"\ntoken = \"t\"\n",
    )
    .unwrap();
    let out = home.run(&["sync", "--once"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("acme-x: 0 new")
            && stdout.contains("no connector for platform 'myspace' yet"),
        "{stdout}"
    );
    let err = home.fails(&["sync", "--once", "--account", "acme-typo"]);
    assert!(
        err.contains("no account named 'acme-typo' (accounts: acme-x)"),
        "{err}"
    );

    let doctor = home.run(&["doctor"]);
    let doctor = String::from_utf8_lossy(&doctor.stdout);
    assert!(
        doctor.contains(
            "account   FAIL  acme-x (myspace): error: no connector for platform 'myspace' yet"
        ),
        "{doctor}"
    );
    let accounts = home.ok(&["accounts", "--json"]);
    let status: serde_json::Value = serde_json::from_str(accounts.lines().next().unwrap()).unwrap();
    assert_eq!(status["state"]["state"], "error");
}

#[test]
fn account_settings_are_checked_when_the_config_loads() {
    let home = Home::new();
    std::fs::write(
        home.path().join("config.toml"),
        "[[accounts]]\nname = \"m\"\nplatform = \"mastodon\"\npoll_interval = 0\n",
    )
    .unwrap();
    let err = home.fails(&["list"]);
    assert!(
        err.contains("accounts[0] (m): poll_interval and timeout are seconds"),
        "{err}"
    );
    std::fs::write(
        home.path().join("config.toml"),
        "[[accounts]]\nname = \"m\"\nplatform = \"mastodon\"\napi_base = \"not a url\"\n",
    )
    .unwrap();
    let err = home.fails(&["list"]);
    assert!(err.contains("api_base 'not a url' is not a URL"), "{err}");
}
