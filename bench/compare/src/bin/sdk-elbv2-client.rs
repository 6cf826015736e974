//! The AWS SDK side of the ELBv2 rows: `aws-sdk-elasticloadbalancingv2`
//! + `aws-config` (default features) against the stub. See `run.sh --elbv2`.

use std::time::Instant;

use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, LoadBalancer, ProtocolEnum, TargetDescription, TargetHealthDescription,
};
use lbcloud_bench_compare::{Args, CREATE_TARGETS, Mode, report, sdk_config, timed};

type BoxError = Box<dyn std::error::Error>;

/// Touches fields of every balancer so no parse can be optimized away.
fn touch(b: &LoadBalancer) -> u64 {
    (b.load_balancer_arn().map_or(0, str::len)
        + b.load_balancer_name().map_or(0, str::len)
        + b.dns_name().map_or(0, str::len)
        + b.availability_zones().len()
        + b.availability_zones()
            .first()
            .map_or(0, |z| z.load_balancer_addresses().len())
        + b.security_groups().len()) as u64
        + b.created_time().map_or(0, |t| t.secs() as u64)
}

/// The same for target health.
fn touch_health(h: &TargetHealthDescription) -> u64 {
    let target = h.target();
    (target.map_or(0, |t| t.id().map_or(0, str::len))
        + h.target_health()
            .map_or(0, |t| t.description().map_or(1, str::len))) as u64
        + target.and_then(|t| t.port()).map_or(0, |p| p as u64)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let args = Args::from_env();
    let client = Client::new(&sdk_config(&args.url).await);
    match args.mode {
        Mode::V2One | Mode::V2Page => {
            let (elapsed, sum) = timed(args.calls, || async {
                let out = client.describe_load_balancers().send().await?;
                Ok::<_, BoxError>(out.load_balancers().iter().map(touch).sum())
            })
            .await?;
            report("sdk", &args, args.calls, elapsed, sum);
        }
        Mode::V2Health => {
            let group = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/bench/fedcba9876543210";
            let (elapsed, sum) = timed(args.calls, || async {
                let out = client
                    .describe_target_health()
                    .target_group_arn(group)
                    .send()
                    .await?;
                Ok::<_, BoxError>(
                    out.target_health_descriptions()
                        .iter()
                        .map(touch_health)
                        .sum(),
                )
            })
            .await?;
            report("sdk", &args, args.calls, elapsed, sum);
        }
        Mode::V2Create => {
            // A plain program: each call after the one it needs.
            let start = Instant::now();
            let lb = client
                .create_load_balancer()
                .name("bench")
                .subnets("subnet-0a")
                .subnets("subnet-0b")
                .send()
                .await?;
            let lb = lb.load_balancers().first().ok_or("no load balancer")?;
            let lb_arn = lb.load_balancer_arn().ok_or("no ARN")?;
            let group = client
                .create_target_group()
                .name("bench")
                .protocol(ProtocolEnum::Http)
                .port(80)
                .vpc_id(lb.vpc_id().unwrap_or_default())
                .health_check_protocol(ProtocolEnum::Http)
                .health_check_path("/health")
                .health_check_interval_seconds(30)
                .health_check_timeout_seconds(5)
                .healthy_threshold_count(10)
                .unhealthy_threshold_count(2)
                .send()
                .await?;
            let group_arn = group
                .target_groups()
                .first()
                .and_then(|g| g.target_group_arn())
                .ok_or("no target group")?
                .to_owned();
            let mut register = client.register_targets().target_group_arn(&group_arn);
            for i in 0..CREATE_TARGETS {
                register = register.targets(
                    TargetDescription::builder()
                        .id(format!("i-{i:017x}"))
                        .build(),
                );
            }
            register.send().await?;
            let mut listeners = 0;
            for port in [80, 8080] {
                let out = client
                    .create_listener()
                    .load_balancer_arn(lb_arn)
                    .protocol(ProtocolEnum::Http)
                    .port(port)
                    .default_actions(
                        Action::builder()
                            .r#type(ActionTypeEnum::Forward)
                            .target_group_arn(&group_arn)
                            .build(),
                    )
                    .send()
                    .await?;
                listeners += out.listeners().len();
            }
            let elapsed = start.elapsed();
            if listeners != 2 {
                return Err(format!("created {listeners} listeners, not 2").into());
            }
            report("sdk", &args, 1, elapsed, lb_arn.len() as u64);
        }
        _ => return Err("the classic ELB modes are measured by sdk-client".into()),
    }
    Ok(())
}
