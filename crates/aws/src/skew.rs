//! Clock skew: recognising a request refused for its time, and the
//! correction taken from the server's `Date` header. Pure functions.
//!
//! Also names services the way OpenTelemetry's `rpc.service` wants.

use std::time::{Duration, SystemTime};

use crate::Service;

/// Above this difference between the server's and our clock, a signature
/// error is taken to be caused by the clock (SigV4 allows 5 minutes).
const SIGNATURE_SKEW: Duration = Duration::from_secs(4 * 60);

/// Codes AWS answers for a request whose signing time it will not accept.
const SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
];
/// Codes that may be caused by a skewed clock, or by a wrong key.
const SIGNATURE_CODES: &[&str] = &["InvalidSignatureException", "SignatureDoesNotMatch"];

/// Whether to correct the clock and retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SkewCheck {
    /// Not a clock problem (or no `Date` to correct from).
    NotSkew,
    /// Add this many milliseconds to the signing time.
    Skewed(i64),
}

/// Decides from the error code and the server's `Date` whether the
/// request failed because of our clock; `signed_at` is the time we signed with.
pub(crate) fn check(
    code: Option<&str>,
    server_date: Option<SystemTime>,
    signed_at: SystemTime,
) -> SkewCheck {
    let (Some(code), Some(server)) = (code, server_date) else {
        return SkewCheck::NotSkew;
    };
    let offset = offset_ms(server, signed_at);
    let skew = Duration::from_millis(offset.unsigned_abs());
    let skewed = if SKEW_CODES.contains(&code) {
        // `Date` has whole seconds: below that there is nothing to correct.
        skew >= Duration::from_secs(1)
    } else {
        SIGNATURE_CODES.contains(&code) && skew > SIGNATURE_SKEW
    };
    if skewed {
        SkewCheck::Skewed(offset)
    } else {
        SkewCheck::NotSkew
    }
}

/// `server - local` in milliseconds, saturating.
fn offset_ms(server: SystemTime, local: SystemTime) -> i64 {
    match server.duration_since(local) {
        Ok(ahead) => i64::try_from(ahead.as_millis()).unwrap_or(i64::MAX),
        Err(behind) => i64::try_from(behind.duration().as_millis()).map_or(i64::MIN, |v| -v),
    }
}

/// `now` moved by `offset_ms`.
pub(crate) fn apply(now: SystemTime, offset_ms: i64) -> SystemTime {
    let by = Duration::from_millis(offset_ms.unsigned_abs());
    let moved = if offset_ms >= 0 {
        now.checked_add(by)
    } else {
        now.checked_sub(by)
    };
    moved.unwrap_or(now)
}

/// Parses an HTTP `Date` (IMF-fixdate: `Tue, 01 Dec 2026 08:10:05 GMT`).
pub(crate) fn parse_http_date(text: &str) -> Option<SystemTime> {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let t = time::PrimitiveDateTime::parse(text.trim(), format).ok()?;
    Some(SystemTime::from(t.assume_utc()))
}

/// The service's name for OpenTelemetry's `rpc.service`: the AWS SDK
/// service id where known, else the signing name.
pub(crate) fn service_id(service: &Service) -> &'static str {
    match (service.endpoint_prefix, service.api_version) {
        ("elasticloadbalancing", "2012-06-01") => "Elastic Load Balancing",
        ("elasticloadbalancing", "2015-12-01") => "Elastic Load Balancing v2",
        ("sts", _) => "STS",
        _ => service.signing_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn http_dates_parse_and_garbage_does_not() {
        let t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(t, UNIX_EPOCH + Duration::from_secs(784_111_777));
        for bad in [
            "",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "x",
        ] {
            assert!(parse_http_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn only_time_codes_or_large_signature_skews_correct_the_clock() {
        let local = UNIX_EPOCH + Duration::from_secs(2_000_000_000);
        let ahead = local + Duration::from_secs(900);
        let slight = local + Duration::from_secs(30);
        assert_eq!(
            check(Some("RequestTimeTooSkewed"), Some(ahead), local),
            SkewCheck::Skewed(900_000)
        );
        assert_eq!(
            check(
                Some("RequestExpired"),
                Some(local - Duration::from_secs(600)),
                local
            ),
            SkewCheck::Skewed(-600_000)
        );
        assert_eq!(
            check(Some("InvalidSignatureException"), Some(ahead), local),
            SkewCheck::Skewed(900_000)
        );
        assert_eq!(
            check(Some("InvalidSignatureException"), Some(slight), local),
            SkewCheck::NotSkew
        );
        assert_eq!(
            check(Some("Throttling"), Some(ahead), local),
            SkewCheck::NotSkew
        );
        assert_eq!(
            check(Some("RequestExpired"), None, local),
            SkewCheck::NotSkew
        );
        assert_eq!(check(None, Some(ahead), local), SkewCheck::NotSkew);
        assert_eq!(apply(local, 900_000), ahead);
        assert_eq!(apply(local, -1000), local - Duration::from_secs(1));
    }
}
