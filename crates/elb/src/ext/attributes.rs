//! Balancer attributes.

use lbcloud_core::Result;

use super::BalancerRef;
use crate::driver::ElbDriver;
use crate::model::BalancerAttributes;
use crate::request;
use crate::response;

impl ElbDriver {
    /// A balancer's attributes: cross-zone balancing, connection draining,
    /// idle timeout, access log and additional attributes
    /// (`DescribeLoadBalancerAttributes`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// let attrs = driver.ex_describe_balancer_attributes("web").await?;
    /// println!("cross-zone: {:?}", attrs.cross_zone_load_balancing);
    /// # Ok(()) }
    /// ```
    pub async fn ex_describe_balancer_attributes(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
    ) -> Result<BalancerAttributes> {
        const OP: &str = "ex_describe_balancer_attributes";
        let params = request::describe_load_balancer_attributes(balancer.balancer_name());
        self.send_on(
            OP,
            balancer.balancer_name(),
            params,
            response::parse_describe_load_balancer_attributes,
        )
        .await
    }

    /// Changes the attributes that are `Some` (at least one) and returns
    /// what ELB now reports (`ModifyLoadBalancerAttributes`). Timeouts are
    /// 1-3600 s, the access-log interval 5 or 60 minutes, enabling access
    /// logs needs a bucket, and at most 10 additional attributes go in one call.
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// use lbcloud_elb::model::{BalancerAttributes, ConnectionDraining};
    ///
    /// let change = BalancerAttributes {
    ///     cross_zone_load_balancing: Some(true),
    ///     connection_draining: Some(ConnectionDraining { enabled: true, timeout: Some(300) }),
    ///     ..BalancerAttributes::default()
    /// };
    /// let now = driver.ex_modify_balancer_attributes("web", &change).await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_modify_balancer_attributes(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        attributes: &BalancerAttributes,
    ) -> Result<BalancerAttributes> {
        const OP: &str = "ex_modify_balancer_attributes";
        let params = request::modify_load_balancer_attributes(balancer.balancer_name(), attributes);
        self.send_on(
            OP,
            balancer.balancer_name(),
            params,
            response::parse_modify_load_balancer_attributes,
        )
        .await
    }
}
