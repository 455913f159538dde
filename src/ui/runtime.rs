//! The runtime: one `tokio::select!` loop over terminal input, messages from spawned hub
//! calls, timers and the event subscription, a one-second clock, and SIGTERM/SIGHUP. When
//! the terminal goes away (a signal, or its input ends) the loop ends once the hub has the
//! draft being typed. Each message goes through
//! `update`; the effects it returns are started here and answer later as messages (the
//! external editor once the messages at hand are handled, with terminal input stopped). The
//! screen is redrawn only when the state says something visible changed.

use std::time::Duration;

use anyhow::Context as _;
use chrono::Utc;
use crossterm::event::{Event as TermEvent, EventStream, MouseButton, MouseEventKind};
use futures::StreamExt;
use ratatui::backend::Backend;
use ratatui::Terminal;
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};
use tokio::time::MissedTickBehavior;

use super::alert::Alerter;
use super::app::{update, App};
use super::components::Me;
use super::keys::KeyChord;
use super::msg::{CallFailure, Effect, Msg};
use super::terminal::TerminalGuard;
use super::{external_editor, view, UiOptions};
use crate::hub::client::HubClient;
use crate::hub::protocol::Request;

/// Runs the TUI until the user quits (or SIGTERM/SIGHUP); the terminal is restored
/// however it ends.
pub async fn run(client: HubClient, options: UiOptions) -> anyhow::Result<()> {
    let mouse = options.mouse;
    let mut options = options;
    if options.user.is_empty() {
        options.user = client.user().to_string();
    }
    options.me = Some(Me::from_welcome(client.welcome()));
    let alerter = Alerter::new(std::io::stdout(), options.desktop_notifications);
    let mut app = App::new(options, client.connection(), Utc::now());
    let mut guard = TerminalGuard::enter(mouse).context("cannot set up the terminal")?;
    let result = event_loop(&mut guard.terminal, &mut app, client, alerter).await;
    drop(guard);
    result
}

async fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    client: HubClient,
    alerter: Alerter<std::io::Stdout>,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let (tx, mut rx) = unbounded_channel();
    let mut runner = EffectRunner {
        client,
        tx,
        edit: None,
        alerter,
    };
    let size = terminal.size().context("cannot read the terminal size")?;
    runner.start(update(
        app,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
    ));
    runner.start(app.start());
    let mut input = EventStream::new();
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    clock.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut sigterm = signal(SignalKind::terminate()).context("cannot watch SIGTERM")?;
    let mut sighup = signal(SignalKind::hangup()).context("cannot watch SIGHUP")?;
    loop {
        if app.dirty {
            if let Err(e) = terminal.draw(|frame| view::draw(app, frame)) {
                // The terminal is gone (a dropped SSH connection closes it first).
                closing(app, &runner.client).await?;
                return Err(e).context("cannot draw");
            }
            app.dirty = false;
        }
        if app.should_quit {
            return Ok(());
        }
        let msg = tokio::select! {
            event = input.next() => match event {
                Some(Ok(event)) => terminal_msg(event),
                Some(Err(e)) => {
                    closing(app, &runner.client).await?;
                    return Err(e).context("cannot read the terminal");
                }
                None => return closing(app, &runner.client).await,
            },
            Some(msg) = rx.recv() => Some(msg),
            _ = clock.tick() => Some(Msg::Tick(Utc::now())),
            _ = sigterm.recv() => return closing(app, &runner.client).await,
            _ = sighup.recv() => return closing(app, &runner.client).await,
        };
        if let Some(msg) = msg {
            runner.start(update(app, msg));
        }
        // Take whatever else already arrived before drawing once.
        while let Ok(msg) = rx.try_recv() {
            runner.start(update(app, msg));
        }
        if let Some(text) = runner.edit.take() {
            // The editor reads the terminal: nothing else may meanwhile.
            drop(input);
            let edited = external_editor::edit(terminal, app.mouse, &text).await;
            input = EventStream::new();
            match edited {
                Ok(msg) => runner.start(update(app, msg)),
                Err(e) => {
                    closing(app, &runner.client).await?;
                    return Err(e).context("cannot take the terminal back from the editor");
                }
            }
        }
    }
}

/// How long the hub gets, when the terminal goes away, to take what would be lost.
const CLOSING_WAIT: Duration = Duration::from_secs(2);

/// The terminal is going away (the hub connection usually is not: over SSH the TUI runs on
/// the hub's machine): hand the hub the calls `update` asks for (the draft being typed),
/// waiting a little for each.
async fn closing(app: &mut App, client: &HubClient) -> anyhow::Result<()> {
    for effect in update(app, Msg::Closing) {
        if let Effect::Call { request, .. } = effect {
            let _ = tokio::time::timeout(CLOSING_WAIT, client.call(request)).await;
        }
    }
    Ok(())
}

/// What a terminal event means to `update`.
fn terminal_msg(event: TermEvent) -> Option<Msg> {
    match event {
        TermEvent::Key(key) => KeyChord::from_event(&key).map(Msg::Key),
        TermEvent::Paste(text) => Some(Msg::Text(text)),
        TermEvent::Resize(width, height) => Some(Msg::Resize { width, height }),
        TermEvent::Mouse(mouse) => match mouse.kind {
            MouseEventKind::ScrollDown => Some(Msg::Scroll(1)),
            MouseEventKind::ScrollUp => Some(Msg::Scroll(-1)),
            MouseEventKind::Down(MouseButton::Left) => Some(Msg::Click {
                column: mouse.column,
                row: mouse.row,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// Starts effects; their outcomes come back on the channel.
struct EffectRunner {
    client: HubClient,
    tx: UnboundedSender<Msg>,
    /// The text to hand to the external editor once the messages at hand are handled.
    edit: Option<String>,
    /// Rings the terminal for notices (between frames: the bytes move no cursor).
    alerter: Alerter<std::io::Stdout>,
}

impl EffectRunner {
    fn start(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            self.start_one(effect);
        }
    }

    fn start_one(&mut self, effect: Effect) {
        let (client, tx) = (self.client.clone(), self.tx.clone());
        match effect {
            Effect::Call { tag, request } => {
                tokio::spawn(async move {
                    let result = client.call(request).await.map_err(CallFailure::from);
                    let _ = tx.send(Msg::Answer { tag, result });
                });
            }
            Effect::Chain { tag, requests } => {
                tokio::spawn(async move {
                    let result = call_in_order(&client, requests).await;
                    let _ = tx.send(Msg::Answer { tag, result });
                });
            }
            Effect::After { delay, timer } => {
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    let _ = tx.send(Msg::Timer(timer));
                });
            }
            Effect::Subscribe => {
                tokio::spawn(forward_events(client, tx));
            }
            Effect::EditExternally { text } => self.edit = Some(text),
            Effect::Alert { title, body } => {
                if let Err(e) = self.alerter.ring(&title, &body) {
                    tracing::warn!(error = %e, "cannot ring the terminal");
                }
            }
        }
    }
}

async fn call_in_order(
    client: &HubClient,
    requests: Vec<Request>,
) -> Result<crate::hub::protocol::Response, CallFailure> {
    let mut last = Ok(crate::hub::protocol::Response::Done);
    for request in requests {
        last = client.call(request).await.map_err(CallFailure::from);
        if last.is_err() {
            break;
        }
    }
    last
}

/// Subscribes and forwards hub events until the subscription ends.
pub async fn forward_events(client: HubClient, tx: UnboundedSender<Msg>) {
    let mut events = match client.subscribe().await {
        Ok(events) => events,
        Err(e) => {
            let _ = tx.send(Msg::HubLost(e.to_string()));
            return;
        }
    };
    let _ = tx.send(Msg::Subscribed);
    while let Some(event) = events.recv().await {
        if tx.send(Msg::Hub(event)).is_err() {
            return;
        }
    }
    let _ = tx.send(Msg::HubLost("the hub closed the event stream".into()));
}
