//! Lists the load balancers of an ELBv2 endpoint with static credentials.
//! The same program as `bench/minimal-lbcloud-elbv2`, written with the AWS SDK.

use aws_config::BehaviorVersion;
use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::config::{Credentials, Region};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDBENCHMARK",
            "benchmark-secret",
            None,
            None,
            "static",
        ))
        .endpoint_url(endpoint)
        .load()
        .await;
    let client = Client::new(&config);
    let mut pages = client
        .describe_load_balancers()
        .into_paginator()
        .items()
        .send();
    while let Some(b) = pages.next().await {
        let b = b?;
        println!(
            "{} {}",
            b.load_balancer_name().unwrap_or_default(),
            b.dns_name().unwrap_or_default()
        );
    }
    Ok(())
}
