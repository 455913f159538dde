//! A team box in a temporary directory, laid out as the README's "Team box" section says:
//! `switchboard serve` running as root on its own home (mode 0700), its socket in a run
//! directory owned by root and the team group (mode 0750, so only the group reaches the
//! socket, which the hub makes 0660 root:sbt-team), the binary where every user can run it,
//! and a home of their own for each user's client-side config and logs.
//!
//! ```text
//! <box>/            0755 root
//!   bin/switchboard      a link to (or copy of) the tested binary: the repository may not be
//!                        open to other users
//!   hub/            0700 root   the hub's --home: config.toml, store, logs
//!   run/            0750 root:sbt-team   hub.sock (0660 root:sbt-team)
//!   users/NAME/     0700 NAME   that user's --home
//! ```

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::unix_users::{self, UnixUser, TEAM_GROUP};

/// The team of the tests (after the `[hub]` table [`TeamBox::new`] writes): an agent limited
/// to one account whose replies need approval, an approver, an agent kept out by the socket's
/// group, and root as the admin. `sbt-mallory` is a Unix user in the group but not here.
pub const TEAM: &str = r#"
[users.alice]
unix_user = "sbt-alice"
display_name = "Alice Martin"
role = "agent"
team = "agency"
accounts = ["acme-x"]
requires_approval = true

[users.bob]
unix_user = "sbt-bob"
display_name = "Bob Durand"
role = "approver"
team = "in-house"

[users.carol]
unix_user = "sbt-carol"
role = "agent"

[users.admin]
unix_user = "root"
role = "admin"
"#;

/// What the sample items' texts start with, by remote id: `acme-x-1` to `-4`, then
/// `acme-facebook-5` to `-8`. Each word is unique, so a screen shows which item a row is.
pub const SAMPLE: [(&str, usize, &str); 8] = [
    ("acme-x", 1, "Xalpha where is my parcel"),
    ("acme-x", 2, "Xbravo the zip broke on day two"),
    ("acme-x", 3, "Xcharlie my lawyer will call you"),
    ("acme-x", 4, "Xdelta do you ship to Belgium"),
    ("acme-facebook", 5, "Fecho charged twice for one order"),
    ("acme-facebook", 6, "Ffoxtrot love the new lamp"),
    ("acme-facebook", 7, "Fgolf is the shop open on Sunday"),
    ("acme-facebook", 8, "Fhotel still no refund"),
];

/// The sample items as import lines: `acme-x-1` is urgent (the top of the queue),
/// `acme-facebook-5` high (second), `acme-x-3` already escalated (approvers only).
pub fn sample_items() -> Vec<String> {
    SAMPLE
        .iter()
        .map(|&(account, n, text)| {
            let priority = match n {
                1 => "urgent",
                5 => "high",
                _ => "normal",
            };
            let mut line: serde_json::Value =
                serde_json::from_str(&item_line(account, n, text, priority)).unwrap();
            if n == 3 {
                line["status"] = "escalated".into();
            }
            line.to_string()
        })
        .collect()
}

/// One shared hub and the places around it; the hub is stopped (SIGTERM) when dropped.
pub struct TeamBox {
    dir: tempfile::TempDir,
    /// The binary every user runs.
    pub bin: PathBuf,
    /// The hub's `--home`.
    pub home: PathBuf,
    /// The hub's socket (`[hub] socket`).
    pub socket: PathBuf,
    hub: Option<Child>,
}

impl TeamBox {
    /// A box whose hub config is `[hub]` (socket and group) followed by `team_config`
    /// (`[users.*]` tables). The hub is not started yet: see [`TeamBox::serve`].
    pub fn new(team_config: &str) -> TeamBox {
        unix_users::require_root();
        let team_gid = unix_users::team_group();
        let dir = tempfile::Builder::new()
            .prefix("sbt-box-")
            .tempdir()
            .expect("temp dir");
        chmod(dir.path(), 0o755);

        let bin_dir = dir.path().join("bin");
        fs::create_dir(&bin_dir).unwrap();
        chmod(&bin_dir, 0o755);
        let bin = bin_dir.join("switchboard");
        if fs::hard_link(super::bin(), &bin).is_err() {
            fs::copy(super::bin(), &bin).expect("copy the switchboard binary");
        }
        chmod(&bin, 0o755);

        let home = dir.path().join("hub");
        fs::create_dir(&home).unwrap();
        chmod(&home, 0o700);
        let run = dir.path().join("run");
        fs::create_dir(&run).unwrap();
        std::os::unix::fs::chown(&run, Some(0), Some(team_gid)).unwrap();
        chmod(&run, 0o750);
        let socket = run.join("hub.sock");
        let config = format!(
            "[hub]\nsocket = \"{}\"\nsocket_group = \"{TEAM_GROUP}\"\n\n{team_config}",
            socket.display()
        );
        fs::write(home.join("config.toml"), config).unwrap();

        let users = dir.path().join("users");
        fs::create_dir(&users).unwrap();
        chmod(&users, 0o755);
        TeamBox {
            dir,
            bin,
            home,
            socket,
            hub: None,
        }
    }

    /// The box of the tests: [`TEAM`], the sample items imported, the hub serving.
    pub fn standard() -> TeamBox {
        let mut team_box = TeamBox::new(TEAM);
        let report = team_box.import(&sample_items());
        assert!(report.contains("8 new"), "{report}");
        team_box.serve();
        team_box
    }

    /// The id of an item by its remote id (`acme-x-1`), asked as root.
    pub fn id_of(&self, remote_id: &str) -> String {
        let items = json_lines(&self.root_ok(&["list", "--json"]));
        items
            .iter()
            .find(|i| i["remote_id"] == remote_id)
            .and_then(|i| i["id"].as_str())
            .unwrap_or_else(|| panic!("no item {remote_id} in {items:?}"))
            .to_string()
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A command run by root on the hub's home (attaches to the running hub, or hosts one).
    pub fn root(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.arg("--home").arg(&self.home).args(args);
        cmd.env_remove("SWITCHBOARD_HOME")
            .env_remove("SWITCHBOARD_SOCKET")
            .stdin(Stdio::null());
        cmd
    }

    /// A root command that must succeed; its stdout.
    pub fn root_ok(&self, args: &[&str]) -> String {
        let out = self.root(args).output().expect("run switchboard as root");
        assert!(
            out.status.success(),
            "root: switchboard {args:?} failed ({:?}):\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Imports JSON lines as root (an admin).
    pub fn import(&self, lines: &[String]) -> String {
        let file = self.home.join("import.jsonl");
        fs::write(&file, lines.join("\n") + "\n").unwrap();
        self.root_ok(&["import", file.to_str().unwrap()])
    }

    /// Starts `switchboard serve` as root and waits until its socket accepts.
    pub fn serve(&mut self) {
        assert!(self.hub.is_none(), "the hub already runs");
        let stderr = fs::File::create(self.path().join("serve.stderr")).unwrap();
        let child = self
            .root(&["serve"])
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("spawn switchboard serve");
        self.hub = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::os::unix::net::UnixStream::connect(&self.socket).is_err() {
            let exited = self.hub.as_mut().unwrap().try_wait().unwrap();
            assert!(
                exited.is_none() && Instant::now() < deadline,
                "the hub did not start serving on {} ({exited:?}); stderr:\n{}\nlog:\n{}",
                self.socket.display(),
                self.serve_stderr(),
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the hub with SIGTERM (as `systemctl stop` would); its exit status.
    pub fn stop_hub(&mut self) -> std::process::ExitStatus {
        let mut child = self.hub.take().expect("the hub runs");
        // SAFETY: kill with the pid of our own child and a valid signal number.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        child.wait().expect("wait for the hub")
    }

    /// True while the hub process runs.
    pub fn hub_running(&mut self) -> bool {
        self.hub
            .as_mut()
            .is_some_and(|c| c.try_wait().unwrap().is_none())
    }

    /// What `serve` wrote on stderr.
    pub fn serve_stderr(&self) -> String {
        fs::read_to_string(self.path().join("serve.stderr")).unwrap_or_default()
    }

    /// The hub's log files (`<hub home>/logs/`), concatenated.
    pub fn log(&self) -> String {
        let mut files: Vec<PathBuf> = fs::read_dir(self.home.join("logs"))
            .map(|dir| dir.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .map(|f| fs::read_to_string(f).unwrap_or_default())
            .collect()
    }

    /// Waits until the hub's log has a line satisfying `wanted` (the log is written by a
    /// background thread); panics with the log after 10 s.
    pub fn wait_for_log(&self, what: &str, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let log = self.log();
            if let Some(line) = log.lines().find(|l| wanted(l)) {
                return line.to_string();
            }
            assert!(
                Instant::now() < deadline,
                "the hub's log never said {what}; log:\n{log}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The user's own `--home` (created, owned by them, mode 0700).
    pub fn user_home(&self, user: &UnixUser) -> PathBuf {
        let home = self.path().join("users").join(&user.name);
        if !home.exists() {
            fs::create_dir(&home).unwrap();
            std::os::unix::fs::chown(&home, Some(user.uid), Some(user.gid)).unwrap();
            chmod(&home, 0o700);
        }
        home
    }

    /// `switchboard --home <their home> --socket <hub socket> ARGS`, run as `user`.
    pub fn as_user(&self, user: &UnixUser, args: &[&str]) -> Command {
        let home = self.user_home(user);
        let mut cmd = user.command(&self.bin, &home);
        cmd.arg("--home")
            .arg(&home)
            .arg("--socket")
            .arg(&self.socket)
            .args(args)
            .env_remove("SWITCHBOARD_HOME")
            .env_remove("SWITCHBOARD_SOCKET")
            .stdin(Stdio::null());
        cmd
    }

    /// Runs a command as `user` to completion.
    pub fn run_as(&self, user: &UnixUser, args: &[&str]) -> Output {
        self.as_user(user, args)
            .output()
            .unwrap_or_else(|e| panic!("run switchboard {args:?} as {}: {e}", user.name))
    }

    /// A command as `user` that must succeed; its stdout.
    pub fn ok_as(&self, user: &UnixUser, args: &[&str]) -> String {
        let out = self.run_as(user, args);
        assert!(
            out.status.success(),
            "{}: switchboard {args:?} failed ({:?}):\nstdout: {}\nstderr: {}",
            user.name,
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// A command as `user` that must fail with exit code 1; its stderr.
    pub fn fails_as(&self, user: &UnixUser, args: &[&str]) -> String {
        let out = self.run_as(user, args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}: switchboard {args:?} should fail with exit code 1:\nstdout: {}\nstderr: {}",
            user.name,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    /// `list --json ARGS` as `user`, parsed.
    pub fn items_as(&self, user: &UnixUser, query: &[&str]) -> Vec<serde_json::Value> {
        let mut args = vec!["list", "--json"];
        args.extend_from_slice(query);
        json_lines(&self.ok_as(user, &args))
    }
}

impl Drop for TeamBox {
    fn drop(&mut self) {
        if self.hub.is_some() {
            self.stop_hub();
        }
    }
}

/// Parses JSON lines.
pub fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l}: {e}")))
        .collect()
}

/// One import line: an item on `account` with a text that names it.
pub fn item_line(account: &str, n: usize, text: &str, priority: &str) -> String {
    let platform = match account {
        "acme-x" => "x",
        "acme-facebook" => "facebook",
        "acme-mastodon" => "mastodon",
        other => panic!("no platform for {other}"),
    };
    serde_json::json!({
        "platform": platform,
        "account": account,
        "kind": "comment",
        "remote_id": format!("{account}-{n}"),
        "thread_id": format!("{account}-thread-{n}"),
        "author": {"id": format!("cust-{n}"), "handle": format!("cust{n}"), "name": format!("Customer {n}")},
        "text": text,
        "lang": "en",
        "priority": priority,
        "created_at": format!("2026-01-05T{:02}:{:02}:00Z", 8 + n / 60, n % 60),
    })
    .to_string()
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {mode:o} {}: {e}", path.display()));
}
