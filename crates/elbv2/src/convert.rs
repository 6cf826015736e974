//! The one place ELBv2 types meet the provider-neutral core types:
//! protocols, algorithms, states, health checks, members and health.

use std::time::Duration;

use lbcloud_core::{
    Algorithm, Error, HealthCheck, HealthState, Member, MemberCondition, MemberHealth, MemberKind,
    Protocol, Result, State,
};

use crate::model::{
    Elbv2Protocol, HealthCheckSettings, LoadBalancerStateCode, LoadBalancerType, Matcher,
    TargetDescription, TargetHealthDescription, TargetHealthState,
};

/// The target group attribute that holds the algorithm.
pub const ALGORITHM_ATTRIBUTE: &str = "load_balancing.algorithm.type";

/// The ELBv2 spelling of a core listener protocol, for a balancer of `lb_type`.
pub(crate) fn protocol_to_wire(p: Protocol) -> Option<Elbv2Protocol> {
    Some(match p {
        Protocol::Http => Elbv2Protocol::Http,
        Protocol::Https => Elbv2Protocol::Https,
        Protocol::Tcp => Elbv2Protocol::Tcp,
        Protocol::Tls | Protocol::Ssl => Elbv2Protocol::Tls,
        Protocol::Udp => Elbv2Protocol::Udp,
        Protocol::TcpUdp => Elbv2Protocol::TcpUdp,
        _ => return None,
    })
}

/// The core protocol of an ELBv2 one, if core has it.
pub(crate) fn protocol_from_wire(p: &Elbv2Protocol) -> Option<Protocol> {
    Some(match p {
        Elbv2Protocol::Http => Protocol::Http,
        Elbv2Protocol::Https => Protocol::Https,
        Elbv2Protocol::Tcp => Protocol::Tcp,
        Elbv2Protocol::Tls => Protocol::Tls,
        Elbv2Protocol::Udp => Protocol::Udp,
        Elbv2Protocol::TcpUdp => Protocol::TcpUdp,
        _ => return None,
    })
}

/// Application for HTTP/HTTPS listeners, network for TCP/TLS/UDP/TCP_UDP;
/// a mix of the two is an error naming the listener.
pub(crate) fn balancer_type(protocols: &[Protocol]) -> Result<LoadBalancerType> {
    let mut kind: Option<LoadBalancerType> = None;
    for (i, p) in protocols.iter().enumerate() {
        let this = match p {
            Protocol::Http | Protocol::Https => LoadBalancerType::Application,
            _ => LoadBalancerType::Network,
        };
        match &kind {
            Some(k) if *k != this => {
                return Err(Error::invalid_input(
                    format!("listeners[{i}].protocol"),
                    "an ELBv2 balancer is an ALB (HTTP, HTTPS) or an NLB (TCP, TLS, UDP, \
                     TCP_UDP): its listeners cannot mix the two",
                ));
            }
            _ => kind = Some(this),
        }
    }
    Ok(kind.unwrap_or(LoadBalancerType::Application))
}

/// The target group protocol for a listener: HTTP or HTTPS behind an ALB,
/// TCP, TLS, UDP or TCP_UDP behind an NLB (a TLS listener sends TCP unless
/// told otherwise).
pub(crate) fn target_protocol(front: Protocol, back: Option<Protocol>) -> Option<Elbv2Protocol> {
    match back {
        Some(b) => protocol_to_wire(b),
        None => match front {
            Protocol::Https => Some(Elbv2Protocol::Http),
            Protocol::Tls | Protocol::Ssl => Some(Elbv2Protocol::Tcp),
            other => protocol_to_wire(other),
        },
    }
}

/// The `load_balancing.algorithm.type` value of an ALB algorithm.
pub(crate) fn algorithm_to_wire(a: Algorithm) -> Option<&'static str> {
    match a {
        Algorithm::RoundRobin => Some("round_robin"),
        Algorithm::LeastOutstandingRequests => Some("least_outstanding_requests"),
        Algorithm::Random => Some("weighted_random"),
        _ => None,
    }
}

/// The algorithm a `load_balancing.algorithm.type` value names.
pub(crate) fn algorithm_from_wire(value: &str) -> Option<Algorithm> {
    match value {
        "round_robin" => Some(Algorithm::RoundRobin),
        "least_outstanding_requests" => Some(Algorithm::LeastOutstandingRequests),
        "weighted_random" => Some(Algorithm::Random),
        _ => None,
    }
}

/// provisioning -> pending, active and active_impaired -> running (both
/// serve traffic), failed -> error.
pub(crate) fn state(code: Option<&LoadBalancerStateCode>) -> State {
    match code {
        Some(LoadBalancerStateCode::Active | LoadBalancerStateCode::ActiveImpaired) => {
            State::Running
        }
        Some(LoadBalancerStateCode::Provisioning) => State::Pending,
        Some(LoadBalancerStateCode::Failed) => State::Error,
        _ => State::Unknown,
    }
}

fn secs(field: &str, d: Duration) -> Result<u32> {
    if d.subsec_nanos() != 0 {
        return Err(Error::invalid_input(field, "must be whole seconds"));
    }
    u32::try_from(d.as_secs()).map_err(|_| Error::invalid_input(field, "is too long"))
}

/// A core health check as target group settings. `None` port probes the
/// traffic port; expected codes go to the matcher (HTTP/HTTPS only).
pub(crate) fn health_to_wire(
    hc: &HealthCheck,
    lb_type: &LoadBalancerType,
) -> Result<HealthCheckSettings> {
    let protocol = match hc.protocol {
        Protocol::Http => Elbv2Protocol::Http,
        Protocol::Https => Elbv2Protocol::Https,
        Protocol::Tcp if *lb_type == LoadBalancerType::Network => Elbv2Protocol::Tcp,
        other => {
            return Err(Error::invalid_input(
                "health_check.protocol",
                format!(
                    "an {} target group checks health by {}, not {other}",
                    lb_type,
                    if *lb_type == LoadBalancerType::Network {
                        "TCP, HTTP or HTTPS"
                    } else {
                        "HTTP or HTTPS"
                    }
                ),
            ));
        }
    };
    let http = matches!(protocol, Elbv2Protocol::Http | Elbv2Protocol::Https);
    if hc.expected_codes.is_some() && !http {
        return Err(Error::invalid_input(
            "health_check.expected_codes",
            "apply to HTTP and HTTPS checks only",
        ));
    }
    Ok(HealthCheckSettings {
        protocol: Some(protocol),
        port: Some(
            hc.port
                .map_or_else(|| "traffic-port".to_owned(), |p| p.to_string()),
        ),
        enabled: Some(true),
        path: if http {
            Some(hc.effective_path().to_owned())
        } else {
            None
        },
        interval_seconds: Some(secs("health_check.interval", hc.interval)?),
        timeout_seconds: Some(secs("health_check.timeout", hc.timeout)?),
        healthy_threshold: Some(hc.healthy_threshold),
        unhealthy_threshold: Some(hc.unhealthy_threshold),
        matcher: hc.expected_codes.as_ref().map(|c| Matcher {
            http_code: Some(c.clone()),
            grpc_code: None,
        }),
    })
}

/// A target group's health check as a core one; `None` when checks are
/// off or the protocol has no core name.
pub(crate) fn health_from_wire(s: &HealthCheckSettings) -> Option<HealthCheck> {
    if s.enabled == Some(false) {
        return None;
    }
    let protocol = match s.protocol.as_ref()? {
        Elbv2Protocol::Http => Protocol::Http,
        Elbv2Protocol::Https => Protocol::Https,
        Elbv2Protocol::Tcp => Protocol::Tcp,
        _ => return None,
    };
    let port = s.port.as_deref().and_then(|p| p.parse::<u16>().ok());
    let mut hc = HealthCheck::with_protocol(protocol, port);
    if matches!(protocol, Protocol::Http | Protocol::Https) {
        hc.path = s.path.clone();
    }
    if let Some(i) = s.interval_seconds {
        hc.interval = Duration::from_secs(u64::from(i));
    }
    if let Some(t) = s.timeout_seconds {
        hc.timeout = Duration::from_secs(u64::from(t));
    }
    if let Some(n) = s.healthy_threshold {
        hc.healthy_threshold = n;
    }
    if let Some(n) = s.unhealthy_threshold {
        hc.unhealthy_threshold = n;
    }
    hc.expected_codes = s.matcher.as_ref().and_then(|m| m.http_code.clone());
    Some(hc)
}

/// The id of an address member: `ip:port`.
pub(crate) fn address_id(ip: &str, port: Option<u16>) -> String {
    match port {
        Some(p) => format!("{ip}:{p}"),
        None => ip.to_owned(),
    }
}

/// A checked core member as a target.
pub(crate) fn target_of(m: &Member) -> TargetDescription {
    match m.kind {
        MemberKind::Address => TargetDescription {
            id: m.ip.clone().unwrap_or_default(),
            port: m.port,
            ..TargetDescription::default()
        },
        _ => TargetDescription {
            id: m.id.clone(),
            port: m.port,
            ..TargetDescription::default()
        },
    }
}

/// Whether a target id is an IP address rather than an instance id.
pub(crate) fn is_ip(id: &str) -> bool {
    id.parse::<std::net::IpAddr>().is_ok()
}

/// A target (with its health) as a core member. An instance target on
/// its group's port (`group_port`) has no port of its own.
pub(crate) fn member_of(t: &TargetHealthDescription, group_port: Option<u16>) -> Member {
    let target = &t.target;
    let mut m = if is_ip(&target.id) {
        let mut m = Member::address(target.id.clone(), target.port.unwrap_or_default());
        m.port = target.port;
        m.id = address_id(&target.id, target.port);
        m
    } else {
        let mut m = Member::instance(target.id.clone());
        m.port = target.port.filter(|p| Some(*p) != group_port);
        m
    };
    if let Some(h) = &t.health
        && matches!(
            h.state,
            TargetHealthState::Draining | TargetHealthState::UnhealthyDraining
        )
    {
        m.condition = MemberCondition::Draining;
    }
    m
}

/// A target's health as a core member health: healthy -> in service,
/// initial -> initial, unhealthy and unused -> out of service, draining and
/// unhealthy.draining -> draining, unavailable (checks off) -> unknown;
/// the reason code, description and AWS's word for the state are kept.
pub(crate) fn health_of(t: &TargetHealthDescription, group_port: Option<u16>) -> MemberHealth {
    let id = member_of(t, group_port).id;
    let Some(h) = &t.health else {
        return MemberHealth::new(id, HealthState::Unknown);
    };
    let state = match h.state {
        TargetHealthState::Healthy => HealthState::InService,
        TargetHealthState::Initial => HealthState::Initial,
        TargetHealthState::Unhealthy | TargetHealthState::Unused => HealthState::OutOfService,
        TargetHealthState::Draining | TargetHealthState::UnhealthyDraining => HealthState::Draining,
        _ => HealthState::Unknown,
    };
    let mut out = MemberHealth::new(id, state);
    out.reason_code = h.reason.as_ref().map(|r| r.as_str().to_owned());
    out.description = h.description.clone();
    out.provider_state = Some(h.state.as_str().to_owned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{TargetHealth, TargetHealthReason};

    #[test]
    fn all_seven_states_map_onto_member_health() {
        let want = [
            (TargetHealthState::Initial, HealthState::Initial),
            (TargetHealthState::Healthy, HealthState::InService),
            (TargetHealthState::Unhealthy, HealthState::OutOfService),
            (TargetHealthState::UnhealthyDraining, HealthState::Draining),
            (TargetHealthState::Unused, HealthState::OutOfService),
            (TargetHealthState::Draining, HealthState::Draining),
            (TargetHealthState::Unavailable, HealthState::Unknown),
        ];
        assert_eq!(want.len(), TargetHealthState::ALL.len());
        for (wire, core) in want {
            let t = TargetHealthDescription {
                target: TargetDescription::with_port("10.0.0.5", 8080),
                health: Some(TargetHealth {
                    state: wire.clone(),
                    reason: Some(TargetHealthReason::FailedHealthChecks),
                    description: Some("d".into()),
                }),
                ..TargetHealthDescription::default()
            };
            let h = health_of(&t, Some(8080));
            assert_eq!(h.state, core, "{wire}");
            assert_eq!(h.member_id, "10.0.0.5:8080");
            assert_eq!(h.provider_state.as_deref(), Some(wire.as_str()));
            assert_eq!(h.reason_code.as_deref(), Some("Target.FailedHealthChecks"));
        }
    }

    #[test]
    fn listener_protocols_choose_the_balancer_type() {
        use Protocol::*;
        assert_eq!(
            balancer_type(&[Http, Https]).unwrap(),
            LoadBalancerType::Application
        );
        assert_eq!(
            balancer_type(&[Tcp, Udp, Tls, TcpUdp]).unwrap(),
            LoadBalancerType::Network
        );
        let err = balancer_type(&[Http, Tcp]).unwrap_err();
        assert_eq!(err.field(), Some("listeners[1].protocol"));
    }

    #[test]
    fn health_checks_round_trip() {
        let hc = HealthCheck::http(Some(8080), "/health")
            .interval(Duration::from_secs(10))
            .timeout(Duration::from_secs(5))
            .healthy_threshold(3)
            .unhealthy_threshold(2)
            .expected_codes("200-299");
        let wire = health_to_wire(&hc, &LoadBalancerType::Application).unwrap();
        assert_eq!(wire.port.as_deref(), Some("8080"));
        assert_eq!(health_from_wire(&wire), Some(hc));
        let tcp = HealthCheck::tcp(None);
        assert!(health_to_wire(&tcp, &LoadBalancerType::Application).is_err());
        let wire = health_to_wire(&tcp, &LoadBalancerType::Network).unwrap();
        assert_eq!(wire.port.as_deref(), Some("traffic-port"));
        assert_eq!(health_from_wire(&wire).unwrap().port, None);
    }
}
