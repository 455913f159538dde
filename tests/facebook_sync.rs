//! `switchboard sync --once` with one Facebook Page account from a plain config pointed at
//! the loopback Page world (tests/common/facebook_api.rs): comments, a mention and DMs come
//! in as their kinds and threads, and a second pass brings nothing twice.

mod common;

use common::facebook_api::*;
use common::Home;
use serde_json::Value;

fn home_for(world: &FacebookWorld) -> Home {
    let home = Home::new();
    let token_file = home.path().join("fb.token");
    std::fs::write(&token_file, "page-token").unwrap();
    let config = format!(
        "[[accounts]]\nname = \"acme-fb\"\nplatform = \"facebook\"\napi_base = \"{}\"\ntoken_cmd = \"cat {}\"\npage_id = \"{PAGE_ID}\"\ntimeout = 5\n",
        world.api_base(),
        token_file.display()
    );
    std::fs::write(home.path().join("config.toml"), config).unwrap();
    home
}

#[test]
fn sync_once_brings_the_page_in() {
    let world = start_facebook_world();
    let home = home_for(&world);
    let first: Value = serde_json::from_str(&home.ok(&["sync", "--once", "--json"])).unwrap();
    assert_eq!(first["error"], Value::Null, "{first}");
    assert_eq!(first["new"], 6 + 11 + 1 + 3, "{first}");
    let again = home.ok(&["sync", "--once", "--account", "acme-fb"]);
    assert!(again.contains("acme-fb: 0 new"), "nothing twice: {again}");

    let open = home.items(&["account:acme-fb", "-status:resolved"]);
    assert_eq!(open.len(), 11 + 1 + 3, "{open:#?}");
    let kind_of = |id: &str| {
        let item = open
            .iter()
            .find(|i| i["remote_id"] == id)
            .unwrap_or_else(|| panic!("no {id}"));
        (item["kind"].clone(), item["thread_id"].clone())
    };
    assert_eq!(
        kind_of(SECOND_PAGE_COMMENT),
        ("comment".into(), POST_ID.into())
    );
    assert_eq!(kind_of(TAGGED_ID), ("mention".into(), TAGGED_ID.into()));
    assert_eq!(
        kind_of(TEXT_MESSAGE_ID),
        ("dm".into(), OTHER_CONVERSATION_ID.into())
    );
}
