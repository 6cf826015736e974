//! ELBv2: blue/green with a weighted forward: 90/10 between two target
//! groups, then 0/100, with `ex_` methods.
//!
//! Needs AWS or a moto server and `LBCLOUD_SUBNETS` (see
//! `examples/support/elbv2.rs`).

#[path = "support/mod.rs"]
mod support;

use support::elbv2;

use std::process::ExitCode;

use lbcloud_elbv2::Elbv2Driver;
use lbcloud_elbv2::model::{
    Action, CreateListenerInput, CreateTargetGroupInput, Elbv2Protocol, ModifyListenerInput,
};

const NAME: &str = "lbcloud-ex-bg";
const GREEN: &str = "lbcloud-ex-bg-green";

async fn show(driver: &Elbv2Driver, listener: &str) -> lbcloud::Result<()> {
    let l = driver.ex_get_listener(listener).await?;
    for a in &l.default_actions {
        for g in a.forward.iter().flat_map(|f| &f.target_groups) {
            let name = g.target_group_arn.rsplit(':').next().unwrap_or_default();
            println!("  {name}: weight {}", g.weight.unwrap_or(1));
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let driver = match elbv2::connect("elbv2_blue_green") {
        Ok(d) => d,
        Err(code) => return code,
    };
    support::finish(
        "elbv2_blue_green",
        async {
            let lb = elbv2::fresh_load_balancer(&driver, NAME, &[NAME]).await?;
            let vpc = lb.vpc_id.clone().unwrap_or_default();
            let blue = driver
                .ex_create_target_group(&CreateTargetGroupInput::new(
                    NAME,
                    Elbv2Protocol::Http,
                    8000,
                    &vpc,
                ))
                .await?;
            let green = driver
                .ex_create_target_group(&CreateTargetGroupInput::new(
                    GREEN,
                    Elbv2Protocol::Http,
                    8000,
                    &vpc,
                ))
                .await?;
            let listener = driver
                .ex_create_listener(&CreateListenerInput::new(
                    &lb.arn,
                    Elbv2Protocol::Http,
                    80,
                    Action::weighted_forward([(&blue.arn, 90), (&green.arn, 10)]),
                ))
                .await?;
            println!("canary:");
            show(&driver, &listener.arn).await?;
            let all_green = ModifyListenerInput {
                default_actions: vec![Action::weighted_forward([
                    (&blue.arn, 0),
                    (&green.arn, 100),
                ])],
                ..ModifyListenerInput::default()
            };
            driver.ex_modify_listener(&listener.arn, &all_green).await?;
            println!("switched:");
            show(&driver, &listener.arn).await?;
            driver.ex_delete_listener(&listener.arn).await?;
            driver.ex_delete_load_balancer(&lb.arn).await?;
            for tg in [&blue, &green] {
                driver.ex_delete_target_group(&tg.arn).await?;
            }
            println!("cleaned up {NAME}");
            Ok(())
        }
        .await,
    )
}
