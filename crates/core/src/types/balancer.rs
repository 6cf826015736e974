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
/// ```
/// use lbcloud_core::{Balancer, Listener, Protocol, State};
///
/// let b = Balancer {
///     id: "web".into(),
///     name: "web".into(),
///     state: State::Running,
///     port: Some(80),
///     protocol: Some(Protocol::Http),
///     listeners: vec![Listener::new(80, Protocol::Http, 8080)],
///     ..Balancer::default()
/// };
/// assert_eq!(b.listener(80).map(|l| l.instance_port), Some(8080));
/// ```
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
    /// The listener on balancer port `port`, if any.
    pub fn listener(&self, port: u16) -> Option<&Listener> {
        self.listeners.iter().find(|l| l.port == port)
    }
}
