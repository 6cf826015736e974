//! Pure builders of the Query parameters of every classic ELB action:
//! typed input -> [`QueryParams`], no I/O.
//!
//! Each builder validates its input *before* building and fails with
//! [`ErrorKind::InvalidInput`](lbcloud_core::ErrorKind::InvalidInput) naming
//! the field and the rule, so bad input never costs a request. The limits
//! are those of the API reference (botocore's `elb` 2012-06-01 model and the
//! action documentation): names 1-32 letters, digits and hyphens; ports
//! 1-65535; protocols TCP, SSL, HTTP, HTTPS, paired by layer; a certificate
//! on HTTPS and SSL listeners; `PageSize` 1-400; `DescribeTags` 1-20 names;
//! `AddTags` / `RemoveTags` one balancer, at most 10 tags, keys 1-128 and
//! values 0-256 characters; at most 10 additional attributes; idle timeout
//! and draining timeout 1-3600 s; access-log interval 5 or 60 minutes.
//!
//! Lists are numbered `Name.member.1`, `Name.member.2`, ... An empty policy
//! list that means "remove every policy" is still sent (`PolicyNames=`).

mod balancer;
mod meta;
mod policy;

pub use balancer::*;
pub use meta::*;
pub use policy::*;

use lbcloud_aws::QueryParams;
use lbcloud_core::limits::{DurationRange, NameRule, Range};
use lbcloud_core::{Error, Limits, Listener, Protocol, Result, validate};

/// The API version every request carries.
pub const VERSION: &str = "2012-06-01";

/// The 29 actions of the classic ELB API, in alphabetical order; each has a
/// builder in this module.
pub const ACTIONS: [&str; 29] = [
    "AddTags",
    "ApplySecurityGroupsToLoadBalancer",
    "AttachLoadBalancerToSubnets",
    "ConfigureHealthCheck",
    "CreateAppCookieStickinessPolicy",
    "CreateLBCookieStickinessPolicy",
    "CreateLoadBalancer",
    "CreateLoadBalancerListeners",
    "CreateLoadBalancerPolicy",
    "DeleteLoadBalancer",
    "DeleteLoadBalancerListeners",
    "DeleteLoadBalancerPolicy",
    "DeregisterInstancesFromLoadBalancer",
    "DescribeAccountLimits",
    "DescribeInstanceHealth",
    "DescribeLoadBalancerAttributes",
    "DescribeLoadBalancerPolicies",
    "DescribeLoadBalancerPolicyTypes",
    "DescribeLoadBalancers",
    "DescribeTags",
    "DetachLoadBalancerFromSubnets",
    "DisableAvailabilityZonesForLoadBalancer",
    "EnableAvailabilityZonesForLoadBalancer",
    "ModifyLoadBalancerAttributes",
    "RegisterInstancesWithLoadBalancer",
    "RemoveTags",
    "SetLoadBalancerListenerSSLCertificate",
    "SetLoadBalancerPoliciesForBackendServer",
    "SetLoadBalancerPoliciesOfListener",
];

/// The protocols classic ELB listeners speak.
pub const ELB_PROTOCOLS: [Protocol; 4] = [
    Protocol::Tcp,
    Protocol::Ssl,
    Protocol::Http,
    Protocol::Https,
];

/// The largest `PageSize` of `DescribeLoadBalancers` and `DescribeAccountLimits`.
pub const MAX_PAGE_SIZE: u32 = 400;

/// Classic ELB's input rules, from the API reference: balancer names of 1
/// to 32 ASCII letters, digits and hyphens, not starting or ending with a
/// hyphen; health checks every 5-300 s with a 2-60 s timeout below the
/// interval, in whole seconds; healthy and unhealthy thresholds 2-10; a
/// health-check path of at most 1024 bytes; members without weights; at
/// most 100 listeners per balancer (the `classic-listeners` default quota).
/// [`ElbDriver::limits`](lbcloud_core::Driver::limits) returns it.
///
/// ```
/// use std::time::Duration;
/// use lbcloud_core::HealthCheck;
/// use lbcloud_elb::ELB_LIMITS;
///
/// assert!(ELB_LIMITS.name.check("name", "web-lb-1").is_ok());
/// assert!(ELB_LIMITS.name.check("name", "web_lb").is_err());
/// let every_second = HealthCheck::tcp(Some(80)).interval(Duration::from_secs(1));
/// assert!(every_second.validate(&ELB_LIMITS).is_err());
/// assert_eq!(ELB_LIMITS.weight, None);
/// ```
pub const ELB_LIMITS: Limits = Limits::new()
    .with_name(NameRule::new(32, "-"))
    .with_health_interval(DurationRange::secs(5, 300))
    .with_health_timeout(DurationRange::secs(2, 60))
    .with_timeout_below_interval(true)
    .with_health_threshold(Range::new(2, 10))
    .with_health_path_max_len(1024)
    .with_weight(None)
    .with_members_per_call(None)
    .with_listeners_per_balancer(100);

/// Checks a balancer name against ELB's rule ([`ELB_LIMITS`]`.name`).
pub fn check_name(field: &str, name: &str) -> Result<()> {
    ELB_LIMITS.name.check(field, name)
}

/// A request for `action` with the balancer name checked and set.
fn for_balancer(action: &'static str, name: &str) -> Result<QueryParams> {
    check_name("load_balancer_name", name)?;
    let mut q = QueryParams::new(action, VERSION);
    q.push("LoadBalancerName", name);
    Ok(q)
}

/// Checks a list the action requires: at least one item, none empty, no
/// item twice.
fn required_list<S: AsRef<str>>(field: &str, items: &[S]) -> Result<()> {
    if items.is_empty() {
        return Err(Error::invalid_input(field, "must hold at least one item"));
    }
    optional_list(field, items)
}

/// Checks an optional list: no empty item, no item twice.
fn optional_list<S: AsRef<str>>(field: &str, items: &[S]) -> Result<()> {
    for (i, item) in items.iter().enumerate() {
        let item = item.as_ref();
        validate::non_empty(&format!("{field}[{i}]"), item)?;
        if items.iter().take(i).any(|prev| prev.as_ref() == item) {
            return Err(Error::invalid_input(
                format!("{field}[{i}]"),
                format!("{item:?} is listed twice"),
            ));
        }
    }
    Ok(())
}

fn owned<S: AsRef<str>>(items: &[S]) -> impl Iterator<Item = String> + '_ {
    items.iter().map(|s| s.as_ref().to_owned())
}

/// Checks one listener against ELB's rules: an ELB protocol on both sides,
/// valid ports, protocols of one layer, a certificate exactly on HTTPS/SSL.
fn elb_listener(field: &str, l: &Listener) -> Result<()> {
    validate::protocol_supported(&format!("{field}.protocol"), l.protocol, &ELB_PROTOCOLS)?;
    if let Some(p) = l.instance_protocol {
        validate::protocol_supported(&format!("{field}.instance_protocol"), p, &ELB_PROTOCOLS)?;
    }
    l.validate(field)
}

/// Checks listeners (at least one, each valid, no port twice) and adds them
/// as `Listeners.member.N.*`.
fn push_listeners(q: &mut QueryParams, listeners: &[Listener]) -> Result<()> {
    if listeners.is_empty() {
        return Err(Error::invalid_input(
            "listeners",
            "at least one listener is required",
        ));
    }
    for (i, l) in listeners.iter().enumerate() {
        let field = format!("listeners[{i}]");
        elb_listener(&field, l)?;
        if listeners.iter().take(i).any(|prev| prev.port == l.port) {
            return Err(Error::invalid_input(
                format!("{field}.port"),
                format!("port {} is used by two listeners", l.port),
            ));
        }
    }
    q.push_list(
        "Listeners",
        listeners.iter().map(|l| {
            let mut fields = vec![
                ("Protocol", protocol_name(l.protocol).to_owned()),
                ("LoadBalancerPort", l.port.to_string()),
                ("InstancePort", l.instance_port.to_string()),
            ];
            if let Some(p) = l.instance_protocol {
                fields.push(("InstanceProtocol", protocol_name(p).to_owned()));
            }
            if let Some(c) = &l.certificate_id {
                fields.push(("SSLCertificateId", c.clone()));
            }
            fields
        }),
    );
    Ok(())
}

/// The AWS spelling of an ELB protocol.
fn protocol_name(p: Protocol) -> &'static str {
    match p {
        Protocol::Tcp => "TCP",
        Protocol::Ssl => "SSL",
        Protocol::Http => "HTTP",
        Protocol::Https => "HTTPS",
        // Rejected by `elb_listener` before any caller gets here.
        _ => "UNSUPPORTED",
    }
}

/// Checks an optional page size: 1 to 400.
fn page_size(q: &mut QueryParams, size: Option<u32>) -> Result<()> {
    if let Some(n) = size {
        validate::range("page_size", n, 1, MAX_PAGE_SIZE)?;
        q.push("PageSize", n.to_string());
    }
    Ok(())
}

/// Checks an optional marker (not empty when given).
fn marker(q: &mut QueryParams, marker: Option<&str>) -> Result<()> {
    if let Some(m) = marker {
        validate::non_empty("marker", m)?;
        q.push("Marker", m);
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod testutil {
    use lbcloud_aws::QueryParams;
    use lbcloud_core::{ErrorKind, Result};

    /// Asserts the request's pairs are exactly `expected`, in order, after
    /// `Action` and `Version`.
    pub(crate) fn assert_pairs(q: &QueryParams, action: &str, expected: &[(&str, &str)]) {
        let pairs: Vec<(&str, &str)> = q.pairs().collect();
        assert_eq!(pairs[0], ("Action", action));
        assert_eq!(pairs[1], ("Version", super::VERSION));
        assert_eq!(&pairs[2..], expected, "{action}");
    }

    /// Asserts `r` is an InvalidInput error about `field`.
    pub(crate) fn rejects(r: Result<QueryParams>, field: &str) {
        match r {
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
                assert_eq!(e.field(), Some(field), "{e}");
            }
            Ok(q) => panic!("accepted bad {field}: {}", q.encode()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn the_action_table_is_complete_and_sorted() {
        let set: BTreeSet<_> = ACTIONS.iter().collect();
        assert_eq!(set.len(), 29);
        assert!(ACTIONS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn every_action_has_a_builder() -> Result<()> {
        use crate::model::{BalancerAttributes, Policy, Tag};
        use lbcloud_core::{CreateBalancer, HealthCheck};

        let none: &[&str] = &[];
        let one = ["x-1"];
        let built = [
            add_tags("web", &[Tag::new("k", "v")])?,
            apply_security_groups_to_load_balancer("web", &one)?,
            attach_load_balancer_to_subnets("web", &one)?,
            configure_health_check("web", &HealthCheck::new("TCP:22")?, None)?,
            create_app_cookie_stickiness_policy("web", "p", "c")?,
            create_lb_cookie_stickiness_policy("web", "p", None)?,
            create_load_balancer(&CreateBalancer::new("web", 80, Protocol::Http).zones(one))?,
            create_load_balancer_listeners("web", &[Listener::new(81, Protocol::Tcp, 81)])?,
            create_load_balancer_policy("web", &Policy::new("p", "T"))?,
            delete_load_balancer("web")?,
            delete_load_balancer_listeners("web", &[81])?,
            delete_load_balancer_policy("web", "p")?,
            deregister_instances_from_load_balancer("web", &one)?,
            describe_account_limits(None, None)?,
            describe_instance_health("web", none)?,
            describe_load_balancer_attributes("web")?,
            describe_load_balancer_policies(None, none)?,
            describe_load_balancer_policy_types(none)?,
            describe_load_balancers(none, None, None)?,
            describe_tags(&["web"])?,
            detach_load_balancer_from_subnets("web", &one)?,
            disable_availability_zones_for_load_balancer("web", &one)?,
            enable_availability_zones_for_load_balancer("web", &one)?,
            modify_load_balancer_attributes(
                "web",
                &BalancerAttributes {
                    cross_zone_load_balancing: Some(true),
                    ..BalancerAttributes::default()
                },
            )?,
            register_instances_with_load_balancer("web", &one)?,
            remove_tags("web", &["k"])?,
            set_load_balancer_listener_ssl_certificate("web", 443, "arn")?,
            set_load_balancer_policies_for_backend_server("web", 80, none)?,
            set_load_balancer_policies_of_listener("web", 80, none)?,
        ];
        let actions: Vec<&str> = built.iter().map(QueryParams::action).collect();
        assert_eq!(actions, ACTIONS);
        for q in &built {
            assert_eq!(q.get("Version"), Some(VERSION));
        }
        Ok(())
    }
}
