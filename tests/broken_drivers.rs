//! The conformance kit must be able to fail: each toy driver here wraps the
//! mock and breaks one rule of the contract, and the kit must report the
//! scenario that covers that rule (and still clean up after itself).
// Test code: a panic here is a failed test (helpers outside #[test] fns need this too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![cfg(feature = "mock")]

use std::any::Any;
use std::collections::HashMap;
use std::sync::Mutex;

use futures_util::StreamExt;
use lbcloud::limits::NameRule;
use lbcloud::mock::DEFAULT_LIMITS;
use lbcloud::mock::MockDriver;
use lbcloud::{
    Algorithm, Balancer, BalancerPages, Capabilities, CreateBalancer, Driver, Error, ErrorKind,
    HealthCheck, Limits, Member, MemberCondition, MemberHealth, Protocol, Result, UpdateBalancer,
    UpdateMember, async_trait,
};
use lbcloud_core::testkit::{KitOptions, run_all};

/// The one rule a toy driver breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Defect {
    /// None: the wrapper itself must pass, so failures come from the defects.
    None,
    /// Destroyed balancers are still returned by `get_balancer`.
    Immortal,
    /// A balancer on port 0 is "created" instead of rejected.
    AcceptsPortZero,
    /// A taken name gets a silent suffix instead of `AlreadyExists`.
    RenamesDuplicates,
    /// Attach looks the balancer up before validating the member.
    LooksUpBeforeValidating,
    /// The page stream repeats its first page.
    RepeatsFirstPage,
    /// `set_health_check` answers but stores nothing.
    ForgetsHealthChecks,
    /// Claims no port update, answers `Unsupported`, but moves the port anyway.
    UnsupportedButChanges,
    /// Claims weights, accepts them, and drops them.
    IgnoresWeights,
    /// Claims conditions, accepts them, and reports every member enabled.
    LosesConditions,
    /// Keeps tags but never reports them on the balancer.
    DropsTags,
    /// Honours the chosen algorithm but never reports it.
    DropsAlgorithm,
    /// Claims no tags, yet takes a request with tags and drops them.
    TakesUnclaimedTags,
    /// Declares 20-character names but lets the provider take 32.
    LooserThanItsLimits,
    /// Claims paginated listing but returns everything in one page.
    OnePageOnly,
    /// Every destroy fails.
    DestroyFails,
}

/// The tags and algorithm of a balancer, as a defect reports them.
fn report(defect: Defect, mut b: Balancer) -> Balancer {
    match defect {
        Defect::DropsTags => b.tags.clear(),
        Defect::DropsAlgorithm => b.algorithm = None,
        _ => {}
    }
    b
}

/// Members as a defect passes them on: without weights or conditions.
fn strip(defect: Defect, members: Vec<Member>) -> Vec<Member> {
    members
        .into_iter()
        .map(|mut m| {
            match defect {
                Defect::IgnoresWeights => m.weight = None,
                Defect::LosesConditions => m.condition = MemberCondition::Enabled,
                _ => {}
            }
            m
        })
        .collect()
}

#[derive(Debug)]
struct Toy {
    inner: MockDriver,
    defect: Defect,
    graveyard: Mutex<HashMap<String, Balancer>>,
}

impl Toy {
    fn new(defect: Defect) -> Self {
        Self {
            inner: MockDriver::builder().page_size(2).build().unwrap(),
            defect,
            graveyard: Mutex::new(HashMap::new()),
        }
    }
}

#[async_trait]
impl Driver for Toy {
    fn name(&self) -> &str {
        "toy"
    }
    fn capabilities(&self) -> Capabilities {
        let caps = self.inner.capabilities();
        match self.defect {
            Defect::UnsupportedButChanges => caps.with_update_port(false),
            Defect::TakesUnclaimedTags => caps.with_tags(false),
            _ => caps,
        }
    }
    fn limits(&self) -> Limits {
        if self.defect == Defect::LooserThanItsLimits {
            return DEFAULT_LIMITS.with_name(NameRule::new(20, "-"));
        }
        self.inner.limits()
    }
    fn list_protocols(&self) -> Vec<Protocol> {
        self.inner.list_protocols()
    }
    fn list_supported_algorithms(&self) -> Vec<Algorithm> {
        self.inner.list_supported_algorithms()
    }
    fn list_balancers_pages(&self) -> BalancerPages<'_> {
        let defect = self.defect;
        let pages = self.inner.list_balancers_pages().map(move |page| {
            page.map(|p| p.into_iter().map(|b| report(defect, b)).collect::<Vec<_>>())
        });
        match defect {
            Defect::RepeatsFirstPage => Box::pin(pages.enumerate().flat_map(|(i, page)| {
                let copies: Vec<Result<Vec<Balancer>>> = match (i, page) {
                    (0, Ok(p)) => vec![Ok(p.clone()), Ok(p)],
                    (_, page) => vec![page],
                };
                futures_util::stream::iter(copies)
            })),
            Defect::OnePageOnly => Box::pin(futures_util::stream::once(async move {
                let pages: Vec<Result<Vec<Balancer>>> = pages.collect().await;
                pages
                    .into_iter()
                    .collect::<Result<Vec<Vec<Balancer>>>>()
                    .map(|p| p.concat())
            })),
            _ => Box::pin(pages),
        }
    }
    async fn get_balancer(&self, id: &str) -> Result<Balancer> {
        match self.inner.get_balancer(id).await {
            Err(e) if self.defect == Defect::Immortal && e.kind() == ErrorKind::NotFound => {
                self.graveyard.lock().unwrap().get(id).cloned().ok_or(e)
            }
            other => other,
        }
        .map(|b| report(self.defect, b))
    }
    async fn create_balancer(&self, request: CreateBalancer) -> Result<Balancer> {
        if self.defect == Defect::AcceptsPortZero && request.port() == 0 {
            return Ok(Balancer::new("fake", request.name));
        }
        let mut request = request;
        request.members = strip(self.defect, request.members);
        if self.defect == Defect::TakesUnclaimedTags {
            request.tags.clear();
        }
        let created = match self.inner.create_balancer(request.clone()).await {
            Err(e)
                if self.defect == Defect::RenamesDuplicates
                    && e.kind() == ErrorKind::AlreadyExists =>
            {
                let mut renamed = request;
                renamed.name = format!("{}-2", renamed.name);
                self.inner.create_balancer(renamed).await
            }
            other => other,
        };
        created.map(|b| report(self.defect, b))
    }
    async fn update_balancer(
        &self,
        balancer: &Balancer,
        update: UpdateBalancer,
    ) -> Result<Balancer> {
        if self.defect == Defect::UnsupportedButChanges && update.port.is_some() {
            self.inner.update_balancer(balancer, update).await?;
            return Err(lbcloud::Error::unsupported(
                "update_balancer",
                "ports cannot change",
            ));
        }
        self.inner.update_balancer(balancer, update).await
    }
    async fn destroy_balancer(&self, balancer: &Balancer) -> Result<()> {
        if self.defect == Defect::DestroyFails {
            return Err(Error::new(ErrorKind::Provider, "the toy cannot destroy"));
        }
        if self.defect == Defect::Immortal
            && let Ok(b) = self.inner.get_balancer(&balancer.id).await
        {
            self.graveyard.lock().unwrap().insert(b.id.clone(), b);
        }
        self.inner.destroy_balancer(balancer).await
    }
    async fn balancer_list_members(&self, balancer: &Balancer) -> Result<Vec<Member>> {
        self.inner.balancer_list_members(balancer).await
    }
    async fn balancer_attach_members(
        &self,
        balancer: &Balancer,
        members: Vec<Member>,
    ) -> Result<Vec<Member>> {
        if self.defect == Defect::LooksUpBeforeValidating {
            self.inner.get_balancer(&balancer.id).await?;
        }
        let members = strip(self.defect, members);
        self.inner.balancer_attach_members(balancer, members).await
    }
    async fn balancer_detach_members(&self, balancer: &Balancer, members: &[Member]) -> Result<()> {
        self.inner.balancer_detach_members(balancer, members).await
    }
    async fn balancer_update_member(
        &self,
        balancer: &Balancer,
        member: &Member,
        update: UpdateMember,
    ) -> Result<Member> {
        // The defects answer as if the change were made, and make none of it.
        let (kept, faked) = match self.defect {
            Defect::IgnoresWeights => {
                let mut kept = update;
                kept.weight = None;
                (kept, update.weight.is_some())
            }
            Defect::LosesConditions => {
                let mut kept = update;
                kept.condition = None;
                (kept, update.condition.is_some())
            }
            _ => (update, false),
        };
        let mut answer = if faked && kept.is_empty() {
            member.clone()
        } else {
            self.inner
                .balancer_update_member(balancer, member, kept)
                .await?
        };
        if faked {
            answer.weight = update.weight.or(answer.weight);
            answer.condition = update.condition.unwrap_or(answer.condition);
        }
        Ok(answer)
    }
    async fn set_health_check(
        &self,
        balancer: &Balancer,
        health_check: HealthCheck,
    ) -> Result<HealthCheck> {
        if self.defect == Defect::ForgetsHealthChecks {
            health_check.validate(&self.limits())?;
            return Ok(health_check);
        }
        self.inner.set_health_check(balancer, health_check).await
    }
    async fn get_health_check(&self, balancer: &Balancer) -> Result<Option<HealthCheck>> {
        self.inner.get_health_check(balancer).await
    }
    async fn balancer_member_health(&self, balancer: &Balancer) -> Result<Vec<MemberHealth>> {
        self.inner.balancer_member_health(balancer).await
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn options() -> KitOptions {
    KitOptions::new("toy").page_size(2)
}

/// Runs the kit on a toy with `defect`; asserts `scenario` failed with a
/// typed failure, then that the kit left no balancer behind.
async fn assert_kit_catches(defect: Defect, scenario: &str) -> lbcloud_core::testkit::KitError {
    let toy = Toy::new(defect);
    let report = run_all(&toy, &options()).await;
    let failure = report.failure(scenario);
    assert!(
        failure.is_some(),
        "{defect:?} should fail {scenario}:\n{report}"
    );
    assert!(!report.is_success());
    // The failure is typed and says what was expected.
    let failure = failure.unwrap().clone();
    assert!(
        !failure.expected.is_empty() && !failure.found.is_empty(),
        "{failure}"
    );
    eprintln!("{defect:?} -> {failure}");
    let left = toy.inner.list_balancers().await.unwrap();
    if defect != Defect::DestroyFails {
        assert!(left.is_empty(), "{defect:?}: the kit left {left:?}");
    }
    failure
}

#[tokio::test]
async fn the_wrapper_without_a_defect_passes() {
    let toy = Toy::new(Defect::None);
    let report = run_all(&toy, &options()).await;
    assert!(report.is_success(), "{report}");
}

#[tokio::test]
async fn a_driver_that_keeps_destroyed_balancers_fails() {
    assert_kit_catches(Defect::Immortal, "not_found_after_destroy").await;
    assert_kit_catches(Defect::Immortal, "crud_lifecycle").await;
}

#[tokio::test]
async fn a_driver_that_accepts_port_zero_fails() {
    assert_kit_catches(Defect::AcceptsPortZero, "invalid_input_before_io").await;
}

#[tokio::test]
async fn a_driver_that_renames_duplicates_fails() {
    assert_kit_catches(Defect::RenamesDuplicates, "already_exists").await;
}

#[tokio::test]
async fn a_driver_that_does_io_before_validating_fails() {
    let failure =
        assert_kit_catches(Defect::LooksUpBeforeValidating, "invalid_input_before_io").await;
    assert!(failure.found.contains("not_found"), "{failure}");
}

#[tokio::test]
async fn a_driver_whose_pages_repeat_fails() {
    assert_kit_catches(Defect::RepeatsFirstPage, "pages_match_list").await;
}

#[tokio::test]
async fn a_driver_that_forgets_health_checks_fails() {
    assert_kit_catches(Defect::ForgetsHealthChecks, "health_check_round_trip").await;
}

#[tokio::test]
async fn a_driver_whose_unsupported_update_still_changes_fails() {
    assert_kit_catches(Defect::UnsupportedButChanges, "update_balancer").await;
}

#[tokio::test]
async fn a_driver_that_ignores_weights_fails() {
    assert_kit_catches(Defect::IgnoresWeights, "member_weight").await;
    assert_kit_catches(Defect::IgnoresWeights, "update_member").await;
}

#[tokio::test]
async fn a_driver_that_loses_conditions_fails() {
    assert_kit_catches(Defect::LosesConditions, "member_condition").await;
    assert_kit_catches(Defect::LosesConditions, "update_member").await;
}

#[tokio::test]
async fn a_driver_that_does_not_read_back_tags_fails() {
    let failure = assert_kit_catches(Defect::DropsTags, "tags_read_back").await;
    assert!(failure.step.contains("tags"), "{failure}");
}

#[tokio::test]
async fn a_driver_that_does_not_read_back_the_algorithm_fails() {
    let failure = assert_kit_catches(Defect::DropsAlgorithm, "algorithm_chosen").await;
    assert!(failure.step.contains("algorithm"), "{failure}");
}

#[tokio::test]
async fn a_driver_that_silently_drops_unclaimed_tags_fails() {
    let failure = assert_kit_catches(Defect::TakesUnclaimedTags, "tags_read_back").await;
    assert!(failure.found.starts_with("success"), "{failure}");
}

#[tokio::test]
async fn a_driver_looser_than_its_own_limits_fails() {
    // The kit's too-long name is one longer than the toy's declared 20
    // characters, not ELB's 32: the rules come from the driver's limits.
    let failure = assert_kit_catches(Defect::LooserThanItsLimits, "invalid_input_before_io").await;
    assert!(failure.step.contains("21-character name"), "{failure}");
}

#[tokio::test]
async fn a_driver_that_never_pages_fails() {
    assert_kit_catches(Defect::OnePageOnly, "listing_beyond_one_page").await;
}

#[tokio::test]
async fn a_failed_destroy_is_reported_not_swallowed() {
    let failure = assert_kit_catches(Defect::DestroyFails, "already_exists").await;
    assert!(failure.step.starts_with("clean up"), "{failure}");
    assert!(
        failure.found.contains("the toy cannot destroy"),
        "{failure}"
    );
    let failure = assert_kit_catches(Defect::DestroyFails, "crud_lifecycle").await;
    assert!(failure.step.starts_with("destroy balancer"), "{failure}");
}
