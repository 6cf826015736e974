//! The registry: built-in providers, a third-party driver registered by
//! name, and the downcast route from `dyn Driver` to `ex_` methods.
// Test code: a panic here is a failed test (helpers outside #[test] fns need this too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![cfg(feature = "mock")]

use std::any::Any;
use std::sync::Arc;

use lbcloud::{
    Algorithm, Balancer, BalancerPages, Capabilities, Config, CreateBalancer, Driver,
    DriverFactory, Error, ErrorKind, Limits, Member, Protocol, Provider, Result, UpdateBalancer,
    async_trait,
};
use lbcloud_core::testkit::{KitOptions, run_all};

/// A third party's driver: it keeps balancers in a mock and has its own
/// extension method.
#[derive(Debug)]
struct AcmeDriver {
    region: String,
    store: lbcloud::mock::MockDriver,
}

impl AcmeDriver {
    /// An `ex_` method only Acme has.
    fn ex_region(&self) -> &str {
        &self.region
    }
}

#[async_trait]
impl Driver for AcmeDriver {
    fn name(&self) -> &str {
        "acme"
    }
    fn capabilities(&self) -> Capabilities {
        // Acme has no updates and no health: the kit must see Unsupported.
        Capabilities::none().with_member_by_address(true)
    }
    fn limits(&self) -> Limits {
        self.store.limits()
    }
    fn list_protocols(&self) -> Vec<Protocol> {
        vec![Protocol::Http, Protocol::Tcp]
    }
    fn list_supported_algorithms(&self) -> Vec<Algorithm> {
        vec![Algorithm::RoundRobin]
    }
    fn list_balancers_pages(&self) -> BalancerPages<'_> {
        self.store.list_balancers_pages()
    }
    async fn get_balancer(&self, id: &str) -> Result<Balancer> {
        self.store.get_balancer(id).await
    }
    async fn create_balancer(&self, request: CreateBalancer) -> Result<Balancer> {
        self.store.create_balancer(request).await
    }
    async fn update_balancer(&self, _: &Balancer, _: UpdateBalancer) -> Result<Balancer> {
        Err(Error::unsupported(
            "update_balancer",
            "acme balancers are immutable",
        ))
    }
    async fn destroy_balancer(&self, balancer: &Balancer) -> Result<()> {
        self.store.destroy_balancer(balancer).await
    }
    async fn balancer_list_members(&self, balancer: &Balancer) -> Result<Vec<Member>> {
        self.store.balancer_list_members(balancer).await
    }
    async fn balancer_attach_members(
        &self,
        b: &Balancer,
        members: Vec<Member>,
    ) -> Result<Vec<Member>> {
        self.store.balancer_attach_members(b, members).await
    }
    async fn balancer_detach_members(&self, b: &Balancer, members: &[Member]) -> Result<()> {
        self.store.balancer_detach_members(b, members).await
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[derive(Debug)]
struct AcmeFactory;

impl DriverFactory for AcmeFactory {
    fn name(&self) -> &str {
        "acme"
    }
    fn connect(&self, config: Config) -> Result<Arc<dyn Driver>> {
        let region = config
            .get_region()
            .ok_or_else(|| Error::invalid_input("region", "acme needs a region"))?;
        Ok(Arc::new(AcmeDriver {
            region: region.to_owned(),
            store: lbcloud::mock::MockDriver::new(),
        }))
    }
}

#[tokio::test]
async fn a_third_party_driver_registers_connects_and_conforms() {
    lbcloud::register_driver("acme", Arc::new(AcmeFactory)).unwrap();
    assert!(lbcloud::driver_names().contains(&"acme".to_string()));

    let factory = lbcloud::get_driver_by_name("acme").unwrap();
    assert_eq!(factory.name(), "acme");
    let err = factory.connect(Config::new()).unwrap_err();
    assert_eq!(err.field(), Some("region"));

    let driver = factory.connect(Config::new().region("moon-1")).unwrap();
    assert_eq!(driver.name(), "acme");
    // Back to the concrete type for its ex_ method.
    let acme = driver
        .as_ref()
        .downcast_ref::<AcmeDriver>()
        .expect("an AcmeDriver");
    assert_eq!(acme.ex_region(), "moon-1");
    assert!(
        driver
            .as_ref()
            .downcast_ref::<lbcloud::mock::MockDriver>()
            .is_none()
    );

    // Its unclaimed capabilities are checked as Unsupported.
    let report = run_all(driver.as_ref(), &KitOptions::new("acme")).await;
    assert!(report.is_success(), "{report}");

    let again = lbcloud::register_driver("acme", Arc::new(AcmeFactory)).unwrap_err();
    assert_eq!(again.kind(), ErrorKind::AlreadyExists);
    assert!(lbcloud::unregister_driver("acme").is_some());
    assert_eq!(
        lbcloud::get_driver_by_name("acme").unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn built_in_names_are_reserved_and_bad_names_rejected() {
    let err = lbcloud::register_driver("mock", Arc::new(AcmeFactory)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    let err = lbcloud::register_driver("Acme Cloud", Arc::new(AcmeFactory)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.field(), Some("name"));
}

#[tokio::test]
async fn ex_methods_are_reachable_from_an_arc_dyn_driver() {
    use lbcloud::mock::MockDriver;
    use lbcloud::{DriverExt, HealthState};

    let driver = lbcloud::get_driver(Provider::Mock)
        .unwrap()
        .connect(Config::new())
        .unwrap();
    let lb = driver
        .create_balancer(
            CreateBalancer::new("web", 80, Protocol::Http).member(Member::instance("i-1")),
        )
        .await
        .unwrap();
    // `DriverExt::downcast_ref` works on the Arc too (it forwards `as_any`).
    let mock: &MockDriver = DriverExt::downcast_ref(&driver).expect("a MockDriver");
    mock.ex_set_member_health(&lb, "i-1", HealthState::Draining)
        .unwrap();
    let health = driver.balancer_member_health(&lb).await.unwrap();
    assert_eq!(health[0].state, HealthState::Draining);
}
