//! `MockDriver`: the `Driver` implementation over the in-memory state.

use std::any::Any;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use lbcloud_core::limits::{DurationRange, NameRule, Range};
use lbcloud_core::{
    Algorithm, Balancer, BalancerPages, Capabilities, CreateBalancer, Driver, Error, ErrorKind,
    HealthCheck, HealthState, Limits, Member, MemberHealth, Protocol, Result, UpdateBalancer,
    UpdateMember, async_trait, check,
};

use crate::faults::{Faults, MockOp};
use crate::state::MockState;
use crate::{MockDriverBuilder, persist};

/// The registry name of the mock driver.
pub const MOCK_NAME: &str = "mock";

/// The mock's limits unless [`MockDriverBuilder::limits`] sets others:
/// names of 1 to 32 letters, digits and inner hyphens; health checks every
/// 5 to 300 s with a 2 to 60 s timeout below the interval, in whole
/// seconds; thresholds 2 to 10; weights 0 to 256. These are the strictest
/// rules among the built-in providers, so code tried on the mock does not
/// break on a real one.
pub const DEFAULT_LIMITS: Limits = Limits::new()
    .with_name(NameRule::new(32, "-"))
    .with_health_interval(DurationRange::secs(5, 300))
    .with_health_timeout(DurationRange::secs(2, 60))
    .with_timeout_below_interval(true)
    .with_health_threshold(Range::new(2, 10))
    .with_weight(Some(Range::new(0, 256)))
    .with_listeners_per_balancer(100);

/// An in-memory, provider-neutral [`Driver`] with the semantics of a real
/// provider, every capability on (unless the builder turns some off) and
/// [`DEFAULT_LIMITS`] (unless the builder sets others).
///
/// - Balancer names are unique (`AlreadyExists`), ids are deterministic
///   (`lb-000001`, `lb-000002`, ...), and a destroyed balancer is `NotFound`.
/// - Every input is validated before anything changes (`InvalidInput`
///   naming the field); a failed call leaves the state as it was.
/// - Members are named by instance id or by address; address members get
///   deterministic ids (`m-000001`, ...) unless the caller names them.
///   Attaching a member twice is not an error. Weights and conditions are
///   kept and read back. Members are reported `InService` until
///   [`ex_set_member_health`](Self::ex_set_member_health) says otherwise
///   (a disabled member is out of service, a draining one draining).
/// - Listings come in id order, in pages of [`page_size`](MockDriverBuilder::page_size).
/// - [`fail_next`](Self::fail_next) and [`set_latency`](Self::set_latency)
///   inject faults; a [`state_file`](MockDriverBuilder::state_file) shares
///   the state between processes.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> lbcloud_core::Result<()> {
/// use lbcloud_core::{CreateBalancer, Driver, ErrorKind, Member, Protocol};
/// use lbcloud_mock::MockDriver;
///
/// let driver = MockDriver::new();
/// let lb = driver
///     .create_balancer(
///         CreateBalancer::new("web", 80, Protocol::Http)
///             .member(Member::address("10.0.0.1", 8000))
///             .member(Member::address("10.0.0.2", 8080)),
///     )
///     .await?;
/// assert_eq!(lb.id, "lb-000001");
/// assert_eq!(driver.balancer_list_members(&lb).await?.len(), 2);
///
/// driver.destroy_balancer(&lb).await?;
/// let gone = driver.get_balancer(&lb.id).await.unwrap_err();
/// assert_eq!(gone.kind(), ErrorKind::NotFound);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct MockDriver {
    state: Mutex<MockState>,
    faults: Mutex<Faults>,
    page_size: usize,
    state_file: Option<PathBuf>,
    capabilities: Capabilities,
    limits: Limits,
}

impl Default for MockDriver {
    fn default() -> Self {
        Self::new()
    }
}

/// Locks a mutex even if a panicking thread poisoned it: the state is
/// only ever replaced whole, so it is consistent either way.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Adds the provider and, if missing, the operation to an error.
fn tag(err: Error, op: MockOp) -> Error {
    let err = if err.provider().is_none() {
        err.with_provider(MOCK_NAME)
    } else {
        err
    };
    if err.operation().is_none() {
        err.with_operation(op.as_str())
    } else {
        err
    }
}

impl MockDriver {
    /// An empty in-memory mock with the default page size and no state file.
    pub fn new() -> Self {
        Self::from_parts(
            MockState::default(),
            crate::DEFAULT_PAGE_SIZE,
            None,
            Duration::ZERO,
        )
    }

    /// A builder for a mock with a page size, a state file or added latency.
    pub fn builder() -> MockDriverBuilder {
        MockDriverBuilder::default()
    }

    pub(crate) fn from_parts(
        state: MockState,
        page_size: usize,
        state_file: Option<PathBuf>,
        latency: Duration,
    ) -> Self {
        let mut faults = Faults::default();
        faults.set_latency(latency);
        Self {
            state: Mutex::new(state),
            faults: Mutex::new(faults),
            page_size,
            state_file,
            capabilities: Capabilities::all(),
            limits: DEFAULT_LIMITS,
        }
    }

    /// Replaces the capabilities and limits (the builder's settings).
    pub(crate) fn with_rules(mut self, capabilities: Capabilities, limits: Limits) -> Self {
        self.capabilities = capabilities;
        self.limits = limits;
        self
    }

    /// Makes the next `times` calls of `op` fail with an error of `kind`
    /// (provider `mock`, code `InjectedFault`), before they touch any state.
    /// Replaces a fault already pending for `op`; `times == 0` clears it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use lbcloud_core::{Driver, ErrorKind};
    /// use lbcloud_mock::{MockDriver, MockOp};
    ///
    /// let driver = MockDriver::new();
    /// driver.fail_next(MockOp::ListBalancers, 1, ErrorKind::Throttled);
    /// let err = driver.list_balancers().await.unwrap_err();
    /// assert!(err.is_retryable());
    /// assert!(driver.list_balancers().await.is_ok());
    /// # }
    /// ```
    pub fn fail_next(&self, op: MockOp, times: u32, kind: ErrorKind) {
        lock(&self.faults).fail_next(op, times, kind);
    }

    /// Clears every pending fault.
    pub fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    /// Adds `latency` before every call (zero turns it off). A non-zero
    /// latency sleeps with `tokio::time::sleep`, so it needs a Tokio runtime
    /// with the time driver; with zero latency the mock runs on any executor.
    pub fn set_latency(&self, latency: Duration) {
        lock(&self.faults).set_latency(latency);
    }

    /// The number of balancers per listing page.
    pub fn page_size(&self) -> usize {
        self.page_size
    }

    /// The file the state is persisted to, if any.
    pub fn state_file(&self) -> Option<&Path> {
        self.state_file.as_deref()
    }

    /// Sets what the mock's health checks report for one member of
    /// `balancer` (by member id), so tests can see members fail and recover.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lbcloud_core::Result<()> {
    /// use lbcloud_core::{CreateBalancer, Driver, HealthState, Member, Protocol};
    /// use lbcloud_mock::MockDriver;
    ///
    /// let driver = MockDriver::new();
    /// let lb = driver
    ///     .create_balancer(CreateBalancer::new("web", 80, Protocol::Http).member(Member::instance("i-1")))
    ///     .await?;
    /// driver.ex_set_member_health(&lb, "i-1", HealthState::OutOfService)?;
    /// let health = driver.balancer_member_health(&lb).await?;
    /// assert_eq!(health[0].state, HealthState::OutOfService);
    /// # Ok(()) }
    /// ```
    pub fn ex_set_member_health(
        &self,
        balancer: &Balancer,
        member_id: &str,
        health: HealthState,
    ) -> Result<()> {
        self.write(MockOp::MemberHealth, |s| {
            s.set_health(&balancer.id, member_id, health)
        })
    }

    /// Waits for the added latency, then fails if a fault is pending for `op`.
    async fn enter(&self, op: MockOp) -> Result<()> {
        let latency = lock(&self.faults).latency();
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        match lock(&self.faults).take(op) {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }

    /// Reloads the state from the state file, if there is one.
    fn refresh(&self, state: &mut MockState) -> Result<()> {
        if let Some(path) = &self.state_file {
            *state = persist::load(path)?;
        }
        Ok(())
    }

    /// Runs a read-only query on the current state.
    fn read<T>(&self, op: MockOp, f: impl FnOnce(&MockState) -> Result<T>) -> Result<T> {
        let mut state = lock(&self.state);
        self.refresh(&mut state).map_err(|e| tag(e, op))?;
        f(&state).map_err(|e| tag(e, op))
    }

    /// Runs a change on a copy of the state and keeps it (and persists it)
    /// only if it succeeds.
    fn write<T>(&self, op: MockOp, f: impl FnOnce(&mut MockState) -> Result<T>) -> Result<T> {
        let mut state = lock(&self.state);
        // Held from the reload to the save, so a change made by another
        // process in between cannot be overwritten.
        let _file_lock = match &self.state_file {
            Some(path) => Some(persist::lock_for_write(path).map_err(|e| tag(e, op))?),
            None => None,
        };
        self.refresh(&mut state).map_err(|e| tag(e, op))?;
        let mut next = state.clone();
        let out = f(&mut next).map_err(|e| tag(e, op))?;
        if let Some(path) = &self.state_file {
            persist::save(path, &next).map_err(|e| tag(e, op))?;
        }
        *state = next;
        Ok(out)
    }
}

#[async_trait]
impl Driver for MockDriver {
    fn name(&self) -> &str {
        MOCK_NAME
    }

    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }

    fn limits(&self) -> Limits {
        self.limits
    }

    fn list_protocols(&self) -> Vec<Protocol> {
        vec![
            Protocol::Tcp,
            Protocol::Ssl,
            Protocol::Http,
            Protocol::Https,
            Protocol::Udp,
            Protocol::TcpUdp,
            Protocol::Tls,
        ]
    }

    fn list_supported_algorithms(&self) -> Vec<Algorithm> {
        vec![
            Algorithm::Random,
            Algorithm::RoundRobin,
            Algorithm::LeastConnections,
            Algorithm::WeightedRoundRobin,
            Algorithm::WeightedLeastConnections,
            Algorithm::ShortestResponse,
            Algorithm::PersistentIp,
            Algorithm::LeastOutstandingRequests,
            Algorithm::FlowHash,
            Algorithm::First,
        ]
    }

    fn list_balancers_pages(&self) -> BalancerPages<'_> {
        // The cursor is `None` when done, `Some(None)` before the first page
        // and `Some(Some(id))` to continue after balancer `id`.
        let pages = futures_util::stream::try_unfold(Some(None), move |cursor| async move {
            let Some(after) = cursor else {
                return Ok(None);
            };
            self.enter(MockOp::ListBalancers).await?;
            let after: Option<String> = after;
            let (page, more) = self.read(MockOp::ListBalancers, |s| {
                Ok(s.page(after.as_deref(), self.page_size))
            })?;
            let next = if more {
                page.last().map(|b| Some(b.id.clone()))
            } else {
                None
            };
            Ok(Some((page, next)))
        });
        Box::pin(pages)
    }

    async fn get_balancer(&self, id: &str) -> Result<Balancer> {
        self.enter(MockOp::GetBalancer).await?;
        self.read(MockOp::GetBalancer, |s| Ok(s.get(id)?.balancer.clone()))
    }

    async fn create_balancer(&self, request: CreateBalancer) -> Result<Balancer> {
        check::create_balancer(self, &request).map_err(|e| tag(e, MockOp::CreateBalancer))?;
        self.enter(MockOp::CreateBalancer).await?;
        self.write(MockOp::CreateBalancer, |s| s.create(request))
    }

    async fn update_balancer(
        &self,
        balancer: &Balancer,
        update: UpdateBalancer,
    ) -> Result<Balancer> {
        check::update_balancer(self, &update).map_err(|e| tag(e, MockOp::UpdateBalancer))?;
        self.enter(MockOp::UpdateBalancer).await?;
        self.write(MockOp::UpdateBalancer, |s| s.update(&balancer.id, update))
    }

    async fn destroy_balancer(&self, balancer: &Balancer) -> Result<()> {
        self.enter(MockOp::DestroyBalancer).await?;
        self.write(MockOp::DestroyBalancer, |s| s.destroy(&balancer.id))
    }

    async fn balancer_list_members(&self, balancer: &Balancer) -> Result<Vec<Member>> {
        self.enter(MockOp::ListMembers).await?;
        self.read(MockOp::ListMembers, |s| s.members(&balancer.id))
    }

    async fn balancer_attach_members(
        &self,
        balancer: &Balancer,
        members: Vec<Member>,
    ) -> Result<Vec<Member>> {
        check::members(self, MockOp::AttachMembers.as_str(), &members)
            .map_err(|e| tag(e, MockOp::AttachMembers))?;
        self.enter(MockOp::AttachMembers).await?;
        self.write(MockOp::AttachMembers, |s| s.attach(&balancer.id, members))
    }

    async fn balancer_detach_members(&self, balancer: &Balancer, members: &[Member]) -> Result<()> {
        check::detach_members(self, members).map_err(|e| tag(e, MockOp::DetachMembers))?;
        self.enter(MockOp::DetachMembers).await?;
        self.write(MockOp::DetachMembers, |s| s.detach(&balancer.id, members))
    }

    async fn balancer_update_member(
        &self,
        balancer: &Balancer,
        member: &Member,
        update: UpdateMember,
    ) -> Result<Member> {
        check::update_member(self, member, &update).map_err(|e| tag(e, MockOp::UpdateMember))?;
        self.enter(MockOp::UpdateMember).await?;
        self.write(MockOp::UpdateMember, |s| {
            s.update_member(&balancer.id, member, update)
        })
    }

    async fn set_health_check(
        &self,
        balancer: &Balancer,
        health_check: HealthCheck,
    ) -> Result<HealthCheck> {
        check::health_check(self, MockOp::SetHealthCheck.as_str(), &health_check)
            .map_err(|e| tag(e, MockOp::SetHealthCheck))?;
        self.enter(MockOp::SetHealthCheck).await?;
        self.write(MockOp::SetHealthCheck, |s| {
            s.set_health_check(&balancer.id, health_check)
        })
    }

    async fn get_health_check(&self, balancer: &Balancer) -> Result<Option<HealthCheck>> {
        check::get_health_check(self).map_err(|e| tag(e, MockOp::GetHealthCheck))?;
        self.enter(MockOp::GetHealthCheck).await?;
        self.read(MockOp::GetHealthCheck, |s| {
            Ok(s.get(&balancer.id)?.balancer.health_check.clone())
        })
    }

    async fn balancer_member_health(&self, balancer: &Balancer) -> Result<Vec<MemberHealth>> {
        check::member_health(self).map_err(|e| tag(e, MockOp::MemberHealth))?;
        self.enter(MockOp::MemberHealth).await?;
        self.read(MockOp::MemberHealth, |s| s.member_health(&balancer.id))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
