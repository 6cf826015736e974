//! The lbcloud tutorial, in the order of libcloud's ELB tutorial: connect
//! through the registry, list balancers, create one with two members, attach
//! and detach a member, set a health check, list members and their health,
//! and destroy it.
//!
//! It runs offline against the mock driver by default:
//!
//! ```text
//! cargo run --example tutorial
//! ```
//!
//! The provider and connection settings come from the environment, so the
//! same program runs against a real provider:
//!
//! - `LBCLOUD_PROVIDER`: `mock` (default) or `elb`
//! - `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION` (or
//!   `AWS_DEFAULT_REGION`); without them ELB uses the shared AWS files
//!   (`AWS_PROFILE`, `~/.aws/credentials`, `~/.aws/config`)
//! - `LBCLOUD_ENDPOINT` or `AWS_ENDPOINT_URL`: an endpoint override (a local moto server)
//! - `LBCLOUD_INSTANCE_IDS`: three comma-separated ids of running EC2
//!   instances, for providers whose members are instances (ELB rejects
//!   ids of instances that do not exist, so there is no made-up default)
//! - `LBCLOUD_ZONES`: comma-separated zones (default: the region plus `a`);
//!   use the zones the instances run in
//!
//! `scripts/test.sh` runs it against the mock and then against its moto
//! server, with instances it starts there first.

use std::env;
use std::process::ExitCode;

use lbcloud::{
    Balancer, Config, CreateBalancer, Driver, DriverExt, HealthCheck, Member, Protocol, Provider,
    Result,
};

/// The name of the balancer the tutorial creates.
const NAME: &str = "lbcloud-tutorial";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\ntutorial failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn env_var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn list_from_env(name: &str) -> Vec<String> {
    env_var(name)
        .map(|v| {
            v.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn show_balancer(b: &Balancer) -> String {
    let ports: Vec<String> = b.listeners.iter().map(ToString::to_string).collect();
    format!(
        "{} (id {}, {}, address {}, listeners [{}])",
        b.name,
        b.id,
        b.state,
        b.ip.as_deref().unwrap_or("-"),
        ports.join(", ")
    )
}

fn show_member(m: &Member) -> String {
    match (&m.ip, m.port) {
        (Some(ip), Some(port)) => format!("{} at {ip}:{port}", m.id),
        _ => m.id.clone(),
    }
}

async fn run() -> Result<()> {
    // 1. Creating a connection.
    let provider_name = env_var("LBCLOUD_PROVIDER").unwrap_or_else(|| "mock".into());
    let provider: Provider = provider_name.parse().map_err(|_| {
        lbcloud::Error::invalid_input(
            "LBCLOUD_PROVIDER",
            format!("must be `mock` or `elb`, got {provider_name:?}"),
        )
    })?;
    // With no region in the environment, ELB takes the one of the AWS
    // profile (`~/.aws/config`); the mock gets a made-up default.
    let region = env_var("AWS_REGION")
        .or_else(|| env_var("AWS_DEFAULT_REGION"))
        .or_else(|| (provider == Provider::Mock).then(|| "us-west-2".into()));
    let mut config = Config::new();
    if let Some(region) = &region {
        config = config.region(region);
    }
    if let Some(key) = env_var("AWS_ACCESS_KEY_ID") {
        config = config.key(key);
    }
    if let Some(secret) = env_var("AWS_SECRET_ACCESS_KEY") {
        config = config.secret(secret);
    }
    // Temporary credentials (from `aws sts ...` or a CI job) need their token.
    if let Some(token) = env_var("AWS_SESSION_TOKEN") {
        config = config.token(token);
    }
    if let Some(endpoint) = env_var("LBCLOUD_ENDPOINT").or_else(|| env_var("AWS_ENDPOINT_URL")) {
        config = config.endpoint(endpoint);
    }
    let driver = lbcloud::get_driver(provider)?.connect(config)?;
    match &region {
        Some(region) => println!("1. Connected to `{provider}` in {region}"),
        None => println!("1. Connected to `{provider}` (region from the AWS profile, if any)"),
    }
    let caps = driver.capabilities();
    let protocols: Vec<String> = driver
        .list_protocols()
        .iter()
        .map(ToString::to_string)
        .collect();
    println!("   connected; protocols: {}", protocols.join(", "));

    // 2. Getting existing load balancers.
    println!("\n2. Listing balancers");
    let existing = driver.list_balancers().await?;
    if existing.is_empty() {
        println!("   (none)");
    }
    for b in &existing {
        println!("   - {}", show_balancer(b));
    }
    if let Some(old) = driver.find_balancer_by_name(NAME).await? {
        println!("   removing {NAME} left over from an earlier run");
        driver.destroy_balancer(&old).await?;
    }

    // 3. Creating a load balancer with two members, on ports 8000 and 8080.
    // Providers differ in how members are named: by address (the mock) or
    // by compute instance id (ELB). The capabilities say which.
    let instance_ids = list_from_env("LBCLOUD_INSTANCE_IDS");
    let members: Vec<Member> = if caps.member_by_address {
        vec![
            Member::address("10.0.0.11", 8000),
            Member::address("10.0.0.12", 8080),
            Member::address("10.0.0.13", 8000),
        ]
    } else if instance_ids.len() >= 3 {
        instance_ids.iter().take(3).map(Member::instance).collect()
    } else {
        return Err(lbcloud::Error::invalid_input(
            "LBCLOUD_INSTANCE_IDS",
            format!("`{provider}` names members by instance id; give three, comma-separated"),
        ));
    };
    let (initial, extra) = members.split_at(2);
    let mut request = CreateBalancer::new(NAME, 80, Protocol::Http)
        .instance_port(8080)
        .members(initial.to_vec());
    if caps.zones {
        let mut zones = list_from_env("LBCLOUD_ZONES");
        if zones.is_empty() {
            let Some(region) = &region else {
                return Err(lbcloud::Error::invalid_input(
                    "LBCLOUD_ZONES",
                    "give the zones to create the balancer in, or set AWS_REGION to use its zone `a`",
                ));
            };
            zones.push(format!("{region}a"));
        }
        request = request.zones(zones);
    }
    println!(
        "\n3. Creating balancer {NAME} with {} members",
        initial.len()
    );
    let balancer = driver.create_balancer(request).await?;
    println!("   created {}", show_balancer(&balancer));

    // 4. Attaching and detaching a member.
    let third = extra.first().cloned().unwrap_or_default();
    println!("\n4. Attaching and detaching a member");
    let attached = driver.balancer_attach_member(&balancer, third).await?;
    println!("   attached {}", show_member(&attached));
    driver.balancer_detach_member(&balancer, &attached).await?;
    println!("   detached {}", show_member(&attached));

    // 5. Setting a health check: HTTP GET /health on port 8080 every 20 s.
    println!("\n5. Setting a health check");
    if caps.health_check {
        let check = HealthCheck::new("HTTP:8080/health")?
            .interval(20)
            .healthy_threshold(3)
            .unhealthy_threshold(5);
        let stored = driver.set_health_check(&balancer, check).await?;
        println!(
            "   {} every {} s, timeout {} s, healthy after {}, unhealthy after {}",
            stored.target,
            stored.interval_secs,
            stored.timeout_secs,
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
                Some(why) if why != "N/A" => format!("{} ({why})", h.condition),
                _ => h.condition.to_string(),
            })
            .unwrap_or_else(|| "health not reported".into());
        println!("   - {}: {state}", show_member(m));
    }

    // 7. Destroying the balancer.
    println!("\n7. Destroying {NAME}");
    driver.destroy_balancer(&balancer).await?;
    let left = driver.list_balancers().await?;
    println!("   destroyed; {} balancer(s) remain", left.len());
    println!("\nDone.");
    Ok(())
}
