//! The lbcloud side: `ElbDriver` against the stub. See `run.sh`.

use std::time::Instant;

use futures_util::StreamExt;
use lbcloud_bench_compare::{Args, LIST_PAGES, Mode, PAGE, TAGGED, report};
use lbcloud_core::{Balancer, Driver};
use lbcloud_elb::ElbDriver;

/// Touches fields of every balancer so no parse can be optimized away.
fn touch(b: &Balancer) -> u64 {
    (b.name.len() + b.listeners.len() + b.zones.len() + b.extra.len() + b.tags.len()) as u64
        + u64::from(b.port.unwrap_or(0))
        + b.health_check.as_ref().map_or(0, |h| h.interval.as_secs())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env();
    let driver = ElbDriver::builder()
        .key("AKIDBENCHMARK")
        .secret("benchmark-secret")
        .region("us-east-1")
        .endpoint(args.url.clone())
        .page_size(PAGE as u32)
        .build()?;
    let mut sum = 0u64;
    match args.mode {
        Mode::One | Mode::Page | Mode::Page2 => {
            // Warm up: connection, TLS-free pool, allocator.
            for _ in 0..3 {
                sum += driver
                    .list_balancers()
                    .await?
                    .iter()
                    .map(touch)
                    .sum::<u64>();
            }
            let start = Instant::now();
            for _ in 0..args.calls {
                let balancers = driver.list_balancers().await?;
                sum += balancers.iter().map(touch).sum::<u64>();
            }
            report("lbcloud", &args, args.calls, start.elapsed(), sum);
        }
        Mode::List => {
            let start = Instant::now();
            let mut pages = driver.list_balancers_pages();
            let mut seen = 0usize;
            let mut calls = 0usize;
            while let Some(page) = pages.next().await {
                let page = page?;
                calls += 1;
                seen += page.len();
                sum += page.iter().map(touch).sum::<u64>();
            }
            let elapsed = start.elapsed();
            if seen != LIST_PAGES * PAGE {
                return Err(format!("listed {seen} balancers, not {}", LIST_PAGES * PAGE).into());
            }
            report("lbcloud", &args, calls, elapsed, sum);
        }
        Mode::Tags => {
            let start = Instant::now();
            let all = driver.ex_list_balancers_with_tags().await?;
            let elapsed = start.elapsed();
            if all.len() != TAGGED || all.iter().any(|b| b.tags.is_empty()) {
                return Err(
                    format!("listed {} balancers with tags, not {TAGGED}", all.len()).into(),
                );
            }
            sum += all.iter().map(touch).sum::<u64>();
            report("lbcloud", &args, 1, elapsed, sum);
        }
    }
    Ok(())
}
