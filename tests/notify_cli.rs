//! Notifications through the `switchboard` binary, against a loopback webhook receiver
//! (`common::webhook`): `notify test` on a dead receiver ends `failed` and `doctor` says so;
//! a hub killed while a delivery is pending delivers it once restarted (`notify list`).

mod common;

use std::time::Duration;

use common::webhook::WebhookReceiver;
use common::Home;

const WAIT: Duration = Duration::from_secs(20);

/// A home whose config has one webhook channel, `hook`, to `url`, retried quickly.
fn home_with_hook(url: &str, attempts: u32) -> Home {
    let home = Home::new();
    let config = format!(
        "[notify.hook]\nkind = \"webhook\"\nurl = \"{url}\"\n\
         [notifications]\nattempts = {attempts}\nretry = \"1s\"\ntimeout = \"2s\"\n"
    );
    std::fs::write(home.path().join("config.toml"), config).unwrap();
    home
}

#[test]
fn a_dead_receiver_ends_failed_and_doctor_says_so() {
    let dead = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let home = home_with_hook(&format!("http://{dead}/hook"), 2);
    let error = home.fails(&["notify", "test", "hook"]);
    assert!(error.contains("delivery to hook failed"), "{error}");
    assert!(error.contains(&format!("cannot reach {dead}")), "{error}");
    assert!(error.contains("gave up after 2 attempts"), "{error}");
    let doctor = home.ok(&["doctor"]);
    let line = doctor
        .lines()
        .find(|l| l.starts_with("notify"))
        .expect(&doctor);
    assert!(line.contains("warn"), "{line}");
    assert!(
        line.contains("hook: 0 delivered, 0 pending, 1 failed"),
        "{line}"
    );
    assert!(
        line.contains(&format!("last error: cannot reach {dead}")),
        "{line}"
    );
}

#[test]
fn a_restarted_hub_resumes_a_pending_delivery() {
    let receiver = WebhookReceiver::start();
    receiver.answer_next(&[503; 1000]);
    let home = home_with_hook(&receiver.url("/hook"), 20);
    let mut hub = home.serve();
    let error = home.fails(&["notify", "test", "hook", "--wait", "2"]);
    assert!(error.contains("still pending after 2s"), "{error}");
    // SAFETY: kill with a valid pid of our own child and a valid signal number.
    unsafe { libc::kill(hub.child.id() as i32, libc::SIGKILL) };
    hub.child.wait().unwrap();
    let tried = receiver.received().len();
    assert!(tried >= 1, "the first hub tried");
    receiver.clear_answers();
    let _hub = home.serve();
    receiver.wait_for(tried + 1, WAIT);
    common::wait_for(
        || {
            let list = home.ok(&["notify", "list", "--json"]);
            list.lines().any(|l| l.contains("\"state\":\"delivered\""))
        },
        "the resumed delivery",
    );
    let list = home.ok(&["notify", "list"]);
    assert!(
        list.contains("delivered")
            && list.contains("hook")
            && list.contains("last error: 127.0.0.1"),
        "{list}"
    );
}
