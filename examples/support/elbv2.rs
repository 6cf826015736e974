//! ELBv2-only set-up for the `elbv2_*` examples: the ELBv2 driver from the standard
//! AWS environment, the subnets to place balancers in (`LBCLOUD_SUBNETS`,
//! comma-separated), and a clean start.

#![allow(dead_code)]

use std::process::ExitCode;

use lbcloud::Result;
use lbcloud_elbv2::Elbv2Driver;
use lbcloud_elbv2::model::{CreateLoadBalancerInput, LoadBalancer};

/// The driver, or a clear message and exit code 2 when nothing says where
/// ELBv2 is (credentials, and `LBCLOUD_SUBNETS` for the subnets).
pub(crate) fn connect(example: &str) -> std::result::Result<Elbv2Driver, ExitCode> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let usage = |why: &str| {
        eprintln!(
            "{example}: {why}.\n{example} talks to AWS ELBv2, which the mock cannot stand in for. \
             Run it against AWS or a local moto server, for example:\n\n  \
             AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \\\n  \
             AWS_ENDPOINT_URL=http://127.0.0.1:5000 LBCLOUD_SUBNETS=subnet-1,subnet-2 \\\n  \
             cargo run --features elbv2 --example {example}\n"
        );
        ExitCode::from(2)
    };
    if var("AWS_ACCESS_KEY_ID").is_none() && var("AWS_PROFILE").is_none() {
        return Err(usage("no AWS credentials are set"));
    }
    let Some(subnets) = var("LBCLOUD_SUBNETS") else {
        return Err(usage("LBCLOUD_SUBNETS is not set"));
    };
    let subnets: Vec<String> = subnets
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let mut builder = Elbv2Driver::builder().subnets(subnets);
    if var("AWS_REGION").is_none() && var("AWS_DEFAULT_REGION").is_none() {
        builder = builder.region("us-east-1");
    }
    builder.build().map_err(|e| usage(&e.to_string()))
}

/// Deletes what an earlier run of the example left under `name`: the load
/// balancer (with its listeners) and target groups named `name*`.
pub(crate) async fn clean(driver: &Elbv2Driver, names: &[&str]) -> Result<()> {
    use lbcloud_elbv2::request::TargetGroupFilter;
    for name in names {
        if let Some(lb) = driver.ex_find_load_balancer(name).await? {
            for l in driver.ex_list_listeners(&lb.arn).await? {
                driver.ex_delete_listener(&l.arn).await?;
            }
            driver.ex_delete_load_balancer(&lb.arn).await?;
        }
    }
    for tg in driver.ex_list_target_groups(TargetGroupFilter::All).await? {
        if names.iter().any(|n| tg.name.starts_with(n)) {
            driver.ex_delete_target_group(&tg.arn).await?;
        }
    }
    Ok(())
}

/// A new Application Load Balancer named `name` in the driver's subnets,
/// after cleaning up what an earlier run left under `names`.
pub(crate) async fn fresh_load_balancer(
    driver: &Elbv2Driver,
    name: &str,
    names: &[&str],
) -> Result<LoadBalancer> {
    clean(driver, names).await?;
    let subnets = driver.default_subnets().to_vec();
    driver
        .ex_create_load_balancer(&CreateLoadBalancerInput::new(name).subnets(subnets))
        .await
}
