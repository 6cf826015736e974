//! ELBv2: an HTTPS listener with a certificate, and an HTTP listener on
//! port 80 that redirects every request to HTTPS (301), with `ex_` methods.
//!
//! Set `LBCLOUD_CERTIFICATE_ARN` to a certificate you own on AWS; the
//! default is an example IAM ARN, which moto accepts. Needs AWS or a moto
//! server and `LBCLOUD_SUBNETS` (see `examples/support/elbv2.rs`).

#[path = "support/mod.rs"]
mod support;

use support::elbv2;

use std::process::ExitCode;

use lbcloud_elbv2::model::{
    Action, CreateListenerInput, CreateTargetGroupInput, Elbv2Protocol, RedirectConfig,
    RedirectStatusCode,
};

const NAME: &str = "lbcloud-ex-https";

#[tokio::main]
async fn main() -> ExitCode {
    let driver = match elbv2::connect("elbv2_https_redirect") {
        Ok(d) => d,
        Err(code) => return code,
    };
    let cert = std::env::var("LBCLOUD_CERTIFICATE_ARN")
        .unwrap_or_else(|_| "arn:aws:iam::123456789012:server-certificate/example".into());
    support::finish(
        "elbv2_https_redirect",
        async {
            let lb = elbv2::fresh_load_balancer(&driver, NAME, &[NAME]).await?;
            let vpc = lb.vpc_id.clone().unwrap_or_default();
            let tg = driver
                .ex_create_target_group(&CreateTargetGroupInput::new(
                    NAME,
                    Elbv2Protocol::Http,
                    8080,
                    vpc,
                ))
                .await?;
            let https = driver
                .ex_create_listener(
                    &CreateListenerInput::new(
                        &lb.arn,
                        Elbv2Protocol::Https,
                        443,
                        Action::forward(&tg.arn),
                    )
                    .certificate(&cert),
                )
                .await?;
            let redirect =
                Action::redirect(RedirectConfig::to_https(443, RedirectStatusCode::Http301));
            let http = driver
                .ex_create_listener(&CreateListenerInput::new(
                    &lb.arn,
                    Elbv2Protocol::Http,
                    80,
                    redirect,
                ))
                .await?;
            for l in driver.ex_list_listeners(&lb.arn).await? {
                let what = match l.default_actions.first() {
                    Some(a) if a.redirect.is_some() => "redirect to HTTPS".to_owned(),
                    Some(a) => format!("{}", a.action_type),
                    None => "nothing".to_owned(),
                };
                println!("  {:?} {:?}: {what}", l.protocol, l.port);
            }
            for l in [&http, &https] {
                driver.ex_delete_listener(&l.arn).await?;
            }
            driver.ex_delete_load_balancer(&lb.arn).await?;
            driver.ex_delete_target_group(&tg.arn).await?;
            println!("cleaned up {NAME}");
            Ok(())
        }
        .await,
    )
}
