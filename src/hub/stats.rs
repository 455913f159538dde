//! `Request::Stats` inside the hub: the report of a window (`reports::stats`) within what
//! the caller sees. Any member may ask; the scope decides what it counts.

use chrono::{DateTime, Utc};

use super::core::store_error;
use super::protocol::{ErrorKind, Response, WireError};
use super::Hub;
use crate::reports::{self, Window};
use crate::team::Scope;

impl Hub {
    /// The caller's report of `[since, until)`, `until` defaulting to now.
    pub(super) fn stats(
        &self,
        scope: &Scope,
        (since, until): (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let window = Window::new(since, until, now).map_err(|message| WireError {
            kind: ErrorKind::BadRequest,
            message,
        })?;
        let report = reports::stats(&*self.store, scope, window).map_err(store_error)?;
        Ok(Response::Stats(report))
    }
}
