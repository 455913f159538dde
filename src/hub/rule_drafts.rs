//! A rule's `draft`: the canned response it names, filled for the item, kept as a
//! suggested draft that every CM's composer opens with (`ItemDetail::suggested_draft`)
//! until someone saves their own draft of that item, which takes it over. It is never
//! sent by itself: only a person's `Reply` sends anything.
//!
//! Suggested drafts are ordinary drafts of a pseudo-user no login can be ([`RULE_DRAFTS`]).
//! The response is read from `responses/` next to the config, the variant chosen for the
//! item's platform and language; `{agent.name}` is the assignee's display name (else the
//! brand's), and fill-in fields stay as `{key}` for the person to complete.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::canned::responses_dir;
use super::core::store_error;
use super::protocol::WireError;
use super::Hub;
use crate::config::Config;
use crate::model::{Actor, Draft, Item, ItemId};
use crate::responses::{language, template, Library};
use crate::triage::rules::Sourced;

/// The owner of suggested drafts (`@` is in no Unix login).
pub const RULE_DRAFTS: &str = "@rules";

impl Hub {
    /// Fills and keeps a rule's draft for `item`; a response that is not in the library is
    /// written in the item's audit instead.
    pub(super) fn keep_rule_draft(
        &self,
        actor: &Actor,
        config: &Config,
        item: &Item,
        draft: &Sourced<String>,
        now: DateTime<Utc>,
    ) -> Result<(), WireError> {
        let library = match &self.config_file {
            Some(file) => Library::load(&responses_dir(file)),
            None => Library::default(),
        };
        let agent = self.agent_name(config, item);
        match fill(&library, &draft.value, item, &agent, &config.brand.name) {
            Ok(text) => self.store.put_draft(&Draft {
                user: RULE_DRAFTS.to_string(),
                item: item.id,
                text,
                updated_at: now,
            }),
            Err(problem) => {
                let detail = format!("rule {}: draft {problem}", draft.rule);
                self.store
                    .append_audit(actor, now, Some(item.id), "rules", &detail)
                    .map(|_| ())
            }
        }
        .map_err(store_error)
    }

    /// The suggested draft of an item, if a rule left one nobody has taken over.
    pub(super) fn suggested_draft(&self, id: ItemId) -> Result<Option<String>, WireError> {
        Ok(self
            .store
            .draft(RULE_DRAFTS, id)
            .map_err(store_error)?
            .map(|d| d.text))
    }

    /// Someone saved their own draft of the item: the suggestion is theirs now.
    pub(super) fn drop_suggested_draft(&self, id: ItemId) -> Result<(), WireError> {
        self.store
            .delete_draft(RULE_DRAFTS, id)
            .map_err(store_error)
    }

    fn agent_name(&self, config: &Config, item: &Item) -> String {
        let team = self.read_team();
        item.assignee
            .as_deref()
            .and_then(|user| team.member(user))
            .map(|member| member.display_name.clone())
            .unwrap_or_else(|| config.brand.name.clone())
    }
}

/// The response's text for the item, or why there is none.
fn fill(
    library: &Library,
    name: &str,
    item: &Item,
    agent: &str,
    brand: &str,
) -> Result<String, String> {
    let variants: Vec<_> = library
        .variants(name)
        .into_iter()
        .filter(|r| r.applies_to(&item.platform))
        .collect();
    let response = language::choose(&variants, item.lang.as_deref()).ok_or_else(|| {
        format!(
            "'{name}': no canned response of that name for {}",
            item.platform
        )
    })?;
    let context = template::Context::for_item(item, agent, brand);
    template::preview(response, &context, &BTreeMap::new()).map_err(|e| format!("'{name}': {e}"))
}
