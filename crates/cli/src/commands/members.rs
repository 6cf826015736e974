//! Members and health: members, attach, detach, update-member,
//! member-health (with a bounded wait), health-check get / set.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use lbcloud::{
    Balancer, Driver, Error, ErrorKind, HealthState, Member, MemberCondition, MemberHealth, Result,
    UpdateMember,
};

use super::{Session, balancer};
use crate::exit::Outcome;
use crate::output;
use crate::spec;

/// How often `member-health --wait-in-service` asks again.
const POLL: Duration = Duration::from_secs(2);

/// `lbcloud members BALANCER`.
pub(crate) async fn list(s: &mut Session, key: &str) -> Outcome {
    let driver = s.driver()?;
    let b = balancer(driver.as_ref(), key).await?;
    let members = driver.balancer_list_members(&b).await?;
    s.out.many(&members, output::members)
}

/// Parses every member spec, failing on the first bad one.
fn parse_members(specs: &[String]) -> Result<Vec<Member>> {
    specs.iter().map(|m| spec::member(m)).collect()
}

/// `lbcloud attach BALANCER MEMBER...`: one call for all of them.
pub(crate) async fn attach(s: &mut Session, key: &str, specs: &[String]) -> Outcome {
    let wanted = parse_members(specs)?;
    let driver = s.driver()?;
    let b = balancer(driver.as_ref(), key).await?;
    let attached = driver.balancer_attach_members(&b, wanted).await?;
    s.out.many(&attached, output::members)
}

/// The attached member each spec names (by id, or by address and port),
/// as the provider knows it; `NotFound` naming the first that is not attached.
fn resolve<'a>(
    attached: &'a [Member],
    wanted: &[Member],
    specs: &[String],
    b: &Balancer,
) -> Result<Vec<&'a Member>> {
    wanted
        .iter()
        .zip(specs)
        .map(|(w, text)| {
            attached.iter().find(|m| m.same_target(w)).ok_or_else(|| {
                Error::not_found(format!("{text:?} is not a member of balancer {}", b.name))
                    .with_field("member")
            })
        })
        .collect()
}

/// `lbcloud detach BALANCER MEMBER...`: prints the members it detached.
pub(crate) async fn detach(s: &mut Session, key: &str, specs: &[String]) -> Outcome {
    let wanted = parse_members(specs)?;
    let driver = s.driver()?;
    let b = balancer(driver.as_ref(), key).await?;
    let attached = driver.balancer_list_members(&b).await?;
    let gone: Vec<Member> = resolve(&attached, &wanted, specs, &b)?
        .into_iter()
        .cloned()
        .collect();
    driver.balancer_detach_members(&b, &gone).await?;
    s.out.many(&gone, output::members)
}

/// `lbcloud update-member BALANCER MEMBER [--weight W] [--condition C]`.
pub(crate) async fn update(
    s: &mut Session,
    key: &str,
    member: &str,
    weight: Option<u32>,
    condition: Option<&str>,
) -> Outcome {
    let wanted = spec::member(member)?;
    let mut change = UpdateMember::new();
    if let Some(w) = weight {
        change = change.weight(w);
    }
    if let Some(c) = condition {
        change = change.condition(spec::name_of::<MemberCondition>("condition", c)?);
    }
    if change.is_empty() {
        return Err(super::nothing_to_change("--weight or --condition"));
    }
    let driver = s.driver()?;
    let b = balancer(driver.as_ref(), key).await?;
    let attached = driver.balancer_list_members(&b).await?;
    let target = resolve(
        &attached,
        std::slice::from_ref(&wanted),
        &[member.to_owned()],
        &b,
    )?;
    let Some(target) = target.first() else {
        return Err(Error::not_found("no member to update").into());
    };
    let updated = driver.balancer_update_member(&b, target, change).await?;
    s.out
        .one(&updated, |m| output::members(std::slice::from_ref(m)))
}

/// A line on stderr rewritten in place, shown only on a terminal.
struct Progress {
    on: bool,
    width: usize,
}

impl Progress {
    fn new(quiet: bool) -> Self {
        Self {
            on: !quiet && std::io::stderr().is_terminal(),
            width: 0,
        }
    }

    fn show(&mut self, text: &str) {
        if self.on {
            let pad = self.width.saturating_sub(text.chars().count());
            eprint!("\r{text}{}", " ".repeat(pad));
            let _ = std::io::stderr().flush();
            self.width = text.chars().count();
        }
    }

    fn clear(&mut self) {
        if self.on && self.width > 0 {
            eprint!("\r{}\r", " ".repeat(self.width));
            let _ = std::io::stderr().flush();
            self.width = 0;
        }
    }
}

/// How many members are in service, and the ids of the others.
pub(crate) fn tally(health: &[MemberHealth]) -> (usize, Vec<&str>) {
    let waiting: Vec<&str> = health
        .iter()
        .filter(|h| h.state != HealthState::InService)
        .map(|h| h.member_id.as_str())
        .collect();
    (health.len() - waiting.len(), waiting)
}

/// Asks for member health until every member is in service or `timeout`
/// has passed (then `Timeout` naming the members still out).
async fn wait_in_service(
    driver: &dyn Driver,
    b: &Balancer,
    timeout: Duration,
    progress: &mut Progress,
) -> Result<Vec<MemberHealth>> {
    let start = Instant::now();
    loop {
        let health = driver.balancer_member_health(b).await?;
        let (ready, waiting) = tally(&health);
        if waiting.is_empty() {
            return Ok(health);
        }
        let elapsed = start.elapsed();
        if elapsed >= timeout {
            return Err(Error::new(
                ErrorKind::Timeout,
                format!(
                    "{ready} of {} members of {} are in service after {}s; still out: {}",
                    health.len(),
                    b.name,
                    timeout.as_secs(),
                    waiting.join(", ")
                ),
            )
            .with_operation("member-health --wait-in-service"));
        }
        progress.show(&format!(
            "waiting for {}: {ready}/{} members in service ({}s of {}s)",
            b.name,
            health.len(),
            elapsed.as_secs(),
            timeout.as_secs()
        ));
        tokio::time::sleep(POLL.min(timeout - elapsed)).await;
    }
}

/// `lbcloud member-health BALANCER [--wait-in-service [--timeout SECS]]`.
pub(crate) async fn health(s: &mut Session, key: &str, wait: Option<Duration>) -> Outcome {
    let driver = s.driver()?;
    let b = balancer(driver.as_ref(), key).await?;
    let health = match wait {
        None => driver.balancer_member_health(&b).await?,
        Some(timeout) => {
            let mut progress = Progress::new(s.quiet);
            let result = wait_in_service(driver.as_ref(), &b, timeout, &mut progress).await;
            progress.clear();
            result?
        }
    };
    s.out.many(&health, output::health)
}

/// `lbcloud health-check get BALANCER`: JSON `null` when there is none.
pub(crate) async fn get_health_check(s: &mut Session, key: &str) -> Outcome {
    let driver = s.driver()?;
    let b = balancer(driver.as_ref(), key).await?;
    let hc = driver.get_health_check(&b).await?;
    s.out.one(&hc, output::health_check)
}

/// `lbcloud health-check set BALANCER SPEC`: prints the check as stored.
pub(crate) async fn set_health_check(s: &mut Session, key: &str, text: &str) -> Outcome {
    let hc = spec::health_check(text)?;
    let driver = s.driver()?;
    let b = balancer(driver.as_ref(), key).await?;
    let stored = Some(driver.set_health_check(&b, hc).await?);
    s.out.one(&stored, output::health_check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_in_service_and_names_the_rest() {
        let h = [
            MemberHealth::new("i-1", HealthState::InService),
            MemberHealth::new("i-2", HealthState::OutOfService),
            MemberHealth::new("i-3", HealthState::Initial),
        ];
        assert_eq!(tally(&h), (1, vec!["i-2", "i-3"]));
        assert_eq!(tally(&[]), (0, vec![]));
    }

    #[test]
    fn resolve_matches_by_id_or_address() -> Result<()> {
        let b = Balancer::new("lb-1", "web");
        let attached = [
            Member::instance("i-1").port(80),
            Member::address("10.0.0.5", 8080).with_id("m-000001"),
        ];
        let specs = [
            "i-1".to_owned(),
            "10.0.0.5:8080".to_owned(),
            "m-000001".to_owned(),
        ];
        let wanted = parse_members(&specs)?;
        let found = resolve(&attached, &wanted, &specs, &b)?;
        assert_eq!(
            found.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
            ["i-1", "m-000001", "m-000001"]
        );
        let missing = ["10.0.0.6:8080".to_owned()];
        let err = resolve(&attached, &parse_members(&missing)?, &missing, &b).err();
        assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::NotFound));
        Ok(())
    }
}
