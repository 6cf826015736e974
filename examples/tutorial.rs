//! The lbcloud tutorial, in the order of libcloud's ELB tutorial: connect
//! through the registry, list balancers, create one with two members, attach
//! a member, drain it and detach it, set a health check, list members and
//! their health, and destroy it.
//!
//! It runs offline against the mock driver by default:
//!
//! ```text
//! cargo run --example tutorial
//! ```
//!
//! The same program runs unchanged against every provider; the connection
//! comes from the environment (see `examples/support/mod.rs`):
//!
//! - `LBCLOUD_PROVIDER`: `mock` (default), `elb`, or any registered driver
//! - `LBCLOUD_OPTIONS`: driver options, `key=value,key=value`
//! - AWS drivers find credentials, region and endpoint themselves
//!   (`AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`,
//!   `AWS_PROFILE`, `AWS_REGION`, `AWS_ENDPOINT_URL`, ...)
//! - `LBCLOUD_INSTANCE_IDS`: three comma-separated ids of running EC2
//!   instances, for providers whose members are instances (ELB rejects
//!   ids of instances that do not exist, so there is no made-up default)
//! - `LBCLOUD_MEMBERS`: three `address:port` members, for providers that
//!   take addresses and must reach them (a local HAProxy)
//! - `LBCLOUD_ZONES` or `LBCLOUD_SUBNETS`: where to create the balancer
//! - `LBCLOUD_PORT`: the balancer's port (default 80)
//!
//! `scripts/test.sh` runs it against the mock and against its moto server,
//! with instances it starts there first.

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;
use std::time::Duration;

use lbcloud::{CreateBalancer, DriverExt, HealthCheck, MemberCondition, Protocol, UpdateMember};

/// The name of the balancer the tutorial creates.
const NAME: &str = "lbcloud-tutorial";

#[tokio::main]
async fn main() -> ExitCode {
    support::finish("tutorial", run().await)
}

async fn run() -> lbcloud::Result<()> {
    // 1. Creating a connection.
    let (provider, driver) = support::connect()?;
    let caps = driver.capabilities();
    let protocols: Vec<String> = driver
        .list_protocols()
        .iter()
        .map(ToString::to_string)
        .collect();
    println!(
        "1. Connected to `{provider}`; protocols: {}",
        protocols.join(", ")
    );

    // 2. Getting existing load balancers.
    println!("\n2. Listing balancers");
    let existing = driver.list_balancers().await?;
    if existing.is_empty() {
        println!("   (none)");
    }
    for b in &existing {
        println!("   - {}", support::show(b));
    }
    if let Some(old) = driver.find_balancer_by_name(NAME).await? {
        println!("   removing {NAME} left over from an earlier run");
        driver.destroy_balancer(&old).await?;
    }

    // 3. Creating a load balancer with two members. Providers differ in
    // how members are named: by address (the mock, HAProxy) or by compute
    // instance id (ELB); the capabilities say which.
    let members = support::members(driver.as_ref(), 3)?;
    let (initial, more) = members.split_at(2);
    let port = match support::env_var("LBCLOUD_PORT") {
        Some(p) => lbcloud::validate::parse_port("LBCLOUD_PORT", &p)?,
        None => 80,
    };
    let request = CreateBalancer::new(NAME, port, Protocol::Http)
        .instance_port(8080)
        .members(initial.to_vec());
    let request = support::place(driver.as_ref(), request)?;
    println!(
        "\n3. Creating balancer {NAME} with {} members",
        initial.len()
    );
    let balancer = driver.create_balancer(request).await?;
    println!("   created {}", support::show(&balancer));

    // 4. Attaching a member, draining it where the provider can, and
    // detaching it.
    println!("\n4. Attaching, draining and detaching a member");
    let third = more.first().cloned().unwrap_or_default();
    let attached = driver.balancer_attach_member(&balancer, third).await?;
    println!("   attached {}", support::show_member(&attached));
    if caps.member_condition {
        let drained = driver
            .balancer_update_member(
                &balancer,
                &attached,
                UpdateMember::new().condition(MemberCondition::Draining),
            )
            .await?;
        println!("   drained {}", support::show_member(&drained));
    }
    driver.balancer_detach_member(&balancer, &attached).await?;
    println!("   detached {}", attached.id);

    // 5. Setting a health check: HTTP GET /health on each member's port
    // every 20 s, healthy after 3 successes, unhealthy after 5 failures.
    println!("\n5. Setting a health check");
    if caps.health_check {
        let check = HealthCheck::http(None, "/health")
            .interval(Duration::from_secs(20))
            .healthy_threshold(3)
            .unhealthy_threshold(5);
        let stored = driver.set_health_check(&balancer, check).await?;
        println!(
            "   {} {} on {} every {:?}, timeout {:?}, healthy after {}, unhealthy after {}",
            stored.protocol,
            stored.effective_path(),
            stored
                .port
                .map_or_else(|| "each member's port".to_owned(), |p| format!("port {p}")),
            stored.interval,
            stored.timeout,
            stored.healthy_threshold,
            stored.unhealthy_threshold
        );
    } else {
        println!("   (`{provider}` has no health checks)");
    }

    // 6. Listing members and their health.
    println!("\n6. Members and their health");
    let members = driver.balancer_list_members(&balancer).await?;
    let health = if caps.member_health {
        driver.balancer_member_health(&balancer).await?
    } else {
        Vec::new()
    };
    for m in &members {
        let state = health
            .iter()
            .find(|h| h.member_id == m.id)
            .map(|h| match h.description.as_deref() {
                // moto says `N/A` where AWS says nothing.
                Some(why) if why != "N/A" => format!("{} ({why})", h.state),
                _ => h.state.to_string(),
            })
            .unwrap_or_else(|| "health not reported".into());
        println!("   - {}: {state}", support::show_member(m));
    }

    // 7. Destroying the balancer.
    println!("\n7. Destroying {NAME}");
    driver.destroy_balancer(&balancer).await?;
    let left = driver.list_balancers().await?;
    println!("   destroyed; {} balancer(s) remain", left.len());
    println!("\nDone.");
    Ok(())
}
