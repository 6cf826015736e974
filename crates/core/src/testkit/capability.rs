//! Scenarios on what `Capabilities` claims: updates, health checks, member
//! health and batch member operations. A claimed capability must work; an
//! unclaimed one must be `Unsupported` and change nothing.

use crate::{Balancer, Driver, ErrorKind, HealthCheck, Protocol, UpdateBalancer};

use super::ctx::{Ctx, check_members, same_member};
use super::{KitError, KitOptions};

/// Each claimed update (name, port, protocol, algorithm) takes effect and
/// shows in `get_balancer`; each unclaimed one is `Unsupported` and leaves
/// the balancer unchanged.
pub async fn update_balancer(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    let mut ctx = Ctx::start("update_balancer", "upd", driver, options).await?;
    let result = update_body(&mut ctx).await;
    ctx.finish(result).await
}

/// The parts of a balancer an update may touch.
fn shape(b: &Balancer) -> (String, Option<u16>, Option<Protocol>, Vec<crate::Listener>) {
    (b.name.clone(), b.port, b.protocol, b.listeners.clone())
}

async fn update_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let caps = ctx.caps;
    let name = ctx.name();
    let mut current = ctx.create(ctx.request(&name)).await?;
    let algorithm = d.list_supported_algorithms().last().copied();
    let renamed = ctx.name_n("r");
    let updates = [
        (
            "name",
            caps.update_name,
            UpdateBalancer::new().name(renamed.clone()),
        ),
        ("port", caps.update_port, UpdateBalancer::new().port(8081)),
        (
            "protocol",
            caps.update_protocol,
            UpdateBalancer::new().protocol(Protocol::Tcp),
        ),
        (
            "algorithm",
            caps.update_algorithm && algorithm.is_some(),
            UpdateBalancer {
                algorithm,
                ..UpdateBalancer::new()
            },
        ),
    ];
    for (field, claimed, update) in updates {
        if field == "algorithm" && update.algorithm.is_none() {
            continue;
        }
        let before = ctx
            .ok("get_balancer before update", d.get_balancer(&current.id))
            .await?;
        if claimed {
            let step = format!("update_balancer {field}");
            let after = ctx
                .ok(&step, d.update_balancer(&current, update.clone()))
                .await?;
            ctx.retrack(&current.id, &after);
            let got = ctx
                .ok(
                    &format!("get_balancer after {step}"),
                    d.get_balancer(&after.id),
                )
                .await?;
            for (what, b) in [("answer", &after), ("get_balancer", &got)] {
                let step = format!("{step}: {what}");
                match field {
                    "name" => ctx.check_eq(&step, &renamed, &b.name)?,
                    "port" => ctx.check_eq(&step, &Some(8081), &b.port)?,
                    "protocol" => ctx.check_eq(&step, &Some(Protocol::Tcp), &b.protocol)?,
                    _ => {}
                }
            }
            current = got;
        } else {
            let step = format!("update_balancer {field} (not claimed)");
            ctx.err(
                &step,
                &[ErrorKind::Unsupported],
                d.update_balancer(&current, update),
                |c, b| c.retrack(&before.id, b),
            )
            .await?;
            let after = ctx
                .ok(
                    &format!("get_balancer after {step}"),
                    d.get_balancer(&current.id),
                )
                .await?;
            ctx.check_eq(
                &format!("{step}: balancer unchanged"),
                &shape(&before),
                &shape(&after),
            )?;
        }
    }
    Ok(())
}

/// With `health_check` claimed: a health check given at creation is read
/// back, a new one replaces it exactly, and an invalid one is rejected and
/// changes nothing. Without it: set and get are `Unsupported`.
pub async fn health_check_round_trip(
    driver: &dyn Driver,
    options: &KitOptions,
) -> Result<(), KitError> {
    let mut ctx = Ctx::start("health_check_round_trip", "hc", driver, options).await?;
    let result = health_body(&mut ctx).await;
    ctx.finish(result).await
}

fn kit_check(target: &str) -> Result<HealthCheck, KitError> {
    HealthCheck::new(target).map_err(|e| {
        KitError::new(
            "health_check_round_trip",
            "build a health check",
            "a valid check",
            e.to_string(),
        )
    })
}

async fn health_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    if !ctx.caps.health_check {
        let ghost = ctx.ghost();
        let hc = kit_check("TCP:8080")?;
        ctx.err_plain(
            "set_health_check (not claimed)",
            &[ErrorKind::Unsupported],
            d.set_health_check(&ghost, hc),
        )
        .await?;
        ctx.err_plain(
            "get_health_check (not claimed)",
            &[ErrorKind::Unsupported],
            d.get_health_check(&ghost),
        )
        .await?;
        return Ok(());
    }
    let first = kit_check("HTTP:8080/health")?
        .interval(20)
        .timeout(5)
        .healthy_threshold(3)
        .unhealthy_threshold(5);
    let name = ctx.name();
    let b = ctx
        .create(ctx.request(&name).health_check(first.clone()))
        .await?;
    let read = ctx
        .ok("get_health_check after create", d.get_health_check(&b))
        .await?;
    ctx.check_eq("health check given at creation", &Some(first), &read)?;

    let second = kit_check("TCP:8080")?
        .interval(30)
        .timeout(10)
        .healthy_threshold(2)
        .unhealthy_threshold(10);
    let stored = ctx
        .ok("set_health_check", d.set_health_check(&b, second.clone()))
        .await?;
    ctx.check_eq("set_health_check's answer", &second, &stored)?;
    let read = ctx
        .ok("get_health_check after set", d.get_health_check(&b))
        .await?;
    ctx.check_eq("get_health_check after set", &Some(second.clone()), &read)?;
    let got = ctx.ok("get_balancer", d.get_balancer(&b.id)).await?;
    ctx.check(
        got.health_check.is_none() || got.health_check.as_ref() == Some(&second),
        "the balancer's health_check field",
        format!("None or {second:?}"),
        format!("{:?}", got.health_check),
    )?;

    ctx.err_plain(
        "set_health_check with interval 3 s",
        &[ErrorKind::InvalidInput],
        d.set_health_check(&b, second.clone().interval(3)),
    )
    .await?;
    let read = ctx
        .ok(
            "get_health_check after a rejected set",
            d.get_health_check(&b),
        )
        .await?;
    ctx.check_eq("health check after a rejected set", &Some(second), &read)
}

/// With `member_health` claimed: one health entry per member, for exactly
/// the listed members, before and after a detach. Without it: `Unsupported`.
pub async fn member_health(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    let mut ctx = Ctx::start("member_health", "mh", driver, options).await?;
    let result = member_health_body(&mut ctx).await;
    ctx.finish(result).await
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
    let members = ctx.members(2)?;
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
        if round == "after create" {
            let victim = listed.first().cloned().unwrap_or_default();
            ctx.ok("detach a member", d.balancer_detach_member(&b, &victim))
                .await?;
        }
    }
    Ok(())
}

/// `balancer_attach_members` attaches all given members at once and
/// `balancer_detach_members` detaches several; a batch holding one invalid
/// member is `InvalidInput` and attaches none of it.
pub async fn batch_members(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    let mut ctx = Ctx::start("batch_members", "batch", driver, options).await?;
    let result = batch_body(&mut ctx).await;
    ctx.finish(result).await
}

async fn batch_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let members = ctx.members(3)?;
    let name = ctx.name();
    let b = ctx.create(ctx.request(&name)).await?;
    let attached = ctx
        .ok(
            "attach three members at once",
            d.balancer_attach_members(&b, members.clone()),
        )
        .await?;
    check_members(ctx, "attach_members' answer", &attached, &members, false)?;
    ctx.check(
        attached.iter().all(|m| !m.id.is_empty()),
        "attach_members' answer",
        "every member with an id",
        super::ctx::show_members(&attached),
    )?;
    let listed = ctx
        .ok(
            "list members after batch attach",
            d.balancer_list_members(&b),
        )
        .await?;
    check_members(ctx, "members after batch attach", &listed, &members, true)?;

    let bad = if ctx.caps.member_by_address {
        crate::Member::address("192.0.2.99", 0)
    } else {
        crate::Member::default()
    };
    let mixed = vec![members.first().cloned().unwrap_or_default(), bad];
    ctx.err_plain(
        "attach a batch holding an invalid member",
        &[ErrorKind::InvalidInput],
        d.balancer_attach_members(&b, mixed),
    )
    .await?;
    let after_bad = ctx
        .ok(
            "list members after a rejected batch",
            d.balancer_list_members(&b),
        )
        .await?;
    check_members(
        ctx,
        "members after a rejected batch",
        &after_bad,
        &members,
        true,
    )?;

    let (gone, kept): (Vec<_>, Vec<_>) = listed
        .iter()
        .cloned()
        .partition(|m| members.iter().take(2).any(|w| same_member(m, w)));
    ctx.ok(
        "detach two members at once",
        d.balancer_detach_members(&b, &gone),
    )
    .await?;
    let rest = ctx
        .ok(
            "list members after batch detach",
            d.balancer_list_members(&b),
        )
        .await?;
    check_members(ctx, "members after batch detach", &rest, &kept, true)
}
