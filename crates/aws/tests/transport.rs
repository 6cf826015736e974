//! AwsClient::send against the scripted loopback server: retries, budget,
//! timeouts, error mapping and the shape of the signed request.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lbcloud_aws::{AwsClient, Credentials, Env, QueryParams, RetryConfig, Service};
use lbcloud_core::ErrorKind;
use lbcloud_testserver::{Reply, TestServer};

const ELB: Service = Service {
    provider: "elb",
    signing_name: "elasticloadbalancing",
    endpoint_prefix: "elasticloadbalancing",
    endpoint_env: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING",
    api_version: "2012-06-01",
};
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// Retries with zero jitter so tests never really wait.
fn fast_retry(attempts: u32) -> RetryConfig {
    RetryConfig::default()
        .with_max_attempts(attempts)
        .with_total_budget(Duration::from_secs(5))
        .with_jitter(Arc::new(|_| Duration::ZERO))
}

fn client(server: &TestServer, retry: RetryConfig, request_timeout: Duration) -> AwsClient {
    AwsClient::builder(ELB)
        .env(Env::from_pairs(Vec::<(String, String)>::new()))
        .credentials(Credentials::new("AKIDTEST", SECRET).with_session_token("TOKENTEST"))
        .region("us-east-1")
        .endpoint(server.url())
        .retry(retry)
        .connect_timeout(Duration::from_millis(500))
        .request_timeout(request_timeout)
        .build()
        .unwrap()
}

fn describe() -> QueryParams {
    let mut q = QueryParams::new("DescribeLoadBalancers", ELB.api_version);
    q.push_scalar_list("LoadBalancerNames", ["web"]);
    q
}

fn aws_error(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/\">\
         <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
         <RequestId>body-req-id</RequestId></ErrorResponse>"
    )
}

const OK: &str = "<DescribeLoadBalancersResponse/>";
const SECOND: Duration = Duration::from_secs(1);

#[tokio::test]
async fn throttling_then_success_takes_two_attempts() {
    let server = TestServer::start([
        Reply::status(400).body(aws_error("Throttling", "Rate exceeded")),
        Reply::status(200).body(OK),
    ])
    .await;
    let body = client(&server, fast_retry(3), SECOND)
        .send(describe())
        .await
        .unwrap();
    assert_eq!(&body[..], OK.as_bytes());
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn http_429_without_code_is_throttling_and_retried() {
    let server = TestServer::start([Reply::status(429), Reply::status(200).body(OK)]).await;
    client(&server, fast_retry(3), SECOND)
        .send(describe())
        .await
        .unwrap();
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn validation_error_is_not_retried_and_carries_every_detail() {
    let server = TestServer::start([
        Reply::status(400).body(aws_error("ValidationError", "LoadBalancerName is too long")),
        Reply::status(200).body(OK),
    ])
    .await;
    let err = client(&server, fast_retry(3), SECOND)
        .send(describe())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.provider(), Some("elb"));
    assert_eq!(err.operation(), Some("DescribeLoadBalancers"));
    assert_eq!(err.code(), Some("ValidationError"));
    assert_eq!(err.message(), "LoadBalancerName is too long");
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.request_id(), Some("body-req-id"));
    assert_eq!(server.request_count(), 1);
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(SECRET) && !shown.contains("TOKENTEST"));
}

#[tokio::test]
async fn not_found_takes_request_id_from_header_when_body_has_none() {
    let body = "<ErrorResponse><Error><Code>LoadBalancerNotFound</Code><Message>There is no ACTIVE Load Balancer named 'web'</Message></Error></ErrorResponse>";
    let server = TestServer::start([Reply::status(400)
        .header("x-amzn-RequestId", "hdr-1")
        .body(body)])
    .await;
    let err = client(&server, fast_retry(3), SECOND)
        .send(describe())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.request_id(), Some("hdr-1"));
}

#[tokio::test]
async fn access_denied_and_bad_signature_map_without_retry() {
    let server = TestServer::start([
        Reply::status(403).body(aws_error("AccessDenied", "no")),
        Reply::status(403).body(aws_error("SignatureDoesNotMatch", "bad sig")),
    ])
    .await;
    let c = client(&server, fast_retry(3), SECOND);
    assert_eq!(
        c.send(describe()).await.unwrap_err().kind(),
        ErrorKind::PermissionDenied
    );
    assert_eq!(
        c.send(describe()).await.unwrap_err().kind(),
        ErrorKind::Unauthenticated
    );
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn html_503_then_success() {
    let server = TestServer::start([
        Reply::status(503)
            .header("content-type", "text/html")
            .body("<html><body><h1>Service Unavailable</h1></body></html>"),
        Reply::status(200).body(OK),
    ])
    .await;
    client(&server, fast_retry(3), SECOND)
        .send(describe())
        .await
        .unwrap();
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn empty_500s_exhaust_attempts_and_return_provider_500() {
    let server = TestServer::start([
        Reply::status(500),
        Reply::status(500),
        Reply::status(500),
        Reply::status(200),
    ])
    .await;
    let err = client(&server, fast_retry(3), SECOND)
        .send(describe())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Provider);
    assert_eq!(err.status(), Some(500));
    assert!(err.is_retryable());
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn no_retries_means_one_attempt() {
    let server = TestServer::start([Reply::status(500), Reply::status(200)]).await;
    let retry = RetryConfig::none().with_jitter(Arc::new(|_| Duration::ZERO));
    let err = client(&server, retry, SECOND)
        .send(describe())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn connection_reset_then_success() {
    let server = TestServer::start([Reply::reset(), Reply::status(200).body(OK)]).await;
    client(&server, fast_retry(3), SECOND)
        .send(describe())
        .await
        .unwrap();
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn closed_connection_and_truncated_body_are_transport_errors() {
    let server = TestServer::start([
        Reply::close(),
        Reply::status(200).body(OK).truncate_after(5),
    ])
    .await;
    let c = client(&server, RetryConfig::none(), SECOND);
    assert_eq!(
        c.send(describe()).await.unwrap_err().kind(),
        ErrorKind::Transport
    );
    let err = c.send(describe()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn header_delay_beyond_request_timeout_is_timeout_within_budget() {
    let slow = || Reply::status(200).body(OK).delay(Duration::from_secs(3));
    let server = TestServer::start([slow(), slow()]).await;
    // Built before the clock starts: building a TLS client loads the
    // trust store, which takes a while with the native backends.
    let c = client(&server, fast_retry(2), Duration::from_millis(100));
    let started = Instant::now();
    let err = c.send(describe()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(
        started.elapsed() < Duration::from_millis(1_000),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.request_count(), 2, "a timed-out attempt is retried");
}

#[tokio::test]
async fn trickled_body_slower_than_request_timeout_times_out() {
    let server = TestServer::start([Reply::status(200)
        .body("x".repeat(50))
        .trickle(1, Duration::from_millis(20))])
    .await;
    let err = client(&server, RetryConfig::none(), Duration::from_millis(150))
        .send(describe())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
}

#[tokio::test]
async fn total_budget_caps_attempt_timeouts() {
    let slow = || Reply::status(200).delay(Duration::from_secs(3));
    let server = TestServer::start([slow(), slow(), slow()]).await;
    let retry = fast_retry(10).with_total_budget(Duration::from_millis(250));
    // Built before the clock starts: building a TLS client loads the
    // trust store, which takes a while with the native backends.
    let c = client(&server, retry, Duration::from_secs(2));
    let started = Instant::now();
    let err = c.send(describe()).await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(
        took >= Duration::from_millis(240) && took < Duration::from_millis(800),
        "{took:?}"
    );
    assert!(err.message().contains("budget"), "{}", err.message());
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn total_budget_stops_waiting_that_would_overrun_it() {
    let throttle = || Reply::status(400).body(aws_error("RequestLimitExceeded", "slow down"));
    let server = TestServer::start([throttle(), throttle(), throttle(), throttle()]).await;
    // The jitter takes the whole cap: 100 ms, then 200 ms, which no longer fits.
    let retry = RetryConfig::default()
        .with_max_attempts(10)
        .with_delays(Duration::from_millis(100), Duration::from_secs(1))
        .with_total_budget(Duration::from_millis(250))
        .with_jitter(Arc::new(|cap| cap));
    // Built before the clock starts: building a TLS client loads the
    // trust store, which takes a while with the native backends.
    let c = client(&server, retry, SECOND);
    let started = Instant::now();
    let err = c.send(describe()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(
        started.elapsed() < Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.request_count(), 2);
    let source = std::error::Error::source(&err)
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(source.contains("RequestLimitExceeded"), "{source}");
}

#[tokio::test]
async fn retry_delays_follow_the_injected_jitter() {
    let caps = Arc::new(Mutex::new(Vec::new()));
    let log = caps.clone();
    let retry = RetryConfig::default()
        .with_max_attempts(4)
        .with_delays(Duration::from_millis(10), Duration::from_millis(25))
        .with_jitter(Arc::new(move |cap| {
            log.lock().unwrap().push(cap);
            Duration::from_millis(1)
        }));
    let server = TestServer::start([
        Reply::status(502),
        Reply::status(503),
        Reply::status(500),
        Reply::status(200),
    ])
    .await;
    client(&server, retry, SECOND)
        .send(describe())
        .await
        .unwrap();
    let ms: Vec<u128> = caps
        .lock()
        .unwrap()
        .iter()
        .map(Duration::as_millis)
        .collect();
    assert_eq!(ms, [10, 20, 25]);
    assert_eq!(server.request_count(), 4);
}

#[tokio::test]
async fn request_is_a_signed_form_post_with_action_and_version() {
    let server = TestServer::start([Reply::status(500), Reply::status(200).body(OK)]).await;
    client(&server, fast_retry(2), SECOND)
        .send(describe())
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/");
        assert_eq!(
            r.header("content-type"),
            Some("application/x-www-form-urlencoded; charset=utf-8")
        );
        assert_eq!(r.body_text(), describe().encode());
        assert_eq!(
            r.form_value("Action").as_deref(),
            Some("DescribeLoadBalancers")
        );
        assert_eq!(r.form_value("Version").as_deref(), Some("2012-06-01"));
        assert_eq!(
            r.form_value("LoadBalancerNames.member.1").as_deref(),
            Some("web")
        );
        let auth = r.header("authorization").unwrap();
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/"),
            "{auth}"
        );
        assert!(
            auth.contains("/us-east-1/elasticloadbalancing/aws4_request"),
            "{auth}"
        );
        assert!(r.header("x-amz-date").is_some());
        assert_eq!(r.header("x-amz-security-token"), Some("TOKENTEST"));
        for (name, value) in &r.headers {
            assert!(!value.contains(SECRET), "secret in header {name}");
        }
        assert!(!r.body_text().contains(SECRET));
    }
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server =
        TestServer::start([Reply::status(301).header("location", "http://127.0.0.1:9/")]).await;
    let err = client(&server, fast_retry(3), SECOND)
        .send(describe())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse);
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn connection_refused_is_transport_and_bounded() {
    // Bind then drop a listener to get a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = AwsClient::builder(ELB)
        .env(Env::from_pairs(Vec::<(String, String)>::new()))
        .credentials(Credentials::new("AKIDTEST", SECRET))
        .region("us-east-1")
        .endpoint(format!("http://127.0.0.1:{port}"))
        .retry(fast_retry(2))
        .build()
        .unwrap();
    let err = c.send(describe()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err:?}");
}
