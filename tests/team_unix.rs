//! The team over real Unix users, several attached at once to one `switchboard serve` run by
//! root (as on a team box): who someone is comes from the kernel's peer credentials, an
//! unknown Unix user is refused by name (and the hub logs it), the socket's group keeps
//! everyone else out, each user sees only their accounts and role, changes and presence
//! reach the others live, and a reply written over someone else's change is stopped.
//!
//! Needs root to create the users (`sbt-*`, see `common/unix_users.rs`); CI runs as root.
//! The same rules in-process are in `team.rs`; over SSH and in real terminals in
//! `e2e_ssh.rs`.

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::team_box::{json_lines, TeamBox};
use common::unix_users::{self, UnixUser, ALICE, BOB, CAROL, MALLORY};
use serde_json::Value;

fn alice() -> UnixUser {
    unix_users::user(ALICE, true)
}

fn bob() -> UnixUser {
    unix_users::user(BOB, true)
}

/// `watch --json` run as a user: its event lines as they arrive.
struct Watch {
    who: String,
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Watch {
    fn start(team_box: &TeamBox, user: &UnixUser) -> Watch {
        let mut child = team_box
            .as_user(user, &["watch", "--json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn watch");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Watch {
            who: user.name.clone(),
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// The next event satisfying `wanted` (earlier ones are kept in `seen`); panics with
    /// every line received after 10 s.
    fn wait_for(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        match self.next_matching(Duration::from_secs(10), wanted) {
            Some(event) => event,
            None => {
                let status = self.child.try_wait();
                panic!(
                    "{}'s watch never showed {what} (watch: {status:?}); it printed:\n{}",
                    self.who,
                    self.seen.join("\n")
                )
            }
        }
    }

    /// The next event satisfying `wanted` within `timeout`.
    fn next_matching(
        &mut self,
        timeout: Duration,
        wanted: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self.lines.recv_timeout(left).ok()?;
            self.seen.push(line.clone());
            let event: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("{}: bad JSON event {line}: {e}", self.who));
            if wanted(&event) {
                return Some(event);
            }
        }
    }

    /// Returns once the watch is subscribed: root tags `id` (an item this user sees) until a
    /// tag shows up (`watch` prints nothing before the first event, and an event sent
    /// before its subscription is not for it).
    fn until_subscribed(&mut self, team_box: &TeamBox, id: &str) {
        for attempt in 0..40 {
            let tag = format!("sync-{attempt}");
            team_box.root_ok(&["tag", id, &tag]);
            let is_sync = |e: &Value| {
                e["type"] == "changed"
                    && e["change"]["item"]["id"] == id
                    && e["change"]["item"]["tags"].as_array().is_some_and(|tags| {
                        tags.iter()
                            .any(|t| t.as_str().is_some_and(|t| t.starts_with("sync-")))
                    })
            };
            if self
                .next_matching(Duration::from_millis(250), is_sync)
                .is_some()
            {
                return;
            }
        }
        panic!(
            "{}'s watch never subscribed; it printed:\n{}",
            self.who,
            self.seen.join("\n")
        );
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A `changed` event for the item `id` whose tags include `tag`.
fn tagged(event: &Value, id: &str, tag: &str) -> bool {
    let item = &event["change"]["item"];
    event["type"] == "changed"
        && item["id"] == id
        && item["tags"]
            .as_array()
            .is_some_and(|tags| tags.iter().any(|t| t == tag))
}

/// The users a `presence` event lists.
fn online_users(event: &Value) -> Vec<String> {
    event["online"]
        .as_array()
        .map(|online| {
            online
                .iter()
                .filter_map(|e| e["user"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn identity_comes_from_the_kernel_and_strangers_are_refused() {
    let alice = alice();
    let bob = bob();
    let mallory = unix_users::user(MALLORY, true);
    let carol = unix_users::user(CAROL, false);
    let team_box = TeamBox::standard();

    // The socket is the README's: 0660, root and the team group.
    let meta = std::fs::metadata(&team_box.socket).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o660, "socket mode");
    assert_eq!(
        (meta.uid(), meta.gid()),
        (0, unix_users::team_group()),
        "socket owner"
    );

    // Alice is alice whatever her environment claims: the hub asks the kernel.
    let out = team_box
        .as_user(&alice, &["team", "--json"])
        .env("USER", BOB)
        .env("LOGNAME", BOB)
        .output()
        .unwrap();
    assert!(out.status.success(), "alice: team --json: {out:?}");
    let lines = json_lines(&String::from_utf8_lossy(&out.stdout));
    let online: Vec<&Value> = lines.iter().filter_map(|l| l.get("online")).collect();
    assert_eq!(
        online.len(),
        1,
        "only alice's own connection is attached: {lines:?}"
    );
    assert_eq!(online[0]["user"], "alice", "{lines:?}");
    assert_eq!(online[0]["display_name"], "Alice Martin", "{lines:?}");
    assert_eq!(online[0]["client"], "cli", "{lines:?}");
    let members: Vec<&Value> = lines.iter().filter_map(|l| l.get("member")).collect();
    let names: Vec<&str> = members.iter().filter_map(|m| m["name"].as_str()).collect();
    assert_eq!(names, ["admin", "alice", "bob", "carol"], "{lines:?}");
    let alice_member = members.iter().find(|m| m["name"] == "alice").unwrap();
    assert_eq!(alice_member["unix_user"], ALICE);
    assert_eq!(alice_member["role"], "agent");

    let attached = team_box.wait_for_log("alice attaching", |line| {
        line.contains("client attached") && line.contains(ALICE)
    });
    assert!(attached.contains("user=alice"), "{attached}");

    let bob_team = team_box.ok_as(&bob, &["team", "--json"]);
    let bob_online: Vec<Value> = json_lines(&bob_team)
        .into_iter()
        .filter_map(|l| l.get("online").cloned())
        .collect();
    assert_eq!(bob_online.len(), 1, "{bob_team}");
    assert_eq!(bob_online[0]["user"], "bob", "{bob_team}");

    // Mallory reaches the socket (she is in the group) but is no switchboard user.
    let refusal = team_box.fails_as(&mallory, &["list"]);
    assert!(
        refusal.contains(&format!("Unix user '{MALLORY}' (uid {})", mallory.uid))
            && refusal.contains("not a switchboard user"),
        "mallory's refusal: {refusal}"
    );
    assert!(
        refusal.starts_with("switchboard: error: ") && refusal.lines().count() == 1,
        "one error line: {refusal}"
    );
    let logged = team_box.wait_for_log("that it refused sbt-mallory", |line| {
        line.contains("refused a client") && line.contains(MALLORY)
    });
    assert!(logged.contains(&format!("uid={}", mallory.uid)), "{logged}");
    // Her attempts attach only: she never hosts a hub on her own home.
    let mallory_home = team_box.user_home(&mallory);
    assert!(
        !mallory_home.join("store").exists(),
        "a refused user must not open a store of her own"
    );

    // Carol is configured, but outside the socket's group the kernel keeps her out.
    let denied = team_box.fails_as(&carol, &["list"]);
    assert!(
        denied.contains(&format!("no hub answers on {}", team_box.socket.display()))
            && denied.contains("Permission denied")
            && denied.contains("socket group"),
        "carol's error: {denied}"
    );
    assert!(
        !team_box.user_home(&carol).join("store").exists(),
        "--socket never hosts a hub"
    );

    // Stopped as systemd stops it, the hub exits cleanly and removes its socket; a client
    // then says no hub answers (and still hosts none).
    let mut team_box = team_box;
    let status = team_box.stop_hub();
    assert!(status.success(), "serve after SIGTERM: {status}");
    assert!(!team_box.socket.exists(), "the socket is removed");
    let down = team_box.fails_as(&alice, &["list"]);
    assert!(
        down.contains(&format!("no hub answers on {}", team_box.socket.display())),
        "{down}"
    );
    assert!(!team_box.user_home(&alice).join("store").exists());
}

#[test]
fn each_user_sees_only_their_accounts_and_acts_within_their_role() {
    let alice = alice();
    let bob = bob();
    let team_box = TeamBox::standard();

    let mine = team_box.items_as(&alice, &[]);
    let remote_ids: Vec<&str> = mine
        .iter()
        .filter_map(|i| i["remote_id"].as_str())
        .collect();
    assert_eq!(
        remote_ids,
        ["acme-x-1", "acme-x-2", "acme-x-4"],
        "alice: her account, without the escalated item"
    );
    assert!(
        team_box
            .items_as(&alice, &["account:acme-facebook"])
            .is_empty(),
        "asking for another account does not widen alice's scope"
    );
    assert!(
        team_box.items_as(&alice, &["status:escalated"]).is_empty(),
        "escalation queues are for approvers"
    );
    assert_eq!(team_box.items_as(&bob, &[]).len(), 8, "bob sees everything");
    assert_eq!(team_box.items_as(&bob, &["status:escalated"]).len(), 1);

    // Export and the audit are scoped the same way.
    let export = json_lines(&team_box.ok_as(&alice, &["export"]));
    assert_eq!(export.len(), 3, "alice's export: {export:?}");
    assert!(
        export
            .iter()
            .all(|i| i["account"] == "acme-x" && i["status"] != "escalated"),
        "{export:?}"
    );
    let csv = team_box.ok_as(&alice, &["export", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 4, "header and alice's 3 items: {csv}");
    assert!(!csv.contains("acme-facebook"), "{csv}");
    let audit = team_box.ok_as(&alice, &["audit", "--json"]);
    assert!(
        !audit.contains("acme-facebook") && !audit.contains("Fecho"),
        "alice's audit: {audit}"
    );

    // Another account's item does not exist for alice.
    let facebook = team_box.id_of("acme-facebook-5");
    let not_found = team_box.fails_as(&alice, &["show", &facebook]);
    assert!(not_found.contains(&facebook), "{not_found}");
    team_box.fails_as(&alice, &["tag", &facebook, "mine"]);

    // Roles: agents do not import; approvals are for approvers.
    let line = common::team_box::item_line("acme-x", 9, "Xecho new", "normal");
    let file = team_box.user_home(&alice).join("one.jsonl");
    std::fs::write(&file, format!("{line}\n")).unwrap();
    std::os::unix::fs::chown(&file, Some(alice.uid), Some(alice.gid)).unwrap();
    let refused = team_box.fails_as(&alice, &["import", file.to_str().unwrap()]);
    assert!(refused.contains("alice is an agent"), "{refused}");

    // Alice's reply is held; she cannot release it; bob does.
    let x1 = team_box.id_of("acme-x-1");
    let held = team_box.ok_as(
        &alice,
        &["reply", &x1, "--text", "Hello, your parcel left today."],
    );
    assert!(held.contains("held for approval"), "{held}");
    let cannot = team_box.fails_as(&alice, &["approve", &x1]);
    assert!(
        cannot.contains("alice is an agent") && cannot.contains("approve"),
        "{cannot}"
    );
    let outbox = team_box.ok_as(&bob, &["outbox", "--json"]);
    let entries = json_lines(&outbox);
    assert_eq!(entries.len(), 1, "{outbox}");
    assert_eq!(entries[0]["author"], "alice", "{outbox}");
    assert_eq!(entries[0]["state"], "held", "{outbox}");
    let approved = team_box.ok_as(&bob, &["approve", &x1]);
    assert!(approved.contains("approved"), "{approved}");
    let audit = team_box.ok_as(&bob, &["audit", &x1]);
    assert!(
        audit.contains("bob") && audit.contains("approved"),
        "the audit names bob's approval: {audit}"
    );
}

#[test]
fn changes_and_presence_reach_every_attached_user_live() {
    let alice = alice();
    let bob = bob();
    let team_box = TeamBox::standard();
    let x2 = team_box.id_of("acme-x-2");
    let fb6 = team_box.id_of("acme-facebook-6");
    let x4 = team_box.id_of("acme-x-4");

    let mut bob_watch = Watch::start(&team_box, &bob);
    bob_watch.until_subscribed(&team_box, &fb6);

    let mut alice_watch = Watch::start(&team_box, &alice);
    let presence = bob_watch.wait_for("alice online", |e| {
        e["type"] == "presence" && online_users(e).contains(&"alice".to_string())
    });
    let alice_entry = presence["online"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["user"] == "alice")
        .unwrap();
    assert_eq!(alice_entry["display_name"], "Alice Martin");

    alice_watch.until_subscribed(&team_box, &x4);

    // What alice does, bob sees.
    team_box.ok_as(&alice, &["tag", &x2, "parcel"]);
    let change = bob_watch.wait_for("alice's tag", |e| tagged(e, &x2, "parcel"));
    assert_eq!(change["change"]["item"]["account"], "acme-x");

    // Alice gets her own account's changes only: the Facebook tag never reaches her, the
    // X tag made after it does.
    team_box.ok_as(&bob, &["tag", &fb6, "secret"]);
    team_box.ok_as(&bob, &["tag", &x4, "after"]);
    alice_watch.wait_for("bob's tag on acme-x-4", |e| tagged(e, &x4, "after"));
    bob_watch.wait_for("his own tag", |e| tagged(e, &x4, "after"));
    assert!(
        alice_watch
            .seen
            .iter()
            .all(|l| !l.contains("acme-facebook")),
        "alice saw another account's event:\n{}",
        alice_watch.seen.join("\n")
    );

    // `team` lists who is attached, as the other users see it.
    let team = team_box.ok_as(&bob, &["team"]);
    assert!(
        team.lines()
            .any(|l| l.trim_start().starts_with("online: alice (cli)")),
        "bob's team listing names alice online: {team}"
    );
    assert!(
        team.lines()
            .any(|l| l.starts_with("● alice") && l.contains("Alice Martin")),
        "alice's member line is marked online: {team}"
    );

    // Alice leaves: bob sees her go, and the hub serves on.
    alice_watch.stop();
    bob_watch.wait_for("alice offline", |e| {
        e["type"] == "presence" && !online_users(e).contains(&"alice".to_string())
    });
    team_box.ok_as(&bob, &["tag", &x2, "still-here"]);
    bob_watch.wait_for("the hub still serving", |e| tagged(e, &x2, "still-here"));
}

#[test]
fn a_reply_over_someone_elses_change_is_stopped_with_what_changed() {
    let alice = alice();
    let bob = bob();
    let team_box = TeamBox::standard();
    let x4 = team_box.id_of("acme-x-4");

    let version = |who: &UnixUser| -> u64 {
        let detail: Value =
            serde_json::from_str(&team_box.ok_as(who, &["show", &x4, "--json"])).unwrap();
        detail["item"]["version"]
            .as_u64()
            .unwrap_or_else(|| panic!("no version in {detail}"))
    };
    let seen = version(&alice);
    team_box.ok_as(&bob, &["tag", &x4, "vip"]);
    let conflict = team_box.fails_as(
        &alice,
        &[
            "reply",
            &x4,
            "--text",
            "Yes, we ship to Belgium.",
            "--seen",
            &seen.to_string(),
        ],
    );
    assert!(
        conflict.contains("someone else changed this item") && conflict.contains("bob tag: +vip"),
        "the collision warning names bob's change: {conflict}"
    );
    let outbox = team_box.ok_as(&bob, &["outbox", "--json"]);
    assert!(outbox.trim().is_empty(), "nothing was queued: {outbox}");

    // Having seen it, alice may reply (held for approval, as her replies are).
    let seen = version(&alice);
    let held = team_box.ok_as(
        &alice,
        &[
            "reply",
            &x4,
            "--text",
            "Yes, we ship to Belgium.",
            "--seen",
            &seen.to_string(),
        ],
    );
    assert!(held.contains("held for approval"), "{held}");
}
