//! A TUI session driven the way `ui::runtime` drives it, with a `TestBackend` for a screen:
//! each message goes through `update`, hub calls run concurrently against a real
//! [`HubClient`] and come back as messages, and the screen is drawn after every batch of
//! messages. Key presses are timed twice: until the frame drawn right after the key, and
//! until the last hub answer the key caused is drawn.
//!
//! Timers: a benchmark types faster than the which-key delay (400 ms), so which-key timers
//! are dropped; every other timer (find's 30 ms debounce, reloads) fires as soon as the
//! calls in flight are answered, without waiting for its delay.

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

/// An app, its screen and its hub connection.
pub struct Session {
    pub app: App,
    pub terminal: Terminal<TestBackend>,
    client: HubClient,
    tx: UnboundedSender<Msg>,
    rx: UnboundedReceiver<Msg>,
    /// Calls (and the subscription) started and not answered yet.
    in_flight: usize,
    /// Timers set and not fired yet.
    timers: Vec<Timer>,
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
        Session {
            app,
            terminal,
            client,
            tx,
            rx,
            in_flight: 0,
            timers: Vec::new(),
            calls: 0,
            subscriptions: Vec::new(),
        }
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
        self.start(resize);
        let start = self.app.start();
        self.start(start);
        let mut frames = 0;
        loop {
            self.draw();
            frames += 1;
            if self.app.queue.loaded {
                break;
            }
            self.next_batch().await;
        }
        let page_drawn = began.elapsed();
        self.settle().await;
        FirstFrame { page_drawn, frames }
    }

    /// One key press, timed until its frame and until its answers are drawn.
    pub async fn press(&mut self, chord: KeyChord) -> Press {
        let began = Instant::now();
        let (cpu, calls) = (thread_cpu(), self.calls);
        let effects = update(&mut self.app, Msg::Key(chord));
        self.start(effects);
        self.draw();
        let frame = began.elapsed();
        let frame_cpu = thread_cpu().saturating_sub(cpu);
        self.settle().await;
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
        self.start(effects);
        self.draw();
        self.settle().await;
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
            if self.in_flight > 0 {
                self.next_batch().await;
            } else {
                let timer = self.timers.remove(0);
                let effects = update(&mut self.app, Msg::Timer(timer));
                self.start(effects);
            }
            if self.app.dirty {
                self.draw();
            }
        }
    }

    /// Waits for the next message, then takes whatever else already arrived (as the runtime
    /// does before drawing once).
    async fn next_batch(&mut self) {
        let msg = self.rx.recv().await.expect("the session holds a sender");
        self.take(msg);
        while let Ok(msg) = self.rx.try_recv() {
            self.take(msg);
        }
    }

    fn take(&mut self, msg: Msg) {
        if matches!(msg, Msg::Answer { .. } | Msg::Subscribed | Msg::HubLost(_)) {
            self.in_flight -= 1;
        }
        let effects = update(&mut self.app, msg);
        self.start(effects);
    }

    fn start(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            self.start_one(effect);
        }
    }

    fn start_one(&mut self, effect: Effect) {
        let (client, tx) = (self.client.clone(), self.tx.clone());
        match effect {
            Effect::Call { tag, request } => {
                self.in_flight += 1;
                self.calls += 1;
                tokio::spawn(async move {
                    let result = client.call(request).await.map_err(CallFailure::from);
                    let _ = tx.send(Msg::Answer { tag, result });
                });
            }
            Effect::Chain { tag, requests } => {
                self.in_flight += 1;
                self.calls += requests.len();
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
            Effect::After { timer, .. } => self.timers.push(timer),
            Effect::Subscribe => {
                self.in_flight += 1;
                let task = tokio::spawn(switchboard::ui::runtime::forward_events(client, tx));
                self.subscriptions.push(task);
            }
        }
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
