//! Parser timings for the issue-10 benchmark rows, lbcloud's side: a
//! 400-load-balancer `DescribeLoadBalancers` page with every field
//! populated, and a `DescribeTargetHealth` answer with 100 targets. The
//! comparison with `aws-sdk-elasticloadbalancingv2` belongs in `bench/`.
//!
//! Run with `cargo bench -p lbcloud-elbv2 --bench parse`.

// `criterion_group!` expands to an undocumented `pub fn`.
#![allow(missing_docs)]

use std::fmt::Write;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lbcloud_elbv2::response::{parse_load_balancers, parse_target_health};

const ARN: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012";

fn wrap(action: &str, result: &str) -> String {
    format!(
        "<{action}Response xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">\
         <{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>\
         0b2b9c1e-0000-4d5e-9c2a-6c0f1d2e3f40</RequestId></ResponseMetadata></{action}Response>"
    )
}

/// `n` load balancers, every field of the API reference set.
fn load_balancers(n: usize) -> String {
    let mut list = String::new();
    for i in 0..n {
        let _ = write!(
            list,
            "<member><LoadBalancerArn>{ARN}:loadbalancer/app/web-{i}/50dc6c495c0c{i:04}</LoadBalancerArn>\
             <DNSName>web-{i}-1234567890.us-east-1.elb.amazonaws.com</DNSName>\
             <CanonicalHostedZoneId>Z35SXDOTRQ7X7K</CanonicalHostedZoneId>\
             <CreatedTime>2024-03-25T21:26:12.920Z</CreatedTime><LoadBalancerName>web-{i}</LoadBalancerName>\
             <Scheme>internet-facing</Scheme><VpcId>vpc-3ac0fb5f</VpcId><State><Code>active</Code></State>\
             <Type>application</Type><AvailabilityZones><member><ZoneName>us-east-1a</ZoneName>\
             <SubnetId>subnet-8360a9e7</SubnetId><LoadBalancerAddresses><member><IpAddress>203.0.113.{}</IpAddress>\
             <AllocationId>eipalloc-{i:08}</AllocationId></member></LoadBalancerAddresses></member><member>\
             <ZoneName>us-east-1b</ZoneName><SubnetId>subnet-b7d581c0</SubnetId></member></AvailabilityZones>\
             <SecurityGroups><member>sg-5943793c</member><member>sg-6943793d</member></SecurityGroups>\
             <IpAddressType>dualstack</IpAddressType><CustomerOwnedIpv4Pool>ipv4pool-coip-1</CustomerOwnedIpv4Pool>\
             <EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic>on</EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic>\
             <EnablePrefixForIpv6SourceNat>off</EnablePrefixForIpv6SourceNat>\
             <IpamPools><Ipv4IpamPoolId>ipam-pool-1</Ipv4IpamPoolId></IpamPools></member>",
            i % 250
        );
    }
    wrap(
        "DescribeLoadBalancers",
        &format!("<LoadBalancers>{list}</LoadBalancers><NextMarker>next</NextMarker>"),
    )
}

/// `n` targets, half healthy and half draining with a reason.
fn target_health(n: usize) -> String {
    let mut list = String::new();
    for i in 0..n {
        let health = if i % 2 == 0 {
            "<State>healthy</State>".to_owned()
        } else {
            "<State>unhealthy.draining</State><Reason>Target.DeregistrationInProgress</Reason>\
             <Description>Target deregistration is in progress</Description>"
                .to_owned()
        };
        let _ = write!(
            list,
            "<member><Target><Id>10.0.{}.{}</Id><Port>{}</Port><AvailabilityZone>us-east-1a</AvailabilityZone>\
             </Target><HealthCheckPort>{}</HealthCheckPort><TargetHealth>{health}</TargetHealth></member>",
            i / 250,
            i % 250,
            8000 + i,
            8000 + i
        );
    }
    wrap(
        "DescribeTargetHealth",
        &format!("<TargetHealthDescriptions>{list}</TargetHealthDescriptions>"),
    )
}

fn parse(c: &mut Criterion) {
    for n in [1, 400] {
        let page = load_balancers(n);
        let body = page.as_bytes();
        assert_eq!(
            parse_load_balancers("DescribeLoadBalancers", body)
                .map(|p| p.items.len())
                .ok(),
            Some(n)
        );
        let mut group = c.benchmark_group(format!("describe_load_balancers_{n}"));
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function("parse", |b| {
            b.iter(|| parse_load_balancers("DescribeLoadBalancers", black_box(body)))
        });
        group.finish();
    }
    let answer = target_health(100);
    let body = answer.as_bytes();
    assert_eq!(parse_target_health(body).map(|t| t.len()).ok(), Some(100));
    let mut group = c.benchmark_group("describe_target_health_100");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("parse", |b| b.iter(|| parse_target_health(black_box(body))));
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
