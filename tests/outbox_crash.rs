//! The outbox's exactly-once promise under crashes (issue 6): 200 replies go out to
//! mastodon-mock and to the Bluesky dev-env network (posts) and its loopback chat service
//! (DMs) while `switchboard serve` is killed with SIGKILL at random moments and started
//! again, until every reply is sent. Then the servers themselves must hold every reply
//! exactly once, in reply to the right post with the right visibility, and every item must
//! be resolved.
//!
//! The kill schedule comes from a seeded RNG; the seed is printed, and
//! `SWITCHBOARD_CRASH_SEED=N` replays it (the moments a kill lands still vary with timing).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use serde_json::Value;

use common::crash::checks::{self, Answer};
use common::crash::runs::{logs, outbox, sent, serve};
use common::crash::{Mix, Platforms};
use common::Home;

/// What the customers write on each platform: 100 items each, 200 replies in all.
const MIX: Mix = Mix {
    mentions: 50,
    comments: 40,
    dms: 10,
};
const REPLIES: usize = 2 * (MIX.mentions + MIX.comments + MIX.dms);
/// The kill phase ends after this many kills or this long; a last run then finishes.
const MAX_KILLS: usize = 50;
const KILL_PHASE: Duration = Duration::from_secs(100);
/// How long the last, undisturbed run may take to send what is left.
const FINISH: Duration = Duration::from_secs(120);

/// What the kills did.
#[derive(Debug, Default)]
struct Crashes {
    kills: usize,
    /// Kills after which the outbox held an entry in `sending`: the next hub started with
    /// it, and had to look for it on the platform before sending again.
    with_sending: usize,
    /// Kills that cut short a delivery attempt the killed hub had started (rather than
    /// one left `sending` by an earlier kill).
    mid_attempt: usize,
    /// Entries found `sending` after a kill while the platform already had their reply
    /// (the hub died after the platform took it and before `sent` was recorded), with
    /// their account.
    landed: BTreeMap<String, String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_reply_goes_out_exactly_once_though_the_hub_is_killed_at_random() {
    let seed = std::env::var("SWITCHBOARD_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random::<u64>);
    println!("outbox crash test: seed {seed} (SWITCHBOARD_CRASH_SEED={seed} replays it)");
    let started = Instant::now();
    let platforms = Platforms::start(MIX).await;
    println!("servers up and seeded in {:.1?}", started.elapsed());
    let home = platforms.home();
    let answers = tokio::task::block_in_place(|| sync(&home));
    let hub = serve(&home);
    common::wait_for(
        || std::os::unix::net::UnixStream::connect(home.socket()).is_ok(),
        "the hub's socket",
    );
    tokio::task::block_in_place(|| queue(&home, &answers));
    println!(
        "synced and {REPLIES} replies queued at {:.1?}",
        started.elapsed()
    );

    let crashes = tokio::task::block_in_place(|| crash_until_sent(&home, &platforms, seed, hub));
    println!(
        "all sent at {:.1?} (seed {seed}): {} kills, {} restarts found an entry `sending`, \
         {} kills cut an attempt short, {} entries were `sending` while on the platform \
         ({} on acme-masto)",
        started.elapsed(),
        crashes.kills,
        crashes.with_sending,
        crashes.mid_attempt,
        crashes.landed.len(),
        crashes
            .landed
            .values()
            .filter(|a| *a == "acme-masto")
            .count(),
    );
    assert!(crashes.kills >= 3, "too few kills: {crashes:?}");
    assert!(
        crashes.with_sending >= 1 && crashes.mid_attempt >= 1,
        "no kill landed mid-delivery: {crashes:?}"
    );

    let entries = outbox(&home);
    assert_eq!(entries.len(), REPLIES, "{entries:#?}");
    let by_item: BTreeMap<&str, &Value> = entries
        .iter()
        .map(|e| (e["item"].as_str().unwrap(), e))
        .collect();
    let unsent: Vec<&&Value> = by_item
        .values()
        .filter(|e| e["state"] != "sent" || e["remote_id"].as_str().is_none_or(str::is_empty))
        .collect();
    assert!(
        unsent.is_empty(),
        "entries not sent with a remote id: {unsent:#?}"
    );
    let items: BTreeMap<String, Value> = home
        .items(&[])
        .into_iter()
        .map(|i| (i["id"].as_str().unwrap().to_string(), i))
        .collect();
    let unresolved: Vec<String> = answers
        .iter()
        .map(|answer| &items[answer.str("id")])
        .filter(|item| item["status"] != "resolved")
        .map(|item| {
            format!(
                "{} ({} {}): {}",
                item["id"], item["platform"], item["kind"], item["status"]
            )
        })
        .collect();
    assert!(
        unresolved.is_empty(),
        "items not resolved (seed {seed}): {unresolved:#?}"
    );
    checks::mastodon(&platforms, &answers, &by_item).await;
    checks::bluesky(&platforms, &answers, &by_item).await;
    println!("done in {:.1?}", started.elapsed());
}

/// One sync pass brings the 200 items in; the replies to them alternate the platforms.
fn sync(home: &Home) -> Vec<Answer> {
    for line in home.ok(&["sync", "--once", "--json"]).lines() {
        let summary: Value = serde_json::from_str(line).unwrap();
        assert_eq!(summary["error"], Value::Null, "{summary}");
    }
    let per_account = |account: &str| -> Vec<Value> {
        let query = format!("account:{account}");
        // The brand's own posts come in as the roots of the comments' threads.
        let items: Vec<Value> = home
            .items(&[query.as_str(), "-tag:context"])
            .into_iter()
            .filter(|i| i["from_brand"] == false)
            .collect();
        let count = |kind: &str| items.iter().filter(|i| i["kind"] == kind).count();
        let counts = (count("mention"), count("comment"), count("dm"));
        let expected = (MIX.mentions, MIX.comments, MIX.dms);
        assert_eq!(counts, expected, "{account}: {items:#?}");
        items
    };
    let mastodon = per_account("acme-masto");
    let bluesky = per_account("acme-bsky");
    mastodon
        .into_iter()
        .zip(bluesky)
        .flat_map(|(m, b)| [m, b])
        .enumerate()
        .map(|(n, item)| {
            let text = format!(
                "crash-test reply {n:03}: thank you, we are on it ({} {})",
                item["platform"].as_str().unwrap(),
                item["kind"].as_str().unwrap()
            );
            Answer { item, text }
        })
        .collect()
}

/// Queues the replies through the running hub (which starts delivering at once), a few
/// `switchboard reply` at a time.
fn queue(home: &Home, answers: &[Answer]) {
    let queueing = Instant::now();
    for batch in answers.chunks(4) {
        let replies: Vec<Child> = batch
            .iter()
            .map(|answer| {
                home.command(&["reply", answer.str("id"), "--text", &answer.text])
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn reply")
            })
            .collect();
        for reply in replies {
            let out = reply.wait_with_output().expect("wait for reply");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "reply failed: {stderr}");
        }
    }
    let entries = outbox(home);
    assert_eq!(entries.len(), answers.len(), "{entries:#?}");
    println!(
        "queued {} replies in {:.1?} ({} sent meanwhile)",
        answers.len(),
        queueing.elapsed(),
        sent(&entries)
    );
}

/// SIGKILLs the running hub after a random delay, starts it again, again and again,
/// looking at the outbox and at the servers after each kill, until every reply is sent;
/// after the kill phase a last run sends what is left.
fn crash_until_sent(home: &Home, platforms: &Platforms, seed: u64, first: Child) -> Crashes {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let runtime = tokio::runtime::Handle::current();
    let mut crashes = Crashes::default();
    let phase_end = Instant::now() + KILL_PHASE;
    let mut running = Some(first);
    // The attempts under way when the last hub died: (entry, attempt number).
    let mut interrupted: BTreeSet<(String, u64)> = BTreeSet::new();
    while crashes.kills < MAX_KILLS && Instant::now() < phase_end {
        // One kill in five comes early: while the hub starts (store, index, logins), or in
        // its first look at an entry left `sending`.
        let delay = match rng.gen_ratio(1, 5) {
            true => rng.gen_range(50..500),
            false => rng.gen_range(500..3000),
        };
        let mut hub = running.take().unwrap_or_else(|| serve(home));
        std::thread::sleep(Duration::from_millis(delay));
        if let Ok(Some(status)) = hub.try_wait() {
            panic!("the hub exited by itself ({status}):\n{}", logs(home));
        }
        hub.kill().expect("SIGKILL the hub");
        hub.wait().expect("wait for the killed hub");
        crashes.kills += 1;

        let entries = outbox(home);
        if let Some(failed) = entries.iter().find(|e| e["state"] == "failed") {
            panic!("a reply failed (seed {seed}): {failed:#}\n{}", logs(home));
        }
        let sending: Vec<&Value> = entries.iter().filter(|e| e["state"] == "sending").collect();
        let written = runtime.block_on(platforms.brand_texts());
        let on_platforms = replies_on_platforms(&written);
        let twice: Vec<_> = on_platforms.iter().filter(|(_, n)| **n > 1).collect();
        assert!(
            twice.is_empty(),
            "after kill {} (seed {seed}), replies exist more than once: {twice:#?}\n\
             sending: {sending:#?}\n{}",
            crashes.kills,
            logs(home)
        );
        let attempts: BTreeSet<(String, u64)> = sending
            .iter()
            .map(|e| {
                (
                    e["id"].as_str().unwrap().to_string(),
                    e["attempts"].as_u64().unwrap(),
                )
            })
            .collect();
        let new_attempt = attempts.difference(&interrupted).count() > 0;
        interrupted = attempts;
        let landed: Vec<&&Value> = sending
            .iter()
            .filter(|e| on_platforms.contains_key(e["text"].as_str().unwrap()))
            .collect();
        crashes.with_sending += usize::from(!sending.is_empty());
        crashes.mid_attempt += usize::from(new_attempt);
        for entry in &landed {
            let (id, account) = (entry["id"].as_str(), entry["account"].as_str());
            crashes
                .landed
                .insert(id.unwrap().into(), account.unwrap().into());
        }
        println!(
            "kill {:>2} after {delay:>4} ms: {:>3}/{REPLIES} sent, {} sending{}{}",
            crashes.kills,
            sent(&entries),
            sending.len(),
            if new_attempt {
                " (an attempt of this run)"
            } else {
                ""
            },
            if landed.is_empty() {
                ""
            } else {
                ", already on the platform"
            },
        );
        if sent(&entries) == REPLIES {
            return crashes;
        }
    }
    let _hub = home.serve();
    let deadline = Instant::now() + FINISH;
    loop {
        let entries = outbox(home);
        if sent(&entries) == REPLIES {
            return crashes;
        }
        if let Some(failed) = entries.iter().find(|e| e["state"] == "failed") {
            panic!("a reply failed (seed {seed}): {failed:#}\n{}", logs(home));
        }
        if Instant::now() > deadline {
            let left: Vec<_> = entries
                .iter()
                .filter(|e| e["state"] != "sent")
                .map(|e| (&e["id"], &e["state"], &e["reason"], &e["attempts"]))
                .collect();
            panic!(
                "not all replies sent {FINISH:?} after the last kill (seed {seed}): \
                 {left:#?}\n{}",
                logs(home)
            );
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// How many times each reply of this test is among what the brand wrote (a Mastodon
/// status starts with `@customer `), by the reply's text.
fn replies_on_platforms(texts: &BTreeMap<String, usize>) -> BTreeMap<&str, usize> {
    let mut replies = BTreeMap::new();
    for (text, n) in texts {
        if let Some(at) = text.find("crash-test reply ") {
            *replies.entry(&text[at..]).or_default() += n;
        }
    }
    replies
}
