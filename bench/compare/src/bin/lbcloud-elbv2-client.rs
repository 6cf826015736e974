//! The lbcloud side of the ELBv2 rows: `Elbv2Driver` against the stub.
//! See `run.sh --elbv2`.

use std::time::Instant;

use lbcloud_bench_compare::{Args, CREATE_TARGETS, Mode, PAGE, report, timed};
use lbcloud_core::{CreateBalancer, Driver, HealthCheck, Listener, Member, Protocol};
use lbcloud_elbv2::Elbv2Driver;
use lbcloud_elbv2::model::{LoadBalancer, TargetHealthDescription};

/// Touches fields of every balancer so no parse can be optimized away.
fn touch(b: &LoadBalancer) -> u64 {
    (b.arn.len()
        + b.name.len()
        + b.dns_name.as_ref().map_or(0, String::len)
        + b.availability_zones.len()
        + b.availability_zones
            .first()
            .map_or(0, |z| z.load_balancer_addresses.len())
        + b.security_groups.len()) as u64
        + b.created_time.map_or(0, |t| t.unix_timestamp() as u64)
}

/// The same for target health.
fn touch_health(h: &TargetHealthDescription) -> u64 {
    (h.target.id.len()
        + h.health
            .as_ref()
            .map_or(0, |t| t.description.as_ref().map_or(1, String::len))) as u64
        + u64::from(h.target.port.unwrap_or(0))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::from_env();
    let driver = Elbv2Driver::builder()
        .key("AKIDBENCHMARK")
        .secret("benchmark-secret")
        .region("us-east-1")
        .endpoint(args.url.clone())
        .page_size(PAGE as u32)
        .subnets(["subnet-0a", "subnet-0b"])
        // Known up front, so the target groups go with the balancer.
        .vpc_id(lbcloud_bench_compare::elbv2::VPC)
        .build()?;
    match args.mode {
        Mode::V2One | Mode::V2Page => {
            let (elapsed, sum) = timed(args.calls, || async {
                let page = driver.ex_list_load_balancers().await?;
                Ok::<_, lbcloud_core::Error>(page.iter().map(touch).sum())
            })
            .await?;
            report("lbcloud", &args, args.calls, elapsed, sum);
        }
        Mode::V2Health => {
            let group = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/bench/fedcba9876543210";
            let (elapsed, sum) = timed(args.calls, || async {
                let health = driver.ex_describe_target_health(group, &[], false).await?;
                Ok::<_, lbcloud_core::Error>(health.iter().map(touch_health).sum())
            })
            .await?;
            report("lbcloud", &args, args.calls, elapsed, sum);
        }
        Mode::V2Create => {
            let mut request = CreateBalancer::new("bench", 80, Protocol::Http);
            request
                .listeners
                .push(Listener::new(8080, Protocol::Http, 80));
            request.health_check = Some(HealthCheck::new("HTTP:80/health")?);
            request.members = (0..CREATE_TARGETS)
                .map(|i| Member::instance(format!("i-{i:017x}")))
                .collect();
            let start = Instant::now();
            let balancer = driver.create_balancer(request).await?;
            let elapsed = start.elapsed();
            if balancer.listeners.len() != 2 {
                return Err(
                    format!("created {} listeners, not 2", balancer.listeners.len()).into(),
                );
            }
            report("lbcloud", &args, 1, elapsed, balancer.name.len() as u64);
        }
        _ => return Err("the classic ELB modes are measured by lbcloud-client".into()),
    }
    Ok(())
}
