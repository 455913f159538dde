//! A connector's own sync cursor, kept as JSON text in the store: read back leniently (an
//! absent or unreadable cursor is a first sync, so a cursor from an older build, or a broken
//! one, costs a re-read of the recent backlog, never a stuck account; ingest keeps one copy
//! of what is read again) and written compactly. Each connector's `cursor` module owns its
//! fields; this owns the round trip they all share.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The cursor in `stored`, or a fresh one (logged) when there is none or it cannot be read.
pub fn read<T: DeserializeOwned + Default>(stored: Option<&str>, platform: &str) -> T {
    let Some(text) = stored else {
        return T::default();
    };
    serde_json::from_str(text).unwrap_or_else(|e| {
        tracing::warn!(error = %e, platform, "unreadable sync cursor: reading the backlog again");
        T::default()
    })
}

/// The cursor as the text to store.
pub fn write<T: Serialize>(cursor: &T) -> String {
    serde_json::to_string(cursor).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, serde::Deserialize, Serialize)]
    struct Marks {
        since: Option<String>,
    }

    #[test]
    fn absent_or_broken_cursors_start_afresh_and_good_ones_round_trip() {
        assert_eq!(read::<Marks>(None, "x"), Marks::default());
        assert_eq!(read::<Marks>(Some("{not json"), "x"), Marks::default());
        let marks = Marks {
            since: Some("42".into()),
        };
        assert_eq!(read::<Marks>(Some(&write(&marks)), "x"), marks);
    }
}
