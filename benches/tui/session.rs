//! A TUI session driven the way `ui::runtime` drives it, with a `TestBackend` for a screen:
//! each message goes through `update`, hub calls run concurrently against a real
//! [`HubClient`] and come back as messages, and the screen is drawn after every batch of
//! messages. Key presses are timed twice: until the frame drawn right after the key, and
//! until the last hub answer the key caused is drawn.
//!
//! Timers: a benchmark types faster than the which-key delay (400 ms), so which-key timers
//! are dropped; every other timer (find's 30 ms debounce, reloads) fires as soon as the
//! calls in flight are answered, without waiting for its delay, unless the session honours
//! delays (a live session, where they coalesce bursts of hub events).
//!
//! A key press is answered when the calls it caused, and the calls and timers those
//! caused in turn, are done: hub events arriving meanwhile are handled but not waited for.

use std::time::{Duration, Instant};

use chrono::Utc;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use switchboard::hub::client::{ClientError, HubClient};
use switchboard::hub::protocol::{Request, Response};
use switchboard::ui::app::{update, App};
use switchboard::ui::keys::KeyChord;
use switchboard::ui::msg::{CallFailure, Effect, Msg, Timer};
use switchboard::ui::{view, ColorMode, Keymap, UiOptions};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tokio::task::JoinHandle;

/// How long one key press took to show.
#[derive(Clone, Copy, Debug)]
pub struct Press {
    /// Until the frame drawn right after `update` handled the key.
    pub frame: Duration,
    /// The CPU time this thread spent on that (`update` and the draw): `frame` minus this
    /// is time the thread waited (another process had the core).
    pub frame_cpu: Duration,
    /// Until the frame with the last hub answer the key caused (the same when it caused
    /// no call).
    pub answered: Duration,
    /// How many hub calls the key caused (page loads, probes for the end, ...).
    pub calls: usize,
}

/// What the first frame took.
#[derive(Clone, Copy, Debug)]
pub struct FirstFrame {
    /// Until the first frame that shows the queue's first page.
    pub page_drawn: Duration,
    /// Frames drawn until then (the empty one before the answer included).
    pub frames: usize,
}

/// A timer set by `update`, waiting to fire.
struct PendingTimer {
    at: tokio::time::Instant,
    timer: Timer,
    /// Set while handling a key press (or what it caused): the press waits for it.
    owned: bool,
}

/// An app, its screen and its hub connection.
pub struct Session {
    pub app: App,
    pub terminal: Terminal<TestBackend>,
    client: HubClient,
    /// Hub events, and answers to calls no key press is waiting for.
    tx: UnboundedSender<Msg>,
    rx: UnboundedReceiver<Msg>,
    /// Answers to calls a key press caused (directly, or through the answers and timers it
    /// caused): a press is answered when none of these is in flight.
    owned_tx: UnboundedSender<Msg>,
    owned_rx: UnboundedReceiver<Msg>,
    /// Calls (and the subscription) started and not answered yet.
    in_flight: usize,
    /// Of those, the ones a key press caused.
    owned_in_flight: usize,
    timers: Vec<PendingTimer>,
    /// Fire timers after their delay, as the runtime does (live sessions), instead of as
    /// soon as nothing is in flight (key-run benchmarks).
    honor_delays: bool,
    /// Hub calls started so far.
    calls: usize,
    /// The tasks forwarding hub events (they hold the connection open).
    subscriptions: Vec<JoinHandle<()>>,
}

impl Drop for Session {
    fn drop(&mut self) {
        for task in &self.subscriptions {
            task.abort();
        }
    }
}

/// Options of a benchmark session: default keymap, no colour, the given user.
pub fn options(user: &str) -> UiOptions {
    let keymap = Keymap::builtin("default").expect("the built-in keymap loads");
    let mut options = UiOptions::new(keymap, user);
    options.color = ColorMode::None;
    options
}

impl Session {
    /// Builds the app on `client` (user from `options`, or the hub's name for us).
    pub fn new(client: HubClient, mut options: UiOptions, width: u16, height: u16) -> Session {
        if options.user.is_empty() {
            options.user = client.user().to_string();
        }
        let app = App::new(options, client.connection(), Utc::now());
        let terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
        let (tx, rx) = unbounded_channel();
        let (owned_tx, owned_rx) = unbounded_channel();
        Session {
            app,
            terminal,
            client,
            tx,
            rx,
            owned_tx,
            owned_rx,
            in_flight: 0,
            owned_in_flight: 0,
            timers: Vec::new(),
            honor_delays: false,
            calls: 0,
            subscriptions: Vec::new(),
        }
    }

    /// The same session firing timers after their real delays (a live session, where the
    /// delays are what coalesces bursts of hub events).
    pub fn honoring_delays(mut self) -> Session {
        self.honor_delays = true;
        self
    }

    /// Starts the app as the runtime does (size, then the start-up effects) and runs until
    /// a frame shows the first page of the queue; `began` is when the start began.
    pub async fn first_frame(&mut self, began: Instant) -> FirstFrame {
        let size = self.terminal.size().expect("terminal size");
        let resize = update(
            &mut self.app,
            Msg::Resize {
                width: size.width,
                height: size.height,
            },
        );
        self.start(resize, false);
        let start = self.app.start();
        self.start(start, false);
        let mut frames = 0;
        loop {
            self.draw();
            frames += 1;
            if self.app.queue.loaded {
                break;
            }
            self.step(None).await;
        }
        let page_drawn = began.elapsed();
        self.settle().await;
        FirstFrame { page_drawn, frames }
    }

    /// One key press, timed until its frame and until the answers it caused are drawn.
    /// Hub events arriving meanwhile are handled (as the runtime would) but not waited for.
    pub async fn press(&mut self, chord: KeyChord) -> Press {
        let began = Instant::now();
        let (cpu, calls) = (thread_cpu(), self.calls);
        let effects = update(&mut self.app, Msg::Key(chord));
        self.start(effects, true);
        self.draw();
        let frame = began.elapsed();
        let frame_cpu = thread_cpu().saturating_sub(cpu);
        while self.owned_in_flight > 0 || self.timers.iter().any(|t| t.owned) {
            self.step(None).await;
            if self.app.dirty {
                self.draw();
            }
        }
        Press {
            frame,
            frame_cpu,
            answered: began.elapsed(),
            calls: self.calls - calls,
        }
    }

    /// Presses keys one after the other; their timings.
    pub async fn press_all(&mut self, chords: &[KeyChord]) -> Vec<Press> {
        let mut presses = Vec::with_capacity(chords.len());
        for &chord in chords {
            presses.push(self.press(chord).await);
        }
        presses
    }

    /// Sends a message (not timed) and runs everything it causes.
    pub async fn send(&mut self, msg: Msg) {
        let effects = update(&mut self.app, msg);
        self.start(effects, false);
        self.draw();
        self.settle().await;
    }

    /// Lives for `span` as the runtime does between key presses: hub events and answers
    /// are taken as they arrive, timers fire, and a frame is drawn whenever state changed.
    pub async fn idle(&mut self, span: Duration) {
        let until = tokio::time::Instant::now() + span;
        while tokio::time::Instant::now() < until {
            self.step(Some(until)).await;
            if self.app.dirty {
                self.draw();
            }
        }
    }

    /// Draws the app into the test terminal.
    pub fn draw(&mut self) {
        let app = &self.app;
        self.terminal
            .draw(|frame| view::draw(app, frame))
            .expect("draw into the test terminal");
        self.app.dirty = false;
    }

    /// Changes the screen size (a new terminal of that size, and the app told).
    pub async fn resize(&mut self, width: u16, height: u16) {
        self.terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
        self.send(Msg::Resize { width, height }).await;
    }

    /// A direct call on the session's hub connection (to look things up, not timed).
    pub async fn call(&self, request: Request) -> Result<Response, ClientError> {
        self.client.call(request).await
    }

    /// Runs until no call is in flight and no timer is left, drawing after each batch.
    async fn settle(&mut self) {
        while self.in_flight > 0 || !self.timers.is_empty() {
            self.step(None).await;
            if self.app.dirty {
                self.draw();
            }
        }
    }

    /// One step of the loop: fire a due timer, or wait (until `until` at most) for the next
    /// message and take whatever else already arrived (as the runtime does before drawing).
    async fn step(&mut self, until: Option<tokio::time::Instant>) {
        if let Some(pending) = self.due_timer() {
            let effects = update(&mut self.app, Msg::Timer(pending.timer));
            self.start(effects, pending.owned);
            return;
        }
        let next_timer = self
            .honor_delays
            .then(|| self.timers.iter().map(|t| t.at).min())
            .flatten();
        let wake = match (next_timer, until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let sleep = async {
            match wake {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            Some(msg) = self.rx.recv() => self.take(msg, false),
            Some(msg) = self.owned_rx.recv() => self.take(msg, true),
            () = sleep => {}
        }
        while let Ok(msg) = self.owned_rx.try_recv() {
            self.take(msg, true);
        }
        while let Ok(msg) = self.rx.try_recv() {
            self.take(msg, false);
        }
    }

    /// The timer to fire now: the first one past its delay when delays are honoured, else
    /// the first one once no call is in flight.
    fn due_timer(&mut self) -> Option<PendingTimer> {
        let position = if self.honor_delays {
            let now = tokio::time::Instant::now();
            self.timers.iter().position(|t| t.at <= now)
        } else {
            (self.in_flight == 0 && !self.timers.is_empty()).then_some(0)
        };
        position.map(|i| self.timers.remove(i))
    }

    fn take(&mut self, msg: Msg, owned: bool) {
        if matches!(msg, Msg::Answer { .. } | Msg::Subscribed | Msg::HubLost(_)) {
            self.in_flight -= 1;
            if owned {
                self.owned_in_flight -= 1;
            }
        }
        let effects = update(&mut self.app, msg);
        self.start(effects, owned);
    }

    fn start(&mut self, effects: Vec<Effect>, owned: bool) {
        for effect in effects {
            self.start_one(effect, owned);
        }
    }

    fn start_one(&mut self, effect: Effect, owned: bool) {
        let client = self.client.clone();
        let tx = if owned {
            self.owned_tx.clone()
        } else {
            self.tx.clone()
        };
        match effect {
            Effect::Call { tag, request } => {
                self.count_call(owned, 1);
                tokio::spawn(async move {
                    let result = client.call(request).await.map_err(CallFailure::from);
                    let _ = tx.send(Msg::Answer { tag, result });
                });
            }
            Effect::Chain { tag, requests } => {
                self.count_call(owned, requests.len());
                tokio::spawn(async move {
                    let mut result = Ok(Response::Done);
                    for request in requests {
                        result = client.call(request).await.map_err(CallFailure::from);
                        if result.is_err() {
                            break;
                        }
                    }
                    let _ = tx.send(Msg::Answer { tag, result });
                });
            }
            Effect::After {
                timer: Timer::WhichKey(_),
                ..
            } => {}
            Effect::After { timer, delay } => self.timers.push(PendingTimer {
                at: tokio::time::Instant::now() + delay,
                timer,
                owned,
            }),
            Effect::Subscribe => {
                self.in_flight += 1;
                let task = tokio::spawn(switchboard::ui::runtime::forward_events(
                    client,
                    self.tx.clone(),
                ));
                self.subscriptions.push(task);
            }
            // The simulated CMs write in the composer, never in an external editor.
            Effect::EditExternally { .. } | Effect::Alert { .. } => {}
        }
    }

    fn count_call(&mut self, owned: bool, requests: usize) {
        self.in_flight += 1;
        if owned {
            self.owned_in_flight += 1;
        }
        self.calls += requests;
    }
}

/// The CPU time of the calling thread so far.
pub fn thread_cpu() -> Duration {
    // SAFETY: clock_gettime only writes into the struct it is given.
    let ts = unsafe {
        let mut ts = std::mem::zeroed::<libc::timespec>();
        libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts);
        ts
    };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// The chords that type `text` (each character one key press).
pub fn typed(text: &str) -> Vec<KeyChord> {
    text.chars().map(KeyChord::plain).collect()
}

/// A single named or modified key (`enter`, `ctrl-d`, `G`).
pub fn key(name: &str) -> KeyChord {
    KeyChord::parse(name).expect("a valid key name")
}
