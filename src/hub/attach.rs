//! Getting a [`HubClient`]: attach to the hub serving the socket, or host one in this process
//! on the same data directory when none runs.
//!
//! sled lets one process own a database. So: try the socket; else open the store; if another
//! process holds it (a short CLI verb, or a hub still starting), wait a little for it to let go
//! or to start serving; then say plainly which process holds it. Never hang, never corrupt.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::client::{ClientError, HubClient};
use super::owner::{self, OwnerGuard};
use super::server::{self, ServeError, Server};
use super::Hub;
use crate::config::{Config, Paths};
use crate::model::Actor;
use crate::responses::policy::ReplyPolicy;
use crate::store::{SledStore, Store, StoreError};

/// How to attach.
#[derive(Clone, Debug)]
pub struct AttachOptions {
    /// Our client name for the audit (`cli`, `tui`, `demo`).
    pub client: String,
    /// When hosting in-process, also serve the socket so other processes can attach
    /// (long-running clients: the TUI, the demo).
    pub serve_socket: bool,
    /// How long to wait for a store held by another process.
    pub wait: Duration,
}

impl AttachOptions {
    pub fn cli() -> AttachOptions {
        AttachOptions {
            client: "cli".into(),
            serve_socket: false,
            wait: Duration::from_secs(5),
        }
    }
}

/// Why no hub could be reached or hosted.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error("the store {store} is held by {holder}; it does not answer on {socket}. Wait for it to finish, or stop it")]
    Held {
        store: String,
        holder: String,
        socket: PathBuf,
    },
    #[error("no hub answers on {socket} ({reason}); is `switchboard serve` running there, and are you in its socket group?")]
    NoHub { socket: PathBuf, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Serve(#[from] ServeError),
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("cannot create {path}: {source}")]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A client plus, when this process hosts the hub, what keeps it running.
pub struct Attached {
    pub client: HubClient,
    pub hosted: Option<Hosted>,
}

/// A hub hosted by this process: the hub, its socket server (if any) and the owner record.
pub struct Hosted {
    pub hub: Arc<Hub>,
    pub server: Option<Server>,
    _owner: OwnerGuard,
}

impl Hosted {
    /// Gives the hub these connectors and delivers the outbox through them, until the
    /// returned tasks are dropped (the demo: the simulator's connectors, no sync).
    pub fn start_delivery(&self, connectors: crate::connectors::Connectors) -> PlatformTasks {
        self.hub
            .install_platforms(super::sync::Platforms::of(connectors));
        let delivery = tokio::spawn(super::outbox::deliver_forever(Arc::clone(&self.hub)));
        PlatformTasks(vec![delivery], None)
    }

    /// Delivers the outbox through the connectors already installed, until the returned
    /// tasks are dropped (a command that queues a step and waits for it).
    pub fn start_outbox(&self) -> PlatformTasks {
        PlatformTasks(
            vec![tokio::spawn(super::outbox::deliver_forever(Arc::clone(
                &self.hub,
            )))],
            None,
        )
    }

    /// Connectors for the configured `[[accounts]]`: the outbox delivers through them and
    /// every account syncs in the background, woken early by the webhook endpoint when
    /// `[webhooks] listen` is set, until the returned tasks are dropped. An endpoint that
    /// cannot listen is logged and reported by the hub's status (`serve` refuses to run so).
    pub fn start_platforms(&self, config: &Config) -> PlatformTasks {
        self.hub
            .install_platforms(super::sync::Platforms::from_config(config));
        let mut tasks = vec![tokio::spawn(super::outbox::deliver_forever(Arc::clone(
            &self.hub,
        )))];
        tasks.extend(super::sync::start(&self.hub, config));
        let webhooks = super::webhooks::start(&self.hub, config).unwrap_or_else(|e| {
            tracing::error!(error = %e, "webhook endpoint not started; polling only");
            None
        });
        PlatformTasks(tasks, webhooks)
    }

    /// Delivers notices to their channels (see `crate::notify`), until the returned task is
    /// dropped.
    pub fn start_notifications(&self) -> PlatformTasks {
        PlatformTasks(
            vec![tokio::spawn(crate::notify::deliver_forever(Arc::clone(
                &self.hub,
            )))],
            None,
        )
    }

    /// Starts the shift clock (see `hub::shifts`), for as long as the process runs.
    pub fn start_shifts(&self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(super::shifts::keep_forever(Arc::clone(&self.hub)))
    }

    /// Starts the SLA clock (see `hub::sla_clock`), for as long as the process runs.
    pub fn start_sla_clock(&self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(super::sla_clock::keep_forever(Arc::clone(&self.hub)))
    }
}

/// Background platform work (delivery, sync, the webhook endpoint): stopped when dropped.
pub struct PlatformTasks(
    Vec<tokio::task::JoinHandle<()>>,
    Option<super::webhooks::WebhookServer>,
);

impl PlatformTasks {
    /// Where the webhook endpoint listens, when these tasks include one.
    pub fn webhooks_addr(&self) -> Option<std::net::SocketAddr> {
        self.1.as_ref().map(|server| server.addr())
    }
}

impl Drop for PlatformTasks {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// Which process holds the store, when the owner file names a live one.
pub fn describe_owner(paths: &Paths) -> Option<String> {
    owner::describe(&paths.owner_file)
}

/// The socket path the config asks for.
pub fn socket_path(paths: &Paths, config: &Config) -> PathBuf {
    config
        .hub
        .socket
        .clone()
        .unwrap_or_else(|| paths.default_socket.clone())
}

/// Attaches to the running hub or hosts one.
pub async fn attach(
    paths: &Paths,
    config: &Config,
    options: &AttachOptions,
) -> Result<Attached, AttachError> {
    let socket = socket_path(paths, config);
    let deadline = Instant::now() + options.wait;
    loop {
        if config.hub.attach_only {
            let client = HubClient::connect(&socket, &options.client)
                .await
                .map_err(|e| no_shared_hub(&socket, e))?;
            return Ok(Attached {
                client,
                hosted: None,
            });
        }
        if let Some(client) = try_socket(&socket, &options.client).await? {
            return Ok(Attached {
                client,
                hosted: None,
            });
        }
        match host(paths, config, options.serve_socket, "in-process").await {
            Ok(hosted) => {
                let member = hosted
                    .hub
                    .identify(
                        super::identity::current_uid(),
                        &super::identity::current_user(),
                    )
                    .map_err(ClientError::Hub)?;
                let actor = Actor::new(member.name, options.client.clone());
                let serving = hosted.server.as_ref().map(|s| s.path().to_path_buf());
                let client = HubClient::hosting(Arc::clone(&hosted.hub), actor, serving);
                return Ok(Attached {
                    client,
                    hosted: Some(hosted),
                });
            }
            Err(AttachError::Store(StoreError::Locked { path, .. }))
                if Instant::now() >= deadline =>
            {
                let holder = describe_owner(paths).unwrap_or_else(|| "another process".to_string());
                return Err(AttachError::Held {
                    store: path,
                    holder,
                    socket,
                });
            }
            Err(AttachError::Store(StoreError::Locked { .. })) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(other) => return Err(other),
        }
    }
}

/// Why the shared hub given by `--socket` cannot be reached, in words a CM can act on.
fn no_shared_hub(socket: &std::path::Path, error: ClientError) -> AttachError {
    match error {
        ClientError::Disconnected(reason) => AttachError::NoHub {
            socket: socket.to_path_buf(),
            reason,
        },
        other => other.into(),
    }
}

/// Connects if a hub answers on the socket. A refused or missing socket is `None`; a hub
/// that answers with an error (another protocol version) is an error.
async fn try_socket(
    socket: &std::path::Path,
    client: &str,
) -> Result<Option<HubClient>, AttachError> {
    if !socket.exists() {
        return Ok(None);
    }
    match HubClient::connect(socket, client).await {
        Ok(client) => Ok(Some(client)),
        Err(ClientError::Disconnected(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Opens the store and runs a hub on it in this process (`serve`, or a client with no hub).
pub async fn host(
    paths: &Paths,
    config: &Config,
    serve_socket: bool,
    mode: &str,
) -> Result<Hosted, AttachError> {
    std::fs::create_dir_all(&paths.data_dir).map_err(|source| AttachError::Dir {
        path: paths.data_dir.clone(),
        source,
    })?;
    let socket = socket_path(paths, config);
    if serve_socket && tokio::net::UnixStream::connect(&socket).await.is_ok() {
        return Err(ServeError::AlreadyServing(socket).into());
    }
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&paths.store_dir)?);
    let team = crate::team::Team::from_config(config);
    let hub = Arc::new(
        Hub::new(store, mode)
            .with_team(team, Some(paths.config_file.clone()))
            .with_reply_policy(ReplyPolicy::from_config(config))
            .with_config(config.clone()),
    );
    let server = if serve_socket {
        Some(
            server::serve(
                Arc::clone(&hub),
                &socket,
                config.hub.socket_group.as_deref(),
            )
            .await?,
        )
    } else {
        None
    };
    let owner =
        owner::claim(&paths.owner_file, server.as_ref().map(|s| s.path())).map_err(|source| {
            AttachError::Dir {
                path: paths.owner_file.clone(),
                source,
            }
        })?;
    Ok(Hosted {
        hub,
        server,
        _owner: owner,
    })
}
