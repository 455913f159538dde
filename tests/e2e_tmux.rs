//! The real binary in a real terminal (tmux): open the demo, filter, find, tag, resolve,
//! quit, and check both what the screen showed and what the store kept; two inboxes on one
//! hub, a draft kept across a dropped connection, a collision, and the reply's outcome live
//! in the outbox screen; hand a reply to `$EDITOR` and get the whole screen back.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::tmux::Tmux;
use common::Home;
use serde_json::Value;

/// The item rows: below the header, above the first blank line (the status bar is below it).
fn queue_rows(screen: &str) -> Vec<&str> {
    screen
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .collect()
}

/// An item whose first 24 characters of text no other item shares, and those characters.
fn unique_phrase(items: &[Value]) -> (String, String) {
    unique_phrase_where(items, |_| true)
}

/// Like [`unique_phrase`], for an item that passes `wanted`.
fn unique_phrase_where(items: &[Value], wanted: impl Fn(&Value) -> bool) -> (String, String) {
    let prefix = |item: &Value| -> String {
        item["text"]
            .as_str()
            .unwrap_or("")
            .chars()
            .take(24)
            .collect()
    };
    items
        .iter()
        .filter(|item| wanted(item))
        .map(|item| (item, prefix(item)))
        .find(|(_, phrase)| {
            phrase.chars().count() == 24
                && phrase
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == ' ' || c == ',' || c == '\'')
                && items
                    .iter()
                    .filter(|other| prefix(other) == *phrase)
                    .count()
                    == 1
        })
        .map(|(item, phrase)| (item["id"].as_str().unwrap().to_string(), phrase))
        .expect("a customer message with a distinctive opening")
}

#[test]
fn a_cm_triages_the_demo_from_the_keyboard() {
    let home = Home::new();
    let command = format!(
        "{} --home {} demo --items 60 --seed 5",
        common::bin(),
        home.path().display()
    );
    let tui = Tmux::start("triage", 120, 36, &command);
    tui.wait_for("the queue", 30, |s| {
        s.contains(" All ") && queue_rows(s).len() > 10
    });

    // Filter the view with the query language.
    tui.keys(&["f"]);
    tui.type_text("platform:x");
    tui.keys(&["Enter"]);
    // The filter bar shows at once; the rows once the hub's page is back.
    let screen = tui.wait_for("the filtered view", 20, |s| {
        s.contains("filter: platform:x") && !s.contains("… loading")
    });
    let rows = queue_rows(&screen);
    assert!(!rows.is_empty(), "{screen}");
    assert!(
        rows.iter().all(|r| r.contains(" X ")),
        "only X items after the filter:\n{screen}"
    );
    tui.keys(&["F"]);

    // Find one customer's message by a phrase of it, open it, tag it and resolve it. The
    // phrase comes from the store (read through the demo's hub, as another process would).
    let items = home.items(&["status:new"]);
    let (target, phrase) = unique_phrase(&items);
    tui.keys(&["/"]);
    tui.type_text(&phrase);
    tui.wait_for("find results", 10, |s| s.contains("found"));
    tui.keys(&["Enter"]);
    tui.wait_for("the detail pane of the item found", 10, |s| {
        s.contains(&format!("item {target}"))
    });
    tui.keys(&["t"]);
    tui.type_text("legal");
    tui.keys(&["Enter"]);
    tui.wait_for("the tag in the detail pane", 10, |s| s.contains("#legal"));
    tui.keys(&["r"]);
    tui.wait_for("the resolved status", 10, |s| s.contains("resolved ·"));

    // Another process sees it while the inbox runs (it attaches to the demo's hub).
    let tagged = home.items(&["tag:legal"]);
    assert_eq!(tagged.len(), 1);
    assert_eq!(tagged[0]["id"], target.as_str());

    tui.keys(&["q"]);
    common::wait_for(
        || !tui.alive() || tui.screen().trim().is_empty(),
        "the inbox to quit",
    );

    let item: &Value = &tagged[0];
    assert_eq!(item["status"], "resolved");
    let audit = home.ok(&["audit", item["id"].as_str().unwrap(), "--json"]);
    let clients: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        clients
            .iter()
            .any(|a| a["action"] == "tag" && a["actor"]["client"] == "demo"),
        "{audit}"
    );
}

#[test]
fn hostile_text_never_reaches_the_terminal_raw() {
    let home = Home::new();
    let corpus: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/fixtures/hostile-text.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let lines: Vec<String> = corpus
        .iter()
        .enumerate()
        .map(|(n, case)| {
            serde_json::json!({
                "platform": "mastodon", "account": "acme", "kind": "mention", "remote_id": n.to_string(),
                "author": {"id": "1", "handle": case["name"], "name": case["text"]},
                "text": case["text"], "created_at": "2026-11-20T10:00:00Z"
            })
            .to_string()
        })
        .collect();
    let file = home.path().join("hostile.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    home.ok(&["import", file.to_str().unwrap()]);

    let command = format!("{} --home {}", common::bin(), home.path().display());
    let tui = Tmux::start("hostile", 120, 40, &command);
    let screen = tui.wait_for("the queue", 30, |s| {
        s.contains(" All ") && s.contains("URGENT refund please")
    });
    // Had an escape sequence reached the terminal, tmux would have acted on it: a cleared
    // screen (the header would be gone), a new pane title (OSC 0), a paste buffer (OSC 52).
    assert!(screen.contains("URGENT refund please"), "{screen}");
    for forbidden in [
        '\u{1b}', '\u{9b}', '\u{202e}', '\u{2067}', '\u{200b}', '\u{7}', '\u{8}',
    ] {
        assert!(
            !screen.contains(forbidden),
            "{forbidden:?} on screen:\n{screen}"
        );
    }
    assert_terminal_untouched(&tui);
    // Open every item: the detail pane shows the full text of each.
    for _ in 0..corpus.len() {
        tui.keys(&["Enter"]);
        let screen = tui.wait_for("the detail pane", 10, |s| s.contains("item 01"));
        assert!(screen.contains(" All "), "the header survived:\n{screen}");
        tui.keys(&["Escape", "j"]);
    }
    assert_terminal_untouched(&tui);
    tui.keys(&["q"]);
}

/// An OSC 0 reaching the terminal would have renamed the pane; an OSC 52 would have filled a
/// paste buffer with the corpus's base64 `rm -rf ~`.
fn assert_terminal_untouched(tui: &Tmux) {
    let title = tui.pane_title();
    assert!(!title.contains("PWNED"), "title changed to {title}");
    let buffers = tui.buffers();
    assert!(!buffers.contains("rm -rf"), "clipboard written: {buffers}");
}

/// The status bar: the line above the key hints.
fn status_bar(screen: &str) -> &str {
    screen.lines().rev().nth(1).unwrap_or("")
}

#[test]
fn two_inboxes_on_one_hub_see_each_other_keep_drafts_and_collide() {
    let home = Home::new();
    let host = Tmux::start(
        "team-host",
        120,
        36,
        &format!(
            "{} --home {} demo --items 200",
            common::bin(),
            home.path().display()
        ),
    );
    host.wait_for("the demo's queue", 30, |s| {
        s.contains(" All ") && queue_rows(s).len() > 10
    });
    // Not a DM: a Meta DM's messaging window may have closed (the composer refuses those).
    let (target, phrase) =
        unique_phrase_where(&home.items(&["status:new"]), |item| item["kind"] != "dm");
    let open_target = |tui: &Tmux| {
        tui.keys(&["/"]);
        tui.type_text(&phrase);
        tui.wait_for("find results", 10, |s| s.contains("found"));
        tui.keys(&["Enter"]);
        tui.wait_for("the item's detail", 10, |s| {
            s.contains(&format!("item {target}"))
        });
    };
    let filter_to_target = |tui: &Tmux| {
        tui.keys(&["f"]);
        tui.type_text(&format!("\"{phrase}\""));
        tui.keys(&["Enter"]);
    };
    open_target(&host);

    // A second inbox attaches to the demo's hub and sees the first one on the item.
    let attach = format!("{} --home {}", common::bin(), home.path().display());
    let second = Tmux::start("team-second", 120, 36, &attach);
    second.wait_for("the second queue", 30, |s| s.contains(" All "));
    filter_to_target(&second);
    second.wait_for("the viewer's mark in the queue", 10, |s| {
        queue_rows(s).iter().any(|r| r.contains("◉root"))
    });
    open_target(&second);
    second.wait_for("the viewer in the detail pane", 10, |s| {
        s.contains("root is viewing")
    });

    // It starts a reply: the first inbox sees someone writing.
    second.keys(&["c"]);
    second.type_text("Thanks for reaching out, ");
    host.wait_for("the writer in the detail pane", 10, |s| {
        s.contains("root is writing a reply")
    });
    second.wait_for("the draft kept by the hub", 10, |s| {
        s.contains("draft saved")
    });
    second.type_text("we are on it");
    second.wait_for("the rest of the text", 10, |s| s.contains("we are on it"));

    // The connection drops (the pane dies with the terminal); the hub keeps the draft, typed
    // after the last save included. Once the dropped inbox has left, it is gone for good.
    second.kill_pane();
    host.wait_for("the dropped inbox to leave", 15, |s| {
        status_bar(s).matches("● root").count() == 1
    });

    // Attaching again brings the draft back: in the queue, and in the composer.
    let again = Tmux::start("team-again", 120, 36, &attach);
    again.wait_for("the drafts restored", 30, |s| {
        s.contains("1 draft restored")
    });
    filter_to_target(&again);
    again.wait_for("the draft's mark in the queue", 10, |s| {
        queue_rows(s).iter().any(|r| r.contains("draft"))
    });
    open_target(&again);
    again.keys(&["c"]);
    again.wait_for("the draft in the composer", 10, |s| {
        s.contains("Thanks for reaching out, we are on it")
    });

    // The first inbox tags the item meanwhile: sending on the old view stops and says what
    // changed; sending anyway goes through.
    host.keys(&["t"]);
    host.type_text("legal");
    host.keys(&["Enter"]);
    host.wait_for("the tag", 10, |s| s.contains("#legal"));
    again.keys(&["C-s"]);
    again.wait_for("the review question", 10, |s| s.contains("Send to @"));
    again.keys(&["y"]);
    again.wait_for("the conflict warning", 10, |s| {
        s.contains("Not sent") && s.contains("tag: +legal") && s.contains("send anyway")
    });
    again.keys(&["y"]);
    // Queued, then (the demo delivers at once) sent: its author learns it live. The message
    // shows for a few seconds, so it is looked for before anything slower.
    again.wait_for("the outcome, live", 20, |s| s.contains("was sent"));
    let outbox = home.ok(&["outbox", "--json"]);
    assert!(
        outbox.contains("Thanks for reaching out, we are on it"),
        "{outbox}"
    );

    // The outbox screen lists it as sent.
    again.keys(&["O"]);
    again.wait_for("the outbox screen", 10, |s| {
        s.contains("Outbox · all")
            && s.lines()
                .any(|l| l.contains(" sent ") && l.contains("Thanks for reaching out"))
    });
    again.keys(&["q", "q"]);
    host.keys(&["q"]);
}

#[test]
fn a_long_reply_is_written_in_the_editor_and_the_screen_comes_back_whole() {
    let home = Home::new();
    // A scripted editor: it notes how it found the terminal and the file, leaves junk on the
    // alternate screen (as a crashing editor would), and writes the reply.
    let seen = home.path().join("seen");
    let editor = home.path().join("editor.sh");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\n\
             stty -a > {seen}.stty\n\
             stat -c %a \"$1\" > {seen}\n\
             cat \"$1\" >> {seen}\n\
             printf '\\033[?1049h\\033[H\\033[2JEDITOR-WAS-HERE\\n'\n\
             printf 'Written in the editor, %s' ok > \"$1\"\n",
            seen = seen.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let command = format!(
        "env -u VISUAL EDITOR={} {} --home {} demo --items 60 --seed 5",
        editor.display(),
        common::bin(),
        home.path().display()
    );
    let tui = Tmux::start("editor", 120, 36, &command);
    tui.wait_for("the queue", 30, |s| {
        s.contains(" All ") && queue_rows(s).len() > 10
    });
    tui.keys(&["c"]);
    tui.type_text("Typed first");
    tui.wait_for("the composer with the text", 10, |s| {
        s.contains("your reply") && s.contains("Typed first")
    });
    tui.keys(&["C-e"]);
    let screen = tui.wait_for("the editor's text in the composer", 20, |s| {
        s.contains("Written in the editor, ok")
    });
    // The whole screen is drawn again: header, queue, composer, status and hint bars, and
    // nothing the editor left.
    assert!(!screen.contains("EDITOR-WAS-HERE"), "{screen}");
    assert!(!screen.contains("Typed first"), "{screen}");
    assert!(screen.lines().next().unwrap().contains(" All "), "{screen}");
    assert!(queue_rows(&screen).len() > 10, "{screen}");
    assert!(
        screen.lines().last().unwrap().contains("ctrl-s send"),
        "{screen}"
    );
    // The editor had the draft in a private file and the terminal in cooked mode.
    assert_eq!(std::fs::read_to_string(&seen).unwrap(), "600\nTyped first");
    let stty = std::fs::read_to_string(format!("{}.stty", seen.display())).unwrap();
    assert!(
        stty.contains(" icanon") && stty.contains(" echo "),
        "{stty}"
    );
    // Keys reach the composer again, and the edited text is kept as the draft.
    tui.type_text(" and more");
    tui.wait_for("typing after the editor", 10, |s| {
        s.contains("Written in the editor, ok and more")
    });
    tui.wait_for("the draft kept by the hub", 10, |s| {
        s.contains("draft saved")
    });
    tui.keys(&["Escape"]);
    tui.wait_for("the composer closed", 10, |s| !s.contains("your reply"));
    tui.keys(&["q"]);
    common::wait_for(
        || !tui.alive() || tui.screen().trim().is_empty(),
        "the inbox to quit",
    );
}
