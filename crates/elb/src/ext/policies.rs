//! Policies: list, create, delete, list types, stickiness, and which
//! policies a listener or an instance port uses.

use std::time::Duration;

use lbcloud_core::{Error, Result};

use super::{BalancerRef, tag};
use crate::driver::ElbDriver;
use crate::model::{Policy, PolicyAttribute, PolicyType};
use crate::request;
use crate::response;

impl ElbDriver {
    /// The policies defined on a balancer, each with its type and
    /// attributes (`DescribeLoadBalancerPolicies`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// for p in driver.ex_list_balancer_policies("web").await? {
    ///     println!("{} ({}): {:?}", p.name, p.type_name, p.attributes);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn ex_list_balancer_policies(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
    ) -> Result<Vec<Policy>> {
        const OP: &str = "ex_list_balancer_policies";
        let params =
            request::describe_load_balancer_policies::<&str>(Some(balancer.balancer_name()), &[]);
        self.send_on(
            OP,
            balancer.balancer_name(),
            params,
            response::parse_describe_load_balancer_policies,
        )
        .await
    }

    /// Every policy type ELB offers, each with the attributes it accepts
    /// (name, type, default, cardinality, description)
    /// (`DescribeLoadBalancerPolicyTypes`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// for t in driver.ex_list_balancer_policy_types().await? {
    ///     println!("{}: {} attribute(s)", t.name, t.attributes.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn ex_list_balancer_policy_types(&self) -> Result<Vec<PolicyType>> {
        self.ex_describe_balancer_policy_types::<&str>(&[]).await
    }

    /// The named policy types (all of them when `type_names` is empty).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// let types = driver.ex_describe_balancer_policy_types(&["ProxyProtocolPolicyType"]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_describe_balancer_policy_types<S: AsRef<str>>(
        &self,
        type_names: &[S],
    ) -> Result<Vec<PolicyType>> {
        const OP: &str = "ex_describe_balancer_policy_types";
        let params = request::describe_load_balancer_policy_types(type_names);
        self.send_built(
            OP,
            params,
            response::parse_describe_load_balancer_policy_types,
        )
        .await
    }

    /// Creates policy `policy_name` of type `policy_type` with `attributes`
    /// on a balancer (`CreateLoadBalancerPolicy`) and returns it.
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// use lbcloud_elb::model::PolicyAttribute;
    ///
    /// driver
    ///     .ex_create_balancer_policy(
    ///         "web",
    ///         "proxy-protocol",
    ///         "ProxyProtocolPolicyType",
    ///         &[PolicyAttribute::new("ProxyProtocol", "true")],
    ///     )
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_create_balancer_policy(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        policy_name: &str,
        policy_type: &str,
        attributes: &[PolicyAttribute],
    ) -> Result<Policy> {
        const OP: &str = "ex_create_balancer_policy";
        let policy = Policy {
            name: policy_name.to_owned(),
            type_name: policy_type.to_owned(),
            attributes: attributes.to_vec(),
        };
        let params = request::create_load_balancer_policy(balancer.balancer_name(), &policy);
        self.send_on(OP, balancer.balancer_name(), params, |b| {
            response::parse_empty_result("CreateLoadBalancerPolicy", b)
        })
        .await?;
        Ok(policy)
    }

    /// Deletes a policy the balancer no longer uses (`DeleteLoadBalancerPolicy`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// driver.ex_delete_balancer_policy("web", "proxy-protocol").await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_delete_balancer_policy(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        policy_name: &str,
    ) -> Result<()> {
        const OP: &str = "ex_delete_balancer_policy";
        let params = request::delete_load_balancer_policy(balancer.balancer_name(), policy_name);
        self.send_on(OP, balancer.balancer_name(), params, |b| {
            response::parse_empty_result("DeleteLoadBalancerPolicy", b)
        })
        .await
    }

    /// Replaces the policies of the listener on `lb_port`
    /// (`SetLoadBalancerPoliciesOfListener`). An empty list removes them
    /// all; it is still sent, as `PolicyNames=`.
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// driver.ex_set_balancer_policies_listener("web", 80, &["sticky"]).await?;
    /// driver.ex_set_balancer_policies_listener::<&str>("web", 80, &[]).await?; // clears
    /// # Ok(()) }
    /// ```
    pub async fn ex_set_balancer_policies_listener<S: AsRef<str>>(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        lb_port: u16,
        policy_names: &[S],
    ) -> Result<()> {
        const OP: &str = "ex_set_balancer_policies_listener";
        let params = request::set_load_balancer_policies_of_listener(
            balancer.balancer_name(),
            lb_port,
            policy_names,
        );
        self.send_on(OP, balancer.balancer_name(), params, |b| {
            response::parse_empty_result("SetLoadBalancerPoliciesOfListener", b)
        })
        .await
    }

    /// Replaces the policies of instance port `instance_port`
    /// (`SetLoadBalancerPoliciesForBackendServer`), for example a
    /// ProxyProtocol policy. An empty list removes them all and is still sent.
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// driver.ex_set_balancer_policies_backend_server("web", 8080, &["proxy-protocol"]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_set_balancer_policies_backend_server<S: AsRef<str>>(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        instance_port: u16,
        policy_names: &[S],
    ) -> Result<()> {
        const OP: &str = "ex_set_balancer_policies_backend_server";
        let params = request::set_load_balancer_policies_for_backend_server(
            balancer.balancer_name(),
            instance_port,
            policy_names,
        );
        self.send_on(OP, balancer.balancer_name(), params, |b| {
            response::parse_empty_result("SetLoadBalancerPoliciesForBackendServer", b)
        })
        .await
    }

    /// Creates a stickiness policy that uses a cookie the balancer issues,
    /// valid for `expiration` (whole seconds; `None`: the browser session)
    /// (`CreateLBCookieStickinessPolicy`). Attach it to a listener with
    /// [`ex_set_balancer_policies_listener`](Self::ex_set_balancer_policies_listener).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// use std::time::Duration;
    /// driver
    ///     .ex_create_lb_cookie_stickiness_policy("web", "sticky-1h", Some(Duration::from_secs(3600)))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_create_lb_cookie_stickiness_policy(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        policy_name: &str,
        expiration: Option<Duration>,
    ) -> Result<()> {
        const OP: &str = "ex_create_lb_cookie_stickiness_policy";
        let period = match expiration {
            None => None,
            Some(d) => Some(i64::try_from(d.as_secs()).map_err(|_| {
                tag(
                    Error::invalid_input(
                        "expiration",
                        format!("{} s is longer than ELB can store", d.as_secs()),
                    ),
                    OP,
                )
            })?),
        };
        let params = request::create_lb_cookie_stickiness_policy(
            balancer.balancer_name(),
            policy_name,
            period,
        );
        self.send_on(OP, balancer.balancer_name(), params, |b| {
            response::parse_empty_result("CreateLBCookieStickinessPolicy", b)
        })
        .await
    }

    /// Creates a stickiness policy that follows the lifetime of the
    /// application's own cookie `cookie_name` (`CreateAppCookieStickinessPolicy`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// driver.ex_create_app_cookie_stickiness_policy("web", "sticky-app", "SESSIONID").await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_create_app_cookie_stickiness_policy(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        policy_name: &str,
        cookie_name: &str,
    ) -> Result<()> {
        const OP: &str = "ex_create_app_cookie_stickiness_policy";
        let params = request::create_app_cookie_stickiness_policy(
            balancer.balancer_name(),
            policy_name,
            cookie_name,
        );
        self.send_on(OP, balancer.balancer_name(), params, |b| {
            response::parse_empty_result("CreateAppCookieStickinessPolicy", b)
        })
        .await
    }
}
