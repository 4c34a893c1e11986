//! Times for test tokens: relative specs (`now`, `+1h`, `-30s`, an epoch) and their
//! rendering as ISO-8601 with a relative note (`in 5m`, `3h ago`).

/// Parses a time claim spec relative to `now` (Unix seconds): `now`, `+DURATION`,
/// `-DURATION` (`30s`, `1h30m`, `2d`), an absolute epoch (`1700000000`), an RFC 3339 time,
/// or `none` (the claim is left out: `Ok(None)`).
pub fn parse_time(spec: &str, now: i64) -> Result<Option<i64>, String> {
    let s = spec.trim();
    let bad = || {
        format!(
            "invalid time {spec:?}: use now, +DURATION or -DURATION (e.g. +1h, -30s), an epoch in seconds, an RFC 3339 time, or none"
        )
    };
    if s.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    if s.eq_ignore_ascii_case("now") {
        return Ok(Some(now));
    }
    if let Some((sign, rest)) = s
        .strip_prefix('+')
        .map(|r| (1, r))
        .or_else(|| s.strip_prefix('-').map(|r| (-1, r)))
    {
        let d = humantime::parse_duration(rest.trim()).map_err(|_| bad())?;
        let secs = i64::try_from(d.as_secs()).map_err(|_| bad())?;
        return now.checked_add(sign * secs).map(Some).ok_or_else(bad);
    }
    if let Ok(n) = s.parse::<i64>() {
        return Ok(Some(n));
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(Some(t.timestamp()));
    }
    Err(bad())
}

/// `2026-11-28T17:00:00Z`, or the number itself when it is out of range.
pub fn iso8601(epoch: i64) -> String {
    match chrono::DateTime::from_timestamp(epoch, 0) {
        Some(t) => t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        None => epoch.to_string(),
    }
}

/// `in 5m`, `3h ago`, `now`: the largest two units, as humans read them.
pub fn relative(epoch: i64, now: i64) -> String {
    let diff = epoch.saturating_sub(now);
    if diff == 0 {
        return "now".into();
    }
    let text = short_duration(diff.unsigned_abs());
    if diff > 0 {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

/// `1d2h`, `5m`, `45s`, `1h30m`: at most two units.
pub fn short_duration(secs: u64) -> String {
    let units = [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")];
    let mut out = String::new();
    let mut rest = secs;
    let mut used = 0;
    for (size, name) in units {
        if used == 2 {
            break;
        }
        let n = rest / size;
        if n > 0 {
            out.push_str(&format!("{n}{name}"));
            rest %= size;
            used += 1;
        } else if used > 0 {
            break;
        }
    }
    if out.is_empty() {
        "0s".into()
    } else {
        out
    }
}

/// `1764349200 (2026-11-28T17:00:00Z, in 5m)`.
pub fn describe(epoch: i64, now: i64) -> String {
    format!("{epoch} ({}, {})", iso8601(epoch), relative(epoch, now))
}

/// The current time in Unix seconds.
pub use crate::core::now;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        let now = 1_000_000;
        assert_eq!(parse_time("now", now), Ok(Some(now)));
        assert_eq!(parse_time("+1h", now), Ok(Some(now + 3600)));
        assert_eq!(parse_time("-30s", now), Ok(Some(now - 30)));
        assert_eq!(parse_time("+1h30m", now), Ok(Some(now + 5400)));
        assert_eq!(parse_time("1700000000", now), Ok(Some(1_700_000_000)));
        assert_eq!(parse_time("none", now), Ok(None));
        assert_eq!(
            parse_time("2023-11-14T22:13:20Z", now),
            Ok(Some(1_700_000_000))
        );
        assert!(parse_time("+1x", now).is_err());
        assert!(parse_time("soon", now).is_err());
    }

    #[test]
    fn rendering() {
        assert_eq!(iso8601(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(relative(100 + 300, 100), "in 5m");
        assert_eq!(relative(100, 100 + 3 * 3600), "3h ago");
        assert_eq!(relative(100 + 5400, 100), "in 1h30m");
        assert_eq!(relative(100, 100), "now");
        assert_eq!(short_duration(86_400 + 7_200 + 5), "1d2h");
        assert_eq!(short_duration(3_601), "1h");
        assert_eq!(
            describe(1_700_000_000, 1_700_000_000 - 60),
            "1700000000 (2023-11-14T22:13:20Z, in 1m)"
        );
    }
}
