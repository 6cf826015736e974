//! The request span carries OpenTelemetry's field names beside lbcloud's
//! own, and a failed call reports how many attempts it made.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use lbcloud_aws::{AwsClient, Credentials};
use lbcloud_testserver::{Reply, TestServer};
use support::*;
use tracing_subscriber::fmt::format::FmtSpan;

#[tokio::test(flavor = "current_thread")]
async fn spans_have_otel_fields_and_failures_their_attempt_count() {
    let server = TestServer::start([
        Reply::status(503)
            .header("x-amzn-RequestId", "req-busy-1")
            .body("busy"),
        Reply::status(200)
            .header("x-amzn-RequestId", "req-ok-2")
            .body(OK),
        Reply::status(503).body("busy"),
        Reply::status(503)
            .header("x-amzn-RequestId", "req-busy-4")
            .body("busy"),
    ])
    .await;
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(capture.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let client = AwsClient::builder(ELB)
        .env(env(&[]))
        .credentials(Credentials::new("AKIDSPAN", "span-secret"))
        .region("eu-west-1")
        .endpoint(server.url())
        .retry(fast_retry().with_max_attempts(2))
        .build()
        .unwrap();
    client.send(describe()).await.unwrap();
    client.send(describe()).await.unwrap_err();
    let text = capture.text();
    let closes: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("aws_request{") && l.contains("close"))
        .collect();
    assert_eq!(closes.len(), 2, "{text}");
    for field in [
        "rpc.system=\"aws-api\"",
        "rpc.service=\"Elastic Load Balancing\"",
        "rpc.method=\"DescribeLoadBalancers\"",
        "aws.request_id=\"req-ok-2\"",
        "http.response.status_code=200",
        "request_id=\"req-ok-2\"",
        "attempt=2",
        "status=200",
    ] {
        assert!(
            closes[0].contains(field),
            "span lacks {field}: {}",
            closes[0]
        );
    }
    assert!(
        closes[1].contains("http.response.status_code=503"),
        "{}",
        closes[1]
    );
    assert!(
        text.lines()
            .any(|l| l.contains("request failed") && l.contains("attempts=2")),
        "{text}"
    );
    assert!(!text.contains("span-secret"));
}
