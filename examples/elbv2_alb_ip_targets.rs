//! ELBv2: an Application Load Balancer with two IP targets, on ports 8000
//! and 8080, and an HTTP health check, through the provider-neutral
//! `Driver` (`create_balancer` makes the load balancer, its target group,
//! the targets and the listener, and undoes them all on a failure).
//!
//! Needs AWS or a moto server and `LBCLOUD_SUBNETS` (see
//! `examples/support/elbv2.rs`); exits with code 2 and says how otherwise.

#[path = "support/mod.rs"]
mod support;

use support::elbv2;

use std::process::ExitCode;
use std::time::Duration;

use lbcloud::{CreateBalancer, Driver, HealthCheck, Member, Protocol};

const NAME: &str = "lbcloud-ex-alb";

#[tokio::main]
async fn main() -> ExitCode {
    let driver = match elbv2::connect("elbv2_alb_ip_targets") {
        Ok(d) => d,
        Err(code) => return code,
    };
    support::finish(
        "elbv2_alb_ip_targets",
        async {
            elbv2::clean(&driver, &[NAME]).await?;
            let lb = driver
                .create_balancer(
                    CreateBalancer::new(NAME, 80, Protocol::Http)
                        .instance_port(8000)
                        .member(Member::address("10.0.1.10", 8000))
                        .member(Member::address("10.0.1.11", 8080))
                        .health_check(
                            HealthCheck::http(None, "/health")
                                .interval(Duration::from_secs(10))
                                .timeout(Duration::from_secs(5)),
                        ),
                )
                .await?;
            println!("created {} at {}", lb.name, lb.ip.as_deref().unwrap_or("?"));
            for m in driver.balancer_list_members(&lb).await? {
                println!("  target {}", m.id);
            }
            for h in driver.balancer_member_health(&lb).await? {
                println!(
                    "  {} is {:?} ({})",
                    h.member_id,
                    h.state,
                    h.provider_state.unwrap_or_default()
                );
            }
            driver.destroy_balancer(&lb).await?;
            println!("destroyed {NAME}");
            Ok(())
        }
        .await,
    )
}
