//! Builders for load balancers: create, describe, delete, attributes,
//! subnets, security groups, IP address type, capacity, IPAM pools.

use lbcloud_aws::QueryParams;
use lbcloud_core::Result;

use super::check::{self, MAX_LB_ATTRIBUTES};
use super::{Fields, build, by_arn, check_paging, paging};
use crate::model::{
    Attribute, CreateLoadBalancerInput, IpAddressType, IpamPools, SetSubnetsInput, SubnetMapping,
    Tag,
};

pub(crate) fn write_tags(f: &mut Fields<'_>, tags: &[Tag]) {
    f.list("Tags", tags, |m, t| {
        m.set("Key", &t.key);
        m.set("Value", &t.value);
    });
}

fn check_mappings(field: &str, mappings: &[SubnetMapping]) -> Result<()> {
    for (i, m) in mappings.iter().enumerate() {
        check::non_empty(&format!("{field}[{i}].subnet_id"), &m.subnet_id)?;
    }
    let ids: Vec<&str> = mappings.iter().map(|m| m.subnet_id.as_str()).collect();
    check::distinct(field, &ids)
}

fn write_mappings(f: &mut Fields<'_>, mappings: &[SubnetMapping]) {
    f.list("SubnetMappings", mappings, |m, s| {
        m.set("SubnetId", &s.subnet_id);
        m.opt("AllocationId", s.allocation_id.as_deref());
        m.opt("PrivateIPv4Address", s.private_ipv4_address.as_deref());
        m.opt("IPv6Address", s.ipv6_address.as_deref());
        m.opt("SourceNatIpv6Prefix", s.source_nat_ipv6_prefix.as_deref());
    });
}

fn check_subnets(subnets: &[String], mappings: &[SubnetMapping], required: bool) -> Result<()> {
    check::strings("subnets", subnets, false)?;
    check_mappings("subnet_mappings", mappings)?;
    if !subnets.is_empty() && !mappings.is_empty() {
        return Err(check::invalid(
            "subnet_mappings",
            "give subnets or subnet_mappings, not both",
        ));
    }
    if required && subnets.is_empty() && mappings.is_empty() {
        return Err(check::invalid(
            "subnets",
            "at least one subnet (or subnet mapping) is required",
        ));
    }
    Ok(())
}

fn check_ip_type(value: Option<&IpAddressType>) -> Result<()> {
    value.map_or(Ok(()), |t| {
        check::known("ip_address_type", t.is_known(), t.as_str())
    })
}

fn write_ipam(f: &mut Fields<'_>, pools: Option<&IpamPools>) {
    if let Some(p) = pools {
        f.nested("IpamPools")
            .opt("Ipv4IpamPoolId", p.ipv4_ipam_pool_id.as_deref());
    }
}

/// `CreateLoadBalancer`. A name and at least one subnet (or mapping) are
/// required: ELBv2 load balancers live in a VPC's subnets.
pub fn create_load_balancer(input: &CreateLoadBalancerInput) -> Result<QueryParams> {
    check::load_balancer_name("name", &input.name)?;
    check_subnets(&input.subnets, &input.subnet_mappings, true)?;
    check::strings("security_groups", &input.security_groups, false)?;
    check::tags("tags", &input.tags, false)?;
    if let Some(t) = &input.lb_type {
        check::known("lb_type", t.is_known(), t.as_str())?;
    }
    if let Some(s) = &input.scheme {
        check::known("scheme", s.is_known(), s.as_str())?;
    }
    check_ip_type(input.ip_address_type.as_ref())?;
    check::on_off(
        "enable_prefix_for_ipv6_source_nat",
        input.enable_prefix_for_ipv6_source_nat.as_deref(),
    )?;
    Ok(build("CreateLoadBalancer", |f| {
        f.set("Name", &input.name);
        f.strings("Subnets", &input.subnets);
        write_mappings(f, &input.subnet_mappings);
        f.strings("SecurityGroups", &input.security_groups);
        f.opt("Scheme", input.scheme.as_ref());
        write_tags(f, &input.tags);
        f.opt("Type", input.lb_type.as_ref());
        f.opt("IpAddressType", input.ip_address_type.as_ref());
        f.opt(
            "CustomerOwnedIpv4Pool",
            input.customer_owned_ipv4_pool.as_deref(),
        );
        f.opt(
            "EnablePrefixForIpv6SourceNat",
            input.enable_prefix_for_ipv6_source_nat.as_deref(),
        );
        write_ipam(f, input.ipam_pools.as_ref());
    }))
}

/// `DescribeLoadBalancers`: by ARNs, or by names, or all (both empty).
pub fn describe_load_balancers<S: AsRef<str>>(
    arns: &[S],
    names: &[S],
    marker: Option<&str>,
    page_size: Option<u32>,
) -> Result<QueryParams> {
    by_arns_or_names(
        "DescribeLoadBalancers",
        ("load_balancer_arns", "LoadBalancerArns", arns),
        (names, check::load_balancer_name),
        marker,
        page_size,
    )
}

/// A name rule: checks `name`, reporting errors about `field`.
pub(crate) type NameCheck = fn(&str, &str) -> Result<()>;

/// A describe request by ARNs (field, wire name, values), by names
/// (checked with `check_name`), or for all (both empty).
pub(crate) fn by_arns_or_names<S: AsRef<str>>(
    action: &'static str,
    (arns_field, arns_wire, arns): (&str, &str, &[S]),
    (names, check_name): (&[S], NameCheck),
    marker: Option<&str>,
    page_size: Option<u32>,
) -> Result<QueryParams> {
    if !arns.is_empty() {
        check::arns(arns_field, arns, 20)?;
    }
    for (i, n) in names.iter().enumerate() {
        check_name(&format!("names[{i}]"), n.as_ref())?;
    }
    check::distinct("names", names)?;
    check_paging(marker, page_size)?;
    let arns: Vec<&str> = arns.iter().map(AsRef::as_ref).collect();
    let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    Ok(build(action, |f| {
        f.strings(arns_wire, &arns);
        f.strings("Names", &names);
        paging(f, marker, page_size);
    }))
}

/// `DeleteLoadBalancer`.
pub fn delete_load_balancer(arn: &str) -> Result<QueryParams> {
    by_arn(
        "DeleteLoadBalancer",
        "load_balancer_arn",
        "LoadBalancerArn",
        arn,
    )
}

/// `DescribeLoadBalancerAttributes`.
pub fn describe_load_balancer_attributes(arn: &str) -> Result<QueryParams> {
    by_arn(
        "DescribeLoadBalancerAttributes",
        "load_balancer_arn",
        "LoadBalancerArn",
        arn,
    )
}

/// Checks attributes: 1 to `max`, keys 1-256 characters, no key twice.
pub(crate) fn check_attributes(attributes: &[Attribute], max: usize) -> Result<()> {
    if attributes.is_empty() || attributes.len() > max {
        return Err(check::invalid(
            "attributes",
            format!("must hold 1 to {max} attributes, got {}", attributes.len()),
        ));
    }
    for (i, a) in attributes.iter().enumerate() {
        check::max_len(&format!("attributes[{i}].key"), &a.key, 1, 256)?;
        check::max_len(&format!("attributes[{i}].value"), &a.value, 0, 1024)?;
    }
    let keys: Vec<&str> = attributes.iter().map(|a| a.key.as_str()).collect();
    check::distinct("attributes", &keys)
}

/// An attribute-setting request: the resource ARN and `Attributes.member.N`.
pub(crate) fn modify_attributes(
    action: &'static str,
    field: &str,
    wire: &str,
    arn: &str,
    attributes: &[Attribute],
    max: usize,
) -> Result<QueryParams> {
    check::arn(field, arn)?;
    check_attributes(attributes, max)?;
    Ok(build(action, |f| {
        f.set(wire, arn);
        f.list("Attributes", attributes, |m, a| {
            m.set("Key", &a.key);
            m.set("Value", &a.value);
        });
    }))
}

/// `ModifyLoadBalancerAttributes`: 1 to 20 attributes.
pub fn modify_load_balancer_attributes(arn: &str, attributes: &[Attribute]) -> Result<QueryParams> {
    modify_attributes(
        "ModifyLoadBalancerAttributes",
        "load_balancer_arn",
        "LoadBalancerArn",
        arn,
        attributes,
        MAX_LB_ATTRIBUTES,
    )
}

/// `SetSecurityGroups`. An empty list is sent as `SecurityGroups=`: it
/// removes every group (Network Load Balancers created with groups).
pub fn set_security_groups<S: AsRef<str>>(
    arn: &str,
    groups: &[S],
    enforce_inbound_rules_on_private_link: Option<&str>,
) -> Result<QueryParams> {
    check::arn("load_balancer_arn", arn)?;
    check::strings("security_groups", groups, false)?;
    check::on_off(
        "enforce_security_group_inbound_rules_on_private_link_traffic",
        enforce_inbound_rules_on_private_link,
    )?;
    let groups: Vec<&str> = groups.iter().map(AsRef::as_ref).collect();
    Ok(build("SetSecurityGroups", |f| {
        f.set("LoadBalancerArn", arn);
        f.strings_or_empty("SecurityGroups", &groups);
        f.opt(
            "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
            enforce_inbound_rules_on_private_link,
        );
    }))
}

/// `SetSubnets`: subnets or subnet mappings (one of them).
pub fn set_subnets(arn: &str, input: &SetSubnetsInput) -> Result<QueryParams> {
    check::arn("load_balancer_arn", arn)?;
    check_subnets(&input.subnets, &input.subnet_mappings, true)?;
    check_ip_type(input.ip_address_type.as_ref())?;
    check::on_off(
        "enable_prefix_for_ipv6_source_nat",
        input.enable_prefix_for_ipv6_source_nat.as_deref(),
    )?;
    Ok(build("SetSubnets", |f| {
        f.set("LoadBalancerArn", arn);
        f.strings("Subnets", &input.subnets);
        write_mappings(f, &input.subnet_mappings);
        f.opt("IpAddressType", input.ip_address_type.as_ref());
        f.opt(
            "EnablePrefixForIpv6SourceNat",
            input.enable_prefix_for_ipv6_source_nat.as_deref(),
        );
    }))
}

/// `SetIpAddressType`.
pub fn set_ip_address_type(arn: &str, ip_address_type: &IpAddressType) -> Result<QueryParams> {
    check::arn("load_balancer_arn", arn)?;
    check_ip_type(Some(ip_address_type))?;
    Ok(build("SetIpAddressType", |f| {
        f.set("LoadBalancerArn", arn);
        f.set("IpAddressType", ip_address_type);
    }))
}

/// `DescribeCapacityReservation`.
pub fn describe_capacity_reservation(arn: &str) -> Result<QueryParams> {
    by_arn(
        "DescribeCapacityReservation",
        "load_balancer_arn",
        "LoadBalancerArn",
        arn,
    )
}

/// `ModifyCapacityReservation`: reserve at least `capacity_units`, or
/// reset the reservation (exactly one of the two).
pub fn modify_capacity_reservation(
    arn: &str,
    capacity_units: Option<u32>,
    reset: bool,
) -> Result<QueryParams> {
    check::arn("load_balancer_arn", arn)?;
    match (capacity_units, reset) {
        (Some(_), true) => {
            return Err(check::invalid(
                "capacity_units",
                "give capacity units or reset, not both",
            ));
        }
        (None, false) => {
            return Err(check::invalid(
                "capacity_units",
                "give capacity units, or reset the reservation",
            ));
        }
        (Some(n), false) => check::range("capacity_units", n, 1, u32::MAX)?,
        (None, true) => {}
    }
    Ok(build("ModifyCapacityReservation", |f| {
        f.set("LoadBalancerArn", arn);
        if let Some(n) = capacity_units {
            f.nested("MinimumLoadBalancerCapacity")
                .set("CapacityUnits", n);
        }
        if reset {
            f.set("ResetCapacityReservation", true);
        }
    }))
}

/// `ModifyIpPools`: set the IPv4 IPAM pool, or remove it (`remove_ipv4`).
pub fn modify_ip_pools(
    arn: &str,
    pools: Option<&IpamPools>,
    remove_ipv4: bool,
) -> Result<QueryParams> {
    check::arn("load_balancer_arn", arn)?;
    let pool = pools.and_then(|p| p.ipv4_ipam_pool_id.as_deref());
    match (pool, remove_ipv4) {
        (Some(_), true) => {
            return Err(check::invalid(
                "ipam_pools",
                "set a pool or remove it, not both",
            ));
        }
        (None, false) => {
            return Err(check::invalid(
                "ipam_pools",
                "give a pool to set, or remove the IPv4 pool",
            ));
        }
        (Some(id), false) => check::max_len("ipam_pools.ipv4_ipam_pool_id", id, 1, 1000)?,
        (None, true) => {}
    }
    Ok(build("ModifyIpPools", |f| {
        f.set("LoadBalancerArn", arn);
        write_ipam(f, pools);
        if remove_ipv4 {
            f.strings("RemoveIpamPools", &["ipv4"]);
        }
    }))
}
