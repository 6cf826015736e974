//! The balancer as every driver reports it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::{Algorithm, Extra, HealthCheck, Listener, Protocol, State};

/// A load balancer, as a driver reports it. Plain data: it holds no driver
/// handle, so it can be stored, compared and sent anywhere.
///
/// `port` and `protocol` are those of the first listener (libcloud's single
/// port); `listeners` holds them all. `ip` is the address clients use: an IP,
/// or a DNS name where the provider gives one (ELB). `algorithm` and `tags`
/// are filled where the provider reports them. `extra` keeps everything else
/// the provider returned, so nothing parsed is dropped.
///
/// Build one with [`Balancer::new`] and the `with_*` setters (a driver may
/// also assign the pub fields of the value it built):
///
/// ```
/// use lbcloud_core::{Balancer, Listener, Protocol, State};
///
/// let b = Balancer::new("web", "web")
///     .with_state(State::Running)
///     .with_listeners([Listener::new(80, Protocol::Http, 8080)]);
/// assert_eq!((b.port, b.protocol), (Some(80), Some(Protocol::Http)));
/// assert_eq!(b.listener(80).map(|l| l.instance_port), Some(8080));
/// ```
///
/// The type is `#[non_exhaustive]`, like the other plain data types
/// ([`Member`](crate::Member), [`Listener`], [`HealthCheck`],
/// [`MemberHealth`](crate::MemberHealth), [`CreateBalancer`](crate::CreateBalancer),
/// [`UpdateBalancer`](crate::UpdateBalancer), [`UpdateMember`](crate::UpdateMember)):
/// a later field is not a breaking change, so code outside this crate
/// cannot build one with a struct literal (nor match one without `..`):
///
/// ```compile_fail,E0639
/// use lbcloud_core::Balancer;
///
/// let b = Balancer {
///     id: "web".into(),
///     name: "web".into(),
///     ..Balancer::default()
/// };
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Balancer {
    /// The provider's id for the balancer (ELB: its name).
    pub id: String,
    /// The balancer's name.
    pub name: String,
    /// Its life-cycle state.
    pub state: State,
    /// The address clients connect to: an IP or a DNS name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The first listener's port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// The first listener's protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// Every listener.
    #[serde(default)]
    pub listeners: Vec<Listener>,
    /// The health check, where one is configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    /// How requests are spread over members, where the provider says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<Algorithm>,
    /// Availability zones the balancer serves.
    #[serde(default)]
    pub zones: Vec<String>,
    /// The balancer's tags, where the provider reports them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// When the balancer was created, where the provider says.
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<OffsetDateTime>,
    /// What the provider returns beyond the common fields.
    #[serde(default, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

impl Balancer {
    /// A balancer with the provider's `id` and its `name`, state
    /// [`State::Unknown`] and nothing else set yet.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            ..Self::default()
        }
    }

    /// Sets the life-cycle state.
    pub fn with_state(mut self, state: State) -> Self {
        self.state = state;
        self
    }

    /// Sets the address clients connect to (an IP or a DNS name).
    pub fn with_ip(mut self, ip: impl Into<String>) -> Self {
        self.ip = Some(ip.into());
        self
    }

    /// Sets the listeners, and `port` and `protocol` to the first one's
    /// (both `None` without listeners).
    pub fn with_listeners(mut self, listeners: impl IntoIterator<Item = Listener>) -> Self {
        self.listeners = listeners.into_iter().collect();
        let first = self.listeners.first();
        self.port = first.map(|l| l.port);
        self.protocol = first.map(|l| l.protocol);
        self
    }

    /// Sets the health check.
    pub fn with_health_check(mut self, health_check: HealthCheck) -> Self {
        self.health_check = Some(health_check);
        self
    }

    /// Sets the algorithm.
    pub fn with_algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = Some(algorithm);
        self
    }

    /// Sets the availability zones.
    pub fn with_zones<S: Into<String>>(mut self, zones: impl IntoIterator<Item = S>) -> Self {
        self.zones = zones.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the tags.
    pub fn with_tags<K: Into<String>, V: Into<String>>(
        mut self,
        tags: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.tags = tags
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self
    }

    /// Sets what the provider returned beyond the common fields.
    pub fn with_extra(mut self, extra: Extra) -> Self {
        self.extra = extra;
        self
    }

    /// The listener on balancer port `port`, if any.
    pub fn listener(&self, port: u16) -> Option<&Listener> {
        self.listeners.iter().find(|l| l.port == port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_listeners_sets_port_and_protocol_from_the_first() {
        let b = Balancer::new("lb-1", "web").with_listeners([
            Listener::new(443, Protocol::Tcp, 8443),
            Listener::new(80, Protocol::Http, 8080),
        ]);
        assert_eq!((b.port, b.protocol), (Some(443), Some(Protocol::Tcp)));
        assert_eq!(b.listeners.len(), 2);
        assert_eq!(b.state, State::Unknown);
        let none = b.with_listeners([]);
        assert_eq!((none.port, none.protocol), (None, None));
        assert!(none.listeners.is_empty());
    }

    #[test]
    fn setters_fill_their_fields() {
        let b = Balancer::new("lb-1", "web")
            .with_state(State::Running)
            .with_ip("web.example.com")
            .with_health_check(HealthCheck::tcp(Some(22)))
            .with_algorithm(Algorithm::LeastConnections)
            .with_zones(["a", "b"])
            .with_tags([("env", "prod")]);
        assert_eq!((b.id.as_str(), b.name.as_str()), ("lb-1", "web"));
        assert_eq!(b.state, State::Running);
        assert_eq!(b.ip.as_deref(), Some("web.example.com"));
        assert_eq!(b.health_check, Some(HealthCheck::tcp(Some(22))));
        assert_eq!(b.algorithm, Some(Algorithm::LeastConnections));
        assert_eq!(b.zones, ["a", "b"]);
        assert_eq!(b.tags.get("env").map(String::as_str), Some("prod"));
    }
}
