//! `notify test CHANNEL` and `notify list`: checking a `[notify.NAME]` channel end to end,
//! and the recent deliveries of notices with their outcome. Titles and errors quote platform
//! text: printed through the sanitizer, or as JSON lines.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::Utc;
use clap::Subcommand;

use super::output::{self, json_line};
use super::verbs::call;
use super::{Context, Failure};
use crate::hub::protocol::{Request, Response};
use crate::hub::{attach, AttachOptions, HubClient};
use crate::model::{Delivery, DeliveryState, ItemId};

/// How often `notify test` asks how its delivery stands.
const POLL: Duration = Duration::from_millis(200);

#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Send a test notice to a channel and wait for its outcome, retries included (admins).
    /// Exit 1 when it failed or is still pending after `--wait`.
    Test {
        channel: String,
        /// Give up waiting after this many seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 180)]
        wait: u64,
    },
    /// Recent notice deliveries, newest first, with their state and last error (approvers).
    List {
        #[arg(long)]
        json: bool,
        /// At most this many deliveries.
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: usize,
    },
}

pub async fn run(context: &Context, command: NotifyCommand) -> Result<ExitCode, Failure> {
    let attached = attach(&context.paths, &context.config, &AttachOptions::cli()).await?;
    let hub = &attached.client;
    match command {
        NotifyCommand::Test { channel, wait } => {
            // With no hub running, this process delivers while it waits.
            let _delivery = attached.hosted.as_ref().map(|h| h.start_notifications());
            test(hub, &channel, Duration::from_secs(wait)).await
        }
        NotifyCommand::List { json, limit } => list(hub, json, limit).await,
    }
}

async fn test(hub: &HubClient, channel: &str, wait: Duration) -> Result<ExitCode, Failure> {
    let request = Request::NotifyTest {
        channel: channel.to_string(),
    };
    let Response::Delivery { delivery } = call(hub, request).await? else {
        return Err(Failure(
            "unexpected answer from the hub to notify test".into(),
        ));
    };
    println!("sent a test notice to {channel} (delivery {})", delivery.id);
    let deadline = Instant::now() + wait;
    let mut attempts = 0;
    loop {
        let delivery = one(hub, delivery.id).await?;
        if delivery.attempts > attempts && !delivery.state.is_settled() {
            attempts = delivery.attempts;
            let why = delivery.last_error.as_deref().unwrap_or("no reason given");
            println!(
                "attempt {attempts} failed: {}; retrying",
                output::excerpt(why, 200)
            );
        }
        match &delivery.state {
            DeliveryState::Delivered { .. } => {
                println!(
                    "delivered to {channel} after {} attempt(s)",
                    delivery.attempts
                );
                return Ok(ExitCode::SUCCESS);
            }
            DeliveryState::Failed { reason, .. } => {
                return Err(Failure(format!(
                    "delivery to {channel} failed: {}",
                    output::excerpt(reason, 300)
                )));
            }
            DeliveryState::Pending { .. } if Instant::now() >= deadline => {
                return Err(Failure(format!(
                    "delivery to {channel} still pending after {}s (is a hub delivering? \
                     `switchboard doctor`)",
                    wait.as_secs()
                )));
            }
            DeliveryState::Pending { .. } => tokio::time::sleep(POLL).await,
        }
    }
}

/// One delivery, by id.
async fn one(hub: &HubClient, id: ItemId) -> Result<Delivery, Failure> {
    let request = Request::Deliveries {
        limit: 0,
        id: Some(id),
    };
    match call(hub, request).await? {
        Response::Deliveries { deliveries, .. } => deliveries
            .into_iter()
            .next()
            .ok_or_else(|| Failure(format!("no delivery with id {id}"))),
        _ => Err(Failure(
            "unexpected answer from the hub to deliveries".into(),
        )),
    }
}

async fn list(hub: &HubClient, json: bool, limit: usize) -> Result<ExitCode, Failure> {
    let request = Request::Deliveries {
        limit: limit.max(1),
        id: None,
    };
    let Response::Deliveries { deliveries, .. } = call(hub, request).await? else {
        return Err(Failure(
            "unexpected answer from the hub to deliveries".into(),
        ));
    };
    for delivery in &deliveries {
        if json {
            println!("{}", json_line(delivery));
        } else {
            println!("{}", line(delivery));
        }
    }
    if deliveries.is_empty() && !json {
        println!("no deliveries yet");
    }
    Ok(ExitCode::SUCCESS)
}

/// `ID  delivered  legal-slack  escalated  1 try  3m  Escalated to legal: ...`.
fn line(delivery: &Delivery) -> String {
    let mut text = format!(
        "{}  {:<9}  {:<16}  {:<19}  {} {}  {:>4}  {}",
        delivery.id,
        delivery.state.name(),
        output::excerpt(&delivery.channel, 16),
        delivery.notice.kind.as_str(),
        delivery.attempts,
        if delivery.attempts == 1 {
            "try"
        } else {
            "tries"
        },
        output::age(delivery.created_at, Utc::now()),
        output::excerpt(&delivery.notice.title, 60)
    );
    if let DeliveryState::Failed { reason, .. } = &delivery.state {
        text.push_str(&format!("  ({})", output::excerpt(reason, 100)));
    } else if let Some(error) = &delivery.last_error {
        text.push_str(&format!("  (last error: {})", output::excerpt(error, 100)));
    }
    text
}
