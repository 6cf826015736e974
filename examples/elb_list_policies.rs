//! ELB only: listing the policies of a balancer, with their types and
//! attributes (two stickiness policies and a ProxyProtocol policy here).
//!
//! Needs ELB or a moto server (see `examples/support/mod.rs`); it exits
//! with code 2 and says how when none is configured.
//!
//! ```text
//! LBCLOUD_PROVIDER=elb AWS_ENDPOINT_URL=http://127.0.0.1:5000 ... cargo run --example elb_list_policies
//! ```

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;
use std::time::Duration;

use lbcloud::Driver;
use lbcloud::elb::model::PolicyAttribute;

const NAME: &str = "lbcloud-ex-list-policies";

#[tokio::main]
async fn main() -> ExitCode {
    let driver = match support::connect_elb("elb_list_policies") {
        Ok(d) => d,
        Err(code) => return code,
    };
    support::finish(
        "elb_list_policies",
        async {
            let lb = support::fresh_elb_balancer(&driver, NAME).await?;
            driver
                .ex_create_lb_cookie_stickiness_policy(
                    &lb,
                    "sticky-1h",
                    Some(Duration::from_secs(3600)),
                )
                .await?;
            driver
                .ex_create_app_cookie_stickiness_policy(&lb, "sticky-app", "SESSIONID")
                .await?;
            driver
                .ex_create_balancer_policy(
                    &lb,
                    "proxy-protocol",
                    "ProxyProtocolPolicyType",
                    &[PolicyAttribute::new("ProxyProtocol", "true")],
                )
                .await?;
            let policies = driver.ex_list_balancer_policies(&lb).await?;
            println!("{} has {} policies:", lb.name, policies.len());
            for p in &policies {
                let attrs: Vec<String> = p
                    .attributes
                    .iter()
                    .map(|a| format!("{}={}", a.name, a.value))
                    .collect();
                println!(
                    "  - {:<16} {:<28} {}",
                    p.name,
                    p.type_name,
                    attrs.join(", ")
                );
            }
            driver.destroy_balancer(&lb).await?;
            println!("Destroyed {NAME}");
            Ok(())
        }
        .await,
    )
}
