//! ELB only: enabling a stickiness policy on the listener of port 80, then
//! disabling it with an empty list (which is still sent to ELB).
//!
//! Needs ELB or a moto server (see `examples/support/mod.rs`); it exits
//! with code 2 and says how when none is configured.
//!
//! ```text
//! LBCLOUD_PROVIDER=elb AWS_ENDPOINT_URL=http://127.0.0.1:5000 ... cargo run --example elb_set_listener_policies
//! ```

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;
use std::time::Duration;

use lbcloud::Driver;
use lbcloud::elb::ElbDriver;

const NAME: &str = "lbcloud-ex-listener-policies";

async fn show_policies(driver: &ElbDriver, name: &str) -> lbcloud::Result<()> {
    for l in driver
        .ex_describe_balancer(name)
        .await?
        .listener_descriptions
    {
        println!(
            "  listener {}: policies {:?}",
            l.listener.port, l.policy_names
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let driver = match support::connect_elb("elb_set_listener_policies") {
        Ok(d) => d,
        Err(code) => return code,
    };
    support::finish(
        "elb_set_listener_policies",
        async {
            let lb = support::fresh_elb_balancer(&driver, NAME).await?;
            driver
                .ex_create_lb_cookie_stickiness_policy(
                    &lb,
                    "sticky-10m",
                    Some(Duration::from_secs(600)),
                )
                .await?;
            driver
                .ex_set_balancer_policies_listener(&lb, 80, &["sticky-10m"])
                .await?;
            println!("Enabled sticky-10m on port 80:");
            show_policies(&driver, &lb.name).await?;
            driver
                .ex_set_balancer_policies_listener::<&str>(&lb, 80, &[])
                .await?;
            println!("Disabled it with an empty list:");
            show_policies(&driver, &lb.name).await?;
            driver.destroy_balancer(&lb).await?;
            println!("Destroyed {NAME}");
            Ok(())
        }
        .await,
    )
}
