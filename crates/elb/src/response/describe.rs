//! `DescribeLoadBalancers`: the hot path, a page of up to 400 balancers.

use lbcloud_core::{Balancer, Result};
use serde::{Deserialize, Serialize};

use super::shared::{health_check, instance_id, listener, timestamp};
use crate::model::{
    AppCookieStickinessPolicy, BackendServerDescription, ElbBalancerDescription,
    LbCookieStickinessPolicy, ListenerDescription, Policies, SourceSecurityGroup,
};
use lbcloud_aws::xml::{Cursor, parse_required_result};

const ACTION: &str = "DescribeLoadBalancers";

/// One page of `DescribeLoadBalancers`, as provider-neutral balancers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DescribePage {
    /// The balancers on this page.
    pub balancers: Vec<Balancer>,
    /// The marker to ask for the next page; `None` on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_marker: Option<String>,
}

/// One page of `DescribeLoadBalancers`, as typed ELB descriptions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescriptionPage {
    /// The descriptions on this page.
    pub descriptions: Vec<ElbBalancerDescription>,
    /// The marker to ask for the next page; `None` on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_marker: Option<String>,
}

/// Parses a `DescribeLoadBalancers` answer into provider-neutral balancers.
///
/// Each description becomes a [`Balancer`] through
/// [`ElbBalancerDescription::into_balancer`]: every field reaches the
/// caller, the ELB-only ones in `extra`.
///
/// ```
/// let body = br#"<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/">
///   <DescribeLoadBalancersResult>
///     <LoadBalancerDescriptions>
///       <member><LoadBalancerName>web</LoadBalancerName><DNSName>web-1.elb.amazonaws.com</DNSName></member>
///     </LoadBalancerDescriptions>
///     <NextMarker>abc</NextMarker>
///   </DescribeLoadBalancersResult>
/// </DescribeLoadBalancersResponse>"#;
/// let page = lbcloud_elb::response::parse_describe_load_balancers(body)?;
/// assert_eq!(page.balancers[0].id, "web");
/// assert_eq!(page.balancers[0].ip.as_deref(), Some("web-1.elb.amazonaws.com"));
/// assert_eq!(page.next_marker.as_deref(), Some("abc"));
/// # Ok::<(), lbcloud_core::Error>(())
/// ```
pub fn parse_describe_load_balancers(body: &[u8]) -> Result<DescribePage> {
    // Each description becomes a balancer as soon as it is read: no second
    // vector of descriptions, and its strings move while still in cache.
    let mut page = DescribePage::default();
    parse_required_result(ACTION, body, |c, name| {
        match name {
            b"LoadBalancerDescriptions" => {
                page.balancers = c.members(|c| {
                    load_balancer_description(c).map(ElbBalancerDescription::into_balancer)
                })?;
            }
            b"NextMarker" => page.next_marker = c.opt_text()?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(page)
}

/// Parses a `DescribeLoadBalancers` answer into typed ELB descriptions,
/// for the `ex_` methods that need ELB-only fields.
pub fn parse_load_balancer_descriptions(body: &[u8]) -> Result<DescriptionPage> {
    let mut page = DescriptionPage::default();
    parse_required_result(ACTION, body, |c, name| {
        match name {
            b"LoadBalancerDescriptions" => {
                page.descriptions = c.members(load_balancer_description)?;
            }
            b"NextMarker" => page.next_marker = c.opt_text()?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(page)
}

/// Reads one `LoadBalancerDescription`. Only the name is required.
fn load_balancer_description(c: &mut Cursor<'_>) -> Result<ElbBalancerDescription> {
    let mut d = ElbBalancerDescription::default();
    c.for_each_child(|c, name| {
        match name {
            b"LoadBalancerName" => d.load_balancer_name = c.text()?,
            b"DNSName" => d.dns_name = c.opt_text()?,
            b"CanonicalHostedZoneName" => d.canonical_hosted_zone_name = c.opt_text()?,
            b"CanonicalHostedZoneNameID" => d.canonical_hosted_zone_name_id = c.opt_text()?,
            b"ListenerDescriptions" => {
                d.listener_descriptions = c.members(listener_description)?;
            }
            b"Policies" => d.policies = policies(c)?,
            b"BackendServerDescriptions" => {
                d.backend_server_descriptions = c.members(backend_server_description)?;
            }
            b"AvailabilityZones" => d.availability_zones = c.text_members()?,
            b"Subnets" => d.subnets = c.text_members()?,
            b"VPCId" => d.vpc_id = c.opt_text()?,
            b"Instances" => d.instances = c.members(instance_id)?,
            b"HealthCheck" => d.health_check = Some(health_check(c)?),
            b"SourceSecurityGroup" => d.source_security_group = Some(source_security_group(c)?),
            b"SecurityGroups" => d.security_groups = c.text_members()?,
            b"CreatedTime" => d.created_time = Some(timestamp(c, "CreatedTime")?),
            b"Scheme" => d.scheme = c.opt_text()?,
            _ => {}
        }
        Ok(())
    })?;
    if d.load_balancer_name.is_empty() {
        return Err(c.error("a LoadBalancerDescription lacks LoadBalancerName"));
    }
    Ok(d)
}

fn listener_description(c: &mut Cursor<'_>) -> Result<ListenerDescription> {
    let mut found = None;
    let mut policy_names = Vec::new();
    c.for_each_child(|c, name| {
        match name {
            b"Listener" => found = Some(listener(c)?),
            b"PolicyNames" => policy_names = c.text_members()?,
            _ => {}
        }
        Ok(())
    })?;
    let listener = found.ok_or_else(|| c.error("a ListenerDescription lacks its Listener"))?;
    Ok(ListenerDescription {
        listener,
        policy_names,
    })
}

fn policies(c: &mut Cursor<'_>) -> Result<Policies> {
    let mut p = Policies::default();
    c.for_each_child(|c, name| {
        match name {
            b"AppCookieStickinessPolicies" => p.app_cookie_stickiness = c.members(app_cookie)?,
            b"LBCookieStickinessPolicies" => p.lb_cookie_stickiness = c.members(lb_cookie)?,
            b"OtherPolicies" => p.other_policies = c.text_members()?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(p)
}

fn app_cookie(c: &mut Cursor<'_>) -> Result<AppCookieStickinessPolicy> {
    let mut p = AppCookieStickinessPolicy::default();
    c.for_each_child(|c, name| {
        match name {
            b"PolicyName" => p.policy_name = c.text()?,
            b"CookieName" => p.cookie_name = c.text()?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(p)
}

fn lb_cookie(c: &mut Cursor<'_>) -> Result<LbCookieStickinessPolicy> {
    let mut p = LbCookieStickinessPolicy::default();
    c.for_each_child(|c, name| {
        match name {
            b"PolicyName" => p.policy_name = c.text()?,
            b"CookieExpirationPeriod" => {
                p.cookie_expiration_period = Some(c.parse("CookieExpirationPeriod")?);
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(p)
}

fn backend_server_description(c: &mut Cursor<'_>) -> Result<BackendServerDescription> {
    let mut port = None;
    let mut policy_names = Vec::new();
    c.for_each_child(|c, name| {
        match name {
            b"InstancePort" => port = Some(c.parse::<u16>("InstancePort")?),
            b"PolicyNames" => policy_names = c.text_members()?,
            _ => {}
        }
        Ok(())
    })?;
    let instance_port =
        port.ok_or_else(|| c.error("a BackendServerDescription lacks InstancePort"))?;
    Ok(BackendServerDescription {
        instance_port,
        policy_names,
    })
}

fn source_security_group(c: &mut Cursor<'_>) -> Result<SourceSecurityGroup> {
    let mut g = SourceSecurityGroup::default();
    c.for_each_child(|c, name| {
        match name {
            b"OwnerAlias" => g.owner_alias = c.text()?,
            b"GroupName" => g.group_name = c.text()?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(g)
}
