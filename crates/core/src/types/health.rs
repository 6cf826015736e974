//! Health checks and the health of members.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, MemberCondition, Result, validate};

/// What a health check probes: `TCP:22`, `SSL:443`, `HTTP:8080/health`, `HTTPS:8443/`.
///
/// ```
/// use lbcloud_core::HealthTarget;
///
/// let t: HealthTarget = "HTTP:8080/health".parse().unwrap();
/// assert_eq!(t, HealthTarget::Http { port: 8080, path: "/health".into() });
/// assert_eq!(t.to_string(), "HTTP:8080/health");
/// assert!("HTTP:0/x".parse::<HealthTarget>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HealthTarget {
    /// A TCP connect to the port.
    Tcp {
        /// The member port to probe.
        port: u16,
    },
    /// A TLS handshake on the port.
    Ssl {
        /// The member port to probe.
        port: u16,
    },
    /// An HTTP GET of the path, expecting 200.
    Http {
        /// The member port to probe.
        port: u16,
        /// The path to request, starting with `/`.
        path: String,
    },
    /// An HTTPS GET of the path, expecting 200.
    Https {
        /// The member port to probe.
        port: u16,
        /// The path to request, starting with `/`.
        path: String,
    },
}

/// The longest health-check path accepted (the ELB limit).
pub const MAX_HEALTH_PATH_LEN: usize = 1024;

impl HealthTarget {
    /// The member port the check probes.
    pub fn port(&self) -> u16 {
        match self {
            Self::Tcp { port } | Self::Ssl { port } => *port,
            Self::Http { port, .. } | Self::Https { port, .. } => *port,
        }
    }

    /// Checks the port and the path; `field` names the target in errors.
    pub fn validate(&self, field: &str) -> Result<()> {
        validate::port(field, self.port())?;
        if let Self::Http { path, .. } | Self::Https { path, .. } = self {
            if !path.starts_with('/') {
                return Err(Error::invalid_input(field, "path must start with '/'"));
            }
            if path.len() > MAX_HEALTH_PATH_LEN {
                return Err(Error::invalid_input(
                    field,
                    format!("path must be at most {MAX_HEALTH_PATH_LEN} bytes"),
                ));
            }
            if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(Error::invalid_input(
                    field,
                    "path must not contain white space or control characters",
                ));
            }
        }
        Ok(())
    }
}

impl fmt::Display for HealthTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Tcp { port } => write!(f, "TCP:{port}"),
            Self::Ssl { port } => write!(f, "SSL:{port}"),
            Self::Http { port, path } => write!(f, "HTTP:{port}{path}"),
            Self::Https { port, path } => write!(f, "HTTPS:{port}{path}"),
        }
    }
}

impl FromStr for HealthTarget {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        const FIELD: &str = "health_check.target";
        let (proto, rest) = s.split_once(':').ok_or_else(|| {
            Error::invalid_input(
                FIELD,
                format!("must look like TCP:PORT, SSL:PORT, HTTP:PORT/PATH or HTTPS:PORT/PATH, got {s:?}"),
            )
        })?;
        let (port_text, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let port = validate::parse_port(FIELD, port_text)?;
        let target = match proto.to_ascii_uppercase().as_str() {
            "TCP" | "SSL" if !path.is_empty() => {
                return Err(Error::invalid_input(
                    FIELD,
                    format!("a {proto} target takes no path, got {path:?}"),
                ));
            }
            "TCP" => Self::Tcp { port },
            "SSL" => Self::Ssl { port },
            "HTTP" | "HTTPS" if path.is_empty() => {
                return Err(Error::invalid_input(
                    FIELD,
                    format!("a {proto} target needs a path such as {proto}:{port}/"),
                ));
            }
            "HTTP" => Self::Http {
                port,
                path: path.to_owned(),
            },
            "HTTPS" => Self::Https {
                port,
                path: path.to_owned(),
            },
            other => {
                return Err(Error::invalid_input(
                    FIELD,
                    format!("protocol must be TCP, SSL, HTTP or HTTPS, got {other:?}"),
                ));
            }
        };
        target.validate(FIELD)?;
        Ok(target)
    }
}

impl Serialize for HealthTarget {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for HealthTarget {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A health check: what to probe, how often, and how many results in a row
/// flip a member's state.
///
/// The ranges are the classic ELB ones, which other providers fall within:
/// interval 5-300 s, timeout 2-60 s and below the interval, thresholds 2-10.
///
/// ```
/// use lbcloud_core::HealthCheck;
///
/// // The boto tutorial's check: every 20 s, healthy after 3, unhealthy after 5.
/// let hc = HealthCheck::new("HTTP:8080/health")?
///     .interval(20)
///     .healthy_threshold(3)
///     .unhealthy_threshold(5);
/// hc.validate()?;
/// assert_eq!(hc.timeout_secs, 5);
/// assert!(HealthCheck::new("HTTP:8080/health")?.interval(3).validate().is_err());
/// # Ok::<(), lbcloud_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthCheck {
    /// What to probe.
    pub target: HealthTarget,
    /// Seconds between two probes of a member (5-300).
    pub interval_secs: u32,
    /// Seconds to wait for an answer (2-60, below the interval).
    pub timeout_secs: u32,
    /// Successes in a row before an unhealthy member is healthy again (2-10).
    pub healthy_threshold: u32,
    /// Failures in a row before a healthy member is taken out (2-10).
    pub unhealthy_threshold: u32,
}

/// Allowed range of [`HealthCheck::interval_secs`].
pub const HEALTH_INTERVAL_RANGE: (u32, u32) = (5, 300);
/// Allowed range of [`HealthCheck::timeout_secs`].
pub const HEALTH_TIMEOUT_RANGE: (u32, u32) = (2, 60);
/// Allowed range of both thresholds.
pub const HEALTH_THRESHOLD_RANGE: (u32, u32) = (2, 10);

impl HealthCheck {
    /// A check of `target` with ELB's defaults: every 30 s, 5 s timeout,
    /// healthy after 10 successes, unhealthy after 2 failures.
    pub fn new(target: &str) -> Result<Self> {
        Ok(Self::with_target(target.parse()?))
    }

    /// A check of an already-parsed target with ELB's defaults.
    pub fn with_target(target: HealthTarget) -> Self {
        Self {
            target,
            interval_secs: 30,
            timeout_secs: 5,
            healthy_threshold: 10,
            unhealthy_threshold: 2,
        }
    }

    /// Sets the seconds between probes.
    pub fn interval(mut self, secs: u32) -> Self {
        self.interval_secs = secs;
        self
    }

    /// Sets the seconds to wait for an answer.
    pub fn timeout(mut self, secs: u32) -> Self {
        self.timeout_secs = secs;
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

    /// Checks the target, every range, and that the timeout is below the interval.
    pub fn validate(&self) -> Result<()> {
        self.target.validate("health_check.target")?;
        let (lo, hi) = HEALTH_INTERVAL_RANGE;
        validate::range("health_check.interval_secs", self.interval_secs, lo, hi)?;
        let (lo, hi) = HEALTH_TIMEOUT_RANGE;
        validate::range("health_check.timeout_secs", self.timeout_secs, lo, hi)?;
        let (lo, hi) = HEALTH_THRESHOLD_RANGE;
        validate::range(
            "health_check.healthy_threshold",
            self.healthy_threshold,
            lo,
            hi,
        )?;
        validate::range(
            "health_check.unhealthy_threshold",
            self.unhealthy_threshold,
            lo,
            hi,
        )?;
        if self.timeout_secs >= self.interval_secs {
            return Err(Error::invalid_input(
                "health_check.timeout_secs",
                format!(
                    "must be below the interval ({} s), got {} s",
                    self.interval_secs, self.timeout_secs
                ),
            ));
        }
        Ok(())
    }
}

/// The health of one member as its balancer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberHealth {
    /// The member's id (an instance id on ELB).
    pub member_id: String,
    /// In service, out of service, draining or unknown.
    pub condition: MemberCondition,
    /// The provider's short reason code (ELB: `ELB` or `Instance`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// The provider's explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(r: Result<impl Sized>) -> Option<String> {
        r.err().and_then(|e| e.field().map(str::to_owned))
    }

    #[test]
    fn target_syntax() {
        for ok in ["TCP:22", "ssl:443", "HTTP:80/", "HTTPS:8443/a/b?c=d"] {
            let t: HealthTarget = ok.parse().unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert_eq!(t.to_string().to_ascii_uppercase(), ok.to_ascii_uppercase());
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
        ] {
            assert_eq!(
                field_of(bad.parse::<HealthTarget>()).as_deref(),
                Some("health_check.target"),
                "{bad}"
            );
        }
    }

    #[test]
    fn ranges() -> Result<()> {
        let base = HealthCheck::new("TCP:22")?;
        assert!(base.clone().validate().is_ok());
        assert_eq!(
            field_of(base.clone().interval(4).validate()).as_deref(),
            Some("health_check.interval_secs")
        );
        assert_eq!(
            field_of(base.clone().interval(301).validate()).as_deref(),
            Some("health_check.interval_secs")
        );
        assert_eq!(
            field_of(base.clone().timeout(1).validate()).as_deref(),
            Some("health_check.timeout_secs")
        );
        assert_eq!(
            field_of(base.clone().interval(10).timeout(10).validate()).as_deref(),
            Some("health_check.timeout_secs")
        );
        assert_eq!(
            field_of(base.clone().healthy_threshold(1).validate()).as_deref(),
            Some("health_check.healthy_threshold")
        );
        assert_eq!(
            field_of(base.clone().unhealthy_threshold(11).validate()).as_deref(),
            Some("health_check.unhealthy_threshold")
        );
        Ok(())
    }

    #[test]
    fn serde_uses_the_target_text() -> Result<()> {
        let hc = HealthCheck::new("HTTP:8080/health")?;
        let json = serde_json::to_string(&hc)
            .map_err(|e| Error::new(crate::ErrorKind::InvalidResponse, e.to_string()))?;
        assert!(json.contains("\"target\":\"HTTP:8080/health\""));
        let back: HealthCheck = serde_json::from_str(&json)
            .map_err(|e| Error::new(crate::ErrorKind::InvalidResponse, e.to_string()))?;
        assert_eq!(back, hc);
        assert!(serde_json::from_str::<HealthTarget>("\"HTTP:0/\"").is_err());
        Ok(())
    }
}
