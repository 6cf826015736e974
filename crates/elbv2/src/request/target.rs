//! Builders for target groups, their health checks and attributes,
//! targets and target health.

use lbcloud_aws::QueryParams;
use lbcloud_core::Result;

use super::balancer::{modify_attributes, write_tags};
use super::{Fields, build, by_arn, check, check_paging, paging};
use crate::model::{
    Attribute, CreateTargetGroupInput, HealthCheckSettings, TargetDescription, TargetType,
};

/// The health check interval range, in seconds.
pub const HEALTH_INTERVAL_SECONDS: (u32, u32) = (5, 300);
/// The health check timeout range, in seconds.
pub const HEALTH_TIMEOUT_SECONDS: (u32, u32) = (2, 120);
/// The healthy and unhealthy threshold range.
pub const HEALTH_THRESHOLD: (u32, u32) = (2, 10);

/// Checks a health check's settings against the API's ranges.
pub fn check_health_check(hc: &HealthCheckSettings) -> Result<()> {
    let f = "health_check";
    if let Some(p) = &hc.protocol {
        check::known(&format!("{f}.protocol"), p.is_known(), p.as_str())?;
    }
    if let Some(port) = &hc.port
        && port != "traffic-port"
        && !port.parse::<u16>().is_ok_and(|n| n > 0)
    {
        return Err(check::invalid(
            &format!("{f}.port"),
            format!("must be 1 to 65535 or traffic-port, got {port:?}"),
        ));
    }
    if let Some(path) = &hc.path {
        check::max_len(&format!("{f}.path"), path, 1, 1024)?;
        if !path.starts_with('/') {
            return Err(check::invalid(&format!("{f}.path"), "must start with /"));
        }
    }
    let (lo, hi) = HEALTH_INTERVAL_SECONDS;
    check::opt_range(
        &format!("{f}.interval_seconds"),
        hc.interval_seconds,
        lo,
        hi,
    )?;
    let (lo, hi) = HEALTH_TIMEOUT_SECONDS;
    check::opt_range(&format!("{f}.timeout_seconds"), hc.timeout_seconds, lo, hi)?;
    let (lo, hi) = HEALTH_THRESHOLD;
    check::opt_range(
        &format!("{f}.healthy_threshold"),
        hc.healthy_threshold,
        lo,
        hi,
    )?;
    check::opt_range(
        &format!("{f}.unhealthy_threshold"),
        hc.unhealthy_threshold,
        lo,
        hi,
    )?;
    if let (Some(i), Some(t)) = (hc.interval_seconds, hc.timeout_seconds)
        && t >= i
    {
        return Err(check::invalid(
            &format!("{f}.timeout_seconds"),
            format!("must be shorter than the interval ({i} s), got {t} s"),
        ));
    }
    if let Some(m) = &hc.matcher {
        match (&m.http_code, &m.grpc_code) {
            (Some(code), None) | (None, Some(code)) => {
                check::non_empty(&format!("{f}.matcher"), code)?;
            }
            _ => {
                return Err(check::invalid(
                    &format!("{f}.matcher"),
                    "give HTTP codes or gRPC codes (exactly one)",
                ));
            }
        }
    }
    Ok(())
}

fn write_health_check(f: &mut Fields<'_>, hc: &HealthCheckSettings) {
    f.opt("HealthCheckProtocol", hc.protocol.as_ref());
    f.opt("HealthCheckPort", hc.port.as_deref());
    f.opt("HealthCheckEnabled", hc.enabled);
    f.opt("HealthCheckPath", hc.path.as_deref());
    f.opt("HealthCheckIntervalSeconds", hc.interval_seconds);
    f.opt("HealthCheckTimeoutSeconds", hc.timeout_seconds);
    f.opt("HealthyThresholdCount", hc.healthy_threshold);
    f.opt("UnhealthyThresholdCount", hc.unhealthy_threshold);
    if let Some(m) = &hc.matcher {
        let mut c = f.nested("Matcher");
        c.opt("HttpCode", m.http_code.as_deref());
        c.opt("GrpcCode", m.grpc_code.as_deref());
    }
}

/// `CreateTargetGroup`. Protocol, port and VPC are required unless the
/// targets are a Lambda function (then they must be absent).
pub fn create_target_group(input: &CreateTargetGroupInput) -> Result<QueryParams> {
    check::resource_name("name", &input.name)?;
    if let Some(t) = &input.target_type {
        check::known("target_type", t.is_known(), t.as_str())?;
    }
    let lambda = input.target_type == Some(TargetType::Lambda);
    if lambda {
        if input.protocol.is_some() || input.port.is_some() || input.vpc_id.is_some() {
            return Err(check::invalid(
                "target_type",
                "a Lambda target group takes no protocol, port or VPC",
            ));
        }
    } else {
        let Some(p) = &input.protocol else {
            return Err(check::invalid(
                "protocol",
                "is required unless targets are Lambda",
            ));
        };
        check::known("protocol", p.is_known(), p.as_str())?;
        let Some(port) = input.port else {
            return Err(check::invalid(
                "port",
                "is required unless targets are Lambda",
            ));
        };
        check::port("port", port)?;
        match &input.vpc_id {
            Some(v) => check::non_empty("vpc_id", v)?,
            None => {
                return Err(check::invalid(
                    "vpc_id",
                    "is required unless targets are Lambda",
                ));
            }
        }
    }
    if let Some(v) = &input.protocol_version
        && !matches!(v.as_str(), "HTTP1" | "HTTP2" | "GRPC")
    {
        return Err(check::invalid(
            "protocol_version",
            format!("must be HTTP1, HTTP2 or GRPC, got {v:?}"),
        ));
    }
    check_health_check(&input.health_check)?;
    check::tags("tags", &input.tags, false)?;
    if let Some(t) = &input.ip_address_type {
        check::known("ip_address_type", t.is_known(), t.as_str())?;
    }
    check::opt_port("target_control_port", input.target_control_port)?;
    Ok(build("CreateTargetGroup", |f| {
        f.set("Name", &input.name);
        f.opt("Protocol", input.protocol.as_ref());
        f.opt("ProtocolVersion", input.protocol_version.as_deref());
        f.opt("Port", input.port);
        f.opt("VpcId", input.vpc_id.as_deref());
        write_health_check(f, &input.health_check);
        f.opt("TargetType", input.target_type.as_ref());
        write_tags(f, &input.tags);
        f.opt("IpAddressType", input.ip_address_type.as_ref());
        f.opt("TargetControlPort", input.target_control_port);
    }))
}

/// `ModifyTargetGroup`: changes the health check; something must be set.
pub fn modify_target_group(arn: &str, hc: &HealthCheckSettings) -> Result<QueryParams> {
    check::arn("target_group_arn", arn)?;
    if hc.is_empty() {
        return Err(check::invalid("health_check", "changes nothing"));
    }
    check_health_check(hc)?;
    Ok(build("ModifyTargetGroup", |f| {
        f.set("TargetGroupArn", arn);
        write_health_check(f, hc);
    }))
}

/// `DeleteTargetGroup`.
pub fn delete_target_group(arn: &str) -> Result<QueryParams> {
    by_arn(
        "DeleteTargetGroup",
        "target_group_arn",
        "TargetGroupArn",
        arn,
    )
}

/// Which target groups `DescribeTargetGroups` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetGroupFilter<'a> {
    /// Every target group.
    All,
    /// The target groups of one load balancer.
    LoadBalancer(&'a str),
    /// By ARNs.
    Arns(&'a [&'a str]),
    /// By names.
    Names(&'a [&'a str]),
}

/// `DescribeTargetGroups`.
pub fn describe_target_groups(
    filter: TargetGroupFilter<'_>,
    marker: Option<&str>,
    page_size: Option<u32>,
) -> Result<QueryParams> {
    match filter {
        TargetGroupFilter::All => {}
        TargetGroupFilter::LoadBalancer(arn) => check::arn("load_balancer_arn", arn)?,
        TargetGroupFilter::Arns(arns) => check::arns("target_group_arns", arns, 400)?,
        TargetGroupFilter::Names(names) => {
            check::strings("names", names, true)?;
            for (i, n) in names.iter().enumerate() {
                check::resource_name(&format!("names[{i}]"), n)?;
            }
        }
    }
    check_paging(marker, page_size)?;
    Ok(build("DescribeTargetGroups", |f| {
        match filter {
            TargetGroupFilter::All => {}
            TargetGroupFilter::LoadBalancer(arn) => f.set("LoadBalancerArn", arn),
            TargetGroupFilter::Arns(arns) => f.strings("TargetGroupArns", arns),
            TargetGroupFilter::Names(names) => f.strings("Names", names),
        }
        paging(f, marker, page_size);
    }))
}

/// `DescribeTargetGroupAttributes`.
pub fn describe_target_group_attributes(arn: &str) -> Result<QueryParams> {
    by_arn(
        "DescribeTargetGroupAttributes",
        "target_group_arn",
        "TargetGroupArn",
        arn,
    )
}

/// `ModifyTargetGroupAttributes`: at least one attribute.
pub fn modify_target_group_attributes(arn: &str, attributes: &[Attribute]) -> Result<QueryParams> {
    modify_attributes(
        "ModifyTargetGroupAttributes",
        "target_group_arn",
        "TargetGroupArn",
        arn,
        attributes,
        usize::MAX,
    )
}

/// Checks targets: ids not empty, ports 1-65535, no (id, port) twice.
pub(crate) fn check_targets(targets: &[TargetDescription], required: bool) -> Result<()> {
    if required && targets.is_empty() {
        return Err(check::invalid("targets", "must hold at least one target"));
    }
    for (i, t) in targets.iter().enumerate() {
        check::non_empty(&format!("targets[{i}].id"), &t.id)?;
        check::opt_port(&format!("targets[{i}].port"), t.port)?;
        if let Some(q) = &t.quic_server_id {
            check::max_len(&format!("targets[{i}].quic_server_id"), q, 1, 256)?;
        }
        if targets
            .iter()
            .take(i)
            .any(|p| p.id == t.id && p.port == t.port)
        {
            return Err(check::invalid(
                &format!("targets[{i}]"),
                format!("{} on port {:?} is listed twice", t.id, t.port),
            ));
        }
    }
    Ok(())
}

fn write_targets(f: &mut Fields<'_>, targets: &[TargetDescription]) {
    f.list("Targets", targets, |m, t| {
        m.set("Id", &t.id);
        m.opt("Port", t.port);
        m.opt("AvailabilityZone", t.availability_zone.as_deref());
        m.opt("QuicServerId", t.quic_server_id.as_deref());
    });
}

fn targets_request(
    action: &'static str,
    arn: &str,
    targets: &[TargetDescription],
    required: bool,
) -> Result<QueryParams> {
    check::arn("target_group_arn", arn)?;
    check_targets(targets, required)?;
    Ok(build(action, |f| {
        f.set("TargetGroupArn", arn);
        write_targets(f, targets);
    }))
}

/// `RegisterTargets`: at least one target.
pub fn register_targets(arn: &str, targets: &[TargetDescription]) -> Result<QueryParams> {
    targets_request("RegisterTargets", arn, targets, true)
}

/// `DeregisterTargets`: at least one target.
pub fn deregister_targets(arn: &str, targets: &[TargetDescription]) -> Result<QueryParams> {
    targets_request("DeregisterTargets", arn, targets, true)
}

/// `DescribeTargetHealth`: the given targets, or every registered target
/// (empty list); `anomaly_detection` adds `Include=AnomalyDetection`.
pub fn describe_target_health(
    arn: &str,
    targets: &[TargetDescription],
    anomaly_detection: bool,
) -> Result<QueryParams> {
    let mut q = targets_request("DescribeTargetHealth", arn, targets, false)?;
    if anomaly_detection {
        q.push("Include.member.1", "AnomalyDetection");
    }
    Ok(q)
}
