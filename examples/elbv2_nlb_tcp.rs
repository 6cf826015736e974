//! ELBv2: a Network Load Balancer with a TCP listener, chosen by the
//! listener's protocol, through the provider-neutral `Driver`.
//!
//! Needs AWS or a moto server and `LBCLOUD_SUBNETS` (see
//! `examples/support/elbv2.rs`).

#[path = "support/mod.rs"]
mod support;

use support::elbv2;

use std::process::ExitCode;
use std::time::Duration;

use lbcloud::{CreateBalancer, Driver, HealthCheck, Member, Protocol};

const NAME: &str = "lbcloud-ex-nlb";

#[tokio::main]
async fn main() -> ExitCode {
    let driver = match elbv2::connect("elbv2_nlb_tcp") {
        Ok(d) => d,
        Err(code) => return code,
    };
    support::finish(
        "elbv2_nlb_tcp",
        async {
            elbv2::clean(&driver, &[NAME]).await?;
            let lb = driver
                .create_balancer(
                    CreateBalancer::new(NAME, 5432, Protocol::Tcp)
                        .member(Member::address("10.0.1.20", 5432))
                        .health_check(
                            HealthCheck::tcp(None)
                                .interval(Duration::from_secs(10))
                                .timeout(Duration::from_secs(5)),
                        ),
                )
                .await?;
            let kind: Option<String> = lb.extra.get("type");
            println!(
                "created {} ({}) at {}",
                lb.name,
                kind.unwrap_or_default(),
                lb.ip.as_deref().unwrap_or("?")
            );
            for l in &lb.listeners {
                println!("  {} {} -> {}", l.protocol, l.port, l.instance_port);
            }
            driver.destroy_balancer(&lb).await?;
            println!("destroyed {NAME}");
            Ok(())
        }
        .await,
    )
}
