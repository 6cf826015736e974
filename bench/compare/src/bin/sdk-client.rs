//! The AWS SDK side: `aws-sdk-elasticloadbalancing` + `aws-config` (default
//! features) against the stub, with static credentials. See `run.sh`.

use std::time::Instant;

use aws_config::BehaviorVersion;
use aws_sdk_elasticloadbalancing::Client;
use aws_sdk_elasticloadbalancing::config::{Credentials, Region};
use aws_sdk_elasticloadbalancing::types::LoadBalancerDescription;
use lbcloud_bench_compare::{Args, LIST_PAGES, Mode, PAGE, report};

/// Touches fields of every description so no parse can be optimized away.
fn touch(d: &LoadBalancerDescription) -> u64 {
    (d.load_balancer_name().map_or(0, str::len)
        + d.listener_descriptions().len()
        + d.availability_zones().len()
        + d.instances().len()
        + d.security_groups().len()) as u64
        + d.listener_descriptions()
            .first()
            .and_then(|l| l.listener())
            .map_or(0, |l| l.load_balancer_port() as u64)
        + d.health_check().map_or(0, |h| h.interval() as u64)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env();
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDBENCHMARK",
            "benchmark-secret",
            None,
            None,
            "static",
        ))
        .endpoint_url(args.url.clone())
        .load()
        .await;
    let client = Client::new(&config);
    let mut sum = 0u64;
    match args.mode {
        Mode::Tags => return Err("the tagged listing is measured for lbcloud only".into()),
        Mode::One | Mode::Page | Mode::Page2 => {
            for _ in 0..3 {
                let out = client.describe_load_balancers().send().await?;
                sum += out
                    .load_balancer_descriptions()
                    .iter()
                    .map(touch)
                    .sum::<u64>();
            }
            let start = Instant::now();
            for _ in 0..args.calls {
                let out = client.describe_load_balancers().send().await?;
                sum += out
                    .load_balancer_descriptions()
                    .iter()
                    .map(touch)
                    .sum::<u64>();
            }
            report("sdk", &args, args.calls, start.elapsed(), sum);
        }
        Mode::List => {
            let start = Instant::now();
            let mut pages = client
                .describe_load_balancers()
                .page_size(PAGE as i32)
                .into_paginator()
                .send();
            let mut seen = 0usize;
            let mut calls = 0usize;
            while let Some(page) = pages.next().await {
                let page = page?;
                calls += 1;
                let items = page.load_balancer_descriptions();
                seen += items.len();
                sum += items.iter().map(touch).sum::<u64>();
            }
            let elapsed = start.elapsed();
            if seen != LIST_PAGES * PAGE {
                return Err(format!("listed {seen} balancers, not {}", LIST_PAGES * PAGE).into());
            }
            report("sdk", &args, calls, elapsed, sum);
        }
    }
    Ok(())
}
