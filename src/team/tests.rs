use std::path::Path;

use super::*;
use crate::model::{Query, Status};

fn team(text: &str) -> Team {
    Team::from_config(&Config::parse(Path::new("c.toml"), text).expect("config"))
}

const TEAM: &str = r#"
[users.alice]
unix_user = "alice"
display_name = "Alice Martin"
role = "agent"
team = "in-house"
accounts = ["acme-x"]
requires_approval = true

[users.bob]
unix_user = "bmorel"
role = "approver"
team = "agency"
"#;

#[test]
fn an_open_team_lets_every_unix_user_in_as_admin() {
    let team = team("");
    assert!(team.is_open());
    let member = team.identify(1000, "claire").unwrap();
    assert_eq!(member.name, "claire");
    assert_eq!(member.role, Role::Admin);
    assert!(member.scope().is_everything());
}

#[test]
fn configured_users_are_found_by_unix_login_and_others_refused() {
    let team = team(TEAM);
    let bob = team.identify(1001, "bmorel").unwrap();
    assert_eq!((bob.name.as_str(), bob.role), ("bob", Role::Approver));
    assert_eq!(bob.display_name, "bob");
    let alice = team.identify(1002, "alice").unwrap();
    assert!(alice.requires_approval);
    assert_eq!(alice.display_name, "Alice Martin");
    let refused = team.identify(1003, "mallory").unwrap_err();
    let message = refused.to_string();
    assert!(message.contains("'mallory' (uid 1003)"), "{message}");
    assert!(message.contains("unix_user = \"mallory\""), "{message}");
    // A member name is not a login: "bob" logs in as bmorel only.
    assert!(team.identify(1004, "bob").is_err());
}

#[test]
fn trusted_names_resolve_to_members_the_system_or_nobody() {
    let team = team(TEAM);
    assert_eq!(team.member("bob").unwrap().role, Role::Approver);
    assert_eq!(team.member("switchboard").unwrap().role, Role::Admin);
    assert!(team.member("mallory").is_none());
}

#[test]
fn an_agent_scope_hides_other_accounts_and_escalations() {
    let alice = team(TEAM).identify(1002, "alice").unwrap();
    let scope = alice.scope();
    assert!(scope.sees_account("acme-x"));
    assert!(!scope.sees_account("acme-fb"));
    assert!(!scope.sees_escalations());
    let narrowed = scope.narrow(Query::parse("refund").unwrap());
    assert_eq!(
        narrowed.to_string(),
        "refund account:acme-x -status:escalated"
    );
    assert!(!narrowed.statuses().contains(&Status::Escalated));
}

#[test]
fn bad_user_sections_are_refused_with_their_name() {
    let err = Config::parse(Path::new("c.toml"), "[users.a]\nrole = \"boss\"\n").unwrap_err();
    assert!(
        err.to_string()
            .contains("users.a.role: unknown role 'boss'"),
        "{err}"
    );
    let twice = "[users.a]\nunix_user = \"x\"\n[users.b]\nunix_user = \"x\"\n";
    let err = Config::parse(Path::new("c.toml"), twice).unwrap_err();
    assert!(err.to_string().contains("already users.a"), "{err}");
    let unknown =
        "[[accounts]]\nname = \"acme-x\"\nplatform = \"x\"\n[users.a]\naccounts = [\"acme-y\"]\n";
    let err = Config::parse(Path::new("c.toml"), unknown).unwrap_err();
    assert!(
        err.to_string()
            .contains("no [[accounts]] is named 'acme-y'"),
        "{err}"
    );
}
