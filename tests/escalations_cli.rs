//! The escalation verbs through the real binary on a temporary `--home` (one user: an open
//! team, so the login running the tests is an admin and owns the escalation): `escalate`,
//! `escalations` (human and JSON), `answer`, and what `show --json` and `audit` then say.

mod common;

use common::Home;
use serde_json::Value;
use switchboard::hub::identity::current_user;

fn home_with_items() -> (Home, Vec<String>) {
    let home = Home::new();
    let config = format!(
        "[escalations.legal]\ndescription = \"Legal threats\"\nowners = [\"{}\"]\nsla = \"2h\"\n\n\
         [escalations.brand]\nowners = [\"someone-else\"]\n",
        current_user()
    );
    std::fs::write(home.path().join("config.toml"), config).unwrap();
    let lines: Vec<String> = (1..=2)
        .map(|n| {
            serde_json::json!({
                "platform": "threads", "account": "acme-threads", "kind": "comment",
                "remote_id": format!("r{n}"), "thread_id": format!("t{n}"),
                "author": {"id": format!("a{n}"), "handle": format!("claire{n}"), "name": "Claire"},
                "text": format!("I will sue you, message {n}\u{1b}[31m"),
                "created_at": "2026-11-20T10:00:00Z"
            })
            .to_string()
        })
        .collect();
    let file = home.path().join("in.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    home.ok(&["import", file.to_str().unwrap()]);
    let ids = home
        .items(&[])
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    (home, ids)
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON {l}: {e}")))
        .collect()
}

#[test]
fn escalate_list_and_answer_through_the_binary() {
    let (home, ids) = home_with_items();
    let me = current_user();
    let out = home.ok(&["escalate", &ids[0], "legal", "--note", "lawyer letter"]);
    assert!(
        out.contains("escalated to legal") && out.contains(&format!("waiting on {me}")),
        "{out}"
    );
    home.ok(&["escalate", &ids[1], "brand", "--note", "logo"]);

    let rows = json_lines(&home.ok(&["escalations", "--json"]));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["escalation"]["name"], "legal");
    assert_eq!(rows[0]["escalation"]["by"], me.as_str());
    assert_eq!(rows[0]["escalation"]["state"], "waiting");
    assert_eq!(rows[0]["item"]["id"], ids[0].as_str());
    assert!(rows[0]["escalation"]["due"].is_string(), "legal has an sla");
    let mine = json_lines(&home.ok(&["escalations", "--mine", "--json"]));
    assert_eq!(mine.len(), 1, "brand is someone else's");

    let human = home.ok(&["escalations"]);
    assert!(human.starts_with("ITEM"), "{human}");
    assert!(
        human.contains("legal") && human.contains("brand"),
        "{human}"
    );
    assert!(
        !human.contains('\u{1b}'),
        "platform text is sanitized: {human:?}"
    );

    let err = home.fails(&["escalate", &ids[0], "lawyers"]);
    assert!(
        err.contains("unknown escalation 'lawyers'; configured: brand, legal"),
        "{err}"
    );

    let out = home.ok(&["answer", &ids[0], "--guidance", "say nothing of fault"]);
    assert!(out.contains("is answered"), "{out}");
    let out = home.ok(&["answer", &ids[0], "--hand-back", "yours again"]);
    assert!(out.contains("is handed_back"), "{out}");
    assert!(home
        .ok(&["escalations", "--mine"])
        .contains("no escalations waiting"));
    let all = json_lines(&home.ok(&["escalations", "--all", "--mine", "--json"]));
    assert_eq!(all[0]["escalation"]["answers"].as_array().unwrap().len(), 2);

    let shown: Value = serde_json::from_str(&home.ok(&["show", &ids[0], "--json"])).unwrap();
    assert_eq!(shown["item"]["status"], "open");
    assert_eq!(shown["item"]["assignee"], me.as_str());
    assert_eq!(shown["escalations"][0]["state"], "handed_back");
    let audit = json_lines(&home.ok(&["audit", &ids[0], "--json"]));
    // Routing's line when the item arrived ("rules": its priority) is not what this checks.
    let lines: Vec<(String, String)> = audit
        .iter()
        .filter(|a| a["action"] != "rules")
        .map(|a| {
            (
                a["action"].as_str().unwrap().to_string(),
                a["detail"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("escalate".into(), "legal: lawyer letter".into()),
            (
                "escalation".into(),
                "legal answered: guidance: say nothing of fault".into()
            ),
            (
                "escalation".into(),
                "legal answered: handed back: yours again".into()
            ),
        ]
    );
    // One answer at a time; none at all is a usage error.
    assert_eq!(
        home.run(&["answer", &ids[1], "--take", "--approve"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(home.run(&["answer", &ids[1]]).status.code(), Some(2));
}
