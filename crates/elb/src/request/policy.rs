//! Builders for policies: stickiness, generic policies, and which policies
//! apply to a listener or an instance port.

use lbcloud_aws::QueryParams;
use lbcloud_core::{Error, Result, validate};

use super::{VERSION, for_balancer, optional_list, owned};
use crate::model::Policy;

/// Checks the name of a policy to create: letters, digits and hyphens
/// (the API reference's rule for policy names).
fn new_policy_name(field: &str, name: &str) -> Result<()> {
    validate::non_empty(field, name)?;
    validate::letters_digits_hyphens(field, name)
}

/// `CreateAppCookieStickinessPolicy`: stickiness that follows the
/// application cookie `cookie_name`.
pub fn create_app_cookie_stickiness_policy(
    name: &str,
    policy_name: &str,
    cookie_name: &str,
) -> Result<QueryParams> {
    let mut q = for_balancer("CreateAppCookieStickinessPolicy", name)?;
    new_policy_name("policy_name", policy_name)?;
    validate::non_empty("cookie_name", cookie_name)?;
    q.push("PolicyName", policy_name);
    q.push("CookieName", cookie_name);
    Ok(q)
}

/// `CreateLBCookieStickinessPolicy`: stickiness by a balancer cookie that
/// expires after `cookie_expiration_period` seconds (`None`: the browser
/// session). The period must not be negative.
pub fn create_lb_cookie_stickiness_policy(
    name: &str,
    policy_name: &str,
    cookie_expiration_period: Option<i64>,
) -> Result<QueryParams> {
    let mut q = for_balancer("CreateLBCookieStickinessPolicy", name)?;
    new_policy_name("policy_name", policy_name)?;
    q.push("PolicyName", policy_name);
    if let Some(p) = cookie_expiration_period {
        if p < 0 {
            return Err(Error::invalid_input(
                "cookie_expiration_period",
                format!("must be 0 or more seconds, got {p}"),
            ));
        }
        q.push("CookieExpirationPeriod", p.to_string());
    }
    Ok(q)
}

/// `CreateLoadBalancerPolicy`: a policy of `policy.type_name` with its
/// attributes (`PolicyAttributes.member.N.AttributeName` / `AttributeValue`).
pub fn create_load_balancer_policy(name: &str, policy: &Policy) -> Result<QueryParams> {
    let mut q = for_balancer("CreateLoadBalancerPolicy", name)?;
    new_policy_name("policy.name", &policy.name)?;
    validate::non_empty("policy.type_name", &policy.type_name)?;
    for (i, a) in policy.attributes.iter().enumerate() {
        validate::non_empty(&format!("policy.attributes[{i}].name"), &a.name)?;
    }
    q.push("PolicyName", policy.name.as_str());
    q.push("PolicyTypeName", policy.type_name.as_str());
    if !policy.attributes.is_empty() {
        q.push_map(
            "PolicyAttributes",
            "AttributeName",
            "AttributeValue",
            policy
                .attributes
                .iter()
                .map(|a| (a.name.as_str(), a.value.as_str())),
        );
    }
    Ok(q)
}

/// `DeleteLoadBalancerPolicy`.
pub fn delete_load_balancer_policy(name: &str, policy_name: &str) -> Result<QueryParams> {
    let mut q = for_balancer("DeleteLoadBalancerPolicy", name)?;
    validate::non_empty("policy_name", policy_name)?;
    q.push("PolicyName", policy_name);
    Ok(q)
}

/// `DescribeLoadBalancerPolicies`: the policies of balancer `name` (or, with
/// no name, AWS's sample policies), all of them when `policy_names` is empty.
pub fn describe_load_balancer_policies<S: AsRef<str>>(
    name: Option<&str>,
    policy_names: &[S],
) -> Result<QueryParams> {
    let mut q = match name {
        Some(n) => for_balancer("DescribeLoadBalancerPolicies", n)?,
        None => QueryParams::new("DescribeLoadBalancerPolicies", VERSION),
    };
    optional_list("policy_names", policy_names)?;
    if !policy_names.is_empty() {
        q.push_scalar_list("PolicyNames", owned(policy_names));
    }
    Ok(q)
}

/// `DescribeLoadBalancerPolicyTypes`: the named types, all when `type_names` is empty.
pub fn describe_load_balancer_policy_types<S: AsRef<str>>(type_names: &[S]) -> Result<QueryParams> {
    let mut q = QueryParams::new("DescribeLoadBalancerPolicyTypes", VERSION);
    optional_list("policy_type_names", type_names)?;
    if !type_names.is_empty() {
        q.push_scalar_list("PolicyTypeNames", owned(type_names));
    }
    Ok(q)
}

/// `SetLoadBalancerPoliciesOfListener`: replaces the policies of the
/// listener on `port`. An empty list removes them all and is still sent
/// (`PolicyNames=`), as the API requires.
pub fn set_load_balancer_policies_of_listener<S: AsRef<str>>(
    name: &str,
    port: u16,
    policy_names: &[S],
) -> Result<QueryParams> {
    let mut q = for_balancer("SetLoadBalancerPoliciesOfListener", name)?;
    validate::port("load_balancer_port", port)?;
    optional_list("policy_names", policy_names)?;
    q.push("LoadBalancerPort", port.to_string());
    q.push_scalar_list("PolicyNames", owned(policy_names));
    Ok(q)
}

/// `SetLoadBalancerPoliciesForBackendServer`: replaces the policies of
/// instance port `instance_port`. An empty list removes them all and is
/// still sent (`PolicyNames=`).
pub fn set_load_balancer_policies_for_backend_server<S: AsRef<str>>(
    name: &str,
    instance_port: u16,
    policy_names: &[S],
) -> Result<QueryParams> {
    let mut q = for_balancer("SetLoadBalancerPoliciesForBackendServer", name)?;
    validate::port("instance_port", instance_port)?;
    optional_list("policy_names", policy_names)?;
    q.push("InstancePort", instance_port.to_string());
    q.push_scalar_list("PolicyNames", owned(policy_names));
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::testutil::{assert_pairs, rejects};

    #[test]
    fn stickiness() {
        let q = create_app_cookie_stickiness_policy("web", "app-sticky", "SESSIONID").unwrap();
        assert_pairs(
            &q,
            "CreateAppCookieStickinessPolicy",
            &[
                ("LoadBalancerName", "web"),
                ("PolicyName", "app-sticky"),
                ("CookieName", "SESSIONID"),
            ],
        );
        rejects(
            create_app_cookie_stickiness_policy("web", "", "c"),
            "policy_name",
        );
        rejects(
            create_app_cookie_stickiness_policy("web", "a_b", "c"),
            "policy_name",
        );
        rejects(
            create_app_cookie_stickiness_policy("web", "p", " "),
            "cookie_name",
        );

        let q = create_lb_cookie_stickiness_policy("web", "lb-sticky", Some(60)).unwrap();
        assert_pairs(
            &q,
            "CreateLBCookieStickinessPolicy",
            &[
                ("LoadBalancerName", "web"),
                ("PolicyName", "lb-sticky"),
                ("CookieExpirationPeriod", "60"),
            ],
        );
        let q = create_lb_cookie_stickiness_policy("web", "s", None).unwrap();
        assert_eq!(q.get("CookieExpirationPeriod"), None);
        assert!(create_lb_cookie_stickiness_policy("web", "s", Some(0)).is_ok());
        rejects(
            create_lb_cookie_stickiness_policy("web", "s", Some(-1)),
            "cookie_expiration_period",
        );
    }

    #[test]
    fn generic_policies() {
        let p = Policy::new("proxy", "ProxyProtocolPolicyType").attribute("ProxyProtocol", "true");
        let q = create_load_balancer_policy("web", &p).unwrap();
        assert_pairs(
            &q,
            "CreateLoadBalancerPolicy",
            &[
                ("LoadBalancerName", "web"),
                ("PolicyName", "proxy"),
                ("PolicyTypeName", "ProxyProtocolPolicyType"),
                ("PolicyAttributes.member.1.AttributeName", "ProxyProtocol"),
                ("PolicyAttributes.member.1.AttributeValue", "true"),
            ],
        );
        rejects(
            create_load_balancer_policy("web", &Policy::new("", "T")),
            "policy.name",
        );
        rejects(
            create_load_balancer_policy("web", &Policy::new("p", "")),
            "policy.type_name",
        );
        rejects(
            create_load_balancer_policy("web", &Policy::new("p", "T").attribute("", "v")),
            "policy.attributes[0].name",
        );

        assert_pairs(
            &delete_load_balancer_policy("web", "proxy").unwrap(),
            "DeleteLoadBalancerPolicy",
            &[("LoadBalancerName", "web"), ("PolicyName", "proxy")],
        );
        rejects(delete_load_balancer_policy("web", ""), "policy_name");

        assert_pairs(
            &describe_load_balancer_policies("web".into(), &["a", "b"]).unwrap(),
            "DescribeLoadBalancerPolicies",
            &[
                ("LoadBalancerName", "web"),
                ("PolicyNames.member.1", "a"),
                ("PolicyNames.member.2", "b"),
            ],
        );
        assert_pairs(
            &describe_load_balancer_policies::<&str>(None, &[]).unwrap(),
            "DescribeLoadBalancerPolicies",
            &[],
        );
        rejects(
            describe_load_balancer_policies(None, &["a", ""]),
            "policy_names[1]",
        );
        assert_pairs(
            &describe_load_balancer_policy_types(&["ProxyProtocolPolicyType"]).unwrap(),
            "DescribeLoadBalancerPolicyTypes",
            &[("PolicyTypeNames.member.1", "ProxyProtocolPolicyType")],
        );
        assert_pairs(
            &describe_load_balancer_policy_types::<&str>(&[]).unwrap(),
            "DescribeLoadBalancerPolicyTypes",
            &[],
        );
    }

    #[test]
    fn setting_policies_sends_empty_lists() {
        let q = set_load_balancer_policies_of_listener("web", 443, &["a", "b"]).unwrap();
        assert_pairs(
            &q,
            "SetLoadBalancerPoliciesOfListener",
            &[
                ("LoadBalancerName", "web"),
                ("LoadBalancerPort", "443"),
                ("PolicyNames.member.1", "a"),
                ("PolicyNames.member.2", "b"),
            ],
        );
        let clear = set_load_balancer_policies_of_listener::<&str>("web", 443, &[]).unwrap();
        assert_pairs(
            &clear,
            "SetLoadBalancerPoliciesOfListener",
            &[
                ("LoadBalancerName", "web"),
                ("LoadBalancerPort", "443"),
                ("PolicyNames", ""),
            ],
        );
        assert!(clear.encode().ends_with("&PolicyNames="));
        rejects(
            set_load_balancer_policies_of_listener("web", 0, &["a"]),
            "load_balancer_port",
        );
        rejects(
            set_load_balancer_policies_of_listener("web", 80, &[""]),
            "policy_names[0]",
        );

        let clear =
            set_load_balancer_policies_for_backend_server::<&str>("web", 8443, &[]).unwrap();
        assert_pairs(
            &clear,
            "SetLoadBalancerPoliciesForBackendServer",
            &[
                ("LoadBalancerName", "web"),
                ("InstancePort", "8443"),
                ("PolicyNames", ""),
            ],
        );
        let q = set_load_balancer_policies_for_backend_server("web", 8443, &["proxy"]).unwrap();
        assert_eq!(q.get("PolicyNames.member.1"), Some("proxy"));
        rejects(
            set_load_balancer_policies_for_backend_server("web", 0, &["a"]),
            "instance_port",
        );
        rejects(
            set_load_balancer_policies_for_backend_server("web", 1, &["a", "a"]),
            "policy_names[1]",
        );
    }
}
