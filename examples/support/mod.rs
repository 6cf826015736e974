//! Shared set-up of the examples (not an example itself): connecting to the
//! provider named by `LBCLOUD_PROVIDER` (the mock by default), or, for the
//! ELB-only examples (`elb_*.rs`), to ELB itself.

#![allow(dead_code)]

use std::env;
use std::process::ExitCode;
use std::sync::Arc;

use lbcloud::elb::ElbDriver;
use lbcloud::{Balancer, Config, Driver, Error, Member, Provider, Result};

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

/// The region: `AWS_REGION`, else `us-east-1`.
pub(crate) fn region() -> String {
    env_var("AWS_REGION").unwrap_or_else(|| "us-east-1".into())
}

/// Connects to the provider `LBCLOUD_PROVIDER` names (`mock` by default)
/// through the registry, with credentials, region and endpoint from the
/// environment, as libcloud's `get_driver(Provider.X)(key, secret)` does.
pub(crate) fn connect() -> Result<(Provider, Arc<dyn Driver>)> {
    let name = env_var("LBCLOUD_PROVIDER").unwrap_or_else(|| "mock".into());
    let provider: Provider = name.parse().map_err(|_| {
        Error::invalid_input(
            "LBCLOUD_PROVIDER",
            format!("must be `mock` or `elb`, got {name:?}"),
        )
    })?;
    let mut config = Config::new().region(region());
    if let Some(key) = env_var("AWS_ACCESS_KEY_ID") {
        config = config.key(key);
    }
    if let Some(secret) = env_var("AWS_SECRET_ACCESS_KEY") {
        config = config.secret(secret);
    }
    if let Some(endpoint) = env_var("LBCLOUD_ENDPOINT").or_else(|| env_var("AWS_ENDPOINT_URL")) {
        config = config.endpoint(endpoint);
    }
    let driver = lbcloud::get_driver(provider)?.connect(config)?;
    Ok((provider, driver))
}

/// Members for a new balancer: addresses where the provider takes them (the
/// mock), else instance ids from `LBCLOUD_INSTANCE_IDS`.
pub(crate) fn members(driver: &dyn Driver, count: usize) -> Result<Vec<Member>> {
    if driver.capabilities().member_by_address {
        return Ok((0..count)
            .map(|i| Member::address(format!("10.0.0.{}", 11 + i), 8080))
            .collect());
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

/// The ELB driver for an ELB-only example, or a clear message and exit
/// code 2 when nothing says where ELB is: credentials are required
/// (`AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, or `AWS_PROFILE`), and
/// `LBCLOUD_PROVIDER`, when set, must be `elb`.
pub(crate) fn connect_elb(example: &str) -> std::result::Result<ElbDriver, ExitCode> {
    let usage = || {
        eprintln!(
            "{example} talks to AWS Elastic Load Balancing, which the mock cannot stand in for.\n\
             Run it against AWS or a local moto server, for example:\n\n  \
             LBCLOUD_PROVIDER=elb AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \\\n  \
             AWS_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:5000 \\\n  \
             cargo run --example {example}\n\n\
             (./scripts/test.sh does this with its moto server.)"
        );
        ExitCode::from(2)
    };
    match env_var("LBCLOUD_PROVIDER").as_deref() {
        None | Some("elb") => {}
        Some(other) => {
            eprintln!("{example}: LBCLOUD_PROVIDER is {other:?}, but this example is ELB-only.\n");
            return Err(usage());
        }
    }
    let has_keys =
        env_var("AWS_ACCESS_KEY_ID").is_some() && env_var("AWS_SECRET_ACCESS_KEY").is_some();
    if !has_keys && env_var("AWS_PROFILE").is_none() {
        eprintln!("{example}: no AWS credentials are configured.\n");
        return Err(usage());
    }
    let mut builder = ElbDriver::builder().region(region());
    if let Some(endpoint) = env_var("LBCLOUD_ENDPOINT") {
        builder = builder.endpoint(endpoint);
    }
    match builder.build() {
        Ok(driver) => {
            println!(
                "Connected to ELB in {} at {}",
                driver.region(),
                driver.endpoint()
            );
            Ok(driver)
        }
        Err(e) => {
            eprintln!("{example}: cannot configure the ELB driver: {e}\n");
            Err(usage())
        }
    }
}

/// Whether the driver talks to an endpoint override (a local emulator
/// such as moto) rather than AWS itself.
pub(crate) fn is_local(driver: &ElbDriver) -> bool {
    driver.endpoint().starts_with("http://127.0.0.1")
        || driver.endpoint().starts_with("http://localhost")
}

/// Creates a fresh balancer named `name` for an ELB example (HTTP 80 ->
/// 8080 in the region's first zone), removing one left from an earlier run.
pub(crate) async fn fresh_elb_balancer(driver: &ElbDriver, name: &str) -> Result<Balancer> {
    if let Ok(old) = driver.get_balancer(name).await {
        println!("Removing {name}, left over from an earlier run");
        driver.destroy_balancer(&old).await?;
    }
    let zone = env_var("LBCLOUD_ZONES")
        .and_then(|z| z.split(',').next().map(|s| s.trim().to_owned()))
        .unwrap_or_else(|| format!("{}a", driver.region()));
    let lb = driver
        .create_balancer(
            lbcloud::CreateBalancer::new(name, 80, lbcloud::Protocol::Http)
                .instance_port(8080)
                .zones([zone]),
        )
        .await?;
    println!("Created balancer {}", show(&lb));
    Ok(lb)
}
