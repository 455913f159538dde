//! PLACEHOLDER until the real sanitizer lands from the `query` branch.
use std::borrow::Cow;
pub fn sanitize(s: &str) -> Cow<'_, str> {
    Cow::Owned(
        s.chars()
            .filter(|c| !c.is_control() || *c == '\n')
            .collect(),
    )
}
pub fn one_line(s: &str, max_cols: usize) -> String {
    s.lines()
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(max_cols)
        .collect()
}
pub fn pad_to(s: &str, cols: usize) -> String {
    format!("{s:<cols$}")
}
