//! Schema versions (stub).
pub const SCHEMA_VERSION: u32 = 1;
