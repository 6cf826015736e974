//! ELB only: adding an HTTPS listener with a server certificate (port 443
//! to instance port 8080 over HTTP), then swapping in a renewed certificate.
//!
//! Needs ELB or a moto server (see `examples/support/mod.rs`); it exits
//! with code 2 and says how when none is configured. Against AWS, set
//! `LBCLOUD_CERTIFICATE_ARN` (and optionally `LBCLOUD_CERTIFICATE_ARN_2`)
//! to certificates you own; the defaults are example IAM ARNs, which moto
//! accepts without checking.
//!
//! ```text
//! LBCLOUD_PROVIDER=elb AWS_ENDPOINT_URL=http://127.0.0.1:5000 ... cargo run --example elb_create_https_listener
//! ```

#[path = "support/mod.rs"]
mod support;

use std::process::ExitCode;

use lbcloud::elb::ElbDriver;
use lbcloud::{Driver, Listener, Protocol};

const NAME: &str = "lbcloud-ex-https";

async fn show_listeners(driver: &ElbDriver, name: &str) -> lbcloud::Result<()> {
    for l in driver
        .ex_describe_balancer(name)
        .await?
        .listener_descriptions
    {
        let l = l.listener;
        println!(
            "  {} {} -> {} {}{}",
            l.protocol,
            l.port,
            l.effective_instance_protocol(),
            l.instance_port,
            l.certificate_id
                .map(|c| format!("  certificate {c}"))
                .unwrap_or_default()
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let driver = match support::connect_elb("elb_create_https_listener") {
        Ok(d) => d,
        Err(code) => return code,
    };
    let cert = support::env_var("LBCLOUD_CERTIFICATE_ARN")
        .unwrap_or_else(|| "arn:aws:iam::123456789012:server-certificate/example".into());
    let renewed = support::env_var("LBCLOUD_CERTIFICATE_ARN_2")
        .unwrap_or_else(|| "arn:aws:iam::123456789012:server-certificate/example-renewed".into());
    support::finish(
        "elb_create_https_listener",
        async {
            let lb = support::fresh_elb_balancer(&driver, NAME).await?;
            let https = Listener::new(443, Protocol::Https, 8080)
                .instance_protocol(Protocol::Http)
                .certificate(cert.as_str());
            driver.ex_create_balancer_listeners(&lb, &[https]).await?;
            println!("Added an HTTPS listener on 443:");
            show_listeners(&driver, &lb.name).await?;
            driver
                .ex_set_balancer_listener_ssl_certificate(&lb, 443, &renewed)
                .await?;
            println!("Swapped the certificate on 443:");
            show_listeners(&driver, &lb.name).await?;
            driver.destroy_balancer(&lb).await?;
            println!("Destroyed {NAME}");
            Ok(())
        }
        .await,
    )
}
