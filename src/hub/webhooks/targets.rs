//! Which account a webhook is about: the platform ids of the configured `[[accounts]]`
//! (`page_id` for Facebook, `ig_user_id` for Instagram, `user_id` for X), matched exactly
//! against the id a delivery names.

use crate::config::AccountConfig;
use crate::model::Platform;

/// What a delivery names: a platform and that platform's id of the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// Meta `object: "page"`, entry `id`.
    Page(&'a str),
    /// Meta `object: "instagram"`, entry `id`.
    Instagram(&'a str),
    /// X `for_user_id`.
    XUser(&'a str),
}

/// The accounts webhooks can wake, by platform id.
#[derive(Clone, Debug, Default)]
pub struct Targets {
    known: Vec<(Platform, String, String)>,
}

impl Targets {
    /// The accounts with a platform id a webhook can name.
    pub fn from_accounts(accounts: &[AccountConfig]) -> Targets {
        let known = accounts
            .iter()
            .filter_map(|account| {
                let platform = Platform::from(account.platform.clone());
                let id = match platform {
                    Platform::Facebook => account.page_id.as_ref(),
                    Platform::Instagram => account.ig_user_id.as_ref(),
                    Platform::X => account.user_id.as_ref(),
                    _ => None,
                }?;
                Some((platform, id.trim().to_string(), account.name.clone()))
            })
            .collect();
        Targets { known }
    }

    /// The names of the accounts `target` names (none: not configured here).
    pub fn accounts(&self, target: Target<'_>) -> Vec<&str> {
        let (platform, id) = match target {
            Target::Page(id) => (Platform::Facebook, id),
            Target::Instagram(id) => (Platform::Instagram, id),
            Target::XUser(id) => (Platform::X, id),
        };
        self.known
            .iter()
            .filter(|(p, known, _)| *p == platform && known == id)
            .map(|(_, _, name)| name.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn each_platform_matches_its_own_id_key() {
        let text = "[[accounts]]\nname = \"fb\"\nplatform = \"facebook\"\npage_id = \"111\"\n\
                    [[accounts]]\nname = \"ig\"\nplatform = \"instagram\"\nig_user_id = \"111\"\n\
                    [[accounts]]\nname = \"x\"\nplatform = \"x\"\nuser_id = \"222\"\n\
                    [[accounts]]\nname = \"odd\"\nplatform = \"mastodon\"\nuser_id = \"222\"\n";
        let config = Config::parse(std::path::Path::new("c.toml"), text).unwrap();
        let targets = Targets::from_accounts(&config.accounts);
        assert_eq!(targets.accounts(Target::Page("111")), ["fb"]);
        assert_eq!(targets.accounts(Target::Instagram("111")), ["ig"]);
        assert_eq!(targets.accounts(Target::XUser("222")), ["x"]);
        assert!(targets.accounts(Target::Page("222")).is_empty());
        assert!(targets.accounts(Target::XUser("22")).is_empty());
    }
}
