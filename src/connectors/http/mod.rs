//! The HTTP layer every platform connector shares: the client that calls one account's
//! platform ([`client`]: timeouts, retries, rate limits, errors), reading a platform's
//! rate-limit signals ([`limits`]), following its pagination without ever leaving its host
//! ([`paging`]), and the backoff between retries ([`backoff`]).

pub mod backoff;
pub mod client;
pub mod limits;
pub mod paging;

pub use backoff::Backoff;
pub use client::{Answer, Call, HttpClient, HttpOptions};
pub use limits::{Budget, RateLimit};
pub use paging::{next_link, same_origin};
