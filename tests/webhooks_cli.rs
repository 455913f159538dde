//! The webhook endpoint through the real binary: `serve` listens where `[webhooks] listen`
//! says and `doctor` prints its line (routes, counters; a warning when no hub runs), `serve`
//! refuses an address already taken, mistakes in `[webhooks]` are refused with the file and
//! line, and without the section there is no endpoint and no doctor line.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;

use common::webhooks_hub::{meta_body, meta_signature};
use common::Home;

const APP_SECRET: &str = "cli-app-secret";

/// A port nothing listens on (right now).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn write_config(home: &Home, text: &str) -> std::path::PathBuf {
    let path = home.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// POSTs `body` to `127.0.0.1:port{path}` with `header`; the answer's status.
fn post(port: u16, path: &str, header: &str, body: &[u8]) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n{header}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer}"))
}

fn doctor_line(home: &Home) -> String {
    let out = home.run(&["doctor"]);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    stdout
        .lines()
        .find(|l| l.starts_with("webhooks"))
        .unwrap_or_else(|| panic!("no webhooks line in:\n{stdout}"))
        .to_string()
}

#[test]
fn serve_listens_and_doctor_reports_routes_and_counters() {
    let home = Home::new();
    let port = free_port();
    write_config(
        &home,
        &format!(
            "[webhooks]\nlisten = \"127.0.0.1:{port}\"\nmeta_app_secret = \"{APP_SECRET}\"\n\
             meta_verify_token = \"v\"\nx_consumer_secret_env = \"SWITCHBOARD_TEST_X_SECRET\"\n"
        ),
    );
    let child = home
        .command(&["serve"])
        .env("SWITCHBOARD_TEST_X_SECRET", "x-secret")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn serve");
    let mut hub = common::Hub { child };
    common::wait_for(
        || std::os::unix::net::UnixStream::connect(home.socket()).is_ok(),
        "the hub socket",
    );
    common::wait_for(
        || TcpStream::connect(("127.0.0.1", port)).is_ok(),
        "the webhook endpoint",
    );
    let body = meta_body("page", &["4242"]);
    let signature = meta_signature(APP_SECRET, &body);
    // Header names are not case-sensitive: written in capitals, the signature still counts.
    let header = format!("X-HUB-SIGNATURE-256: {signature}");
    assert_eq!(post(port, "/webhooks/meta", &header, &body), 200);
    assert_eq!(
        doctor_line(&home),
        format!(
            "webhooks  ok    listening on 127.0.0.1:{port}: meta, x; 1 received, 0 rejected, \
             1 for accounts not configured; last accepted {}",
            doctor_time(&home)
        )
    );
    let forged = "X-Hub-Signature-256: sha256=00";
    assert_eq!(post(port, "/webhooks/meta", forged, &body), 403);
    let line = doctor_line(&home);
    assert!(
        line.starts_with("webhooks  warn  ") && line.contains("2 received, 1 rejected"),
        "{line}"
    );
    hub.terminate();
    let line = doctor_line(&home);
    assert!(
        line.starts_with("webhooks  warn  ")
            && line.contains(&format!(
                "listen = \"127.0.0.1:{port}\" is set, but no hub is running"
            )),
        "{line}"
    );
}

/// The minute-resolution part of the last accepted time is not known in advance: read it
/// back from doctor and check its shape.
fn doctor_time(home: &Home) -> String {
    let line = doctor_line(home);
    let at = line
        .split("last accepted ")
        .nth(1)
        .unwrap_or_else(|| panic!("no time in {line}"))
        .to_string();
    assert!(
        chrono::NaiveDateTime::parse_from_str(&at, "%Y-%m-%d %H:%M:%S UTC").is_ok(),
        "{at}"
    );
    at
}

#[test]
fn a_route_without_its_secret_answers_404_and_doctor_says_why() {
    let home = Home::new();
    let port = free_port();
    write_config(
        &home,
        &format!(
            "[webhooks]\nlisten = \"127.0.0.1:{port}\"\npath_prefix = \"/hooks\"\n\
             x_consumer_secret_env = \"SWITCHBOARD_TEST_UNSET_SECRET\"\n"
        ),
    );
    let mut hub = home.serve();
    common::wait_for(
        || TcpStream::connect(("127.0.0.1", port)).is_ok(),
        "the webhook endpoint",
    );
    assert_eq!(
        post(
            port,
            "/hooks/x",
            "x-twitter-webhooks-signature: sha256=AA==",
            b"{}"
        ),
        404
    );
    assert_eq!(
        post(port, "/hooks/meta", "x-hub-signature-256: sha256=00", b"{}"),
        404
    );
    let line = doctor_line(&home);
    assert_eq!(
        line,
        format!(
            "webhooks  warn  listening on 127.0.0.1:{port}: no route; meta answers 404 (not configured); \
             x answers 404 (x_consumer_secret_env names SWITCHBOARD_TEST_UNSET_SECRET, which is not set or empty); \
             0 received, 0 rejected"
        )
    );
    hub.terminate();
    let mut said = String::new();
    hub.child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut said)
        .unwrap();
    assert!(
        said.contains(&format!("webhooks on http://127.0.0.1:{port})")),
        "{said}"
    );
}

#[test]
fn serve_refuses_an_address_already_taken() {
    let home = Home::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    write_config(
        &home,
        &format!("[webhooks]\nlisten = \"127.0.0.1:{port}\"\nx_consumer_secret = \"s\"\n"),
    );
    let err = home.fails(&["serve"]);
    assert!(
        err.contains(&format!("cannot serve: webhooks.listen 127.0.0.1:{port}:"))
            && err.contains("in use"),
        "{err}"
    );
}

#[test]
fn mistakes_in_the_section_are_refused_with_file_and_line() {
    let home = Home::new();
    for (text, line, expected) in [
        (
            "[brand]\nname = \"Acme\"\n[webhooks]\nlisten = \"localhost:8788\"\nx_consumer_secret = \"s\"\n",
            4,
            "webhooks.listen: 'localhost:8788' is not an address to listen on: write IP:port",
        ),
        (
            "[webhooks]\nlisten = \"127.0.0.1:8788\"\nmeta_verify_token = \"v\"\n",
            1,
            "meta_verify_token is set but meta_app_secret is not",
        ),
        (
            "[webhooks]\nlisten = \"127.0.0.1:8788\"\n",
            1,
            "no route has its secret",
        ),
    ] {
        let path = write_config(&home, text);
        let err = home.fails(&["list"]);
        let at = format!("invalid config {}:{line}:", path.display());
        assert!(err.contains(&at) && err.contains(expected), "{err}\n--- wanted {at} {expected}");
    }
}

#[test]
fn without_the_section_there_is_no_endpoint_and_no_doctor_line() {
    let home = Home::new();
    write_config(&home, "[brand]\nname = \"Acme\"\n");
    let _hub = home.serve();
    let out = home.run(&["doctor"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("hub       ok"), "{stdout}");
    assert!(!stdout.contains("webhooks"), "{stdout}");
}
