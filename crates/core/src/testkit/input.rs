//! The scenario on input validation: bad input is `InvalidInput` naming the
//! field, before any I/O and before any change.

use crate::{
    Balancer, CreateBalancer, Driver, ErrorKind, HealthCheck, HealthTarget, Member, UpdateBalancer,
};

use super::ctx::Ctx;
use super::{KitError, KitOptions};

/// Bad names (empty, 33 characters, an underscore), port 0, a member with
/// port 0 or no id, and bad health checks (`HTTP:0/x`, interval 3,
/// threshold 1, timeout not below the interval) are all `InvalidInput`
/// naming a field, and create nothing.
///
/// The same bad input sent to a balancer that was never created must be
/// `InvalidInput` too, not `NotFound`: that shows validation runs before
/// the driver asks the provider anything.
pub async fn invalid_input_before_io(
    driver: &dyn Driver,
    options: &KitOptions,
) -> Result<(), KitError> {
    let mut ctx = Ctx::start("invalid_input_before_io", "inval", driver, options).await?;
    let result = invalid_body(&mut ctx).await;
    ctx.finish(result).await
}

fn bad_health_checks() -> Vec<(&'static str, HealthCheck)> {
    let base = HealthCheck::with_target(HealthTarget::Tcp { port: 8080 });
    vec![
        (
            "health check target HTTP:0/x",
            HealthCheck::with_target(HealthTarget::Http {
                port: 0,
                path: "/x".into(),
            }),
        ),
        ("health check interval 3 s", base.clone().interval(3)),
        (
            "health check healthy threshold 1",
            base.clone().healthy_threshold(1),
        ),
        (
            "health check unhealthy threshold 11",
            base.clone().unhealthy_threshold(11),
        ),
        (
            "health check timeout not below the interval",
            base.interval(10).timeout(10),
        ),
    ]
}

async fn invalid_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let name = ctx.name();
    let member = ctx.members(1)?.into_iter().next().unwrap_or_default();
    let mut cases: Vec<(String, CreateBalancer, bool)> = vec![
        ("empty name".into(), ctx.request(""), false),
        (
            "33-character name".into(),
            ctx.request(&"a".repeat(33)),
            false,
        ),
        (
            "name with an underscore".into(),
            ctx.request(&name.replace('-', "_")),
            false,
        ),
        (
            "port 0".into(),
            CreateBalancer::new(name.clone(), 0, crate::Protocol::Http)
                .zones(ctx.options.zones.clone()),
            false,
        ),
        (
            "member port 0".into(),
            ctx.request(&name).member(Member::address("192.0.2.1", 0)),
            false,
        ),
        (
            "member with neither id nor address".into(),
            ctx.request(&name).member(Member::default()),
            false,
        ),
    ];
    for (what, hc) in bad_health_checks() {
        cases.push((what.into(), ctx.request(&name).health_check(hc), true));
    }
    let unsupported_ok = !ctx.caps.health_check;
    for (what, request, is_health) in cases {
        let kinds: &[ErrorKind] = if is_health && unsupported_ok {
            &[ErrorKind::InvalidInput, ErrorKind::Unsupported]
        } else {
            &[ErrorKind::InvalidInput]
        };
        let step = format!("create_balancer with {what}");
        let err = ctx
            .err(&step, kinds, d.create_balancer(request), |c, b| c.track(b))
            .await?;
        if err.kind() == ErrorKind::InvalidInput {
            ctx.check(
                err.field().is_some_and(|f| !f.is_empty()),
                &step,
                "an InvalidInput error naming the field",
                format!("no field in: {err}"),
            )?;
        }
    }
    let all = ctx.ok("list_balancers", d.list_balancers()).await?;
    let made: Vec<&str> = all
        .iter()
        .filter(|b| ctx.owns(&b.name) || b.name.replace('_', "-") == name)
        .map(|b| b.name.as_str())
        .collect();
    ctx.check(
        made.is_empty(),
        "balancers after rejected creates",
        "none created",
        format!("{made:?}"),
    )?;
    ghost_checks(ctx, member).await
}

/// Bad input against a balancer that does not exist: a driver that asks the
/// provider first would answer `NotFound`.
async fn ghost_checks(ctx: &mut Ctx<'_>, member: Member) -> Result<(), KitError> {
    let d = ctx.driver;
    let ghost: Balancer = ctx.ghost();
    let bad_member = if member.is_address() {
        Member::address("192.0.2.1", 0)
    } else {
        Member::instance(" i-with-a-space")
    };
    expect_invalid(
        ctx,
        "balancer_attach_member with a bad member, to a missing balancer",
        false,
        d.balancer_attach_member(&ghost, bad_member.clone()),
    )
    .await?;
    expect_invalid(
        ctx,
        "balancer_detach_members with a bad member, from a missing balancer",
        false,
        d.balancer_detach_members(&ghost, &[bad_member]),
    )
    .await?;
    let caps = ctx.caps;
    expect_invalid(
        ctx,
        "update_balancer to port 0, on a missing balancer",
        !caps.update_port,
        d.update_balancer(&ghost, UpdateBalancer::new().port(0)),
    )
    .await?;
    expect_invalid(
        ctx,
        "update_balancer to a name with an underscore, on a missing balancer",
        !caps.update_name,
        d.update_balancer(&ghost, UpdateBalancer::new().name("bad_name")),
    )
    .await?;
    for (what, hc) in bad_health_checks() {
        expect_invalid(
            ctx,
            &format!("set_health_check with {what}, on a missing balancer"),
            !caps.health_check,
            d.set_health_check(&ghost, hc),
        )
        .await?;
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
        &[ErrorKind::InvalidInput, ErrorKind::Unsupported]
    } else {
        &[ErrorKind::InvalidInput]
    };
    let err = ctx.err_plain(step, kinds, call).await?;
    if err.kind() == ErrorKind::InvalidInput {
        ctx.check(
            err.field().is_some_and(|f| !f.is_empty()),
            step,
            "an InvalidInput error naming the field",
            format!("no field in: {err}"),
        )?;
    }
    Ok(())
}
