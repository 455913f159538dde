//! Routing new items: every item a platform (or an import without triage state) brings in
//! gets its priority computed (`triage::priority`) and the `[[rules]]` applied
//! (`triage::rules`) inside the ingest write itself (`hub/ingest.rs`: one atomic write per
//! page, the audit line by the system actor through the client `rules`); then, once stored,
//! the rule's escalation (`Hub::escalate_item`) and draft (`rule_drafts.rs`).
//! The same plan answers `RulesTest`, without changing anything.

use chrono::{DateTime, Utc};

use super::core::store_error;
use super::protocol::{ErrorKind, Response, RulesReport, WireError};
use super::Hub;
use crate::config::Config;
use crate::model::{Actor, Item, ItemId, NewItem, Query, Status};
use crate::store::AuditNote;
use crate::team::Scope;
use crate::triage::fold::Haystack;
use crate::triage::priority::{self, Signals};
use crate::triage::rules;

/// The client named in the audit lines routing writes.
pub const RULES_CLIENT: &str = "rules";
/// Items assigned per user earlier in the page being ingested (not in the store yet).
pub(super) type BatchLoad = std::collections::HashMap<String, u64>;

/// Earlier items of an author read to tell a repeat contact.
const HISTORY: usize = 20;

/// Whether a new item is routed: a customer's item that arrives without triage state (not
/// the brand's own, not a thread's context, not a restored backup line).
pub(super) fn routable(item: &NewItem) -> bool {
    !item.from_brand
        && item.status.is_none()
        && item.priority.is_none()
        && item.tags.is_empty()
        && item.assignee.is_none()
}

impl Hub {
    /// Routing's part of the ingest write: plans for a new item before it is stored and
    /// edits it (priority and reasons, tags, assignee, hiding), so the item lands routed in
    /// the same atomic write. Returns the audit line, and the report when an escalation or
    /// a draft must follow once the item is stored ([`Hub::route_follow_up`]). A failure
    /// is logged: the item is stored as it came in.
    ///
    /// `batch` counts the assignments made earlier in the same page: those items are not in
    /// the store yet, and a team's least busy member must count them.
    pub(super) fn route_arrival(
        &self,
        config: &Config,
        item: &mut Item,
        now: DateTime<Utc>,
        batch: &mut BatchLoad,
    ) -> (Option<(Actor, AuditNote)>, Option<RulesReport>) {
        let report = match self.plan(config, item, now, batch) {
            Ok(report) => report,
            Err(e) => {
                tracing::warn!(item = %item.id, error = %e.message, "routing rules not applied");
                return (None, None);
            }
        };
        let actor = Actor::new(Actor::system().user, RULES_CLIENT);
        let note = apply(&report, item).map(|note| (actor, note));
        if let Some(user) = &item.assignee {
            *batch.entry(user.clone()).or_default() += 1;
        }
        let outcome = &report.outcome;
        let follows = outcome.escalate.is_some() || outcome.draft.is_some();
        (note, follows.then_some(report))
    }

    /// What routing does once the item is stored: the rule's escalation and draft.
    /// Failures are logged, like the rest of routing.
    pub(super) fn route_follow_up(&self, report: &RulesReport, now: DateTime<Utc>) {
        if let Err(e) = self.follow_up(report, now) {
            tracing::warn!(item = %report.item, error = %e.message, "routing rules not applied");
        }
    }

    fn follow_up(&self, report: &RulesReport, now: DateTime<Utc>) -> Result<(), WireError> {
        let actor = Actor::new(Actor::system().user, RULES_CLIENT);
        let id = report.item;
        if let Some(escalate) = &report.outcome.escalate {
            let note = format!("rule {}: {}", escalate.rule, why(report, &escalate.rule));
            self.escalate_item(&actor, id, &escalate.value, &note, now)?;
        }
        if let Some(draft) = &report.outcome.draft {
            let item = self.existing(id)?;
            self.keep_rule_draft(&actor, &self.config(), &item, draft, now)?;
        }
        Ok(())
    }

    /// `RulesTest`: what routing would do to an item now.
    pub(super) fn rules_test(
        &self,
        scope: &Scope,
        id: ItemId,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let item = self.visible(scope, id)?;
        let report = self.plan(&self.config(), &item, now, &BatchLoad::new())?;
        Ok(Response::RulesTest { report })
    }

    /// The rules' verdicts and outcome, and the priority with its reasons.
    fn plan(
        &self,
        config: &Config,
        item: &Item,
        now: DateTime<Utc>,
        batch: &BatchLoad,
    ) -> Result<RulesReport, WireError> {
        let signals = Signals::new(&config.priority);
        let text = Haystack::new(&item.text);
        let earlier = self.earlier_contacts(item)?;
        let assessment = priority::assess_text(item, &text, now, earlier, &signals);
        let evaluation = rules::evaluate_text(&config.rules, item, &text, &signals);
        let mut priority_why = assessment.reasons;
        let priority = match &evaluation.outcome.priority {
            Some(by_rule) => {
                priority_why.push(format!("rule {}: {}", by_rule.rule, by_rule.value));
                by_rule.value
            }
            None => assessment.priority,
        };
        let assignee = match &evaluation.outcome.assign {
            Some(target) => Some(self.pick_assignee(config, &target.value, now, batch)?),
            None => None,
        };
        Ok(RulesReport {
            item: item.id,
            verdicts: evaluation.verdicts,
            outcome: evaluation.outcome,
            priority,
            priority_why,
            assignee,
        })
    }

    /// How many earlier items the author has on the account.
    fn earlier_contacts(&self, item: &Item) -> Result<usize, WireError> {
        if item.author.id.is_empty() {
            return Ok(0);
        }
        let history = self
            .store
            .author_ids(&item.account, &item.author.id, HISTORY)
            .map_err(store_error)?;
        Ok(history.iter().filter(|other| **other < item.id).count())
    }

    /// A user as named, or the member of `team:NAME` with the fewest active items assigned
    /// (ties: by name).
    fn pick_assignee(
        &self,
        config: &Config,
        target: &str,
        now: DateTime<Utc>,
        batch: &BatchLoad,
    ) -> Result<String, WireError> {
        let Some(team) = target.strip_prefix("team:") else {
            return Ok(target.to_string());
        };
        let mut best: Option<(u64, &String)> = None;
        for (name, _) in config
            .users
            .iter()
            .filter(|(_, u)| u.team.as_deref() == Some(team))
        {
            let load = self.active_load(name, now)? + batch.get(name).copied().unwrap_or(0);
            if best.is_none_or(|(least, _)| load < least) {
                best = Some((load, name));
            }
        }
        best.map(|(_, name)| name.clone()).ok_or_else(|| WireError {
            kind: ErrorKind::BadRequest,
            message: format!("no user is in team '{team}' any more"),
        })
    }

    /// Active items assigned to a user.
    fn active_load(&self, user: &str, now: DateTime<Utc>) -> Result<u64, WireError> {
        let query = Query::default()
            .and_assignee(user)
            .and_status_in(&Status::ACTIVE);
        match self.count(&Actor::system(), &query, now)? {
            Response::Count { count } => Ok(count),
            _ => Ok(0),
        }
    }
}

/// The conditions that made a rule fire, for a note.
fn why(report: &RulesReport, rule: &str) -> String {
    report
        .verdicts
        .iter()
        .find(|v| v.rule == rule)
        .map(|v| v.why.join("; "))
        .unwrap_or_default()
}

/// The edit routing makes: priority and its reasons, tags, assignee, hiding; the audit line
/// names the rules that fired and what they did.
fn apply(report: &RulesReport, item: &mut Item) -> Option<AuditNote> {
    let outcome = &report.outcome;
    let mut did = vec![format!("priority {}", report.priority)];
    item.priority = report.priority;
    item.priority_why = report.priority_why.clone();
    let hide = outcome.hide.as_ref().map(|h| h.value.clone());
    for tag in outcome.tags.iter().chain(hide.iter()) {
        if item.tags.insert(tag.clone()) {
            did.push(format!("+{tag}"));
        }
    }
    if let (None, Some(user)) = (&item.assignee, &report.assignee) {
        item.assignee = Some(user.clone());
        did.push(format!("assign {user}"));
    }
    // An escalation puts a person on the item: it wins over hiding it.
    if let (Some(hide), None) = (&hide, &outcome.escalate) {
        if item.set_status(Status::Spam).unwrap_or(false) {
            did.push(format!("hidden as {hide}"));
        }
    }
    let fired: Vec<&str> = report
        .verdicts
        .iter()
        .filter(|v| v.fired)
        .map(|v| v.rule.as_str())
        .collect();
    let detail = match fired.is_empty() {
        true => format!("no rule fired: {}", did.join(", ")),
        false => format!("{}: {}", fired.join(", "), did.join(", ")),
    };
    Some(AuditNote::new("rules", detail))
}
