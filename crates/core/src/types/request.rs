//! What a caller asks a driver to create or change.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::{
    Algorithm, Error, HealthCheck, Limits, Listener, Member, Protocol, Result, Scheme, validate,
};

/// Everything needed to create a balancer.
///
/// The first listener is libcloud's `port` / `protocol`; more listeners,
/// members, a health check, zones, subnets, security groups, a scheme and
/// tags are optional. Drivers call [`CreateBalancer::validate`] before any
/// request and reject what they do not support.
///
/// ```
/// use lbcloud_core::{Algorithm, CreateBalancer, HealthCheck, Listener, Member, Protocol};
///
/// let req = CreateBalancer::new("web-lb", 80, Protocol::Http)
///     .instance_port(8080)
///     .listener(Listener::new(443, Protocol::Tcp, 8443))
///     .algorithm(Algorithm::RoundRobin)
///     .member(Member::instance("i-0aaa"))
///     .zones(["us-east-1a", "us-east-1b"])
///     .health_check(HealthCheck::new("HTTP:8080/health")?.interval(std::time::Duration::from_secs(20)));
/// req.validate(&lbcloud_core::Limits::new())?;
/// assert_eq!(req.port(), 80);
/// assert_eq!(req.listeners.len(), 2);
/// # Ok::<(), lbcloud_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreateBalancer {
    /// The balancer's name, unique per account and region.
    pub name: String,
    /// The listeners; the first is the balancer's main `port` / `protocol`.
    pub listeners: Vec<Listener>,
    /// The algorithm, if the provider lets the caller choose one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<Algorithm>,
    /// Members to attach right after creation.
    #[serde(default)]
    pub members: Vec<Member>,
    /// A health check to apply right after creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    /// Availability zones to serve.
    #[serde(default)]
    pub zones: Vec<String>,
    /// Subnets to place the balancer in (instead of zones, in a VPC).
    #[serde(default)]
    pub subnets: Vec<String>,
    /// Security groups for the balancer (VPC only on ELB).
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// Internet-facing or internal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Scheme>,
    /// Tags to set at creation.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

impl CreateBalancer {
    /// A request for a balancer named `name` listening on `port` with
    /// `protocol`, forwarding to the same port on members.
    pub fn new(name: impl Into<String>, port: u16, protocol: Protocol) -> Self {
        Self {
            name: name.into(),
            listeners: vec![Listener::new(port, protocol, port)],
            algorithm: None,
            members: Vec::new(),
            health_check: None,
            zones: Vec::new(),
            subnets: Vec::new(),
            security_groups: Vec::new(),
            scheme: None,
            tags: BTreeMap::new(),
        }
    }

    /// The main listener's port (0 if the request has no listener, which
    /// [`validate`](Self::validate) rejects).
    pub fn port(&self) -> u16 {
        self.listeners.first().map_or(0, |l| l.port)
    }

    /// The main listener's protocol.
    pub fn protocol(&self) -> Option<Protocol> {
        self.listeners.first().map(|l| l.protocol)
    }

    /// Sets the member port of the main listener.
    pub fn instance_port(mut self, port: u16) -> Self {
        if let Some(l) = self.listeners.first_mut() {
            l.instance_port = port;
        }
        self
    }

    /// Sets the member protocol of the main listener.
    pub fn instance_protocol(mut self, protocol: Protocol) -> Self {
        if let Some(l) = self.listeners.first_mut() {
            l.instance_protocol = Some(protocol);
        }
        self
    }

    /// Sets the certificate of the main listener (for HTTPS or SSL).
    pub fn certificate(mut self, certificate_id: impl Into<String>) -> Self {
        if let Some(l) = self.listeners.first_mut() {
            l.certificate_id = Some(certificate_id.into());
        }
        self
    }

    /// Adds another listener.
    pub fn listener(mut self, listener: Listener) -> Self {
        self.listeners.push(listener);
        self
    }

    /// Sets the algorithm.
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = Some(algorithm);
        self
    }

    /// Adds a member.
    pub fn member(mut self, member: Member) -> Self {
        self.members.push(member);
        self
    }

    /// Adds several members.
    pub fn members(mut self, members: impl IntoIterator<Item = Member>) -> Self {
        self.members.extend(members);
        self
    }

    /// Sets the health check.
    pub fn health_check(mut self, health_check: HealthCheck) -> Self {
        self.health_check = Some(health_check);
        self
    }

    /// Sets the availability zones.
    pub fn zones<S: Into<String>>(mut self, zones: impl IntoIterator<Item = S>) -> Self {
        self.zones = zones.into_iter().map(Into::into).collect();
        self
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

    /// Sets the scheme.
    pub fn scheme(mut self, scheme: Scheme) -> Self {
        self.scheme = Some(scheme);
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.insert(key.into(), value.into());
        self
    }

    /// Checks the whole request against a driver's `limits`: the name
    /// rule, at least one listener and no more than the limit, each
    /// listener, no two listeners on one port, each member's shape (and
    /// weight range), no member twice, the health check, and that zones,
    /// subnets, security groups and tag keys are not empty strings.
    ///
    /// What the driver supports at all (a second listener, weights, an
    /// algorithm) is checked by [`check::create_balancer`](crate::check::create_balancer),
    /// which calls this first.
    pub fn validate(&self, limits: &Limits) -> Result<()> {
        limits.name.check("name", &self.name)?;
        if self.listeners.is_empty() {
            return Err(Error::invalid_input(
                "listeners",
                "at least one listener is required",
            ));
        }
        if self.listeners.len() > limits.listeners_per_balancer {
            return Err(Error::invalid_input(
                "listeners",
                format!(
                    "at most {} listeners per balancer, got {}",
                    limits.listeners_per_balancer,
                    self.listeners.len()
                ),
            ));
        }
        let mut ports = HashSet::new();
        for (i, l) in self.listeners.iter().enumerate() {
            let field = format!("listeners[{i}]");
            l.validate(&field)?;
            if !ports.insert(l.port) {
                return Err(Error::invalid_input(
                    format!("{field}.port"),
                    format!("port {} is used by two listeners", l.port),
                ));
            }
        }
        validate::members(limits, &self.members)?;
        if let Some(hc) = &self.health_check {
            hc.validate(limits)?;
        }
        for (field, list) in [
            ("zones", &self.zones),
            ("subnets", &self.subnets),
            ("security_groups", &self.security_groups),
        ] {
            for (i, v) in list.iter().enumerate() {
                validate::non_empty(&format!("{field}[{i}]"), v)?;
            }
        }
        for key in self.tags.keys() {
            validate::non_empty("tags.key", key)?;
        }
        Ok(())
    }
}

/// The changes to apply to a balancer; `None` leaves a field as it is.
///
/// ```
/// use lbcloud_core::{Protocol, UpdateBalancer};
///
/// let u = UpdateBalancer::new().port(8080).protocol(Protocol::Tcp);
/// assert!(!u.is_empty());
/// u.validate(&lbcloud_core::Limits::new()).unwrap();
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UpdateBalancer {
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new port for the main listener.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// A new protocol for the main listener.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// A new algorithm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<Algorithm>,
}

impl UpdateBalancer {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Renames the balancer.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Moves the main listener to `port`.
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// Changes the main listener's protocol.
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = Some(protocol);
        self
    }

    /// Changes the algorithm.
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = Some(algorithm);
        self
    }

    /// Whether the update changes nothing.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// Checks the new name against the driver's `limits`, and the port.
    pub fn validate(&self, limits: &Limits) -> Result<()> {
        if let Some(name) = &self.name {
            limits.name.check("name", name)?;
        }
        if let Some(port) = self.port {
            validate::port("port", port)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(r: Result<()>) -> Option<String> {
        r.err().and_then(|e| e.field().map(str::to_owned))
    }

    fn elb_names() -> Limits {
        Limits::new().with_name(crate::limits::NameRule::new(32, "-"))
    }

    #[test]
    fn create_rules() {
        let limits = elb_names();
        let ok = CreateBalancer::new("web", 80, Protocol::Http);
        assert!(ok.validate(&limits).is_ok());
        assert_eq!(
            field_of(CreateBalancer::new("", 80, Protocol::Http).validate(&limits)).as_deref(),
            Some("name")
        );
        assert_eq!(
            field_of(CreateBalancer::new("web", 0, Protocol::Http).validate(&limits)).as_deref(),
            Some("listeners[0].port")
        );
        let dup = ok.clone().listener(Listener::new(80, Protocol::Tcp, 81));
        assert_eq!(
            field_of(dup.validate(&limits)).as_deref(),
            Some("listeners[1].port")
        );
        let mut none = ok.clone();
        none.listeners.clear();
        assert_eq!(
            field_of(none.validate(&limits)).as_deref(),
            Some("listeners")
        );
        assert_eq!(
            field_of(ok.clone().zones([""]).validate(&limits)).as_deref(),
            Some("zones[0]")
        );
        assert_eq!(
            field_of(ok.clone().member(Member::default()).validate(&limits)).as_deref(),
            Some("members[0].id")
        );
        let twice = ok
            .clone()
            .member(Member::instance("i-1"))
            .member(Member::instance("i-1"));
        assert_eq!(
            field_of(twice.validate(&limits)).as_deref(),
            Some("members[1]")
        );
        let three = ok
            .clone()
            .listener(Listener::new(81, Protocol::Http, 81))
            .listener(Listener::new(82, Protocol::Http, 82));
        assert_eq!(
            field_of(three.validate(&limits.with_listeners_per_balancer(2))).as_deref(),
            Some("listeners")
        );
    }

    #[test]
    fn update_rules() {
        assert!(UpdateBalancer::new().is_empty());
        let limits = elb_names();
        assert_eq!(
            field_of(UpdateBalancer::new().port(0).validate(&limits)).as_deref(),
            Some("port")
        );
        assert_eq!(
            field_of(UpdateBalancer::new().name("a_b").validate(&limits)).as_deref(),
            Some("name")
        );
        assert!(
            UpdateBalancer::new()
                .name("a_b")
                .validate(&Limits::new())
                .is_ok()
        );
    }
}
