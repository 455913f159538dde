//! Drives a program in a real terminal: tmux on a private server socket, `send-keys` to type,
//! `capture-pane` to read the screen, as a person at the keyboard would.

use std::process::Command;
use std::time::{Duration, Instant};

/// One tmux server and session, killed when dropped.
pub struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    /// Starts `command` (a shell command line) in a detached session of `cols`×`rows`.
    pub fn start(name: &str, cols: u16, rows: u16, command: &str) -> Tmux {
        let tmux = Tmux {
            socket: format!("sb-test-{name}-{}", std::process::id()),
            session: name.to_string(),
        };
        let status = tmux
            .cmd()
            .args([
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                &cols.to_string(),
                "-y",
                &rows.to_string(),
            ])
            .arg(command)
            .args([";", "set-option", "-g", "set-clipboard", "on"])
            .env("TERM", "xterm-256color")
            .status()
            .expect("tmux must be installed (tests/run installs it)");
        assert!(status.success(), "tmux new-session failed");
        tmux
    }

    fn cmd(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &self.socket]);
        cmd
    }

    /// Sends keys by tmux name (`Enter`, `Escape`, `C-c`, or literal single characters).
    pub fn keys(&self, keys: &[&str]) {
        let status = self
            .cmd()
            .args(["send-keys", "-t", &self.session])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success(), "send-keys {keys:?}");
    }

    /// Types text literally.
    pub fn type_text(&self, text: &str) {
        let status = self
            .cmd()
            .args(["send-keys", "-t", &self.session, "-l", text])
            .status()
            .unwrap();
        assert!(status.success(), "send-keys -l {text:?}");
    }

    /// The visible screen, one string per row.
    pub fn screen(&self) -> String {
        let out = self
            .cmd()
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen satisfies `ready`; panics with the screen after `secs`.
    pub fn wait_for(&self, what: &str, secs: u64, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The pane title, which an OSC 0/2 sequence reaching the terminal would change.
    pub fn pane_title(&self) -> String {
        let out = self
            .cmd()
            .args([
                "display-message",
                "-p",
                "-t",
                &self.session,
                "#{pane_title}",
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The paste buffers, which an OSC 52 sequence reaching the terminal would fill.
    pub fn buffers(&self) -> String {
        let out = self.cmd().args(["list-buffers"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Destroys the pane, as a dropped SSH connection takes the terminal away: the program
    /// gets SIGHUP and its terminal is gone.
    pub fn kill_pane(&self) {
        let status = self
            .cmd()
            .args(["kill-pane", "-t", &self.session])
            .status()
            .unwrap();
        assert!(status.success(), "kill-pane");
    }

    /// True while the session's program runs.
    pub fn alive(&self) -> bool {
        self.cmd()
            .args(["has-session", "-t", &self.session])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self
            .cmd()
            .arg("kill-server")
            .stderr(std::process::Stdio::null())
            .status();
    }
}
