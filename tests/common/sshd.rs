//! A real OpenSSH server for the end-to-end tests: Debian's `/usr/sbin/sshd -D` on 127.0.0.1
//! and a free port, with its own configuration, host key, client key and authorized keys in
//! a temporary directory (nothing of the system's sshd setup is read or changed, apart from
//! creating `/run/sshd`, which sshd needs for privilege separation). Stopped when dropped.
//!
//! Only ever listens on, and connects to, 127.0.0.1. When it does not come up, the panic
//! shows sshd's log.

use std::fs;
use std::io::Read;
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::unix_users::{self, UnixUser};

const SSHD: &str = "/usr/sbin/sshd";
const LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// A running sshd on loopback.
pub struct Sshd {
    dir: tempfile::TempDir,
    pub port: u16,
    /// The client's private key (authorized for every user given to `start`).
    pub key: PathBuf,
    child: Child,
}

impl Sshd {
    /// Starts sshd for these users (each may log in with [`Sshd::key`]).
    pub fn start(users: &[&UnixUser]) -> Sshd {
        unix_users::require_root();
        assert!(
            Path::new(SSHD).exists(),
            "{SSHD} is missing: tests/run installs openssh-server"
        );
        fs::create_dir_all("/run/sshd").expect("create /run/sshd");
        let dir = tempfile::Builder::new()
            .prefix("sbt-sshd-")
            .tempdir()
            .expect("temp dir");
        // sshd reads the authorized keys as the user logging in: the path must be open to them.
        chmod(dir.path(), 0o755);
        let host_key = dir.path().join("host_ed25519");
        let key = dir.path().join("client_ed25519");
        keygen(&host_key);
        keygen(&key);
        let public = fs::read_to_string(key.with_extension("pub")).unwrap();
        let authorized = dir.path().join("authorized_keys");
        fs::create_dir(&authorized).unwrap();
        chmod(&authorized, 0o755);
        for user in users {
            let file = authorized.join(&user.name);
            fs::write(&file, &public).unwrap();
            chmod(&file, 0o644);
        }
        let allow: Vec<&str> = users.iter().map(|u| u.name.as_str()).collect();

        let mut attempts = 0;
        loop {
            attempts += 1;
            let port = free_port();
            let config = dir.path().join("sshd_config");
            fs::write(
                &config,
                format!(
                    "Port {port}\n\
                     ListenAddress 127.0.0.1\n\
                     HostKey {host}\n\
                     PidFile {pid}\n\
                     AuthorizedKeysFile {authorized}/%u\n\
                     StrictModes no\n\
                     UsePAM no\n\
                     PubkeyAuthentication yes\n\
                     PasswordAuthentication no\n\
                     KbdInteractiveAuthentication no\n\
                     PermitRootLogin no\n\
                     AllowUsers {allow}\n\
                     AllowTcpForwarding no\n\
                     X11Forwarding no\n\
                     PrintMotd no\n\
                     PrintLastLog no\n\
                     UseDNS no\n\
                     MaxStartups 50\n\
                     LogLevel VERBOSE\n",
                    host = host_key.display(),
                    pid = dir.path().join("sshd.pid").display(),
                    authorized = authorized.display(),
                    allow = allow.join(" "),
                ),
            )
            .unwrap();
            let log = dir.path().join("sshd.log");
            let stderr = fs::File::create(dir.path().join("sshd.stderr")).unwrap();
            let mut child = Command::new(SSHD)
                .arg("-D")
                .arg("-f")
                .arg(&config)
                .arg("-E")
                .arg(&log)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(stderr)
                .spawn()
                .unwrap_or_else(|e| panic!("start {SSHD}: {e}"));
            match wait_ready(&mut child, port, dir.path()) {
                Ok(()) => {
                    return Sshd {
                        dir,
                        port,
                        key,
                        child,
                    }
                }
                // Someone took the port between our probe and sshd's bind: try another.
                Err(log) if attempts < 3 && log.contains("Bind to port") => {
                    stop(&mut child);
                }
                Err(log) => {
                    stop(&mut child);
                    panic!("sshd did not start on 127.0.0.1:{port}; its log:\n{log}")
                }
            }
        }
    }

    /// The ssh client's arguments to run `remote` as `user` on this server, with a terminal
    /// (`-tt`), our key only, and no host key prompts or user config.
    pub fn ssh_args(&self, user: &str, remote: &str) -> Vec<String> {
        let mut args: Vec<String> = vec!["-tt".into(), "-F".into(), "/dev/null".into()];
        args.extend(["-p".into(), self.port.to_string()]);
        args.extend(["-i".into(), self.key.display().to_string()]);
        for option in [
            "StrictHostKeyChecking=no",
            "UserKnownHostsFile=/dev/null",
            "BatchMode=yes",
            "LogLevel=ERROR",
            "IdentitiesOnly=yes",
            "IdentityAgent=none",
            "ConnectTimeout=10",
        ] {
            args.extend(["-o".into(), option.into()]);
        }
        args.push(format!("{user}@127.0.0.1"));
        args.push(remote.to_string());
        args
    }

    /// `ssh ARGS` as one shell command line (for a tmux pane).
    pub fn ssh_command_line(&self, user: &str, remote: &str) -> String {
        std::iter::once("ssh".to_string())
            .chain(self.ssh_args(user, remote).iter().map(|a| shell_quote(a)))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// An ssh client command, ready to run (as root, the key's owner).
    pub fn ssh(&self, user: &str, remote: &str) -> Command {
        let mut cmd = Command::new("ssh");
        cmd.args(self.ssh_args(user, remote)).stdin(Stdio::null());
        cmd
    }

    /// sshd's log (and anything it wrote on stderr).
    pub fn log(&self) -> String {
        log_of(self.dir.path())
    }
}

fn log_of(dir: &Path) -> String {
    let read = |name: &str| fs::read_to_string(dir.join(name)).unwrap_or_default();
    format!("{}{}", read("sshd.log"), read("sshd.stderr"))
}

/// Waits until sshd greets on its port; its log if it exits or stays silent.
fn wait_ready(child: &mut Child, port: u16, dir: &Path) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("(sshd exited: {status})\n{}", log_of(dir)));
        }
        if let Ok(mut stream) = TcpStream::connect(SocketAddrV4::new(LOOPBACK, port)) {
            stream
                .set_read_timeout(Some(Duration::from_secs(2)))
                .unwrap();
            let mut banner = [0u8; 7];
            if stream.read_exact(&mut banner).is_ok() && &banner == b"SSH-2.0" {
                return Ok(());
            }
        }
        if Instant::now() > deadline {
            return Err(format!("(no SSH banner within 10 s)\n{}", log_of(dir)));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stop(child: &mut Child) {
    // SAFETY: kill with the pid of our own child and a valid signal number.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let _ = child.wait();
}

impl Drop for Sshd {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// Quotes a word for `sh`.
pub fn shell_quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=@:,+%".contains(c))
    {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// A port free on 127.0.0.1 right now.
fn free_port() -> u16 {
    TcpListener::bind(SocketAddrV4::new(LOOPBACK, 0))
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

fn keygen(path: &Path) {
    let out = Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "switchboard-test",
            "-f",
        ])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .expect("ssh-keygen (tests/run installs openssh-client)");
    assert!(
        out.status.success(),
        "ssh-keygen {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {mode:o} {}: {e}", path.display()));
}
