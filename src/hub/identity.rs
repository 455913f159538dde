//! Who is calling: Unix user names from uids, as the kernel reports them.

/// The login name of a uid, from the system's user database; `uid<N>` when it has none.
pub fn user_name(uid: u32) -> String {
    lookup(uid).unwrap_or_else(|| format!("uid{uid}"))
}

/// The login name of the user running this process.
pub fn current_user() -> String {
    user_name(current_uid())
}

/// The uid running this process.
pub fn current_uid() -> u32 {
    // SAFETY: getuid has no preconditions and cannot fail.
    unsafe { libc::getuid() }
}

fn lookup(uid: u32) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    // SAFETY: passwd is plain data; getpwuid_r writes into `pwd` and `buf` (whose length we
    // pass) and sets `result` to null or to `&pwd`. We read `pw_name` only when it succeeded.
    unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(
            uid,
            &mut pwd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut result,
        );
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        let name = std::ffi::CStr::from_ptr(pwd.pw_name);
        Some(name.to_string_lossy().into_owned())
    }
}

/// The gid of a group name. The buffer grows while the system says it is too small (a team
/// group with many members lists them all).
pub fn group_id(name: &str) -> Option<u32> {
    let cname = std::ffi::CString::new(name).ok()?;
    let mut size = 16384;
    while size <= 16 << 20 {
        let mut buf = vec![0u8; size];
        // SAFETY: as in `lookup`: getgrnam_r fills `grp` and `buf` (length passed) and sets
        // `result` to null or `&grp`; we read `gr_gid` only on success.
        let (rc, gid) = unsafe {
            let mut grp: libc::group = std::mem::zeroed();
            let mut result: *mut libc::group = std::ptr::null_mut();
            let rc = libc::getgrnam_r(
                cname.as_ptr(),
                &mut grp,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            );
            (rc, (rc == 0 && !result.is_null()).then_some(grp.gr_gid))
        };
        if rc != libc::ERANGE {
            return gid;
        }
        size *= 4;
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn root_has_a_name_and_unknown_uids_get_a_placeholder() {
        assert_eq!(super::user_name(0), "root");
        assert_eq!(super::user_name(4_000_000_123), "uid4000000123");
    }
}
