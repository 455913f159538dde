//! A real SMTP server for the notification tests: aiosmtpd from PyPI, installed into a
//! virtualenv of the project's own and run by `tests/servers/smtp-server serve PORT DIR` on
//! 127.0.0.1 and a free port. Each message it accepts lands in a directory as JSON (envelope,
//! decoded headers and body, raw message, whether the client authenticated): see
//! `tests/servers/smtp_sink.py`. Killed when dropped.

use std::fs;
use std::io::Read;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The script that installs and runs the server.
pub fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/servers/smtp-server")
}

/// One message as the server took it.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Mail {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub headers: Vec<(String, String)>,
    /// Decoded (RFC 2047).
    pub subject: String,
    /// The plain-text body, decoded.
    pub body: String,
    pub raw: String,
    pub authenticated: bool,
}

impl Mail {
    /// Every value of a header, decoded.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// A running SMTP server on loopback.
pub struct SmtpServer {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Child,
}

impl SmtpServer {
    /// Installs the server if missing, starts it and waits until it accepts connections.
    pub fn start() -> SmtpServer {
        SmtpServer::start_with(&[])
    }

    /// A server that requires AUTH with this user and password.
    pub fn with_auth(user: &str, password: &str) -> SmtpServer {
        SmtpServer::start_with(&[user, password])
    }

    fn start_with(auth: &[&str]) -> SmtpServer {
        install();
        let dir = tempfile::Builder::new()
            .prefix("sbt-smtp-")
            .tempdir()
            .expect("temp dir");
        let mail = dir.path().join("mail");
        fs::create_dir(&mail).expect("mail dir");
        let port = free_port();
        let log = fs::File::create(dir.path().join("server.log")).expect("server log");
        let mut child = Command::new(script())
            .arg("serve")
            .arg(port.to_string())
            .arg(&mail)
            .args(auth)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", script().display()));
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the SMTP server exited ({status}): {}", log_of(dir.path()));
            }
            assert!(Instant::now() < deadline, "the SMTP server never listened");
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpServer { port, dir, child }
    }

    /// Every message so far, in the order received.
    pub fn messages(&self) -> Vec<Mail> {
        let mut paths: Vec<PathBuf> = fs::read_dir(self.dir.path().join("mail"))
            .expect("mail dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| {
                let text = fs::read_to_string(p).expect("message file");
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            })
            .collect()
    }

    /// Waits until at least `count` messages arrived; panics after `timeout`.
    pub fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Mail> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            assert!(
                Instant::now() < deadline,
                "the SMTP server got {} messages in {timeout:?}, not {count}; its log:\n{}",
                messages.len(),
                log_of(self.dir.path())
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Installs aiosmtpd into the project's test tools (idempotent).
pub fn install() {
    let status = Command::new(script())
        .arg("install")
        .status()
        .expect("run smtp-server install");
    assert!(status.success(), "installing aiosmtpd failed");
}

fn log_of(dir: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut f) = fs::File::open(dir.join("server.log")) {
        let _ = f.read_to_string(&mut text);
    }
    text
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}
