//! The real binary against the loopback YouTube channel (`common::youtube_api`): `sync
//! --once` brings the channel's comments in as comments in their threads (the held one
//! tagged), `doctor` and `accounts` show the day's quota, and a second `sync --once`
//! resumes the saved count (the count is the connector's own, kept across hubs).

mod common;

use common::youtube_api::*;
use common::Home;
use switchboard::connectors::youtube::HELD_TAG;

fn synced_home(world: &YoutubeWorld) -> Home {
    let home = Home::new();
    std::fs::write(
        home.path().join("config.toml"),
        world.account_toml("acme-yt"),
    )
    .unwrap();
    home
}

#[test]
fn sync_once_brings_the_channel_in_and_doctor_shows_the_quota_left() {
    let world = start_youtube_world();
    let home = synced_home(&world);
    let out = home.ok(&["sync", "--once"]);
    assert!(out.contains("acme-yt: 8 new"), "{out}");

    let items = home.items(&["account:acme-yt"]);
    assert_eq!(items.len(), 8, "{items:?}");
    assert!(items
        .iter()
        .all(|i| i["kind"] == "comment" && i["platform"] == "youtube"));
    let replies: Vec<_> = items
        .iter()
        .filter(|i| i["parent_id"] == PAGED_THREAD)
        .collect();
    assert_eq!(replies.len(), 3);
    assert!(replies.iter().all(|r| r["thread_id"] == PAGED_THREAD));
    let held: Vec<_> = items
        .iter()
        .filter(|i| {
            i["tags"]
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t == HELD_TAG))
        })
        .collect();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0]["remote_id"], HELD_THREAD);

    let doctor = String::from_utf8_lossy(&home.run(&["doctor"]).stdout).into_owned();
    assert!(
        doctor.contains("acme-yt (youtube): ok")
            && doctor.contains("quota 9,996 of 10,000 units left today"),
        "{doctor}"
    );

    // The next hub resumes the day's count: two more list calls (nothing new).
    home.ok(&["sync", "--once"]);
    let accounts = home.ok(&["accounts"]);
    assert!(
        accounts.contains("quota 9,994 of 10,000 units left today"),
        "{accounts}"
    );
}

/// Waits until `count` outbox entries are sent (a failed one fails the test).
fn wait_until_sent(home: &Home, count: usize) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let outbox = home.ok(&["outbox", "--json"]);
        let entries: Vec<serde_json::Value> = outbox
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(
            !entries.iter().any(|e| e["state"] == "failed"),
            "{entries:#?}"
        );
        if entries.iter().filter(|e| e["state"] == "sent").count() == count {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not sent in time: {entries:#?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[test]
fn a_reply_and_a_moderation_step_reach_the_channel_through_the_running_hub() {
    let world = start_youtube_world();
    let home = synced_home(&world);
    let _hub = home.serve();
    home.ok(&["sync", "--once"]);
    let items = home.items(&["account:acme-yt"]);
    let find = |id: &str| {
        items.iter().find(|i| i["remote_id"] == id).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };

    home.ok(&["reply", &find(PAGED_THREAD), "--text", "Thank you, Kun!"]);
    wait_until_sent(&home, 1);
    let inserts = world.api.received_at("POST", "/youtube/v3/comments");
    assert_eq!(inserts.len(), 1);
    assert_eq!(
        inserts[0].json(),
        serde_json::json!({"snippet": {"parentId": PAGED_THREAD, "textOriginal": "Thank you, Kun!"}})
    );

    let published = home.ok(&["moderate", &find(HELD_THREAD), "unhide"]);
    assert!(published.contains("unhide"), "{published}");
    wait_until_sent(&home, 2);
    let calls = world
        .api
        .received_at("POST", "/youtube/v3/comments/setModerationStatus");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].param("id"), Some(HELD_THREAD));
    assert_eq!(calls[0].param("moderationStatus"), Some("published"));

    let doctor = home.ok(&["doctor"]);
    assert!(doctor.contains("of 10,000 units left today"), "{doctor}");
    let accounts = home.ok(&["accounts", "--json"]);
    let status: serde_json::Value = serde_json::from_str(accounts.lines().next().unwrap()).unwrap();
    let used = status["usage"]["used"].as_u64().unwrap();
    assert!(
        used >= 4 + 50 + 50,
        "the reply and the moderation step counted: {status}"
    );
}
