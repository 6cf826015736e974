//! Readers for the structures several answers share: listeners, health
//! checks, instances, tags, timestamps.

use lbcloud_core::{Listener, Protocol, Result};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::model::{HealthCheckDescription, Tag};
use lbcloud_aws::xml::Cursor;

/// Reads a `Listener` structure. Protocol and both ports are required.
pub(super) fn listener(c: &mut Cursor<'_>) -> Result<Listener> {
    let mut protocol = None;
    let mut port = None;
    let mut instance_protocol = None;
    let mut instance_port = None;
    let mut certificate_id = None;
    c.for_each_child(|c, name| {
        match name {
            b"Protocol" => protocol = self::protocol(c, "Protocol")?,
            b"LoadBalancerPort" => port = Some(c.parse::<u16>("LoadBalancerPort")?),
            b"InstanceProtocol" => instance_protocol = self::protocol(c, "InstanceProtocol")?,
            b"InstancePort" => instance_port = Some(c.parse::<u16>("InstancePort")?),
            b"SSLCertificateId" => certificate_id = c.opt_text()?,
            _ => {}
        }
        Ok(())
    })?;
    let (Some(protocol), Some(port), Some(instance_port)) = (protocol, port, instance_port) else {
        return Err(c.error("a <Listener> lacks Protocol, LoadBalancerPort or InstancePort"));
    };
    let mut listener = Listener::new(port, protocol, instance_port);
    listener.instance_protocol = instance_protocol;
    listener.certificate_id = certificate_id;
    Ok(listener)
}

/// Reads a protocol name; an empty element is `None` (emulators may send an
/// empty `InstanceProtocol`, and the default then applies).
fn protocol(c: &mut Cursor<'_>, what: &str) -> Result<Option<Protocol>> {
    let text = c.text_cow()?;
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse()
        .map(Some)
        .map_err(|_| c.error(format_args!("<{what}> holds unknown protocol {text:?}")))
}

/// Reads a `HealthCheck` structure; every field is required.
pub(super) fn health_check(c: &mut Cursor<'_>) -> Result<HealthCheckDescription> {
    let mut target = None;
    let mut fields = [None; 4];
    c.for_each_child(|c, name| {
        let slot = match name {
            b"Target" => {
                target = Some(c.text()?);
                return Ok(());
            }
            b"Interval" => 0,
            b"Timeout" => 1,
            b"UnhealthyThreshold" => 2,
            b"HealthyThreshold" => 3,
            _ => return Ok(()),
        };
        let value = c.parse::<u32>(std::str::from_utf8(name).unwrap_or("HealthCheck"))?;
        if let Some(f) = fields.get_mut(slot) {
            *f = Some(value);
        }
        Ok(())
    })?;
    match (target, fields) {
        (Some(target), [Some(interval), Some(timeout), Some(unhealthy), Some(healthy)]) => {
            Ok(HealthCheckDescription {
                target,
                interval,
                timeout,
                unhealthy_threshold: unhealthy,
                healthy_threshold: healthy,
            })
        }
        _ => Err(c.error(
            "a <HealthCheck> lacks one of Target, Interval, Timeout, UnhealthyThreshold, HealthyThreshold",
        )),
    }
}

/// Reads an `Instance` structure: its `InstanceId`.
pub(super) fn instance_id(c: &mut Cursor<'_>) -> Result<String> {
    let mut id = None;
    c.for_each_child(|c, name| {
        if name == b"InstanceId" {
            id = Some(c.text()?);
        }
        Ok(())
    })?;
    id.ok_or_else(|| c.error("an <Instance> lacks InstanceId"))
}

/// Reads a `Tag` structure (`Key` required, `Value` optional).
pub(super) fn tag(c: &mut Cursor<'_>) -> Result<Tag> {
    let mut key = None;
    let mut value = String::new();
    c.for_each_child(|c, name| {
        match name {
            b"Key" => key = Some(c.text()?),
            b"Value" => value = c.text()?,
            _ => {}
        }
        Ok(())
    })?;
    let key = key.ok_or_else(|| c.error("a <Tag> lacks Key"))?;
    Ok(Tag { key, value })
}

/// Reads an ISO 8601 timestamp: RFC 3339 (`2013-05-24T21:15:31.280Z`, what
/// AWS sends) or, as some emulators send, without an offset, read as UTC.
pub(super) fn timestamp(c: &mut Cursor<'_>, what: &str) -> Result<OffsetDateTime> {
    let text = c.text_cow()?;
    let t = text.trim();
    if let Ok(ts) = OffsetDateTime::parse(t, &Rfc3339) {
        return Ok(ts);
    }
    let naive = format_description!(
        version = 2,
        "[year]-[month]-[day][first [T][ ]][hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    PrimitiveDateTime::parse(t, &naive)
        .map(PrimitiveDateTime::assume_utc)
        .map_err(|_| {
            c.error(format_args!(
                "<{what}> holds {text:?}, not an ISO 8601 time"
            ))
        })
}
