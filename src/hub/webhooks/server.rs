//! The HTTP/1 plumbing of the endpoint (hyper): bind exactly the configured address, accept
//! connections (at most [`MAX_CONNECTIONS`] at once; a slow client gets
//! [`HEADER_TIMEOUT`] for its headers and [`BODY_TIMEOUT`] for its body, and no connection
//! lives past [`CONNECTION_LIFETIME`], so idle ones cannot hold every slot), read a delivery's
//! body up to [`MAX_BODY`] (413 beyond), and hand the request to the [`Endpoint`].
//!
//! Plain HTTP only: TLS and the public URL Meta and X call are a reverse proxy's job.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::endpoint::{query_pairs, Answer, Endpoint, Route};

/// The largest body read (1 MiB); a larger one is refused with 413.
pub const MAX_BODY: usize = 1024 * 1024;
/// Connections served at once; more wait for a slot.
pub const MAX_CONNECTIONS: usize = 64;
/// How long a client may take to send its headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may take to send its body.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one connection is kept, however busy (Meta and X open new ones as they need).
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(60);

/// Binds `addr` (errors name it).
pub fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let listener = std::net::TcpListener::bind(addr)?;
    listener.set_nonblocking(true)?;
    TcpListener::from_std(listener)
}

/// Serves `endpoint` on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, endpoint: Arc<Endpoint>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!(error = %e, "webhook endpoint: accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let endpoint = Arc::clone(&endpoint);
        tokio::spawn(async move {
            let _slot = slot;
            let service = hyper::service::service_fn(move |request| {
                let endpoint = Arc::clone(&endpoint);
                async move { Ok::<_, Infallible>(respond(&endpoint, request).await) }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            match tokio::time::timeout(CONNECTION_LIFETIME, connection).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::debug!(%peer, error = %e, "webhook connection ended"),
                Err(_) => tracing::debug!(%peer, "webhook connection closed after its lifetime"),
            }
        });
    }
}

async fn respond(endpoint: &Endpoint, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let answer = answer(endpoint, request).await;
    Response::builder()
        .status(answer.status)
        .header("content-type", answer.content_type)
        .header("cache-control", "no-store")
        .body(Full::new(Bytes::from(answer.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

async fn answer(endpoint: &Endpoint, request: Request<Incoming>) -> Answer {
    let Some(route) = endpoint.route(request.uri().path()) else {
        return Answer::not_found();
    };
    match *request.method() {
        Method::GET => endpoint.check(&route, &query_pairs(request.uri().query())),
        Method::POST => {
            endpoint.received();
            let name = match route {
                Route::Meta => "meta",
                Route::X => "x",
            };
            let header = match route {
                Route::Meta => "x-hub-signature-256",
                Route::X => "x-twitter-webhooks-signature",
            };
            let signature = request
                .headers()
                .get(header)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            match read_body(request).await {
                Ok(body) => endpoint.deliver(&route, signature.as_deref(), &body),
                Err((status, why)) => endpoint.reject(name, status, why),
            }
        }
        _ => Answer::not_found(),
    }
}

/// The whole body, or the status and reason it was refused with.
async fn read_body(request: Request<Incoming>) -> Result<Bytes, (u16, &'static str)> {
    let too_large = (413, "body larger than 1 MiB");
    let declared = request
        .headers()
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large);
    }
    let limited = Limited::new(request.into_body(), MAX_BODY);
    match tokio::time::timeout(BODY_TIMEOUT, limited.collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(too_large),
        Ok(Err(_)) => Err((400, "body not read")),
        Err(_) => Err((408, "body not sent in time")),
    }
}
