//! Graph API timestamps: `2021-07-23T09:50:48+0000` (an offset without a colon, which RFC
//! 3339 parsers refuse), and the RFC 3339 form some fields use.

use chrono::{DateTime, Utc};

/// A Graph timestamp, in either form.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%z")
        .or_else(|_| DateTime::parse_from_rfc3339(text))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_parse() {
        let want: DateTime<Utc> = "2021-07-23T09:50:48Z".parse().unwrap();
        assert_eq!(parse("2021-07-23T09:50:48+0000"), Some(want));
        assert_eq!(parse("2021-07-23T11:50:48+02:00"), Some(want));
        assert_eq!(parse("yesterday"), None);
    }
}
