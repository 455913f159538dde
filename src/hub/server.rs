//! The hub behind a Unix socket: accepts clients, learns who they are from the kernel
//! (SO_PEERCRED), and serves each connection's requests in order while pushing events.
//!
//! A client that stops reading can only fill its own bounded queue: events it cannot take are
//! counted and replaced by one `lagged` event, and a write that stalls disconnects it. No client
//! can block the hub or the others.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::mpsc;

use super::protocol::{
    ErrorKind, Event, Frame, FrameBody, Request, Welcome, WireError, PROTOCOL_VERSION,
};
use super::Hub;
use crate::model::Actor;

/// Longest line accepted from a client (an ingest batch with raw payloads).
pub const MAX_LINE: u64 = 64 * 1024 * 1024;
/// Lines queued for one client before events are dropped for it.
const CLIENT_QUEUE: usize = 1024;
/// A write that takes longer than this disconnects the client.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the socket could not be served.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("another hub is already serving on {0}")]
    AlreadyServing(PathBuf),
    #[error("cannot serve on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("socket group '{0}' does not exist")]
    NoSuchGroup(String),
}

/// A running socket server; stops accepting and removes the socket file when dropped.
pub struct Server {
    path: PathBuf,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
        let _ = std::fs::remove_file(&self.path);
    }
}

impl Server {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Binds the socket (replacing a stale one) and starts accepting clients.
pub async fn serve(hub: Arc<Hub>, path: &Path, group: Option<&str>) -> Result<Server, ServeError> {
    let io = |source| ServeError::Io {
        path: path.to_path_buf(),
        source,
    };
    if path.exists() {
        if UnixStream::connect(path).await.is_ok() {
            return Err(ServeError::AlreadyServing(path.to_path_buf()));
        }
        std::fs::remove_file(path).map_err(io)?;
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let listener = UnixListener::bind(path).map_err(io)?;
    restrict(path, group)?;
    tracing::info!(socket = %path.display(), "hub serving");
    let task = tokio::spawn(accept_loop(hub, listener));
    Ok(Server {
        path: path.to_path_buf(),
        task,
    })
}

/// Mode 0600, or 0660 owned by the shared group.
fn restrict(path: &Path, group: Option<&str>) -> Result<(), ServeError> {
    let io = |source| ServeError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mode = if group.is_some() { 0o660 } else { 0o600 };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(io)?;
    if let Some(group) = group {
        let gid = super::identity::group_id(group)
            .ok_or_else(|| ServeError::NoSuchGroup(group.to_string()))?;
        std::os::unix::fs::chown(path, None, Some(gid)).map_err(io)?;
    }
    Ok(())
}

async fn accept_loop(hub: Arc<Hub>, listener: UnixListener) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let hub = Arc::clone(&hub);
                tokio::spawn(async move {
                    if let Err(e) = serve_client(hub, stream).await {
                        tracing::info!(error = %e, "client connection ended");
                    }
                });
            }
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

async fn serve_client(hub: Arc<Hub>, stream: UnixStream) -> std::io::Result<()> {
    let uid = stream.peer_cred()?.uid();
    let (read, write) = stream.into_split();
    let (out, out_rx) = mpsc::channel::<String>(CLIENT_QUEUE);
    let writer = tokio::spawn(write_lines(write, out_rx));
    let mut reader = BufReader::new(read);
    let result = converse(&hub, uid, &mut reader, &out).await;
    drop(out);
    let _ = writer.await;
    result
}

async fn converse(
    hub: &Arc<Hub>,
    uid: u32,
    reader: &mut BufReader<tokio::net::unix::OwnedReadHalf>,
    out: &mpsc::Sender<String>,
) -> std::io::Result<()> {
    let Some(first) = read_frame(reader, out).await? else {
        return Ok(());
    };
    let client = match first.body {
        FrameBody::Hello(hello) if first.v == PROTOCOL_VERSION => hello.client,
        FrameBody::Hello(_) => {
            let message = format!("this hub speaks protocol v{PROTOCOL_VERSION}, the client v{}; use the same switchboard version", first.v);
            send(
                out,
                None,
                FrameBody::Err(WireError {
                    kind: ErrorKind::Version,
                    message,
                }),
            )
            .await;
            return Ok(());
        }
        _ => {
            send(out, None, bad("the first line must be a hello frame")).await;
            return Ok(());
        }
    };
    let unix_user = super::identity::user_name(uid);
    let member = match hub.identify(uid, &unix_user) {
        Ok(member) => member,
        Err(refusal) => {
            send(out, None, FrameBody::Err(refusal)).await;
            return Ok(());
        }
    };
    let actor = Actor::new(member.name.clone(), client);
    tracing::info!(user = %actor.user, unix_user, client = %actor.client, "client attached");
    let guard = hub.join(&actor);
    let session = guard.session();
    let actor = actor.in_session(session);
    let scope = hub.scope_of(&member);
    send(
        out,
        None,
        FrameBody::Welcome(Welcome::new(&member, session)),
    )
    .await;
    let mut events: Option<tokio::task::JoinHandle<()>> = None;
    while let Some(frame) = read_frame(reader, out).await? {
        let FrameBody::Req(request) = frame.body else {
            send(out, frame.id, bad("expected a req frame")).await;
            continue;
        };
        if matches!(request, Request::Subscribe) && events.is_none() {
            let feed = hub.event_feed(scope.clone()).with_user(&actor.user);
            events = Some(tokio::spawn(forward_events(feed, out.clone())));
        }
        let body = answer(hub, session, &actor, request).await;
        if !send(out, frame.id, body).await {
            break;
        }
    }
    if let Some(task) = events {
        task.abort();
    }
    Ok(())
}

async fn answer(hub: &Arc<Hub>, session: u64, actor: &Actor, request: Request) -> FrameBody {
    match hub.answer(session, actor, request).await {
        Ok(response) => FrameBody::Ok(response),
        Err(e) => FrameBody::Err(e),
    }
}

/// Reads one frame; answers malformed lines with an error and keeps going. `None` at EOF.
async fn read_frame(
    reader: &mut BufReader<tokio::net::unix::OwnedReadHalf>,
    out: &mpsc::Sender<String>,
) -> std::io::Result<Option<Frame>> {
    loop {
        let mut line = Vec::new();
        let n = reader
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut line)
            .await?;
        if n == 0 {
            return Ok(None);
        }
        if line.len() as u64 > MAX_LINE {
            send(
                out,
                None,
                bad(&format!("line longer than {MAX_LINE} bytes")),
            )
            .await;
            return Ok(None);
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Frame>(&line) {
            Ok(frame) => return Ok(Some(frame)),
            Err(e) => {
                send(out, None, bad(&format!("malformed frame: {e}"))).await;
            }
        }
    }
}

async fn forward_events(mut feed: super::EventFeed, out: mpsc::Sender<String>) {
    let mut missed = 0u64;
    loop {
        let Some(event) = feed.next().await else {
            return;
        };
        if missed > 0 {
            match out.try_send(frame_line(None, FrameBody::Event(Event::Lagged { missed }))) {
                Ok(()) => missed = 0,
                Err(mpsc::error::TrySendError::Full(_)) => {}
                Err(mpsc::error::TrySendError::Closed(_)) => return,
            }
        }
        let extra = match &event {
            Event::Lagged { missed } => *missed,
            _ => 1,
        };
        match out.try_send(frame_line(None, FrameBody::Event(event))) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => missed += extra,
            Err(mpsc::error::TrySendError::Closed(_)) => return,
        }
    }
}

async fn write_lines(
    mut write: tokio::net::unix::OwnedWriteHalf,
    mut lines: mpsc::Receiver<String>,
) {
    while let Some(line) = lines.recv().await {
        match tokio::time::timeout(WRITE_TIMEOUT, write.write_all(line.as_bytes())).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) | Err(_) => {
                tracing::warn!("client stopped reading; disconnecting it");
                return;
            }
        }
    }
}

/// Queues a frame for the client. False when the client is gone.
async fn send(out: &mpsc::Sender<String>, id: Option<u64>, body: FrameBody) -> bool {
    out.send(frame_line(id, body)).await.is_ok()
}

pub(super) fn frame_line(id: Option<u64>, body: FrameBody) -> String {
    let frame = Frame {
        v: PROTOCOL_VERSION,
        id,
        body,
    };
    let mut line = serde_json::to_string(&frame).unwrap_or_else(|e| {
        format!(r#"{{"v":{PROTOCOL_VERSION},"err":{{"kind":"internal","message":"cannot encode answer: {e}"}}}}"#)
    });
    line.push('\n');
    line
}

fn bad(message: &str) -> FrameBody {
    FrameBody::Err(WireError {
        kind: ErrorKind::BadRequest,
        message: message.to_string(),
    })
}
