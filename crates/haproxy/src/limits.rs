//! The rules HAProxy puts on input, as lbcloud [`Limits`].

use lbcloud_core::Limits;
use lbcloud_core::limits::{DurationRange, NameRule, Range};

use crate::config::MAX_WEIGHT;
use crate::validate::MAX_NAME_LEN;

/// HAProxy's limits as this driver applies them: names of letters, digits,
/// `-`, `_` and `.` (up to 64); health-check intervals and timeouts from
/// 10 ms to an hour in 1 ms steps (sub-second checks are fine); rise and
/// fall from 1; weights 0 to 256; up to 64 listeners (binds) per balancer.
///
/// ```
/// let limits = lbcloud_haproxy::limits();
/// assert_eq!(limits.weight.map(|w| (w.min, w.max)), Some((0, 256)));
/// assert!(limits.health_interval.contains(std::time::Duration::from_millis(200)));
/// ```
pub fn limits() -> Limits {
    Limits::new()
        .with_name(NameRule::new(MAX_NAME_LEN, "-_."))
        .with_health_interval(DurationRange::millis(10, 3_600_000))
        .with_health_timeout(DurationRange::millis(10, 3_600_000))
        .with_health_threshold(Range::new(1, 100))
        .with_health_path_max_len(crate::validate::MAX_PATH_LEN)
        .with_weight(Some(Range::new(0, MAX_WEIGHT)))
        .with_listeners_per_balancer(64)
}
