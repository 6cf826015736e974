//! Retry policy: how many attempts, how long to wait between them, and the
//! total time a call may take. Pure and deterministic under injected jitter.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use lbcloud_core::{Error, Result};

use crate::Env;
use crate::profile::ProfileFiles;

/// The AWS SDKs' retry modes, as `AWS_RETRY_MODE` or a profile's
/// `retry_mode` name them.
///
/// - `standard` (the default): 3 attempts, exponential backoff with full
///   jitter capped at 20 s;
/// - `legacy`: the same backoff, with the legacy SDKs' 5 attempts;
/// - `adaptive`: `standard` plus the SDKs' client-side rate limiter, a
///   [`ClientRateLimiter`](crate::ClientRateLimiter) shared by a client and
///   its clones: after the first throttling error every attempt waits for
///   a token, at a rate cut on each throttling error and grown back on
///   successes (CUBIC), so all of the client's calls slow down together.
///   The SDKs call this mode experimental; it suits a client that is the
///   main user of its account's request rate.
///
/// ```
/// use lbcloud_aws::RetryMode;
/// assert_eq!("Legacy".parse::<RetryMode>().unwrap(), RetryMode::Legacy);
/// assert_eq!(RetryMode::Legacy.default_max_attempts(), 5);
/// assert!("fast".parse::<RetryMode>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RetryMode {
    /// The SDKs' standard mode.
    #[default]
    Standard,
    /// The SDKs' legacy mode: 5 attempts.
    Legacy,
    /// The SDKs' adaptive mode: standard with a client-side rate limiter.
    Adaptive,
}

impl RetryMode {
    /// The attempts this mode makes unless told otherwise.
    pub fn default_max_attempts(self) -> u32 {
        match self {
            Self::Legacy => 5,
            Self::Standard | Self::Adaptive => 3,
        }
    }

    /// The lowercase name, as in `AWS_RETRY_MODE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Legacy => "legacy",
            Self::Adaptive => "adaptive",
        }
    }
}

impl std::str::FromStr for RetryMode {
    type Err = Error;

    /// Case-insensitive `standard`, `legacy` or `adaptive`.
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "standard" => Ok(Self::Standard),
            "legacy" => Ok(Self::Legacy),
            "adaptive" => Ok(Self::Adaptive),
            _ => Err(Error::invalid_input(
                "retry_mode",
                "must be standard, legacy or adaptive",
            )),
        }
    }
}

/// Chooses the actual delay given the backoff cap for an attempt.
pub type Jitter = Arc<dyn Fn(Duration) -> Duration + Send + Sync>;

/// How [`AwsClient::send`](crate::AwsClient::send) retries.
///
/// After failed attempt `n` (from 1) the client waits a delay chosen by the
/// jitter function from `[0, cap]`, where
/// `cap = min(max_delay, base_delay * 2^(n-1))` ("full jitter": spreading
/// retries uniformly keeps many clients from retrying in lockstep). The
/// whole call, attempts and waits together, ends within `total_budget`.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use std::time::Duration;
/// use lbcloud_aws::RetryConfig;
///
/// // Deterministic for tests: always wait the full cap, and record it.
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let log = seen.clone();
/// let retry = RetryConfig::default().with_jitter(Arc::new(move |cap| {
///     log.lock().unwrap().push(cap);
///     cap
/// }));
/// assert_eq!(retry.delay(1), Duration::from_millis(100));
/// assert_eq!(retry.delay(3), Duration::from_millis(400));
/// assert_eq!(seen.lock().unwrap().len(), 2);
/// assert_eq!(RetryConfig::none().max_attempts, 1);
/// ```
#[derive(Clone)]
pub struct RetryConfig {
    /// Attempts in all, the first included; at least 1.
    pub max_attempts: u32,
    /// The backoff cap after the first failed attempt.
    pub base_delay: Duration,
    /// The largest backoff cap.
    pub max_delay: Duration,
    /// The most time one call may take, every attempt and wait included.
    pub total_budget: Duration,
    /// The SDK retry mode these settings came from; [`RetryMode::Adaptive`]
    /// gives the client a rate limiter (the other fields apply in every mode).
    pub mode: RetryMode,
    jitter: Option<Jitter>,
}

impl Default for RetryConfig {
    /// 3 attempts (the AWS SDKs' standard mode), 100 ms base, 20 s cap,
    /// 2 minutes in all.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(20),
            total_budget: Duration::from_secs(120),
            mode: RetryMode::Standard,
            jitter: None,
        }
    }
}

impl RetryConfig {
    /// One attempt, no retries; the budget still bounds the call.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Replaces the random jitter. The function receives the cap and returns
    /// the delay; results above the cap are clamped to it.
    pub fn with_jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = Some(jitter);
        self
    }

    /// Sets [`RetryConfig::max_attempts`].
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Sets [`RetryConfig::base_delay`] and [`RetryConfig::max_delay`].
    pub fn with_delays(mut self, base_delay: Duration, max_delay: Duration) -> Self {
        self.base_delay = base_delay;
        self.max_delay = max_delay;
        self
    }

    /// Sets [`RetryConfig::total_budget`].
    pub fn with_total_budget(mut self, total_budget: Duration) -> Self {
        self.total_budget = total_budget;
        self
    }

    /// The backoff cap after failed attempt `attempt` (1-based).
    pub fn cap(&self, attempt: u32) -> Duration {
        // 2^(n-1) saturates long before u32 overflow matters: cap the shift.
        let shift = attempt.saturating_sub(1).min(31);
        self.base_delay
            .checked_mul(1u32 << shift)
            .unwrap_or(Duration::MAX)
            .min(self.max_delay)
    }

    /// The delay to wait after failed attempt `attempt`: the jitter's choice
    /// in `[0, cap(attempt)]`.
    pub fn delay(&self, attempt: u32) -> Duration {
        let cap = self.cap(attempt);
        let chosen = match &self.jitter {
            Some(f) => f(cap),
            None => full_jitter(cap),
        };
        chosen.min(cap)
    }

    /// Applies `AWS_RETRY_MODE` / `AWS_MAX_ATTEMPTS`, else the profile's
    /// `retry_mode` / `max_attempts`; `keep_attempts` when the caller set
    /// the attempts explicitly. Bad values are `InvalidInput` naming where
    /// they came from.
    pub(crate) fn with_settings_from(
        mut self,
        env: &Env,
        files: &ProfileFiles,
        keep_attempts: bool,
    ) -> Result<Self> {
        let from = |var: &'static str, key: &'static str| {
            env.var(var)
                .map(|v| (v, var))
                .or_else(|| files.get(key).map(|v| (v.to_owned(), key)))
        };
        if let Some((raw, field)) = from("AWS_RETRY_MODE", "retry_mode") {
            self.mode = raw
                .parse()
                .map_err(|_| Error::invalid_input(field, "must be standard, legacy or adaptive"))?;
            if !keep_attempts {
                self.max_attempts = self.mode.default_max_attempts();
            }
        }
        if !keep_attempts && let Some((raw, field)) = from("AWS_MAX_ATTEMPTS", "max_attempts") {
            self.max_attempts = match raw.trim().parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    return Err(Error::invalid_input(
                        field,
                        format!("must be a whole number of at least 1; got {raw:?}"),
                    ));
                }
            };
        }
        Ok(self)
    }

    /// Checks the settings; the error names the field.
    pub(crate) fn validate(&self) -> Result<()> {
        if self.max_attempts == 0 {
            return Err(Error::invalid_input("max_attempts", "must be at least 1"));
        }
        if self.total_budget.is_zero() {
            return Err(Error::invalid_input(
                "total_budget",
                "must be greater than zero",
            ));
        }
        if self.base_delay > self.max_delay {
            return Err(Error::invalid_input(
                "base_delay",
                "must not be greater than max_delay",
            ));
        }
        Ok(())
    }
}

/// A uniformly random duration in `[0, cap]`.
fn full_jitter(cap: Duration) -> Duration {
    let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(fastrand::u64(0..=nanos))
}

impl fmt::Debug for RetryConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryConfig")
            .field("max_attempts", &self.max_attempts)
            .field("base_delay", &self.base_delay)
            .field("max_delay", &self.max_delay)
            .field("total_budget", &self.total_budget)
            .field("mode", &self.mode)
            .field(
                "jitter",
                &if self.jitter.is_some() {
                    "custom"
                } else {
                    "full"
                },
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_double_and_saturate() {
        let r = RetryConfig::default()
            .with_delays(Duration::from_millis(50), Duration::from_millis(300));
        let caps: Vec<u64> = (1..=6).map(|n| r.cap(n).as_millis() as u64).collect();
        assert_eq!(caps, [50, 100, 200, 300, 300, 300]);
        assert_eq!(r.cap(0), Duration::from_millis(50));
        assert_eq!(r.cap(u32::MAX), Duration::from_millis(300));
        let huge = RetryConfig::default().with_delays(Duration::MAX, Duration::MAX);
        assert_eq!(huge.cap(40), Duration::MAX);
    }

    #[test]
    fn random_delay_stays_within_cap() {
        let r = RetryConfig::default();
        for n in 1..=8 {
            for _ in 0..200 {
                assert!(r.delay(n) <= r.cap(n));
            }
        }
        assert_eq!(full_jitter(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn injected_jitter_is_used_and_clamped() {
        let zero = RetryConfig::default().with_jitter(Arc::new(|_| Duration::ZERO));
        assert_eq!(zero.delay(5), Duration::ZERO);
        let greedy = RetryConfig::default().with_jitter(Arc::new(|_| Duration::from_secs(3600)));
        assert_eq!(greedy.delay(1), Duration::from_millis(100));
        assert!(format!("{greedy:?}").contains("custom"));
    }

    #[test]
    fn settings_from_env_beat_the_profile_and_explicit_attempts_beat_both() {
        let files = ProfileFiles::from_texts(
            "default",
            None,
            Some("[default]\nmax_attempts = 7\nretry_mode = legacy\n"),
        );
        let none = Env::empty();
        let r = RetryConfig::default()
            .with_settings_from(&none, &files, false)
            .unwrap();
        assert_eq!((r.mode, r.max_attempts), (RetryMode::Legacy, 7));
        let env = Env::from_pairs([("AWS_MAX_ATTEMPTS", "2"), ("AWS_RETRY_MODE", "ADAPTIVE")]);
        let r = RetryConfig::default()
            .with_settings_from(&env, &files, false)
            .unwrap();
        assert_eq!((r.mode, r.max_attempts), (RetryMode::Adaptive, 2));
        let r = RetryConfig::default()
            .with_settings_from(&env, &files, true)
            .unwrap();
        assert_eq!(r.max_attempts, 3, "explicit attempts are kept");
        let legacy = Env::from_pairs([("AWS_RETRY_MODE", "legacy")]);
        let empty = ProfileFiles::from_texts("default", None, None);
        let r = RetryConfig::default()
            .with_settings_from(&legacy, &empty, false)
            .unwrap();
        assert_eq!(r.max_attempts, 5);
        for (var, value) in [
            ("AWS_MAX_ATTEMPTS", "0"),
            ("AWS_MAX_ATTEMPTS", "many"),
            ("AWS_RETRY_MODE", "eager"),
        ] {
            let err = RetryConfig::default()
                .with_settings_from(&Env::from_pairs([(var, value)]), &empty, false)
                .unwrap_err();
            assert_eq!(err.field(), Some(var));
        }
        let bad = ProfileFiles::from_texts("default", None, Some("[default]\nmax_attempts = -1\n"));
        let err = RetryConfig::default()
            .with_settings_from(&none, &bad, false)
            .unwrap_err();
        assert_eq!(err.field(), Some("max_attempts"));
    }

    #[test]
    fn validation_names_fields() {
        assert_eq!(
            RetryConfig::default()
                .with_max_attempts(0)
                .validate()
                .unwrap_err()
                .field(),
            Some("max_attempts")
        );
        assert_eq!(
            RetryConfig::default()
                .with_total_budget(Duration::ZERO)
                .validate()
                .unwrap_err()
                .field(),
            Some("total_budget")
        );
        let err = RetryConfig::default()
            .with_delays(Duration::from_secs(2), Duration::from_secs(1))
            .validate()
            .unwrap_err();
        assert_eq!(err.field(), Some("base_delay"));
        RetryConfig::none().validate().unwrap();
    }
}
