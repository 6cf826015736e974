//! Input rules shared by every driver, checked before any I/O.
//!
//! Each check returns [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput)
//! naming the field and the rule, so a caller (or a CLI) can point at the
//! exact argument that is wrong. Rules that belong to one provider (name
//! syntax, health-check ranges, weights) are in its [`Limits`]; these are
//! the ones no provider does without.

use std::collections::HashSet;

use crate::{Error, Limits, Member, Protocol, Result};

/// Checks a list of members: each member's shape, each weight against the
/// `limits` weight range, no target twice, and no more than the limit's
/// members per call. Fields are named `members[i]`.
///
/// ```
/// use lbcloud_core::{Limits, Member, limits::Range, validate::members};
///
/// let limits = Limits::new().with_weight(Some(Range::new(1, 256)));
/// assert!(members(&limits, &[Member::address("10.0.0.1", 80).weight(3)]).is_ok());
/// let err = members(&limits, &[Member::address("10.0.0.1", 80).weight(0)]).unwrap_err();
/// assert_eq!(err.field(), Some("members[0].weight"));
/// ```
pub fn members(limits: &Limits, members: &[Member]) -> Result<()> {
    if let Some(most) = limits.members_per_call
        && members.len() > most
    {
        return Err(Error::invalid_input(
            "members",
            format!("at most {most} members per call, got {}", members.len()),
        ));
    }
    let mut seen = HashSet::new();
    for (i, m) in members.iter().enumerate() {
        let field = format!("members[{i}]");
        m.validate(&field)?;
        if let (Some(weight), Some(range)) = (m.weight, limits.weight) {
            range.check(&format!("{field}.weight"), weight)?;
        }
        let key = if m.id.is_empty() {
            (String::new(), m.ip.clone(), m.port)
        } else {
            (m.id.clone(), None, m.port)
        };
        if !seen.insert(key) {
            return Err(Error::invalid_input(
                field,
                "names a member that is already in the list",
            ));
        }
    }
    Ok(())
}

/// Checks that a text value holds no control characters and no white space
/// at its ends (ids and addresses reach provider APIs, files and command
/// lines).
pub fn plain_text(field: &str, value: &str) -> Result<()> {
    if value.trim() != value || value.chars().any(char::is_control) {
        return Err(Error::invalid_input(
            field,
            "must not hold white space at its ends or control characters",
        ));
    }
    Ok(())
}

/// Checks that a name holds only ASCII letters, digits and hyphens (the
/// rule AWS applies to balancer and policy names).
pub fn letters_digits_hyphens(field: &str, name: &str) -> Result<()> {
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(Error::invalid_input(
            field,
            format!("may hold only ASCII letters, digits and hyphens, found {bad:?}"),
        ));
    }
    Ok(())
}

/// Checks a TCP/UDP port: 1 to 65535.
pub fn port(field: &str, port: u16) -> Result<()> {
    if port == 0 {
        return Err(Error::invalid_input(
            field,
            "must be a port from 1 to 65535, got 0",
        ));
    }
    Ok(())
}

/// Parses a port from text and checks it: 1 to 65535.
///
/// ```
/// use lbcloud_core::validate::parse_port;
///
/// assert_eq!(parse_port("port", "8080").unwrap(), 8080);
/// assert!(parse_port("port", "65536").is_err());
/// ```
pub fn parse_port(field: &str, text: &str) -> Result<u16> {
    let value: u32 = text
        .trim()
        .parse()
        .map_err(|_| Error::invalid_input(field, format!("must be a port number, got {text:?}")))?;
    match u16::try_from(value) {
        Ok(p) if p != 0 => Ok(p),
        _ => Err(Error::invalid_input(
            field,
            format!("must be a port from 1 to 65535, got {value}"),
        )),
    }
}

/// Checks that a value is within `min..=max`.
pub fn range(field: &str, value: u32, min: u32, max: u32) -> Result<()> {
    if value < min || value > max {
        return Err(Error::invalid_input(
            field,
            format!("must be from {min} to {max}, got {value}"),
        ));
    }
    Ok(())
}

/// Checks that a text value is not empty (after trimming white space).
pub fn non_empty(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    Ok(())
}

/// Checks that `protocol` is one of the driver's `supported` protocols.
pub fn protocol_supported(field: &str, protocol: Protocol, supported: &[Protocol]) -> Result<()> {
    if supported.contains(&protocol) {
        return Ok(());
    }
    let names: Vec<&str> = supported.iter().map(|p| p.into()).collect();
    Err(Error::invalid_input(
        field,
        format!(
            "protocol {protocol} is not supported here; use one of {}",
            names.join(", ")
        ),
    ))
}

/// Checks that a balancer-side protocol and a member-side protocol can be
/// paired: layer-7 (HTTP/HTTPS) with layer 7, layer-4 (TCP/SSL/TLS) with layer 4,
/// UDP with UDP.
pub fn protocol_pair(field: &str, front: Protocol, back: Protocol) -> Result<()> {
    let layer = |p: Protocol| match p {
        Protocol::Http | Protocol::Https => 7,
        Protocol::Udp => 40,
        Protocol::TcpUdp => 41,
        _ => 4,
    };
    if layer(front) == layer(back) {
        return Ok(());
    }
    Err(Error::invalid_input(
        field,
        format!(
            "member protocol {back} cannot serve a {front} listener; pair HTTP/HTTPS with HTTP/HTTPS and TCP/SSL with TCP/SSL"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn rejects(result: Result<()>, field: &str) {
        match result {
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::InvalidInput);
                assert_eq!(e.field(), Some(field));
            }
            Ok(()) => panic!("expected {field} to be rejected"),
        }
    }

    #[test]
    fn names() {
        assert!(letters_digits_hyphens("name", "a-1").is_ok());
        rejects(letters_digits_hyphens("name", "web_lb"), "name");
        rejects(plain_text("id", " x"), "id");
        rejects(plain_text("id", "x\ny"), "id");
    }

    #[test]
    fn member_lists() {
        let limits = Limits::new().with_members_per_call(Some(2));
        let three = [
            Member::instance("i-1"),
            Member::instance("i-2"),
            Member::instance("i-3"),
        ];
        rejects(members(&limits, &three), "members");
        rejects(
            members(
                &Limits::new(),
                &[Member::instance("i-1"), Member::instance("i-1")],
            ),
            "members[1]",
        );
        // Weights are not checked where the driver has no weight range;
        // whether weights are supported at all is `check`'s business.
        assert!(members(&Limits::new(), &[Member::instance("i-1").weight(9999)]).is_ok());
    }

    #[test]
    fn ports() {
        rejects(port("port", 0), "port");
        assert!(port("port", 65535).is_ok());
        assert!(parse_port("port", "0").is_err());
        assert!(parse_port("port", "-1").is_err());
        assert!(parse_port("port", "http").is_err());
        assert_eq!(parse_port("port", " 443 ").ok(), Some(443));
    }

    #[test]
    fn protocol_pairs() {
        assert!(protocol_pair("p", Protocol::Https, Protocol::Http).is_ok());
        assert!(protocol_pair("p", Protocol::Ssl, Protocol::Tcp).is_ok());
        rejects(protocol_pair("p", Protocol::Http, Protocol::Tcp), "p");
        rejects(protocol_pair("p", Protocol::Tcp, Protocol::Udp), "p");
        rejects(
            protocol_supported("p", Protocol::Udp, &[Protocol::Tcp, Protocol::Http]),
            "p",
        );
    }
}
