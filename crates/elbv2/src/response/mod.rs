//! Parsers of every ELBv2 answer: XML body -> typed model, no I/O, on the
//! shared cursor of [`lbcloud_aws::xml`]. Unknown elements are skipped,
//! any order is read, and every malformed body is an
//! [`InvalidResponse`](lbcloud_core::ErrorKind::InvalidResponse) error,
//! never a panic.
//!
//! Each parser takes the action name it reads (several actions answer
//! with the same shape: `CreateListener`, `ModifyListener` and
//! `DescribeListeners` all answer `Listeners`).

mod read;
#[cfg(test)]
mod tests;

use lbcloud_aws::xml::{Cursor, parse_required_result, parse_result};
use lbcloud_core::Result;

use crate::model::*;

/// One page of a paged answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// The marker of the next page; `None` on the last.
    pub next_marker: Option<String>,
}

/// Reads an answer whose result holds a list `list` of `<member>`s read by
/// `item`, and maybe a `NextMarker`.
fn page<T>(
    action: &'static str,
    body: &[u8],
    list: &[u8],
    mut item: impl FnMut(&mut Cursor<'_>) -> Result<T>,
) -> Result<Page<T>> {
    let mut items = Vec::new();
    let mut next_marker = None;
    parse_required_result(action, body, |c, name| {
        if name == list {
            items = c.members(&mut item)?;
        } else if name == b"NextMarker" {
            next_marker = c.opt_text()?;
        }
        Ok(())
    })?;
    Ok(Page { items, next_marker })
}

/// An answer with an empty (or absent) result: `DeleteListener`,
/// `RegisterTargets`, `AddTags`, ...
pub fn parse_empty(action: &'static str, body: &[u8]) -> Result<()> {
    parse_result(action, body, |_, _| Ok(())).map(drop)
}

/// `CreateLoadBalancer` and `DescribeLoadBalancers`.
pub fn parse_load_balancers(action: &'static str, body: &[u8]) -> Result<Page<LoadBalancer>> {
    page(action, body, b"LoadBalancers", read::load_balancer)
}

/// `CreateListener`, `ModifyListener` and `DescribeListeners`.
pub fn parse_listeners(action: &'static str, body: &[u8]) -> Result<Page<Listener>> {
    page(action, body, b"Listeners", read::listener)
}

/// `CreateRule`, `ModifyRule`, `SetRulePriorities` and `DescribeRules`.
pub fn parse_rules(action: &'static str, body: &[u8]) -> Result<Page<Rule>> {
    page(action, body, b"Rules", read::rule)
}

/// `CreateTargetGroup`, `ModifyTargetGroup` and `DescribeTargetGroups`.
pub fn parse_target_groups(action: &'static str, body: &[u8]) -> Result<Page<TargetGroup>> {
    page(action, body, b"TargetGroups", read::target_group)
}

/// Every `Describe*Attributes` and `Modify*Attributes` answer.
pub fn parse_attributes(action: &'static str, body: &[u8]) -> Result<Vec<Attribute>> {
    page(action, body, b"Attributes", |c| {
        read::key_value(c).map(|(key, value)| Attribute { key, value })
    })
    .map(|p| p.items)
}

/// `AddListenerCertificates` and `DescribeListenerCertificates`.
pub fn parse_certificates(action: &'static str, body: &[u8]) -> Result<Page<Certificate>> {
    page(action, body, b"Certificates", read::certificate)
}

/// `DescribeTargetHealth`.
pub fn parse_target_health(body: &[u8]) -> Result<Vec<TargetHealthDescription>> {
    page(
        "DescribeTargetHealth",
        body,
        b"TargetHealthDescriptions",
        read::target_health_description,
    )
    .map(|p| p.items)
}

/// `DescribeTags`.
pub fn parse_tags(body: &[u8]) -> Result<Vec<TagDescription>> {
    page(
        "DescribeTags",
        body,
        b"TagDescriptions",
        read::tag_description,
    )
    .map(|p| p.items)
}

/// `DescribeAccountLimits`.
pub fn parse_limits(body: &[u8]) -> Result<Page<Limit>> {
    page("DescribeAccountLimits", body, b"Limits", read::limit)
}

/// `DescribeSSLPolicies`.
pub fn parse_ssl_policies(body: &[u8]) -> Result<Page<SslPolicy>> {
    page(
        "DescribeSSLPolicies",
        body,
        b"SslPolicies",
        read::ssl_policy,
    )
}

/// `CreateTrustStore`, `ModifyTrustStore` and `DescribeTrustStores`.
pub fn parse_trust_stores(action: &'static str, body: &[u8]) -> Result<Page<TrustStore>> {
    page(action, body, b"TrustStores", read::trust_store)
}

/// `AddTrustStoreRevocations` and `DescribeTrustStoreRevocations`.
pub fn parse_revocations(action: &'static str, body: &[u8]) -> Result<Page<TrustStoreRevocation>> {
    page(action, body, b"TrustStoreRevocations", read::revocation)
}

/// `DescribeTrustStoreAssociations`: the ARNs of the resources.
pub fn parse_trust_store_associations(body: &[u8]) -> Result<Page<String>> {
    page(
        "DescribeTrustStoreAssociations",
        body,
        b"TrustStoreAssociations",
        |c| {
            let mut arn = String::new();
            c.for_each_child(|c, name| {
                if name == b"ResourceArn" {
                    arn = c.text()?;
                }
                Ok(())
            })?;
            Ok(arn)
        },
    )
}

/// Reads one text element `element` of the result; `None` when absent.
fn one_text(action: &'static str, body: &[u8], element: &[u8]) -> Result<Option<String>> {
    let mut out = None;
    parse_required_result(action, body, |c, name| {
        if name == element {
            out = c.opt_text()?;
        }
        Ok(())
    })?;
    Ok(out)
}

/// `GetTrustStoreCaCertificatesBundle` and `GetTrustStoreRevocationContent`:
/// the download URL.
pub fn parse_location(action: &'static str, body: &[u8]) -> Result<String> {
    one_text(action, body, b"Location")?
        .ok_or_else(|| Cursor::new(action, body).error("the answer has no Location"))
}

/// `GetResourcePolicy`: the policy document; `None` when there is none.
pub fn parse_resource_policy(body: &[u8]) -> Result<Option<String>> {
    one_text("GetResourcePolicy", body, b"Policy")
}

/// `SetIpAddressType`: the type now in use.
pub fn parse_ip_address_type(body: &[u8]) -> Result<Option<IpAddressType>> {
    Ok(one_text("SetIpAddressType", body, b"IpAddressType")?
        .map(|t| IpAddressType::from(t.as_str())))
}

/// `DescribeCapacityReservation` and `ModifyCapacityReservation`.
pub fn parse_capacity_reservation(
    action: &'static str,
    body: &[u8],
) -> Result<CapacityReservation> {
    let mut r = CapacityReservation::default();
    parse_required_result(action, body, |c, name| {
        match name {
            b"LastModifiedTime" => r.last_modified_time = read::timestamp(c, name)?,
            b"DecreaseRequestsRemaining" => r.decrease_requests_remaining = read::num(c, name)?,
            b"MinimumLoadBalancerCapacity" => {
                c.for_each_child(|c, name| {
                    if name == b"CapacityUnits" {
                        r.minimum_capacity_units = read::num(c, name)?;
                    }
                    Ok(())
                })?;
            }
            b"CapacityReservationState" => r.states = c.members(read::zonal_capacity)?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(r)
}

/// `ModifyIpPools`: the pools now in use.
pub fn parse_ip_pools(body: &[u8]) -> Result<Option<IpamPools>> {
    let mut out = None;
    parse_required_result("ModifyIpPools", body, |c, name| {
        if name == b"IpamPools" {
            out = Some(read::ipam_pools(c)?);
        }
        Ok(())
    })?;
    Ok(out)
}

/// `SetSecurityGroups`.
pub fn parse_security_groups(body: &[u8]) -> Result<SetSecurityGroupsOutput> {
    let mut out = SetSecurityGroupsOutput::default();
    parse_required_result("SetSecurityGroups", body, |c, name| {
        match name {
            b"SecurityGroupIds" => out.security_group_ids = c.text_members()?,
            b"EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic" => {
                out.enforce_security_group_inbound_rules_on_private_link_traffic = c.opt_text()?;
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// `SetSubnets`.
pub fn parse_subnets(body: &[u8]) -> Result<SetSubnetsOutput> {
    let mut out = SetSubnetsOutput::default();
    parse_required_result("SetSubnets", body, |c, name| {
        match name {
            b"AvailabilityZones" => out.availability_zones = c.members(read::availability_zone)?,
            b"IpAddressType" => out.ip_address_type = read::wire(c)?,
            b"EnablePrefixForIpv6SourceNat" => {
                out.enable_prefix_for_ipv6_source_nat = c.opt_text()?
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}
