//! Pagination by `Link` headers (RFC 8288, as Mastodon sends them), and the rule every
//! connector follows with any URL a platform hands back: it must point at the configured
//! `api_base`'s own scheme, host and port, or it is not followed. A test never leaves
//! loopback, and a hostile payload cannot send the hub to another host with its token.

use reqwest::Url;

/// The `rel="next"` target of a `Link` header, if any.
pub fn next_link(link_header: &str) -> Option<String> {
    link_header.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        let is_next = params.split(';').any(|param| {
            param.split_once('=').is_some_and(|(k, v)| {
                k.trim() == "rel"
                    && v.trim()
                        .trim_matches('"')
                        .split_whitespace()
                        .any(|r| r == "next")
            })
        });
        is_next.then(|| target.to_string())
    })
}

/// Whether `url` points at the same origin (scheme, host, port) as `base`.
pub fn same_origin(base: &str, url: &str) -> bool {
    match (Url::parse(base), Url::parse(url)) {
        (Ok(base), Ok(url)) => {
            base.scheme() == url.scheme()
                && base.host_str() == url.host_str()
                && base.port_or_known_default() == url.port_or_known_default()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_found_among_other_relations() {
        let header = r#"<https://social.example/api/v1/notifications?max_id=108>; rel="next", <https://social.example/api/v1/notifications?min_id=110>; rel="prev""#;
        assert_eq!(
            next_link(header).as_deref(),
            Some("https://social.example/api/v1/notifications?max_id=108")
        );
        assert_eq!(next_link(r#"<https://a/x>; rel="prev""#), None);
        assert_eq!(next_link("garbage"), None);
        assert_eq!(
            next_link(r#"<https://a/x>; rel="next last""#).as_deref(),
            Some("https://a/x")
        );
    }

    #[test]
    fn only_the_configured_origin_is_followed() {
        let base = "http://127.0.0.1:8080/";
        assert!(same_origin(base, "http://127.0.0.1:8080/api/v1/x?max_id=1"));
        assert!(!same_origin(base, "http://127.0.0.1:9090/api/v1/x"));
        assert!(!same_origin(base, "https://mastodon.social/api/v1/x"));
        assert!(!same_origin(base, "not a url"));
        assert!(same_origin("https://h.example", "https://h.example:443/a"));
    }
}
