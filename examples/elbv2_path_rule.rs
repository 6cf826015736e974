//! ELBv2: a listener rule sending `/api/*` to a second target group, the
//! rest to the first, with `ex_` methods.
//!
//! Needs AWS or a moto server and `LBCLOUD_SUBNETS` (see
//! `examples/support/elbv2.rs`).

#[path = "support/mod.rs"]
mod support;

use support::elbv2;

use std::process::ExitCode;

use lbcloud_elbv2::model::{
    Action, CreateListenerInput, CreateRuleInput, CreateTargetGroupInput, Elbv2Protocol,
    RuleCondition,
};

const NAME: &str = "lbcloud-ex-rule";
const API: &str = "lbcloud-ex-rule-api";

#[tokio::main]
async fn main() -> ExitCode {
    let driver = match elbv2::connect("elbv2_path_rule") {
        Ok(d) => d,
        Err(code) => return code,
    };
    support::finish(
        "elbv2_path_rule",
        async {
            let lb = elbv2::fresh_load_balancer(&driver, NAME, &[NAME]).await?;
            let vpc = lb.vpc_id.clone().unwrap_or_default();
            let web = driver
                .ex_create_target_group(&CreateTargetGroupInput::new(
                    NAME,
                    Elbv2Protocol::Http,
                    8000,
                    &vpc,
                ))
                .await?;
            let api = driver
                .ex_create_target_group(&CreateTargetGroupInput::new(
                    API,
                    Elbv2Protocol::Http,
                    9000,
                    &vpc,
                ))
                .await?;
            let listener = driver
                .ex_create_listener(&CreateListenerInput::new(
                    &lb.arn,
                    Elbv2Protocol::Http,
                    80,
                    Action::forward(&web.arn),
                ))
                .await?;
            let rule = driver
                .ex_create_listener_rule(&CreateRuleInput::new(
                    &listener.arn,
                    10,
                    RuleCondition::path_pattern(["/api/*"]),
                    Action::forward(&api.arn),
                ))
                .await?;
            for r in driver.ex_list_rules(&listener.arn).await? {
                println!(
                    "  rule {} ({} conditions) -> {:?}",
                    r.priority,
                    r.conditions.len(),
                    r.actions[..]
                        .first()
                        .and_then(|a| a.target_group_arn.as_deref())
                );
            }
            driver.ex_delete_listener_rule(&rule.arn).await?;
            driver.ex_delete_listener(&listener.arn).await?;
            driver.ex_delete_load_balancer(&lb.arn).await?;
            for tg in [&web, &api] {
                driver.ex_delete_target_group(&tg.arn).await?;
            }
            println!("cleaned up {NAME}");
            Ok(())
        }
        .await,
    )
}
