//! ELB only: enabling a policy on a back-end server port (ProxyProtocol on
//! instance port 8080), then disabling it again with an empty list.
//!
//! Needs ELB or a moto server (see `examples/support/mod.rs`); it exits
//! with code 2 and says how when none is configured.
//!
//! ```text
//! LBCLOUD_PROVIDER=elb AWS_ENDPOINT_URL=http://127.0.0.1:5000 ... cargo run --example elb_set_backend_policies
//! ```

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;

use lbcloud::Driver;
use lbcloud::elb::ElbDriver;
use lbcloud::elb::model::PolicyAttribute;

const NAME: &str = "lbcloud-ex-backend-policies";

async fn show_backends(driver: &ElbDriver, name: &str) -> lbcloud::Result<()> {
    let desc = driver.ex_describe_balancer(name).await?;
    if desc.backend_server_descriptions.is_empty() {
        println!("  no back-end server policies");
    }
    for b in &desc.backend_server_descriptions {
        println!("  instance port {}: {:?}", b.instance_port, b.policy_names);
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let driver = match support::connect_elb("elb_set_backend_policies") {
        Ok(d) => d,
        Err(code) => return code,
    };
    support::finish(
        "elb_set_backend_policies",
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
            driver
                .ex_set_balancer_policies_backend_server(&lb, 8080, &["proxy-protocol"])
                .await?;
            println!("Enabled proxy-protocol on instance port 8080:");
            show_backends(&driver, &lb.name).await?;
            driver
                .ex_set_balancer_policies_backend_server::<&str>(&lb, 8080, &[])
                .await?;
            println!("Disabled it with an empty policy list:");
            show_backends(&driver, &lb.name).await?;
            driver.destroy_balancer(&lb).await?;
            println!("Destroyed {NAME}");
            Ok(())
        }
        .await,
    )
}
