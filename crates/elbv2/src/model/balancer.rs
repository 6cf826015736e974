//! Load balancers: the description, what creates one, its subnets,
//! security groups, capacity reservation and IPAM pools.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{IpAddressType, LoadBalancerStateCode, LoadBalancerType, Scheme, Tag};

/// A load balancer as `DescribeLoadBalancers` reports it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadBalancer {
    /// Its ARN (the id every other action takes).
    pub arn: String,
    /// Its name.
    pub name: String,
    /// Its public DNS name.
    pub dns_name: Option<String>,
    /// The Route 53 hosted zone of its DNS name.
    pub canonical_hosted_zone_id: Option<String>,
    /// When it was created.
    #[serde(with = "time::serde::rfc3339::option")]
    pub created_time: Option<OffsetDateTime>,
    /// Internet-facing or internal.
    pub scheme: Option<Scheme>,
    /// Its VPC.
    pub vpc_id: Option<String>,
    /// Its provisioning state.
    pub state: Option<LoadBalancerState>,
    /// Application, network or gateway.
    pub lb_type: Option<LoadBalancerType>,
    /// Its zones, each with its subnet and addresses.
    pub availability_zones: Vec<AvailabilityZone>,
    /// Its security groups.
    pub security_groups: Vec<String>,
    /// The addresses its subnets use.
    pub ip_address_type: Option<IpAddressType>,
    /// A customer-owned address pool (Outposts).
    pub customer_owned_ipv4_pool: Option<String>,
    /// Whether security group inbound rules apply to PrivateLink traffic
    /// (`on` / `off`; Network Load Balancers).
    pub enforce_security_group_inbound_rules_on_private_link_traffic: Option<String>,
    /// Whether IPv6 source NAT prefixes are on (`on` / `off`; UDP NLBs).
    pub enable_prefix_for_ipv6_source_nat: Option<String>,
    /// Its IPAM pools.
    pub ipam_pools: Option<IpamPools>,
}

/// A load balancer's state code and the reason for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadBalancerState {
    /// The state.
    pub code: LoadBalancerStateCode,
    /// Why, when the state is not `active`.
    pub reason: Option<String>,
}

/// One zone a load balancer is in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailabilityZone {
    /// The zone name, such as `us-east-1a`.
    pub zone_name: Option<String>,
    /// The subnet in that zone.
    pub subnet_id: Option<String>,
    /// The Outpost, if any.
    pub outpost_id: Option<String>,
    /// Static addresses (Network Load Balancers).
    pub load_balancer_addresses: Vec<LoadBalancerAddress>,
    /// IPv6 source NAT prefixes.
    pub source_nat_ipv6_prefixes: Vec<String>,
}

/// A static address of a Network Load Balancer in one zone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadBalancerAddress {
    /// The public address.
    pub ip_address: Option<String>,
    /// The Elastic IP allocation.
    pub allocation_id: Option<String>,
    /// The private IPv4 address (internal NLBs).
    pub private_ipv4_address: Option<String>,
    /// The IPv6 address.
    pub ipv6_address: Option<String>,
}

/// A subnet with the addresses a Network Load Balancer takes in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubnetMapping {
    /// The subnet (required).
    pub subnet_id: String,
    /// An Elastic IP for an internet-facing NLB.
    pub allocation_id: Option<String>,
    /// A private IPv4 address for an internal NLB.
    pub private_ipv4_address: Option<String>,
    /// An IPv6 address.
    pub ipv6_address: Option<String>,
    /// An IPv6 prefix for source NAT, or `auto_assigned`.
    pub source_nat_ipv6_prefix: Option<String>,
}

impl SubnetMapping {
    /// A mapping of just the subnet.
    pub fn new(subnet_id: impl Into<String>) -> Self {
        Self {
            subnet_id: subnet_id.into(),
            ..Self::default()
        }
    }
}

/// IPAM pools a load balancer takes addresses from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpamPools {
    /// The IPv4 IPAM pool.
    pub ipv4_ipam_pool_id: Option<String>,
}

/// The input of `CreateLoadBalancer`.
///
/// ```
/// use lbcloud_elbv2::model::{CreateLoadBalancerInput, LoadBalancerType};
///
/// let input = CreateLoadBalancerInput::new("web")
///     .subnets(["subnet-1", "subnet-2"])
///     .lb_type(LoadBalancerType::Network);
/// assert_eq!(input.subnets.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateLoadBalancerInput {
    /// The name: 1-32 letters, digits and hyphens, no hyphen at either
    /// end, not starting with `internal-`.
    pub name: String,
    /// Subnets (at least two zones for an ALB); or use `subnet_mappings`.
    pub subnets: Vec<String>,
    /// Subnets with addresses (NLB Elastic IPs, private addresses).
    pub subnet_mappings: Vec<SubnetMapping>,
    /// Security groups.
    pub security_groups: Vec<String>,
    /// Internet-facing (the default) or internal.
    pub scheme: Option<Scheme>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// Application (the default), network or gateway.
    pub lb_type: Option<LoadBalancerType>,
    /// The addresses its subnets use.
    pub ip_address_type: Option<IpAddressType>,
    /// A customer-owned address pool (Outposts).
    pub customer_owned_ipv4_pool: Option<String>,
    /// `on` / `off`: IPv6 source NAT prefixes (UDP NLBs).
    pub enable_prefix_for_ipv6_source_nat: Option<String>,
    /// IPAM pools.
    pub ipam_pools: Option<IpamPools>,
}

impl CreateLoadBalancerInput {
    /// An input with only the name.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// Sets the subnets.
    pub fn subnets<S: Into<String>>(mut self, subnets: impl IntoIterator<Item = S>) -> Self {
        self.subnets = subnets.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the security groups.
    pub fn security_groups<S: Into<String>>(mut self, groups: impl IntoIterator<Item = S>) -> Self {
        self.security_groups = groups.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the type.
    pub fn lb_type(mut self, lb_type: LoadBalancerType) -> Self {
        self.lb_type = Some(lb_type);
        self
    }

    /// Sets the scheme.
    pub fn scheme(mut self, scheme: Scheme) -> Self {
        self.scheme = Some(scheme);
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push(Tag::new(key, value));
        self
    }
}

/// The input of `SetSubnets`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetSubnetsInput {
    /// The subnets; or use `subnet_mappings`.
    pub subnets: Vec<String>,
    /// Subnets with addresses.
    pub subnet_mappings: Vec<SubnetMapping>,
    /// The addresses the subnets use.
    pub ip_address_type: Option<IpAddressType>,
    /// `on` / `off`: IPv6 source NAT prefixes.
    pub enable_prefix_for_ipv6_source_nat: Option<String>,
}

/// What `SetSubnets` answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetSubnetsOutput {
    /// The zones now in use.
    pub availability_zones: Vec<AvailabilityZone>,
    /// The address type now in use.
    pub ip_address_type: Option<IpAddressType>,
    /// `on` / `off`.
    pub enable_prefix_for_ipv6_source_nat: Option<String>,
}

/// What `SetSecurityGroups` answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetSecurityGroupsOutput {
    /// The security groups now in use.
    pub security_group_ids: Vec<String>,
    /// `on` / `off`.
    pub enforce_security_group_inbound_rules_on_private_link_traffic: Option<String>,
}

/// A load balancer's capacity reservation, as `DescribeCapacityReservation`
/// and `ModifyCapacityReservation` answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CapacityReservation {
    /// When it last changed.
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_modified_time: Option<OffsetDateTime>,
    /// How many decreases are left today.
    pub decrease_requests_remaining: Option<u32>,
    /// The reserved minimum, in capacity units.
    pub minimum_capacity_units: Option<u32>,
    /// The state in each zone.
    pub states: Vec<ZonalCapacityReservationState>,
}

/// A capacity reservation's state in one zone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ZonalCapacityReservationState {
    /// The state code.
    pub code: Option<super::CapacityReservationStateCode>,
    /// Why, when not provisioned.
    pub reason: Option<String>,
    /// The zone.
    pub availability_zone: Option<String>,
    /// The capacity units in effect.
    pub effective_capacity_units: Option<f64>,
}
