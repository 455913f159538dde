//! The query language (stub: being written).
use chrono::{DateTime, Utc};

use super::{Item, Status};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("malformed query: {0}")]
pub struct QueryError(pub String);

pub struct MatchContext<'a> {
    pub me: &'a str,
    pub now: DateTime<Utc>,
}

impl Query {
    pub fn parse(_s: &str) -> Result<Query, QueryError> {
        Ok(Query {})
    }
    pub fn matches(&self, _item: &Item, _ctx: &MatchContext) -> bool {
        true
    }
    pub fn statuses(&self) -> Vec<Status> {
        Status::ALL.to_vec()
    }
}
