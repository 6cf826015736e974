//! ELB only: the classic ELB walk-through, step by step — a balancer in
//! zones `us-east-1a` and `us-east-1b` with HTTP 80 -> 8080 and TCP 443 ->
//! 8443, a health check `HTTP:8080/health` every 20 s (healthy after 3,
//! unhealthy after 5), two instances registered then deregistered, one zone
//! disabled and another enabled, and the balancer deleted.
//!
//! Needs ELB or a moto server (see `examples/support/mod.rs`); it exits
//! with code 2 and says how when none is configured. The instances come
//! from `LBCLOUD_INSTANCE_IDS` (two, comma-separated); without it two
//! example ids are used, which a local moto server accepts and AWS does not.
//!
//! ```text
//! LBCLOUD_PROVIDER=elb AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
//!   AWS_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:5000 \
//!   cargo run --example elb_boto_tutorial
//! ```

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;

use lbcloud::elb::ElbDriver;
use lbcloud::{CreateBalancer, Driver, HealthCheck, Listener, Member, Protocol, Result};

const NAME: &str = "lbcloud-ex-walkthrough";
const ZONES: [&str; 2] = ["us-east-1a", "us-east-1b"];
const OTHER_ZONE: &str = "us-east-1c";

#[tokio::main]
async fn main() -> ExitCode {
    let driver = match support::connect_elb("elb_boto_tutorial") {
        Ok(d) => d,
        Err(code) => return code,
    };
    support::finish("elb_boto_tutorial", run(&driver).await)
}

async fn run(driver: &ElbDriver) -> Result<()> {
    if let Ok(old) = driver.get_balancer(NAME).await {
        println!("Removing {NAME}, left over from an earlier run");
        driver.destroy_balancer(&old).await?;
    }

    println!("\n1. Creating {NAME} in {}", ZONES.join(" and "));
    let request = CreateBalancer::new(NAME, 80, Protocol::Http)
        .instance_port(8080)
        .listener(Listener::new(443, Protocol::Tcp, 8443))
        .zones(ZONES);
    let lb = driver.create_balancer(request).await?;
    println!("   DNS name: {}", lb.ip.as_deref().unwrap_or("-"));
    for l in &lb.listeners {
        println!("   listener {l}");
    }

    println!("\n2. Configuring the health check");
    let check = HealthCheck::new("HTTP:8080/health")?
        .interval(std::time::Duration::from_secs(20))
        .healthy_threshold(3)
        .unhealthy_threshold(5);
    let stored = driver.set_health_check(&lb, check).await?;
    println!(
        "   {} every {:?}, timeout {:?}, healthy after {}, unhealthy after {}",
        stored.target().unwrap_or_default(),
        stored.interval,
        stored.timeout,
        stored.healthy_threshold,
        stored.unhealthy_threshold
    );

    let mut ids = support::list_from_env("LBCLOUD_INSTANCE_IDS");
    if ids.len() < 2 {
        ids = vec!["i-0a1b2c3d4e5f60001".into(), "i-0a1b2c3d4e5f60002".into()];
    }
    ids.truncate(2);
    let members: Vec<Member> = ids.iter().map(Member::instance).collect();
    println!("\n3. Registering {}", ids.join(" and "));
    driver.balancer_attach_members(&lb, members.clone()).await?;
    let now: Vec<String> = driver
        .balancer_list_members(&lb)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    println!("   registered instances: {}", now.join(", "));
    let health = driver.ex_describe_instance_health(&lb, &ids).await?;
    if health.is_empty() {
        println!("   (the server reported no health for them)");
    }
    for s in health {
        println!(
            "   {}: {} ({})",
            s.instance_id,
            s.state,
            s.description.as_deref().unwrap_or("no detail")
        );
    }

    println!("\n4. Deregistering them");
    driver.balancer_detach_members(&lb, &members).await?;
    let left = driver.balancer_list_members(&lb).await?;
    println!("   {} instance(s) still registered", left.len());

    println!("\n5. Disabling {} and enabling {OTHER_ZONE}", ZONES[0]);
    let zones = driver
        .ex_disable_availability_zones(&lb, &[ZONES[0]])
        .await?;
    println!("   after disabling: {}", zones.join(", "));
    let zones = driver
        .ex_enable_availability_zones(&lb, &[OTHER_ZONE])
        .await?;
    println!("   after enabling:  {}", zones.join(", "));

    println!("\n6. Deleting {NAME}");
    driver.destroy_balancer(&lb).await?;
    println!(
        "   deleted; {} balancer(s) remain",
        driver.list_balancers().await?.len()
    );
    Ok(())
}
