//! The one place where a driver's [`Capabilities`](crate::Capabilities)
//! and [`Limits`](crate::Limits) are enforced: check functions every
//! driver calls at its entry, and
//! [`CheckedDriver`], the layer the registry wraps around every driver so
//! the same checks run before the driver is called.
//!
//! A field the driver cannot honour is never dropped: an operation or a
//! field outside the capabilities is [`ErrorKind::Unsupported`] naming it,
//! a value outside the limits is [`ErrorKind::InvalidInput`] naming the
//! field and the rule. No check does I/O.

use crate::{
    Algorithm, Balancer, CreateBalancer, Driver, Error, ErrorKind, HealthCheck, Member,
    MemberCondition, MemberKind, Result, UpdateBalancer, UpdateMember, validate,
};

/// An `Unsupported` error naming the field the driver cannot honour.
fn unsupported_field(driver: &dyn Driver, operation: &str, field: &str, what: &str) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        format!("{} does not support {what}", driver.name()),
    )
    .with_field(field)
    .with_operation(operation)
    .with_provider(driver.name())
}

/// Fails with `Unsupported` unless `on`.
fn need(on: bool, driver: &dyn Driver, operation: &str, field: &str, what: &str) -> Result<()> {
    if on {
        Ok(())
    } else {
        Err(unsupported_field(driver, operation, field, what))
    }
}

/// Checks an algorithm the caller wants: the driver must let callers choose
/// (`choose` is the capability that applies) and offer it.
fn algorithm(driver: &dyn Driver, operation: &str, choose: bool, wanted: Algorithm) -> Result<()> {
    need(
        choose,
        driver,
        operation,
        "algorithm",
        "choosing the algorithm",
    )?;
    let offered = driver.list_supported_algorithms();
    if offered.contains(&wanted) {
        return Ok(());
    }
    let names: Vec<String> = offered.iter().map(ToString::to_string).collect();
    Err(Error::invalid_input(
        "algorithm",
        format!(
            "{wanted} is not offered by {}; use one of {}",
            driver.name(),
            names.join(", ")
        ),
    )
    .with_operation(operation))
}

/// Checks members for attaching (at creation or later): their shape and
/// the limits ([`validate::members`]), then that the driver can name each
/// one as given, carry its weight and set its condition.
pub fn members(driver: &dyn Driver, operation: &str, members: &[Member]) -> Result<()> {
    let limits = driver.limits();
    validate::members(&limits, members).map_err(|e| e.with_operation(operation))?;
    let caps = driver.capabilities();
    for (i, m) in members.iter().enumerate() {
        let field = format!("members[{i}]");
        match m.kind {
            MemberKind::Instance => {
                need(
                    caps.member_by_instance,
                    driver,
                    operation,
                    &format!("{field}.id"),
                    "members named by instance id",
                )?;
                if m.port.is_some() {
                    need(
                        caps.member_instance_port,
                        driver,
                        operation,
                        &format!("{field}.port"),
                        "a port on an instance member",
                    )?;
                }
            }
            MemberKind::Address => {
                need(
                    caps.member_by_address,
                    driver,
                    operation,
                    &format!("{field}.ip"),
                    "members named by address",
                )?;
                if !m.id.is_empty() {
                    need(
                        caps.member_named_address,
                        driver,
                        operation,
                        &format!("{field}.id"),
                        "choosing the id of an address member",
                    )?;
                }
            }
        }
        if m.weight.is_some() {
            need(
                caps.member_weight,
                driver,
                operation,
                &format!("{field}.weight"),
                "member weights",
            )?;
        }
        if m.condition != MemberCondition::Enabled {
            need(
                caps.member_condition,
                driver,
                operation,
                &format!("{field}.condition"),
                "member conditions",
            )?;
        }
    }
    Ok(())
}

/// Checks members for detaching: their shape and that the driver names
/// members that way. Weights and conditions are ignored (a member read
/// back from the driver may carry them).
pub fn detach_members(driver: &dyn Driver, members: &[Member]) -> Result<()> {
    const OP: &str = "balancer_detach_members";
    let caps = driver.capabilities();
    for (i, m) in members.iter().enumerate() {
        let field = format!("members[{i}]");
        m.validate(&field).map_err(|e| e.with_operation(OP))?;
        let (on, sub, what) = match m.kind {
            MemberKind::Instance => (
                caps.member_by_instance,
                "id",
                "members named by instance id",
            ),
            MemberKind::Address => (caps.member_by_address, "ip", "members named by address"),
        };
        need(on, driver, OP, &format!("{field}.{sub}"), what)?;
    }
    Ok(())
}

/// Checks a health check against the driver: health checks supported and
/// the check within the driver's limits.
pub fn health_check(driver: &dyn Driver, operation: &str, hc: &HealthCheck) -> Result<()> {
    need(
        driver.capabilities().health_check,
        driver,
        operation,
        "health_check",
        "health checks",
    )?;
    hc.validate(&driver.limits())
        .map_err(|e| e.with_operation(operation))
}

/// Checks a whole create request against the driver: the request's own
/// rules under the driver's limits, protocols the driver offers, a second
/// listener only with `multiple_listeners`, an algorithm only where the
/// caller may choose one it offers, members, the health check, and zones,
/// subnets, security groups, a scheme and tags only where supported.
pub fn create_balancer(driver: &dyn Driver, request: &CreateBalancer) -> Result<()> {
    const OP: &str = "create_balancer";
    let caps = driver.capabilities();
    request
        .validate(&driver.limits())
        .map_err(|e| e.with_operation(OP))?;
    let protocols = driver.list_protocols();
    for (i, l) in request.listeners.iter().enumerate() {
        validate::protocol_supported(&format!("listeners[{i}].protocol"), l.protocol, &protocols)
            .map_err(|e| e.with_operation(OP))?;
    }
    if request.listeners.len() > 1 {
        need(
            caps.multiple_listeners,
            driver,
            OP,
            "listeners[1]",
            "more than one listener",
        )?;
    }
    if let Some(a) = request.algorithm {
        algorithm(driver, OP, caps.choose_algorithm, a)?;
    }
    members(driver, OP, &request.members)?;
    if let Some(hc) = &request.health_check {
        health_check(driver, OP, hc)?;
    }
    for (field, set, on, what) in [
        (
            "zones",
            !request.zones.is_empty(),
            caps.zones,
            "availability zones",
        ),
        (
            "subnets",
            !request.subnets.is_empty(),
            caps.subnets,
            "subnets",
        ),
        (
            "security_groups",
            !request.security_groups.is_empty(),
            caps.security_groups,
            "security groups",
        ),
        (
            "scheme",
            request.scheme.is_some(),
            caps.scheme,
            "choosing the scheme",
        ),
        ("tags", !request.tags.is_empty(), caps.tags, "tags"),
    ] {
        if set {
            need(on, driver, OP, field, what)?;
        }
    }
    Ok(())
}

/// Checks an update: not empty, each field allowed by its capability and
/// valid under the driver's limits, a new algorithm one the driver offers.
pub fn update_balancer(driver: &dyn Driver, update: &UpdateBalancer) -> Result<()> {
    const OP: &str = "update_balancer";
    let caps = driver.capabilities();
    update
        .validate(&driver.limits())
        .map_err(|e| e.with_operation(OP))?;
    if update.is_empty() {
        return Err(Error::invalid_input("update", "changes nothing").with_operation(OP));
    }
    for (field, set, on, what) in [
        (
            "name",
            update.name.is_some(),
            caps.update_name,
            "renaming balancers",
        ),
        (
            "port",
            update.port.is_some(),
            caps.update_port,
            "changing the port",
        ),
        (
            "protocol",
            update.protocol.is_some(),
            caps.update_protocol,
            "changing the protocol",
        ),
    ] {
        if set {
            need(on, driver, OP, field, what)?;
        }
    }
    if let Some(p) = update.protocol {
        validate::protocol_supported("protocol", p, &driver.list_protocols())
            .map_err(|e| e.with_operation(OP))?;
    }
    if let Some(a) = update.algorithm {
        algorithm(driver, OP, caps.update_algorithm, a)?;
    }
    Ok(())
}

/// Checks a member update: the member's shape, not empty, a weight only
/// with `member_weight` and in the weight range, a condition only with
/// `member_condition`.
pub fn update_member(driver: &dyn Driver, member: &Member, update: &UpdateMember) -> Result<()> {
    const OP: &str = "balancer_update_member";
    let caps = driver.capabilities();
    need(
        caps.can_update_member(),
        driver,
        OP,
        "update",
        "changing members",
    )?;
    member
        .validate("member")
        .map_err(|e| e.with_operation(OP))?;
    if update.is_empty() {
        return Err(Error::invalid_input("update", "changes nothing").with_operation(OP));
    }
    if let Some(w) = update.weight {
        need(
            caps.member_weight,
            driver,
            OP,
            "update.weight",
            "member weights",
        )?;
        if let Some(range) = driver.limits().weight {
            range
                .check("update.weight", w)
                .map_err(|e| e.with_operation(OP))?;
        }
    }
    if update.condition.is_some() {
        need(
            caps.member_condition,
            driver,
            OP,
            "update.condition",
            "member conditions",
        )?;
    }
    Ok(())
}

/// Checks that the driver reports member health.
pub fn member_health(driver: &dyn Driver) -> Result<()> {
    need(
        driver.capabilities().member_health,
        driver,
        "balancer_member_health",
        "member_health",
        "member health",
    )
}

/// Checks that the driver has health checks, for reading one.
pub fn get_health_check(driver: &dyn Driver) -> Result<()> {
    need(
        driver.capabilities().health_check,
        driver,
        "get_health_check",
        "health_check",
        "health checks",
    )
}

/// Checks a balancer handle: it has an id or a name (a default `Balancer`
/// cannot reach the provider).
pub fn balancer(operation: &str, balancer: &Balancer) -> Result<()> {
    if balancer.id.is_empty() && balancer.name.is_empty() {
        return Err(
            Error::invalid_input("balancer", "has neither an id nor a name")
                .with_operation(operation),
        );
    }
    Ok(())
}

mod layer;

pub use layer::CheckedDriver;

#[cfg(test)]
mod tests;
