//! ELB only: deleting a policy a balancer no longer uses.
//!
//! Needs ELB or a moto server (see `examples/support/mod.rs`); it exits
//! with code 2 and says how when none is configured.
//!
//! ```text
//! LBCLOUD_PROVIDER=elb AWS_ENDPOINT_URL=http://127.0.0.1:5000 ... cargo run --example elb_delete_policy
//! ```

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;

use lbcloud::Driver;
use lbcloud::elb::model::PolicyAttribute;

const NAME: &str = "lbcloud-ex-delete-policy";

#[tokio::main]
async fn main() -> ExitCode {
    let driver = match support::connect_elb("elb_delete_policy") {
        Ok(d) => d,
        Err(code) => return code,
    };
    support::finish(
        "elb_delete_policy",
        async {
            let lb = support::fresh_elb_balancer(&driver, NAME).await?;
            driver
                .ex_create_balancer_policy(
                    &lb,
                    "proxy-protocol",
                    "ProxyProtocolPolicyType",
                    &[PolicyAttribute::new("ProxyProtocol", "true")],
                )
                .await?;
            let names = |ps: Vec<lbcloud::elb::model::Policy>| {
                ps.into_iter().map(|p| p.name).collect::<Vec<_>>()
            };
            println!(
                "Policies before: {:?}",
                names(driver.ex_list_balancer_policies(&lb).await?)
            );
            driver
                .ex_delete_balancer_policy(&lb, "proxy-protocol")
                .await?;
            println!("Deleted proxy-protocol");
            println!(
                "Policies after:  {:?}",
                names(driver.ex_list_balancer_policies(&lb).await?)
            );
            driver.destroy_balancer(&lb).await?;
            println!("Destroyed {NAME}");
            Ok(())
        }
        .await,
    )
}
