//! Retry settings from the environment and the profile, and clock-skew
//! correction from the server's `Date`, on the scripted loopback server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use std::time::{Duration, SystemTime};

use lbcloud_aws::{AwsClient, Credentials, RetryMode};
use lbcloud_core::ErrorKind;
use lbcloud_testserver::{Reply, TestServer};
use support::*;

fn busy() -> Reply {
    Reply::status(503).body("<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>busy</Message></Error></ErrorResponse>")
}

fn client(server: &TestServer, e: lbcloud_aws::Env) -> AwsClient {
    AwsClient::builder(ELB)
        .env(e)
        .credentials(Credentials::new("AKIDRETRY", "retry-secret"))
        .region("us-east-1")
        .endpoint(server.url())
        .build()
        .unwrap()
}

/// These clients keep the default random jitter, so the waits are the
/// real (small) backoff: at most 100 ms, 200 ms, 400 ms, 800 ms.
#[tokio::test]
async fn attempts_come_from_aws_max_attempts_retry_mode_and_the_profile() {
    let server = TestServer::start((0..20).map(|_| busy())).await;
    let err = client(&server, env(&[("AWS_MAX_ATTEMPTS", "2")]))
        .send(describe())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Provider, "{err}");
    assert_eq!(server.request_count(), 2);

    let legacy = client(&server, env(&[("AWS_RETRY_MODE", "legacy")]));
    assert_eq!(
        (
            legacy.retry_config().mode,
            legacy.retry_config().max_attempts
        ),
        (RetryMode::Legacy, 5)
    );
    let dir = temp_dir("retry-profile");
    let config = dir.join("config");
    std::fs::write(
        &config,
        "[profile ops]\nmax_attempts = 4\nretry_mode = adaptive\n",
    )
    .unwrap();
    let config = config.display().to_string();
    let from_profile = client(
        &server,
        env(&[("AWS_CONFIG_FILE", &config), ("AWS_PROFILE", "ops")]),
    );
    assert_eq!(from_profile.retry_config().max_attempts, 4);
    assert_eq!(from_profile.retry_config().mode, RetryMode::Adaptive);
    let before = server.request_count();
    from_profile.send(describe()).await.unwrap_err();
    assert_eq!(server.request_count() - before, 4);
    // The variable beats the profile.
    let both = client(
        &server,
        env(&[
            ("AWS_CONFIG_FILE", &config),
            ("AWS_PROFILE", "ops"),
            ("AWS_MAX_ATTEMPTS", "1"),
        ]),
    );
    assert_eq!(both.retry_config().max_attempts, 1);
    // An explicit policy beats both.
    let explicit = AwsClient::builder(ELB)
        .env(env(&[("AWS_MAX_ATTEMPTS", "9")]))
        .credentials(Credentials::new("K", "S"))
        .region("us-east-1")
        .retry(fast_retry().with_max_attempts(2))
        .build()
        .unwrap();
    assert_eq!(explicit.retry_config().max_attempts, 2);
    for (var, value) in [("AWS_MAX_ATTEMPTS", "0"), ("AWS_RETRY_MODE", "turbo")] {
        let err = AwsClient::builder(ELB)
            .env(env(&[(var, value)]))
            .credentials(Credentials::new("K", "S"))
            .region("us-east-1")
            .build()
            .unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            (ErrorKind::InvalidInput, Some(var))
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

fn http_date(t: SystemTime) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::OffsetDateTime::from(t).format(format).unwrap()
}

fn amz_date(r: &lbcloud_testserver::Recorded) -> SystemTime {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let t = time::PrimitiveDateTime::parse(r.header("x-amz-date").unwrap(), format).unwrap();
    SystemTime::from(t.assume_utc())
}

/// A client allowed one attempt (the skew retry comes on top).
fn one_attempt(server: &TestServer) -> AwsClient {
    AwsClient::builder(ELB)
        .env(env(&[]))
        .credentials(Credentials::new("AKIDSKEW", "skew-secret"))
        .region("us-east-1")
        .endpoint(server.url())
        .retry(fast_retry().with_max_attempts(1))
        .build()
        .unwrap()
}

fn skew_error(code: &str, server_time: SystemTime) -> Reply {
    Reply::status(400)
        .header("Date", http_date(server_time))
        .body(format!("<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>Signature expired</Message></Error></ErrorResponse>"))
}

#[tokio::test]
async fn a_skewed_clock_is_corrected_from_the_server_date_and_retried_once() {
    let ahead = SystemTime::now() + Duration::from_secs(3600);
    let server = TestServer::start([
        skew_error("RequestTimeTooSkewed", ahead),
        Reply::status(200).body(OK),
        Reply::status(200).body(OK),
        // A signature error with a server clock that agrees is not skew.
        Reply::status(400).header("Date", http_date(ahead)).body(
            "<ErrorResponse><Error><Code>InvalidSignatureException</Code><Message>bad signature</Message></Error></ErrorResponse>",
        ),
    ])
    .await;
    let c = one_attempt(&server);
    // One attempt allowed, yet the skew retry happens.
    c.send(describe()).await.unwrap();
    let offset = c.clock_offset();
    assert!(
        offset > Duration::from_secs(3590) && offset < Duration::from_secs(3610),
        "{offset:?}"
    );
    c.clone().send(describe()).await.unwrap();
    let err = c.send(describe()).await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidSignatureException"));
    let sent = server.requests();
    assert_eq!(sent.len(), 4, "the signature error is not retried");
    let near = |t: SystemTime, want: SystemTime| {
        let d = t.duration_since(want).unwrap_or_else(|e| e.duration());
        d < Duration::from_secs(10)
    };
    assert!(near(amz_date(&sent[0]), SystemTime::now()));
    for r in &sent[1..] {
        assert!(near(amz_date(r), ahead), "signed with the corrected clock");
    }

    // InvalidSignatureException with a Date far off, and RequestExpired
    // behind: each corrected once; a second skew error is returned.
    let behind = SystemTime::now() - Duration::from_secs(1800);
    let server = TestServer::start([
        skew_error("InvalidSignatureException", behind),
        skew_error("RequestExpired", behind - Duration::from_secs(1800)),
    ])
    .await;
    let c = one_attempt(&server);
    let err = c.send(describe()).await.unwrap_err();
    assert_eq!(err.code(), Some("RequestExpired"));
    assert_eq!(
        server.request_count(),
        2,
        "corrected and retried once, not again"
    );
}
