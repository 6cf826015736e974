//! Listing balancers: every balancer the account has, page after page.
//!
//! Runs offline against the mock by default (where it first creates two
//! balancers, so there is something to list); `LBCLOUD_PROVIDER=elb` lists
//! the balancers of an ELB account or moto server instead.
//!
//! ```text
//! cargo run --example list_balancers
//! ```

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;

use lbcloud::{CreateBalancer, Protocol};

#[tokio::main]
async fn main() -> ExitCode {
    support::finish("list_balancers", run().await)
}

async fn run() -> lbcloud::Result<()> {
    let (provider, driver) = support::connect()?;
    if driver.name() == "mock" {
        // The mock starts empty: give it something to list.
        for (name, port) in [("web", 80), ("api", 8080)] {
            driver
                .create_balancer(CreateBalancer::new(name, port, Protocol::Http))
                .await?;
        }
    }
    let balancers = driver.list_balancers().await?;
    println!("{} balancer(s) on `{provider}`:", balancers.len());
    for b in &balancers {
        println!("  - {}", support::show(b));
    }
    Ok(())
}
