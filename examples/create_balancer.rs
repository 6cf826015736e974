//! Creating a balancer with members: HTTP on port 80 to members on 8080,
//! then listing its members.
//!
//! Runs offline against the mock by default (members by address). With
//! `LBCLOUD_PROVIDER=elb`, members are EC2 instances: give two ids in
//! `LBCLOUD_INSTANCE_IDS`.
//!
//! ```text
//! cargo run --example create_balancer
//! ```

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;

use lbcloud::{CreateBalancer, Protocol};

const NAME: &str = "lbcloud-example-members";

#[tokio::main]
async fn main() -> ExitCode {
    support::finish("create_balancer", run().await)
}

async fn run() -> lbcloud::Result<()> {
    let (provider, driver) = support::connect()?;
    let members = support::members(driver.as_ref(), 2)?;
    let request = CreateBalancer::new(NAME, 80, Protocol::Http)
        .instance_port(8080)
        .members(members);
    let request = support::place(driver.as_ref(), request)?;
    println!("Creating {NAME} on `{provider}` with 2 members");
    let lb = driver.create_balancer(request).await?;
    println!("  created {}", support::show(&lb));
    for m in driver.balancer_list_members(&lb).await? {
        println!("  member {}", support::show_member(&m));
    }
    driver.destroy_balancer(&lb).await?;
    println!("Destroyed {NAME}");
    Ok(())
}
