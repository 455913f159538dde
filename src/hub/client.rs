//! The client side of the hub: one [`HubClient`] whether the hub runs in this process or
//! behind the Unix socket, so every CLI verb and the TUI are written once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixStream;
use tokio::sync::{mpsc, oneshot};

use super::core::ClientGuard;
use super::protocol::{
    ErrorKind, Event, Frame, FrameBody, Hello, Request, Response, Welcome, WireError,
    PROTOCOL_VERSION,
};
use super::server::frame_line;
use super::Hub;
use crate::model::Actor;
use crate::team::Member;

/// Why a call did not get an answer.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The hub answered with a refusal or failure.
    #[error(transparent)]
    Hub(#[from] WireError),
    /// The connection to the hub broke.
    #[error("lost the connection to the hub: {0}")]
    Disconnected(String),
}

/// Calls waiting for their answer, by request id.
type Pending = Arc<Mutex<HashMap<u64, oneshot::Sender<Result<Response, WireError>>>>>;

/// Events buffered per subscription before the oldest are dropped (the TUI reloads on `Lagged`).
const EVENT_QUEUE: usize = 4096;
/// How long the hub may take to answer `hello`.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

/// A handle on the hub. Cheap to clone; clones share one connection.
#[derive(Clone)]
pub struct HubClient {
    inner: Arc<Inner>,
}

enum Inner {
    Local(Local),
    Remote(Remote),
}

struct Local {
    hub: Arc<Hub>,
    actor: Actor,
    /// What a socket client would have been told: the member and the presence session.
    welcome: Welcome,
    /// The socket this process also serves the hub on, if it does.
    serving: Option<PathBuf>,
    _guard: ClientGuard,
}

struct Remote {
    socket: PathBuf,
    welcome: Welcome,
    outgoing: mpsc::Sender<String>,
    pending: Pending,
    subscribers: Arc<Mutex<Vec<mpsc::Sender<Event>>>>,
    next_id: AtomicU64,
}

impl HubClient {
    /// A client of a hub in this process, acting as `actor`.
    pub fn local(hub: Arc<Hub>, actor: Actor) -> HubClient {
        HubClient::hosting(hub, actor, None)
    }

    /// A client of a hub in this process that also serves other clients on `serving`.
    pub fn hosting(hub: Arc<Hub>, actor: Actor, serving: Option<PathBuf>) -> HubClient {
        let guard = hub.join(&actor);
        let actor = actor.in_session(guard.session());
        let member = hub
            .member_of(&actor)
            .unwrap_or_else(|_| Member::open(&actor.user));
        let welcome = Welcome::new(&member, guard.session());
        HubClient {
            inner: Arc::new(Inner::Local(Local {
                hub,
                actor,
                welcome,
                serving,
                _guard: guard,
            })),
        }
    }

    /// Connects to a hub's socket and says hello as `client` (`cli`, `tui`, ...).
    pub async fn connect(socket: &Path, client: &str) -> Result<HubClient, ClientError> {
        let disconnected =
            |e: std::io::Error| ClientError::Disconnected(format!("{}: {e}", socket.display()));
        let stream = UnixStream::connect(socket).await.map_err(disconnected)?;
        let (read, mut write) = stream.into_split();
        let hello = frame_line(
            None,
            FrameBody::Hello(Hello {
                client: client.to_string(),
            }),
        );
        write
            .write_all(hello.as_bytes())
            .await
            .map_err(disconnected)?;
        let mut reader = BufReader::new(read);
        let welcome = tokio::time::timeout(HANDSHAKE_TIMEOUT, read_frame(&mut reader))
            .await
            .map_err(|_| {
                ClientError::Disconnected(format!(
                    "{}: the hub did not answer within {HANDSHAKE_TIMEOUT:?}",
                    socket.display()
                ))
            })?
            .map_err(disconnected)?;
        let welcome = match welcome.map(|f| (f.v, f.body)) {
            Some((v, FrameBody::Welcome(_))) if v != PROTOCOL_VERSION => {
                return Err(ClientError::Hub(WireError {
                    kind: ErrorKind::Version,
                    message: format!("the hub on {} speaks protocol v{v}, this client v{PROTOCOL_VERSION}; use the same switchboard version", socket.display()),
                }))
            }
            Some((_, FrameBody::Welcome(w))) => w,
            Some((_, FrameBody::Err(e))) => return Err(ClientError::Hub(e)),
            _ => return Err(ClientError::Disconnected(format!("{}: unexpected answer to hello", socket.display()))),
        };
        Ok(HubClient {
            inner: Arc::new(Inner::Remote(Remote::start(socket, welcome, reader, write))),
        })
    }

    /// Sends one request and waits for its answer.
    pub async fn call(&self, request: Request) -> Result<Response, ClientError> {
        match &*self.inner {
            Inner::Local(local) => {
                let session = local._guard.session();
                local
                    .hub
                    .answer(session, &local.actor, request)
                    .await
                    .map_err(ClientError::Hub)
            }
            Inner::Remote(remote) => remote.call(request).await,
        }
    }

    /// Subscribes to hub events (changes made by anyone). Each call is a new subscription.
    pub async fn subscribe(&self) -> Result<mpsc::Receiver<Event>, ClientError> {
        let (tx, rx) = mpsc::channel(EVENT_QUEUE);
        match &*self.inner {
            Inner::Local(local) => {
                let scope = local
                    .hub
                    .member_scope(&local.actor)
                    .map_err(ClientError::Hub)?;
                let mut feed = local.hub.event_feed(scope).with_user(&local.actor.user);
                tokio::spawn(async move {
                    while let Some(event) = feed.next().await {
                        if tx.send(event).await.is_err() {
                            return;
                        }
                    }
                });
            }
            Inner::Remote(remote) => {
                remote
                    .subscribers
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(tx);
                remote.call(Request::Subscribe).await?;
            }
        }
        Ok(rx)
    }

    /// The user the hub says we are.
    pub fn user(&self) -> &str {
        &self.welcome().user
    }

    /// Who the hub says we are (name, display name, role) and our presence session; built
    /// the same way for a hub in this process.
    pub fn welcome(&self) -> &Welcome {
        match &*self.inner {
            Inner::Local(local) => &local.welcome,
            Inner::Remote(remote) => &remote.welcome,
        }
    }

    /// `socket PATH` or `in-process`, for the status bar.
    pub fn connection(&self) -> String {
        match &*self.inner {
            Inner::Local(Local { serving: None, .. }) => "in-process".to_string(),
            Inner::Local(Local {
                serving: Some(path),
                ..
            }) => format!("in-process, serving {}", path.display()),
            Inner::Remote(remote) => format!("socket {}", remote.socket.display()),
        }
    }
}

impl Remote {
    fn start(
        socket: &Path,
        welcome: Welcome,
        reader: BufReader<tokio::net::unix::OwnedReadHalf>,
        mut write: tokio::net::unix::OwnedWriteHalf,
    ) -> Remote {
        let (outgoing, mut lines) = mpsc::channel::<String>(256);
        tokio::spawn(async move {
            while let Some(line) = lines.recv().await {
                if write.write_all(line.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
        let remote = Remote {
            socket: socket.to_path_buf(),
            welcome,
            outgoing,
            pending: Arc::default(),
            subscribers: Arc::default(),
            next_id: AtomicU64::new(1),
        };
        tokio::spawn(dispatch(
            reader,
            Arc::clone(&remote.pending),
            Arc::clone(&remote.subscribers),
        ));
        remote
    }

    async fn call(&self, request: Request) -> Result<Response, ClientError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, tx);
        let line = frame_line(Some(id), FrameBody::Req(request));
        let gone = || {
            ClientError::Disconnected(format!(
                "{}: the hub closed the connection",
                self.socket.display()
            ))
        };
        self.outgoing.send(line).await.map_err(|_| gone())?;
        rx.await.map_err(|_| gone())?.map_err(ClientError::Hub)
    }
}

/// Routes the hub's frames: answers to their waiting calls, events to every subscription.
async fn dispatch(
    mut reader: BufReader<tokio::net::unix::OwnedReadHalf>,
    pending: Pending,
    subscribers: Arc<Mutex<Vec<mpsc::Sender<Event>>>>,
) {
    while let Ok(Some(frame)) = read_frame(&mut reader).await {
        let answer = match frame.body {
            FrameBody::Ok(response) => Ok(response),
            FrameBody::Err(e) => Err(e),
            FrameBody::Event(event) => {
                let mut subs = subscribers.lock().unwrap_or_else(|e| e.into_inner());
                subs.retain(|tx| {
                    !matches!(
                        tx.try_send(event.clone()),
                        Err(mpsc::error::TrySendError::Closed(_))
                    )
                });
                continue;
            }
            _ => continue,
        };
        let waiter = frame.id.and_then(|id| {
            pending
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&id)
        });
        match waiter {
            Some(tx) => {
                let _ = tx.send(answer);
            }
            None => {
                if let Err(e) = answer {
                    tracing::warn!(error = %e, "hub reported an error outside any call");
                }
            }
        }
    }
    // Connection gone: every waiting call fails (its sender drops), subscriptions end.
    pending.lock().unwrap_or_else(|e| e.into_inner()).clear();
    subscribers
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
}

async fn read_frame(
    reader: &mut BufReader<tokio::net::unix::OwnedReadHalf>,
) -> std::io::Result<Option<Frame>> {
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        if line.trim().is_empty() {
            continue;
        }
        match parse_frame(&line) {
            Ok(Some(frame)) => return Ok(Some(frame)),
            Ok(None) => continue,
            Err(e) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("malformed frame from the hub: {e}"),
                ))
            }
        }
    }
}

/// One line from the hub; `None` for an event of a kind this build does not know (a newer
/// hub's additive event is skipped, not taken for a broken connection).
fn parse_frame(line: &str) -> Result<Option<Frame>, serde_json::Error> {
    match serde_json::from_str(line) {
        Ok(frame) => Ok(Some(frame)),
        Err(e) => match serde_json::from_str::<serde_json::Value>(line) {
            Ok(value) if value.get("event").is_some() => {
                tracing::debug!(error = %e, "skipped an event this client does not know");
                Ok(None)
            }
            _ => Err(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::parse_frame;

    #[test]
    fn an_unknown_event_is_skipped_and_a_broken_frame_is_not() {
        let unknown = r#"{"v":1,"event":{"type":"from_the_future","x":1}}"#;
        assert!(parse_frame(unknown).unwrap().is_none());
        let known = r#"{"v":1,"event":{"type":"lagged","missed":3}}"#;
        assert!(parse_frame(known).unwrap().is_some());
        assert!(parse_frame(r#"{"v":1,"ok":{"type":"nonsense"}}"#).is_err());
        assert!(parse_frame("not json").is_err());
    }
}
