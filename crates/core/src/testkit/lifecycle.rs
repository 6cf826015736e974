//! Scenarios on the life cycle of balancers and members.

use futures_util::StreamExt;

use crate::{Balancer, Driver, ErrorKind, Limits, State};

use super::ctx::{Ctx, check_members, same_member, show_member};
use super::{KitError, KitOptions};

/// The most pages the kit reads from one listing before calling it endless.
pub const MAX_PAGES: usize = 10_000;

/// The driver describes itself coherently: a name, at least one protocol
/// and algorithm without duplicates, and at least one way to name members.
pub async fn describes_itself(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    options.check()?;
    let fail = |step: &str, expected: &str, found: String| {
        KitError::new("describes_itself", step, expected, found)
    };
    if driver.name().trim().is_empty() {
        return Err(fail(
            "name()",
            "a non-empty name",
            format!("{:?}", driver.name()),
        ));
    }
    let protocols = driver.list_protocols();
    if protocols.is_empty() || has_duplicate(&protocols) {
        return Err(fail(
            "list_protocols()",
            "at least one protocol, none twice",
            format!("{protocols:?}"),
        ));
    }
    let algorithms = driver.list_supported_algorithms();
    if algorithms.is_empty() || has_duplicate(&algorithms) {
        return Err(fail(
            "list_supported_algorithms()",
            "at least one algorithm, none twice",
            format!("{algorithms:?}"),
        ));
    }
    let caps = driver.capabilities();
    if !caps.member_by_address && !caps.member_by_instance {
        return Err(fail(
            "capabilities()",
            "member_by_address or member_by_instance",
            format!("{caps:?}"),
        ));
    }
    for (flag, on, needs, base) in [
        (
            "member_instance_port",
            caps.member_instance_port,
            "member_by_instance",
            caps.member_by_instance,
        ),
        (
            "member_named_address",
            caps.member_named_address,
            "member_by_address",
            caps.member_by_address,
        ),
    ] {
        if on && !base {
            return Err(fail(
                "capabilities()",
                &format!("{needs} wherever {flag} is claimed"),
                format!("{caps:?}"),
            ));
        }
    }
    let limits = driver.limits();
    if let Some(why) = incoherent(&limits) {
        return Err(fail("limits()", "coherent limits", why));
    }
    if caps.multiple_listeners && limits.listeners_per_balancer < 2 {
        return Err(fail(
            "limits().listeners_per_balancer",
            "at least 2 where multiple_listeners is claimed",
            limits.listeners_per_balancer.to_string(),
        ));
    }
    if caps.health_check && super::health::edge_checks(&limits).is_none() {
        return Err(fail(
            "limits() health-check ranges",
            "a health check the limits accept (health_check is claimed)",
            format!(
                "interval {:?}, timeout {:?}",
                limits.health_interval, limits.health_timeout
            ),
        ));
    }
    Ok(())
}

/// What is wrong with `limits`, if anything: empty ranges, a zero step,
/// no name length, no listener, no member per call.
fn incoherent(limits: &Limits) -> Option<String> {
    let durations = [
        ("health_interval", limits.health_interval),
        ("health_timeout", limits.health_timeout),
    ];
    for (field, r) in durations {
        if r.min > r.max || r.step.is_zero() {
            return Some(format!("{field} {r:?}: min above max or a zero step"));
        }
    }
    let ranges = [
        ("healthy_threshold", Some(limits.healthy_threshold)),
        ("unhealthy_threshold", Some(limits.unhealthy_threshold)),
        ("weight", limits.weight),
    ];
    for (field, r) in ranges {
        if let Some(r) = r
            && r.min > r.max
        {
            return Some(format!("{field} {r:?}: min above max"));
        }
    }
    if limits.name.max_len == 0 {
        return Some("name.max_len 0".into());
    }
    if limits.listeners_per_balancer == 0 {
        return Some("listeners_per_balancer 0".into());
    }
    if limits.members_per_call == Some(0) {
        return Some("members_per_call Some(0)".into());
    }
    None
}

/// Create a balancer with two members, find it in the listing and by id,
/// list its members, attach a third, detach one, destroy it, and see it gone.
pub async fn crud_lifecycle(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    Ctx::run("crud_lifecycle", "crud", driver, options, crud_body).await
}

async fn crud_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let at_create = ctx.batch_max().min(2);
    let members = ctx.members(at_create + 1)?;
    let (first_two, third) = members.split_at(at_create);
    let protocol = ctx.protocol();
    let name = ctx.name();
    let b = ctx
        .create(ctx.request(&name).members(first_two.to_vec()))
        .await?;
    ctx.check_eq("created balancer's name", &name, &b.name)?;
    ctx.check(!b.id.is_empty(), "created balancer's id", "an id", "\"\"")?;
    ctx.check_eq("created balancer's port", &Some(80), &b.port)?;
    ctx.check_eq("created balancer's protocol", &Some(protocol), &b.protocol)?;
    ctx.check(
        !matches!(b.state, State::Error | State::Deleted),
        "created balancer's state",
        "running, pending or unknown",
        b.state.to_string(),
    )?;

    let all = ctx.ok("list_balancers", d.list_balancers()).await?;
    ctx.check(
        all.iter().any(|x| x.id == b.id && x.name == name),
        "list_balancers after create",
        format!("a balancer {:?} named {name:?}", b.id),
        names(&all),
    )?;
    let got = ctx.ok("get_balancer", d.get_balancer(&b.id)).await?;
    ctx.check_eq("get_balancer id", &b.id, &got.id)?;
    ctx.check_eq("get_balancer name", &name, &got.name)?;
    ctx.check_eq("get_balancer port", &Some(80), &got.port)?;

    let listed = ctx
        .ok("list members after create", d.balancer_list_members(&b))
        .await?;
    check_members(ctx, "members after create", &listed, first_two, true)?;

    let wanted = third.first().cloned().unwrap_or_default();
    let attached = ctx
        .ok(
            "attach a member",
            d.balancer_attach_member(&b, wanted.clone()),
        )
        .await?;
    ctx.check(
        same_member(&attached, &wanted) && !attached.id.is_empty(),
        "attach_member's answer",
        format!("{} with an id", show_member(&wanted)),
        show_member(&attached),
    )?;
    let listed = ctx
        .ok("list members after attach", d.balancer_list_members(&b))
        .await?;
    check_members(ctx, "members after attach", &listed, &members, true)?;

    // Detach the first member as the driver listed it, as a caller would.
    let first = members.first().cloned().unwrap_or_default();
    let victim = listed
        .iter()
        .find(|m| same_member(m, &first))
        .cloned()
        .unwrap_or(first);
    ctx.ok("detach a member", d.balancer_detach_member(&b, &victim))
        .await?;
    let listed = ctx
        .ok("list members after detach", d.balancer_list_members(&b))
        .await?;
    let rest: Vec<_> = members.iter().skip(1).cloned().collect();
    check_members(ctx, "members after detach", &listed, &rest, true)?;

    ctx.destroy(&b).await?;
    ctx.err_plain(
        "get_balancer after destroy",
        &[ErrorKind::NotFound],
        d.get_balancer(&b.id),
    )
    .await?;
    Ok(())
}

/// A destroyed (or never created) balancer is `NotFound` for `get_balancer`,
/// `balancer_list_members` and `balancer_attach_member`, and is gone from the
/// listing; destroying it again is `Ok` or `NotFound`.
pub async fn not_found_after_destroy(
    driver: &dyn Driver,
    options: &KitOptions,
) -> Result<(), KitError> {
    Ctx::run(
        "not_found_after_destroy",
        "gone",
        driver,
        options,
        not_found_body,
    )
    .await
}

async fn not_found_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let ghost = ctx.ghost();
    ctx.err_plain(
        "get_balancer of a balancer never created",
        &[ErrorKind::NotFound],
        d.get_balancer(&ghost.id),
    )
    .await?;
    let name = ctx.name();
    let b = ctx.create(ctx.request(&name)).await?;
    ctx.destroy(&b).await?;
    ctx.err_plain(
        "get_balancer after destroy",
        &[ErrorKind::NotFound],
        d.get_balancer(&b.id),
    )
    .await?;
    ctx.err_plain(
        "balancer_list_members after destroy",
        &[ErrorKind::NotFound],
        d.balancer_list_members(&b),
    )
    .await?;
    let member = ctx.members(1)?.into_iter().next().unwrap_or_default();
    ctx.err_plain(
        "balancer_attach_member after destroy",
        &[ErrorKind::NotFound],
        d.balancer_attach_member(&b, member),
    )
    .await?;
    let all = ctx
        .ok("list_balancers after destroy", d.list_balancers())
        .await?;
    ctx.check(
        !all.iter().any(|x| x.id == b.id),
        "list_balancers after destroy",
        format!("no balancer {:?}", b.id),
        names(&all),
    )?;
    match d.destroy_balancer(&b).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(ctx.fail(
            "destroy_balancer twice",
            "success or NotFound",
            format!("{} error: {e}", e.kind()),
        )),
    }
}

/// Creating a second balancer with a taken name (and a different port, so
/// even an idempotent provider must refuse) is `AlreadyExists`, and leaves
/// one balancer of that name.
pub async fn already_exists(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    Ctx::run(
        "already_exists",
        "dup",
        driver,
        options,
        already_exists_body,
    )
    .await
}

async fn already_exists_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let name = ctx.name();
    ctx.create(ctx.request(&name)).await?;
    let mut again = ctx.request(&name);
    if let Some(l) = again.listeners.first_mut() {
        l.port = 81;
    }
    ctx.err(
        "create a balancer with a taken name",
        &[ErrorKind::AlreadyExists],
        d.create_balancer(again),
        |c, b| c.track(b),
    )
    .await?;
    let all = ctx.ok("list_balancers", d.list_balancers()).await?;
    let count = all.iter().filter(|b| b.name == name).count();
    ctx.check(
        count == 1,
        "balancers named like the duplicate",
        "exactly 1",
        count.to_string(),
    )
}

/// The streaming listing, page by page, holds the same balancers in the
/// same order as `list_balancers`, with no balancer on two pages.
pub async fn pages_match_list(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    Ctx::run("pages_match_list", "pages", driver, options, pages_body).await
}

async fn pages_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let mut ids = Vec::new();
    for i in 1..=3 {
        let name = ctx.name_n(&i.to_string());
        ids.push(ctx.create(ctx.request(&name)).await?.id);
    }
    let pages = collect_pages(ctx).await?;
    compare_with_list(ctx, &pages, &ids).await
}

/// Reads the whole page stream (at most [`MAX_PAGES`] pages), failing on a
/// page error or a balancer on two pages.
async fn collect_pages(ctx: &Ctx<'_>) -> Result<Vec<Vec<Balancer>>, KitError> {
    let mut pages = Vec::new();
    let mut stream = ctx.driver.list_balancers_pages();
    while let Some(page) = stream.next().await {
        if pages.len() >= MAX_PAGES {
            return Err(ctx.fail(
                "list_balancers_pages",
                format!("at most {MAX_PAGES} pages"),
                "more (the stream does not end)",
            ));
        }
        let page = page.map_err(|e| {
            ctx.fail(
                &format!("list_balancers_pages, page {}", pages.len() + 1),
                "success",
                format!("error: {e}"),
            )
        })?;
        pages.push(page);
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = pages.iter().flatten().find(|b| !seen.insert(b.id.clone())) {
        return Err(ctx.fail(
            "list_balancers_pages",
            "each balancer on one page",
            format!("{:?} twice", dup.id),
        ));
    }
    Ok(pages)
}

/// Checks that the kit's balancers in `pages` are those of `list_balancers`,
/// in the same order, and include `ids`.
async fn compare_with_list(
    ctx: &Ctx<'_>,
    pages: &[Vec<Balancer>],
    ids: &[String],
) -> Result<(), KitError> {
    let listed = ctx
        .ok("list_balancers", ctx.driver.list_balancers())
        .await?;
    let from_pages: Vec<String> = pages
        .iter()
        .flatten()
        .filter(|b| ctx.owns(&b.name))
        .map(|b| b.id.clone())
        .collect();
    let from_list: Vec<String> = listed
        .iter()
        .filter(|b| ctx.owns(&b.name))
        .map(|b| b.id.clone())
        .collect();
    ctx.check_eq(
        "the kit's balancers, pages vs list",
        &from_list,
        &from_pages,
    )?;
    ctx.check(
        ids.iter().all(|id| from_list.contains(id)),
        "the kit's balancers in the listing",
        format!("{ids:?}"),
        format!("{from_list:?}"),
    )
}

/// With `paginated_listing` claimed and [`KitOptions::page_size`] given:
/// `page_size + 1` balancers come back in more than one page from
/// `list_balancers_pages`, and the pages hold the same balancers as
/// `list_balancers`. Claimed without a page size: the stream ends and
/// matches the list (the kit cannot force a second page). Not claimed: the
/// listing is one page.
pub async fn listing_beyond_one_page(
    driver: &dyn Driver,
    options: &KitOptions,
) -> Result<(), KitError> {
    Ctx::run(
        "listing_beyond_one_page",
        "many",
        driver,
        options,
        beyond_body,
    )
    .await
}

async fn beyond_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let count = match (ctx.caps.paginated_listing, ctx.options.page_size) {
        (true, Some(n)) => n + 1,
        _ => 2,
    };
    let mut ids = Vec::new();
    for i in 1..=count {
        let name = ctx.name_n(&i.to_string());
        ids.push(ctx.create(ctx.request(&name)).await?.id);
    }
    let pages = collect_pages(ctx).await?;
    let non_empty = pages.iter().filter(|p| !p.is_empty()).count();
    match (ctx.caps.paginated_listing, ctx.options.page_size) {
        (true, Some(n)) => {
            ctx.check(
                non_empty > 1,
                &format!("list_balancers_pages with {count} balancers and page size {n}"),
                "more than one page",
                format!("{non_empty} page(s)"),
            )?;
            let too_big = pages.iter().map(Vec::len).max().unwrap_or(0);
            ctx.check(
                too_big <= n,
                "the largest page",
                format!("at most {n} balancers (KitOptions::page_size)"),
                too_big.to_string(),
            )?;
        }
        (true, None) => {}
        (false, _) => ctx.check(
            pages.len() <= 1,
            "list_balancers_pages without paginated_listing",
            "one page",
            format!("{} pages", pages.len()),
        )?,
    }
    compare_with_list(ctx, &pages, &ids).await
}

fn names(all: &[Balancer]) -> String {
    let items: Vec<String> = all.iter().map(|b| format!("{}={}", b.id, b.name)).collect();
    format!("[{}]", items.join(", "))
}

fn has_duplicate<T: std::hash::Hash + Eq>(items: &[T]) -> bool {
    let mut seen = std::collections::HashSet::new();
    items.iter().any(|i| !seen.insert(i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::{DurationRange, Range};

    #[test]
    fn incoherent_limits_are_named() {
        assert_eq!(incoherent(&Limits::new()), None);
        let bad = [
            Limits::new().with_health_interval(DurationRange::secs(10, 5)),
            Limits::new().with_health_timeout(DurationRange {
                step: std::time::Duration::ZERO,
                ..DurationRange::secs(1, 5)
            }),
            Limits::new().with_healthy_threshold(Range::new(3, 2)),
            Limits::new().with_weight(Some(Range::new(10, 1))),
            Limits::new().with_listeners_per_balancer(0),
            Limits::new().with_members_per_call(Some(0)),
        ];
        for limits in bad {
            assert!(incoherent(&limits).is_some(), "{limits:?}");
        }
    }
}
