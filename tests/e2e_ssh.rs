//! The team box end to end, as the CMs use it: a real OpenSSH server on 127.0.0.1, and each
//! user's inbox (the TUI) in its own terminal (tmux) over `ssh user@box switchboard --socket
//! ...`, attached to one `switchboard serve` run by root. Both see the queue their role and
//! accounts allow, one's change shows on the other's screen without a key press, presence
//! names who is online, an unknown user is refused, and one user's dropped connection
//! disturbs neither the other nor the hub.
//!
//! Needs root (test users, sshd); CI runs as root. Only 127.0.0.1 is ever used.

mod common;

use common::sshd::{shell_quote, Sshd};
use common::team_box::TeamBox;
use common::tmux::Tmux;
use common::unix_users::{self, UnixUser, ALICE, BOB, MALLORY};

const COLS: u16 = 120;
const ROWS: u16 = 30;

/// The queue's rows: below the tab bar, above the first blank line.
fn queue_rows(screen: &str) -> Vec<&str> {
    screen
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .collect()
}

/// The queue's row of the sample item whose text starts with `word`, if shown.
fn row<'a>(screen: &'a str, word: &str) -> Option<&'a str> {
    queue_rows(screen).into_iter().find(|r| r.contains(word))
}

/// A switchboard command line for `user` on the box (their own home, the shared socket).
fn switchboard(team_box: &TeamBox, user: &UnixUser, args: &[&str]) -> String {
    let mut words = vec![
        team_box.bin.display().to_string(),
        "--home".into(),
        team_box.user_home(user).display().to_string(),
        "--socket".into(),
        team_box.socket.display().to_string(),
    ];
    words.extend(args.iter().map(|a| a.to_string()));
    words
        .iter()
        .map(|w| shell_quote(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs a switchboard command as `user` over ssh (with a terminal, as a CM would); returns
/// the exit code and what the terminal showed.
fn over_ssh(sshd: &Sshd, team_box: &TeamBox, user: &UnixUser, args: &[&str]) -> (i32, String) {
    let out = sshd
        .ssh(&user.name, &switchboard(team_box, user, args))
        .output()
        .expect("run ssh");
    let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
        + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

/// `over_ssh` that must succeed.
fn ok_over_ssh(sshd: &Sshd, team_box: &TeamBox, user: &UnixUser, args: &[&str]) -> String {
    let (code, text) = over_ssh(sshd, team_box, user, args);
    assert_eq!(
        code,
        0,
        "{} over ssh: switchboard {args:?} failed:\n{text}\nsshd log:\n{}",
        user.name,
        sshd.log()
    );
    text
}

/// `switchboard team` as bob over ssh, until `ready` holds for it (presence follows
/// connections, so it may take a moment); panics with the last listing after 15 s.
fn team_as_seen_by(
    sshd: &Sshd,
    team_box: &TeamBox,
    bob: &UnixUser,
    what: &str,
    ready: impl Fn(&str) -> bool,
) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let team = ok_over_ssh(sshd, team_box, bob, &["team"]);
        if ready(&team) {
            return team;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "bob's `team` never showed {what}:\n{team}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

fn online(team: &str, user: &str, client: &str) -> bool {
    team.lines().any(|l| {
        l.trim_start()
            .starts_with(&format!("online: {user} ({client})"))
    })
}

/// Presence as bob sees it, checked where the CMs see it: his TUI's status bar names the
/// others online (`● alice`), and `switchboard team` (run by bob over ssh) lists everyone
/// online in which client.
fn assert_bob_sees_online(
    sshd: &Sshd,
    team_box: &TeamBox,
    bob: &UnixUser,
    bob_screen: &Tmux,
    users: &[&str],
) -> String {
    for user in users.iter().filter(|u| **u != "bob") {
        bob_screen.wait_for(&format!("● {user} in bob's status bar"), 10, |s| {
            status_bar(s).contains(&format!("● {user}"))
        });
    }
    team_as_seen_by(
        sshd,
        team_box,
        bob,
        &format!("{users:?} online in the TUI"),
        |t| users.iter().all(|u| online(t, u, "tui")),
    )
}

/// The status bar: the line naming the connection (`· socket …`), above the key hints.
fn status_bar(screen: &str) -> &str {
    screen
        .lines()
        .rev()
        .find(|line| line.contains(" · socket"))
        .unwrap_or("")
}

#[test]
fn two_users_work_one_queue_over_ssh_and_see_each_other_live() {
    let alice = unix_users::user(ALICE, true);
    let bob = unix_users::user(BOB, true);
    let mallory = unix_users::user(MALLORY, true);
    let mut team_box = TeamBox::standard();
    let sshd = Sshd::start(&[&alice, &bob, &mallory]);
    let tui_over_ssh =
        |user: &UnixUser| sshd.ssh_command_line(&user.name, &switchboard(&team_box, user, &[]));

    let alice_tui = Tmux::start("alice", COLS, ROWS, &tui_over_ssh(&alice));
    let bob_tui = Tmux::start("bob", COLS, ROWS, &tui_over_ssh(&bob));
    let failed_to_start = |who: &str, tui: &Tmux| {
        format!(
            "{who}'s TUI over ssh; screen:\n{}\nsshd log:\n{}",
            tui.screen(),
            sshd.log()
        )
    };

    // Both inboxes render over SSH, each scoped to its user.
    // Wait for a settled screen: a capture can catch a frame half drawn over the ssh link.
    let screen = alice_tui.wait_for(&failed_to_start("alice", &alice_tui), 30, |s| {
        row(s, "Xalpha").is_some()
            && row(s, "Xdelta").is_some()
            && s.contains(" items")
            && !s.contains("loading")
    });
    let bar = status_bar(&screen);
    assert!(
        bar.contains("alice (agent)") && bar.contains("socket") && bar.contains(" 3 items"),
        "alice's status bar names her, her role, the socket and only her items:\n{screen}"
    );
    let rows = queue_rows(&screen);
    assert_eq!(rows.len(), 3, "alice's 3 items:\n{screen}");
    assert!(
        rows.iter().all(|r| r.contains(" X ")),
        "only her X account:\n{screen}"
    );
    assert!(
        row(&screen, "Xcharlie").is_none(),
        "no escalated item for an agent:\n{screen}"
    );
    let screen = bob_tui.wait_for(&failed_to_start("bob", &bob_tui), 30, |s| {
        row(s, "Xalpha").is_some()
            && row(s, "Fhotel").is_some()
            && s.contains(" items")
            && !s.contains("loading")
    });
    let bar = status_bar(&screen);
    assert!(
        bar.contains("● bob") && bar.contains("(approver)") && bar.contains("socket"),
        "{screen}"
    );
    assert_eq!(
        queue_rows(&screen).len(),
        8,
        "bob sees every account and the escalation:\n{screen}"
    );

    // Each sees the other online.
    let team = assert_bob_sees_online(&sshd, &team_box, &bob, &bob_tui, &["alice", "bob"]);
    assert!(team.contains("Alice Martin"), "{team}");

    // Alice opens her top item: bob's queue marks it as viewed by her, live; she closes it.
    alice_tui.keys(&["enter"]);
    bob_tui.wait_for("◉alice on the item alice opened", 10, |s| {
        row(s, "Xalpha").is_some_and(|r| r.contains("◉alice"))
    });
    alice_tui.keys(&["Escape"]);
    bob_tui.wait_for("the mark gone when alice closes it", 10, |s| {
        row(s, "Xalpha").is_some_and(|r| !r.contains("◉alice"))
    });

    // Bob resolves the top item (alice's urgent one) from his keyboard; it leaves alice's
    // screen without her pressing anything.
    let top = queue_rows(&bob_tui.screen())[0].to_string();
    assert!(top.contains("Xalpha"), "the urgent item is first: {top}");
    bob_tui.keys(&["r"]);
    bob_tui.wait_for("bob's queue without Xalpha", 10, |s| {
        row(s, "Xalpha").is_none()
    });
    alice_tui.wait_for("Xalpha gone from alice's screen", 10, |s| {
        row(s, "Xalpha").is_none() && row(s, "Xbravo").is_some()
    });

    // Bob tags one of alice's items with his CLI over ssh; her row shows the tag.
    let xbravo = team_box.id_of("acme-x-2");
    ok_over_ssh(&sshd, &team_box, &bob, &["tag", &xbravo, "vip"]);
    alice_tui.wait_for("bob's tag on alice's screen", 10, |s| {
        row(s, "Xbravo").is_some_and(|r| r.contains("vip"))
    });
    // The audit says who: bob, from his command line.
    let audit = team_box.root_ok(&["audit", &xbravo, "--json"]);
    assert!(
        audit.contains(r#""user":"bob""#) && audit.contains(r#""client":"cli""#),
        "{audit}"
    );

    // Mallory can log in to the box, but the hub refuses her inbox.
    let (code, refused) = over_ssh(&sshd, &team_box, &mallory, &[]);
    assert_eq!(code, 1, "mallory's TUI over ssh should fail:\n{refused}");
    assert!(
        refused.contains(&format!("Unix user '{MALLORY}'"))
            && refused.contains("not a switchboard user"),
        "mallory sees why:\n{refused}"
    );

    // Alice's connection drops (her ssh client is killed with its terminal): bob's inbox and
    // the hub carry on, and bob sees her gone.
    drop(alice_tui);
    team_as_seen_by(&sshd, &team_box, &bob, "alice offline", |t| {
        !online(t, "alice", "tui") && online(t, "bob", "tui")
    });
    bob_tui.wait_for("alice gone from bob's status bar", 10, |s| {
        !status_bar(s).contains("● alice")
    });
    assert!(team_box.hub_running(), "the hub survived alice's drop");
    let xdelta = team_box.id_of("acme-x-4");
    ok_over_ssh(&sshd, &team_box, &bob, &["resolve", &xdelta]);
    bob_tui.wait_for("bob's screen still live after alice left", 10, |s| {
        row(s, "Xdelta").is_none() && row(s, "Fecho").is_some()
    });
    bob_tui.keys(&["q"]);
    common::wait_for(|| !bob_tui.alive(), "bob's TUI to quit and his ssh to end");
}
