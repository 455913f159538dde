//! sled implementation (stub: being written).
pub struct SledStore;
