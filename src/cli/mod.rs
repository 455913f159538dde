//! The command line: a contract that scripts and checks drive. Verbs parse here (clap) and
//! run against a [`HubClient`], attached to the running hub or hosted in-process.

mod canned;
mod demo;
mod doctor;
mod doctor_webhooks;
mod escalations;
mod exchange;
mod notify;
pub mod output;
mod pages;
mod replies;
mod rules;
mod shifts;
mod stats;
mod stats_csv;
pub(crate) mod sync;
mod team;
mod verbs;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{Config, Paths};

/// switchboard: one keyboard-driven inbox for a brand's comments, DMs and mentions.
#[derive(Debug, Parser)]
#[command(name = "switchboard", version, about, long_about = None)]
pub struct Cli {
    /// Directory holding config.toml and the data (default: XDG config and data dirs).
    #[arg(long, global = true, env = "SWITCHBOARD_HOME", value_name = "DIR")]
    pub home: Option<PathBuf>,
    /// The shared hub's socket (e.g. /run/switchboard/hub.sock): attach to it, never host a
    /// hub here. Default: the config's `[hub] socket`, else the home's hub.sock.
    #[arg(long, global = true, env = "SWITCHBOARD_SOCKET", value_name = "PATH")]
    pub socket: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the inbox (the default when no command is given).
    Tui,
    /// Run the hub: own the store and serve clients on the Unix socket.
    Serve,
    /// List items in queue order, filtered by a query.
    List {
        /// Print one JSON object per line.
        #[arg(long)]
        json: bool,
        /// At most this many items.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// A query, e.g. `platform:x status:new "refund"` (words may be given unquoted;
        /// negations like `-tag:spam` too).
        #[arg(allow_hyphen_values = true)]
        query: Vec<String>,
    },
    /// Show one item with its thread, the author's history, notes and audit trail.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Mark items resolved.
    Resolve {
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Reopen resolved or spam items.
    Reopen {
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Mark items as spam.
    Spam {
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Add a tag to an item.
    Tag { id: String, tag: String },
    /// Remove a tag from an item.
    Untag { id: String, tag: String },
    /// Assign an item to a user (`me` for yourself, `none` to unassign).
    Assign { id: String, user: String },
    /// Add a note to an item.
    Note { id: String, text: String },
    /// Hide an item from the active queue until a time (`2h`, `1d`, `2026-11-23T09:00`, `off`).
    Snooze { id: String, until: String },
    /// Reply to an item (public or DM, as the item calls for), through the outbox: with
    /// `--text`, or a canned response filled for the item with `--canned`.
    Reply(replies::ReplyArgs),
    /// The team's canned responses: list them, check the library.
    Canned {
        #[command(subcommand)]
        command: canned::CannedCommand,
    },
    /// Routing rules: which fire on an item and why (`test ID`), whether the config's
    /// rules are sound (`check`).
    Rules {
        #[command(subcommand)]
        command: rules::RulesCommand,
    },
    /// Take an unassigned item (refused when someone else has it).
    Claim { id: String },
    /// Acknowledge a page about an SLA breach (the page's id, or the item's): no backup is
    /// paged for it after this.
    Ack {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Release a reply held for approval (approvers): by reply id, or by item id.
    Approve {
        id: String,
        /// Send this text instead of the author's.
        #[arg(long)]
        text: Option<String>,
    },
    /// Turn down a reply held for approval (approvers), with a reason for its author.
    Reject {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Hand an item to the owners of `[escalations.NAME]` (legal, brand, ...), saying why.
    Escalate {
        id: String,
        name: String,
        /// Why: what the owners should look at.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// What is waiting on whom: escalated items, their owners, who escalated, age, due
    /// and the last answer.
    Escalations {
        #[arg(long)]
        json: bool,
        /// Only the escalations you own.
        #[arg(long)]
        mine: bool,
        /// Also those answered for good (approved, taken over, handed back).
        #[arg(long)]
        all: bool,
    },
    /// Answer an escalation you own: guidance, approve the held reply, take over, hand back.
    Answer(escalations::AnswerArgs),
    /// The team: users, roles, teams, accounts, and who is online now.
    Team {
        #[arg(long)]
        json: bool,
        /// Re-read `[users]` from the hub's config first (admins).
        #[arg(long)]
        reload: bool,
    },
    /// Print the hub's live events (changes, presence) until interrupted.
    Watch {
        #[arg(long)]
        json: bool,
    },
    /// The outbox: replies queued, sending, sent and failed.
    Outbox {
        #[arg(long)]
        json: bool,
    },
    /// Queue a failed reply again, optionally with corrected text.
    Retry {
        entry: String,
        #[arg(long)]
        text: Option<String>,
    },
    /// Import items from JSON lines (`-` for standard input).
    Import { file: PathBuf },
    /// Export every item.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
    },
    /// The audit log: of one item, or of everything (newest last).
    Audit {
        id: Option<String>,
        #[arg(long)]
        json: bool,
        /// At most this many lines.
        #[arg(long, default_value_t = 1000)]
        limit: usize,
    },
    /// Write your shift handoff (new, handled, open, escalated, near or past SLA, the notes
    /// since your shift started, and yours): the next person sees it when they open the inbox.
    Handoff {
        /// A note for the next person.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Where the period starts: `8h` (ago), `2026-11-23T08:00` (UTC) or RFC 3339.
        /// Default: the start of your shift in [oncall], else 8 hours ago.
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Who is on call ([oncall]), and who goes on or off call in the next 24 hours.
    Oncall {
        /// Another time: `2h` (from now), `2026-11-23T08:00` (UTC) or RFC 3339.
        #[arg(long, value_name = "WHEN")]
        at: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The team's figures over a window, within what you see: volume by platform and
    /// kind, first-response and resolution times (median, p90), SLA met, per agent,
    /// escalations by name and their time to answer.
    Stats {
        /// Where the window starts: `7d` (ago, the default), `24h`, `2026-11-23T08:00`
        /// (UTC) or RFC 3339. It ends now.
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// One JSON document.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// One CSV row per metric: metric, dimension, key, value, unit.
        #[arg(long)]
        csv: bool,
    },
    /// Check config, store, accounts and hub, one status line each.
    Doctor,
    /// Notifications: send a test notice to a `[notify.NAME]` channel, list deliveries.
    Notify {
        #[command(subcommand)]
        command: notify::NotifyCommand,
    },
    /// Sync the platform accounts: with `--once`, one pass now, then a summary per account
    /// (new, updated, errors); exits 1 if any account failed. Without, keep syncing in
    /// the foreground until interrupted (a running hub already syncs in the background).
    Sync {
        #[arg(long)]
        once: bool,
        /// Only this account.
        #[arg(long, value_name = "NAME")]
        account: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The platform accounts and their sync state; `--problems` lists the payloads sync
    /// could not read (raw included with `--json`).
    Accounts {
        #[arg(long)]
        json: bool,
        #[arg(long)]
        problems: bool,
        /// Only this account (with `--problems`).
        #[arg(long, value_name = "NAME")]
        account: Option<String>,
    },
    /// Moderate an item on its platform: hide, unhide, delete, mute, block, report, dismiss.
    Moderate {
        id: String,
        #[arg(value_enum)]
        action: ModerationArg,
        /// Why (required for `report`).
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// The built-in simulator: a demo inbox with realistic customers on six platforms.
    Demo {
        /// Items in the backlog.
        #[arg(long, default_value_t = 300)]
        items: usize,
        /// Seed: the same seed gives the same items, times included (anchored at `--start`).
        #[arg(long)]
        seed: Option<u64>,
        /// When the simulated backlog ends (RFC 3339). Default: now, or
        /// 2026-01-05T12:00:00Z when `--seed` is given, so a seeded run is reproducible.
        #[arg(long, value_name = "TIME")]
        start: Option<chrono::DateTime<chrono::Utc>>,
        /// Fill the store and exit instead of opening the inbox.
        #[arg(long)]
        no_tui: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModerationArg {
    Hide,
    Unhide,
    Delete,
    Mute,
    Block,
    Report,
    Dismiss,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Csv,
}

/// A failed command: printed as one line, exit code 1.
#[derive(Debug)]
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

/// Everything a verb needs to know about where it runs.
pub struct Context {
    pub paths: Paths,
    pub config: Config,
    /// True when `--home` was given (the demo then fills that home instead of a temporary one).
    pub explicit_home: bool,
}

/// Parses the command line, runs the verb, and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(Failure(message)) => {
            eprintln!("switchboard: error: {}", message.trim_end());
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let paths = match &cli.home {
        Some(home) => Paths::in_home(home),
        None => Paths::xdg(),
    };
    let command = cli.command.unwrap_or(Command::Tui);
    let mut config = match Config::load(&paths.config_file) {
        Ok(config) => config,
        // `doctor` reports a broken config itself, with everything else it checks.
        Err(_) if matches!(command, Command::Doctor) => Config::default(),
        Err(e) => return Err(e.into()),
    };
    if let Some(socket) = cli.socket {
        config.hub.socket = Some(socket);
        config.hub.attach_only = !matches!(command, Command::Serve);
    }
    let context = Context {
        paths,
        config,
        explicit_home: cli.home.is_some(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let _log = start_logging(&context, &command);
    runtime.block_on(verbs::dispatch(context, command))
}

/// File logging for every verb; the demo logs into its own (maybe temporary) home.
fn start_logging(
    context: &Context,
    command: &Command,
) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    if matches!(command, Command::Demo { .. }) && !context.explicit_home {
        return None;
    }
    crate::logging::init(&context.paths.log_dir).ok()
}
