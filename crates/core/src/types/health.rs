//! Health checks and the health of members.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{Error, HealthState, Limits, Protocol, Result, validate};

/// A health check: what to probe on each member, how often, and how many
/// results in a row flip a member's health.
///
/// It describes what ELB, ELBv2 and HAProxy checks share. `port` is `None`
/// to probe each member on its own port; `path` and `expected_codes` are
/// for HTTP(S) checks only. Durations are [`Duration`]s, so providers with
/// sub-second checks (HAProxy) and whole-second ones (ELB) share one type;
/// whether a value is allowed is the driver's [`Limits`].
///
/// ELB's text form (`TCP:22`, `SSL:443`, `HTTP:8080/health`) is parsed by
/// [`HealthCheck::new`] and printed by [`HealthCheck::target`].
///
/// ```
/// use std::time::Duration;
/// use lbcloud_core::{HealthCheck, Limits, Protocol};
///
/// // The boto tutorial's check: every 20 s, healthy after 3, unhealthy after 5.
/// let hc = HealthCheck::new("HTTP:8080/health")?
///     .interval(Duration::from_secs(20))
///     .healthy_threshold(3)
///     .unhealthy_threshold(5);
/// assert_eq!(hc.protocol, Protocol::Http);
/// assert_eq!(hc.port, Some(8080));
/// assert_eq!(hc.target().as_deref(), Some("HTTP:8080/health"));
/// hc.validate(&Limits::new())?;
///
/// // An HAProxy-style check: every 500 ms on the member's own port.
/// let fast = HealthCheck::http(None, "/ping").interval(Duration::from_millis(500));
/// assert_eq!(fast.target(), None);
/// # Ok::<(), lbcloud_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HealthCheck {
    /// How to probe: TCP connect, TLS handshake, HTTP or HTTPS request.
    pub protocol: Protocol,
    /// The member port to probe; `None` probes each member's own port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// The path to request, for HTTP(S) checks (`/` when `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Time between two probes of a member.
    #[serde(rename = "interval_ms", with = "super::duration_ms")]
    pub interval: Duration,
    /// Time a probe waits for an answer.
    #[serde(rename = "timeout_ms", with = "super::duration_ms")]
    pub timeout: Duration,
    /// Successes in a row before an unhealthy member is healthy again.
    pub healthy_threshold: u32,
    /// Failures in a row before a healthy member is taken out.
    pub unhealthy_threshold: u32,
    /// HTTP status codes that count as healthy (`200`, `200-299`,
    /// `200,302`); `None` is the provider's default (usually 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_codes: Option<String>,
}

impl HealthCheck {
    /// Parses ELB's target form (`TCP:PORT`, `SSL:PORT`, `HTTP:PORT/PATH`,
    /// `HTTPS:PORT/PATH`) into a check with the common defaults: every 30 s,
    /// 5 s timeout, healthy after 10 successes, unhealthy after 2 failures.
    pub fn new(target: &str) -> Result<Self> {
        const FIELD: &str = "health_check.target";
        let (proto, rest) = target.split_once(':').ok_or_else(|| {
            Error::invalid_input(
                FIELD,
                format!(
                    "must look like TCP:PORT, SSL:PORT, HTTP:PORT/PATH or HTTPS:PORT/PATH, got {target:?}"
                ),
            )
        })?;
        let (port_text, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let port = validate::parse_port(FIELD, port_text)?;
        let protocol = match proto.to_ascii_uppercase().as_str() {
            "TCP" => Protocol::Tcp,
            "SSL" => Protocol::Ssl,
            "HTTP" => Protocol::Http,
            "HTTPS" => Protocol::Https,
            other => {
                return Err(Error::invalid_input(
                    FIELD,
                    format!("protocol must be TCP, SSL, HTTP or HTTPS, got {other:?}"),
                ));
            }
        };
        match (protocol.is_http(), path.is_empty()) {
            (false, false) => {
                return Err(Error::invalid_input(
                    FIELD,
                    format!("a {proto} target takes no path, got {path:?}"),
                ));
            }
            (true, true) => {
                return Err(Error::invalid_input(
                    FIELD,
                    format!("a {proto} target needs a path such as {proto}:{port}/"),
                ));
            }
            _ => {}
        }
        let check = Self {
            path: (!path.is_empty()).then(|| path.to_owned()),
            ..Self::with_protocol(protocol, Some(port))
        };
        check.check_path(FIELD, usize::MAX)?;
        Ok(check)
    }

    /// A check of `protocol` on `port` (or each member's port) with the
    /// common defaults.
    pub fn with_protocol(protocol: Protocol, port: Option<u16>) -> Self {
        Self {
            protocol,
            port,
            path: None,
            interval: Duration::from_secs(30),
            timeout: Duration::from_secs(5),
            healthy_threshold: 10,
            unhealthy_threshold: 2,
            expected_codes: None,
        }
    }

    /// A TCP connect check.
    pub fn tcp(port: Option<u16>) -> Self {
        Self::with_protocol(Protocol::Tcp, port)
    }

    /// An HTTP GET of `path`.
    pub fn http(port: Option<u16>, path: impl Into<String>) -> Self {
        Self {
            path: Some(path.into()),
            ..Self::with_protocol(Protocol::Http, port)
        }
    }

    /// ELB's target text (`HTTP:8080/health`), `None` without a fixed port.
    pub fn target(&self) -> Option<String> {
        let port = self.port?;
        let proto = match self.protocol {
            Protocol::Http => "HTTP",
            Protocol::Https => "HTTPS",
            Protocol::Ssl | Protocol::Tls => "SSL",
            _ => "TCP",
        };
        Some(if self.protocol.is_http() {
            format!("{proto}:{port}{}", self.path.as_deref().unwrap_or("/"))
        } else {
            format!("{proto}:{port}")
        })
    }

    /// The path an HTTP(S) check requests (`/` when none is set).
    pub fn effective_path(&self) -> &str {
        self.path.as_deref().unwrap_or("/")
    }

    /// Sets the port to probe.
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// Sets the path to request (HTTP(S) checks).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Sets the time between probes.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Sets the time to wait for an answer.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the successes in a row that make a member healthy.
    pub fn healthy_threshold(mut self, n: u32) -> Self {
        self.healthy_threshold = n;
        self
    }

    /// Sets the failures in a row that make a member unhealthy.
    pub fn unhealthy_threshold(mut self, n: u32) -> Self {
        self.unhealthy_threshold = n;
        self
    }

    /// Sets the HTTP status codes that count as healthy.
    pub fn expected_codes(mut self, codes: impl Into<String>) -> Self {
        self.expected_codes = Some(codes.into());
        self
    }

    /// Checks the check against a driver's `limits`: the protocol, the
    /// port, the path (HTTP(S) only, starting with `/`, no white space),
    /// the status codes (HTTP(S) only, `NNN`, `NNN-NNN`, comma-separated),
    /// the interval and timeout ranges and steps, the timeout below the
    /// interval where the limits say so, and both thresholds.
    pub fn validate(&self, limits: &Limits) -> Result<()> {
        if !matches!(
            self.protocol,
            Protocol::Tcp | Protocol::Ssl | Protocol::Http | Protocol::Https
        ) {
            return Err(Error::invalid_input(
                "health_check.protocol",
                format!("must be tcp, ssl, http or https, got {}", self.protocol),
            ));
        }
        if let Some(port) = self.port {
            validate::port("health_check.port", port)?;
        }
        if !self.protocol.is_http() {
            for (field, set) in [
                ("health_check.path", self.path.is_some()),
                ("health_check.expected_codes", self.expected_codes.is_some()),
            ] {
                if set {
                    return Err(Error::invalid_input(
                        field,
                        format!("is for HTTP and HTTPS checks only, not {}", self.protocol),
                    ));
                }
            }
        }
        self.check_path("health_check.path", limits.health_path_max_len)?;
        if let Some(codes) = &self.expected_codes {
            check_codes(codes)?;
        }
        limits
            .health_interval
            .check("health_check.interval", self.interval)?;
        limits
            .health_timeout
            .check("health_check.timeout", self.timeout)?;
        limits
            .healthy_threshold
            .check("health_check.healthy_threshold", self.healthy_threshold)?;
        limits
            .unhealthy_threshold
            .check("health_check.unhealthy_threshold", self.unhealthy_threshold)?;
        if limits.timeout_below_interval && self.timeout >= self.interval {
            return Err(Error::invalid_input(
                "health_check.timeout",
                format!(
                    "must be below the interval ({:?}), got {:?}",
                    self.interval, self.timeout
                ),
            ));
        }
        Ok(())
    }

    fn check_path(&self, field: &str, max_len: usize) -> Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if !path.starts_with('/') {
            return Err(Error::invalid_input(field, "must start with '/'"));
        }
        if path.len() > max_len {
            return Err(Error::invalid_input(
                field,
                format!("must be at most {max_len} bytes"),
            ));
        }
        if path
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '#' || c == '"' || c == '\'')
        {
            return Err(Error::invalid_input(
                field,
                "must not contain white space, control characters, '#' or quotes",
            ));
        }
        Ok(())
    }
}

/// Checks an HTTP status-code matcher: `NNN`, `NNN-NNN`, comma-separated,
/// each code from 100 to 599.
fn check_codes(codes: &str) -> Result<()> {
    const FIELD: &str = "health_check.expected_codes";
    let code = |t: &str| -> Result<u16> {
        match t.parse::<u16>() {
            Ok(c) if t.len() == 3 && (100..=599).contains(&c) => Ok(c),
            _ => Err(Error::invalid_input(
                FIELD,
                format!("must be HTTP codes (100-599) like 200, 200-299 or 200,302, got {codes:?}"),
            )),
        }
    };
    for part in codes.split(',') {
        match part.split_once('-') {
            Some((lo, hi)) => {
                if code(lo)? > code(hi)? {
                    return Err(Error::invalid_input(
                        FIELD,
                        format!("range {part:?} runs backwards"),
                    ));
                }
            }
            None => {
                code(part)?;
            }
        }
    }
    Ok(())
}

/// The health of one member as its balancer sees it.
///
/// ```
/// use lbcloud_core::{HealthState, MemberHealth};
///
/// let h = MemberHealth::new("i-0aaa", HealthState::OutOfService)
///     .reason_code("Instance")
///     .description("Instance has failed at least the UnhealthyThreshold number of health checks consecutively.")
///     .provider_state("OutOfService");
/// assert_eq!(h.reason_code.as_deref(), Some("Instance"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MemberHealth {
    /// The member's id (an instance id on ELB, a server name on HAProxy).
    pub member_id: String,
    /// In service, out of service, initial, draining or unknown.
    pub state: HealthState,
    /// The provider's short reason code (ELB: `ELB` or `Instance`; ELBv2:
    /// `Target.FailedHealthChecks`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// The provider's explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The provider's own word for the state (`unhealthy.draining`, `MAINT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_state: Option<String>,
}

impl MemberHealth {
    /// The health of `member_id`, with no reason or provider word.
    pub fn new(member_id: impl Into<String>, state: HealthState) -> Self {
        Self {
            member_id: member_id.into(),
            state,
            reason_code: None,
            description: None,
            provider_state: None,
        }
    }

    /// Sets the provider's short reason code.
    pub fn reason_code(mut self, code: impl Into<String>) -> Self {
        self.reason_code = Some(code.into());
        self
    }

    /// Sets the provider's explanation.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the provider's own word for the state.
    pub fn provider_state(mut self, state: impl Into<String>) -> Self {
        self.provider_state = Some(state.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{DurationRange, Range};

    fn field_of(r: Result<impl Sized>) -> Option<String> {
        r.err().and_then(|e| e.field().map(str::to_owned))
    }

    fn elb_like() -> Limits {
        Limits::new()
            .with_health_interval(DurationRange::secs(5, 300))
            .with_health_timeout(DurationRange::secs(2, 60))
            .with_health_threshold(Range::new(2, 10))
            .with_timeout_below_interval(true)
    }

    #[test]
    fn target_syntax() {
        for ok in ["TCP:22", "ssl:443", "HTTP:80/", "HTTPS:8443/a/b?c=d"] {
            let hc = HealthCheck::new(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert_eq!(
                hc.target().unwrap_or_default().to_ascii_uppercase(),
                ok.to_ascii_uppercase()
            );
        }
        for bad in [
            "HTTP:0/x",
            "HTTP:8080",
            "TCP:22/x",
            "UDP:53",
            "HTTP:/x",
            "TCP:65536",
            "",
            "TCP",
            "HTTP:80/a b",
        ] {
            assert_eq!(
                field_of(HealthCheck::new(bad)).as_deref(),
                Some("health_check.target"),
                "{bad}"
            );
        }
    }

    #[test]
    fn ranges_come_from_the_limits() -> Result<()> {
        let base = HealthCheck::new("TCP:22")?;
        let elb = elb_like();
        base.validate(&elb)?;
        for (hc, field) in [
            (
                base.clone().interval(Duration::from_secs(4)),
                "health_check.interval",
            ),
            (
                base.clone().interval(Duration::from_millis(5500)),
                "health_check.interval",
            ),
            (
                base.clone().timeout(Duration::from_secs(1)),
                "health_check.timeout",
            ),
            (
                base.clone()
                    .interval(Duration::from_secs(10))
                    .timeout(Duration::from_secs(10)),
                "health_check.timeout",
            ),
            (
                base.clone().healthy_threshold(1),
                "health_check.healthy_threshold",
            ),
            (
                base.clone().unhealthy_threshold(11),
                "health_check.unhealthy_threshold",
            ),
        ] {
            assert_eq!(field_of(hc.validate(&elb)).as_deref(), Some(field));
        }
        // The same values are fine where the provider allows them.
        let fast = base
            .interval(Duration::from_millis(500))
            .timeout(Duration::from_millis(500))
            .healthy_threshold(1);
        fast.validate(&Limits::new())?;
        Ok(())
    }

    #[test]
    fn http_only_fields() {
        let tcp_path = HealthCheck {
            path: Some("/x".into()),
            ..HealthCheck::tcp(Some(80))
        };
        assert_eq!(
            field_of(tcp_path.validate(&Limits::new())).as_deref(),
            Some("health_check.path")
        );
        let codes = HealthCheck::tcp(None).expected_codes("200");
        assert_eq!(
            field_of(codes.validate(&Limits::new())).as_deref(),
            Some("health_check.expected_codes")
        );
        for ok in ["200", "200-299", "200,302", "200-204,301"] {
            assert!(
                HealthCheck::http(None, "/")
                    .expected_codes(ok)
                    .validate(&Limits::new())
                    .is_ok(),
                "{ok}"
            );
        }
        for bad in ["", "20", "600", "299-200", "200;", "abc", "200,"] {
            assert_eq!(
                field_of(
                    HealthCheck::http(None, "/")
                        .expected_codes(bad)
                        .validate(&Limits::new())
                )
                .as_deref(),
                Some("health_check.expected_codes"),
                "{bad}"
            );
        }
    }

    #[test]
    fn serde_uses_milliseconds() -> Result<()> {
        let hc = HealthCheck::new("HTTP:8080/health")?.interval(Duration::from_millis(1500));
        let json = serde_json::to_string(&hc)
            .map_err(|e| Error::new(crate::ErrorKind::InvalidResponse, e.to_string()))?;
        assert!(json.contains("\"interval_ms\":1500"), "{json}");
        let back: HealthCheck = serde_json::from_str(&json)
            .map_err(|e| Error::new(crate::ErrorKind::InvalidResponse, e.to_string()))?;
        assert_eq!(back, hc);
        Ok(())
    }
}
