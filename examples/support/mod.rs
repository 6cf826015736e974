//! Shared set-up of the examples (not an example itself): connecting to the
//! provider named by `LBCLOUD_PROVIDER` (the mock by default) through the
//! registry, members and placement for a new balancer, or, for the
//! ELB-only examples (`elb_*.rs`), ELB itself (`elb.rs`).
//!
//! Settings come from the environment:
//!
//! - `LBCLOUD_PROVIDER`: a registered driver name or alias (`mock`, `elb`, ...)
//! - `LBCLOUD_OPTIONS`: driver options, `key=value,key=value`
//! - `LBCLOUD_REGION`, `LBCLOUD_ENDPOINT`: override the driver's own region
//!   and endpoint discovery (AWS drivers read `AWS_REGION`,
//!   `AWS_ENDPOINT_URL`, profiles, ... themselves)
//! - `LBCLOUD_MEMBERS`: `address:port` members for drivers that take addresses
//! - `LBCLOUD_INSTANCE_IDS`: instance ids for drivers whose members are instances
//! - `LBCLOUD_ZONES` / `LBCLOUD_SUBNETS`: where to place a new balancer
//!
//! Credentials are never copied from the environment into `Config`: each
//! driver finds its own (for AWS: environment with session token,
//! profiles, ...), so temporary credentials work.

#![allow(dead_code)]

use std::env;
use std::process::ExitCode;
use std::sync::Arc;

use lbcloud::{Balancer, Config, CreateBalancer, Driver, Error, Member, Result};

#[cfg(feature = "elb")]
mod elb;
#[cfg(feature = "elb")]
#[allow(unused_imports)] // only the elb_* examples use it
pub(crate) use elb::*;
#[cfg(feature = "elbv2")]
pub(crate) mod elbv2;

/// An environment variable, if set and not blank.
pub(crate) fn env_var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A comma-separated list from the environment.
pub(crate) fn list_from_env(name: &str) -> Vec<String> {
    env_var(name)
        .map(|v| {
            v.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Runs an example's body and turns its error into a message and a
/// failing exit code.
pub(crate) fn finish(name: &str, result: Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\n{name} failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `LBCLOUD_OPTIONS` (`key=value,key=value`) as pairs.
pub(crate) fn options_from_env() -> Result<Vec<(String, String)>> {
    list_from_env("LBCLOUD_OPTIONS")
        .into_iter()
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.trim().to_owned())),
            _ => Err(Error::invalid_input(
                "LBCLOUD_OPTIONS",
                format!("must be key=value pairs separated by commas, got {pair:?}"),
            )),
        })
        .collect()
}

/// Connects to the provider `LBCLOUD_PROVIDER` names (`mock` by default)
/// through the registry, as libcloud's `get_driver(Provider.X)(...)` does.
/// Returns the provider's name and the driver.
pub(crate) fn connect() -> Result<(String, Arc<dyn Driver>)> {
    let name = env_var("LBCLOUD_PROVIDER").unwrap_or_else(|| "mock".into());
    let mut config = Config::new();
    if let Some(region) = env_var("LBCLOUD_REGION") {
        config = config.region(region);
    }
    if let Some(endpoint) = env_var("LBCLOUD_ENDPOINT") {
        config = config.endpoint(endpoint);
    }
    for (key, value) in options_from_env()? {
        config = config.option(key, value);
    }
    let driver = lbcloud::get_driver_by_name(&name)?.connect(config)?;
    Ok((name, driver))
}

/// `count` members for a new balancer: `LBCLOUD_MEMBERS` or made-up
/// addresses where the driver takes addresses, else instance ids from
/// `LBCLOUD_INSTANCE_IDS`.
pub(crate) fn members(driver: &dyn Driver, count: usize) -> Result<Vec<Member>> {
    if driver.capabilities().member_by_address {
        let given = list_from_env("LBCLOUD_MEMBERS");
        if given.is_empty() {
            return Ok((0..count)
                .map(|i| Member::address(format!("10.0.0.{}", 11 + i), 8000 + 80 * (i as u16 % 2)))
                .collect());
        }
        if given.len() < count {
            return Err(Error::invalid_input(
                "LBCLOUD_MEMBERS",
                format!("give {count} address:port members, comma-separated"),
            ));
        }
        return given
            .iter()
            .take(count)
            .map(|spec| {
                let (ip, port) = spec.rsplit_once(':').ok_or_else(|| {
                    Error::invalid_input("LBCLOUD_MEMBERS", format!("{spec:?} is not address:port"))
                })?;
                Ok(Member::address(
                    ip,
                    lbcloud::validate::parse_port("LBCLOUD_MEMBERS", port)?,
                ))
            })
            .collect();
    }
    let ids = list_from_env("LBCLOUD_INSTANCE_IDS");
    if ids.len() < count {
        return Err(Error::invalid_input(
            "LBCLOUD_INSTANCE_IDS",
            format!(
                "`{}` names members by instance id; give {count}, comma-separated",
                driver.name()
            ),
        ));
    }
    Ok(ids.into_iter().take(count).map(Member::instance).collect())
}

/// Places a new balancer where the driver needs it: the subnets of
/// `LBCLOUD_SUBNETS` where given and supported, else the zones of
/// `LBCLOUD_ZONES` (or, on AWS, the region's zone `a`) where the driver
/// has zones. Drivers that need no placement (the mock, HAProxy) get none.
pub(crate) fn place(driver: &dyn Driver, request: CreateBalancer) -> Result<CreateBalancer> {
    let caps = driver.capabilities();
    let subnets = list_from_env("LBCLOUD_SUBNETS");
    if caps.subnets && !subnets.is_empty() {
        return Ok(request.subnets(subnets));
    }
    if !caps.zones {
        return Ok(request);
    }
    let mut zones = list_from_env("LBCLOUD_ZONES");
    if zones.is_empty()
        && let Some(region) = env_var("AWS_REGION").or_else(|| env_var("AWS_DEFAULT_REGION"))
    {
        zones.push(format!("{region}a"));
    }
    Ok(request.zones(zones))
}

/// One member in words.
pub(crate) fn show_member(m: &Member) -> String {
    let mut text = match (&m.ip, m.port) {
        (Some(ip), Some(port)) => format!("{} at {ip}:{port}", m.id),
        (None, Some(port)) => format!("{} port {port}", m.id),
        _ => m.id.clone(),
    };
    if let Some(w) = m.weight {
        text.push_str(&format!(", weight {w}"));
    }
    text.push_str(&format!(", {}", m.condition));
    text
}

/// One line about a balancer.
pub(crate) fn show(b: &Balancer) -> String {
    let listeners: Vec<String> = b.listeners.iter().map(ToString::to_string).collect();
    format!(
        "{} ({}, {}, listeners [{}])",
        b.name,
        b.state,
        b.ip.as_deref().unwrap_or("no address yet"),
        listeners.join(", ")
    )
}
