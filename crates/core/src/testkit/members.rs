//! Scenarios on members: the kinds of target a driver names, weights,
//! conditions, `balancer_update_member` and batches. What the driver
//! claims must work and read back through `balancer_list_members`; what it
//! does not claim must be refused and leave the members as they were.

use crate::limits::Range;
use crate::{Balancer, Driver, ErrorKind, Member, MemberCondition, MemberKind, UpdateMember};

use super::ctx::{
    Ctx, REJECTED, address_member, check_members, find_member, same_member, show_member,
    show_members, snapshot,
};
use super::{KitError, KitOptions};

/// Attaches `member`, which must succeed, and checks the answer names the
/// same target, with an id, and carries the weight and condition asked for.
async fn attach_checked(ctx: &Ctx<'_>, b: &Balancer, member: &Member) -> Result<Member, KitError> {
    let step = format!("attach {}", show_member(member));
    let got = ctx
        .ok(&step, ctx.driver.balancer_attach_member(b, member.clone()))
        .await?;
    ctx.check(
        same_member(&got, member)
            && !got.id.is_empty()
            && got.kind == member.kind
            && got.weight == member.weight.or(got.weight)
            && got.condition == member.condition,
        &format!("{step}: the answer"),
        format!("{} with an id", show_member(member)),
        show_member(&got),
    )?;
    Ok(got)
}

/// Lists the members and returns the one `wanted` names, failing if absent.
async fn listed_member(
    ctx: &Ctx<'_>,
    step: &str,
    b: &Balancer,
    wanted: &Member,
) -> Result<Member, KitError> {
    let listed = ctx.ok(step, ctx.driver.balancer_list_members(b)).await?;
    find_member(&listed, wanted).cloned().ok_or_else(|| {
        ctx.fail(
            step,
            format!("a member {}", show_member(wanted)),
            show_members(&listed),
        )
    })
}

/// A call that must be refused, after which the balancer's members must be
/// as they were.
async fn refused_unchanged<T: std::fmt::Debug>(
    ctx: &mut Ctx<'_>,
    step: &str,
    kinds: &[ErrorKind],
    b: &Balancer,
    call: impl std::future::Future<Output = crate::Result<T>>,
) -> Result<(), KitError> {
    let before = ctx
        .member_snapshot(&format!("{step}: members before"), b)
        .await?;
    ctx.err_plain(step, kinds, call).await?;
    let after = ctx
        .member_snapshot(&format!("{step}: members after"), b)
        .await?;
    ctx.check_eq(&format!("{step}: members unchanged"), &before, &after)
}

/// Each kind of target, where claimed, attaches and reads back with the
/// same kind, id, address and port: an instance id
/// (`member_by_instance`), an instance id with its own port
/// (`member_instance_port`), an address and port (`member_by_address`,
/// the driver assigns the id), and a named server with an address and
/// port (`member_named_address`, the id is the caller's). Instance and
/// address members go to two balancers, each created with its first
/// member, since a provider may fix one kind per balancer at creation.
/// Each unclaimed kind is refused and leaves the members unchanged.
pub async fn member_targets(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    Ctx::run("member_targets", "tgt", driver, options, targets_body).await
}

async fn targets_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let caps = ctx.caps;
    let ids = ctx.instance_ids();
    let id = |i: usize| {
        ids.get(i)
            .cloned()
            .unwrap_or_else(|| format!("i-0kit{i:012}"))
    };
    let cases = [
        (
            "member_by_instance",
            caps.member_by_instance,
            Member::instance(id(0)),
        ),
        (
            "member_instance_port",
            caps.member_by_instance && caps.member_instance_port,
            Member::instance(id(1)).port(8443),
        ),
        (
            "member_by_address",
            caps.member_by_address,
            address_member(30),
        ),
        (
            "member_named_address",
            caps.member_by_address && caps.member_named_address,
            address_member(31).with_id("kitsrv1"),
        ),
    ];
    // Each kind of member on a balancer of its own, created with its first
    // member: a provider may fix one kind per balancer at creation (an
    // ELBv2 target group is instance or IP).
    let mut balancers: Vec<(MemberKind, Balancer)> = Vec::new();
    for (flag, claimed, member) in cases {
        if !claimed {
            let b = match balancers.first() {
                Some((_, b)) => b.clone(),
                None => {
                    let name = ctx.name_n("none");
                    let b = ctx.create(ctx.request(&name)).await?;
                    balancers.push((MemberKind::Instance, b.clone()));
                    b
                }
            };
            let step = format!("attach {} ({flag} not claimed)", show_member(&member));
            let call = ctx.driver.balancer_attach_member(&b, member);
            refused_unchanged(ctx, &step, REJECTED, &b, call).await?;
            continue;
        }
        let b = match balancers.iter().find(|(k, _)| *k == member.kind) {
            Some((_, b)) => {
                let b = b.clone();
                attach_checked(ctx, &b, &member).await?;
                b
            }
            None => {
                let name = ctx.name_n(&member.kind.to_string());
                let b = ctx
                    .create(ctx.request(&name).member(member.clone()))
                    .await?;
                balancers.push((member.kind, b.clone()));
                b
            }
        };
        let step = format!(
            "list members after attaching {} ({flag})",
            show_member(&member)
        );
        let listed = listed_member(ctx, &step, &b, &member).await?;
        let id_ok = member.id.is_empty() || listed.id == member.id;
        ctx.check(
            listed.kind == member.kind
                && id_ok
                && !listed.id.is_empty()
                && (member.ip.is_none() || listed.ip == member.ip)
                && listed.port == member.port,
            &step,
            format!("{} ({})", show_member(&member), member.kind),
            format!("{} ({})", show_member(&listed), listed.kind),
        )?;
    }
    Ok(())
}

/// The weights the kit uses: the ends of the driver's range and one between.
fn weights(range: Option<Range>) -> (u32, u32, u32) {
    let r = range.unwrap_or(Range::new(1, 100));
    let mid = r.min + (r.max - r.min) / 2;
    (r.min, mid, r.max)
}

/// With `member_weight` claimed: members attached with the lowest and the
/// highest weight of `limits.weight` read back with them, and
/// `balancer_update_member` moves one to a weight between, which its
/// answer and the listing show while the other keeps its own. Not
/// claimed: a weight at creation, at attach and in an update is refused
/// and nothing changes.
pub async fn member_weight(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    Ctx::run("member_weight", "wgt", driver, options, weight_body).await
}

async fn weight_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let (low, mid, high) = weights(ctx.limits.weight);
    let members = ctx.members(2)?;
    let (Some(first), Some(second)) = (members.first().cloned(), members.get(1).cloned()) else {
        return Err(ctx.fail("pick members", "two members", show_members(&members)));
    };
    let name = ctx.name();
    if !ctx.caps.member_weight {
        ctx.refuse_create(
            "create_balancer with a weighted member (not claimed)",
            REJECTED,
            ctx.request(&ctx.name_n("w"))
                .member(first.clone().weight(low)),
        )
        .await?;
        let b = ctx.create(ctx.request(&name)).await?;
        ctx.ok(
            "attach a member",
            d.balancer_attach_member(&b, first.clone()),
        )
        .await?;
        let call = d.balancer_attach_member(&b, second.weight(high));
        refused_unchanged(
            ctx,
            "attach a weighted member (not claimed)",
            REJECTED,
            &b,
            call,
        )
        .await?;
        let call = d.balancer_update_member(&b, &first, UpdateMember::new().weight(mid));
        refused_unchanged(
            ctx,
            "update a member's weight (not claimed)",
            REJECTED,
            &b,
            call,
        )
        .await?;
        return Ok(());
    }
    let b = ctx.create(ctx.request(&name)).await?;
    let first = first.weight(low);
    let second = second.weight(high);
    for m in [&first, &second] {
        attach_checked(ctx, &b, m).await?;
    }
    for m in [&first, &second] {
        let step = format!("list members after attaching {}", show_member(m));
        let listed = listed_member(ctx, &step, &b, m).await?;
        ctx.check_eq(&format!("{step}: weight"), &m.weight, &listed.weight)?;
    }
    let target = listed_member(ctx, "list members before the update", &b, &first).await?;
    let step = format!(
        "balancer_update_member {} to weight {mid}",
        show_member(&target)
    );
    let answer = ctx
        .ok(
            &step,
            d.balancer_update_member(&b, &target, UpdateMember::new().weight(mid)),
        )
        .await?;
    ctx.check(
        same_member(&answer, &target) && answer.weight == Some(mid),
        &format!("{step}: the answer"),
        format!("{} weight {mid}", show_member(&target)),
        show_member(&answer),
    )?;
    let listed = listed_member(ctx, &format!("{step}: list members"), &b, &first).await?;
    ctx.check_eq(
        &format!("{step}: listed weight"),
        &Some(mid),
        &listed.weight,
    )?;
    let other = listed_member(ctx, &format!("{step}: list members"), &b, &second).await?;
    ctx.check_eq(
        &format!("{step}: the other member's weight"),
        &Some(high),
        &other.weight,
    )
}

/// With `member_condition` claimed: a member attached disabled reads back
/// disabled, `balancer_update_member` drains it and then enables it, and
/// the answer and the listing follow each change while the other member
/// stays enabled. Not claimed: a condition at creation, at attach and in
/// an update is refused and nothing changes.
pub async fn member_condition(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    Ctx::run("member_condition", "cond", driver, options, condition_body).await
}

async fn condition_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let members = ctx.members(2)?;
    let (Some(first), Some(second)) = (members.first().cloned(), members.get(1).cloned()) else {
        return Err(ctx.fail("pick members", "two members", show_members(&members)));
    };
    let name = ctx.name();
    if !ctx.caps.member_condition {
        ctx.refuse_create(
            "create_balancer with a disabled member (not claimed)",
            REJECTED,
            ctx.request(&ctx.name_n("c"))
                .member(first.clone().condition(MemberCondition::Disabled)),
        )
        .await?;
        let b = ctx.create(ctx.request(&name)).await?;
        ctx.ok(
            "attach a member",
            d.balancer_attach_member(&b, first.clone()),
        )
        .await?;
        let call = d.balancer_attach_member(&b, second.condition(MemberCondition::Disabled));
        refused_unchanged(
            ctx,
            "attach a disabled member (not claimed)",
            REJECTED,
            &b,
            call,
        )
        .await?;
        let update = UpdateMember::new().condition(MemberCondition::Draining);
        let call = d.balancer_update_member(&b, &first, update);
        refused_unchanged(ctx, "drain a member (not claimed)", REJECTED, &b, call).await?;
        return Ok(());
    }
    let b = ctx.create(ctx.request(&name)).await?;
    let first = first.condition(MemberCondition::Disabled);
    for m in [&first, &second] {
        attach_checked(ctx, &b, m).await?;
    }
    for m in [&first, &second] {
        let step = format!("list members after attaching {}", show_member(m));
        let listed = listed_member(ctx, &step, &b, m).await?;
        ctx.check_eq(
            &format!("{step}: condition"),
            &m.condition,
            &listed.condition,
        )?;
    }
    for condition in [MemberCondition::Draining, MemberCondition::Enabled] {
        let target = listed_member(ctx, "list members before the update", &b, &first).await?;
        let step = format!(
            "balancer_update_member {} to {condition}",
            show_member(&target)
        );
        let update = UpdateMember::new().condition(condition);
        let answer = ctx
            .ok(&step, d.balancer_update_member(&b, &target, update))
            .await?;
        ctx.check(
            same_member(&answer, &target) && answer.condition == condition,
            &format!("{step}: the answer"),
            format!("{} {condition}", target.id),
            show_member(&answer),
        )?;
        let listed = listed_member(ctx, &format!("{step}: list members"), &b, &first).await?;
        ctx.check_eq(
            &format!("{step}: listed condition"),
            &condition,
            &listed.condition,
        )?;
        let other = listed_member(ctx, &format!("{step}: list members"), &b, &second).await?;
        ctx.check_eq(
            &format!("{step}: the other member's condition"),
            &MemberCondition::Enabled,
            &other.condition,
        )?;
    }
    Ok(())
}

/// `balancer_update_member` as a whole. Where weights or conditions are
/// claimed: one update of every claimed field returns the member exactly
/// as the listing then shows it, the other member is untouched, an empty
/// update is `InvalidInput`, and a member that is not attached or a
/// balancer that does not exist is `NotFound`; none of these change the
/// members. Where neither is claimed: every update is `Unsupported` and
/// changes nothing.
pub async fn update_member(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    Ctx::run("update_member", "updm", driver, options, update_member_body).await
}

async fn update_member_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let caps = ctx.caps;
    let members = ctx.members(3)?;
    let (Some(first), Some(second), Some(stranger)) = (
        members.first().cloned(),
        members.get(1).cloned(),
        members.get(2).cloned(),
    ) else {
        return Err(ctx.fail("pick members", "three members", show_members(&members)));
    };
    let name = ctx.name();
    let b = ctx.create(ctx.request(&name)).await?;
    for m in [&first, &second] {
        ctx.ok(
            &format!("attach {}", show_member(m)),
            d.balancer_attach_member(&b, m.clone()),
        )
        .await?;
    }
    let target = listed_member(ctx, "list members", &b, &first).await?;
    let (_, mid, _) = weights(ctx.limits.weight);
    if !caps.can_update_member() {
        for (what, update) in [
            ("weight", UpdateMember::new().weight(mid)),
            (
                "condition",
                UpdateMember::new().condition(MemberCondition::Disabled),
            ),
        ] {
            let step =
                format!("balancer_update_member {what} (neither weights nor conditions claimed)");
            let call = d.balancer_update_member(&b, &target, update);
            refused_unchanged(ctx, &step, &[ErrorKind::Unsupported], &b, call).await?;
        }
        return Ok(());
    }
    let mut update = UpdateMember::new();
    if caps.member_weight {
        update = update.weight(mid);
    }
    if caps.member_condition {
        update = update.condition(MemberCondition::Draining);
    }
    let other_before = listed_member(ctx, "list members", &b, &second).await?;
    let step = format!(
        "balancer_update_member {} with {update:?}",
        show_member(&target)
    );
    let answer = ctx
        .ok(&step, d.balancer_update_member(&b, &target, update))
        .await?;
    let listed = listed_member(ctx, &format!("{step}: list members"), &b, &first).await?;
    ctx.check_eq(
        &format!("{step}: the answer is the member as listed"),
        &snapshot(std::slice::from_ref(&listed)),
        &snapshot(std::slice::from_ref(&answer)),
    )?;
    ctx.check(
        update.weight.is_none_or(|w| listed.weight == Some(w))
            && update.condition.is_none_or(|c| listed.condition == c),
        &format!("{step}: listed"),
        format!("{update:?} applied"),
        show_member(&listed),
    )?;
    let other = listed_member(ctx, &format!("{step}: list members"), &b, &second).await?;
    ctx.check_eq(
        &format!("{step}: the other member"),
        &snapshot(std::slice::from_ref(&other_before)),
        &snapshot(std::slice::from_ref(&other)),
    )?;

    let call = d.balancer_update_member(&b, &listed, UpdateMember::new());
    refused_unchanged(
        ctx,
        "an empty balancer_update_member",
        &[ErrorKind::InvalidInput],
        &b,
        call,
    )
    .await?;
    let call = d.balancer_update_member(&b, &stranger, update);
    refused_unchanged(
        ctx,
        "balancer_update_member of a member that is not attached",
        &[ErrorKind::NotFound],
        &b,
        call,
    )
    .await?;
    let ghost = ctx.ghost();
    ctx.err_plain(
        "balancer_update_member on a balancer that does not exist",
        &[ErrorKind::NotFound],
        d.balancer_update_member(&ghost, &listed, update),
    )
    .await?;
    Ok(())
}

/// `balancer_attach_members` attaches all given members at once and
/// `balancer_detach_members` detaches several; a batch holding one invalid
/// member, or one member more than `limits.members_per_call`, is
/// `InvalidInput` and attaches none of it. (The kit cannot see whether a
/// batch is one provider call; `batch_members` claims that, and the
/// driver's own tests must prove it.)
pub async fn batch_members(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    Ctx::run("batch_members", "batch", driver, options, batch_body).await
}

async fn batch_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let k = ctx.batch_max();
    let members = ctx.members(k)?;
    let name = ctx.name();
    let b = ctx.create(ctx.request(&name)).await?;
    let attached = ctx
        .ok(
            &format!("attach {k} members at once"),
            d.balancer_attach_members(&b, members.clone()),
        )
        .await?;
    check_members(ctx, "attach_members' answer", &attached, &members, false)?;
    ctx.check(
        attached.iter().all(|m| !m.id.is_empty()),
        "attach_members' answer",
        "every member with an id",
        show_members(&attached),
    )?;
    let listed = ctx
        .ok(
            "list members after batch attach",
            d.balancer_list_members(&b),
        )
        .await?;
    check_members(ctx, "members after batch attach", &listed, &members, true)?;

    let bad = if ctx.caps.member_by_address {
        Member::address("192.0.2.99", 0)
    } else {
        Member::default()
    };
    let mut mixed: Vec<Member> = members.iter().take(k.saturating_sub(1)).cloned().collect();
    mixed.push(bad);
    let call = d.balancer_attach_members(&b, mixed);
    refused_unchanged(
        ctx,
        "attach a batch holding an invalid member",
        &[ErrorKind::InvalidInput],
        &b,
        call,
    )
    .await?;
    if let Some(most) = ctx.limits.members_per_call
        && most < 1000
    {
        let too_many = ctx.many_members(most + 1);
        let call = d.balancer_attach_members(&b, too_many);
        refused_unchanged(
            ctx,
            &format!(
                "attach {} members, one more than members_per_call",
                most + 1
            ),
            &[ErrorKind::InvalidInput],
            &b,
            call,
        )
        .await?;
    }

    let detach = k.saturating_sub(1).max(1);
    let (gone, kept): (Vec<_>, Vec<_>) = listed
        .iter()
        .cloned()
        .partition(|m| members.iter().take(detach).any(|w| same_member(m, w)));
    ctx.ok(
        &format!("detach {detach} members at once"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_span_the_range() {
        assert_eq!(weights(Some(Range::new(0, 256))), (0, 128, 256));
        assert_eq!(weights(Some(Range::new(1, 1))), (1, 1, 1));
        assert_eq!(weights(None), (1, 50, 100));
    }
}
