//! Pure builders of the Query parameters of every ELBv2 action: typed
//! input -> [`QueryParams`], no I/O.
//!
//! Each builder checks its input *before* building and fails with
//! [`ErrorKind::InvalidInput`](lbcloud_core::ErrorKind::InvalidInput)
//! naming the field and the rule, so bad input never costs a request. The
//! rules are those of the API reference and botocore's `elbv2` 2015-12-01
//! model: load balancer and target group names 1-32 letters, digits and
//! hyphens with no hyphen at either end (a load balancer's not starting
//! with `internal-`); trust store names the same with no double hyphen;
//! ARNs start with `arn:`; ports 1-65535; rule priorities and action
//! orders 1-50000; health check interval 5-300 s, timeout 2-120 s,
//! thresholds 2-10, path 1-1024 characters from `/`; forward weights
//! 0-999 over 1-5 target groups, stickiness 1-604800 s; fixed responses
//! 2XX/4XX/5XX with a body of at most 1024 characters and one of five
//! content types; redirect host and path 1-128 characters, query 0-128;
//! `PageSize` 1-400; `DescribeTags` 1-20 ARNs; tag keys 1-128 and values
//! 0-256 characters of letters, digits, spaces and `_.:/=+-@`; at most 20
//! load balancer attributes per call.
//!
//! Lists are numbered `Name.member.1`, `Name.member.2`, ...; nested
//! structures are dotted (`DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.Weight`);
//! maps are `Name.entry.N.key` / `.value`.

mod balancer;
pub(crate) mod check;
mod listener;
mod misc;
mod target;

pub use balancer::*;
pub use listener::*;
pub use misc::*;
pub use target::*;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Display;

use lbcloud_aws::QueryParams;
use lbcloud_core::Result;

pub use check::{MAX_LB_ATTRIBUTES, MAX_NAME_LEN, MAX_TAG_ARNS, MAX_TAGS};

/// The API version every request carries.
pub const VERSION: &str = "2015-12-01";

/// The 51 actions of the ELBv2 API, in alphabetical order; each has a
/// builder in this module.
pub const ACTIONS: [&str; 51] = [
    "AddListenerCertificates",
    "AddTags",
    "AddTrustStoreRevocations",
    "CreateListener",
    "CreateLoadBalancer",
    "CreateRule",
    "CreateTargetGroup",
    "CreateTrustStore",
    "DeleteListener",
    "DeleteLoadBalancer",
    "DeleteRule",
    "DeleteSharedTrustStoreAssociation",
    "DeleteTargetGroup",
    "DeleteTrustStore",
    "DeregisterTargets",
    "DescribeAccountLimits",
    "DescribeCapacityReservation",
    "DescribeListenerAttributes",
    "DescribeListenerCertificates",
    "DescribeListeners",
    "DescribeLoadBalancerAttributes",
    "DescribeLoadBalancers",
    "DescribeRules",
    "DescribeSSLPolicies",
    "DescribeTags",
    "DescribeTargetGroupAttributes",
    "DescribeTargetGroups",
    "DescribeTargetHealth",
    "DescribeTrustStoreAssociations",
    "DescribeTrustStoreRevocations",
    "DescribeTrustStores",
    "GetResourcePolicy",
    "GetTrustStoreCaCertificatesBundle",
    "GetTrustStoreRevocationContent",
    "ModifyCapacityReservation",
    "ModifyIpPools",
    "ModifyListener",
    "ModifyListenerAttributes",
    "ModifyLoadBalancerAttributes",
    "ModifyRule",
    "ModifyTargetGroup",
    "ModifyTargetGroupAttributes",
    "ModifyTrustStore",
    "RegisterTargets",
    "RemoveListenerCertificates",
    "RemoveTags",
    "RemoveTrustStoreRevocations",
    "SetIpAddressType",
    "SetRulePriorities",
    "SetSecurityGroups",
    "SetSubnets",
];

/// The largest `PageSize` of the describe actions.
pub const MAX_PAGE_SIZE: u32 = 400;

/// Writes the fields of one structure under a dotted prefix.
pub(crate) struct Fields<'q> {
    q: &'q mut QueryParams,
    prefix: String,
}

impl<'q> Fields<'q> {
    /// The top level of a request.
    pub(crate) fn new(q: &'q mut QueryParams) -> Self {
        Self {
            q,
            prefix: String::new(),
        }
    }

    fn key(&self, name: &str) -> Cow<'static, str> {
        if self.prefix.is_empty() {
            Cow::Owned(name.to_owned())
        } else {
            Cow::Owned(format!("{}.{name}", self.prefix))
        }
    }

    /// `name=value`.
    pub(crate) fn set(&mut self, name: &str, value: impl Display) {
        let key = self.key(name);
        self.q.push(key, value.to_string());
    }

    /// `name=value` when there is a value.
    pub(crate) fn opt(&mut self, name: &str, value: Option<impl Display>) {
        if let Some(v) = value {
            self.set(name, v);
        }
    }

    /// The fields of the structure `name`.
    pub(crate) fn nested(&mut self, name: &str) -> Fields<'_> {
        let prefix = self.key(name).into_owned();
        Fields { q: self.q, prefix }
    }

    /// A list of structures, `name.member.N.*`; nothing when empty.
    pub(crate) fn list<T>(
        &mut self,
        name: &str,
        items: &[T],
        mut f: impl FnMut(&mut Fields<'_>, &T),
    ) {
        for (i, item) in items.iter().enumerate() {
            let mut member = self.nested(&format!("{name}.member.{}", i + 1));
            f(&mut member, item);
        }
    }

    /// A list of scalars, `name.member.N`; nothing when empty.
    pub(crate) fn strings<S: Display>(&mut self, name: &str, items: &[S]) {
        for (i, item) in items.iter().enumerate() {
            self.set(&format!("{name}.member.{}", i + 1), item);
        }
    }

    /// A list of scalars that is sent even when empty (`name=`), where an
    /// empty list means "none" rather than "not given".
    pub(crate) fn strings_or_empty<S: Display>(&mut self, name: &str, items: &[S]) {
        if items.is_empty() {
            self.set(name, "");
        } else {
            self.strings(name, items);
        }
    }

    /// A map, `name.entry.N.key` / `.value`; nothing when empty.
    pub(crate) fn map(&mut self, name: &str, map: &BTreeMap<String, String>) {
        for (i, (k, v)) in map.iter().enumerate() {
            let mut entry = self.nested(&format!("{name}.entry.{}", i + 1));
            entry.set("key", k);
            entry.set("value", v);
        }
    }
}

/// A request for `action` with its parameters written by `f`.
pub(crate) fn build(action: &'static str, f: impl FnOnce(&mut Fields<'_>)) -> QueryParams {
    let mut q = QueryParams::new(action, VERSION);
    f(&mut Fields::new(&mut q));
    q
}

/// A request for `action` that takes one ARN, checked, as `field_name`.
pub(crate) fn by_arn(
    action: &'static str,
    field: &str,
    wire: &str,
    arn: &str,
) -> Result<QueryParams> {
    check::arn(field, arn)?;
    Ok(build(action, |f| f.set(wire, arn)))
}

/// Checks and writes optional `Marker` and `PageSize`.
pub(crate) fn paging(f: &mut Fields<'_>, marker: Option<&str>, page_size: Option<u32>) {
    f.opt("Marker", marker);
    f.opt("PageSize", page_size);
}

/// Checks an optional marker and page size.
pub(crate) fn check_paging(marker: Option<&str>, page_size: Option<u32>) -> Result<()> {
    if let Some(m) = marker {
        check::non_empty("marker", m)?;
    }
    if let Some(n) = page_size {
        check::range("page_size", n, 1, MAX_PAGE_SIZE)?;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod testutil {
    use lbcloud_aws::QueryParams;
    use lbcloud_core::{ErrorKind, Result};

    /// The request's pairs after `Action` and `Version`.
    pub(crate) fn pairs(q: &QueryParams) -> Vec<(String, String)> {
        q.pairs()
            .skip(2)
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    /// Asserts `r` is an InvalidInput error about `field`.
    pub(crate) fn rejects<T: std::fmt::Debug>(r: Result<T>, field: &str) {
        match r {
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
                assert_eq!(e.field(), Some(field), "{e}");
            }
            Ok(q) => panic!("accepted bad {field}: {q:?}"),
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
        assert_eq!(set.len(), 51);
        assert!(ACTIONS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn fields_nest_number_from_one_and_encode_maps() {
        let mut map = BTreeMap::new();
        map.insert("prompt".to_owned(), "login".to_owned());
        let q = build("X", |f| {
            f.set("A", 1);
            f.opt("B", None::<&str>);
            let mut n = f.nested("C");
            n.list("L", &["x", "y"], |m, v| m.set("V", v));
            n.map("M", &map);
            f.strings_or_empty("E", &[] as &[&str]);
        });
        assert_eq!(
            testutil::pairs(&q),
            [
                ("A", "1"),
                ("C.L.member.1.V", "x"),
                ("C.L.member.2.V", "y"),
                ("C.M.entry.1.key", "prompt"),
                ("C.M.entry.1.value", "login"),
                ("E", ""),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
    }

    #[test]
    fn name_rules_follow_the_api_reference() {
        use testutil::rejects;
        for ok in ["web", "a", "web-1", &"a".repeat(32)] {
            check::load_balancer_name("name", ok).unwrap();
            check::resource_name("name", ok).unwrap();
        }
        for bad in ["", "-web", "web-", "we b", "web_1", "wéb", &"a".repeat(33)] {
            rejects(check::resource_name("name", bad), "name");
        }
        rejects(check::load_balancer_name("name", "internal-web"), "name");
        check::resource_name("name", "internal-web").unwrap();
        rejects(check::trust_store_name("name", "a--b"), "name");
        rejects(check::arn("arn", "arn:"), "arn");
        rejects(check::arn("arn", "arn:aws:x y"), "arn");
        rejects(
            describe_listeners::<&str>(None, &[], None, None),
            "load_balancer_arn",
        );
        rejects(
            describe_rules(Some("arn:l"), &["arn:r"], None, None),
            "listener_arn",
        );
        rejects(
            describe_load_balancers::<&str>(&[], &[], None, Some(401)),
            "page_size",
        );
        rejects(
            describe_load_balancers::<&str>(&[], &[], Some(""), None),
            "marker",
        );
    }
}
