//! Demo simulator (stub: being written).
