//! The API's enumerations, each with the exact wire spelling and an
//! `Other` variant that keeps a value this version does not know, so a new
//! value from AWS is carried through instead of failing the whole answer.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Defines a wire enumeration: variants with their API spelling, `as_str`,
/// `Display`, an infallible `FromStr` (unknown text becomes `Other`) and
/// serde as the wire string.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of lbcloud does not know, as sent.
            Other(String),
        }

        impl $name {
            /// Every known value, in the API's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The API's spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(s) => s,
                }
            }

            /// Whether this is one of the values the API documents.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(match s {
                    $( $wire => $name::$variant, )+
                    other => $name::Other(other.to_owned()),
                })
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s.parse() {
                    Ok(v) => v,
                    Err(never) => match never {},
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok($name::from(s.as_str()))
            }
        }
    };
}

wire_enum! {
    /// A listener or target group protocol.
    ///
    /// ```
    /// use lbcloud_elbv2::model::Elbv2Protocol;
    ///
    /// assert_eq!(Elbv2Protocol::TcpUdp.as_str(), "TCP_UDP");
    /// assert_eq!(Elbv2Protocol::from("HTTPS"), Elbv2Protocol::Https);
    /// assert!(!Elbv2Protocol::from("SCTP").is_known());
    /// ```
    Elbv2Protocol {
        /// HTTP (Application Load Balancers).
        Http = "HTTP",
        /// HTTPS (Application Load Balancers).
        Https = "HTTPS",
        /// TCP (Network Load Balancers).
        Tcp = "TCP",
        /// TLS (Network Load Balancers).
        Tls = "TLS",
        /// UDP (Network Load Balancers).
        Udp = "UDP",
        /// TCP and UDP on one port (Network Load Balancers).
        TcpUdp = "TCP_UDP",
        /// GENEVE (Gateway Load Balancers).
        Geneve = "GENEVE",
        /// QUIC (Network Load Balancers).
        Quic = "QUIC",
        /// TCP and QUIC on one port (Network Load Balancers).
        TcpQuic = "TCP_QUIC",
    }
}

impl Elbv2Protocol {
    /// Whether an Application Load Balancer listener may use it.
    pub fn is_application(&self) -> bool {
        matches!(self, Self::Http | Self::Https)
    }

    /// Whether a Network Load Balancer listener may use it.
    pub fn is_network(&self) -> bool {
        matches!(
            self,
            Self::Tcp | Self::Tls | Self::Udp | Self::TcpUdp | Self::Quic | Self::TcpQuic
        )
    }
}

wire_enum! {
    /// The kind of load balancer.
    LoadBalancerType {
        /// An Application Load Balancer (HTTP/HTTPS).
        Application = "application",
        /// A Network Load Balancer (TCP/TLS/UDP).
        Network = "network",
        /// A Gateway Load Balancer (GENEVE).
        Gateway = "gateway",
    }
}

wire_enum! {
    /// Whether a load balancer faces the internet.
    Scheme {
        /// Reachable from the internet.
        InternetFacing = "internet-facing",
        /// Reachable only inside the VPC.
        Internal = "internal",
    }
}

wire_enum! {
    /// The addresses a load balancer's subnets use.
    IpAddressType {
        /// IPv4 only.
        Ipv4 = "ipv4",
        /// IPv4 and IPv6.
        Dualstack = "dualstack",
        /// IPv6 and private IPv4 only.
        DualstackWithoutPublicIpv4 = "dualstack-without-public-ipv4",
    }
}

wire_enum! {
    /// The addresses a target group's IP targets use.
    TargetGroupIpAddressType {
        /// IPv4 targets.
        Ipv4 = "ipv4",
        /// IPv6 targets.
        Ipv6 = "ipv6",
    }
}

wire_enum! {
    /// A load balancer's provisioning state.
    LoadBalancerStateCode {
        /// Serving traffic.
        Active = "active",
        /// Being set up.
        Provisioning = "provisioning",
        /// Serving traffic, but not fully scaled.
        ActiveImpaired = "active_impaired",
        /// Could not be set up.
        Failed = "failed",
    }
}

wire_enum! {
    /// What a target group's targets are.
    TargetType {
        /// EC2 instances by id.
        Instance = "instance",
        /// IP addresses.
        Ip = "ip",
        /// One Lambda function.
        Lambda = "lambda",
        /// An Application Load Balancer (behind a Network Load Balancer).
        Alb = "alb",
    }
}

wire_enum! {
    /// The seven health states of a target.
    ///
    /// ```
    /// use lbcloud_elbv2::model::TargetHealthState;
    ///
    /// assert_eq!(TargetHealthState::ALL.len(), 7);
    /// assert_eq!(TargetHealthState::from("unhealthy.draining"), TargetHealthState::UnhealthyDraining);
    /// ```
    TargetHealthState {
        /// Registering, or running its first health checks.
        Initial = "initial",
        /// Passing health checks.
        Healthy = "healthy",
        /// Failing health checks.
        Unhealthy = "unhealthy",
        /// Failing health checks and being deregistered.
        UnhealthyDraining = "unhealthy.draining",
        /// Not used: not registered, its zone is not enabled, or its target
        /// group serves no listener.
        Unused = "unused",
        /// Being deregistered; finishing its connections.
        Draining = "draining",
        /// Health checks are disabled.
        Unavailable = "unavailable",
    }
}

wire_enum! {
    /// Why a target is in its health state.
    TargetHealthReason {
        /// The target is being registered.
        RegistrationInProgress = "Elb.RegistrationInProgress",
        /// The first health checks are running.
        InitialHealthChecking = "Elb.InitialHealthChecking",
        /// The health check answered an unexpected HTTP code.
        ResponseCodeMismatch = "Target.ResponseCodeMismatch",
        /// The health check timed out.
        Timeout = "Target.Timeout",
        /// The target failed its health checks (connection closed, ...).
        FailedHealthChecks = "Target.FailedHealthChecks",
        /// The target is not registered.
        NotRegistered = "Target.NotRegistered",
        /// The target group serves no load balancer, or the target's zone
        /// is not enabled.
        NotInUse = "Target.NotInUse",
        /// The target is being deregistered.
        DeregistrationInProgress = "Target.DeregistrationInProgress",
        /// The target is stopped or terminated.
        InvalidState = "Target.InvalidState",
        /// The target's IP address is in use by the load balancer.
        IpUnusable = "Target.IpUnusable",
        /// Health checks are disabled.
        HealthCheckDisabled = "Target.HealthCheckDisabled",
        /// The load balancer failed internally.
        InternalError = "Elb.InternalError",
    }
}

wire_enum! {
    /// The type of a listener or rule action.
    ActionType {
        /// Forward to one or more target groups.
        Forward = "forward",
        /// Authenticate users through an OpenID Connect provider.
        AuthenticateOidc = "authenticate-oidc",
        /// Authenticate users through Amazon Cognito.
        AuthenticateCognito = "authenticate-cognito",
        /// Redirect to another URL.
        Redirect = "redirect",
        /// Answer with a fixed response.
        FixedResponse = "fixed-response",
        /// Validate a JSON web token.
        JwtValidation = "jwt-validation",
    }
}

wire_enum! {
    /// The HTTP status of a redirect.
    RedirectStatusCode {
        /// Moved permanently.
        Http301 = "HTTP_301",
        /// Found (temporary).
        Http302 = "HTTP_302",
    }
}

wire_enum! {
    /// A trust store's state.
    TrustStoreStatus {
        /// Ready to use.
        Active = "ACTIVE",
        /// Being created.
        Creating = "CREATING",
    }
}

wire_enum! {
    /// The kind of a trust store revocation list.
    RevocationType {
        /// A certificate revocation list.
        Crl = "CRL",
    }
}

wire_enum! {
    /// The state of a capacity reservation in one zone.
    CapacityReservationStateCode {
        /// The reserved capacity is in place.
        Provisioned = "provisioned",
        /// The reservation is being applied.
        Pending = "pending",
        /// Capacity is moving between zones.
        Rebalancing = "rebalancing",
        /// The reservation could not be applied.
        Failed = "failed",
    }
}

wire_enum! {
    /// The result of anomaly detection on a target.
    AnomalyResult {
        /// The target looks anomalous.
        Anomalous = "anomalous",
        /// The target looks normal.
        Normal = "normal",
    }
}
