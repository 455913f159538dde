//! Short human forms of a report's figures, shared by `switchboard stats` and the
//! dashboard: `45s`, `12m`, `3h05m`, `2d04h`, `—` for no figure, `87%`.

/// A duration in seconds, to two units at most.
pub fn duration(seconds: Option<i64>) -> String {
    let Some(secs) = seconds else {
        return "—".into();
    };
    let secs = secs.max(0);
    let (m, h, d) = (secs / 60, secs / 3600, secs / 86_400);
    match secs {
        _ if secs < 60 => format!("{secs}s"),
        _ if secs < 3600 => format!("{m}m"),
        _ if secs < 86_400 => format!("{h}h{:02}m", m % 60),
        _ => format!("{d}d{:02}h", h % 24),
    }
}

/// A percentage without decimals, `—` when there is none.
pub fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".into(), |p| format!("{p:.0}%"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_two_units_at_most() {
        assert_eq!(duration(None), "—");
        assert_eq!(duration(Some(45)), "45s");
        assert_eq!(duration(Some(720)), "12m");
        assert_eq!(duration(Some(3 * 3600 + 5 * 60 + 9)), "3h05m");
        assert_eq!(duration(Some(2 * 86_400 + 4 * 3600)), "2d04h");
        assert_eq!(percent(Some(100.0 / 3.0)), "33%");
        assert_eq!(percent(None), "—");
    }
}
