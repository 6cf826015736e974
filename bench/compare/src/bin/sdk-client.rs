//! The AWS SDK side: `aws-sdk-elasticloadbalancing` + `aws-config` (default
//! features) against the stub, with static credentials. See `run.sh`.

use std::time::Instant;

use aws_sdk_elasticloadbalancing::Client;
use aws_sdk_elasticloadbalancing::types::LoadBalancerDescription;
use lbcloud_bench_compare::{Args, LIST_PAGES, Mode, PAGE, report, sdk_config, timed};

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
    let config = sdk_config(&args.url).await;
    let client = Client::new(&config);
    let mut sum = 0u64;
    match args.mode {
        Mode::Tags => return Err("the tagged listing is measured for lbcloud only".into()),
        Mode::V2One | Mode::V2Page | Mode::V2Health | Mode::V2Create => {
            return Err("the ELBv2 modes are measured by sdk-elbv2-client".into());
        }
        Mode::One | Mode::Page | Mode::Page2 => {
            let (elapsed, sum) = timed(args.calls, || async {
                let out = client.describe_load_balancers().send().await?;
                Ok::<_, Box<dyn std::error::Error>>(
                    out.load_balancer_descriptions().iter().map(touch).sum(),
                )
            })
            .await?;
            report("sdk", &args, args.calls, elapsed, sum);
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
