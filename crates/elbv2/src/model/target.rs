//! Target groups, their health checks, targets and target health.

use serde::{Deserialize, Serialize};

use super::{
    AnomalyResult, Elbv2Protocol, Tag, TargetGroupIpAddressType, TargetHealthReason,
    TargetHealthState, TargetType,
};

/// A target group as `DescribeTargetGroups` reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetGroup {
    /// Its ARN.
    pub arn: String,
    /// Its name.
    pub name: String,
    /// The protocol targets receive.
    pub protocol: Option<Elbv2Protocol>,
    /// The port targets receive traffic on unless a target names its own.
    pub port: Option<u16>,
    /// Its VPC.
    pub vpc_id: Option<String>,
    /// Its health check.
    pub health_check: HealthCheckSettings,
    /// The load balancers that route to it.
    pub load_balancer_arns: Vec<String>,
    /// Instance, IP, Lambda or ALB targets.
    pub target_type: Option<TargetType>,
    /// `HTTP1`, `HTTP2` or `GRPC` (HTTP/HTTPS groups).
    pub protocol_version: Option<String>,
    /// IPv4 or IPv6 targets.
    pub ip_address_type: Option<TargetGroupIpAddressType>,
    /// The port of the target control agent.
    pub target_control_port: Option<u16>,
}

/// A target group's health check, as read and as set (`CreateTargetGroup`,
/// `ModifyTargetGroup`): what is `None` is not sent and keeps AWS's value.
///
/// ```
/// use lbcloud_elbv2::model::{Elbv2Protocol, HealthCheckSettings};
///
/// let hc = HealthCheckSettings::http("/health").interval(10).thresholds(3, 2);
/// assert_eq!(hc.protocol, Some(Elbv2Protocol::Http));
/// assert_eq!(hc.interval_seconds, Some(10));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthCheckSettings {
    /// The protocol of the check.
    pub protocol: Option<Elbv2Protocol>,
    /// `traffic-port` or a port number.
    pub port: Option<String>,
    /// Whether checks run.
    pub enabled: Option<bool>,
    /// The path of HTTP/HTTPS checks, 1-1024 characters from `/`.
    pub path: Option<String>,
    /// Seconds between checks, 5-300.
    pub interval_seconds: Option<u32>,
    /// Seconds before a check fails, 2-120.
    pub timeout_seconds: Option<u32>,
    /// Passes in a row to become healthy, 2-10.
    pub healthy_threshold: Option<u32>,
    /// Failures in a row to become unhealthy, 2-10.
    pub unhealthy_threshold: Option<u32>,
    /// The codes that count as a pass.
    pub matcher: Option<Matcher>,
}

impl HealthCheckSettings {
    /// An HTTP check of `path` on the traffic port.
    pub fn http(path: impl Into<String>) -> Self {
        Self {
            protocol: Some(Elbv2Protocol::Http),
            path: Some(path.into()),
            ..Self::default()
        }
    }

    /// A TCP check on the traffic port.
    pub fn tcp() -> Self {
        Self {
            protocol: Some(Elbv2Protocol::Tcp),
            ..Self::default()
        }
    }

    /// Sets the interval in seconds.
    pub fn interval(mut self, seconds: u32) -> Self {
        self.interval_seconds = Some(seconds);
        self
    }

    /// Sets the timeout in seconds.
    pub fn timeout(mut self, seconds: u32) -> Self {
        self.timeout_seconds = Some(seconds);
        self
    }

    /// Sets the healthy and unhealthy thresholds.
    pub fn thresholds(mut self, healthy: u32, unhealthy: u32) -> Self {
        self.healthy_threshold = Some(healthy);
        self.unhealthy_threshold = Some(unhealthy);
        self
    }

    /// Sets the check's port.
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port.to_string());
        self
    }

    /// Sets the HTTP codes that pass (`200`, `200-299`, `200,302`).
    pub fn http_codes(mut self, codes: impl Into<String>) -> Self {
        self.matcher = Some(Matcher {
            http_code: Some(codes.into()),
            grpc_code: None,
        });
        self
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The answers a health check accepts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matcher {
    /// HTTP codes, such as `200` or `200-299`.
    pub http_code: Option<String>,
    /// gRPC codes, such as `12`.
    pub grpc_code: Option<String>,
}

/// The input of `CreateTargetGroup`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateTargetGroupInput {
    /// The name: 1-32 letters, digits and hyphens, no hyphen at either end.
    pub name: String,
    /// The protocol targets receive (not for Lambda).
    pub protocol: Option<Elbv2Protocol>,
    /// `HTTP1`, `HTTP2` or `GRPC`.
    pub protocol_version: Option<String>,
    /// The port targets receive traffic on (not for Lambda).
    pub port: Option<u16>,
    /// The VPC (not for Lambda).
    pub vpc_id: Option<String>,
    /// The health check.
    pub health_check: HealthCheckSettings,
    /// Instance (the default), IP, Lambda or ALB targets.
    pub target_type: Option<TargetType>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// IPv4 or IPv6 targets.
    pub ip_address_type: Option<TargetGroupIpAddressType>,
    /// The port of the target control agent.
    pub target_control_port: Option<u16>,
}

impl CreateTargetGroupInput {
    /// A target group for `protocol` on `port` in `vpc_id`.
    pub fn new(
        name: impl Into<String>,
        protocol: Elbv2Protocol,
        port: u16,
        vpc_id: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            protocol: Some(protocol),
            port: Some(port),
            vpc_id: Some(vpc_id.into()),
            ..Self::default()
        }
    }

    /// Sets the target type.
    pub fn target_type(mut self, target_type: TargetType) -> Self {
        self.target_type = Some(target_type);
        self
    }

    /// Sets the health check.
    pub fn health_check(mut self, health_check: HealthCheckSettings) -> Self {
        self.health_check = health_check;
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push(Tag::new(key, value));
        self
    }
}

/// A target: an instance id, an IP address, a Lambda ARN or an ALB ARN,
/// with the port it receives traffic on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TargetDescription {
    /// The id.
    pub id: String,
    /// The port; the target group's when `None`.
    pub port: Option<u16>,
    /// `all` for an IP outside the VPC, or a zone.
    pub availability_zone: Option<String>,
    /// The QUIC server id (QUIC target groups).
    pub quic_server_id: Option<String>,
}

impl TargetDescription {
    /// A target on the target group's port.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    /// A target on its own port.
    pub fn with_port(id: impl Into<String>, port: u16) -> Self {
        Self {
            id: id.into(),
            port: Some(port),
            ..Self::default()
        }
    }
}

/// One target's health, as `DescribeTargetHealth` reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetHealthDescription {
    /// The target.
    pub target: TargetDescription,
    /// The port health checks go to.
    pub health_check_port: Option<String>,
    /// The health.
    pub health: Option<TargetHealth>,
    /// Anomaly detection (with `Include=AnomalyDetection`).
    pub anomaly_detection: Option<AnomalyDetection>,
    /// A zonal shift override.
    pub administrative_override: Option<AdministrativeOverride>,
}

/// A target's health state, the reason and a description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetHealth {
    /// One of the seven states.
    pub state: TargetHealthState,
    /// Why (absent when healthy).
    pub reason: Option<TargetHealthReason>,
    /// AWS's words.
    pub description: Option<String>,
}

/// The anomaly detection result of a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnomalyDetection {
    /// Anomalous or normal.
    pub result: Option<AnomalyResult>,
    /// `yes` / `no`: whether mitigation routes around the target.
    pub mitigation_in_effect: Option<String>,
}

/// A zonal shift override of a target's routing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdministrativeOverride {
    /// `unknown`, `no_override`, `zonal_shift_active`,
    /// `zonal_shift_delegated_to_dns`.
    pub state: Option<String>,
    /// The reason code.
    pub reason: Option<String>,
    /// AWS's words.
    pub description: Option<String>,
}
