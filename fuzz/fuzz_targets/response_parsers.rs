//! Every parser of `lbcloud_elb::response` on arbitrary bytes.
//!
//! The first input byte picks the parser (modulo their number), the rest
//! is the body. A parser must return, never panic, and fail only with
//! `InvalidResponse`. The seed corpus (`corpus/response_parsers/`) holds a
//! valid answer for each parser, prefixed with its selector byte.
#![no_main]

use lbcloud_elb::response as r;
use libfuzzer_sys::fuzz_target;

/// A parser, its value dropped.
type Parse = fn(&[u8]) -> lbcloud_core::Result<()>;

/// In the order of the selector byte.
const PARSERS: &[Parse] = &[
    |b| r::parse_empty_result("DeleteLoadBalancer", b),
    |b| r::parse_empty_result("AddTags", b),
    |b| r::parse_create_load_balancer(b).map(drop),
    |b| r::parse_configure_health_check(b).map(drop),
    |b| r::parse_register_instances(b).map(drop),
    |b| r::parse_deregister_instances(b).map(drop),
    |b| r::parse_enable_availability_zones(b).map(drop),
    |b| r::parse_disable_availability_zones(b).map(drop),
    |b| r::parse_attach_subnets(b).map(drop),
    |b| r::parse_detach_subnets(b).map(drop),
    |b| r::parse_apply_security_groups(b).map(drop),
    |b| r::parse_describe_instance_health(b).map(drop),
    |b| r::parse_describe_tags(b).map(drop),
    |b| r::parse_describe_account_limits(b).map(drop),
    |b| r::parse_describe_load_balancer_attributes(b).map(drop),
    |b| r::parse_modify_load_balancer_attributes(b).map(drop),
    |b| r::parse_describe_load_balancer_policies(b).map(drop),
    |b| r::parse_describe_load_balancer_policy_types(b).map(drop),
    |b| r::parse_describe_load_balancers(b).map(drop),
    |b| r::parse_load_balancer_descriptions(b).map(drop),
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
