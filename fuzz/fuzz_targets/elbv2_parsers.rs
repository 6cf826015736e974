//! Every parser of `lbcloud_elbv2::response` on arbitrary bytes.
//!
//! The first input byte picks the parser (modulo their number), the rest
//! is the body. A parser must return, never panic, and fail only with
//! `InvalidResponse`.
#![no_main]

use lbcloud_elbv2::response as r;
use libfuzzer_sys::fuzz_target;

/// A parser, its value dropped.
type Parse = fn(&[u8]) -> lbcloud_core::Result<()>;

/// In the order of the selector byte.
const PARSERS: &[Parse] = &[
    |b| r::parse_empty("DeleteListener", b),
    |b| r::parse_load_balancers("DescribeLoadBalancers", b).map(drop),
    |b| r::parse_listeners("DescribeListeners", b).map(drop),
    |b| r::parse_rules("DescribeRules", b).map(drop),
    |b| r::parse_target_groups("DescribeTargetGroups", b).map(drop),
    |b| r::parse_attributes("DescribeLoadBalancerAttributes", b).map(drop),
    |b| r::parse_certificates("DescribeListenerCertificates", b).map(drop),
    |b| r::parse_target_health(b).map(drop),
    |b| r::parse_tags(b).map(drop),
    |b| r::parse_limits(b).map(drop),
    |b| r::parse_ssl_policies(b).map(drop),
    |b| r::parse_trust_stores("DescribeTrustStores", b).map(drop),
    |b| r::parse_revocations("DescribeTrustStoreRevocations", b).map(drop),
    |b| r::parse_trust_store_associations(b).map(drop),
    |b| r::parse_location("GetTrustStoreCaCertificatesBundle", b).map(drop),
    |b| r::parse_resource_policy(b).map(drop),
    |b| r::parse_ip_address_type(b).map(drop),
    |b| r::parse_capacity_reservation("DescribeCapacityReservation", b).map(drop),
    |b| r::parse_ip_pools(b).map(drop),
    |b| r::parse_security_groups(b).map(drop),
    |b| r::parse_subnets(b).map(drop),
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let parse = PARSERS[usize::from(selector) % PARSERS.len()];
    if let Err(e) = parse(body) {
        assert_eq!(e.kind(), lbcloud_core::ErrorKind::InvalidResponse, "{e}");
    }
});
