//! A balancer over three local backends on HAProxy, with an HTTP health
//! check and member health, in the tutorial's style.
//!
//! ```sh
//! ./scripts/haproxy-demo.sh     # in one shell; then, with its LBCLOUD_OPTIONS:
//! cargo run -p lbcloud-haproxy --example haproxy_quickstart
//! ```

mod support;

use std::process::ExitCode;
use std::time::Duration;

use lbcloud_core::{CreateBalancer, HealthCheck, Protocol};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let (driver, port) = match support::driver() {
        Ok(d) => (d, support::free_port()),
        Err(code) => return code,
    };
    let members = support::backends();
    let check = HealthCheck::http(None, "/health")
        .interval(Duration::from_millis(500))
        .timeout(Duration::from_millis(400))
        .healthy_threshold(1)
        .unhealthy_threshold(2);
    let lb = match driver
        .create_balancer(
            CreateBalancer::new("quickstart", port, Protocol::Http)
                .members(members)
                .health_check(check),
        )
        .await
    {
        Ok(lb) => lb,
        Err(e) => {
            eprintln!("create_balancer: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "balancer {} on 127.0.0.1:{port}, algorithm {:?}",
        lb.name, lb.algorithm
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    for h in driver.balancer_member_health(&lb).await.unwrap_or_default() {
        println!(
            "  {:<22} {:?} ({})",
            h.member_id,
            h.state,
            h.provider_state.unwrap_or_default()
        );
    }
    for _ in 0..6 {
        println!("  GET / -> {}", support::fetch(port));
    }
    if let Err(e) = driver.destroy_balancer(&lb).await {
        eprintln!("destroy_balancer: {e}");
        return ExitCode::FAILURE;
    }
    println!("destroyed {}", lb.name);
    ExitCode::SUCCESS
}
