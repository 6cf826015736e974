//! A third party's driver, written against `lbcloud-core` alone, registered
//! in the `lbcloud` registry and checked with the conformance kit.
//!
//! "Acme" is a made-up provider with rules unlike ELB's: 63-character names
//! that may hold `_`, health checks every 500 ms or more in steps of
//! 100 ms, thresholds from 1, weights 1-256, four listeners per balancer.
//! The driver keeps its balancers in memory; a real one would call its
//! provider's API where this one locks a map.
//!
//! What a driver author does, in order:
//!
//! 1. implement [`Driver`] (declaring [`Capabilities`] and [`Limits`]) and
//!    call the shared [`check`] functions at each entry point, so bad input
//!    is refused before any request;
//! 2. implement [`DriverFactory`] and register it with
//!    `lbcloud::register_driver`;
//! 3. run `lbcloud_core::testkit::run_all` on the driver the registry hands
//!    out (wrapped in `CheckedDriver`, as users get it).
//!
//! ```sh
//! cargo run --example third_party_driver   # exits non-zero if the kit fails
//! ```
//!
//! `tests/third_party.rs` runs the kit on this driver with several
//! capability sets.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use lbcloud_core::limits::{DurationRange, NameRule, Range};
use lbcloud_core::{
    Algorithm, Balancer, BalancerPages, Capabilities, Config, CreateBalancer, Driver,
    DriverFactory, Error, ErrorKind, HealthCheck, HealthState, Limits, Member, MemberCondition,
    MemberHealth, MemberKind, Protocol, Result, State, UpdateBalancer, UpdateMember, async_trait,
    check,
};

/// Acme's input rules.
pub(crate) const ACME_LIMITS: Limits = Limits::new()
    .with_name(NameRule::new(63, "-_"))
    .with_health_interval(DurationRange {
        min: Duration::from_millis(500),
        max: Duration::from_secs(60),
        step: Duration::from_millis(100),
    })
    .with_health_timeout(DurationRange {
        min: Duration::from_millis(100),
        max: Duration::from_secs(30),
        step: Duration::from_millis(100),
    })
    .with_timeout_below_interval(true)
    .with_health_threshold(Range::new(1, 10))
    .with_health_path_max_len(255)
    .with_weight(Some(Range::new(1, 256)))
    .with_members_per_call(Some(20))
    .with_listeners_per_balancer(4);

/// Everything Acme can do (it has no zones, subnets or security groups).
pub(crate) fn acme_capabilities() -> Capabilities {
    Capabilities::all()
        .with_zones(false)
        .with_subnets(false)
        .with_security_groups(false)
}

/// One balancer as Acme stores it.
#[derive(Debug, Clone)]
struct Stored {
    balancer: Balancer,
    members: Vec<Member>,
}

#[derive(Debug, Default)]
struct AcmeState {
    next_id: u64,
    /// By id; ids are zero-padded so the map's order is creation order.
    balancers: BTreeMap<String, Stored>,
}

impl AcmeState {
    fn new_id(&mut self, kind: &str) -> String {
        self.next_id += 1;
        format!("{kind}-{:08}", self.next_id)
    }

    fn get_mut(&mut self, balancer: &Balancer) -> Result<&mut Stored> {
        self.balancers
            .get_mut(&balancer.id)
            .ok_or_else(|| not_found(&balancer.id))
    }
}

fn not_found(id: &str) -> Error {
    Error::not_found(format!("acme has no balancer {id:?}")).with_provider("acme")
}

/// Acme's in-memory driver.
#[derive(Debug)]
pub(crate) struct AcmeDriver {
    capabilities: Capabilities,
    page_size: usize,
    state: Mutex<AcmeState>,
}

impl AcmeDriver {
    /// A driver with `capabilities` (see [`acme_capabilities`]) and
    /// listing pages of `page_size` balancers.
    pub(crate) fn new(capabilities: Capabilities, page_size: usize) -> Self {
        Self {
            capabilities,
            page_size: page_size.max(1),
            state: Mutex::new(AcmeState::default()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, AcmeState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Attaches after the checks: gives address members without a name an
    /// id, and refuses a target that is already attached.
    fn attach(
        &self,
        stored: &mut Stored,
        members: Vec<Member>,
        state_ids: &mut Vec<String>,
    ) -> Result<Vec<Member>> {
        for m in &members {
            if stored.members.iter().any(|x| x.same_target(m)) {
                return Err(Error::new(
                    ErrorKind::AlreadyExists,
                    format!("{} is already a member", m.id),
                ));
            }
        }
        let mut attached = Vec::with_capacity(members.len());
        for mut m in members {
            if m.id.is_empty() {
                m.id = state_ids.pop().unwrap_or_default();
            }
            stored.members.push(m.clone());
            attached.push(m);
        }
        Ok(attached)
    }
}

/// The health Acme reports for a member in `condition`.
fn health_of(condition: MemberCondition) -> HealthState {
    match condition {
        MemberCondition::Disabled => HealthState::OutOfService,
        MemberCondition::Draining => HealthState::Draining,
        _ => HealthState::InService,
    }
}

#[async_trait]
impl Driver for AcmeDriver {
    fn name(&self) -> &str {
        "acme"
    }

    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }

    fn limits(&self) -> Limits {
        ACME_LIMITS
    }

    fn list_protocols(&self) -> Vec<Protocol> {
        vec![Protocol::Http, Protocol::Tcp]
    }

    fn list_supported_algorithms(&self) -> Vec<Algorithm> {
        vec![
            Algorithm::RoundRobin,
            Algorithm::LeastConnections,
            Algorithm::WeightedRoundRobin,
            Algorithm::Random,
        ]
    }

    fn list_balancers_pages(&self) -> BalancerPages<'_> {
        let all: Vec<Balancer> = self
            .state()
            .balancers
            .values()
            .map(|s| s.balancer.clone())
            .collect();
        let size = if self.capabilities.paginated_listing {
            self.page_size
        } else {
            all.len().max(1)
        };
        let pages: Vec<Result<Vec<Balancer>>> = all.chunks(size).map(|c| Ok(c.to_vec())).collect();
        Box::pin(futures_util::stream::iter(pages))
    }

    async fn get_balancer(&self, id: &str) -> Result<Balancer> {
        let state = self.state();
        state
            .balancers
            .get(id)
            .map(|s| s.balancer.clone())
            .ok_or_else(|| not_found(id))
    }

    async fn create_balancer(&self, request: CreateBalancer) -> Result<Balancer> {
        check::create_balancer(self, &request)?;
        let mut state = self.state();
        if state
            .balancers
            .values()
            .any(|s| s.balancer.name == request.name)
        {
            return Err(Error::new(
                ErrorKind::AlreadyExists,
                format!("acme already has a balancer named {:?}", request.name),
            )
            .with_field("name"));
        }
        let id = state.new_id("lb");
        // `with_listeners` also sets `port` and `protocol` from the first one.
        let mut balancer = Balancer::new(id.clone(), request.name.clone())
            .with_state(State::Running)
            .with_ip(format!("198.51.100.{}", state.next_id % 250))
            .with_listeners(request.listeners.clone())
            .with_algorithm(request.algorithm.unwrap_or(Algorithm::RoundRobin))
            .with_zones(request.zones.clone())
            .with_tags(request.tags.clone());
        balancer.health_check = request.health_check.clone();
        let mut stored = Stored {
            balancer: balancer.clone(),
            members: Vec::new(),
        };
        let mut ids: Vec<String> = request.members.iter().map(|_| state.new_id("m")).collect();
        self.attach(&mut stored, request.members, &mut ids)?;
        state.balancers.insert(id, stored);
        Ok(balancer)
    }

    async fn update_balancer(
        &self,
        balancer: &Balancer,
        update: UpdateBalancer,
    ) -> Result<Balancer> {
        check::balancer("update_balancer", balancer)?;
        check::update_balancer(self, &update)?;
        let mut state = self.state();
        if let Some(name) = &update.name
            && state
                .balancers
                .values()
                .any(|s| &s.balancer.name == name && s.balancer.id != balancer.id)
        {
            return Err(
                Error::new(ErrorKind::AlreadyExists, format!("{name:?} is taken"))
                    .with_field("name"),
            );
        }
        let b = &mut state.get_mut(balancer)?.balancer;
        if let Some(name) = update.name {
            b.name = name;
        }
        if let Some(main) = b.listeners.first_mut() {
            if let Some(port) = update.port {
                main.port = port;
            }
            if let Some(protocol) = update.protocol {
                main.protocol = protocol;
            }
            b.port = Some(main.port);
            b.protocol = Some(main.protocol);
        }
        if let Some(algorithm) = update.algorithm {
            b.algorithm = Some(algorithm);
        }
        Ok(b.clone())
    }

    async fn destroy_balancer(&self, balancer: &Balancer) -> Result<()> {
        check::balancer("destroy_balancer", balancer)?;
        self.state()
            .balancers
            .remove(&balancer.id)
            .map(|_| ())
            .ok_or_else(|| not_found(&balancer.id))
    }

    async fn balancer_list_members(&self, balancer: &Balancer) -> Result<Vec<Member>> {
        check::balancer("balancer_list_members", balancer)?;
        Ok(self.state().get_mut(balancer)?.members.clone())
    }

    async fn balancer_attach_members(
        &self,
        balancer: &Balancer,
        members: Vec<Member>,
    ) -> Result<Vec<Member>> {
        check::balancer("balancer_attach_members", balancer)?;
        check::members(self, "balancer_attach_members", &members)?;
        let mut state = self.state();
        state.get_mut(balancer)?;
        let mut ids: Vec<String> = members.iter().map(|_| state.new_id("m")).collect();
        let stored = state.get_mut(balancer)?;
        self.attach(stored, members, &mut ids)
    }

    async fn balancer_detach_members(&self, balancer: &Balancer, members: &[Member]) -> Result<()> {
        check::balancer("balancer_detach_members", balancer)?;
        check::detach_members(self, members)?;
        let mut state = self.state();
        let stored = state.get_mut(balancer)?;
        if let Some(missing) = members
            .iter()
            .find(|m| !stored.members.iter().any(|x| x.same_target(m)))
        {
            return Err(Error::not_found(format!("{} is not a member", missing.id)));
        }
        stored
            .members
            .retain(|x| !members.iter().any(|m| x.same_target(m)));
        Ok(())
    }

    async fn balancer_update_member(
        &self,
        balancer: &Balancer,
        member: &Member,
        update: UpdateMember,
    ) -> Result<Member> {
        check::balancer("balancer_update_member", balancer)?;
        check::update_member(self, member, &update)?;
        let mut state = self.state();
        let stored = state.get_mut(balancer)?;
        let target = stored
            .members
            .iter_mut()
            .find(|x| x.same_target(member))
            .ok_or_else(|| Error::not_found(format!("{} is not a member", member.id)))?;
        if let Some(weight) = update.weight {
            target.weight = Some(weight);
        }
        if let Some(condition) = update.condition {
            target.condition = condition;
        }
        Ok(target.clone())
    }

    async fn set_health_check(
        &self,
        balancer: &Balancer,
        health_check: HealthCheck,
    ) -> Result<HealthCheck> {
        check::balancer("set_health_check", balancer)?;
        check::health_check(self, "set_health_check", &health_check)?;
        let mut state = self.state();
        state.get_mut(balancer)?.balancer.health_check = Some(health_check.clone());
        Ok(health_check)
    }

    async fn get_health_check(&self, balancer: &Balancer) -> Result<Option<HealthCheck>> {
        check::balancer("get_health_check", balancer)?;
        check::get_health_check(self)?;
        Ok(self
            .state()
            .get_mut(balancer)?
            .balancer
            .health_check
            .clone())
    }

    async fn balancer_member_health(&self, balancer: &Balancer) -> Result<Vec<MemberHealth>> {
        check::balancer("balancer_member_health", balancer)?;
        check::member_health(self)?;
        let mut state = self.state();
        let members = &state.get_mut(balancer)?.members;
        Ok(members
            .iter()
            .map(|m| {
                let mut h = MemberHealth::new(m.id.clone(), health_of(m.condition));
                h.provider_state = Some(match m.kind {
                    MemberKind::Address => "addr".to_owned(),
                    _ => "instance".to_owned(),
                });
                h
            })
            .collect())
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Builds [`AcmeDriver`]s from a [`Config`]: the option `page_size`
/// (1-1000, default 50); anything else is `InvalidInput` naming it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AcmeFactory {
    /// What the drivers it builds claim.
    pub(crate) capabilities: Capabilities,
}

impl DriverFactory for AcmeFactory {
    fn name(&self) -> &str {
        "acme"
    }

    fn connect(&self, config: Config) -> Result<Arc<dyn Driver>> {
        let mut page_size = 50;
        for (key, value) in config.options() {
            match key.as_str() {
                "page_size" => {
                    page_size = value
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=1000).contains(n))
                        .ok_or_else(|| {
                            Error::invalid_input(
                                "options.page_size",
                                format!("must be 1 to 1000, got {value:?}"),
                            )
                        })?;
                }
                other => {
                    return Err(Error::invalid_input(
                        format!("options.{other}"),
                        "is not an acme option (acme takes page_size)",
                    ));
                }
            }
        }
        Ok(Arc::new(AcmeDriver::new(self.capabilities, page_size)))
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let factory = AcmeFactory {
        capabilities: acme_capabilities(),
    };
    if let Err(e) = lbcloud::register_driver("acme", Arc::new(factory)) {
        eprintln!("cannot register acme: {e}");
        return std::process::ExitCode::FAILURE;
    }
    // Users get the driver from the registry, wrapped in CheckedDriver.
    let driver = match lbcloud::get_driver_by_name("acme")
        .and_then(|f| f.connect(Config::new().option("page_size", "2")))
    {
        Ok(d) => d,
        Err(e) => {
            eprintln!("cannot connect acme: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let options = lbcloud_core::testkit::KitOptions::new("acme-example").page_size(2);
    let report = lbcloud_core::testkit::run_all(&driver, &options).await;
    println!("{report}");
    if report.is_success() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
