//! The view tabs: the built-in views (All, Mine, Unassigned, DMs, Escalated) and the saved
//! views from the config, each a query, with the count the header shows and the filter the
//! user typed on top of the active one.

use crate::model::Status;
use crate::store::Counts;

/// One view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tab {
    pub name: String,
    pub query: String,
    /// For views that select by status alone: the statuses, so the hub's per-status
    /// counters give their size without a scan.
    pub statuses: Option<Vec<Status>>,
    /// The size last seen while this view was shown.
    pub seen: Option<TabCount>,
}

/// How many items a view holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TabCount {
    Exact(u64),
    /// At least this many (the end of the list was not reached).
    AtLeast(u64),
}

impl std::fmt::Display for TabCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TabCount::Exact(n) => write!(f, "{n}"),
            TabCount::AtLeast(n) => write!(f, "{n}+"),
        }
    }
}

/// The tabs, the active one and the filter.
#[derive(Clone, Debug)]
pub struct Tabs {
    pub tabs: Vec<Tab>,
    pub active: usize,
    /// The query the user typed in the filter bar, ANDed onto the active view's.
    pub filter: String,
}

impl Tabs {
    /// The built-in views followed by the saved ones (name, query).
    pub fn new(saved: &[(String, String)]) -> Tabs {
        let active = vec![
            Status::New,
            Status::Open,
            Status::Pending,
            Status::Escalated,
        ];
        let builtin = [
            ("All", "status:new,open,pending,escalated", Some(active)),
            (
                "Mine",
                "assignee:me status:new,open,pending,escalated",
                None,
            ),
            ("Unassigned", "is:unassigned status:new,open,pending", None),
            ("DMs", "kind:dm status:new,open,pending,escalated", None),
            (
                "Escalated",
                "status:escalated",
                Some(vec![Status::Escalated]),
            ),
        ];
        let mut tabs: Vec<Tab> = builtin
            .into_iter()
            .map(|(name, query, statuses)| Tab {
                name: name.to_string(),
                query: query.to_string(),
                statuses,
                seen: None,
            })
            .collect();
        tabs.extend(saved.iter().map(|(name, query)| Tab {
            name: name.clone(),
            query: query.clone(),
            statuses: None,
            seen: None,
        }));
        Tabs {
            tabs,
            active: 0,
            filter: String::new(),
        }
    }

    /// The same views without the escalation queue, for someone the hub hides escalated
    /// items from (the tab would always be empty).
    pub fn without_escalations(mut self) -> Tabs {
        self.tabs
            .retain(|t| t.statuses.as_deref() != Some(&[Status::Escalated]));
        self
    }

    pub fn current(&self) -> &Tab {
        &self.tabs[self.active]
    }

    /// The query the hub is asked: the view's, ANDed with the filter.
    pub fn query(&self) -> String {
        let view = &self.current().query;
        match self.filter.trim() {
            "" => view.clone(),
            filter => format!("{view} {filter}"),
        }
    }

    /// Switches tab; whether it changed.
    pub fn select(&mut self, index: usize) -> bool {
        if index >= self.tabs.len() || index == self.active {
            return false;
        }
        self.active = index;
        true
    }

    pub fn select_next(&mut self) -> bool {
        self.select((self.active + 1) % self.tabs.len())
    }

    pub fn select_prev(&mut self) -> bool {
        self.select((self.active + self.tabs.len() - 1) % self.tabs.len())
    }

    /// Remembers the active view's size as the queue saw it (unfiltered only).
    pub fn saw(&mut self, count: TabCount) {
        if self.filter.trim().is_empty() {
            let active = self.active;
            self.tabs[active].seen = Some(count);
        }
    }

    /// The count to show for a tab: what the queue saw, else the per-status counters.
    pub fn count(&self, index: usize, counts: Option<&Counts>) -> Option<TabCount> {
        let tab = &self.tabs[index];
        let from_counters = match (&tab.statuses, counts) {
            (Some(statuses), Some(counts)) => Some(TabCount::Exact(
                statuses.iter().map(|s| counts.get(*s)).sum(),
            )),
            _ => None,
        };
        match (tab.seen, from_counters) {
            (Some(TabCount::Exact(n)), _) => Some(TabCount::Exact(n)),
            (_, Some(exact)) => Some(exact),
            (seen, None) => seen,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_views_then_saved_ones_and_filter_is_anded() {
        let mut tabs = Tabs::new(&[("vip".into(), "tag:vip".into())]);
        let names: Vec<&str> = tabs.tabs.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["All", "Mine", "Unassigned", "DMs", "Escalated", "vip"]
        );
        assert_eq!(tabs.query(), "status:new,open,pending,escalated");
        tabs.filter = "platform:x".into();
        assert_eq!(tabs.query(), "status:new,open,pending,escalated platform:x");
        assert!(tabs.select_prev());
        assert_eq!(tabs.current().name, "vip");
        assert!(!tabs.select(9));
        let agent = Tabs::new(&[]).without_escalations();
        let names: Vec<&str> = agent.tabs.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["All", "Mine", "Unassigned", "DMs"]);
    }

    #[test]
    fn counts_come_from_what_was_seen_or_the_status_counters() {
        let mut tabs = Tabs::new(&[]);
        let mut counts = Counts::default();
        counts.by_status.insert(Status::New, 3);
        counts.by_status.insert(Status::Escalated, 2);
        counts.by_status.insert(Status::Resolved, 50);
        assert_eq!(tabs.count(0, Some(&counts)), Some(TabCount::Exact(5)));
        assert_eq!(tabs.count(4, Some(&counts)), Some(TabCount::Exact(2)));
        assert_eq!(tabs.count(1, Some(&counts)), None);
        tabs.select(1);
        tabs.saw(TabCount::AtLeast(200));
        assert_eq!(tabs.count(1, None).unwrap().to_string(), "200+");
    }
}
