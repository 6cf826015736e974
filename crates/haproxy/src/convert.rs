//! Between lbcloud's core types and the owned-config model: pure
//! functions, each validating what it takes so nothing unsafe reaches the
//! file or the CLI.

use std::net::IpAddr;
use std::time::Duration;

use lbcloud_core::{
    Algorithm, Balancer, Error, HealthCheck, HealthState, Listener, Member, MemberCondition,
    MemberHealth, Protocol, Result, State,
};

use crate::cli::StatRow;
use crate::config::{
    AdminState, Balance, BalancerConfig, Bind, Check, CheckKind, MAX_WEIGHT, Mode, Server,
};
use crate::validate;

/// The algorithms the driver offers, all dynamic so servers can be added
/// at run time.
pub(crate) const ALGORITHMS: [Algorithm; 7] = [
    Algorithm::RoundRobin,
    Algorithm::WeightedRoundRobin,
    Algorithm::LeastConnections,
    Algorithm::WeightedLeastConnections,
    Algorithm::Random,
    Algorithm::PersistentIp,
    Algorithm::First,
];

/// The listener protocols: HTTP and TCP, and each with TLS termination.
pub(crate) const PROTOCOLS: [Protocol; 4] = [
    Protocol::Http,
    Protocol::Https,
    Protocol::Tcp,
    Protocol::Ssl,
];

pub(crate) fn balance_of(algorithm: Option<Algorithm>) -> Result<Balance> {
    Ok(match algorithm.unwrap_or(Algorithm::RoundRobin) {
        Algorithm::RoundRobin => Balance::RoundRobin,
        Algorithm::WeightedRoundRobin => Balance::WeightedRoundRobin,
        Algorithm::LeastConnections => Balance::LeastConn,
        Algorithm::WeightedLeastConnections => Balance::WeightedLeastConn,
        Algorithm::Random => Balance::Random,
        Algorithm::PersistentIp => Balance::Source,
        Algorithm::First => Balance::First,
        other => {
            return Err(Error::invalid_input(
                "algorithm",
                format!("{other} is not offered by haproxy"),
            ));
        }
    })
}

pub(crate) fn algorithm_of(balance: Balance) -> Option<Algorithm> {
    match balance {
        Balance::RoundRobin => Some(Algorithm::RoundRobin),
        Balance::WeightedRoundRobin => Some(Algorithm::WeightedRoundRobin),
        Balance::LeastConn => Some(Algorithm::LeastConnections),
        Balance::WeightedLeastConn => Some(Algorithm::WeightedLeastConnections),
        Balance::Random => Some(Algorithm::Random),
        Balance::Source => Some(Algorithm::PersistentIp),
        Balance::First => Some(Algorithm::First),
    }
}

fn mode_of(protocol: Protocol) -> Mode {
    if protocol.is_http() {
        Mode::Http
    } else {
        Mode::Tcp
    }
}

/// The frontend's mode and binds for `listeners` on `addr`. HAProxy's proxy
/// is either HTTP or TCP, so every listener must share the first one's layer.
pub(crate) fn binds_of(addr: IpAddr, listeners: &[Listener]) -> Result<(Mode, Vec<Bind>)> {
    let first = listeners
        .first()
        .ok_or_else(|| Error::invalid_input("listeners", "at least one listener is required"))?;
    let mode = mode_of(first.protocol);
    let mut binds = Vec::with_capacity(listeners.len());
    for (i, l) in listeners.iter().enumerate() {
        let field = format!("listeners[{i}]");
        if mode_of(l.protocol) != mode {
            return Err(Error::invalid_input(
                format!("{field}.protocol"),
                format!(
                    "must be at the first listener's layer ({}): an HAProxy proxy is either \
                     HTTP or TCP",
                    first.protocol
                ),
            ));
        }
        if !matches!(
            l.protocol,
            Protocol::Http | Protocol::Https | Protocol::Tcp | Protocol::Ssl
        ) {
            return Err(Error::invalid_input(
                format!("{field}.protocol"),
                format!("must be http, https, tcp or ssl, got {}", l.protocol),
            ));
        }
        if l.effective_instance_protocol() != mode_of(l.protocol).plain() {
            return Err(Error::invalid_input(
                format!("{field}.instance_protocol"),
                "must be plain http or tcp: the driver terminates TLS and talks to members in clear",
            ));
        }
        validate::port(&format!("{field}.port"), l.port)?;
        validate::port(&format!("{field}.instance_port"), l.instance_port)?;
        if binds.iter().any(|b: &Bind| b.port == l.port) {
            return Err(Error::invalid_input(
                format!("{field}.port"),
                format!("port {} is used by two listeners", l.port),
            ));
        }
        let cert = match &l.certificate_id {
            Some(path) => {
                validate::file_path(&format!("{field}.certificate_id"), path)?;
                Some(path.clone())
            }
            None => None,
        };
        binds.push(Bind {
            addr,
            port: l.port,
            cert,
            instance_port: l.instance_port,
        });
    }
    Ok((mode, binds))
}

impl Mode {
    fn plain(self) -> Protocol {
        match self {
            Mode::Http => Protocol::Http,
            Mode::Tcp => Protocol::Tcp,
        }
    }
}

/// The listeners a frontend stands for.
pub(crate) fn listeners_of(b: &BalancerConfig) -> Vec<Listener> {
    b.binds
        .iter()
        .map(|bind| {
            let protocol = match (b.mode, bind.cert.is_some()) {
                (Mode::Http, false) => Protocol::Http,
                (Mode::Http, true) => Protocol::Https,
                (Mode::Tcp, false) => Protocol::Tcp,
                (Mode::Tcp, true) => Protocol::Ssl,
            };
            let mut l = Listener::new(bind.port, protocol, bind.instance_port);
            if let Some(cert) = &bind.cert {
                l = l.certificate(cert.clone());
            }
            l
        })
        .collect()
}

fn millis(field: &str, d: Duration) -> Result<u32> {
    u32::try_from(d.as_millis())
        .ok()
        .filter(|ms| *ms > 0)
        .ok_or_else(|| Error::invalid_input(field, "must be 1 ms to 49 days"))
}

/// The backend's check for `hc` (already checked against the driver's limits).
pub(crate) fn check_of(hc: &HealthCheck) -> Result<Check> {
    let kind = match hc.protocol {
        Protocol::Tcp => CheckKind::Tcp,
        Protocol::Http => {
            let path = hc.effective_path();
            validate::http_path("health_check.path", path)?;
            if let Some(codes) = &hc.expected_codes {
                validate::status_codes("health_check.expected_codes", codes)?;
            }
            CheckKind::Http {
                path: path.to_owned(),
                expect: hc.expected_codes.clone(),
            }
        }
        other => {
            return Err(Error::invalid_input(
                "health_check.protocol",
                format!("must be tcp or http for haproxy, got {other}"),
            ));
        }
    };
    if let Some(port) = hc.port {
        validate::port("health_check.port", port)?;
    }
    Ok(Check {
        kind,
        port: hc.port,
        inter_ms: millis("health_check.interval", hc.interval)?,
        timeout_ms: millis("health_check.timeout", hc.timeout)?,
        rise: hc.healthy_threshold,
        fall: hc.unhealthy_threshold,
    })
}

pub(crate) fn health_check_of(check: &Check) -> HealthCheck {
    let base = match &check.kind {
        CheckKind::Tcp => HealthCheck::tcp(check.port),
        CheckKind::Http { path, expect } => {
            let hc = HealthCheck::http(check.port, path.clone());
            match expect {
                Some(codes) => hc.expected_codes(codes.clone()),
                None => hc,
            }
        }
    };
    base.interval(Duration::from_millis(check.inter_ms.into()))
        .timeout(Duration::from_millis(check.timeout_ms.into()))
        .healthy_threshold(check.rise)
        .unhealthy_threshold(check.fall)
}

/// The server name the driver gives an address member without an id.
pub(crate) fn server_name(addr: IpAddr, port: u16) -> String {
    format!("s-{}-{port}", addr.to_string().replace(':', "_"))
}

fn admin_state_of(condition: MemberCondition) -> Result<AdminState> {
    match condition {
        MemberCondition::Enabled => Ok(AdminState::Ready),
        MemberCondition::Draining => Ok(AdminState::Drain),
        MemberCondition::Disabled => Ok(AdminState::Maint),
        other => Err(Error::invalid_input(
            "member.condition",
            format!("{other} has no HAProxy state"),
        )),
    }
}

pub(crate) fn condition_of(state: AdminState) -> MemberCondition {
    match state {
        AdminState::Ready => MemberCondition::Enabled,
        AdminState::Drain => MemberCondition::Draining,
        AdminState::Maint => MemberCondition::Disabled,
    }
}

/// The server for an address member; `field` names it in errors.
pub(crate) fn server_of(field: &str, m: &Member) -> Result<Server> {
    let (Some(ip), Some(port)) = (&m.ip, m.port) else {
        return Err(Error::invalid_input(
            format!("{field}.ip"),
            "haproxy members are an address and a port",
        ));
    };
    let addr = validate::address(&format!("{field}.ip"), ip)?;
    validate::port(&format!("{field}.port"), port)?;
    let name = if m.id.is_empty() {
        server_name(addr, port)
    } else {
        validate::name(&format!("{field}.id"), &m.id)?;
        m.id.clone()
    };
    let weight = m.weight.unwrap_or(1);
    check_weight(&format!("{field}.weight"), weight)?;
    Ok(Server {
        name,
        addr,
        port,
        weight,
        state: admin_state_of(m.condition)?,
    })
}

pub(crate) fn check_weight(field: &str, weight: u32) -> Result<()> {
    if weight > MAX_WEIGHT {
        return Err(Error::invalid_input(
            field,
            format!("must be 0 to {MAX_WEIGHT}, got {weight}"),
        ));
    }
    Ok(())
}

pub(crate) fn admin_state(condition: MemberCondition) -> Result<AdminState> {
    admin_state_of(condition)
}

pub(crate) fn member_of(s: &Server) -> Member {
    Member::address(s.addr.to_string(), s.port)
        .with_id(s.name.clone())
        .weight(s.weight)
        .condition(condition_of(s.state))
}

/// Whether `m` names server `s`: by id when it has one, else by address
/// and port.
pub(crate) fn server_matches(s: &Server, m: &Member) -> bool {
    if !m.id.is_empty() {
        return s.name == m.id;
    }
    let addr = m.ip.as_deref().and_then(|ip| ip.parse::<IpAddr>().ok());
    addr == Some(s.addr) && m.port == Some(s.port)
}

pub(crate) fn balancer_of(b: &BalancerConfig, config_file: &str) -> Balancer {
    let mut balancer = Balancer::new(b.name.clone(), b.name.clone())
        .with_state(State::Running)
        .with_listeners(listeners_of(b));
    balancer.ip = b.binds.first().map(|bind| bind.addr.to_string());
    balancer.health_check = b.check.as_ref().map(health_check_of);
    balancer.algorithm = algorithm_of(b.balance);
    balancer.created_at = b
        .created
        .and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok());
    balancer.extra.insert_str("frontend", &b.name);
    balancer.extra.insert_str("backend", &b.name);
    balancer.extra.insert_str("config_file", config_file);
    balancer
}

/// A member's health from its `show stat` row (none yet: `Unknown`).
pub(crate) fn member_health_of(s: &Server, row: Option<&StatRow>) -> MemberHealth {
    let Some(row) = row else {
        let mut h = MemberHealth::new(s.name.clone(), HealthState::Unknown);
        h.description = Some("not in HAProxy's statistics yet".into());
        return h;
    };
    let word = row.status.split_whitespace().next().unwrap_or_default();
    let check = row
        .check_status
        .as_deref()
        .map(|c| c.trim_start_matches("* ").to_owned());
    let state = match word {
        "UP" if check.as_deref() == Some("INI") => HealthState::Initial,
        "UP" | "no" => HealthState::InService,
        "DRAIN" => HealthState::Draining,
        "DOWN" if check.as_deref() == Some("INI") => HealthState::Initial,
        "DOWN" | "MAINT" | "NOLB" => HealthState::OutOfService,
        _ if word.starts_with("MAINT") => HealthState::OutOfService,
        _ => HealthState::Unknown,
    };
    let mut h = MemberHealth::new(s.name.clone(), state);
    h.provider_state = Some(row.status.clone());
    h.reason_code = check;
    h.description = match (&row.check_desc, &row.last_check) {
        (Some(desc), Some(last)) if desc != last => Some(format!("{desc}: {last}")),
        (Some(desc), _) => Some(desc.clone()),
        (None, last) => last.clone(),
    };
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithms_map_both_ways() {
        for a in ALGORITHMS {
            assert_eq!(algorithm_of(balance_of(Some(a)).unwrap()), Some(a));
        }
        assert_eq!(balance_of(None).unwrap(), Balance::RoundRobin);
        assert!(balance_of(Some(Algorithm::ShortestResponse)).is_err());
    }

    #[test]
    fn listeners_share_one_layer_and_round_trip() {
        let addr: IpAddr = "127.0.0.1".parse().unwrap();
        let listeners = vec![
            Listener::new(80, Protocol::Http, 8080),
            Listener::new(443, Protocol::Https, 8080).certificate("/etc/ssl/a.pem"),
        ];
        let (mode, binds) = binds_of(addr, &listeners).unwrap();
        assert_eq!(mode, Mode::Http);
        let b = BalancerConfig {
            name: "web".into(),
            mode,
            binds,
            balance: Balance::RoundRobin,
            check: None,
            servers: vec![],
            created: None,
        };
        assert_eq!(listeners_of(&b), listeners);

        let mixed = vec![
            Listener::new(80, Protocol::Http, 80),
            Listener::new(81, Protocol::Tcp, 81),
        ];
        assert_eq!(
            binds_of(addr, &mixed).unwrap_err().field(),
            Some("listeners[1].protocol")
        );
        let twice = vec![
            Listener::new(80, Protocol::Http, 80),
            Listener::new(80, Protocol::Http, 81),
        ];
        assert_eq!(
            binds_of(addr, &twice).unwrap_err().field(),
            Some("listeners[1].port")
        );
        let bad_cert = vec![Listener::new(443, Protocol::Https, 80).certificate("a.pem\nbind :1")];
        assert_eq!(
            binds_of(addr, &bad_cert).unwrap_err().field(),
            Some("listeners[0].certificate_id")
        );
    }

    #[test]
    fn health_checks_round_trip_with_sub_second_intervals() {
        let hc = HealthCheck::http(Some(9000), "/health")
            .interval(Duration::from_millis(200))
            .timeout(Duration::from_millis(150))
            .healthy_threshold(1)
            .unhealthy_threshold(2)
            .expected_codes("200-299");
        assert_eq!(health_check_of(&check_of(&hc).unwrap()), hc);
        let tcp = HealthCheck::tcp(None).interval(Duration::from_millis(50));
        assert_eq!(health_check_of(&check_of(&tcp).unwrap()), tcp);
        let ssl = HealthCheck::with_protocol(Protocol::Ssl, None);
        assert_eq!(
            check_of(&ssl).unwrap_err().field(),
            Some("health_check.protocol")
        );
        let inject = HealthCheck::http(None, "/x;show");
        assert_eq!(
            check_of(&inject).unwrap_err().field(),
            Some("health_check.path")
        );
    }

    #[test]
    fn members_become_servers_and_back() {
        let m = Member::address("127.0.0.1", 9001)
            .weight(3)
            .condition(MemberCondition::Draining);
        let s = server_of("member", &m).unwrap();
        assert_eq!(s.name, "s-127.0.0.1-9001");
        assert_eq!((s.weight, s.state), (3, AdminState::Drain));
        assert_eq!(member_of(&s), m.clone().with_id("s-127.0.0.1-9001"));
        let v6 = server_of("m", &Member::address("::1", 80)).unwrap();
        assert_eq!(v6.name, "s-__1-80");
        assert!(validate::name("n", &v6.name).is_ok());

        let cases = [
            (Member::address("web.local", 80), "m.ip"),
            (Member::address("10.0.0.1", 80).with_id("a b"), "m.id"),
            (Member::address("10.0.0.1", 80).weight(257), "m.weight"),
            (Member::instance("i-1"), "m.ip"),
        ];
        for (m, field) in cases {
            assert_eq!(
                server_of("m", &m).unwrap_err().field(),
                Some(field),
                "{m:?}"
            );
        }
    }

    #[test]
    fn health_maps_haproxy_status_words() {
        let s = server_of("m", &Member::address("127.0.0.1", 9001)).unwrap();
        let row = |status: &str, check: Option<&str>| StatRow {
            status: status.into(),
            check_status: check.map(Into::into),
            check_desc: Some("Layer4 connection problem".into()),
            ..StatRow::default()
        };
        let cases = [
            ("UP", Some("L7OK"), HealthState::InService),
            ("UP 1/3", Some("L4OK"), HealthState::InService),
            ("DOWN", Some("L4CON"), HealthState::OutOfService),
            ("DOWN 1/2", Some("* L4CON"), HealthState::OutOfService),
            ("MAINT", None, HealthState::OutOfService),
            ("MAINT (resolution)", None, HealthState::OutOfService),
            ("DRAIN", Some("L4OK"), HealthState::Draining),
            ("NOLB", None, HealthState::OutOfService),
            ("no check", None, HealthState::InService),
            ("UP", Some("INI"), HealthState::Initial),
            ("???", None, HealthState::Unknown),
        ];
        for (status, check, want) in cases {
            let h = member_health_of(&s, Some(&row(status, check)));
            assert_eq!(h.state, want, "{status} {check:?}");
            assert_eq!(h.provider_state.as_deref(), Some(status));
        }
        let down = member_health_of(&s, Some(&row("DOWN", Some("* L4CON"))));
        assert_eq!(down.reason_code.as_deref(), Some("L4CON"));
        assert_eq!(
            down.description.as_deref(),
            Some("Layer4 connection problem")
        );
        assert_eq!(member_health_of(&s, None).state, HealthState::Unknown);
    }
}
