//! `demo`: the built-in simulator feeding a store (a temporary one unless `--home` is given),
//! then the inbox on top of it with customers still writing in.

use std::process::ExitCode;

use super::{Context, Failure};
use crate::hub::HubClient;

pub async fn run(
    _context: &Context,
    _items: usize,
    _seed: u64,
    _no_tui: bool,
) -> Result<ExitCode, Failure> {
    Err(Failure(
        "demo: being wired (simulator lands from the sim branch)".into(),
    ))
}

pub async fn open_inbox(_context: &Context, _client: HubClient) -> Result<(), Failure> {
    Err(Failure("the inbox lands from the tui branch".into()))
}
