//! The small enums of the data model, with stable lowercase names.
//!
//! Every enum here displays through strum and parses (case-insensitively,
//! with a few aliases) into lbcloud's own [`Error`]: `InvalidInput` naming
//! the field and listing the names it takes,
//! and serializes with the same names, so a value read from a CLI argument,
//! a JSON file or a provider answer round-trips.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

use strum::{Display, EnumIter, IntoEnumIterator, IntoStaticStr};

use crate::{Error, Result};

/// Implements `FromStr` for an enum from its `Display` names (any case),
/// plus aliases, failing with `InvalidInput` on `$field`.
macro_rules! parse_by_name {
    ($ty:ty, $field:literal $(, $alias:literal => $variant:expr)* $(,)?) => {
        impl FromStr for $ty {
            type Err = Error;

            fn from_str(s: &str) -> Result<Self> {
                let text = s.trim();
                $(
                    if text.eq_ignore_ascii_case($alias) {
                        return Ok($variant);
                    }
                )*
                <$ty>::iter()
                    .find(|v| v.to_string().eq_ignore_ascii_case(text))
                    .ok_or_else(|| {
                        let names: Vec<String> = <$ty>::iter().map(|v| v.to_string()).collect();
                        Error::invalid_input(
                            $field,
                            format!("must be one of {}, got {s:?}", names.join(", ")),
                        )
                    })
            }
        }
    };
}

/// How a balancer spreads requests over its members.
///
/// The first seven are libcloud's; the rest are what real providers add.
///
/// ```
/// use lbcloud_core::Algorithm;
///
/// assert_eq!(Algorithm::RoundRobin.to_string(), "round_robin");
/// assert_eq!("LEAST_CONNECTIONS".parse::<Algorithm>().unwrap(), Algorithm::LeastConnections);
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Display,
    EnumIter,
    IntoStaticStr,
    Serialize,
    Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Algorithm {
    /// Pick a member at random.
    Random,
    /// Take members in turn.
    RoundRobin,
    /// Pick the member with the fewest open connections.
    LeastConnections,
    /// Round robin, in proportion to member weights.
    WeightedRoundRobin,
    /// Least connections, in proportion to member weights.
    WeightedLeastConnections,
    /// Pick the member that answered fastest lately.
    ShortestResponse,
    /// Keep a client on one member by its address.
    PersistentIp,
    /// Pick the member with the fewest requests in flight (ALB).
    LeastOutstandingRequests,
    /// Hash the connection's flow (addresses, ports, protocol) to a member (NLB, classic ELB TCP).
    FlowHash,
    /// Fill the first member (in id order) up to its connection limit, then
    /// the next (HAProxy `first`), so idle members can be switched off.
    First,
}

/// The protocol of a listener or a health check.
///
/// ```
/// use lbcloud_core::Protocol;
///
/// assert_eq!("HTTPS".parse::<Protocol>().unwrap(), Protocol::Https);
/// assert_eq!(Protocol::Tcp.to_string(), "tcp");
/// assert!(Protocol::Https.is_secure());
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Display,
    EnumIter,
    IntoStaticStr,
    Serialize,
    Deserialize,
)]
#[strum(serialize_all = "lowercase")]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Protocol {
    /// Plain TCP, layer 4.
    Tcp,
    /// TCP wrapped in TLS, terminated at the balancer.
    Ssl,
    /// HTTP, layer 7.
    Http,
    /// HTTP over TLS, terminated at the balancer.
    Https,
    /// UDP, layer 4.
    Udp,
    /// TCP and UDP on the same port.
    #[strum(serialize = "tcp_udp")]
    #[serde(rename = "tcp_udp")]
    TcpUdp,
    /// TLS, layer 4 (NLB's name for SSL).
    Tls,
}

impl Protocol {
    /// Whether the protocol terminates TLS at the balancer (and so needs a certificate).
    pub fn is_secure(self) -> bool {
        matches!(self, Self::Ssl | Self::Https | Self::Tls)
    }

    /// Whether the protocol works at layer 7 (HTTP semantics).
    pub fn is_http(self) -> bool {
        matches!(self, Self::Http | Self::Https)
    }
}

/// The life-cycle state of a balancer.
///
/// ```
/// use lbcloud_core::State;
///
/// assert_eq!(State::Running.to_string(), "running");
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Display,
    EnumIter,
    IntoStaticStr,
    Serialize,
    Deserialize,
)]
#[strum(serialize_all = "lowercase")]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum State {
    /// Serving traffic.
    Running,
    /// Being created or changed.
    Pending,
    /// The provider did not say.
    #[default]
    Unknown,
    /// Failed.
    Error,
    /// Destroyed.
    Deleted,
}

/// A member's health as the balancer's checks see it.
///
/// This is what the provider observes; [`MemberCondition`] is what the
/// operator set. A provider's own, finer word (ELBv2's `unhealthy.draining`,
/// HAProxy's `NOLB`) is kept in
/// [`MemberHealth::provider_state`](crate::MemberHealth::provider_state).
///
/// ```
/// use lbcloud_core::HealthState;
///
/// assert_eq!("InService".parse::<HealthState>().unwrap(), HealthState::InService);
/// assert_eq!(HealthState::OutOfService.to_string(), "out_of_service");
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Display,
    EnumIter,
    IntoStaticStr,
    Serialize,
    Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum HealthState {
    /// Passing health checks and receiving traffic.
    InService,
    /// Failing health checks, or taken out; not receiving traffic.
    OutOfService,
    /// Not yet checked enough times to tell (ELBv2 `initial`).
    Initial,
    /// Finishing its open connections before removal.
    Draining,
    /// The provider could not tell.
    #[default]
    Unknown,
}

/// The administrative condition of a member: what the operator set
/// (libcloud's `MemberCondition`), as the provider reports it back.
///
/// ```
/// use lbcloud_core::MemberCondition;
///
/// assert_eq!("draining".parse::<MemberCondition>().unwrap(), MemberCondition::Draining);
/// assert_eq!(MemberCondition::default(), MemberCondition::Enabled);
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Display,
    EnumIter,
    IntoStaticStr,
    Serialize,
    Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MemberCondition {
    /// Takes new traffic (HAProxy `ready`).
    #[default]
    Enabled,
    /// Takes no traffic at all (HAProxy `maint`).
    Disabled,
    /// Takes no new connections, finishes open ones (HAProxy `drain`).
    Draining,
}

/// How a member is named: by a compute instance, or by an address.
///
/// ```
/// use lbcloud_core::MemberKind;
///
/// assert_eq!(MemberKind::Instance.to_string(), "instance");
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Display,
    EnumIter,
    IntoStaticStr,
    Serialize,
    Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MemberKind {
    /// A compute instance (an EC2 instance id), optionally with a port.
    #[default]
    Instance,
    /// An address and a port, optionally with a name the driver or caller gives.
    Address,
}

/// Whether a balancer faces the internet or only its private network.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Display,
    EnumIter,
    IntoStaticStr,
    Serialize,
    Deserialize,
)]
#[strum(serialize_all = "kebab-case")]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Scheme {
    /// Reachable from the internet (a public DNS name).
    #[default]
    InternetFacing,
    /// Reachable only inside its network.
    Internal,
}

parse_by_name!(Algorithm, "algorithm");
parse_by_name!(Protocol, "protocol", "tcp-udp" => Protocol::TcpUdp);
parse_by_name!(State, "state");
parse_by_name!(
    HealthState,
    "health_state",
    "inservice" => HealthState::InService,
    "outofservice" => HealthState::OutOfService,
);
parse_by_name!(MemberCondition, "condition");
parse_by_name!(MemberKind, "kind");
parse_by_name!(Scheme, "scheme");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips_through_display_fromstr_and_serde() {
        for a in Algorithm::iter() {
            assert_eq!(a.to_string().parse::<Algorithm>().ok(), Some(a));
            let json = serde_json::to_string(&a).unwrap_or_default();
            assert_eq!(json, format!("\"{a}\""));
        }
        for p in Protocol::iter() {
            assert_eq!(p.to_string().parse::<Protocol>().ok(), Some(p));
            let json = serde_json::to_string(&p).unwrap_or_default();
            assert_eq!(json, format!("\"{p}\""));
        }
        for s in State::iter() {
            assert_eq!(s.to_string().parse::<State>().ok(), Some(s));
        }
        for c in HealthState::iter() {
            assert_eq!(c.to_string().parse::<HealthState>().ok(), Some(c));
            let json = serde_json::to_string(&c).unwrap_or_default();
            assert_eq!(json, format!("\"{c}\""));
        }
        for c in MemberCondition::iter() {
            assert_eq!(c.to_string().parse::<MemberCondition>().ok(), Some(c));
            let json = serde_json::to_string(&c).unwrap_or_default();
            assert_eq!(json, format!("\"{c}\""));
        }
        for k in MemberKind::iter() {
            assert_eq!(k.to_string().parse::<MemberKind>().ok(), Some(k));
        }
        for s in Scheme::iter() {
            assert_eq!(s.to_string().parse::<Scheme>().ok(), Some(s));
        }
    }

    #[test]
    fn spellings_parse() {
        assert_eq!(
            "OutOfService".parse::<HealthState>().ok(),
            Some(HealthState::OutOfService)
        );
        let err = "carrier-pigeon".parse::<Protocol>().unwrap_err();
        assert_eq!(err.field(), Some("protocol"));
        assert!(err.to_string().contains("tcp, ssl, http"), "{err}");
        assert_eq!("TCP_UDP".parse::<Protocol>().ok(), Some(Protocol::TcpUdp));
    }
}
