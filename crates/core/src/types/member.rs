//! Balancer members: targets named by an instance id, an address, or both.

use serde::{Deserialize, Serialize};

use crate::{Error, Extra, MemberCondition, MemberKind, Result, validate};

/// A target behind a balancer.
///
/// A member is one of:
///
/// - an **instance** ([`Member::instance`]): a compute instance id in `id`,
///   optionally with the port it serves on (ELBv2 instance targets);
/// - an **address** ([`Member::address`]): an IP or host name with a port.
///   Its `id` is what the provider calls it: empty until a driver assigns
///   one, or a name the caller chose ([`Member::with_id`], an HAProxy server
///   name).
///
/// `weight` and `condition` can be set at attach time and changed later with
/// [`Driver::balancer_update_member`](crate::Driver::balancer_update_member)
/// where the driver's [`Capabilities`](crate::Capabilities) allow.
///
/// ```
/// use lbcloud_core::{Member, MemberCondition, MemberKind};
///
/// let by_id = Member::instance("i-0123456789abcdef0").port(8080);
/// assert_eq!(by_id.kind, MemberKind::Instance);
/// assert_eq!(by_id.port, Some(8080));
///
/// let by_addr = Member::address("10.0.0.5", 8080).with_id("web1").weight(3);
/// assert!(by_addr.is_address());
/// assert_eq!(by_addr.condition, MemberCondition::Enabled);
/// by_addr.validate("members[0]").unwrap();
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Member {
    /// The member's id at the provider: the instance id of an instance
    /// member; for an address member the name the driver assigned or the
    /// caller chose (empty until then).
    #[serde(default)]
    pub id: String,
    /// How the member is named.
    #[serde(default)]
    pub kind: MemberKind,
    /// The member's address, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The member's port, when the provider tracks one per member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// The member's relative weight, for weighted algorithms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// Enabled, disabled or draining, as the provider reports it.
    #[serde(default)]
    pub condition: MemberCondition,
    /// What the provider returns beyond the common fields.
    #[serde(default, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

impl Member {
    /// A member named by its compute instance id.
    pub fn instance(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            kind: MemberKind::Instance,
            ..Self::default()
        }
    }

    /// A member named by address and port; the driver assigns the id
    /// unless [`with_id`](Self::with_id) names it.
    pub fn address(ip: impl Into<String>, port: u16) -> Self {
        Self {
            kind: MemberKind::Address,
            ip: Some(ip.into()),
            port: Some(port),
            ..Self::default()
        }
    }

    /// Sets the id (for an address member: the name to give it).
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = id.into();
        self
    }

    /// Sets the port (for an instance member: the port it serves on).
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// Sets the weight.
    pub fn weight(mut self, weight: u32) -> Self {
        self.weight = Some(weight);
        self
    }

    /// Sets the condition.
    pub fn condition(mut self, condition: MemberCondition) -> Self {
        self.condition = condition;
        self
    }

    /// Whether this member is named by address rather than by instance id.
    pub fn is_address(&self) -> bool {
        self.kind == MemberKind::Address
    }

    /// Whether `other` names the same target: the same id when both have
    /// one, else the same address and port.
    ///
    /// ```
    /// use lbcloud_core::Member;
    ///
    /// let attached = Member::address("10.0.0.1", 80).with_id("m-1");
    /// assert!(attached.same_target(&Member::address("10.0.0.1", 80)));
    /// assert!(attached.same_target(&Member::instance("m-1")));
    /// assert!(!attached.same_target(&Member::address("10.0.0.1", 81)));
    /// ```
    pub fn same_target(&self, other: &Member) -> bool {
        if !self.id.is_empty() && !other.id.is_empty() {
            return self.id == other.id;
        }
        self.ip.is_some() && self.ip == other.ip && self.port == other.port
    }

    /// Checks the member's shape, provider-neutral: an instance member has
    /// an id; an address member has an address and a port; ports are 1 to
    /// 65535; texts hold no control characters or white space at their
    /// ends. Weights are checked against the driver's
    /// [`Limits`](crate::Limits) by [`check`](crate::check). `field` names
    /// the member in errors (for example `members[2]`).
    pub fn validate(&self, field: &str) -> Result<()> {
        if let Some(port) = self.port {
            validate::port(&format!("{field}.port"), port)?;
        }
        if !self.id.is_empty() {
            validate::plain_text(&format!("{field}.id"), &self.id)?;
        }
        match self.kind {
            MemberKind::Instance => {
                if self.id.is_empty() {
                    return Err(Error::invalid_input(
                        format!("{field}.id"),
                        "an instance member needs an instance id",
                    ));
                }
                if let Some(ip) = &self.ip {
                    validate::plain_text(&format!("{field}.ip"), ip)?;
                }
                Ok(())
            }
            MemberKind::Address => match (&self.ip, self.port) {
                (Some(ip), Some(_)) => {
                    validate::non_empty(&format!("{field}.ip"), ip)?;
                    validate::plain_text(&format!("{field}.ip"), ip)
                }
                (Some(_), None) => Err(Error::invalid_input(
                    format!("{field}.port"),
                    "is required for a member named by address",
                )),
                (None, _) => Err(Error::invalid_input(
                    format!("{field}.ip"),
                    "an address member needs an address and a port",
                )),
            },
        }
    }
}

/// A change to one member: `None` leaves a field as it is.
///
/// ```
/// use lbcloud_core::{MemberCondition, UpdateMember};
///
/// let u = UpdateMember::new().weight(5).condition(MemberCondition::Draining);
/// assert!(!u.is_empty());
/// assert!(UpdateMember::new().is_empty());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UpdateMember {
    /// A new weight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// A new condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<MemberCondition>,
}

impl UpdateMember {
    /// A change that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the new weight.
    pub fn weight(mut self, weight: u32) -> Self {
        self.weight = Some(weight);
        self
    }

    /// Sets the new condition.
    pub fn condition(mut self, condition: MemberCondition) -> Self {
        self.condition = Some(condition);
        self
    }

    /// Whether the change changes nothing.
    pub fn is_empty(&self) -> bool {
        self.weight.is_none() && self.condition.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(r: Result<()>) -> Option<String> {
        r.err().and_then(|e| e.field().map(str::to_owned))
    }

    #[test]
    fn member_rules() {
        assert!(Member::instance("i-1").validate("m").is_ok());
        assert!(Member::instance("i-1").port(8080).validate("m").is_ok());
        assert!(
            Member::address("10.0.0.1", 80)
                .with_id("web1")
                .validate("m")
                .is_ok()
        );
        assert_eq!(
            field_of(Member::default().validate("m")).as_deref(),
            Some("m.id")
        );
        assert_eq!(
            field_of(Member::address("10.0.0.1", 0).validate("m")).as_deref(),
            Some("m.port")
        );
        assert_eq!(
            field_of(Member::address("", 80).validate("m")).as_deref(),
            Some("m.ip")
        );
        assert_eq!(
            field_of(Member::instance(" i-1").validate("m")).as_deref(),
            Some("m.id")
        );
        assert_eq!(
            field_of(Member::address("10.0.0.1\n", 80).validate("m")).as_deref(),
            Some("m.ip")
        );
        let ip_only = Member {
            kind: MemberKind::Address,
            ip: Some("10.0.0.1".into()),
            ..Member::default()
        };
        assert_eq!(field_of(ip_only.validate("m")).as_deref(), Some("m.port"));
    }

    #[test]
    fn an_attached_address_member_stays_an_address_member() {
        let attached = Member::address("10.0.0.1", 80).with_id("srv-1");
        assert!(attached.is_address());
        assert!(!Member::instance("i-1").port(80).is_address());
    }

    #[test]
    fn same_target_compares_ids_then_addresses() {
        assert!(Member::instance("i-1").same_target(&Member::instance("i-1")));
        assert!(!Member::instance("i-2").same_target(&Member::instance("i-1")));
        assert!(!Member::instance("i-1").same_target(&Member::address("10.0.0.1", 80)));
    }
}
