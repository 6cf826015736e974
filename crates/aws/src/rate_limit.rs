//! The client-side rate limiter of the `adaptive` retry mode.
//!
//! The AWS SDKs' adaptive mode puts a token bucket in front of every
//! attempt a client sends. The bucket is off (unlimited) until the first
//! throttling error; from then on each attempt takes one token, and the
//! bucket refills at a rate that follows TCP CUBIC congestion control: a
//! throttling error cuts the rate to `BETA` times the rate the client was
//! sending at, and each other answer lets it grow back along the cubic
//! curve `SCALE * (t - K)^3 + W_max` (where `W_max` is the rate at the
//! last throttle, `t` the seconds since it, and `K` the time the curve
//! takes to climb back to `W_max`), never above twice the measured
//! sending rate. The sending rate is measured over half-second buckets,
//! smoothed exponentially.
//!
//! The numbers come from the AWS SDKs and Tools reference guide ("Retry
//! behavior", adaptive mode) and the SDKs that implement it (botocore's
//! `retries/adaptive.py`, the Rust SDK's `aws-smithy-runtime`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How much of the sending rate is kept after a throttling error.
const BETA: f64 = 0.7;
/// How fast the rate grows back after a throttling error.
const SCALE_CONSTANT: f64 = 0.4;
/// The weight of the newest bucket in the measured sending rate.
const SMOOTH: f64 = 0.8;
/// The sending rate is measured over buckets of this many seconds.
const BUCKET_SECONDS: f64 = 0.5;
/// The bucket never refills slower than this (tokens per second).
const MIN_FILL_RATE: f64 = 0.5;
/// The bucket always holds at least one token's room.
const MIN_CAPACITY: f64 = 1.0;
/// Each attempt costs one token.
const ATTEMPT_COST: f64 = 1.0;
/// The measured rate may not grow the fill rate past this multiple.
const MAX_RATE_GROWTH: f64 = 2.0;

/// The time source of a [`ClientRateLimiter`]: a monotonic clock and a way
/// to wait. The default uses tokio's clock (so tests with
/// `tokio::time::pause()` see exact times); tests may inject their own.
///
/// ```
/// use std::future::Future;
/// use std::pin::Pin;
/// use std::sync::Mutex;
/// use std::time::Duration;
/// use lbcloud_aws::RateLimitClock;
///
/// /// A clock that only moves when something waits on it.
/// #[derive(Default)]
/// struct Manual(Mutex<Duration>);
///
/// impl RateLimitClock for Manual {
///     fn now(&self) -> Duration {
///         *self.0.lock().unwrap()
///     }
///     fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
///         *self.0.lock().unwrap() += wait;
///         Box::pin(std::future::ready(()))
///     }
/// }
/// let clock = Manual::default();
/// drop(clock.sleep(Duration::from_secs(2)));
/// assert_eq!(clock.now(), Duration::from_secs(2));
/// ```
pub trait RateLimitClock: Send + Sync {
    /// The time since an arbitrary fixed origin; never goes backwards.
    fn now(&self) -> Duration;
    /// A future that completes after `wait`.
    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// [`RateLimitClock`] on tokio's clock.
struct TokioClock {
    origin: tokio::time::Instant,
}

impl RateLimitClock for TokioClock {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }

    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(wait))
    }
}

/// The client-side rate limiter of the [`adaptive`](crate::RetryMode::Adaptive)
/// retry mode.
///
/// A token bucket that every attempt must take a token from before it is
/// sent. It is off (unlimited) until the first throttling error. Each
/// throttling error cuts the fill rate to 0.7 times the rate the client
/// was sending at; each other answer lets it grow back along the TCP
/// CUBIC curve (scale 0.4), never above twice the measured sending rate
/// (measured over half-second buckets, smoothed with weight 0.8), and
/// never below 0.5 attempts per second. Waiting callers queue: each
/// reserves its token and waits for it outside any lock; a call dropped
/// while it waits gives its token back.
///
/// A client built in adaptive mode makes one, and its clones share it;
/// standard and legacy clients have none. Pass one to
/// [`AwsClientBuilder::rate_limiter`](crate::AwsClientBuilder::rate_limiter)
/// to inject a clock or to let several clients share one limiter (as the
/// SDKs do for clients of one service and region).
///
/// ```
/// use lbcloud_aws::ClientRateLimiter;
/// let limiter = ClientRateLimiter::new();
/// // Unlimited until the first throttling error.
/// assert!(!limiter.is_enabled());
/// assert_eq!(limiter.fill_rate(), None);
/// assert_eq!(limiter.measured_rate(), 0.0);
/// ```
#[derive(Clone)]
pub struct ClientRateLimiter {
    shared: Arc<Shared>,
}

struct Shared {
    clock: Arc<dyn RateLimitClock>,
    state: Mutex<State>,
}

impl Default for ClientRateLimiter {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientRateLimiter {
    /// A limiter on tokio's clock (which follows `tokio::time::pause()`
    /// when made inside a paused runtime).
    pub fn new() -> Self {
        Self::with_clock(Arc::new(TokioClock {
            origin: tokio::time::Instant::now(),
        }))
    }

    /// A limiter on the given clock.
    pub fn with_clock(clock: Arc<dyn RateLimitClock>) -> Self {
        let now = secs(clock.now());
        Self {
            shared: Arc::new(Shared {
                state: Mutex::new(State::new(now)),
                clock,
            }),
        }
    }

    /// Whether a throttling error has switched the bucket on.
    pub fn is_enabled(&self) -> bool {
        self.lock().enabled
    }

    /// The bucket's fill rate in attempts per second, or `None` while it is
    /// off (unlimited).
    pub fn fill_rate(&self) -> Option<f64> {
        let state = self.lock();
        state.enabled.then_some(state.fill_rate)
    }

    /// The smoothed rate, in attempts per second, at which this limiter's
    /// clients have been sending.
    pub fn measured_rate(&self) -> f64 {
        self.lock().measured_rate
    }

    /// Whether `self` and `other` are the same limiter (clones of one).
    pub fn ptr_eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// Takes a token for one attempt, waiting for it when the bucket is
    /// empty. A wait of `max_wait` or more is not started: the token is
    /// not taken and the wait it would have needed is the error.
    pub(crate) async fn acquire(&self, max_wait: Duration) -> Result<Duration, Duration> {
        let wait = self.reserve(max_wait)?;
        if !wait.is_zero() {
            // A caller dropped while waiting gives its reserved token back.
            let mut refund = Refund(Some(self));
            self.shared.clock.sleep(wait).await;
            refund.0 = None;
        }
        Ok(wait)
    }

    /// Takes a token now, or reserves the next one and says how long to
    /// wait for it (the caller waits); as [`acquire`](Self::acquire) for
    /// `max_wait`.
    pub(crate) fn reserve(&self, max_wait: Duration) -> Result<Duration, Duration> {
        let now = secs(self.shared.clock.now());
        let to_duration = |s: f64| Duration::try_from_secs_f64(s).unwrap_or(Duration::MAX);
        self.lock()
            .acquire(now, secs(max_wait))
            .map(to_duration)
            .map_err(to_duration)
    }

    /// Records an attempt's outcome: throttled or not.
    pub(crate) fn record(&self, throttled: bool) {
        let now = secs(self.shared.clock.now());
        self.lock().update(now, throttled);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is plain numbers, consistent after every statement.
        self.shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Returns a reserved token unless disarmed (set to `None`).
struct Refund<'a>(Option<&'a ClientRateLimiter>);

impl Drop for Refund<'_> {
    fn drop(&mut self) {
        if let Some(limiter) = self.0 {
            limiter.lock().refund();
        }
    }
}

impl fmt::Debug for ClientRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("ClientRateLimiter")
            .field("enabled", &state.enabled)
            .field("fill_rate", &state.fill_rate)
            .field("capacity", &state.capacity)
            .field("measured_rate", &state.measured_rate)
            .finish_non_exhaustive()
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The limiter's numbers; times are seconds on the limiter's clock.
#[derive(Debug, Clone, PartialEq)]
struct State {
    enabled: bool,
    /// Tokens per second.
    fill_rate: f64,
    max_capacity: f64,
    /// Tokens in the bucket; negative while waiters have reserved tokens
    /// that have not refilled yet.
    capacity: f64,
    /// When the bucket was last refilled (`None` before the first time).
    last_refill: Option<f64>,
    measured_rate: f64,
    /// The start of the current measuring bucket.
    last_rate_bucket: f64,
    /// Attempts counted in the current measuring bucket.
    count: u64,
    /// `W_max`: the rate at the last throttling error.
    last_max_rate: f64,
    /// When the last throttling error came.
    last_throttle: f64,
    /// `K`: seconds from a throttle until the curve is back at `W_max`.
    time_window: f64,
}

impl State {
    fn new(now: f64) -> Self {
        Self {
            enabled: false,
            fill_rate: MIN_FILL_RATE,
            max_capacity: MIN_CAPACITY,
            capacity: 0.0,
            last_refill: None,
            measured_rate: 0.0,
            last_rate_bucket: rate_bucket(now),
            count: 0,
            last_max_rate: 0.0,
            last_throttle: now,
            time_window: 0.0,
        }
    }

    /// Takes one token now, or reserves it and says how long to wait; a
    /// wait of `max_wait` or more takes nothing and is the error.
    fn acquire(&mut self, now: f64, max_wait: f64) -> Result<f64, f64> {
        if !self.enabled {
            return Ok(0.0);
        }
        self.refill(now);
        let wait = if self.capacity >= ATTEMPT_COST {
            0.0
        } else {
            (ATTEMPT_COST - self.capacity) / self.fill_rate
        };
        if wait > 0.0 && wait >= max_wait {
            return Err(wait);
        }
        self.capacity -= ATTEMPT_COST;
        Ok(wait)
    }

    /// Gives back the token of a waiter that stopped waiting.
    fn refund(&mut self) {
        self.capacity = (self.capacity + ATTEMPT_COST).min(self.max_capacity);
    }

    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_refill {
            let added = (now - last).max(0.0) * self.fill_rate;
            self.capacity = (self.capacity + added).min(self.max_capacity);
        }
        self.last_refill = Some(now);
    }

    /// Measures the sending rate and moves the fill rate after an attempt.
    fn update(&mut self, now: f64, throttled: bool) {
        self.measure(now);
        let rate = if throttled {
            let rate_to_use = if self.enabled {
                self.measured_rate.min(self.fill_rate)
            } else {
                self.measured_rate
            };
            self.last_max_rate = rate_to_use;
            self.time_window = time_window(rate_to_use);
            self.last_throttle = now;
            self.enabled = true;
            cubic_throttle(rate_to_use)
        } else {
            self.time_window = time_window(self.last_max_rate);
            cubic_success(
                now - self.last_throttle,
                self.time_window,
                self.last_max_rate,
            )
        };
        self.set_rate(now, rate.min(MAX_RATE_GROWTH * self.measured_rate));
    }

    fn measure(&mut self, now: f64) {
        let bucket = rate_bucket(now);
        self.count = self.count.saturating_add(1);
        if bucket > self.last_rate_bucket {
            let current = self.count as f64 / (bucket - self.last_rate_bucket);
            self.measured_rate = current * SMOOTH + self.measured_rate * (1.0 - SMOOTH);
            self.count = 0;
            self.last_rate_bucket = bucket;
        }
    }

    fn set_rate(&mut self, now: f64, rate: f64) {
        // Tokens due at the old rate are added before it changes.
        self.refill(now);
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.max_capacity = rate.max(MIN_CAPACITY);
        self.capacity = self.capacity.min(self.max_capacity);
    }
}

/// The start of the measuring bucket `now` falls in.
fn rate_bucket(now: f64) -> f64 {
    (now / BUCKET_SECONDS).floor() * BUCKET_SECONDS
}

/// `K = cbrt(W_max * (1 - BETA) / SCALE_CONSTANT)`.
fn time_window(last_max_rate: f64) -> f64 {
    (last_max_rate * (1.0 - BETA) / SCALE_CONSTANT).cbrt()
}

/// The rate `since_throttle` seconds after a throttle at `last_max_rate`.
fn cubic_success(since_throttle: f64, time_window: f64, last_max_rate: f64) -> f64 {
    SCALE_CONSTANT * (since_throttle - time_window).powi(3) + last_max_rate
}

/// The rate right after a throttle while sending at `rate`.
fn cubic_throttle(rate: f64) -> f64 {
    rate * BETA
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-6,
            "expected {expected}, got {actual}"
        );
    }

    #[test]
    fn cubic_curve_matches_the_formulas() {
        // K = cbrt(10 * 0.3 / 0.4) = cbrt(7.5) = 1.957434...
        let k = time_window(10.0);
        close(k, 1.957_434_1);
        close(cubic_throttle(10.0), 7.0);
        // At t = 0 the curve starts where the throttle left it:
        // 0.4 * (-K)^3 + 10 = 10 - 0.4 * 7.5 = 7.
        close(cubic_success(0.0, k, 10.0), 7.0);
        // Flat at W_max after K seconds, then growing as the cube.
        close(cubic_success(k, k, 10.0), 10.0);
        close(cubic_success(k + 1.0, k, 10.0), 10.4);
        close(cubic_success(k + 2.0, k, 10.0), 13.2);
        close(time_window(0.0), 0.0);
    }

    #[test]
    fn measured_rate_is_smoothed_over_half_second_buckets() {
        let mut s = State::new(0.0);
        for t in [0.1, 0.2, 0.3] {
            s.measure(t);
        }
        assert_eq!(s.measured_rate, 0.0, "still in the first bucket");
        // Fourth attempt in bucket [0.5, 1): 4 attempts over 0.5 s = 8/s,
        // weighted 0.8: 6.4.
        s.measure(0.6);
        close(s.measured_rate, 6.4);
        // One attempt over the second from 0.5 to 1.5: 1/s;
        // 0.8 * 1 + 0.2 * 6.4 = 2.08.
        s.measure(1.7);
        close(s.measured_rate, 2.08);
        assert_eq!(s.count, 0);
    }

    #[test]
    fn bucket_is_off_until_the_first_throttle() {
        let mut s = State::new(0.0);
        for t in 0..100 {
            assert_eq!(s.acquire(f64::from(t) * 0.001, 0.0), Ok(0.0));
            s.update(f64::from(t) * 0.001, false);
        }
        assert!(!s.enabled);
    }

    #[test]
    fn first_throttle_without_a_measured_rate_drops_to_the_minimum() {
        let mut s = State::new(0.0);
        s.update(0.0, true);
        assert!(s.enabled);
        // Nothing measured: 0 * 0.7 = 0, raised to the 0.5/s floor, room
        // for one token, none in the bucket: one token takes 1 / 0.5 = 2 s.
        close(s.fill_rate, 0.5);
        close(s.max_capacity, 1.0);
        assert_eq!(s.acquire(0.0, 10.0), Ok(2.0));
        // The reserved token leaves the bucket at -1; by t = 2 it has
        // refilled to 0, so the next one waits another 2 s.
        close(s.capacity, -1.0);
        assert_eq!(s.acquire(2.0, 10.0), Ok(2.0));
    }

    #[test]
    fn throttle_cuts_the_measured_rate_and_success_grows_capped_at_twice_it() {
        let mut s = State::new(0.0);
        // Successes at 0.1, 0.2, 0.3, 0.6: measured 6.4/s (as above). Each
        // keeps the (still unused) fill rate at the 0.5/s floor, so the
        // bucket gathers 0.5 token/s from t = 0.1: 0.25 at t = 0.6.
        for t in [0.1, 0.2, 0.3, 0.6] {
            s.update(t, false);
        }
        close(s.measured_rate, 6.4);
        close(s.capacity, 0.25);
        // Throttle at 0.7 (same bucket): W_max = 6.4, rate 6.4 * 0.7 = 4.48,
        // capacity 0.25 + 0.1 * 0.5 = 0.3.
        s.update(0.7, true);
        close(s.last_max_rate, 6.4);
        close(s.fill_rate, 4.48);
        close(s.max_capacity, 4.48);
        close(s.capacity, 0.3);
        // K = cbrt(6.4 * 0.3 / 0.4) = cbrt(4.8) = 1.686865...
        close(s.time_window, 1.686_865_2);
        // One token: (1 - 0.3) / 4.48 = 0.15625 s.
        let wait = s.acquire(0.7, 10.0).unwrap();
        close(wait, 0.15625);
        // Success at 0.7 + K + 2: the curve says 0.4 * 8 + 6.4 = 9.6, but
        // the measured rate fell: 2 attempts over [0.5, 4.0) = 2/3.5 per s,
        // 0.8 * 2/3.5 + 0.2 * 6.4 = 1.737142..., twice that 3.474285...
        let t = 0.7 + s.time_window + 2.0;
        s.update(t, false);
        close(s.measured_rate, 1.737_142_857);
        close(s.fill_rate, 3.474_285_714);
    }

    #[test]
    fn a_wait_beyond_the_limit_takes_no_token_and_waiters_queue() {
        let mut s = State::new(0.0);
        s.update(0.0, true);
        // 2 s needed, 1 s allowed: refused, nothing reserved.
        assert_eq!(s.acquire(0.0, 1.0), Err(2.0));
        close(s.capacity, 0.0);
        // Two callers at once: the second waits behind the first.
        assert_eq!(s.acquire(0.0, 5.0), Ok(2.0));
        assert_eq!(s.acquire(0.0, 5.0), Ok(4.0));
        // The wait must be strictly shorter than the limit.
        assert_eq!(s.acquire(0.0, 6.0), Err(6.0));
    }

    #[test]
    fn capacity_is_bounded_by_the_rate() {
        let mut s = State::new(0.0);
        s.update(0.0, true);
        // A long quiet spell fills at most max_capacity (1 token).
        s.refill(0.0);
        s.refill(100.0);
        close(s.capacity, 1.0);
        assert_eq!(s.acquire(100.0, 1.0), Ok(0.0));
        assert_eq!(s.acquire(100.0, 3.0), Ok(2.0));
    }

    /// A clock whose waits never end, to drop a waiter midway.
    struct Stuck;

    impl RateLimitClock for Stuck {
        fn now(&self) -> Duration {
            Duration::ZERO
        }
        fn sleep(&self, _: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
            Box::pin(std::future::pending())
        }
    }

    #[test]
    fn a_waiter_dropped_midway_gives_its_token_back() {
        let limiter = ClientRateLimiter::with_clock(Arc::new(Stuck));
        limiter.record(true);
        let mut waiting = Box::pin(limiter.acquire(Duration::from_secs(60)));
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        assert!(waiting.as_mut().poll(&mut cx).is_pending());
        // Its token is reserved: the next caller would wait 4 s ...
        assert_eq!(
            limiter.reserve(Duration::from_secs(1)),
            Err(Duration::from_secs(4))
        );
        // ... until it is dropped; then 2 s, as if it had never asked.
        drop(waiting);
        assert_eq!(
            limiter.reserve(Duration::from_secs(1)),
            Err(Duration::from_secs(2))
        );
        close(limiter.lock().capacity, 0.0);
    }

    #[tokio::test(start_paused = true)]
    async fn default_clock_waits_on_tokio_time() {
        let limiter = ClientRateLimiter::new();
        let start = tokio::time::Instant::now();
        assert_eq!(limiter.acquire(Duration::ZERO).await, Ok(Duration::ZERO));
        limiter.record(true);
        assert!(limiter.is_enabled());
        assert_eq!(limiter.fill_rate(), Some(0.5));
        let clone = limiter.clone();
        assert!(clone.ptr_eq(&limiter));
        assert_eq!(
            clone.acquire(Duration::from_secs(60)).await,
            Ok(Duration::from_secs(2))
        );
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        // The clone's reservation is seen by the original.
        assert_eq!(
            limiter.acquire(Duration::from_secs(1)).await,
            Err(Duration::from_secs(2))
        );
        assert!(format!("{limiter:?}").contains("enabled: true"));
    }
}
