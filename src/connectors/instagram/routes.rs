//! Which Instagram API an account's token belongs to, and where its calls go.
//!
//! Instagram has two ways in, with the same comment and media endpoints on two hosts:
//!
//! - **Facebook Login** (`login = "facebook"`, the default): a Page access token of the
//!   Facebook Page linked to the Instagram professional account, on `graph.facebook.com`.
//!   DMs go through that Page: `GET /{page-id}/conversations?platform=instagram` and
//!   `POST /{page-id}/messages` (`me` when no `page_id` is set: with a Page token `me` is
//!   the Page).
//! - **Instagram Login** (`login = "instagram"`): an Instagram user token, on
//!   `graph.instagram.com`, no Page needed. DMs are the account's own:
//!   `GET /{ig-user-id}/conversations?platform=instagram` and `POST /{ig-user-id}/messages`.

use crate::config::AccountConfig;
use crate::connectors::graph::{self, path_id};
use crate::connectors::ConnectorError;

/// How the account's token was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Login {
    Facebook,
    Instagram,
}

impl Login {
    /// The account's `login` key (default `facebook`).
    pub fn of(account: &AccountConfig) -> Result<Login, ConnectorError> {
        match account.login.as_deref().map(str::trim) {
            None | Some("") | Some("facebook") => Ok(Login::Facebook),
            Some("instagram") => Ok(Login::Instagram),
            Some(other) => Err(ConnectorError::Refused(format!(
                "account {}: login = \"{}\" is not known (expected \"facebook\" or \"instagram\")",
                account.name,
                crate::connectors::http::client::clip(other)
            ))),
        }
    }

    /// The Graph API root when the account gives no `api_base`.
    pub fn default_base(self) -> &'static str {
        match self {
            Login::Facebook => graph::FACEBOOK_GRAPH,
            Login::Instagram => graph::INSTAGRAM_GRAPH,
        }
    }
}

/// The account's ids, checked once, and the paths built from them.
#[derive(Clone, Debug)]
pub struct Routes {
    pub login: Login,
    /// The Instagram professional account (`ig_user_id`).
    pub ig_user: String,
    /// The linked Page, with Facebook Login (`page_id`; `me` when not set).
    pub page: Option<String>,
}

impl Routes {
    /// Reads `ig_user_id` (required) and `page_id` (optional).
    pub fn of(account: &AccountConfig, login: Login) -> Result<Routes, ConnectorError> {
        let name = &account.name;
        let ig_user = account
            .ig_user_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                ConnectorError::Refused(format!(
                    "account {name}: an instagram account needs ig_user_id (the Instagram professional account's id)"
                ))
            })?;
        let checked = |key: &str, id: &str| {
            path_id(id)
                .map(str::to_string)
                .map_err(|e| ConnectorError::Refused(format!("account {name}: {key}: {e}")))
        };
        let page = match account.page_id.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => Some(checked("page_id", id)?),
            _ => None,
        };
        Ok(Routes {
            login,
            ig_user: checked("ig_user_id", ig_user)?,
            page,
        })
    }

    /// Whose inbox holds the DMs: the Page (Facebook Login) or the account (Instagram Login).
    fn inbox(&self) -> &str {
        match self.login {
            Login::Facebook => self.page.as_deref().unwrap_or("me"),
            Login::Instagram => &self.ig_user,
        }
    }

    /// `GET` here (with `platform=instagram`) lists the DM conversations.
    pub fn conversations(&self) -> String {
        format!("/{}/conversations", self.inbox())
    }

    /// `POST` here sends a DM or a private reply.
    pub fn messages(&self) -> String {
        format!("/{}/messages", self.inbox())
    }

    /// `/{ig-user-id}` followed by `rest`.
    pub fn user(&self, rest: &str) -> String {
        format!("/{}{rest}", self.ig_user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn account(extra: &str) -> AccountConfig {
        let text = format!(
            "[[accounts]]\nname = \"acme-ig\"\nplatform = \"instagram\"\ntoken = \"t\"\n{extra}"
        );
        Config::parse(std::path::Path::new("c.toml"), &text)
            .unwrap()
            .accounts[0]
            .clone()
    }

    #[test]
    fn facebook_login_messages_through_the_page_and_instagram_login_through_the_account() {
        let fb = account("ig_user_id = \"178\"\npage_id = \"55\"");
        let routes = Routes::of(&fb, Login::of(&fb).unwrap()).unwrap();
        assert_eq!(routes.login, Login::Facebook);
        assert_eq!(routes.conversations(), "/55/conversations");
        assert_eq!(routes.messages(), "/55/messages");
        let bare = account("ig_user_id = \"178\"");
        let routes = Routes::of(&bare, Login::Facebook).unwrap();
        assert_eq!(routes.messages(), "/me/messages");
        let ig = account("ig_user_id = \"178\"\nlogin = \"instagram\"");
        let login = Login::of(&ig).unwrap();
        assert_eq!(login.default_base(), graph::INSTAGRAM_GRAPH);
        let routes = Routes::of(&ig, login).unwrap();
        assert_eq!(routes.conversations(), "/178/conversations");
        assert_eq!(routes.user("/media"), "/178/media");
    }

    #[test]
    fn missing_or_bad_ids_and_logins_are_refused_naming_the_account() {
        let none = account("");
        let why = Routes::of(&none, Login::Facebook).unwrap_err().to_string();
        assert!(
            why.contains("acme-ig") && why.contains("ig_user_id"),
            "{why}"
        );
        let bad = account("ig_user_id = \"../me\"");
        assert!(Routes::of(&bad, Login::Facebook).is_err());
        let page = account("ig_user_id = \"1\"\npage_id = \"1?x=2\"");
        assert!(Routes::of(&page, Login::Facebook).is_err());
        let login = account("ig_user_id = \"1\"\nlogin = \"threads\"");
        let why = Login::of(&login).unwrap_err().to_string();
        assert!(why.contains("acme-ig") && why.contains("threads"), "{why}");
    }
}
