//! A TUI on a real hub: an `App` driven through `update` with its own hub client, its
//! calls answered by the hub, its timers fired at once and its live events taken as they
//! come, so tests can put several CMs on one hub and watch what each one sees.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use switchboard::hub::protocol::{Event, Request, Response};
use switchboard::hub::{Hub, HubClient};
use switchboard::model::{Actor, ItemId};
use switchboard::ui::app::{update, App};
use switchboard::ui::components::Me;
use switchboard::ui::keys::parse_sequence;
use switchboard::ui::msg::{CallFailure, Effect, Msg};
use switchboard::ui::{view, ColorMode, Keymap, UiOptions};

/// One CM at a terminal: the app, its hub client and its live events.
pub struct Cm {
    pub app: App,
    pub client: HubClient,
    events: Option<tokio::sync::mpsc::Receiver<Event>>,
}

impl Cm {
    pub async fn open(hub: &Arc<Hub>, user: &str) -> Cm {
        let client = HubClient::local(Arc::clone(hub), Actor::new(user, "tui"));
        let mut options = UiOptions::new(Keymap::builtin("default").unwrap(), user);
        options.color = ColorMode::None;
        options.me = Some(Me::from_welcome(client.welcome()));
        let mut app = App::new(options, "in-process".into(), chrono::Utc::now());
        update(
            &mut app,
            Msg::Resize {
                width: 120,
                height: 40,
            },
        );
        let mut cm = Cm {
            app,
            client,
            events: None,
        };
        let effects = cm.app.start();
        cm.run(effects).await;
        cm.settle().await;
        cm
    }

    /// Runs effects to completion against the hub: calls answered, timers fired at once.
    pub async fn run(&mut self, effects: Vec<Effect>) {
        let mut pending: VecDeque<Effect> = effects.into();
        while let Some(effect) = pending.pop_front() {
            let msg = match effect {
                Effect::Call { tag, request } => Msg::Answer {
                    tag,
                    result: self.client.call(request).await.map_err(CallFailure::from),
                },
                Effect::Chain { tag, requests } => {
                    let mut result = Ok(Response::Done);
                    for request in requests {
                        result = self.client.call(request).await.map_err(CallFailure::from);
                        if result.is_err() {
                            break;
                        }
                    }
                    Msg::Answer { tag, result }
                }
                Effect::After { timer, .. } => Msg::Timer(timer),
                Effect::Subscribe => {
                    self.events = Some(self.client.subscribe().await.unwrap());
                    Msg::Subscribed
                }
                // No editor here: it gives the text back unchanged.
                Effect::EditExternally { text } => Msg::Edited { text },
                // No terminal to ring: nothing comes back.
                Effect::Alert { .. } => continue,
            };
            pending.extend(update(&mut self.app, msg));
        }
    }

    /// Takes the live events until none comes for a moment.
    pub async fn settle(&mut self) {
        loop {
            let events = self.events.as_mut().expect("subscribed");
            let Ok(Some(event)) =
                tokio::time::timeout(Duration::from_millis(400), events.recv()).await
            else {
                return;
            };
            let effects = update(&mut self.app, Msg::Hub(event));
            self.run(effects).await;
        }
    }

    /// Takes live events until `done` says what was awaited has come (at most 10 s), then
    /// the rest.
    pub async fn settle_until(&mut self, done: impl Fn(&App) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !done(&self.app) {
            let events = self.events.as_mut().expect("subscribed");
            let event = tokio::time::timeout_at(deadline, events.recv())
                .await
                .expect("the awaited event came")
                .expect("the hub is there");
            let effects = update(&mut self.app, Msg::Hub(event));
            self.run(effects).await;
        }
        self.settle().await;
    }

    pub async fn keys(&mut self, text: &str) {
        for chord in parse_sequence(text).unwrap() {
            let effects = update(&mut self.app, Msg::Key(chord));
            self.run(effects).await;
        }
    }

    pub async fn type_text(&mut self, text: &str) {
        let effects = update(&mut self.app, Msg::Text(text.into()));
        self.run(effects).await;
    }

    pub fn flash(&self) -> String {
        self.app.flash.as_ref().expect("a message").text.clone()
    }

    pub fn screen(&self) -> String {
        let backend = ratatui::backend::TestBackend::new(self.app.width, self.app.height);
        let mut terminal = ratatui::Terminal::new(backend).unwrap();
        terminal.draw(|frame| view::draw(&self.app, frame)).unwrap();
        terminal.backend().to_string()
    }
}

/// A `settle_until` condition: the status message contains `text`.
pub fn flashed(text: &'static str) -> impl Fn(&App) -> bool {
    move |app| app.flash.as_ref().is_some_and(|f| f.text.contains(text))
}

/// The audit of an item as `user client: action detail` lines.
pub fn audit(hub: &Hub, id: ItemId) -> Vec<String> {
    let request = Request::Audit {
        id: Some(id),
        limit: 100,
    };
    let Ok(Response::Audit { entries }) = hub.handle(&Actor::new("root", "test"), request) else {
        panic!("audit")
    };
    entries
        .iter()
        .map(|e| {
            format!(
                "{} {}: {} {}",
                e.actor.user, e.actor.client, e.action, e.detail
            )
        })
        .collect()
}
