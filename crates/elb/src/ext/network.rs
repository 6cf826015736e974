//! Availability zones, subnets and security groups.

use lbcloud_core::Result;

use super::BalancerRef;
use crate::driver::ElbDriver;
use crate::request;
use crate::response;

impl ElbDriver {
    /// Adds availability zones to a balancer and returns the zones it now
    /// serves (`EnableAvailabilityZonesForLoadBalancer`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// let zones = driver.ex_enable_availability_zones("web", &["us-east-1c"]).await?;
    /// println!("now in {}", zones.join(", "));
    /// # Ok(()) }
    /// ```
    pub async fn ex_enable_availability_zones<S: AsRef<str>>(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        zones: &[S],
    ) -> Result<Vec<String>> {
        const OP: &str = "ex_enable_availability_zones";
        let params =
            request::enable_availability_zones_for_load_balancer(balancer.balancer_name(), zones);
        self.send_on(
            OP,
            balancer.balancer_name(),
            params,
            response::parse_enable_availability_zones,
        )
        .await
    }

    /// Removes availability zones from a balancer and returns the zones it
    /// still serves (`DisableAvailabilityZonesForLoadBalancer`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// let zones = driver.ex_disable_availability_zones("web", &["us-east-1a"]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_disable_availability_zones<S: AsRef<str>>(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        zones: &[S],
    ) -> Result<Vec<String>> {
        const OP: &str = "ex_disable_availability_zones";
        let params =
            request::disable_availability_zones_for_load_balancer(balancer.balancer_name(), zones);
        self.send_on(
            OP,
            balancer.balancer_name(),
            params,
            response::parse_disable_availability_zones,
        )
        .await
    }

    /// Attaches a VPC balancer to more subnets and returns all its subnets
    /// (`AttachLoadBalancerToSubnets`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// let subnets = driver.ex_attach_balancer_to_subnets("web", &["subnet-0abc"]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_attach_balancer_to_subnets<S: AsRef<str>>(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        subnets: &[S],
    ) -> Result<Vec<String>> {
        const OP: &str = "ex_attach_balancer_to_subnets";
        let params = request::attach_load_balancer_to_subnets(balancer.balancer_name(), subnets);
        self.send_on(
            OP,
            balancer.balancer_name(),
            params,
            response::parse_attach_subnets,
        )
        .await
    }

    /// Detaches a VPC balancer from subnets and returns the subnets it keeps
    /// (`DetachLoadBalancerFromSubnets`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// let subnets = driver.ex_detach_balancer_from_subnets("web", &["subnet-0abc"]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_detach_balancer_from_subnets<S: AsRef<str>>(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        subnets: &[S],
    ) -> Result<Vec<String>> {
        const OP: &str = "ex_detach_balancer_from_subnets";
        let params = request::detach_load_balancer_from_subnets(balancer.balancer_name(), subnets);
        self.send_on(
            OP,
            balancer.balancer_name(),
            params,
            response::parse_detach_subnets,
        )
        .await
    }

    /// Replaces the security groups of a VPC balancer and returns them
    /// (`ApplySecurityGroupsToLoadBalancer`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// let groups = driver.ex_apply_security_groups("web", &["sg-0abc"]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_apply_security_groups<S: AsRef<str>>(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        security_groups: &[S],
    ) -> Result<Vec<String>> {
        const OP: &str = "ex_apply_security_groups";
        let params = request::apply_security_groups_to_load_balancer(
            balancer.balancer_name(),
            security_groups,
        );
        self.send_on(
            OP,
            balancer.balancer_name(),
            params,
            response::parse_apply_security_groups,
        )
        .await
    }
}
