//! Load balancers: create, describe, delete, attributes, subnets, security
//! groups, IP address type, capacity reservation and IPAM pools.

use lbcloud_core::{ErrorKind, Result};

use super::{found, single};
use crate::driver::{Elbv2Driver, Pages};
use crate::model::{
    Attribute, CapacityReservation, CreateLoadBalancerInput, IpAddressType, IpamPools,
    LoadBalancer, SetSecurityGroupsOutput, SetSubnetsInput, SetSubnetsOutput,
};
use crate::{request, response};

const NO_NAMES: &[&str] = &[];

impl Elbv2Driver {
    /// Creates a load balancer (`CreateLoadBalancer`) and returns its
    /// description. Subnets are required.
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elbv2::Elbv2Driver) -> lbcloud_core::Result<()> {
    /// use lbcloud_elbv2::model::CreateLoadBalancerInput;
    ///
    /// let lb = driver
    ///     .ex_create_load_balancer(&CreateLoadBalancerInput::new("web").subnets(["subnet-1", "subnet-2"]))
    ///     .await?;
    /// println!("{}", lb.arn);
    /// # Ok(()) }
    /// ```
    pub async fn ex_create_load_balancer(
        &self,
        input: &CreateLoadBalancerInput,
    ) -> Result<LoadBalancer> {
        const A: &str = "CreateLoadBalancer";
        self.call(
            "ex_create_load_balancer",
            request::create_load_balancer(input),
            |b| single(A, b, response::parse_load_balancers(A, b)?.items),
        )
        .await
    }

    /// Every load balancer, a page at a time (`DescribeLoadBalancers`).
    pub fn ex_load_balancers_pages(&self) -> Pages<'_, LoadBalancer> {
        self.pages(
            "ex_load_balancers_pages",
            |marker, size| request::describe_load_balancers(NO_NAMES, NO_NAMES, marker, Some(size)),
            |b| response::parse_load_balancers("DescribeLoadBalancers", b),
        )
    }

    /// Every load balancer (`DescribeLoadBalancers`, every page).
    pub async fn ex_list_load_balancers(&self) -> Result<Vec<LoadBalancer>> {
        Self::collect(self.ex_load_balancers_pages()).await
    }

    /// The load balancers with these ARNs or names (`DescribeLoadBalancers`;
    /// AWS answers `LoadBalancerNotFound` if any is missing).
    pub async fn ex_describe_load_balancers<S: AsRef<str> + Sync>(
        &self,
        arns: &[S],
        names: &[S],
    ) -> Result<Vec<LoadBalancer>> {
        let arns: Vec<&str> = arns.iter().map(AsRef::as_ref).collect();
        let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
        if arns.is_empty() && names.is_empty() {
            // Both empty would list every balancer: not what was asked.
            return Err(crate::driver::tag(
                request::check::invalid("arns", "give at least one ARN or name"),
                "ex_describe_load_balancers",
            ));
        }
        Self::collect(self.pages(
            "ex_describe_load_balancers",
            move |marker, size| request::describe_load_balancers(&arns, &names, marker, Some(size)),
            |b| response::parse_load_balancers("DescribeLoadBalancers", b),
        ))
        .await
    }

    /// One load balancer by ARN; `NotFound` if there is none.
    pub async fn ex_get_load_balancer(&self, arn: &str) -> Result<LoadBalancer> {
        const OP: &str = "ex_get_load_balancer";
        let params = request::describe_load_balancers(&[arn], NO_NAMES, None, None);
        self.call(OP, params, |b| {
            found(
                "load balancer",
                arn,
                response::parse_load_balancers("DescribeLoadBalancers", b)?.items,
            )
        })
        .await
    }

    /// The load balancer named `name`, or `None` if there is none.
    pub async fn ex_find_load_balancer(&self, name: &str) -> Result<Option<LoadBalancer>> {
        let params = request::describe_load_balancers(NO_NAMES, &[name], None, None);
        let answer = self
            .call("ex_find_load_balancer", params, |b| {
                response::parse_load_balancers("DescribeLoadBalancers", b)
            })
            .await;
        match answer {
            Ok(page) => Ok(page.items.into_iter().find(|lb| lb.name == name)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Deletes a load balancer (`DeleteLoadBalancer`; its listeners go with
    /// it, its target groups stay).
    pub async fn ex_delete_load_balancer(&self, arn: &str) -> Result<()> {
        self.call(
            "ex_delete_load_balancer",
            request::delete_load_balancer(arn),
            |b| response::parse_empty("DeleteLoadBalancer", b),
        )
        .await
    }

    /// A load balancer's attributes (`DescribeLoadBalancerAttributes`).
    pub async fn ex_describe_load_balancer_attributes(&self, arn: &str) -> Result<Vec<Attribute>> {
        self.call(
            "ex_describe_load_balancer_attributes",
            request::describe_load_balancer_attributes(arn),
            |b| response::parse_attributes("DescribeLoadBalancerAttributes", b),
        )
        .await
    }

    /// Sets 1 to 20 load balancer attributes and returns them all
    /// (`ModifyLoadBalancerAttributes`).
    pub async fn ex_modify_load_balancer_attributes(
        &self,
        arn: &str,
        attributes: &[Attribute],
    ) -> Result<Vec<Attribute>> {
        self.call(
            "ex_modify_load_balancer_attributes",
            request::modify_load_balancer_attributes(arn, attributes),
            |b| response::parse_attributes("ModifyLoadBalancerAttributes", b),
        )
        .await
    }

    /// Replaces the security groups (`SetSecurityGroups`); an empty list
    /// removes them all.
    pub async fn ex_set_security_groups<S: AsRef<str>>(
        &self,
        arn: &str,
        groups: &[S],
        enforce_inbound_rules_on_private_link: Option<&str>,
    ) -> Result<SetSecurityGroupsOutput> {
        self.call(
            "ex_set_security_groups",
            request::set_security_groups(arn, groups, enforce_inbound_rules_on_private_link),
            response::parse_security_groups,
        )
        .await
    }

    /// Replaces the subnets (`SetSubnets`).
    pub async fn ex_set_subnets(
        &self,
        arn: &str,
        input: &SetSubnetsInput,
    ) -> Result<SetSubnetsOutput> {
        self.call(
            "ex_set_subnets",
            request::set_subnets(arn, input),
            response::parse_subnets,
        )
        .await
    }

    /// Sets the address type (`SetIpAddressType`) and returns the one now in use.
    pub async fn ex_set_ip_address_type(
        &self,
        arn: &str,
        ip_address_type: &IpAddressType,
    ) -> Result<Option<IpAddressType>> {
        self.call(
            "ex_set_ip_address_type",
            request::set_ip_address_type(arn, ip_address_type),
            response::parse_ip_address_type,
        )
        .await
    }

    /// The capacity reservation (`DescribeCapacityReservation`).
    pub async fn ex_describe_capacity_reservation(&self, arn: &str) -> Result<CapacityReservation> {
        self.call(
            "ex_describe_capacity_reservation",
            request::describe_capacity_reservation(arn),
            |b| response::parse_capacity_reservation("DescribeCapacityReservation", b),
        )
        .await
    }

    /// Reserves at least `capacity_units`, or resets the reservation
    /// (`ModifyCapacityReservation`).
    pub async fn ex_modify_capacity_reservation(
        &self,
        arn: &str,
        capacity_units: Option<u32>,
        reset: bool,
    ) -> Result<CapacityReservation> {
        self.call(
            "ex_modify_capacity_reservation",
            request::modify_capacity_reservation(arn, capacity_units, reset),
            |b| response::parse_capacity_reservation("ModifyCapacityReservation", b),
        )
        .await
    }

    /// Sets or removes the IPv4 IPAM pool (`ModifyIpPools`).
    pub async fn ex_modify_ip_pools(
        &self,
        arn: &str,
        pools: Option<&IpamPools>,
        remove_ipv4: bool,
    ) -> Result<Option<IpamPools>> {
        self.call(
            "ex_modify_ip_pools",
            request::modify_ip_pools(arn, pools, remove_ipv4),
            response::parse_ip_pools,
        )
        .await
    }
}
