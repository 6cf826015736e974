//! A rolling deploy on HAProxy: shift weight, drain one member at a time,
//! take it out and put it back, all at run time without a reload.
//!
//! ```sh
//! ./scripts/haproxy-demo.sh     # in one shell; then, with its LBCLOUD_OPTIONS:
//! cargo run -p lbcloud-haproxy --example haproxy_rolling_deploy
//! ```

mod support;

use std::collections::BTreeMap;
use std::process::ExitCode;

use lbcloud_core::{Algorithm, CreateBalancer, MemberCondition, Protocol, UpdateMember};

fn spread(port: u16, n: usize) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for _ in 0..n {
        *seen.entry(support::fetch(port)).or_insert(0) += 1;
    }
    seen
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let (driver, port) = match support::driver() {
        Ok(d) => (d, support::free_port()),
        Err(code) => return code,
    };
    let members = support::backends();
    let run = async {
        let lb = driver
            .create_balancer(
                CreateBalancer::new("rolling", port, Protocol::Http)
                    .algorithm(Algorithm::WeightedRoundRobin)
                    .members(members.clone()),
            )
            .await?;
        println!("even:            {:?}", spread(port, 12));
        for m in &members {
            driver
                .balancer_update_member(
                    &lb,
                    m,
                    UpdateMember::new().condition(MemberCondition::Draining),
                )
                .await?;
            println!(
                "port {} drained: {:?}",
                m.port.unwrap_or_default(),
                spread(port, 6)
            );
            // ... deploy the new version on it here ...
            driver
                .balancer_update_member(
                    &lb,
                    m,
                    UpdateMember::new().condition(MemberCondition::Enabled),
                )
                .await?;
        }
        if let Some(first) = members.first() {
            driver
                .balancer_update_member(&lb, first, UpdateMember::new().weight(3))
                .await?;
            println!("first weight 3:  {:?}", spread(port, 10));
        }
        driver.destroy_balancer(&lb).await
    };
    match run.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rolling deploy failed: {e}");
            ExitCode::FAILURE
        }
    }
}
