//! Building the index from the store in one scan of the queue.
//!
//! The statuses are shared out between the cores (largest first, each to the least loaded
//! thread); each thread decodes its statuses' items into a [`Part`] and the parts are merged.
//! The threads run at a lower scheduling priority so that a hub answering its first requests
//! from the store (a TUI's first frame) is not slowed by its own index being built.

use super::table::{Part, Table};
use crate::model::Status;
use crate::store::{Result, Store};

/// How often (in items) a build checks that it is still wanted.
const CHECK_EVERY: usize = 4096;

/// The table of everything in the store, or `None` if `wanted` turned false meanwhile (the
/// hub went away).
pub(super) fn build(
    store: &dyn Store,
    wanted: &(dyn Fn() -> bool + Sync),
) -> Result<Option<Table>> {
    let counts = store.counts()?;
    let groups = share_out(
        Status::ALL.map(|s| (s, counts.get(s))).to_vec(),
        super::scan::workers(),
    );
    let parts = std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .into_iter()
            .map(|group| scope.spawn(move || read_part(store, &group, wanted)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect::<Result<Option<Vec<Part>>>>()
    })?;
    Ok(parts.map(Table::from_parts))
}

/// The items of some statuses, decoded on this thread.
fn read_part(
    store: &dyn Store,
    statuses: &[Status],
    wanted: &(dyn Fn() -> bool + Sync),
) -> Result<Option<Part>> {
    lower_priority();
    let mut part = Part::default();
    for &status in statuses {
        for item in store.queue_iter(&[status]) {
            part.push(&item?);
            if part.len() % CHECK_EVERY == 0 && !wanted() {
                return Ok(None);
            }
        }
    }
    Ok(Some(part))
}

/// Statuses shared out over `workers` groups of about equal item counts (largest first, to
/// the lightest group). Empty groups are dropped.
fn share_out(mut sized: Vec<(Status, u64)>, workers: usize) -> Vec<Vec<Status>> {
    sized.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
    let mut groups: Vec<(u64, Vec<Status>)> = vec![(0, Vec::new()); workers.max(1)];
    for (status, count) in sized {
        let lightest = groups
            .iter_mut()
            .min_by_key(|(load, _)| *load)
            .expect("at least one group");
        lightest.0 += count;
        lightest.1.push(status);
    }
    groups
        .into_iter()
        .map(|(_, statuses)| statuses)
        .filter(|statuses| !statuses.is_empty())
        .collect()
}

/// Lowers this thread's scheduling priority (Linux: threads have their own nice value).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: setpriority on this thread's id only changes its nice value; failure
        // (not allowed, say) leaves it as it was, which is harmless.
        unsafe {
            let tid = libc::gettid();
            libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_shared_out_evenly() {
        let sized = vec![
            (Status::New, 30),
            (Status::Open, 15),
            (Status::Pending, 10),
            (Status::Escalated, 3),
            (Status::Resolved, 37),
            (Status::Spam, 5),
        ];
        let groups = share_out(sized, 2);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups.iter().map(Vec::len).sum::<usize>(), 6);
        assert_eq!(groups[0][0], Status::Resolved);
        assert_eq!(share_out(vec![(Status::New, 5)], 4), [[Status::New]]);
    }
}
