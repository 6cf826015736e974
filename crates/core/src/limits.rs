//! The rules one provider puts on input: name syntax, health-check ranges,
//! weights, batch sizes. Each driver declares its own [`Limits`]; core's
//! validation and the conformance kit read them, so a rule belongs to the
//! driver that has it.

use std::time::Duration;

use serde::Serialize;

use crate::{Error, Result};

/// An inclusive range of whole numbers.
///
/// ```
/// use lbcloud_core::limits::Range;
///
/// let r = Range::new(2, 10);
/// assert!(r.contains(2) && r.contains(10) && !r.contains(11));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Range {
    /// The smallest value allowed.
    pub min: u32,
    /// The largest value allowed.
    pub max: u32,
}

impl Range {
    /// The range `min..=max`.
    pub const fn new(min: u32, max: u32) -> Self {
        Self { min, max }
    }

    /// Whether `value` is in the range.
    pub const fn contains(&self, value: u32) -> bool {
        value >= self.min && value <= self.max
    }

    /// Checks `value`, naming `field` and the range when it is outside.
    pub fn check(&self, field: &str, value: u32) -> Result<()> {
        if self.contains(value) {
            return Ok(());
        }
        Err(Error::invalid_input(
            field,
            format!("must be from {} to {}, got {value}", self.min, self.max),
        ))
    }
}

/// An inclusive range of durations, in whole steps (`step` of 1 s means
/// whole seconds; 1 ms allows sub-second values).
///
/// ```
/// use std::time::Duration;
/// use lbcloud_core::limits::DurationRange;
///
/// let secs = DurationRange::secs(5, 300);
/// assert!(secs.check("interval", Duration::from_secs(30)).is_ok());
/// assert!(secs.check("interval", Duration::from_millis(5500)).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct DurationRange {
    /// The shortest duration allowed.
    #[serde(serialize_with = "crate::types::duration_ms::serialize")]
    pub min: Duration,
    /// The longest duration allowed.
    #[serde(serialize_with = "crate::types::duration_ms::serialize")]
    pub max: Duration,
    /// Values must be whole multiples of this (never zero).
    #[serde(serialize_with = "crate::types::duration_ms::serialize")]
    pub step: Duration,
}

impl DurationRange {
    /// Whole seconds from `min` to `max`.
    pub const fn secs(min: u64, max: u64) -> Self {
        Self {
            min: Duration::from_secs(min),
            max: Duration::from_secs(max),
            step: Duration::from_secs(1),
        }
    }

    /// Whole milliseconds from `min` to `max`.
    pub const fn millis(min: u64, max: u64) -> Self {
        Self {
            min: Duration::from_millis(min),
            max: Duration::from_millis(max),
            step: Duration::from_millis(1),
        }
    }

    /// Whether `value` is in the range and a whole number of steps.
    pub fn contains(&self, value: Duration) -> bool {
        let step = self.step.as_nanos().max(1);
        value >= self.min && value <= self.max && value.as_nanos().is_multiple_of(step)
    }

    /// Checks `value`, naming `field`, the range and the step when it is outside.
    pub fn check(&self, field: &str, value: Duration) -> Result<()> {
        if self.contains(value) {
            return Ok(());
        }
        Err(Error::invalid_input(
            field,
            format!(
                "must be from {:?} to {:?} in steps of {:?}, got {value:?}",
                self.min, self.max, self.step
            ),
        ))
    }
}

/// What characters a balancer name may hold, and how long it may be.
///
/// ```
/// use lbcloud_core::limits::NameRule;
///
/// let elb = NameRule::new(32, "-");
/// assert!(elb.check("name", "web-lb").is_ok());
/// assert!(elb.check("name", "web_lb").is_err());
/// assert!(NameRule::new(63, "-_").check("name", "web_lb").is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct NameRule {
    /// The longest name, in characters (every allowed character is ASCII).
    pub max_len: usize,
    /// The characters allowed beside ASCII letters and digits (for example `"-"`).
    pub extra_chars: &'static str,
    /// Whether the name must start with a letter.
    pub starts_with_letter: bool,
    /// Whether the name may start or end with one of `extra_chars`.
    pub punctuation_at_ends: bool,
}

impl NameRule {
    /// Names of 1 to `max_len` ASCII letters, digits or `extra_chars`, not
    /// starting or ending with one of `extra_chars`.
    pub const fn new(max_len: usize, extra_chars: &'static str) -> Self {
        Self {
            max_len,
            extra_chars,
            starts_with_letter: false,
            punctuation_at_ends: false,
        }
    }

    /// Requires the first character to be a letter.
    pub const fn starting_with_letter(mut self) -> Self {
        self.starts_with_letter = true;
        self
    }

    /// Whether `c` may appear in a name.
    pub fn allows(&self, c: char) -> bool {
        c.is_ascii_alphanumeric() || (c.is_ascii() && self.extra_chars.contains(c))
    }

    /// Checks `name`, naming `field` and the rule it broke.
    pub fn check(&self, field: &str, name: &str) -> Result<()> {
        let len = name.chars().count();
        if len == 0 || len > self.max_len {
            return Err(Error::invalid_input(
                field,
                format!("must be 1 to {} characters long, got {len}", self.max_len),
            ));
        }
        if let Some(bad) = name.chars().find(|c| !self.allows(*c)) {
            return Err(Error::invalid_input(
                field,
                format!(
                    "may hold only ASCII letters, digits{}, found {bad:?}",
                    self.describe_extra()
                ),
            ));
        }
        if self.starts_with_letter && !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(Error::invalid_input(field, "must start with a letter"));
        }
        let punct = |c: char| self.extra_chars.contains(c);
        if !self.punctuation_at_ends && (name.starts_with(punct) || name.ends_with(punct)) {
            return Err(Error::invalid_input(
                field,
                format!("must not start or end with {}", self.describe_extra_or()),
            ));
        }
        Ok(())
    }

    fn describe_extra(&self) -> String {
        self.extra_chars
            .chars()
            .map(|c| format!(", {c:?}"))
            .collect()
    }

    fn describe_extra_or(&self) -> String {
        let names: Vec<String> = self.extra_chars.chars().map(|c| format!("{c:?}")).collect();
        names.join(" or ")
    }
}

/// One provider's input rules.
///
/// Build one from [`Limits::new`] (permissive: what no provider rejects
/// is not checked here) and the `with_*` setters; every driver returns its
/// own from [`Driver::limits`](crate::Driver::limits).
///
/// ```
/// use std::time::Duration;
/// use lbcloud_core::limits::{DurationRange, Limits, NameRule, Range};
///
/// // A provider with 63-character names, sub-second checks and weights 1-100.
/// let limits = Limits::new()
///     .with_name(NameRule::new(63, "-_"))
///     .with_health_interval(DurationRange::millis(100, 3_600_000))
///     .with_health_threshold(Range::new(1, 10))
///     .with_weight(Some(Range::new(1, 100)));
/// assert!(limits.name.check("name", "my_balancer").is_ok());
/// assert!(limits.health_interval.check("interval", Duration::from_millis(500)).is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Limits {
    /// Balancer names.
    pub name: NameRule,
    /// Time between two health probes of a member.
    pub health_interval: DurationRange,
    /// Time a health probe waits for an answer.
    pub health_timeout: DurationRange,
    /// Whether the timeout must be shorter than the interval.
    pub timeout_below_interval: bool,
    /// Successes in a row that make a member healthy.
    pub healthy_threshold: Range,
    /// Failures in a row that make a member unhealthy.
    pub unhealthy_threshold: Range,
    /// The longest health-check path, in bytes.
    pub health_path_max_len: usize,
    /// Member weights, `None` where members carry no weight.
    pub weight: Option<Range>,
    /// The most members one attach or detach call takes, `None` for no limit.
    pub members_per_call: Option<usize>,
    /// The most listeners one balancer has.
    pub listeners_per_balancer: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self::new()
    }
}

impl Limits {
    /// Permissive limits: names of 1-255 letters, digits, `-`, `_` or `.`;
    /// health intervals and timeouts from 1 ms to 1 hour; thresholds 1-1000;
    /// no weights; no batch limit; 1024 listeners. Drivers narrow these.
    pub const fn new() -> Self {
        Self {
            name: NameRule::new(255, "-_."),
            health_interval: DurationRange::millis(1, 3_600_000),
            health_timeout: DurationRange::millis(1, 3_600_000),
            timeout_below_interval: false,
            healthy_threshold: Range::new(1, 1000),
            unhealthy_threshold: Range::new(1, 1000),
            health_path_max_len: 1024,
            weight: None,
            members_per_call: None,
            listeners_per_balancer: 1024,
        }
    }

    /// Sets the name rule.
    pub const fn with_name(mut self, rule: NameRule) -> Self {
        self.name = rule;
        self
    }

    /// Sets the health-check interval range.
    pub const fn with_health_interval(mut self, range: DurationRange) -> Self {
        self.health_interval = range;
        self
    }

    /// Sets the health-check timeout range.
    pub const fn with_health_timeout(mut self, range: DurationRange) -> Self {
        self.health_timeout = range;
        self
    }

    /// Sets whether the timeout must be below the interval.
    pub const fn with_timeout_below_interval(mut self, below: bool) -> Self {
        self.timeout_below_interval = below;
        self
    }

    /// Sets both threshold ranges.
    pub const fn with_health_threshold(mut self, range: Range) -> Self {
        self.healthy_threshold = range;
        self.unhealthy_threshold = range;
        self
    }

    /// Sets the healthy-threshold range.
    pub const fn with_healthy_threshold(mut self, range: Range) -> Self {
        self.healthy_threshold = range;
        self
    }

    /// Sets the unhealthy-threshold range.
    pub const fn with_unhealthy_threshold(mut self, range: Range) -> Self {
        self.unhealthy_threshold = range;
        self
    }

    /// Sets the longest health-check path.
    pub const fn with_health_path_max_len(mut self, len: usize) -> Self {
        self.health_path_max_len = len;
        self
    }

    /// Sets the weight range (`None`: members carry no weight).
    pub const fn with_weight(mut self, range: Option<Range>) -> Self {
        self.weight = range;
        self
    }

    /// Sets the most members per attach or detach call.
    pub const fn with_members_per_call(mut self, most: Option<usize>) -> Self {
        self.members_per_call = most;
        self
    }

    /// Sets the most listeners per balancer.
    pub const fn with_listeners_per_balancer(mut self, most: usize) -> Self {
        self.listeners_per_balancer = most;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(r: Result<()>) -> Option<String> {
        r.err().and_then(|e| e.field().map(str::to_owned))
    }

    #[test]
    fn name_rules() {
        let elb = NameRule::new(32, "-");
        assert!(elb.check("name", &"a".repeat(32)).is_ok());
        for bad in ["", "-web", "web-", "web_lb", "wéb"] {
            assert_eq!(
                field_of(elb.check("name", bad)).as_deref(),
                Some("name"),
                "{bad}"
            );
        }
        assert!(elb.check("name", &"a".repeat(33)).is_err());
        let gcp = NameRule::new(63, "-").starting_with_letter();
        assert!(gcp.check("name", "1web").is_err());
        assert!(gcp.check("name", &"a".repeat(63)).is_ok());
    }

    #[test]
    fn duration_steps() {
        let r = DurationRange::secs(5, 300);
        assert!(r.contains(Duration::from_secs(5)));
        assert!(!r.contains(Duration::from_secs(4)));
        assert!(!r.contains(Duration::from_millis(5001)));
        let ms = DurationRange::millis(100, 1000);
        assert!(ms.contains(Duration::from_millis(500)));
        assert!(!ms.contains(Duration::from_micros(500_500)));
    }
}
