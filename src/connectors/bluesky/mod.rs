//! The bluesky connector (being written: see issue 5).

pub mod chat;

use std::sync::Arc;

use super::http::HttpOptions;
use super::{Connector, ConnectorError};
use crate::config::AccountConfig;

/// A connector for a bluesky account.
pub fn connect(
    account: &AccountConfig,
    options: HttpOptions,
) -> Result<Arc<dyn Connector>, ConnectorError> {
    let _ = (account, options);
    Err(ConnectorError::Unsupported(
        "the bluesky connector is not built yet".into(),
    ))
}
