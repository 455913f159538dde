//! Real Unix users for the team tests: created with `groupadd`/`useradd`/`usermod` when missing
//! (idempotent, safe when several test threads or test processes ask at once), and commands
//! run as them the way a login would (their uid, primary gid and supplementary groups).
//!
//! Creating users needs root. CI runs as root; anywhere else these tests fail with a message
//! that says so rather than passing without testing anything.
//!
//! Every name is prefixed `sbt-` so test accounts are easy to recognise and never collide
//! with a real person's.

use std::ffi::{CStr, CString};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

/// The socket group of the shared hub in these tests.
pub const TEAM_GROUP: &str = "sbt-team";
/// An agent (configured as `alice`), in the team group.
pub const ALICE: &str = "sbt-alice";
/// An approver (configured as `bob`), in the team group.
pub const BOB: &str = "sbt-bob";
/// In the team group, so the kernel lets her connect, but not a switchboard user.
pub const MALLORY: &str = "sbt-mallory";
/// Configured as `carol`, but not in the team group: the socket's permissions keep her out.
pub const CAROL: &str = "sbt-carol";

/// Serializes user and group creation between the test threads of one process (useradd
/// takes its own lock on /etc/passwd between processes; a lost race there is detected below).
static CREATING: Mutex<()> = Mutex::new(());

/// A Unix user as the system knows it.
#[derive(Clone, Debug)]
pub struct UnixUser {
    pub name: String,
    pub uid: u32,
    /// The primary group.
    pub gid: u32,
    /// Every group the user is in (primary included), as `initgroups` would give a login.
    pub groups: Vec<u32>,
    pub home: String,
}

/// Panics with a clear message unless the tests run as root.
pub fn require_root() {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let euid = unsafe { libc::geteuid() };
    if euid != 0 {
        panic!(
            "this test needs root (it runs as uid {euid}): it creates Unix users (useradd) and \
             runs switchboard as them, directly and through sshd. CI runs as root; locally run \
             `sudo ./tests/run`. It fails rather than skips, so that a run without root never \
             passes without testing the team over real Unix users."
        );
    }
}

/// The team group's gid, created if missing.
pub fn team_group() -> u32 {
    require_root();
    let _lock = CREATING.lock().unwrap_or_else(|e| e.into_inner());
    ensure_group(TEAM_GROUP)
}

/// A test user, created if missing, in the team group or not. Idempotent.
pub fn user(name: &str, in_team: bool) -> UnixUser {
    require_root();
    assert!(
        name.starts_with("sbt-"),
        "test users are prefixed sbt-: {name}"
    );
    let _lock = CREATING.lock().unwrap_or_else(|e| e.into_inner());
    let team = ensure_group(TEAM_GROUP);
    if lookup(name).is_none() {
        let mut useradd = Command::new("useradd");
        // `-p '*'`: no password can match, and unlike useradd's default `!` the account is
        // not "locked", which sshd (without PAM) would refuse even for a key.
        useradd.args(["-m", "-s", "/bin/bash", "-p", "*"]);
        if in_team {
            useradd.args(["-G", TEAM_GROUP]);
        }
        let out = sbin(useradd.arg(name));
        // Another process may have created it meanwhile; only its absence is an error.
        assert!(
            lookup(name).is_some(),
            "useradd {name} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    unlock_for_ssh(name);
    let mut user = lookup(name).expect("the user exists now");
    let member = user.groups.contains(&team);
    if in_team && !member {
        let out = sbin(Command::new("usermod").args(["-a", "-G", TEAM_GROUP, name]));
        assert!(
            out.status.success(),
            "usermod -aG {TEAM_GROUP} {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    } else if !in_team && member {
        let out = sbin(Command::new("gpasswd").args(["-d", name, TEAM_GROUP]));
        assert!(
            out.status.success(),
            "gpasswd -d {name} {TEAM_GROUP}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    user = lookup(name).expect("the user exists");
    assert_eq!(
        user.groups.contains(&team),
        in_team,
        "{name} should {}be in {TEAM_GROUP}: groups {:?}",
        if in_team { "" } else { "not " },
        user.groups
    );
    user
}

impl UnixUser {
    /// A command that runs as this user, as after a login: uid, primary gid and every
    /// supplementary group (std's `CommandExt::uid` would drop the supplementary groups,
    /// and with them the socket group), `HOME`/`USER`/`LOGNAME`, and `dir` as the working
    /// directory (the test's own may not be open to them).
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>, dir: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("HOME", dir)
            .env("USER", &self.name)
            .env("LOGNAME", &self.name)
            .current_dir(dir);
        let (uid, gid, groups) = (self.uid, self.gid, self.groups.clone());
        // SAFETY: the closure runs in the child between fork and exec, where only
        // async-signal-safe calls are allowed. It calls setgroups, setgid and setuid (plain
        // system calls) on data prepared before the fork, and allocates nothing.
        unsafe {
            cmd.pre_exec(move || {
                if libc::setgroups(groups.len(), groups.as_ptr()) != 0
                    || libc::setgid(gid) != 0
                    || libc::setuid(uid) != 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        cmd
    }
}

/// The group's gid, created if missing (a concurrent creation by another process is fine).
fn ensure_group(name: &str) -> u32 {
    if let Some(gid) = group_id(name) {
        return gid;
    }
    let out = sbin(Command::new("groupadd").arg(name));
    group_id(name).unwrap_or_else(|| {
        panic!(
            "groupadd {name} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// sshd without PAM refuses an account whose password field starts with `!` (locked), even
/// for a key; `*` keeps password logins impossible without locking the account.
fn unlock_for_ssh(name: &str) {
    let shadow = std::fs::read_to_string("/etc/shadow").unwrap_or_default();
    let locked = shadow.lines().any(|line| {
        let mut fields = line.split(':');
        fields.next() == Some(name) && fields.next().is_some_and(|p| p.starts_with('!'))
    });
    if locked {
        let out = sbin(Command::new("usermod").args(["-p", "*", name]));
        assert!(
            out.status.success(),
            "usermod -p '*' {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Runs an administration tool, with /usr/sbin on the PATH whatever the caller's PATH is.
fn sbin(cmd: &mut Command) -> std::process::Output {
    let path = std::env::var("PATH").unwrap_or_default();
    cmd.env("PATH", format!("/usr/sbin:/sbin:{path}"))
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e} (tests/run installs passwd)"))
}

/// The user from the system's database, with their groups.
pub fn lookup(name: &str) -> Option<UnixUser> {
    let cname = CString::new(name).ok()?;
    let mut buf = vec![0u8; 16384];
    // SAFETY: getpwnam_r fills `pwd` and `buf` (whose length we pass) and sets `result` to
    // null or `&pwd`; the strings are read only on success, while `buf` lives.
    let (uid, gid, home) = unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwnam_r(
            cname.as_ptr(),
            &mut pwd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut result,
        );
        if rc != 0 || result.is_null() {
            return None;
        }
        let home = CStr::from_ptr(pwd.pw_dir).to_string_lossy().into_owned();
        (pwd.pw_uid, pwd.pw_gid, home)
    };
    let mut groups = vec![0 as libc::gid_t; 256];
    let mut count = groups.len() as libc::c_int;
    // SAFETY: getgrouplist writes at most `count` gids into `groups` and sets `count`.
    let rc = unsafe { libc::getgrouplist(cname.as_ptr(), gid, groups.as_mut_ptr(), &mut count) };
    assert!(rc >= 0, "{name} is in more than 256 groups");
    groups.truncate(count as usize);
    Some(UnixUser {
        name: name.to_string(),
        uid,
        gid,
        groups,
        home,
    })
}

/// A group's gid (the product's own lookup).
pub fn group_id(name: &str) -> Option<u32> {
    switchboard::hub::identity::group_id(name)
}
