//! Balancer members: backends identified by an instance id or an address.

use serde::{Deserialize, Serialize};

use crate::{Error, Extra, Result, validate};

/// The highest member weight accepted (HAProxy's limit, the widest in use).
pub const MAX_WEIGHT: u32 = 256;

/// A backend behind a balancer.
///
/// A member is named either by a compute instance id (`Member::instance`,
/// ELB's only kind) or by an address and port (`Member::address`). For an
/// address member the driver assigns `id` when it is attached; before that
/// `id` is empty.
///
/// ```
/// use lbcloud_core::Member;
///
/// let by_id = Member::instance("i-0123456789abcdef0");
/// assert_eq!(by_id.id, "i-0123456789abcdef0");
///
/// let by_addr = Member::address("10.0.0.5", 8080).weight(3);
/// assert!(by_addr.id.is_empty());
/// by_addr.validate("members[0]").unwrap();
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The member's id: the instance id, or the driver-assigned id of an
    /// address member (empty until attached).
    #[serde(default)]
    pub id: String,
    /// The member's address, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The member's port, when the provider tracks one per member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// The member's relative weight, for weighted algorithms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// What the provider returns beyond the common fields.
    #[serde(default, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

impl Member {
    /// A member named by its compute instance id.
    pub fn instance(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    /// A member named by address and port; the driver assigns the id.
    pub fn address(ip: impl Into<String>, port: u16) -> Self {
        Self {
            ip: Some(ip.into()),
            port: Some(port),
            ..Self::default()
        }
    }

    /// Sets the weight.
    pub fn weight(mut self, weight: u32) -> Self {
        self.weight = Some(weight);
        self
    }

    /// Whether this member is named by address rather than by instance id.
    pub fn is_address(&self) -> bool {
        self.id.is_empty()
    }

    /// Checks the member: an id, or an address with a port; a valid port and
    /// weight. `field` names the member in errors (for example `members[2]`).
    pub fn validate(&self, field: &str) -> Result<()> {
        if let Some(port) = self.port {
            validate::port(&format!("{field}.port"), port)?;
        }
        if let Some(weight) = self.weight {
            validate::range(&format!("{field}.weight"), weight, 0, MAX_WEIGHT)?;
        }
        if !self.id.is_empty() {
            if self.id.trim() != self.id || self.id.chars().any(char::is_control) {
                return Err(Error::invalid_input(
                    format!("{field}.id"),
                    "must not hold white space at its ends or control characters",
                ));
            }
            return Ok(());
        }
        match (&self.ip, self.port) {
            (Some(ip), Some(_)) => validate::non_empty(&format!("{field}.ip"), ip),
            (Some(_), None) => Err(Error::invalid_input(
                format!("{field}.port"),
                "is required for a member named by address",
            )),
            (None, _) => Err(Error::invalid_input(
                format!("{field}.id"),
                "a member needs an instance id or an address with a port",
            )),
        }
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
            field_of(Member::address("10.0.0.1", 80).weight(257).validate("m")).as_deref(),
            Some("m.weight")
        );
        let ip_only = Member {
            ip: Some("10.0.0.1".into()),
            ..Member::default()
        };
        assert_eq!(field_of(ip_only.validate("m")).as_deref(), Some("m.port"));
    }
}
