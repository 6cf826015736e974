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
    let caps = driver.capabilities();
    println!(
        "  members by address: {}, by instance id: {}, health checks: {}, zones: {}",
        caps.member_by_address, caps.member_by_instance, caps.health_check, caps.zones
    );
    Ok(())
}
