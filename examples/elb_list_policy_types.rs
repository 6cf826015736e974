//! ELB only: listing the policy types ELB offers and the attributes each
//! accepts (name, type, default, cardinality).
//!
//! Needs ELB or a moto server (see `examples/support/mod.rs`); it exits
//! with code 2 and says how when none is configured. moto 5.2.5 does not
//! implement `DescribeLoadBalancerPolicyTypes` (it answers HTML 500): against
//! a local endpoint the example says so and stops without failing; the
//! method itself is tested on API-reference XML in
//! `crates/elb/tests/ext_unit.rs`.
//!
//! ```text
//! LBCLOUD_PROVIDER=elb AWS_ENDPOINT_URL=http://127.0.0.1:5000 ... cargo run --example elb_list_policy_types
//! ```

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;

use lbcloud::ErrorKind;

#[tokio::main]
async fn main() -> ExitCode {
    let driver = match support::connect_elb("elb_list_policy_types") {
        Ok(d) => d,
        Err(code) => return code,
    };
    match driver.ex_list_balancer_policy_types().await {
        Ok(types) => {
            println!("{} policy types:", types.len());
            for t in &types {
                println!("  {}", t.name);
                for a in &t.attributes {
                    println!(
                        "      {} ({}, {}{})",
                        a.name,
                        a.type_name,
                        a.cardinality
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_else(|| "?".into()),
                        a.default_value
                            .as_deref()
                            .map(|d| format!(", default {d}"))
                            .unwrap_or_default()
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(e)
            if support::is_local(&driver)
                && e.kind() == ErrorKind::Provider
                && e.status().is_some_and(|s| s >= 500) =>
        {
            println!(
                "The local ELB endpoint does not implement DescribeLoadBalancerPolicyTypes \
                 (HTTP {}); moto 5.2.5 lacks it.\nNothing to list here: against AWS this prints \
                 every policy type with its attributes.",
                e.status().unwrap_or(500)
            );
            ExitCode::SUCCESS
        }
        Err(e) => support::finish("elb_list_policy_types", Err(e)),
    }
}
