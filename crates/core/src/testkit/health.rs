//! Scenarios on health: health checks round-tripped at the driver's
//! limits, and member health.

use std::time::Duration;

use crate::limits::DurationRange;
use crate::{Driver, ErrorKind, HealthCheck, Limits};

use super::ctx::{Ctx, REJECTED};
use super::input::bad_health_checks;
use super::{KitError, KitOptions};

/// A duration's nanoseconds.
fn nanos(d: Duration) -> u128 {
    d.as_nanos()
}

/// A duration from nanoseconds (saturating).
fn from_nanos(n: u128) -> Duration {
    Duration::from_nanos(u64::try_from(n).unwrap_or(u64::MAX))
}

/// The smallest value of `range` (above zero) that is a whole number of
/// steps and above `floor`, if any.
fn smallest_above(range: &DurationRange, floor: Option<Duration>) -> Option<Duration> {
    let step = nanos(range.step).max(1);
    let low = nanos(range.min).max(1);
    let low = match floor {
        Some(f) => low.max(nanos(f) + 1),
        None => low,
    };
    let v = from_nanos(low.div_ceil(step) * step);
    range.contains(v).then_some(v)
}

/// The largest value of `range` that is a whole number of steps and below
/// `ceiling`, if any.
fn largest_below(range: &DurationRange, ceiling: Option<Duration>) -> Option<Duration> {
    let step = nanos(range.step).max(1);
    let high = nanos(range.max);
    let high = match ceiling {
        Some(c) => high.min(nanos(c).checked_sub(1)?),
        None => high,
    };
    let v = from_nanos(high / step * step);
    (range.contains(v) && !v.is_zero()).then_some(v)
}

/// Two HTTP health checks at the edges of `limits`: one with the shortest
/// interval and timeout and the lowest thresholds, and one with the
/// longest interval and timeout and the highest thresholds
/// (the timeout below the interval where the limits require it). `None`
/// when the limits admit no such check.
pub(crate) fn edge_checks(limits: &Limits) -> Option<(HealthCheck, HealthCheck)> {
    let below = limits.timeout_below_interval;
    let low_timeout = smallest_above(&limits.health_timeout, None)?;
    let low_interval = smallest_above(&limits.health_interval, below.then_some(low_timeout))?;
    // HTTP at both ends: the kit's balancers are HTTP, and some providers
    // (ALB target groups) check an HTTP balancer by HTTP(S) only.
    let low = HealthCheck::http(Some(8080), "/kit-low")
        .interval(low_interval)
        .timeout(low_timeout)
        .healthy_threshold(limits.healthy_threshold.min)
        .unhealthy_threshold(limits.unhealthy_threshold.min);
    let high_interval = largest_below(&limits.health_interval, None)?;
    let high_timeout = largest_below(&limits.health_timeout, below.then_some(high_interval))?;
    let high = HealthCheck::http(Some(8080), "/kit-health")
        .interval(high_interval)
        .timeout(high_timeout)
        .healthy_threshold(limits.healthy_threshold.max)
        .unhealthy_threshold(limits.unhealthy_threshold.max);
    (low.validate(limits).is_ok() && high.validate(limits).is_ok()).then_some((low, high))
}

/// `got` as the kit compares it with `asked`: where the kit asked for the
/// provider's default status codes (`None`), whatever codes the provider
/// reports as its default (ELBv2 says `200`) count as asked.
fn as_asked(asked: &HealthCheck, mut got: HealthCheck) -> HealthCheck {
    if asked.expected_codes.is_none() {
        got.expected_codes = None;
    }
    got
}

/// With `health_check` claimed: a check at the limits' minimum (shortest
/// interval and timeout, lowest thresholds) given at creation reads back
/// exactly; `set_health_check` with one at the maximum replaces it, and
/// the answer, `get_health_check` and the balancer's `health_check` agree;
/// a check just outside the limits is `InvalidInput` and changes nothing.
/// Not claimed: set and get are `Unsupported` and a create with a check is
/// refused, creating nothing.
pub async fn health_check_round_trip(
    driver: &dyn Driver,
    options: &KitOptions,
) -> Result<(), KitError> {
    Ctx::run(
        "health_check_round_trip",
        "hc",
        driver,
        options,
        health_body,
    )
    .await
}

async fn health_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let edges = edge_checks(&ctx.limits);
    if !ctx.caps.health_check {
        let ghost = ctx.ghost();
        let hc = edges.map_or_else(|| HealthCheck::tcp(Some(8080)), |(low, _)| low);
        ctx.err_plain(
            "set_health_check (not claimed)",
            &[ErrorKind::Unsupported],
            d.set_health_check(&ghost, hc.clone()),
        )
        .await?;
        ctx.err_plain(
            "get_health_check (not claimed)",
            &[ErrorKind::Unsupported],
            d.get_health_check(&ghost),
        )
        .await?;
        let name = ctx.name();
        ctx.refuse_create(
            "create_balancer with a health check (not claimed)",
            REJECTED,
            ctx.request(&name).health_check(hc),
        )
        .await?;
        return Ok(());
    }
    let Some((low, high)) = edges else {
        return Err(ctx.fail(
            "build health checks at the driver's limits",
            "limits that admit a health check",
            format!(
                "interval {:?}, timeout {:?}",
                ctx.limits.health_interval, ctx.limits.health_timeout
            ),
        ));
    };
    let name = ctx.name();
    let b = ctx
        .create(ctx.request(&name).health_check(low.clone()))
        .await?;
    let read = ctx
        .ok("get_health_check after create", d.get_health_check(&b))
        .await?
        .map(|got| as_asked(&low, got));
    ctx.check_eq(
        "health check at the limits' minimum, given at creation",
        &Some(low.clone()),
        &read,
    )?;

    for (what, hc) in [("maximum", &high), ("minimum", &low), ("maximum", &high)] {
        let step = format!("set_health_check at the limits' {what}");
        let stored = ctx.ok(&step, d.set_health_check(&b, hc.clone())).await?;
        ctx.check_eq(&format!("{step}: the answer"), hc, &as_asked(hc, stored))?;
        let read = ctx
            .ok(&format!("{step}: get_health_check"), d.get_health_check(&b))
            .await?
            .map(|got| as_asked(hc, got));
        ctx.check_eq(
            &format!("{step}: get_health_check"),
            &Some(hc.clone()),
            &read,
        )?;
    }
    let got = ctx.ok("get_balancer", d.get_balancer(&b.id)).await?;
    ctx.check(
        got.health_check.is_none()
            || got
                .health_check
                .clone()
                .map(|g| as_asked(&high, g))
                .as_ref()
                == Some(&high),
        "the balancer's health_check field",
        format!("None or {high:?}"),
        format!("{:?}", got.health_check),
    )?;

    for (what, bad) in bad_health_checks(&ctx.limits, &low, &high) {
        let step = format!("set_health_check with {what}");
        ctx.err_plain(
            &step,
            &[ErrorKind::InvalidInput],
            d.set_health_check(&b, bad),
        )
        .await?;
        let read = ctx
            .ok(&format!("{step}: get_health_check"), d.get_health_check(&b))
            .await?
            .map(|got| as_asked(&high, got));
        ctx.check_eq(
            &format!("{step}: check unchanged"),
            &Some(high.clone()),
            &read,
        )?;
    }
    Ok(())
}

/// With `member_health` claimed: one health entry per member, for exactly
/// the listed members, before and after a detach. Without it: `Unsupported`.
pub async fn member_health(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    Ctx::run("member_health", "mh", driver, options, member_health_body).await
}

async fn member_health_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    if !ctx.caps.member_health {
        let ghost = ctx.ghost();
        ctx.err_plain(
            "balancer_member_health (not claimed)",
            &[ErrorKind::Unsupported],
            d.balancer_member_health(&ghost),
        )
        .await?;
        return Ok(());
    }
    let members = ctx.members(ctx.batch_max().min(2))?;
    let name = ctx.name();
    let b = ctx.create(ctx.request(&name).members(members)).await?;
    for round in ["after create", "after detach"] {
        let listed = ctx
            .ok(
                &format!("list members {round}"),
                d.balancer_list_members(&b),
            )
            .await?;
        let health = ctx
            .ok(
                &format!("balancer_member_health {round}"),
                d.balancer_member_health(&b),
            )
            .await?;
        let mut listed_ids: Vec<&str> = listed.iter().map(|m| m.id.as_str()).collect();
        let mut health_ids: Vec<&str> = health.iter().map(|h| h.member_id.as_str()).collect();
        listed_ids.sort_unstable();
        health_ids.sort_unstable();
        ctx.check_eq(
            &format!("member ids in the health report {round}"),
            &listed_ids,
            &health_ids,
        )?;
        if round == "after create"
            && let Some(victim) = listed.first()
        {
            ctx.ok("detach a member", d.balancer_detach_member(&b, victim))
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Range;

    #[test]
    fn edges_follow_the_limits() {
        let elb = Limits::new()
            .with_health_interval(DurationRange::secs(5, 300))
            .with_health_timeout(DurationRange::secs(2, 60))
            .with_health_threshold(Range::new(2, 10))
            .with_timeout_below_interval(true);
        let (low, high) = edge_checks(&elb).unwrap();
        assert_eq!(low.interval, Duration::from_secs(5));
        assert_eq!(low.timeout, Duration::from_secs(2));
        assert_eq!(low.healthy_threshold, 2);
        assert_eq!(high.interval, Duration::from_secs(300));
        assert_eq!(high.timeout, Duration::from_secs(60));
        assert_eq!(high.unhealthy_threshold, 10);

        // Timeouts must stay below intervals even where the ranges overlap.
        let tight = Limits::new()
            .with_health_interval(DurationRange::secs(1, 10))
            .with_health_timeout(DurationRange::secs(1, 30))
            .with_timeout_below_interval(true);
        let (low, high) = edge_checks(&tight).unwrap();
        assert_eq!(
            (low.timeout, low.interval),
            (Duration::from_secs(1), Duration::from_secs(2))
        );
        assert_eq!(high.timeout, Duration::from_secs(9));

        let fast = Limits::new()
            .with_health_interval(DurationRange::millis(100, 1000))
            .with_health_timeout(DurationRange::millis(100, 1000));
        let (low, _) = edge_checks(&fast).unwrap();
        assert_eq!(low.interval, Duration::from_millis(100));

        let impossible = Limits::new()
            .with_health_interval(DurationRange::secs(1, 1))
            .with_health_timeout(DurationRange::secs(1, 1))
            .with_timeout_below_interval(true);
        assert!(edge_checks(&impossible).is_none());
    }
}
