//! Target groups, their health checks and attributes, targets and target
//! health.

use lbcloud_core::Result;

use super::{found, single};
use crate::driver::{Elbv2Driver, Pages};
use crate::model::{
    Attribute, CreateTargetGroupInput, HealthCheckSettings, TargetDescription, TargetGroup,
    TargetHealthDescription,
};
use crate::request::TargetGroupFilter;
use crate::{request, response};

impl Elbv2Driver {
    /// Creates a target group (`CreateTargetGroup`, libcloud's
    /// `ex_create_target_group`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elbv2::Elbv2Driver) -> lbcloud_core::Result<()> {
    /// use lbcloud_elbv2::model::{CreateTargetGroupInput, Elbv2Protocol, HealthCheckSettings, TargetType};
    ///
    /// let tg = driver
    ///     .ex_create_target_group(
    ///         &CreateTargetGroupInput::new("web", Elbv2Protocol::Http, 8000, "vpc-1")
    ///             .target_type(TargetType::Ip)
    ///             .health_check(HealthCheckSettings::http("/health")),
    ///     )
    ///     .await?;
    /// println!("{}", tg.arn);
    /// # Ok(()) }
    /// ```
    pub async fn ex_create_target_group(
        &self,
        input: &CreateTargetGroupInput,
    ) -> Result<TargetGroup> {
        const A: &str = "CreateTargetGroup";
        self.call(
            "ex_create_target_group",
            request::create_target_group(input),
            |b| single(A, b, response::parse_target_groups(A, b)?.items),
        )
        .await
    }

    /// Changes a target group's health check (`ModifyTargetGroup`).
    pub async fn ex_modify_target_group(
        &self,
        arn: &str,
        health_check: &HealthCheckSettings,
    ) -> Result<TargetGroup> {
        const A: &str = "ModifyTargetGroup";
        self.call(
            "ex_modify_target_group",
            request::modify_target_group(arn, health_check),
            |b| single(A, b, response::parse_target_groups(A, b)?.items),
        )
        .await
    }

    /// Deletes a target group (`DeleteTargetGroup`).
    pub async fn ex_delete_target_group(&self, arn: &str) -> Result<()> {
        self.call(
            "ex_delete_target_group",
            request::delete_target_group(arn),
            |b| response::parse_empty("DeleteTargetGroup", b),
        )
        .await
    }

    /// Target groups, a page at a time (`DescribeTargetGroups`).
    pub fn ex_target_groups_pages<'a>(
        &'a self,
        filter: TargetGroupFilter<'a>,
    ) -> Pages<'a, TargetGroup> {
        self.pages(
            "ex_target_groups_pages",
            move |marker, size| request::describe_target_groups(filter, marker, Some(size)),
            |b| response::parse_target_groups("DescribeTargetGroups", b),
        )
    }

    /// Every target group the filter selects (`DescribeTargetGroups`). A
    /// load balancer with no target group gives an empty list, as on AWS,
    /// even from a server that answers `TargetGroupNotFound` (moto 5.2.5);
    /// the page stream passes that answer on as it comes.
    pub async fn ex_list_target_groups(
        &self,
        filter: TargetGroupFilter<'_>,
    ) -> Result<Vec<TargetGroup>> {
        match Self::collect(self.ex_target_groups_pages(filter)).await {
            Err(e)
                if matches!(filter, TargetGroupFilter::LoadBalancer(_))
                    && e.code() == Some("TargetGroupNotFound") =>
            {
                Ok(Vec::new())
            }
            other => other,
        }
    }

    /// One target group by ARN (`DescribeTargetGroups`, libcloud's
    /// `ex_get_target_group`).
    pub async fn ex_get_target_group(&self, arn: &str) -> Result<TargetGroup> {
        let arns = [arn];
        let params = request::describe_target_groups(TargetGroupFilter::Arns(&arns), None, None);
        self.call("ex_get_target_group", params, |b| {
            found(
                "target group",
                arn,
                response::parse_target_groups("DescribeTargetGroups", b)?.items,
            )
        })
        .await
    }

    /// A target group's attributes (`DescribeTargetGroupAttributes`).
    pub async fn ex_describe_target_group_attributes(&self, arn: &str) -> Result<Vec<Attribute>> {
        self.call(
            "ex_describe_target_group_attributes",
            request::describe_target_group_attributes(arn),
            |b| response::parse_attributes("DescribeTargetGroupAttributes", b),
        )
        .await
    }

    /// Sets target group attributes (`ModifyTargetGroupAttributes`), such
    /// as `load_balancing.algorithm.type`.
    pub async fn ex_modify_target_group_attributes(
        &self,
        arn: &str,
        attributes: &[Attribute],
    ) -> Result<Vec<Attribute>> {
        self.call(
            "ex_modify_target_group_attributes",
            request::modify_target_group_attributes(arn, attributes),
            |b| response::parse_attributes("ModifyTargetGroupAttributes", b),
        )
        .await
    }

    /// Registers targets (`RegisterTargets`, libcloud's `ex_register_targets`).
    pub async fn ex_register_targets(
        &self,
        arn: &str,
        targets: &[TargetDescription],
    ) -> Result<()> {
        self.call(
            "ex_register_targets",
            request::register_targets(arn, targets),
            |b| response::parse_empty("RegisterTargets", b),
        )
        .await
    }

    /// Deregisters targets (`DeregisterTargets`).
    pub async fn ex_deregister_targets(
        &self,
        arn: &str,
        targets: &[TargetDescription],
    ) -> Result<()> {
        self.call(
            "ex_deregister_targets",
            request::deregister_targets(arn, targets),
            |b| response::parse_empty("DeregisterTargets", b),
        )
        .await
    }

    /// The health of the given targets, or of every registered target
    /// (empty list), with anomaly detection when asked
    /// (`DescribeTargetHealth`).
    pub async fn ex_describe_target_health(
        &self,
        arn: &str,
        targets: &[TargetDescription],
        anomaly_detection: bool,
    ) -> Result<Vec<TargetHealthDescription>> {
        self.call(
            "ex_describe_target_health",
            request::describe_target_health(arn, targets, anomaly_detection),
            response::parse_target_health,
        )
        .await
    }
}
