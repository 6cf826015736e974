//! The classic-ELB-specific data types that the `ex_` methods take and return.
//!
//! Plain data, like the core types: `Clone + Debug + PartialEq + Serialize +
//! Deserialize`, no driver handle.
//!
//! Every type here serializes with **AWS's own field names** (`PolicyName`,
//! `LBCookieStickinessPolicies`, `VPCId`, ...). Those are also the keys and
//! value shapes that [`Balancer::extra`](lbcloud_core::Balancer::extra) uses
//! for ELB balancers, so JSON printed by lbcloud reads like the AWS API
//! reference and an `extra` value deserializes straight back into its type.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use lbcloud_core::{
    Error, ErrorKind, HealthCheck, HealthState, Listener, MemberHealth, Result, Scheme,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A tag on a balancer: a key and a value (AWS allows an empty value).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// The key, 1-128 characters.
    #[serde(rename = "Key")]
    pub key: String,
    /// The value, 0-256 characters; empty when the tag has none.
    #[serde(rename = "Value", default)]
    pub value: String,
}

impl Tag {
    /// A tag `key=value`.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// The tags of one balancer, as `DescribeTags` returns them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagDescription {
    /// The balancer the tags belong to.
    #[serde(rename = "LoadBalancerName")]
    pub load_balancer_name: String,
    /// Its tags.
    #[serde(rename = "Tags", default)]
    pub tags: Vec<Tag>,
}

/// One account limit from `DescribeAccountLimits`
/// (`classic-load-balancers`, `classic-listeners`, `classic-registered-instances`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLimit {
    /// The limit's name.
    #[serde(rename = "Name")]
    pub name: String,
    /// The maximum, as AWS sends it (a string in the API model).
    #[serde(rename = "Max")]
    pub max: String,
}

impl AccountLimit {
    /// The maximum as a number, when it is one.
    pub fn max_value(&self) -> Option<u64> {
        self.max.trim().parse().ok()
    }
}

/// A page of account limits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLimits {
    /// The limits on this page.
    #[serde(rename = "Limits", default)]
    pub limits: Vec<AccountLimit>,
    /// The marker of the next page, if there is one.
    #[serde(
        rename = "NextMarker",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_marker: Option<String>,
}

/// The state of one instance as its balancer sees it (`DescribeInstanceHealth`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceState {
    /// The EC2 instance id.
    #[serde(rename = "InstanceId")]
    pub instance_id: String,
    /// `InService`, `OutOfService` or `Unknown`, as AWS sent it.
    #[serde(rename = "State")]
    pub state: String,
    /// `ELB`, `Instance` or `N/A`.
    #[serde(
        rename = "ReasonCode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub reason_code: Option<String>,
    /// AWS's explanation.
    #[serde(
        rename = "Description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
}

impl InstanceState {
    /// The state as provider-neutral health: `InService`, `OutOfService`,
    /// and `Unknown` for `Unknown` or anything unrecognized.
    pub fn health_state(&self) -> HealthState {
        match self.state.trim() {
            "InService" => HealthState::InService,
            "OutOfService" => HealthState::OutOfService,
            _ => HealthState::Unknown,
        }
    }
}

impl From<InstanceState> for MemberHealth {
    /// The member's health, with ELB's own `State` text kept as
    /// [`MemberHealth::provider_state`].
    fn from(s: InstanceState) -> Self {
        let state = s.health_state();
        let mut health = MemberHealth::new(s.instance_id, state);
        health.reason_code = s.reason_code;
        health.description = s.description;
        health.provider_state = (!s.state.is_empty()).then_some(s.state);
        health
    }
}

/// One attribute of a policy: a name and a value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyAttribute {
    /// The attribute's name, for example `ProxyProtocol`.
    #[serde(rename = "AttributeName")]
    pub name: String,
    /// Its value, for example `true`.
    #[serde(rename = "AttributeValue", default)]
    pub value: String,
}

impl PolicyAttribute {
    /// An attribute `name=value`.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// A policy of a balancer (`DescribeLoadBalancerPolicies`), or one to create
/// (`CreateLoadBalancerPolicy`).
///
/// ```
/// use lbcloud_elb::model::{Policy, PolicyAttribute};
///
/// let p = Policy::new("proxy", "ProxyProtocolPolicyType")
///     .attribute("ProxyProtocol", "true");
/// assert_eq!(p.attributes, vec![PolicyAttribute::new("ProxyProtocol", "true")]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// The policy's name, unique per balancer.
    #[serde(rename = "PolicyName")]
    pub name: String,
    /// The policy type, for example `ProxyProtocolPolicyType`.
    #[serde(rename = "PolicyTypeName")]
    pub type_name: String,
    /// Its attributes, in the order AWS returned them (names may repeat).
    #[serde(rename = "PolicyAttributeDescriptions", default)]
    pub attributes: Vec<PolicyAttribute>,
}

impl Policy {
    /// A policy `name` of type `type_name`, with no attributes yet.
    pub fn new(name: impl Into<String>, type_name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            type_name: type_name.into(),
            attributes: Vec::new(),
        }
    }

    /// Adds an attribute.
    pub fn attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.push(PolicyAttribute::new(name, value));
        self
    }
}

/// How many values a policy attribute takes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cardinality {
    /// `ONE`: exactly one value is required.
    One,
    /// `ZERO_OR_ONE`: at most one value.
    ZeroOrOne,
    /// `ZERO_OR_MORE`: optional, several allowed.
    ZeroOrMore,
    /// `ONE_OR_MORE`: required, several allowed.
    OneOrMore,
    /// A value this version does not know, kept as AWS sent it.
    Other(String),
}

impl Cardinality {
    /// The AWS spelling (`ONE`, `ZERO_OR_ONE`, ...).
    pub fn as_str(&self) -> &str {
        match self {
            Self::One => "ONE",
            Self::ZeroOrOne => "ZERO_OR_ONE",
            Self::ZeroOrMore => "ZERO_OR_MORE",
            Self::OneOrMore => "ONE_OR_MORE",
            Self::Other(s) => s,
        }
    }

    /// Parses the AWS spelling; anything else becomes [`Cardinality::Other`]
    /// so a new AWS value never fails a whole answer.
    pub fn from_aws(text: impl Into<String>) -> Self {
        let text = text.into();
        match text.trim() {
            "ONE" => Self::One,
            "ZERO_OR_ONE" => Self::ZeroOrOne,
            "ZERO_OR_MORE" => Self::ZeroOrMore,
            "ONE_OR_MORE" => Self::OneOrMore,
            _ => Self::Other(text),
        }
    }
}

impl fmt::Display for Cardinality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Cardinality {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::from_aws(s))
    }
}

impl Serialize for Cardinality {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Cardinality {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::from_aws(String::deserialize(d)?))
    }
}

/// The description of one attribute a policy type accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyAttributeTypeDescription {
    /// The attribute's name.
    #[serde(rename = "AttributeName")]
    pub name: String,
    /// Its type, for example `Boolean` or `Long`.
    #[serde(rename = "AttributeType")]
    pub type_name: String,
    /// The default value, if the type has one.
    #[serde(
        rename = "DefaultValue",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub default_value: Option<String>,
    /// How many values it takes (absent when AWS did not say).
    #[serde(
        rename = "Cardinality",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cardinality: Option<Cardinality>,
    /// AWS's description of the attribute.
    #[serde(
        rename = "Description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
}

/// A policy type (`DescribeLoadBalancerPolicyTypes`), with the attributes it accepts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyType {
    /// The type's name, for example `ProxyProtocolPolicyType`.
    #[serde(rename = "PolicyTypeName")]
    pub name: String,
    /// AWS's description of the type.
    #[serde(
        rename = "Description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// The attributes policies of this type accept.
    #[serde(rename = "PolicyAttributeTypeDescriptions", default)]
    pub attributes: Vec<PolicyAttributeTypeDescription>,
}

/// Connection draining: finish open connections before deregistering an instance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionDraining {
    /// Whether draining is on.
    #[serde(rename = "Enabled")]
    pub enabled: bool,
    /// The longest time to keep connections open, in seconds (1-3600).
    #[serde(rename = "Timeout", default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
}

/// Connection settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionSettings {
    /// Seconds a connection may stay idle before the balancer closes it (1-3600).
    #[serde(rename = "IdleTimeout")]
    pub idle_timeout: u32,
}

/// Access logs written to S3.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLog {
    /// Whether access logs are on.
    #[serde(rename = "Enabled")]
    pub enabled: bool,
    /// The S3 bucket that receives the logs.
    #[serde(
        rename = "S3BucketName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub s3_bucket_name: Option<String>,
    /// The key prefix inside the bucket, for example `my-app/prod`.
    #[serde(
        rename = "S3BucketPrefix",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub s3_bucket_prefix: Option<String>,
    /// Minutes between two log files: 5 or 60.
    #[serde(
        rename = "EmitInterval",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub emit_interval: Option<u32>,
}

/// An attribute ELB added after the API's first version, as a key and a value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdditionalAttribute {
    /// The attribute's key, for example `elb.http.desyncmitigationmode`.
    #[serde(rename = "Key")]
    pub key: String,
    /// Its value.
    #[serde(rename = "Value", default)]
    pub value: String,
}

/// A balancer's attributes (`DescribeLoadBalancerAttributes`), or the ones
/// to change (`ModifyLoadBalancerAttributes`): `None` leaves one unchanged.
///
/// ```
/// use lbcloud_elb::model::{BalancerAttributes, ConnectionDraining};
///
/// let change = BalancerAttributes {
///     cross_zone_load_balancing: Some(true),
///     connection_draining: Some(ConnectionDraining { enabled: true, timeout: Some(120) }),
///     ..BalancerAttributes::default()
/// };
/// assert!(!change.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalancerAttributes {
    /// Whether traffic is spread across all zones evenly.
    #[serde(
        rename = "CrossZoneLoadBalancing",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cross_zone_load_balancing: Option<bool>,
    /// Connection draining.
    #[serde(
        rename = "ConnectionDraining",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub connection_draining: Option<ConnectionDraining>,
    /// Connection settings (idle timeout).
    #[serde(
        rename = "ConnectionSettings",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub connection_settings: Option<ConnectionSettings>,
    /// Access logs.
    #[serde(rename = "AccessLog", default, skip_serializing_if = "Option::is_none")]
    pub access_log: Option<AccessLog>,
    /// Other attributes, as keys and values (at most 10 per call).
    #[serde(
        rename = "AdditionalAttributes",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub additional_attributes: Vec<AdditionalAttribute>,
}

impl BalancerAttributes {
    /// Whether no attribute is set.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// The policies attached to one instance port (back-end server authentication).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackendServerDescription {
    /// The instance port.
    #[serde(rename = "InstancePort")]
    pub instance_port: u16,
    /// The policies applied to it.
    #[serde(rename = "PolicyNames", default)]
    pub policy_names: Vec<String>,
}

/// A listener and the policies applied to it.
///
/// When a description becomes a [`Balancer`](lbcloud_core::Balancer), the
/// policy names move into [`Listener::policies`]; here they are kept apart,
/// as AWS sends them, and `listener.policies` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListenerDescription {
    /// The listener.
    #[serde(rename = "Listener")]
    pub listener: Listener,
    /// The policies applied to it.
    #[serde(rename = "PolicyNames", default)]
    pub policy_names: Vec<String>,
}

/// An application-cookie stickiness policy: follow the lifetime of a cookie
/// the application sets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppCookieStickinessPolicy {
    /// The policy's name.
    #[serde(rename = "PolicyName")]
    pub policy_name: String,
    /// The application cookie that controls stickiness.
    #[serde(rename = "CookieName")]
    pub cookie_name: String,
}

/// A balancer-generated-cookie stickiness policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LbCookieStickinessPolicy {
    /// The policy's name.
    #[serde(rename = "PolicyName")]
    pub policy_name: String,
    /// Seconds after which the cookie is stale; `None` (or 0) means the
    /// browser session.
    #[serde(
        rename = "CookieExpirationPeriod",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cookie_expiration_period: Option<i64>,
}

/// The policies defined on a balancer, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policies {
    /// Application-cookie stickiness policies.
    #[serde(rename = "AppCookieStickinessPolicies", default)]
    pub app_cookie_stickiness: Vec<AppCookieStickinessPolicy>,
    /// Balancer-cookie stickiness policies.
    #[serde(rename = "LBCookieStickinessPolicies", default)]
    pub lb_cookie_stickiness: Vec<LbCookieStickinessPolicy>,
    /// The names of every other policy.
    #[serde(rename = "OtherPolicies", default)]
    pub other_policies: Vec<String>,
}

/// The security group instances can allow traffic from, to accept only the
/// balancer's traffic.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceSecurityGroup {
    /// The owner of the group (an account alias such as `amazon-elb`).
    #[serde(rename = "OwnerAlias", default)]
    pub owner_alias: String,
    /// The group's name.
    #[serde(rename = "GroupName", default)]
    pub group_name: String,
}

/// A health check exactly as AWS reports it.
///
/// The target stays text: a server may send one that
/// [`HealthCheck::new`] rejects, and a listing must not fail because of it. [`HealthCheckDescription::to_health_check`] gives
/// the validated core form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthCheckDescription {
    /// What to probe, for example `HTTP:8080/health`.
    #[serde(rename = "Target")]
    pub target: String,
    /// Seconds between probes.
    #[serde(rename = "Interval")]
    pub interval: u32,
    /// Seconds to wait for an answer.
    #[serde(rename = "Timeout")]
    pub timeout: u32,
    /// Failures in a row before an instance is taken out.
    #[serde(rename = "UnhealthyThreshold")]
    pub unhealthy_threshold: u32,
    /// Successes in a row before an instance is healthy again.
    #[serde(rename = "HealthyThreshold")]
    pub healthy_threshold: u32,
}

impl HealthCheckDescription {
    /// The core health check, when the target parses (ranges are not checked:
    /// this is what the server has, not a request). The port is the
    /// target's; seconds become [`Duration`]s.
    ///
    /// ```
    /// use std::time::Duration;
    /// use lbcloud_elb::model::HealthCheckDescription;
    ///
    /// let d = HealthCheckDescription {
    ///     target: "HTTP:8080/health".into(),
    ///     interval: 20,
    ///     timeout: 5,
    ///     unhealthy_threshold: 5,
    ///     healthy_threshold: 3,
    /// };
    /// let hc = d.to_health_check()?;
    /// assert_eq!((hc.port, hc.path.as_deref()), (Some(8080), Some("/health")));
    /// assert_eq!(hc.interval, Duration::from_secs(20));
    /// # Ok::<(), lbcloud_core::Error>(())
    /// ```
    pub fn to_health_check(&self) -> Result<HealthCheck> {
        Ok(HealthCheck::new(self.target.trim())?
            .interval(Duration::from_secs(self.interval.into()))
            .timeout(Duration::from_secs(self.timeout.into()))
            .healthy_threshold(self.healthy_threshold)
            .unhealthy_threshold(self.unhealthy_threshold))
    }

    /// ELB's form of a core health check, checked against
    /// [`ELB_LIMITS`](crate::ELB_LIMITS) first (whole seconds, ELB's
    /// ranges). A check without a port probes `member_port` (the main
    /// listener's instance port, as ELB probes one port for every
    /// instance); without either it is `InvalidInput` on
    /// `health_check.port`. ELB counts only HTTP 200 as healthy, so
    /// `expected_codes` other than `200` is `Unsupported` on
    /// `health_check.expected_codes`.
    pub fn from_health_check(hc: &HealthCheck, member_port: Option<u16>) -> Result<Self> {
        hc.validate(&crate::ELB_LIMITS)?;
        if let Some(codes) = hc.expected_codes.as_deref()
            && codes.trim() != "200"
        {
            return Err(Error::new(
                ErrorKind::Unsupported,
                format!("classic ELB health checks count only HTTP 200 as healthy, not {codes:?}"),
            )
            .with_field("health_check.expected_codes")
            .with_provider("elb"));
        }
        let probe = match (hc.port, member_port) {
            (Some(_), _) => hc.clone(),
            (None, Some(port)) => hc.clone().port(port),
            (None, None) => {
                return Err(Error::invalid_input(
                    "health_check.port",
                    "ELB probes one port on every instance: give the check a port, or give the balancer a listener",
                ));
            }
        };
        let target = probe.target().ok_or_else(|| {
            Error::invalid_input("health_check.port", "the check has no port to probe")
        })?;
        let secs = |d: Duration| u32::try_from(d.as_secs()).unwrap_or(u32::MAX);
        Ok(Self {
            target,
            interval: secs(hc.interval),
            timeout: secs(hc.timeout),
            unhealthy_threshold: hc.unhealthy_threshold,
            healthy_threshold: hc.healthy_threshold,
        })
    }
}

/// Every field of one `LoadBalancerDescription` from `DescribeLoadBalancers`.
///
/// This is the typed form the `ex_` methods use; the provider-neutral form is
/// [`Balancer`](lbcloud_core::Balancer) (see
/// [`ElbBalancerDescription::into_balancer`] and
/// [`ElbBalancerDescription::from_balancer`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElbBalancerDescription {
    /// The balancer's name (its id on ELB).
    #[serde(rename = "LoadBalancerName")]
    pub load_balancer_name: String,
    /// The DNS name clients connect to.
    #[serde(rename = "DNSName", default, skip_serializing_if = "Option::is_none")]
    pub dns_name: Option<String>,
    /// The DNS name of the balancer's Route 53 hosted zone.
    #[serde(
        rename = "CanonicalHostedZoneName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub canonical_hosted_zone_name: Option<String>,
    /// The id of the balancer's Route 53 hosted zone.
    #[serde(
        rename = "CanonicalHostedZoneNameID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub canonical_hosted_zone_name_id: Option<String>,
    /// The listeners, each with its policies.
    #[serde(rename = "ListenerDescriptions", default)]
    pub listener_descriptions: Vec<ListenerDescription>,
    /// The policies defined on the balancer.
    #[serde(rename = "Policies", default)]
    pub policies: Policies,
    /// Policies per instance port.
    #[serde(rename = "BackendServerDescriptions", default)]
    pub backend_server_descriptions: Vec<BackendServerDescription>,
    /// The availability zones served.
    #[serde(rename = "AvailabilityZones", default)]
    pub availability_zones: Vec<String>,
    /// The subnets (VPC balancers).
    #[serde(rename = "Subnets", default)]
    pub subnets: Vec<String>,
    /// The VPC (VPC balancers).
    #[serde(rename = "VPCId", default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// The registered instance ids.
    #[serde(rename = "Instances", default)]
    pub instances: Vec<String>,
    /// The health check.
    #[serde(
        rename = "HealthCheck",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub health_check: Option<HealthCheckDescription>,
    /// The source security group for instances' inbound rules.
    #[serde(
        rename = "SourceSecurityGroup",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub source_security_group: Option<SourceSecurityGroup>,
    /// The security groups of the balancer (VPC balancers).
    #[serde(rename = "SecurityGroups", default)]
    pub security_groups: Vec<String>,
    /// When the balancer was created.
    #[serde(
        rename = "CreatedTime",
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_time: Option<OffsetDateTime>,
    /// `internet-facing` or `internal`, as AWS sent it.
    #[serde(rename = "Scheme", default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
}

impl ElbBalancerDescription {
    /// The scheme as the core enum, when AWS sent a known one.
    pub fn scheme(&self) -> Option<Scheme> {
        self.scheme.as_deref().and_then(|s| s.trim().parse().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cardinality_round_trips_and_keeps_unknown_values() {
        for c in [
            Cardinality::One,
            Cardinality::ZeroOrOne,
            Cardinality::ZeroOrMore,
            Cardinality::OneOrMore,
        ] {
            assert_eq!(Cardinality::from_aws(c.as_str()), c);
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(serde_json::from_str::<Cardinality>(&json).unwrap(), c);
        }
        assert_eq!(
            Cardinality::from_aws("SOME"),
            Cardinality::Other("SOME".into())
        );
    }

    #[test]
    fn instance_state_maps_to_member_health() {
        let s = InstanceState {
            instance_id: "i-1".into(),
            state: "OutOfService".into(),
            reason_code: Some("Instance".into()),
            description: None,
        };
        let h = MemberHealth::from(s);
        assert_eq!(h.state, HealthState::OutOfService);
        assert_eq!(h.provider_state.as_deref(), Some("OutOfService"));
        assert_eq!(h.member_id, "i-1");
        let odd = InstanceState {
            state: "Hibernating".into(),
            ..InstanceState::default()
        };
        assert_eq!(odd.health_state(), HealthState::Unknown);
        assert_eq!(
            MemberHealth::from(odd).provider_state.as_deref(),
            Some("Hibernating")
        );
    }

    #[test]
    fn health_check_description_converts_when_target_parses() {
        let mut d = HealthCheckDescription {
            target: "HTTP:8080/health".into(),
            interval: 20,
            timeout: 5,
            unhealthy_threshold: 5,
            healthy_threshold: 3,
        };
        let hc = d.to_health_check().unwrap();
        assert_eq!(
            HealthCheckDescription::from_health_check(&hc, None).unwrap(),
            d
        );
        // A check on the members' own port takes the port given.
        let mut own = hc;
        own.port = None;
        let back = HealthCheckDescription::from_health_check(&own, Some(9000)).unwrap();
        assert_eq!(back.target, "HTTP:9000/health");
        d.target = "GOPHER:70".into();
        assert!(d.to_health_check().is_err());
    }

    #[test]
    fn serialized_names_are_aws_names() {
        let p = Policies {
            lb_cookie_stickiness: vec![LbCookieStickinessPolicy {
                policy_name: "p".into(),
                cookie_expiration_period: Some(60),
            }],
            ..Policies::default()
        };
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(
            v["LBCookieStickinessPolicies"][0]["CookieExpirationPeriod"],
            60
        );
        assert_eq!(account_limit().max_value(), Some(20));
    }

    fn account_limit() -> AccountLimit {
        AccountLimit {
            name: "classic-load-balancers".into(),
            max: "20".into(),
        }
    }
}
