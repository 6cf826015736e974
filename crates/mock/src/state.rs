//! The mock's whole state and the pure rules that change it.
//!
//! Nothing here does I/O or waits: the driver locks the state, calls one of
//! these functions and, when it changed something, persists the result.
//! Every function checks everything it needs before it changes anything, so
//! a failed call leaves the state as it was.

use std::collections::BTreeMap;

use lbcloud_core::{
    Algorithm, Balancer, CreateBalancer, Error, ErrorKind, HealthCheck, HealthState, Listener,
    Member, MemberCondition, MemberHealth, Result, State, UpdateBalancer, UpdateMember,
};
use serde::{Deserialize, Serialize};

/// The version written to state files; a file with another version is refused.
pub(crate) const STATE_VERSION: u32 = 2;

/// Everything the mock knows, serializable as one JSON document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct MockState {
    /// Format version of the state file.
    pub(crate) version: u32,
    /// The number of the last balancer id handed out.
    pub(crate) last_balancer: u64,
    /// The number of the last address-member id handed out.
    pub(crate) last_member: u64,
    /// Balancers by id (`lb-000001`, ...), so listings come in id order.
    pub(crate) balancers: BTreeMap<String, StoredBalancer>,
}

/// A balancer with the parts a [`Balancer`] does not carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoredBalancer {
    /// The balancer as the driver reports it (algorithm and tags included).
    pub(crate) balancer: Balancer,
    /// Its members, in attach order.
    pub(crate) members: Vec<StoredMember>,
}

/// A member and the health the mock reports for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoredMember {
    /// The member as the driver reports it (weight and condition included).
    pub(crate) member: Member,
    /// What its health checks say: in service after attach until a test
    /// changes it with `ex_set_member_health`.
    pub(crate) health: HealthState,
}

impl Default for MockState {
    fn default() -> Self {
        Self {
            version: STATE_VERSION,
            last_balancer: 0,
            last_member: 0,
            balancers: BTreeMap::new(),
        }
    }
}

/// The algorithm a balancer gets when the request names none.
const DEFAULT_ALGORITHM: Algorithm = Algorithm::RoundRobin;

fn not_found(id: &str) -> Error {
    Error::not_found(format!("there is no balancer with id {id:?}"))
}

/// A documentation-range address derived from a balancer number, so
/// addresses are deterministic and never route anywhere real.
fn address_for(n: u64) -> String {
    format!(
        "198.{}.{}.{}",
        18 + ((n >> 16) & 1),
        (n >> 8) & 0xff,
        n & 0xff
    )
}

/// Whether `stored` is the member `wanted` names: by id when it has one,
/// else by address and port.
fn same_member(stored: &Member, wanted: &Member) -> bool {
    stored.same_target(wanted)
}

impl MockState {
    /// The balancer with `id`, or `NotFound`.
    pub(crate) fn get(&self, id: &str) -> Result<&StoredBalancer> {
        self.balancers.get(id).ok_or_else(|| not_found(id))
    }

    fn get_mut(&mut self, id: &str) -> Result<&mut StoredBalancer> {
        self.balancers.get_mut(id).ok_or_else(|| not_found(id))
    }

    fn name_taken(&self, name: &str, except_id: Option<&str>) -> bool {
        self.balancers
            .values()
            .any(|b| b.balancer.name == name && Some(b.balancer.id.as_str()) != except_id)
    }

    /// Up to `limit` balancers whose id sorts after `after` (all from the
    /// start when `None`), and whether more follow.
    pub(crate) fn page(&self, after: Option<&str>, limit: usize) -> (Vec<Balancer>, bool) {
        let mut rest = self
            .balancers
            .values()
            .filter(|b| after.is_none_or(|a| b.balancer.id.as_str() > a))
            .map(|b| b.balancer.clone());
        let page: Vec<Balancer> = rest.by_ref().take(limit.max(1)).collect();
        let more = rest.next().is_some();
        (page, more)
    }

    /// Creates a balancer from a request the caller has already validated.
    pub(crate) fn create(&mut self, request: CreateBalancer) -> Result<Balancer> {
        if self.name_taken(&request.name, None) {
            return Err(Error::new(
                ErrorKind::AlreadyExists,
                format!("a balancer named {:?} already exists", request.name),
            )
            .with_field("name"));
        }
        let n = self.last_balancer + 1;
        let id = format!("lb-{n:06}");
        let algorithm = request.algorithm.unwrap_or(DEFAULT_ALGORITHM);
        let mut extra = lbcloud_core::Extra::new();
        if let Some(scheme) = request.scheme {
            extra.insert_str("scheme", &scheme.to_string());
        }
        for (key, list) in [
            ("subnets", &request.subnets),
            ("security_groups", &request.security_groups),
        ] {
            if !list.is_empty() {
                extra.insert_json(key, list.clone().into());
            }
        }
        let mut balancer = Balancer::new(id.clone(), request.name)
            .with_state(State::Running)
            .with_ip(address_for(n))
            .with_listeners(request.listeners)
            .with_algorithm(algorithm)
            .with_zones(request.zones)
            .with_tags(request.tags)
            .with_extra(extra);
        balancer.health_check = request.health_check;
        self.last_balancer = n;
        self.balancers.insert(
            id.clone(),
            StoredBalancer {
                balancer,
                members: Vec::new(),
            },
        );
        self.attach(&id, request.members)?;
        Ok(self.get(&id)?.balancer.clone())
    }

    /// Applies a validated update; an empty update changes nothing.
    pub(crate) fn update(&mut self, id: &str, update: UpdateBalancer) -> Result<Balancer> {
        if let Some(name) = &update.name
            && self.name_taken(name, Some(id))
        {
            return Err(Error::new(
                ErrorKind::AlreadyExists,
                format!("a balancer named {name:?} already exists"),
            )
            .with_field("name"));
        }
        let stored = self.get(id)?;
        let mut next = stored.clone();
        if let Some(first) = next.balancer.listeners.first_mut() {
            if let Some(port) = update.port {
                first.port = port;
            }
            if let Some(protocol) = update.protocol {
                first.protocol = protocol;
            }
        }
        if update.port.is_some() || update.protocol.is_some() {
            check_listeners(&next.balancer.listeners)?;
        }
        if let Some(name) = update.name {
            next.balancer.name = name;
        }
        if let Some(algorithm) = update.algorithm {
            next.balancer.algorithm = Some(algorithm);
        }
        let first = next.balancer.listeners.first();
        next.balancer.port = first.map(|l| l.port);
        next.balancer.protocol = first.map(|l| l.protocol);
        let balancer = next.balancer.clone();
        self.balancers.insert(id.to_owned(), next);
        Ok(balancer)
    }

    /// Removes a balancer and its members.
    pub(crate) fn destroy(&mut self, id: &str) -> Result<()> {
        self.balancers
            .remove(id)
            .map(|_| ())
            .ok_or_else(|| not_found(id))
    }

    /// The balancer's members.
    pub(crate) fn members(&self, id: &str) -> Result<Vec<Member>> {
        Ok(self
            .get(id)?
            .members
            .iter()
            .map(|m| m.member.clone())
            .collect())
    }

    /// Attaches validated members. Attaching a member that is already there
    /// is not an error (as on ELB): its weight and condition are updated
    /// and it is returned.
    pub(crate) fn attach(&mut self, id: &str, members: Vec<Member>) -> Result<Vec<Member>> {
        let mut last_member = self.last_member;
        let stored = self.balancers.get_mut(id).ok_or_else(|| not_found(id))?;
        let mut attached = Vec::with_capacity(members.len());
        for mut wanted in members {
            if let Some(existing) = stored
                .members
                .iter_mut()
                .find(|m| same_member(&m.member, &wanted))
            {
                if wanted.weight.is_some() {
                    existing.member.weight = wanted.weight;
                }
                existing.member.condition = wanted.condition;
                attached.push(existing.member.clone());
                continue;
            }
            if wanted.id.is_empty() {
                last_member += 1;
                wanted.id = format!("m-{last_member:06}");
            }
            attached.push(wanted.clone());
            stored.members.push(StoredMember {
                member: wanted,
                health: HealthState::InService,
            });
        }
        self.last_member = last_member;
        Ok(attached)
    }

    /// Detaches members; every one must be attached, or nothing changes.
    pub(crate) fn detach(&mut self, id: &str, members: &[Member]) -> Result<()> {
        let stored = self.get_mut(id)?;
        for (i, wanted) in members.iter().enumerate() {
            if !stored
                .members
                .iter()
                .any(|m| same_member(&m.member, wanted))
            {
                return Err(Error::not_found(format!(
                    "member {} is not attached to balancer {id:?}",
                    describe(wanted)
                ))
                .with_field(format!("members[{i}]")));
            }
        }
        stored
            .members
            .retain(|m| !members.iter().any(|w| same_member(&m.member, w)));
        Ok(())
    }

    /// Changes one attached member's weight and/or condition.
    pub(crate) fn update_member(
        &mut self,
        id: &str,
        member: &Member,
        update: UpdateMember,
    ) -> Result<Member> {
        let stored = self.get_mut(id)?;
        let found = stored
            .members
            .iter_mut()
            .find(|m| same_member(&m.member, member))
            .ok_or_else(|| {
                Error::not_found(format!(
                    "member {} is not attached to balancer {id:?}",
                    describe(member)
                ))
                .with_field("member")
            })?;
        if let Some(weight) = update.weight {
            found.member.weight = Some(weight);
        }
        if let Some(condition) = update.condition {
            found.member.condition = condition;
        }
        Ok(found.member.clone())
    }

    /// Stores a validated health check.
    pub(crate) fn set_health_check(&mut self, id: &str, hc: HealthCheck) -> Result<HealthCheck> {
        self.get_mut(id)?.balancer.health_check = Some(hc.clone());
        Ok(hc)
    }

    /// The health of every member.
    pub(crate) fn member_health(&self, id: &str) -> Result<Vec<MemberHealth>> {
        Ok(self
            .get(id)?
            .members
            .iter()
            .map(|m| health_of(&m.member, m.health))
            .collect())
    }

    /// Sets the health the mock's checks report for one member.
    pub(crate) fn set_health(
        &mut self,
        id: &str,
        member_id: &str,
        health: HealthState,
    ) -> Result<()> {
        let stored = self.get_mut(id)?;
        let member = stored
            .members
            .iter_mut()
            .find(|m| m.member.id == member_id)
            .ok_or_else(|| {
                Error::not_found(format!(
                    "member {member_id:?} is not attached to balancer {id:?}"
                ))
                .with_field("member_id")
            })?;
        member.health = health;
        Ok(())
    }
}

/// A member in words, for error messages.
fn describe(m: &Member) -> String {
    match (&m.ip, m.port) {
        _ if !m.id.is_empty() => format!("{:?}", m.id),
        (Some(ip), Some(port)) => format!("{ip}:{port}"),
        _ => "(unnamed)".into(),
    }
}

/// The health report for one member, worded like a real provider's: what
/// the operator set (disabled, draining) wins over what the checks say.
fn health_of(member: &Member, checks: HealthState) -> MemberHealth {
    let (state, reason, description) = match (member.condition, checks) {
        (MemberCondition::Disabled, _) => (
            HealthState::OutOfService,
            Some("Member.Disabled"),
            Some("the member is disabled"),
        ),
        (MemberCondition::Draining, _) => (
            HealthState::Draining,
            Some("Member.Draining"),
            Some("the member is draining"),
        ),
        (_, HealthState::InService) => (HealthState::InService, None, None),
        (_, HealthState::OutOfService) => (
            HealthState::OutOfService,
            Some("Instance"),
            Some("the member failed its health checks"),
        ),
        (_, HealthState::Initial) => (
            HealthState::Initial,
            Some("Elb.RegistrationInProgress"),
            Some("the member is being checked for the first time"),
        ),
        (_, HealthState::Draining) => (
            HealthState::Draining,
            Some("Instance"),
            Some("the member is draining"),
        ),
        _ => (
            HealthState::Unknown,
            Some("ELB"),
            Some("the member's state is not known yet"),
        ),
    };
    let mut health = MemberHealth::new(member.id.clone(), state).provider_state(state.to_string());
    health.reason_code = reason.map(str::to_owned);
    health.description = description.map(str::to_owned);
    health
}

/// Checks listeners after an update changed the first one.
fn check_listeners(listeners: &[Listener]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for (i, l) in listeners.iter().enumerate() {
        l.validate(&format!("listeners[{i}]"))?;
        if !seen.insert(l.port) {
            return Err(Error::invalid_input(
                "port",
                format!("port {} is already used by another listener", l.port),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lbcloud_core::Protocol;

    fn req(name: &str) -> CreateBalancer {
        CreateBalancer::new(name, 80, Protocol::Http)
    }

    #[test]
    fn ids_are_sequential_and_names_unique() {
        let mut s = MockState::default();
        let a = s.create(req("a")).unwrap();
        let b = s.create(req("b")).unwrap();
        assert_eq!((a.id.as_str(), b.id.as_str()), ("lb-000001", "lb-000002"));
        let dup = s.create(req("a")).unwrap_err();
        assert_eq!(dup.kind(), ErrorKind::AlreadyExists);
        assert_eq!(s.balancers.len(), 2);
        assert_eq!(s.last_balancer, 2);
    }

    #[test]
    fn address_members_get_ids_and_reattach_is_idempotent() {
        let mut s = MockState::default();
        let b = s.create(req("a")).unwrap();
        let first = s
            .attach(
                &b.id,
                vec![Member::address("10.0.0.1", 8000), Member::instance("i-1")],
            )
            .unwrap();
        assert_eq!(first[0].id, "m-000001");
        assert_eq!(first[1].id, "i-1");
        let again = s
            .attach(&b.id, vec![Member::address("10.0.0.1", 8000)])
            .unwrap();
        assert_eq!(again[0].id, "m-000001");
        assert_eq!(s.members(&b.id).unwrap().len(), 2);
    }

    #[test]
    fn detach_of_an_unknown_member_changes_nothing() {
        let mut s = MockState::default();
        let b = s.create(req("a").member(Member::instance("i-1"))).unwrap();
        let err = s
            .detach(&b.id, &[Member::instance("i-1"), Member::instance("i-2")])
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert_eq!(err.field(), Some("members[1]"));
        assert_eq!(s.members(&b.id).unwrap().len(), 1);
    }

    #[test]
    fn update_checks_names_and_listener_ports() {
        let mut s = MockState::default();
        let a = s
            .create(req("a").listener(Listener::new(443, Protocol::Tcp, 443)))
            .unwrap();
        s.create(req("b")).unwrap();
        let taken = s
            .update(&a.id, UpdateBalancer::new().name("b"))
            .unwrap_err();
        assert_eq!(taken.kind(), ErrorKind::AlreadyExists);
        let clash = s
            .update(&a.id, UpdateBalancer::new().port(443))
            .unwrap_err();
        assert_eq!(clash.kind(), ErrorKind::InvalidInput);
        assert_eq!(s.get(&a.id).unwrap().balancer.port, Some(80));
        let moved = s
            .update(
                &a.id,
                UpdateBalancer::new()
                    .port(8080)
                    .algorithm(Algorithm::Random),
            )
            .unwrap();
        assert_eq!(moved.port, Some(8080));
        assert_eq!(moved.algorithm, Some(Algorithm::Random));
    }

    #[test]
    fn pages_follow_id_order() {
        let mut s = MockState::default();
        for name in ["a", "b", "c"] {
            s.create(req(name)).unwrap();
        }
        let (p1, more) = s.page(None, 2);
        assert!(more);
        assert_eq!(p1.len(), 2);
        let (p2, more) = s.page(Some(&p1[1].id), 2);
        assert!(!more);
        assert_eq!(
            p2.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(),
            ["c"]
        );
    }

    #[test]
    fn member_health_is_reported() {
        let mut s = MockState::default();
        let b = s.create(req("a").member(Member::instance("i-1"))).unwrap();
        assert_eq!(
            s.member_health(&b.id).unwrap()[0].state,
            HealthState::InService
        );
        s.set_health(&b.id, "i-1", HealthState::OutOfService)
            .unwrap();
        let h = &s.member_health(&b.id).unwrap()[0];
        assert_eq!(h.state, HealthState::OutOfService);
        assert_eq!(h.reason_code.as_deref(), Some("Instance"));
        assert_eq!(
            s.set_health(&b.id, "i-9", HealthState::InService)
                .unwrap_err()
                .kind(),
            ErrorKind::NotFound
        );
    }

    #[test]
    fn member_updates_are_kept_and_win_over_checks() {
        let mut s = MockState::default();
        let b = s.create(req("a").member(Member::instance("i-1"))).unwrap();
        let m = s
            .update_member(
                &b.id,
                &Member::instance("i-1"),
                UpdateMember::new()
                    .weight(7)
                    .condition(MemberCondition::Draining),
            )
            .unwrap();
        assert_eq!(
            (m.weight, m.condition),
            (Some(7), MemberCondition::Draining)
        );
        assert_eq!(s.members(&b.id).unwrap()[0], m);
        assert_eq!(
            s.member_health(&b.id).unwrap()[0].state,
            HealthState::Draining
        );
        let missing = s
            .update_member(
                &b.id,
                &Member::instance("i-2"),
                UpdateMember::new().weight(1),
            )
            .unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::NotFound);
    }
}
