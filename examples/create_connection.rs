//! Creating a connection: pick a provider from the registry and connect it
//! with credentials and a region, then ask what it supports.
//!
//! Runs offline against the mock by default; `LBCLOUD_PROVIDER=elb` with
//! `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION` (and
//! `AWS_ENDPOINT_URL` for a local moto server) connects to ELB instead.
//!
//! ```text
//! cargo run --example create_connection
//! ```

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    support::finish("create_connection", run().await)
}

async fn run() -> lbcloud::Result<()> {
    let (provider, driver) = support::connect()?;
    println!("Connected to `{provider}` (driver `{}`)", driver.name());
    let protocols: Vec<String> = driver
        .list_protocols()
        .iter()
        .map(ToString::to_string)
        .collect();
    println!("  protocols:  {}", protocols.join(", "));
    let algorithms: Vec<String> = driver
        .list_supported_algorithms()
        .iter()
        .map(ToString::to_string)
        .collect();
    println!("  algorithms: {}", algorithms.join(", "));
    let on: Vec<&str> = driver
        .capabilities()
        .flags()
        .filter_map(|(name, on)| on.then_some(name))
        .collect();
    println!("  capabilities: {}", on.join(", "));
    let limits = driver.limits();
    println!(
        "  names: up to {} characters; health checks every {:?} to {:?}",
        limits.name.max_len, limits.health_interval.min, limits.health_interval.max
    );
    Ok(())
}
