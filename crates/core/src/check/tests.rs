//! The checks against a driver that must never be called: every rejection
//! happens before it, and each capability flag is read by some check.

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::limits::{DurationRange, NameRule, Range};
use crate::{
    Algorithm, Balancer, BalancerPages, Capabilities, CheckedDriver, CreateBalancer, Driver, Error,
    ErrorKind, HealthCheck, Limits, Listener, Member, MemberCondition, Protocol, Result, Scheme,
    UpdateBalancer, UpdateMember,
};

/// A driver whose operations all fail with `Provider`: a check that lets
/// a call through shows up as that kind instead of the expected one.
#[derive(Debug)]
struct Wall {
    caps: Capabilities,
    limits: Limits,
}

fn reached() -> Error {
    Error::new(ErrorKind::Provider, "the driver was called")
}

#[async_trait]
impl Driver for Wall {
    fn name(&self) -> &str {
        "wall"
    }
    fn capabilities(&self) -> Capabilities {
        self.caps
    }
    fn limits(&self) -> Limits {
        self.limits
    }
    fn list_protocols(&self) -> Vec<Protocol> {
        vec![Protocol::Http, Protocol::Tcp, Protocol::Https]
    }
    fn list_supported_algorithms(&self) -> Vec<Algorithm> {
        vec![Algorithm::RoundRobin, Algorithm::LeastConnections]
    }
    fn list_balancers_pages(&self) -> BalancerPages<'_> {
        Box::pin(futures_util::stream::once(async { Err(reached()) }))
    }
    async fn get_balancer(&self, _: &str) -> Result<Balancer> {
        Err(reached())
    }
    async fn create_balancer(&self, _: CreateBalancer) -> Result<Balancer> {
        Err(reached())
    }
    async fn update_balancer(&self, _: &Balancer, _: UpdateBalancer) -> Result<Balancer> {
        Err(reached())
    }
    async fn destroy_balancer(&self, _: &Balancer) -> Result<()> {
        Err(reached())
    }
    async fn balancer_list_members(&self, _: &Balancer) -> Result<Vec<Member>> {
        Err(reached())
    }
    async fn balancer_attach_members(&self, _: &Balancer, _: Vec<Member>) -> Result<Vec<Member>> {
        Err(reached())
    }
    async fn balancer_detach_members(&self, _: &Balancer, _: &[Member]) -> Result<()> {
        Err(reached())
    }
    async fn balancer_update_member(
        &self,
        _: &Balancer,
        _: &Member,
        _: UpdateMember,
    ) -> Result<Member> {
        Err(reached())
    }
    async fn set_health_check(&self, _: &Balancer, _: HealthCheck) -> Result<HealthCheck> {
        Err(reached())
    }
    async fn get_health_check(&self, _: &Balancer) -> Result<Option<HealthCheck>> {
        Err(reached())
    }
    async fn balancer_member_health(&self, _: &Balancer) -> Result<Vec<crate::MemberHealth>> {
        Err(reached())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn elb_like() -> Limits {
    Limits::new()
        .with_name(NameRule::new(32, "-"))
        .with_health_interval(DurationRange::secs(5, 300))
        .with_health_timeout(DurationRange::secs(2, 60))
        .with_timeout_below_interval(true)
        .with_health_threshold(Range::new(2, 10))
        .with_weight(Some(Range::new(1, 100)))
        .with_listeners_per_balancer(5)
}

fn checked(caps: Capabilities) -> Arc<dyn Driver> {
    CheckedDriver::wrap(Arc::new(Wall {
        caps,
        limits: elb_like(),
    }))
}

fn lb() -> Balancer {
    Balancer {
        id: "lb-1".into(),
        name: "web".into(),
        ..Balancer::default()
    }
}

fn req() -> CreateBalancer {
    CreateBalancer::new("web", 80, Protocol::Http)
}

/// One call through the checked driver, as the error it ends with.
type Probe = fn(Arc<dyn Driver>) -> futures_core::future::BoxFuture<'static, Error>;

macro_rules! probe {
    (|$d:ident| $body:expr) => {{
        fn run($d: Arc<dyn Driver>) -> futures_core::future::BoxFuture<'static, Error> {
            Box::pin(async move {
                match $body.await {
                    Ok(_) => Error::new(ErrorKind::Provider, "the call succeeded"),
                    Err(e) => e,
                }
            })
        }
        run as Probe
    }};
}

/// For each capability flag, a call that needs it (or `None` for flags
/// only the conformance kit can observe, and why).
fn probe_for(flag: &str) -> std::result::Result<Probe, &'static str> {
    Ok(match flag {
        "update_name" => probe!(|d| d.update_balancer(&lb(), UpdateBalancer::new().name("new"))),
        "update_port" => probe!(|d| d.update_balancer(&lb(), UpdateBalancer::new().port(81))),
        "update_protocol" => {
            probe!(|d| d.update_balancer(&lb(), UpdateBalancer::new().protocol(Protocol::Tcp)))
        }
        "update_algorithm" => probe!(|d| d.update_balancer(
            &lb(),
            UpdateBalancer::new().algorithm(Algorithm::LeastConnections)
        )),
        "choose_algorithm" => {
            probe!(|d| d.create_balancer(req().algorithm(Algorithm::RoundRobin)))
        }
        "member_by_instance" => {
            probe!(|d| d.balancer_attach_member(&lb(), Member::instance("i-1")))
        }
        "member_instance_port" => {
            probe!(|d| d.balancer_attach_member(&lb(), Member::instance("i-1").port(8080)))
        }
        "member_by_address" => {
            probe!(|d| d.balancer_attach_member(&lb(), Member::address("10.0.0.1", 80)))
        }
        "member_named_address" => {
            probe!(|d| d
                .balancer_attach_member(&lb(), Member::address("10.0.0.1", 80).with_id("web1")))
        }
        "member_weight" => probe!(|d| d.balancer_update_member(
            &lb(),
            &Member::instance("i-1"),
            UpdateMember::new().weight(3)
        )),
        "member_condition" => probe!(|d| d.balancer_update_member(
            &lb(),
            &Member::instance("i-1"),
            UpdateMember::new().condition(MemberCondition::Draining)
        )),
        "multiple_listeners" => {
            probe!(|d| d.create_balancer(req().listener(Listener::new(443, Protocol::Tcp, 443))))
        }
        "health_check" => probe!(|d| d.set_health_check(&lb(), HealthCheck::tcp(Some(22)))),
        "member_health" => probe!(|d| d.balancer_member_health(&lb())),
        "zones" => probe!(|d| d.create_balancer(req().zones(["z-1"]))),
        "subnets" => probe!(|d| d.create_balancer(req().subnets(["subnet-1"]))),
        "security_groups" => probe!(|d| d.create_balancer(req().security_groups(["sg-1"]))),
        "scheme" => probe!(|d| d.create_balancer(req().scheme(Scheme::Internal))),
        "tags" => probe!(|d| d.create_balancer(req().tag("team", "edge"))),
        "batch_members" => return Err("how many provider calls a batch takes"),
        "paginated_listing" => return Err("how many pages a listing takes"),
        _ => return Err(""),
    })
}

/// Every flag is read: off, its call is `Unsupported` before the driver
/// runs; on, the call reaches the driver. A new flag without a probe here
/// (or a reason only the kit sees it) fails this test.
#[tokio::test]
async fn every_capability_flag_is_enforced_before_the_driver_runs() {
    for flag in Capabilities::FLAGS {
        let probe = match probe_for(flag) {
            Ok(p) => p,
            Err("") => panic!("capability {flag} has no probe: add one to probe_for"),
            Err(_kit_only) => continue,
        };
        let off = probe(checked(Capabilities::all().with(flag, false))).await;
        assert_eq!(off.kind(), ErrorKind::Unsupported, "{flag} off: {off}");
        assert!(off.field().is_some(), "{flag} off names no field: {off}");
        let on = probe(checked(Capabilities::all())).await;
        assert_eq!(on.kind(), ErrorKind::Provider, "{flag} on: {on}");
    }
}

#[tokio::test]
async fn limits_are_enforced_before_the_driver_runs() {
    let d = checked(Capabilities::all());
    let long = "a".repeat(33);
    let cases: Vec<(&str, CreateBalancer)> = vec![
        ("name", req().clone_named(&long)),
        ("name", req().clone_named("web_lb")),
        (
            "listeners[0].protocol",
            CreateBalancer::new("web", 80, Protocol::Udp),
        ),
        (
            "listeners",
            (81..=85).fold(req(), |r, p| r.listener(Listener::new(p, Protocol::Tcp, p))),
        ),
        (
            "members[0].weight",
            req().member(Member::instance("i-1").weight(101)),
        ),
        (
            "health_check.interval",
            req().health_check(HealthCheck::tcp(None).interval(Duration::from_millis(500))),
        ),
        (
            "health_check.healthy_threshold",
            req().health_check(HealthCheck::tcp(None).healthy_threshold(1)),
        ),
        ("algorithm", req().algorithm(Algorithm::Random)),
    ];
    for (field, request) in cases {
        let err = d.create_balancer(request).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{field}: {err}");
        assert_eq!(err.field(), Some(field), "{err}");
        assert_eq!(err.operation(), Some("create_balancer"), "{err}");
    }
    let heavy = d
        .balancer_update_member(
            &lb(),
            &Member::instance("i-1"),
            UpdateMember::new().weight(0),
        )
        .await
        .unwrap_err();
    assert_eq!(heavy.field(), Some("update.weight"));
    let nothing = d
        .balancer_update_member(&lb(), &Member::instance("i-1"), UpdateMember::new())
        .await
        .unwrap_err();
    assert_eq!(nothing.field(), Some("update"));
    let empty = d
        .update_balancer(&lb(), UpdateBalancer::new())
        .await
        .unwrap_err();
    assert_eq!(empty.field(), Some("update"));
    let nameless = d.destroy_balancer(&Balancer::default()).await.unwrap_err();
    assert_eq!(nameless.field(), Some("balancer"));
    // Valid input passes the layer and reaches the driver.
    let through = d.create_balancer(req()).await.unwrap_err();
    assert_eq!(through.kind(), ErrorKind::Provider);
}

#[tokio::test]
async fn ex_methods_stay_reachable_through_the_layer() {
    let d = checked(Capabilities::none());
    assert!(d.as_ref().downcast_ref::<Wall>().is_some());
    assert_eq!(d.name(), "wall");
    assert_eq!(d.limits(), elb_like());
}

trait Named {
    fn clone_named(self, name: &str) -> Self;
}

impl Named for CreateBalancer {
    fn clone_named(mut self, name: &str) -> Self {
        self.name = name.into();
        self
    }
}
