//! Regression guards for the per-call work of the AWS transport (issue 6):
//! building and signing one Query request, and mapping an error body.
//!
//! Run with `cargo bench -p lbcloud-aws --bench request`.

// `criterion_group!` expands to an undocumented `pub fn`.
#![allow(missing_docs)]

use std::hint::black_box;
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

criterion_group!(benches, build_and_sign, map_error);
criterion_main!(benches);
