//! The paging verbs: `ack ID` acknowledges a page about an SLA breach (stopping the chain
//! before the backup is paged), and the lines `oncall` and `watch` print for open pages and
//! live SLA events.

use std::process::ExitCode;

use chrono::{DateTime, Utc};

use super::output::{self, json_line};
use super::verbs::{call, parse_id};
use super::Failure;
use crate::hub::protocol::{Request, Response};
use crate::hub::{HubClient, SlaEvent, SlaEventKind};
use crate::model::Page;

/// Acknowledges the page `id`, or the open pages of the item `id`.
pub async fn ack(hub: &HubClient, id: &str, json: bool) -> Result<ExitCode, Failure> {
    let id = parse_id(id)?;
    let Response::Pages { pages } = call(hub, Request::Ack { id }).await? else {
        return Err(Failure("unexpected answer from the hub to ack".into()));
    };
    for page in &pages {
        if json {
            println!("{}", json_line(page));
        } else {
            println!(
                "page {} to {} about item {} acknowledged",
                page.id,
                output::excerpt(&page.user, 24),
                page.item
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The open pages under the on-call schedule: a heading and one line each (nothing when
/// there are none).
pub fn describe_open(pages: &[Page], now: DateTime<Utc>) -> String {
    if pages.is_empty() {
        return String::new();
    }
    let mut text = format!("open pages ({}):\n", pages.len());
    for page in pages {
        let waited = (now - page.at).num_minutes().max(0);
        text.push_str(&format!(
            "  {}  {} paged {}m ago about item {} (due {}){}\n",
            page.id,
            output::excerpt(&page.user, 24),
            waited,
            page.item,
            page.due.format("%Y-%m-%d %H:%M UTC"),
            if page.step > 0 { ", as backup" } else { "" }
        ));
    }
    text
}

/// One line for a live SLA event (`watch`).
pub fn event_line(event: &SlaEvent) -> String {
    let users: Vec<String> = event.users.iter().map(|u| output::excerpt(u, 24)).collect();
    let due = event.due.format("%Y-%m-%d %H:%M UTC");
    match event.kind {
        SlaEventKind::Warning => format!(
            "sla: item {} due {due} soon ({})",
            event.item,
            users.join(", ")
        ),
        SlaEventKind::Breached => format!("sla: item {} breached (was due {due})", event.item),
        SlaEventKind::Paged => format!("sla: paged {} about item {}", users.join(", "), event.item),
        SlaEventKind::Acked => format!(
            "sla: {} acknowledged the page about item {}",
            users.join(", "),
            event.item
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ItemId;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn open_pages_say_who_waits_since_when_and_about_what() {
        assert_eq!(describe_open(&[], at("2026-11-23T14:00:00Z")), "");
        let page = Page {
            id: ItemId::generate(),
            item: ItemId::generate(),
            due: at("2026-11-23T14:00:00Z"),
            user: "dave\u{1b}[2J".into(),
            step: 1,
            at: at("2026-11-23T14:10:00Z"),
            acked_by: None,
            acked_at: None,
            closed_at: None,
            last: false,
        };
        let text = describe_open(std::slice::from_ref(&page), at("2026-11-23T14:22:00Z"));
        assert!(text.starts_with("open pages (1):\n"), "{text}");
        assert!(
            !text.contains('\u{1b}'),
            "a user name never reaches the terminal raw"
        );
        let expected = format!(
            "paged 12m ago about item {} (due 2026-11-23 14:00 UTC), as backup",
            page.item
        );
        assert!(text.contains(&expected), "{text}");
    }

    #[test]
    fn live_events_read_as_one_line_each() {
        let item = ItemId::generate();
        let event = |kind| SlaEvent {
            kind,
            item,
            account: "acme".into(),
            due: at("2026-11-23T14:00:00Z"),
            at: at("2026-11-23T14:00:00Z"),
            users: vec!["carol".into()],
            page: None,
        };
        assert_eq!(
            event_line(&event(SlaEventKind::Paged)),
            format!("sla: paged carol about item {item}")
        );
        assert_eq!(
            event_line(&event(SlaEventKind::Breached)),
            format!("sla: item {item} breached (was due 2026-11-23 14:00 UTC)")
        );
        assert!(event_line(&event(SlaEventKind::Acked)).contains("carol acknowledged"));
    }
}
