//! `demo`: the built-in simulator feeding a store (a temporary one unless `--home` is given),
//! then the inbox on top of it with customers still writing in.

use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use super::verbs::call;
use super::{Context, Failure};
use crate::config::Paths;
use crate::connectors::demo::DemoConnector;
use crate::connectors::simulator::{Simulator, DEFAULT_BRAND};
use crate::connectors::Connectors;
use crate::hub::protocol::{Request, Response};
use crate::hub::{attach, AttachOptions, HubClient};
use crate::model::NewItem;

/// Items per ingest request while filling the backlog.
const BATCH: usize = 1000;

/// Where the simulated world starts: a seed and the time its backlog ends.
pub struct Seeding {
    seed: u64,
    start: DateTime<Utc>,
}

/// The anchor of a seeded run when no `--start` is given.
const SEEDED_START: &str = "2026-01-05T12:00:00Z";

impl Seeding {
    /// A seeded run is reproducible (times included); an unseeded one is seed 1 ending now.
    pub fn new(seed: Option<u64>, start: Option<DateTime<Utc>>) -> Seeding {
        let anchored = || SEEDED_START.parse().expect("a valid RFC 3339 constant");
        let start = start.unwrap_or_else(|| {
            if seed.is_some() {
                anchored()
            } else {
                Utc::now()
            }
        });
        Seeding {
            seed: seed.unwrap_or(1),
            start,
        }
    }
}

pub async fn run(
    context: &Context,
    items: usize,
    seeding: Seeding,
    no_tui: bool,
) -> Result<ExitCode, Failure> {
    let Seeding { seed, start } = seeding;
    let inbox = if no_tui {
        None
    } else {
        Some(inbox_options(context)?)
    };
    let temporary = if context.explicit_home {
        None
    } else {
        Some(tempfile::tempdir()?)
    };
    let paths = match &temporary {
        Some(dir) => Paths::in_home(dir.path()),
        None => context.paths.clone(),
    };
    let _log = temporary
        .as_ref()
        .and_then(|_| crate::logging::init(&paths.log_dir).ok());
    if temporary.is_some() {
        furnish(&paths, &demo_brand(context))?;
    }
    let options = AttachOptions {
        client: "demo".into(),
        serve_socket: !no_tui,
        ..AttachOptions::cli()
    };
    let attached = attach(&paths, &context.config, &options).await?;
    let brand = demo_brand(context);
    let backlog = backlog_of_exactly(seed, &brand, start, items);
    for chunk in backlog.chunks(BATCH) {
        ingest(&attached.client, chunk.to_vec()).await?;
    }
    let Some(inbox) = inbox else {
        println!(
            "demo: {} items from the simulator in {}",
            items,
            paths.store_dir.display()
        );
        return Ok(ExitCode::SUCCESS);
    };
    let mut simulator = Simulator::new(seed, &brand, start);
    simulator.backlog(customer_count_for(seed, &brand, start, items));
    let simulator = Arc::new(Mutex::new(simulator));
    let mut connectors = Connectors::default();
    for connector in DemoConnector::for_all_accounts(&simulator) {
        connectors.add(connector);
    }
    let delivery = attached.hosted.as_ref().map(|h| {
        let tasks = h.start_delivery(connectors);
        mark_simulated_accounts_ok(&h.hub);
        tasks
    });
    let shifts = attached.hosted.as_ref().map(|h| h.start_shifts());
    let notifications = attached.hosted.as_ref().map(|h| h.start_notifications());
    let sla_clock = attached.hosted.as_ref().map(|h| h.start_sla_clock());
    let live = tokio::spawn(feed_live(attached.client.clone(), simulator));
    let result = open_inbox(inbox, attached.client.clone()).await;
    live.abort();
    drop(delivery);
    drop(notifications);
    for task in shifts.into_iter().chain(sla_clock) {
        task.abort();
    }
    result.map(|()| ExitCode::SUCCESS)
}

/// The simulator pushes its traffic live: its accounts are in sync from the start.
fn mark_simulated_accounts_ok(hub: &crate::hub::Hub) {
    let now = chrono::Utc::now();
    for status in hub.accounts().all() {
        let state = crate::model::AccountState::Ok;
        hub.accounts()
            .set_state(hub.store().as_ref(), &status.account, state, now);
        hub.accounts()
            .set_streaming(hub.store().as_ref(), &status.account, true);
    }
}

/// A temporary demo home gets the sample canned library and a config naming the demo's
/// brand (`{brand}`), so the picker works with nothing to configure.
fn furnish(paths: &Paths, brand: &str) -> std::io::Result<()> {
    crate::responses::sample::write(&crate::hub::responses_dir(&paths.config_file))?;
    let name = toml::Value::String(brand.to_string());
    std::fs::write(&paths.config_file, format!("[brand]\nname = {name}\n"))
}

fn demo_brand(context: &Context) -> String {
    let configured = &context.config.brand.name;
    if *configured == crate::config::BrandConfig::default().name {
        DEFAULT_BRAND.to_string()
    } else {
        configured.clone()
    }
}

/// Exactly `n` items: the simulator's backlog counts customer messages and adds the brand
/// posts they answer, so find how many customer messages make at least `n` items and keep
/// the oldest `n` (every kept item's parent is older, so threads stay whole).
fn backlog_of_exactly(seed: u64, brand: &str, start: DateTime<Utc>, n: usize) -> Vec<NewItem> {
    let customers = customer_count_for(seed, brand, start, n);
    let mut items = Simulator::new(seed, brand, start).backlog(customers);
    items.truncate(n);
    items
}

/// The smallest customer count whose backlog has at least `n` items (binary search: the
/// backlog only grows with the count).
fn customer_count_for(seed: u64, brand: &str, start: DateTime<Utc>, n: usize) -> usize {
    let size = |c: usize| Simulator::new(seed, brand, start).backlog(c).len();
    let (mut low, mut high) = (0usize, n.max(1));
    while low < high {
        let mid = (low + high) / 2;
        if size(mid) >= n {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    low
}

async fn ingest(client: &HubClient, items: Vec<NewItem>) -> Result<(), Failure> {
    match call(
        client,
        Request::Ingest {
            items,
            source: "demo".into(),
        },
    )
    .await?
    {
        Response::Ingested { .. } => Ok(()),
        _ => Err(Failure("unexpected answer from the hub to ingest".into())),
    }
}

/// Customers keep writing while the demo runs (and answer our replies).
async fn feed_live(client: HubClient, simulator: Arc<Mutex<Simulator>>) {
    loop {
        let (delay, item) = simulator
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .next_live();
        tokio::time::sleep(delay).await;
        if let Err(e) = ingest(&client, vec![item]).await {
            tracing::warn!(error = %e.0, "demo: live item not ingested");
            return;
        }
    }
}

/// The inbox's options from the config: keymap errors stop start-up here, before the
/// terminal is taken over.
pub fn inbox_options(context: &Context) -> Result<crate::ui::UiOptions, Failure> {
    Ok(crate::ui::UiOptions::from_config(
        &context.config,
        &context.paths.config_dir,
        "",
    )?)
}

/// Runs the inbox on a client until the user quits.
pub async fn open_inbox(options: crate::ui::UiOptions, client: HubClient) -> Result<(), Failure> {
    crate::ui::run(client, options)
        .await
        .map_err(|e| Failure(format!("{e:#}")))
}
