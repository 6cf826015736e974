//! The scenario on input validation: input just outside the driver's
//! [`Limits`] is `InvalidInput` naming the field, before any I/O and
//! before any change. Every bad value is generated from the limits, so a
//! driver is held to its own rules, not to another provider's.

use std::time::Duration;

use crate::limits::{DurationRange, Range};
use crate::{
    Balancer, CreateBalancer, Driver, ErrorKind, HealthCheck, Limits, Listener, Member,
    UpdateBalancer, UpdateMember,
};

use super::ctx::{Ctx, REJECTED};
use super::{KitError, KitOptions};

/// The longest generated list (names, listeners, members) the kit sends.
const MAX_GENERATED: usize = 10_000;

/// Values of a duration range just outside it: one step below the
/// minimum, one step above the maximum, and half a step off a whole step.
fn bad_durations(range: &DurationRange) -> Vec<(&'static str, Duration)> {
    let mut out = Vec::new();
    if !range.min.is_zero() {
        let below = range.min.checked_sub(range.step).unwrap_or(Duration::ZERO);
        out.push(("below the minimum", below));
    }
    if let Some(above) = range.max.checked_add(range.step) {
        out.push(("above the maximum", above));
    }
    let half = range.step / 2;
    if !half.is_zero() {
        let base = range.min.max(range.step);
        if let Some(off) = base.checked_add(half)
            && off <= range.max
            && !range.contains(off)
        {
            out.push(("off a whole step", off));
        }
    }
    out.retain(|(_, d)| !range.contains(*d));
    out
}

/// Values just outside a whole-number range.
fn bad_counts(range: &Range) -> Vec<(&'static str, u32)> {
    let mut out = Vec::new();
    if let Some(below) = range.min.checked_sub(1) {
        out.push(("below the minimum", below));
    }
    if let Some(above) = range.max.checked_add(1) {
        out.push(("above the maximum", above));
    }
    out
}

/// Health checks that break exactly one of the driver's limits, each with
/// what it breaks. `low` and `high` are valid checks at the limits' edges
/// (from `edge_checks`); each bad check is one of them with one field moved.
pub(crate) fn bad_health_checks(
    limits: &Limits,
    low: &HealthCheck,
    high: &HealthCheck,
) -> Vec<(String, HealthCheck)> {
    let mut out = Vec::new();
    for (what, d) in bad_durations(&limits.health_interval) {
        let base = if what == "above the maximum" {
            high
        } else {
            low
        };
        out.push((format!("interval {d:?} ({what})"), base.clone().interval(d)));
    }
    for (what, d) in bad_durations(&limits.health_timeout) {
        // Below the minimum and off-step go with the longest interval, so
        // only the timeout's own range is broken.
        let hc = high.clone().timeout(d);
        out.push((format!("timeout {d:?} ({what})"), hc));
    }
    for (what, n) in bad_counts(&limits.healthy_threshold) {
        out.push((
            format!("healthy threshold {n} ({what})"),
            low.clone().healthy_threshold(n),
        ));
    }
    for (what, n) in bad_counts(&limits.unhealthy_threshold) {
        out.push((
            format!("unhealthy threshold {n} ({what})"),
            low.clone().unhealthy_threshold(n),
        ));
    }
    if limits.timeout_below_interval
        && let Some(v) = [low.interval, low.timeout, high.timeout, high.interval]
            .into_iter()
            .find(|v| limits.health_interval.contains(*v) && limits.health_timeout.contains(*v))
    {
        out.push((
            "a timeout equal to the interval".into(),
            low.clone().interval(v).timeout(v),
        ));
    }
    if limits.health_path_max_len < MAX_GENERATED {
        let path = format!("/{}", "a".repeat(limits.health_path_max_len));
        out.push((
            format!("a {}-byte path", path.len()),
            HealthCheck {
                path: Some(path),
                ..high.clone()
            },
        ));
    }
    out.push(("port 0".into(), low.clone().port(0)));
    out.retain(|(_, hc)| hc.validate(limits).is_err());
    out
}

/// The field an error about `what` must name (a substring of it).
fn field_word(what: &str) -> &'static str {
    const WORDS: [&str; 9] = [
        "timeout",
        "interval",
        "threshold",
        "path",
        "weight",
        "listener",
        "member",
        "name",
        "port",
    ];
    WORDS.into_iter().find(|w| what.contains(w)).unwrap_or("")
}

/// Bad inputs generated from the driver's [`Limits`] are all `InvalidInput`
/// naming the field, and create nothing: an empty name, a name one longer
/// than `limits.name.max_len`, a character the name rule does not allow
/// (and a leading digit or trailing punctuation where the rule forbids
/// them), port 0, members with port 0 or no id, weights just outside
/// `limits.weight`, one listener more than `listeners_per_balancer`, one
/// member more than `members_per_call`, and health checks with intervals
/// and timeouts a step outside or half a step off their ranges, thresholds
/// just outside theirs, a timeout equal to the interval where it must be
/// below, a path one byte too long. Where the matching capability is not
/// claimed, `Unsupported` is accepted too.
///
/// The same bad input sent to a balancer that was never created must be
/// `InvalidInput` too, not `NotFound`: that shows validation runs before
/// the driver asks the provider anything.
pub async fn invalid_input_before_io(
    driver: &dyn Driver,
    options: &KitOptions,
) -> Result<(), KitError> {
    Ctx::run(
        "invalid_input_before_io",
        "inval",
        driver,
        options,
        invalid_body,
    )
    .await
}

/// Names the driver's rule rejects, each with what is wrong.
fn bad_names(ctx: &Ctx<'_>) -> Vec<(String, String)> {
    let rule = ctx.limits.name;
    let stem = ctx.name();
    let mut out = vec![("an empty name".to_owned(), String::new())];
    if rule.max_len < MAX_GENERATED {
        let long: String = format!("{stem}{}", "a".repeat(rule.max_len + 1));
        let long: String = long.chars().take(rule.max_len + 1).collect();
        out.push((format!("a {}-character name", rule.max_len + 1), long));
    }
    if let Some(c) = "_-.~!* ".chars().find(|c| !rule.allows(*c)) {
        out.push((format!("a name holding {c:?}"), format!("{stem}{c}x")));
    }
    if rule.starts_with_letter {
        out.push(("a name starting with a digit".into(), format!("1{stem}")));
    }
    if !rule.punctuation_at_ends
        && let Some(c) = rule.extra_chars.chars().next()
    {
        out.push((format!("a name ending with {c:?}"), format!("{stem}{c}")));
    }
    out.retain(|(_, n)| rule.check("name", n).is_err());
    out
}

/// One bad create request: what it breaks, the request, the error kinds
/// allowed.
type BadCreate = (String, CreateBalancer, &'static [ErrorKind]);

fn bad_creates(ctx: &Ctx<'_>) -> Result<Vec<BadCreate>, KitError> {
    const INVALID: &[ErrorKind] = &[ErrorKind::InvalidInput];
    let caps = ctx.caps;
    let limits = ctx.limits;
    let name = ctx.name();
    let mut cases: Vec<BadCreate> = bad_names(ctx)
        .into_iter()
        .map(|(what, n)| (what, ctx.request(&n), INVALID))
        .collect();
    let mut port0 = ctx.request(&name);
    if let Some(l) = port0.listeners.first_mut() {
        l.port = 0;
    }
    cases.push(("port 0".into(), port0, INVALID));
    let member_port0 = if caps.member_by_address {
        Member::address("192.0.2.1", 0)
    } else {
        Member::instance("i-0kit0000000000p").port(0)
    };
    cases.push((
        "a member with port 0".into(),
        ctx.request(&name).member(member_port0),
        INVALID,
    ));
    cases.push((
        "a member with neither id nor address".into(),
        ctx.request(&name).member(Member::default()),
        INVALID,
    ));
    if let Some(range) = limits.weight {
        let kinds = if caps.member_weight {
            INVALID
        } else {
            REJECTED
        };
        let base = ctx.members(1)?;
        for (what, w) in bad_counts(&range) {
            let members = base.iter().cloned().map(|m| m.weight(w));
            cases.push((
                format!("a member weight {w} ({what})"),
                ctx.request(&name).members(members),
                kinds,
            ));
        }
    }
    let most = limits.listeners_per_balancer;
    if most < MAX_GENERATED {
        let protocol = ctx.protocol();
        let mut req = ctx.request(&name);
        for i in 1..=most {
            let port = u16::try_from(1024 + i).unwrap_or(u16::MAX);
            req = req.listener(Listener::new(port, protocol, port));
        }
        let kinds = if caps.multiple_listeners {
            INVALID
        } else {
            REJECTED
        };
        cases.push((format!("{} listeners", most + 1), req, kinds));
    }
    if let Some(most) = limits.members_per_call
        && most < MAX_GENERATED
    {
        cases.push((
            format!("{} members in one call", most + 1),
            ctx.request(&name).members(ctx.many_members(most + 1)),
            INVALID,
        ));
    }
    if let Some((low, high)) = super::health::edge_checks(&limits) {
        let kinds = if caps.health_check { INVALID } else { REJECTED };
        for (what, hc) in bad_health_checks(&limits, &low, &high) {
            cases.push((
                format!("a health check {what}"),
                ctx.request(&name).health_check(hc),
                kinds,
            ));
        }
    }
    Ok(cases)
}

/// Checks an error is `InvalidInput` naming a field that mentions `what`'s
/// subject (an `Unsupported` error needs no field).
fn names_the_field(
    ctx: &Ctx<'_>,
    step: &str,
    what: &str,
    err: &crate::Error,
) -> Result<(), KitError> {
    if err.kind() != ErrorKind::InvalidInput {
        return Ok(());
    }
    let word = field_word(what);
    let field = err.field().unwrap_or("");
    ctx.check(
        !field.is_empty() && field.contains(word),
        step,
        format!("an InvalidInput error naming the field ({word:?} in it)"),
        format!("field {field:?} in: {err}"),
    )
}

async fn invalid_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let cases = bad_creates(ctx)?;
    let bad_names: Vec<String> = cases.iter().map(|(_, r, _)| r.name.clone()).collect();
    let before = ctx.our_ids().await?;
    for (what, request, kinds) in cases {
        let step = format!("create_balancer with {what}");
        let err = ctx
            .err(&step, kinds, d.create_balancer(request), |c, b| c.track(b))
            .await?;
        names_the_field(ctx, &step, &what, &err)?;
    }
    let all = ctx.ok("list_balancers", d.list_balancers()).await?;
    let made: Vec<&str> = all
        .iter()
        .filter(|b| (ctx.owns(&b.name) && !before.contains(&b.id)) || bad_names.contains(&b.name))
        .map(|b| b.name.as_str())
        .collect();
    ctx.check(
        made.is_empty(),
        "balancers after rejected creates",
        "none created",
        format!("{made:?}"),
    )?;
    ghost_checks(ctx).await
}

/// Bad input against a balancer that does not exist: a driver that asks the
/// provider first would answer `NotFound`.
async fn ghost_checks(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let caps = ctx.caps;
    let limits = ctx.limits;
    let ghost: Balancer = ctx.ghost();
    let bad_member = if caps.member_by_address {
        Member::address("192.0.2.1", 0)
    } else {
        Member::instance(" i-with-a-space")
    };
    expect_invalid(
        ctx,
        "balancer_attach_member with a member port 0 or a bad id, to a missing balancer",
        false,
        d.balancer_attach_member(&ghost, bad_member.clone()),
    )
    .await?;
    expect_invalid(
        ctx,
        "balancer_detach_members with a member port 0 or a bad id, from a missing balancer",
        false,
        d.balancer_detach_members(&ghost, &[bad_member]),
    )
    .await?;
    if let Some(most) = limits.members_per_call
        && most < MAX_GENERATED
    {
        expect_invalid(
            ctx,
            &format!(
                "balancer_attach_members with {} members, to a missing balancer",
                most + 1
            ),
            false,
            d.balancer_attach_members(&ghost, ctx.many_members(most + 1)),
        )
        .await?;
    }
    if let Some(range) = limits.weight {
        let member = ctx.members(1)?.into_iter().next().unwrap_or_default();
        for (what, w) in bad_counts(&range) {
            expect_invalid(
                ctx,
                &format!("balancer_attach_member with weight {w} ({what}), to a missing balancer"),
                !caps.member_weight,
                d.balancer_attach_member(&ghost, member.clone().weight(w)),
            )
            .await?;
            expect_invalid(
                ctx,
                &format!("balancer_update_member to weight {w} ({what}), on a missing balancer"),
                !caps.member_weight,
                d.balancer_update_member(&ghost, &member, UpdateMember::new().weight(w)),
            )
            .await?;
        }
    }
    expect_invalid(
        ctx,
        "update_balancer to port 0, on a missing balancer",
        !caps.update_port,
        d.update_balancer(&ghost, UpdateBalancer::new().port(0)),
    )
    .await?;
    for (what, name) in bad_names(ctx) {
        expect_invalid(
            ctx,
            &format!("update_balancer to {what}, on a missing balancer"),
            !caps.update_name,
            d.update_balancer(&ghost, UpdateBalancer::new().name(name)),
        )
        .await?;
    }
    if let Some((low, high)) = super::health::edge_checks(&limits) {
        for (what, hc) in bad_health_checks(&limits, &low, &high) {
            expect_invalid(
                ctx,
                &format!("set_health_check with {what}, on a missing balancer"),
                !caps.health_check,
                d.set_health_check(&ghost, hc),
            )
            .await?;
        }
    }
    Ok(())
}

async fn expect_invalid<T: std::fmt::Debug>(
    ctx: &mut Ctx<'_>,
    step: &str,
    unsupported_ok: bool,
    call: impl std::future::Future<Output = crate::Result<T>>,
) -> Result<(), KitError> {
    let kinds: &[ErrorKind] = if unsupported_ok {
        REJECTED
    } else {
        &[ErrorKind::InvalidInput]
    };
    let err = ctx.err_plain(step, kinds, call).await?;
    names_the_field(ctx, step, step, &err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_durations_are_outside_the_range() {
        let secs = DurationRange::secs(5, 300);
        let bad = bad_durations(&secs);
        let values: Vec<Duration> = bad.iter().map(|(_, d)| *d).collect();
        assert_eq!(
            values,
            [
                Duration::from_secs(4),
                Duration::from_secs(301),
                Duration::from_millis(5500)
            ]
        );
        let ms = DurationRange::millis(1, 1000);
        let values: Vec<Duration> = bad_durations(&ms).iter().map(|(_, d)| *d).collect();
        assert_eq!(
            values,
            [
                Duration::ZERO,
                Duration::from_millis(1001),
                Duration::from_micros(1500)
            ]
        );
    }

    #[test]
    fn bad_counts_are_outside_the_range() {
        assert_eq!(
            bad_counts(&Range::new(1, 10)),
            [("below the minimum", 0), ("above the maximum", 11)]
        );
        assert_eq!(bad_counts(&Range::new(0, u32::MAX)), []);
    }

    #[test]
    fn every_bad_health_check_breaks_the_limits() {
        let limits = Limits::new()
            .with_health_interval(DurationRange::secs(5, 300))
            .with_health_timeout(DurationRange::secs(2, 60))
            .with_health_threshold(Range::new(2, 10))
            .with_timeout_below_interval(true);
        let (low, high) = super::super::health::edge_checks(&limits).unwrap();
        let bad = bad_health_checks(&limits, &low, &high);
        // 3 interval, 3 timeout, 2 + 2 thresholds, timeout = interval, path, port 0.
        assert_eq!(bad.len(), 13, "{bad:#?}");
        for (what, hc) in &bad {
            let err = hc.validate(&limits).unwrap_err();
            let field = err.field().unwrap_or_default();
            assert!(field.contains(field_word(what)), "{what}: {field}");
        }
    }
}
