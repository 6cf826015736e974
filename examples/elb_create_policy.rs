//! ELB only: creating a load-balancer policy — a `ProxyProtocolPolicyType`
//! policy with `ProxyProtocol=true` — and reading it back.
//!
//! Needs ELB or a moto server (see `examples/support/mod.rs`); it exits
//! with code 2 and says how when none is configured.
//!
//! ```text
//! LBCLOUD_PROVIDER=elb AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
//!   AWS_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:5000 \
//!   cargo run --example elb_create_policy
//! ```

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;

use lbcloud::Driver;
use lbcloud::elb::model::PolicyAttribute;

const NAME: &str = "lbcloud-ex-create-policy";

#[tokio::main]
async fn main() -> ExitCode {
    let driver = match support::connect_elb("elb_create_policy") {
        Ok(d) => d,
        Err(code) => return code,
    };
    support::finish(
        "elb_create_policy",
        async {
            let lb = support::fresh_elb_balancer(&driver, NAME).await?;
            let policy = driver
                .ex_create_balancer_policy(
                    &lb,
                    "proxy-protocol",
                    "ProxyProtocolPolicyType",
                    &[PolicyAttribute::new("ProxyProtocol", "true")],
                )
                .await?;
            println!(
                "Created policy {} of type {}",
                policy.name, policy.type_name
            );
            for p in driver.ex_list_balancer_policies(&lb).await? {
                let attrs: Vec<String> = p
                    .attributes
                    .iter()
                    .map(|a| format!("{}={}", a.name, a.value))
                    .collect();
                println!("  {} ({}): {}", p.name, p.type_name, attrs.join(", "));
            }
            driver.destroy_balancer(&lb).await?;
            println!("Destroyed {NAME}");
            Ok(())
        }
        .await,
    )
}
