//! Logging through `tracing` to a daily file in the data directory, never to a terminal the
//! TUI may own. `SWITCHBOARD_LOG` (an env-filter directive, e.g. `debug`) sets the level.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Starts file logging; keep the guard alive until exit so buffered lines are written.
/// When the log directory cannot be created, logging is off (and the reason is returned).
pub fn init(log_dir: &Path) -> Result<WorkerGuard, String> {
    std::fs::create_dir_all(log_dir)
        .map_err(|e| format!("cannot create log directory {}: {e}", log_dir.display()))?;
    let appender = tracing_appender::rolling::daily(log_dir, "switchboard.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter =
        EnvFilter::try_from_env("SWITCHBOARD_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .map_err(|e| format!("logging already initialised: {e}"))?;
    Ok(guard)
}
