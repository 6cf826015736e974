//! Scenarios on what `Capabilities` claims about balancers: updates, the
//! algorithm, listeners, placement and tags. A claimed capability must
//! work and read back; an unclaimed one must be refused and change nothing.

use std::collections::BTreeMap;

use strum::IntoEnumIterator;

use crate::{
    Algorithm, Balancer, CreateBalancer, Driver, ErrorKind, Listener, Protocol, Scheme,
    UpdateBalancer,
};

use super::ctx::{Ctx, REJECTED};
use super::{KitError, KitOptions};

/// Each claimed update (name, port, protocol, algorithm) takes effect and
/// shows in the answer and in `get_balancer` (the algorithm in
/// `Balancer::algorithm`); each unclaimed one is `Unsupported` and leaves
/// the balancer unchanged.
pub async fn update_balancer(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    Ctx::run("update_balancer", "upd", driver, options, update_body).await
}

/// The parts of a balancer an update may touch.
type Shape = (
    String,
    Option<u16>,
    Option<Protocol>,
    Vec<Listener>,
    Option<Algorithm>,
);

fn shape(b: &Balancer) -> Shape {
    (
        b.name.clone(),
        b.port,
        b.protocol,
        b.listeners.clone(),
        b.algorithm,
    )
}

/// Another protocol the driver offers that needs no certificate.
fn other_protocol(ctx: &Ctx<'_>) -> Option<Protocol> {
    let main = ctx.protocol();
    let offered = ctx.driver.list_protocols();
    [Protocol::Tcp, Protocol::Http]
        .into_iter()
        .find(|p| *p != main && offered.contains(p))
}

async fn update_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let caps = ctx.caps;
    let name = ctx.name();
    let mut current = ctx.create(ctx.request(&name)).await?;
    let renamed = ctx.name_n("r");
    let protocol = other_protocol(ctx);
    let mut updates = vec![
        (
            "name",
            caps.update_name,
            UpdateBalancer::new().name(renamed.clone()),
        ),
        ("port", caps.update_port, UpdateBalancer::new().port(8081)),
    ];
    if let Some(p) = protocol {
        updates.push((
            "protocol",
            caps.update_protocol,
            UpdateBalancer::new().protocol(p),
        ));
    }
    let algorithm = d
        .list_supported_algorithms()
        .into_iter()
        .find(|a| Some(*a) != current.algorithm);
    if let Some(a) = algorithm {
        updates.push((
            "algorithm",
            caps.update_algorithm,
            UpdateBalancer::new().algorithm(a),
        ));
    }
    for (field, claimed, update) in updates {
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
                    "protocol" => ctx.check_eq(&step, &protocol, &b.protocol)?,
                    _ => ctx.check_eq(&step, &algorithm, &b.algorithm)?,
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

/// With `choose_algorithm` claimed: a balancer created with each offered
/// algorithm reports it in `Balancer::algorithm` from create, get and the
/// listing; an algorithm the driver does not offer is `InvalidInput` and
/// creates nothing. Not claimed: a create naming an algorithm is refused
/// (`Unsupported` or `InvalidInput`) and creates nothing.
pub async fn algorithm_chosen(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    Ctx::run("algorithm_chosen", "algo", driver, options, algorithm_body).await
}

async fn algorithm_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let offered = d.list_supported_algorithms();
    if !ctx.caps.choose_algorithm {
        let a = offered.first().copied().unwrap_or(Algorithm::RoundRobin);
        let name = ctx.name();
        ctx.refuse_create(
            &format!("create_balancer with algorithm {a} (not claimed)"),
            REJECTED,
            ctx.request(&name).algorithm(a),
        )
        .await?;
        return Ok(());
    }
    for (i, a) in offered.iter().copied().enumerate() {
        let name = ctx.name_n(&format!("a{i}"));
        let b = ctx.create(ctx.request(&name).algorithm(a)).await?;
        ctx.check_eq(
            &format!("create with {a}: the answer's algorithm"),
            &Some(a),
            &b.algorithm,
        )?;
        let got = ctx
            .ok(
                &format!("get_balancer after create with {a}"),
                d.get_balancer(&b.id),
            )
            .await?;
        ctx.check_eq(
            &format!("create with {a}: get_balancer's algorithm"),
            &Some(a),
            &got.algorithm,
        )?;
        let all = ctx.ok("list_balancers", d.list_balancers()).await?;
        let listed = all.iter().find(|x| x.id == b.id).and_then(|x| x.algorithm);
        ctx.check_eq(
            &format!("create with {a}: the listing's algorithm"),
            &Some(a),
            &listed,
        )?;
    }
    if let Some(a) = Algorithm::iter().find(|a| !offered.contains(a)) {
        let name = ctx.name_n("x");
        ctx.refuse_create(
            &format!("create_balancer with {a}, which the driver does not offer"),
            &[ErrorKind::InvalidInput],
            ctx.request(&name).algorithm(a),
        )
        .await?;
    }
    Ok(())
}

/// With `multiple_listeners` claimed: a balancer created with up to three
/// listeners (no more than `listeners_per_balancer`) reads them all back.
/// Not claimed: a create with two listeners is refused and creates nothing.
pub async fn listeners(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    Ctx::run("listeners", "lsn", driver, options, listeners_body).await
}

async fn listeners_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let protocol = ctx.protocol();
    let name = ctx.name();
    let with = |n: usize| -> CreateBalancer {
        (1..n).fold(ctx.request(&name), |req, i| {
            let i = u16::try_from(i).unwrap_or(0);
            req.listener(Listener::new(80 + i, protocol, 8080 + i))
        })
    };
    if !ctx.caps.multiple_listeners {
        ctx.refuse_create(
            "create_balancer with two listeners (not claimed)",
            REJECTED,
            with(2),
        )
        .await?;
        return Ok(());
    }
    let n = ctx.limits.listeners_per_balancer.min(3);
    let request = with(n);
    let wanted = request.listeners.clone();
    let b = ctx.create(request).await?;
    let got = ctx
        .ok("get_balancer", ctx.driver.get_balancer(&b.id))
        .await?;
    for (what, x) in [("answer", &b), ("get_balancer", &got)] {
        ctx.check_eq(
            &format!("{what}: listener count"),
            &wanted.len(),
            &x.listeners.len(),
        )?;
        for l in &wanted {
            let found = x.listener(l.port);
            ctx.check(
                found.is_some_and(|f| {
                    f.protocol == l.protocol && f.instance_port == l.instance_port
                }),
                &format!("{what}: listener on port {}", l.port),
                l.to_string(),
                found.map_or_else(|| "none".to_owned(), ToString::to_string),
            )?;
        }
    }
    Ok(())
}

/// Zones, subnets, security groups and the scheme at creation, each where
/// claimed: the create succeeds (zones read back in `Balancer::zones`).
/// Each unclaimed one is refused and creates nothing. Values come from
/// [`KitOptions::zones`], [`KitOptions::subnets`] and
/// [`KitOptions::security_groups`], or made-up ones when none are given.
pub async fn placement(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    Ctx::run("placement", "place", driver, options, placement_body).await
}

fn or_made_up(given: &[String], made_up: &str) -> Vec<String> {
    if given.is_empty() {
        vec![made_up.to_owned()]
    } else {
        given.to_vec()
    }
}

async fn placement_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let caps = ctx.caps;
    let zones = or_made_up(&ctx.options.zones, "kit-zone-a");
    let subnets = or_made_up(&ctx.options.subnets, "subnet-kit0001");
    let groups = or_made_up(&ctx.options.security_groups, "sg-kit0001");
    // Where subnets exist, security groups and the scheme go with them
    // (a VPC balancer), else with the standard (zoned) request.
    let base = |name: &str| {
        if caps.subnets {
            ctx.bare_request(name).subnets(subnets.clone())
        } else {
            ctx.request(name)
        }
    };
    let cases = [
        (
            "zones",
            caps.zones,
            ctx.bare_request(&ctx.name_n("z")).zones(zones.clone()),
        ),
        (
            "subnets",
            caps.subnets,
            ctx.bare_request(&ctx.name_n("s")).subnets(subnets.clone()),
        ),
        (
            "security_groups",
            caps.security_groups,
            base(&ctx.name_n("g")).security_groups(groups),
        ),
        (
            "scheme",
            caps.scheme,
            base(&ctx.name_n("i")).scheme(Scheme::Internal),
        ),
    ];
    for (field, claimed, request) in cases {
        if !claimed {
            ctx.refuse_create(
                &format!("create_balancer with {field} (not claimed)"),
                REJECTED,
                request,
            )
            .await?;
            continue;
        }
        let b = ctx.create(request).await?;
        if field == "zones" {
            let got = ctx
                .ok("get_balancer", ctx.driver.get_balancer(&b.id))
                .await?;
            ctx.check(
                zones.iter().all(|z| got.zones.contains(z)),
                "get_balancer's zones",
                format!("{zones:?}"),
                format!("{:?}", got.zones),
            )?;
        }
        ctx.destroy(&b).await?;
    }
    Ok(())
}

/// With `tags` claimed: tags given at creation read back in
/// `Balancer::tags` from the create's answer, `get_balancer` and
/// `list_balancers` (the provider may add its own). Not claimed: a create
/// with tags is refused and creates nothing.
pub async fn tags_read_back(driver: &dyn Driver, options: &KitOptions) -> Result<(), KitError> {
    Ctx::run("tags_read_back", "tags", driver, options, tags_body).await
}

async fn tags_body(ctx: &mut Ctx<'_>) -> Result<(), KitError> {
    let d = ctx.driver;
    let tags: BTreeMap<String, String> = [
        ("kit-owner", ctx.options.prefix.as_str()),
        ("kit-scenario", "tags_read_back"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let name = ctx.name();
    let request = tags
        .iter()
        .fold(ctx.request(&name), |r, (k, v)| r.tag(k.clone(), v.clone()));
    if !ctx.caps.tags {
        ctx.refuse_create("create_balancer with tags (not claimed)", REJECTED, request)
            .await?;
        return Ok(());
    }
    let b = ctx.create(request).await?;
    let got = ctx.ok("get_balancer", d.get_balancer(&b.id)).await?;
    let all = ctx.ok("list_balancers", d.list_balancers()).await?;
    let listed = all.into_iter().find(|x| x.id == b.id).unwrap_or_default();
    for (what, x) in [
        ("create's answer", &b),
        ("get_balancer", &got),
        ("list_balancers", &listed),
    ] {
        let has_all = tags.iter().all(|(k, v)| x.tags.get(k) == Some(v));
        ctx.check(
            has_all,
            &format!("tags in {what}"),
            format!("{tags:?}"),
            format!("{:?}", x.tags),
        )?;
    }
    Ok(())
}
