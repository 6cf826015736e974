//! Regression guards for the per-call work of the AWS transport (issue 6):
//! building and signing one Query request, mapping an error body, and the
//! adaptive retry mode's rate-limiter bookkeeping per attempt (issue 13).
//!
//! Run with `cargo bench -p lbcloud-aws --bench request`.

// `criterion_group!` expands to an undocumented `pub fn`.
#![allow(missing_docs)]

use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use criterion::{Criterion, criterion_group, criterion_main};
use lbcloud_aws::error::{parse_error_response, to_error};
use lbcloud_aws::{Credentials, QueryParams};

// The signer the transport uses is crate-private; the bench includes the
// very same file by path rather than widen the public API. Its
// `use crate::Credentials` resolves to the import above.
#[allow(unreachable_pub, dead_code)]
#[path = "../src/signing.rs"]
mod signing;

// Likewise the rate limiter, for its crate-private per-attempt calls (its
// unit tests are not run from here; `--all-targets` sees them unused).
#[allow(unreachable_pub, dead_code, unused_imports)]
#[path = "../src/rate_limit.rs"]
mod rate_limit;

const URL: &str = "https://elasticloadbalancing.us-east-1.amazonaws.com/";

/// One `DescribeLoadBalancers` page request, as the ELB driver builds it.
fn params() -> QueryParams {
    let mut p = QueryParams::new("DescribeLoadBalancers", "2012-06-01");
    p.push("PageSize", "400");
    p.push("Marker", "bGItMDAwNDAwCg==");
    p
}

fn build_and_sign(c: &mut Criterion) {
    let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    let time = UNIX_EPOCH + Duration::from_secs(1_714_979_289);
    let mut group = c.benchmark_group("request");
    group.bench_function("build_and_sign_describe", |b| {
        b.iter(|| {
            let body = black_box(params()).encode();
            signing::sign_post(
                black_box(&credentials),
                "us-east-1",
                "elasticloadbalancing",
                URL,
                body.as_bytes(),
                time,
            )
        })
    });
    group.finish();
}

fn map_error(c: &mut Criterion) {
    let not_found =
        b"<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/\">\n  \
        <Error>\n    <Type>Sender</Type>\n    <Code>LoadBalancerNotFound</Code>\n    \
        <Message>There is no ACTIVE Load Balancer named &apos;web&apos;</Message>\n  </Error>\n  \
        <RequestId>83c88b9d-12b7-11e3-8b82-87b12EXAMPLE</RequestId>\n</ErrorResponse>\n";
    let html = b"<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>";
    let mut group = c.benchmark_group("error");
    group.bench_function("map_aws_error_body", |b| {
        b.iter(|| {
            let parsed = parse_error_response(400, black_box(not_found));
            to_error("elb", "get_balancer", parsed, None)
        })
    });
    group.bench_function("map_html_error_body", |b| {
        b.iter(|| {
            let parsed = parse_error_response(502, black_box(html));
            to_error("elb", "list_balancers", parsed, Some("req-1"))
        })
    });
    group.finish();
}

/// A clock that moves 100 ms each time it is read: every attempt finds a
/// token refilled, as a client that is not being held back would.
struct Ticking(AtomicU64);

impl rate_limit::RateLimitClock for Ticking {
    fn now(&self) -> Duration {
        Duration::from_millis(self.0.fetch_add(100, Ordering::Relaxed))
    }
    fn sleep(&self, _: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(std::future::ready(()))
    }
}

fn adaptive_limiter(c: &mut Criterion) {
    let limiter = rate_limit::ClientRateLimiter::with_clock(Arc::new(Ticking(AtomicU64::new(0))));
    // Switched on, as after a throttling error.
    limiter.record(true);
    let mut group = c.benchmark_group("rate_limiter");
    group.bench_function("reserve_and_record_one_attempt", |b| {
        b.iter(|| {
            let wait = limiter.reserve(black_box(Duration::from_secs(120)));
            limiter.record(black_box(false));
            wait
        })
    });
    group.finish();
}

criterion_group!(benches, build_and_sign, map_error, adaptive_limiter);
criterion_main!(benches);
