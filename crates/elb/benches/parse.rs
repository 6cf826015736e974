//! Regression guard for the DescribeLoadBalancers parser (issue 6): a
//! realistic 400-balancer page (~1.3 MB, every field populated) parsed into
//! core `Balancer`s, and into typed descriptions; the same for the second
//! fixture, shaped unlike the first.
//!
//! Run with `cargo bench -p lbcloud-elb --bench parse`.

// `criterion_group!` expands to an undocumented `pub fn`.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lbcloud_elb::response::{parse_describe_load_balancers, parse_load_balancer_descriptions};

// The generator is the crate's `fixtures` module, included by path so this
// bench runs without `--features fixtures` (the file uses only std).
#[allow(unreachable_pub, dead_code)]
#[path = "../src/fixtures.rs"]
mod fixtures;

fn parse(c: &mut Criterion) {
    let page = fixtures::describe_load_balancers_page(0, 400, Some("next"));
    let body = page.as_bytes();
    assert_eq!(
        parse_describe_load_balancers(body)
            .map(|p| p.balancers.len())
            .ok(),
        Some(400)
    );
    let mut group = c.benchmark_group("describe_load_balancers_400");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("into_balancers", |b| {
        b.iter(|| parse_describe_load_balancers(black_box(body)))
    });
    group.bench_function("into_descriptions", |b| {
        b.iter(|| parse_load_balancer_descriptions(black_box(body)))
    });
    group.finish();

    // The second fixture, shaped unlike the first (see `fixtures`).
    let varied = fixtures::describe_load_balancers_page_varied(0, 400, Some("next"));
    let body = varied.as_bytes();
    let mut group = c.benchmark_group("describe_load_balancers_400_varied");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("into_balancers", |b| {
        b.iter(|| parse_describe_load_balancers(black_box(body)))
    });
    group.bench_function("into_descriptions", |b| {
        b.iter(|| parse_load_balancer_descriptions(black_box(body)))
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
