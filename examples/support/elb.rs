//! ELB-only set-up for the `elb_*` examples.

use std::process::ExitCode;

use lbcloud::elb::ElbDriver;
use lbcloud::{Balancer, Driver, Result};

use super::{env_var, show};

/// The region: `AWS_REGION`, else `us-east-1`.
pub(crate) fn region() -> String {
    env_var("AWS_REGION").unwrap_or_else(|| "us-east-1".into())
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
