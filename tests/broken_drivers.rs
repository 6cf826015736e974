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
use lbcloud::mock::MockDriver;
use lbcloud::{
    Algorithm, Balancer, BalancerPages, Capabilities, CreateBalancer, Driver, ErrorKind,
    HealthCheck, Member, MemberHealth, Protocol, Result, UpdateBalancer, async_trait,
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
        let mut caps = self.inner.capabilities();
        if self.defect == Defect::UnsupportedButChanges {
            caps.update_port = false;
        }
        caps
    }
    fn list_protocols(&self) -> Vec<Protocol> {
        self.inner.list_protocols()
    }
    fn list_supported_algorithms(&self) -> Vec<Algorithm> {
        self.inner.list_supported_algorithms()
    }
    fn list_balancers_pages(&self) -> BalancerPages<'_> {
        let pages = self.inner.list_balancers_pages();
        if self.defect != Defect::RepeatsFirstPage {
            return pages;
        }
        Box::pin(pages.enumerate().flat_map(|(i, page)| {
            let copies: Vec<Result<Vec<Balancer>>> = match (i, page) {
                (0, Ok(p)) => vec![Ok(p.clone()), Ok(p)],
                (_, page) => vec![page],
            };
            futures_util::stream::iter(copies)
        }))
    }
    async fn get_balancer(&self, id: &str) -> Result<Balancer> {
        match self.inner.get_balancer(id).await {
            Err(e) if self.defect == Defect::Immortal && e.kind() == ErrorKind::NotFound => {
                self.graveyard.lock().unwrap().get(id).cloned().ok_or(e)
            }
            other => other,
        }
    }
    async fn create_balancer(&self, request: CreateBalancer) -> Result<Balancer> {
        if self.defect == Defect::AcceptsPortZero && request.port() == 0 {
            return Ok(Balancer {
                id: "fake".into(),
                name: request.name,
                ..Balancer::default()
            });
        }
        match self.inner.create_balancer(request.clone()).await {
            Err(e)
                if self.defect == Defect::RenamesDuplicates
                    && e.kind() == ErrorKind::AlreadyExists =>
            {
                let renamed = CreateBalancer {
                    name: format!("{}-2", request.name),
                    ..request
                };
                self.inner.create_balancer(renamed).await
            }
            other => other,
        }
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
        self.inner.balancer_attach_members(balancer, members).await
    }
    async fn balancer_detach_members(&self, balancer: &Balancer, members: &[Member]) -> Result<()> {
        self.inner.balancer_detach_members(balancer, members).await
    }
    async fn set_health_check(
        &self,
        balancer: &Balancer,
        health_check: HealthCheck,
    ) -> Result<HealthCheck> {
        if self.defect == Defect::ForgetsHealthChecks {
            health_check.validate()?;
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

/// Runs the kit on a toy with `defect`; asserts `scenario` failed, then
/// that the kit left no balancer behind.
async fn assert_kit_catches(defect: Defect, scenario: &str) {
    let toy = Toy::new(defect);
    let report = run_all(&toy, &KitOptions::new("toy")).await;
    let failure = report.failure(scenario);
    assert!(
        failure.is_some(),
        "{defect:?} should fail {scenario}:\n{report}"
    );
    assert!(!report.is_success());
    // The failure is typed and says what was expected.
    let failure = failure.unwrap();
    assert!(
        !failure.expected.is_empty() && !failure.found.is_empty(),
        "{failure}"
    );
    let left = toy.inner.list_balancers().await.unwrap();
    assert!(left.is_empty(), "{defect:?}: the kit left {left:?}");
}

#[tokio::test]
async fn the_wrapper_without_a_defect_passes() {
    let toy = Toy::new(Defect::None);
    let report = run_all(&toy, &KitOptions::new("toy")).await;
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
    let toy = Toy::new(Defect::LooksUpBeforeValidating);
    let report = run_all(&toy, &KitOptions::new("toy")).await;
    let failure = report
        .failure("invalid_input_before_io")
        .expect("must fail");
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
