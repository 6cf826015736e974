//! The `adaptive` retry mode's client-side rate limiter on the scripted
//! loopback server. Time is the limiter's injected clock: it moves only
//! when the limiter waits, so every wait is recorded exactly and nothing
//! really sleeps for it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lbcloud_aws::{
    AwsClient, AwsClientBuilder, ClientRateLimiter, Credentials, RateLimitClock, RetryMode,
};
use lbcloud_core::ErrorKind;
use lbcloud_testserver::{Reply, TestServer};
use support::*;

/// A clock that moves only when the limiter waits on it, recording each wait.
#[derive(Default)]
struct ManualClock {
    now: Mutex<Duration>,
    waits: Mutex<Vec<Duration>>,
}

impl ManualClock {
    fn waits(&self) -> Vec<Duration> {
        self.waits.lock().unwrap().clone()
    }
    fn now_secs(&self) -> f64 {
        self.now.lock().unwrap().as_secs_f64()
    }
}

impl RateLimitClock for ManualClock {
    fn now(&self) -> Duration {
        *self.now.lock().unwrap()
    }
    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        *self.now.lock().unwrap() += wait;
        self.waits.lock().unwrap().push(wait);
        Box::pin(std::future::ready(()))
    }
}

fn throttling() -> Reply {
    Reply::status(400).body(
        "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>\
         <Message>Rate exceeded</Message></Error><RequestId>r-1</RequestId></ErrorResponse>",
    )
}

fn ok() -> Reply {
    Reply::status(200).body(OK)
}

/// Three throttling answers, then successes.
fn script() -> Vec<Reply> {
    let mut replies: Vec<Reply> = (0..3).map(|_| throttling()).collect();
    replies.extend((0..6).map(|_| ok()));
    replies
}

fn builder(server: &TestServer, vars: &[(&str, &str)]) -> AwsClientBuilder {
    AwsClient::builder(ELB)
        .env(env(vars))
        .credentials(Credentials::new("AKIDADAPTIVE", "adaptive-secret"))
        .region("us-east-1")
        .endpoint(server.url())
}

fn client_with(
    server: &TestServer,
    vars: &[(&str, &str)],
    limiter: &ClientRateLimiter,
) -> AwsClient {
    builder(server, vars)
        .rate_limiter(limiter.clone())
        .build()
        .unwrap()
}

/// The first call is throttled on all 3 attempts (the backoff between them
/// is the real, small, jittered one). The first throttle switches the
/// bucket on with nothing measured yet, so the rate falls to the 0.5/s
/// floor: each of the next attempts waits 1 / 0.5 = 2 s for its token.
/// Later calls keep waiting while the rate climbs back.
#[tokio::test]
async fn adaptive_mode_spaces_requests_after_throttling() {
    let server = TestServer::start(script()).await;
    let clock = Arc::new(ManualClock::default());
    let limiter = ClientRateLimiter::with_clock(clock.clone());
    let client = client_with(&server, &[("AWS_RETRY_MODE", "adaptive")], &limiter);
    assert_eq!(client.retry_config().mode, RetryMode::Adaptive);
    assert!(client.rate_limiter().unwrap().ptr_eq(&limiter));

    let err = client.send(describe()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Throttled, "{err}");
    assert_eq!(err.attempts(), Some(3));
    assert_eq!(server.request_count(), 3);
    // Attempt 1 went at once; attempts 2 and 3 waited 2 s each.
    assert_eq!(clock.waits(), [Duration::from_secs(2); 2]);
    assert!(limiter.is_enabled());
    assert_eq!(limiter.fill_rate(), Some(0.5));

    for _ in 0..4 {
        client.send(describe()).await.unwrap();
    }
    assert_eq!(server.request_count(), 7);
    let waits = clock.waits();
    // Every later call waited for a token too: the requests are spaced.
    assert_eq!(waits.len(), 6, "{waits:?}");
    assert!(waits.iter().all(|w| !w.is_zero()), "{waits:?}");
    // The next call after the throttled one still gets the 0.5/s rate
    // (refilled from -1 to 0 token by t = 4): 2 s.
    assert_eq!(waits[2], Duration::from_secs(2));
    // Successes let the rate grow (along the CUBIC curve, capped at twice
    // the measured rate), so from then on each wait is shorter.
    assert!(waits[2..].windows(2).all(|w| w[1] < w[0]), "{waits:?}");
    let total: f64 = waits.iter().map(Duration::as_secs_f64).sum();
    assert!((clock.now_secs() - total).abs() < 1e-9);
    assert!(
        total > 7.0,
        "at least 3 waits of 2 s and some more: {total}"
    );
}

/// The same script in the standard and legacy modes: no limiter, no waits.
#[tokio::test]
async fn standard_and_legacy_modes_do_not_space_requests() {
    for mode in ["standard", "legacy"] {
        let server = TestServer::start(script()).await;
        let clock = Arc::new(ManualClock::default());
        let limiter = ClientRateLimiter::with_clock(clock.clone());
        let client = client_with(
            &server,
            &[("AWS_RETRY_MODE", mode), ("AWS_MAX_ATTEMPTS", "3")],
            &limiter,
        );
        assert!(client.rate_limiter().is_none(), "{mode}");
        let err = client.send(describe()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Throttled, "{mode}: {err}");
        for _ in 0..4 {
            client.send(describe()).await.unwrap();
        }
        assert_eq!(server.request_count(), 7, "{mode}");
        assert!(clock.waits().is_empty(), "{mode}: {:?}", clock.waits());
        assert!(!limiter.is_enabled(), "{mode}: the limiter was never used");
    }
}

#[tokio::test]
async fn clones_share_one_limiter() {
    let server = TestServer::start([throttling(), ok(), ok()]).await;
    let clock = Arc::new(ManualClock::default());
    let limiter = ClientRateLimiter::with_clock(clock.clone());
    let client = client_with(
        &server,
        &[("AWS_RETRY_MODE", "adaptive"), ("AWS_MAX_ATTEMPTS", "1")],
        &limiter,
    );
    let clone = client.clone();
    assert!(
        client
            .rate_limiter()
            .unwrap()
            .ptr_eq(clone.rate_limiter().unwrap())
    );
    // The original is throttled; the clone then waits for its token.
    client.send(describe()).await.unwrap_err();
    assert!(clone.rate_limiter().unwrap().is_enabled());
    clone.send(describe()).await.unwrap();
    assert_eq!(clock.waits(), [Duration::from_secs(2)]);

    // A client built apart has a limiter of its own, still off.
    let apart = builder(&server, &[("AWS_RETRY_MODE", "adaptive")])
        .build()
        .unwrap();
    let own = apart.rate_limiter().unwrap();
    assert!(!own.ptr_eq(&limiter));
    assert!(!own.is_enabled());
    apart.send(describe()).await.unwrap();
    assert_eq!(server.request_count(), 3);
}

/// A 1.5 s budget cannot hold the 2 s wait the limiter asks for after the
/// first throttle: the call ends with the budget's error after 1 attempt,
/// where the standard mode makes all 3.
#[tokio::test]
async fn a_limiter_wait_beyond_the_budget_ends_the_call() {
    let server = TestServer::start((0..6).map(|_| throttling())).await;
    let clock = Arc::new(ManualClock::default());
    let limiter = ClientRateLimiter::with_clock(clock.clone());
    let mut retry = fast_retry().with_total_budget(Duration::from_millis(1500));
    retry.mode = RetryMode::Adaptive;
    let client = builder(&server, &[])
        .retry(retry.clone())
        .rate_limiter(limiter)
        .build()
        .unwrap();
    let err = client.send(describe()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert_eq!(err.attempts(), Some(1));
    let text = err.to_string();
    assert!(text.contains("gave up after 1 attempt(s)"), "{text}");
    assert!(
        text.contains("rate limiter asked for a 2000 ms wait"),
        "{text}"
    );
    assert!(
        text.contains("Throttling"),
        "the last failure is named: {text}"
    );
    assert_eq!(server.request_count(), 1);
    assert!(clock.waits().is_empty(), "no wait was started");

    retry.mode = RetryMode::Standard;
    let standard = builder(&server, &[]).retry(retry).build().unwrap();
    let err = standard.send(describe()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Throttled, "{err}");
    assert_eq!(server.request_count(), 4);
}
