//! The HTTP layer every platform connector shares: reading a platform's rate-limit signals
//! ([`limits`]), following its pagination without ever leaving its host ([`paging`]), and
//! the backoff between retries ([`backoff`]). Pure functions over headers and URLs, so each
//! platform's quirks are tested without a network.

pub mod backoff;
pub mod limits;
pub mod paging;

pub use backoff::Backoff;
pub use limits::{Budget, RateLimit};
pub use paging::{next_link, same_origin};
