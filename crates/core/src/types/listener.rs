//! A balancer's listener: a front port and protocol forwarded to members.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, Protocol, Result, validate};

/// One listener: traffic arriving on `port` with `protocol` is forwarded to
/// members on `instance_port` with `instance_protocol`.
///
/// Secure protocols (HTTPS, SSL, TLS) terminate TLS at the balancer and need
/// a certificate id. `policies` are provider policy names attached to the
/// listener (for example ELB stickiness policies).
///
/// ```
/// use lbcloud_core::{Listener, Protocol};
///
/// let l = Listener::new(443, Protocol::Https, 8443)
///     .instance_protocol(Protocol::Http)
///     .certificate("arn:aws:iam::123456789012:server-certificate/web");
/// l.validate("listeners[0]").unwrap();
/// assert_eq!(l.to_string(), "https:443 -> http:8443");
/// assert_eq!("HTTP:80->HTTP:8080".parse::<Listener>().unwrap().instance_port, 8080);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Listener {
    /// The port the balancer listens on.
    pub port: u16,
    /// The protocol the balancer speaks to clients.
    pub protocol: Protocol,
    /// The port members listen on.
    pub instance_port: u16,
    /// The protocol the balancer speaks to members; `None` means the
    /// provider's default (usually the same layer as `protocol`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_protocol: Option<Protocol>,
    /// The server certificate for secure protocols (an ARN or provider id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_id: Option<String>,
    /// Provider policy names applied to this listener.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<String>,
}

impl Listener {
    /// A listener forwarding `port` to `instance_port`, with the provider's
    /// default member protocol.
    pub fn new(port: u16, protocol: Protocol, instance_port: u16) -> Self {
        Self {
            port,
            protocol,
            instance_port,
            instance_protocol: None,
            certificate_id: None,
            policies: Vec::new(),
        }
    }

    /// Sets the protocol spoken to members.
    pub fn instance_protocol(mut self, protocol: Protocol) -> Self {
        self.instance_protocol = Some(protocol);
        self
    }

    /// Sets the server certificate id (required for secure protocols).
    pub fn certificate(mut self, certificate_id: impl Into<String>) -> Self {
        self.certificate_id = Some(certificate_id.into());
        self
    }

    /// The protocol spoken to members: the explicit one, or the plain
    /// protocol of the same layer as the front (HTTPS -> HTTP, SSL -> TCP).
    pub fn effective_instance_protocol(&self) -> Protocol {
        self.instance_protocol.unwrap_or(match self.protocol {
            Protocol::Https => Protocol::Http,
            Protocol::Ssl | Protocol::Tls => Protocol::Tcp,
            other => other,
        })
    }

    /// Checks ports, the protocol pair and the certificate rule. `field`
    /// prefixes the names in errors (for example `listeners[1]`).
    pub fn validate(&self, field: &str) -> Result<()> {
        validate::port(&format!("{field}.port"), self.port)?;
        validate::port(&format!("{field}.instance_port"), self.instance_port)?;
        validate::protocol_pair(
            &format!("{field}.instance_protocol"),
            self.protocol,
            self.effective_instance_protocol(),
        )?;
        match (&self.certificate_id, self.protocol.is_secure()) {
            (None, true) => Err(Error::invalid_input(
                format!("{field}.certificate_id"),
                format!("is required for a {} listener", self.protocol),
            )),
            (Some(_), false) => Err(Error::invalid_input(
                format!("{field}.certificate_id"),
                format!(
                    "is allowed only on HTTPS, SSL or TLS listeners, not {}",
                    self.protocol
                ),
            )),
            (Some(c), true) => validate::non_empty(&format!("{field}.certificate_id"), c),
            (None, false) => Ok(()),
        }
    }
}

impl fmt::Display for Listener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{} -> {}:{}",
            self.protocol,
            self.port,
            self.effective_instance_protocol(),
            self.instance_port
        )
    }
}

/// Parses `PROTOCOL:PORT->PROTOCOL:PORT` (or `PROTOCOL:PORT` for the same
/// port and protocol on both sides), as a command line would give it.
impl FromStr for Listener {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let (front, back) = match s.split_once("->") {
            Some((f, b)) => (f, Some(b)),
            None => (s, None),
        };
        let side = |text: &str, which: &str| -> Result<(Protocol, u16)> {
            let (proto, port) = text.trim().split_once(':').ok_or_else(|| {
                Error::invalid_input(
                    "listener",
                    format!("{which} side must look like PROTOCOL:PORT, got {text:?}"),
                )
            })?;
            let protocol = proto.parse::<Protocol>().map_err(|_| {
                Error::invalid_input(
                    format!("listener.{which}.protocol"),
                    format!("unknown protocol {proto:?}"),
                )
            })?;
            let port = validate::parse_port(&format!("listener.{which}.port"), port)?;
            Ok((protocol, port))
        };
        let (protocol, port) = side(front, "front")?;
        let mut listener = Listener::new(port, protocol, port);
        if let Some(back) = back {
            let (ip, iport) = side(back, "instance")?;
            listener.instance_port = iport;
            listener.instance_protocol = Some(ip);
        }
        Ok(listener)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_rules() {
        let https = Listener::new(443, Protocol::Https, 80);
        assert_eq!(
            https
                .validate("l")
                .err()
                .and_then(|e| e.field().map(str::to_owned))
                .as_deref(),
            Some("l.certificate_id")
        );
        let http_with_cert = Listener::new(80, Protocol::Http, 80).certificate("x");
        assert!(http_with_cert.validate("l").is_err());
        assert!(https.certificate("arn:x").validate("l").is_ok());
    }

    #[test]
    fn mismatched_layers_are_rejected() {
        let l = Listener::new(80, Protocol::Http, 80).instance_protocol(Protocol::Tcp);
        assert_eq!(
            l.validate("l")
                .err()
                .and_then(|e| e.field().map(str::to_owned))
                .as_deref(),
            Some("l.instance_protocol")
        );
    }

    #[test]
    fn parses_command_line_form() {
        let l: Listener = "tcp:443->tcp:8443"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((l.port, l.instance_port), (443, 8443));
        assert!("http:0".parse::<Listener>().is_err());
        assert!("http:65536".parse::<Listener>().is_err());
        assert!("gopher:70".parse::<Listener>().is_err());
        assert!("80".parse::<Listener>().is_err());
    }
}
