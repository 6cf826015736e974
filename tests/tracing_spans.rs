//! Each AWS request is traced as one `aws_request` span carrying the
//! provider, the action, the region, the attempt count, the HTTP status and
//! the request id, so an operator can follow a call and quote the id to AWS.

use std::sync::Arc;
use std::time::Duration;

use lbcloud::Driver;
use lbcloud_aws::{Env, RetryConfig};
use lbcloud_elb::ElbDriver;
use lbcloud_testserver::{Reply, TestServer};
use tracing_subscriber::fmt::format::FmtSpan;

#[path = "support/capture.rs"]
mod capture;
use capture::Capture;

const PAGE: &str = "<DescribeLoadBalancersResponse><DescribeLoadBalancersResult>\
    <LoadBalancerDescriptions/></DescribeLoadBalancersResult>\
    <ResponseMetadata><RequestId>req-good-2</RequestId></ResponseMetadata>\
    </DescribeLoadBalancersResponse>";

// current_thread: the scoped subscriber sees the whole call.
#[tokio::test(flavor = "current_thread")]
async fn a_retried_request_is_one_span_with_action_region_attempt_status_and_request_id() {
    let server = TestServer::start([
        Reply::status(400)
            .header("x-amzn-RequestId", "req-throttled-1")
            .body("<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>"),
        Reply::status(200)
            .header("x-amzn-RequestId", "req-good-2")
            .body(PAGE),
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

    let elb = ElbDriver::builder()
        // Scripted DescribeLoadBalancers answers only: no tag calls.
        .list_tags(false)
        .key("AKIDTRACING")
        .secret("tracing-secret")
        .region("eu-west-1")
        .endpoint(server.url())
        .env(Env::empty())
        .retry(RetryConfig::default().with_jitter(Arc::new(|_| Duration::ZERO)))
        .build()
        .unwrap();
    assert!(elb.list_balancers().await.unwrap().is_empty());
    assert_eq!(server.request_count(), 2);

    let text = capture.text();
    let closes: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("aws_request{") && l.contains("close"))
        .collect();
    assert_eq!(
        closes.len(),
        1,
        "one span for the whole call, retries included:\n{text}"
    );
    let span = closes[0];
    for field in [
        "provider=\"elb\"",
        "action=\"DescribeLoadBalancers\"",
        "region=eu-west-1",
        "attempt=2",
        "status=200",
        "request_id=\"req-good-2\"",
    ] {
        assert!(span.contains(field), "span lacks {field}: {span}");
    }
    // The failed first attempt is reported inside the span, with its code.
    assert!(
        text.lines()
            .any(|l| l.contains("attempt failed") && l.contains("Throttling")),
        "no event for the throttled attempt:\n{text}"
    );
    assert!(
        !text.contains("tracing-secret"),
        "the secret reached the trace:\n{text}"
    );
}

/// Through the checking layer every driver gets from the registry, the
/// operation is one `lbcloud_operation` span (operation, provider,
/// balancer) and the requests it sends are spans inside it.
#[tokio::test(flavor = "current_thread")]
async fn an_operation_span_parents_its_request_spans() {
    let server = TestServer::start([Reply::status(200)
        .header("x-amzn-RequestId", "req-op-1")
        .body(PAGE)])
    .await;
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(capture.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let elb = ElbDriver::builder()
        .list_tags(false)
        .key("AKIDTRACING")
        .secret("tracing-secret")
        .region("eu-west-1")
        .endpoint(server.url())
        .env(Env::empty())
        .build()
        .unwrap();
    let driver = lbcloud::CheckedDriver::wrap(Arc::new(elb));
    assert!(driver.list_balancers().await.unwrap().is_empty());

    let text = capture.text();
    // fmt prints a span's parents before it: `lbcloud_operation{...}:aws_request{...}`.
    let request = text
        .lines()
        .find(|l| l.contains("aws_request{") && l.contains("close"))
        .unwrap_or_else(|| panic!("no aws_request span:\n{text}"));
    assert!(
        request.contains(
            "lbcloud_operation{lbcloud.operation=\"list_balancers\" lbcloud.provider=\"elb\""
        ),
        "the request span is not inside the operation span: {request}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("")
            && l.contains("lbcloud_operation{")
            && l.contains("close")
            && !l.contains("aws_request{")),
        "the operation span does not close on its own:\n{text}"
    );
}
