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
