//! The HTTP layer every platform connector shares: the client that calls one account's
//! platform ([`client`]: timeouts, retries, rate limits, errors), reading a platform's
//! rate-limit signals ([`limits`]), following its pagination without ever leaving its host
//! ([`paging`]), the backoff between retries ([`backoff`]), and ids checked before they go
//! into a path ([`ids`]).

pub mod backoff;
pub mod client;
pub mod ids;
pub mod limits;
pub mod paging;

pub use backoff::Backoff;
pub use client::{Answer, Call, HttpClient, HttpOptions};
pub use ids::{checked_id, made_of, word_byte};
pub use limits::{Budget, RateLimit};
pub use paging::{next_link, same_origin};
