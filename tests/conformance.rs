//! The conformance kit against the mock driver, through every access path
//! a user has (the concrete type, `Arc<dyn Driver>`, `Box<dyn Driver>` and
//! the registry), with its default (ELB-like) limits, with a non-ELB limit
//! set, and with fewer capabilities.
// Test code: a panic here is a failed test (helpers outside #[test] fns need this too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![cfg(feature = "mock")]

use std::sync::Arc;
use std::time::Duration;

use lbcloud::limits::{DurationRange, NameRule, Range};
use lbcloud::mock::MockDriver;
use lbcloud::{Capabilities, Config, Driver, Limits, Provider};
use lbcloud_core::testkit::{self, KitOptions, SCENARIOS};

async fn assert_conforms(driver: &dyn Driver, options: KitOptions) {
    let report = testkit::run_all(driver, &options).await;
    assert!(report.is_success(), "{report}");
    assert_eq!(report.passed, SCENARIOS);
}

#[tokio::test]
async fn mock_directly() {
    assert_conforms(&MockDriver::new(), KitOptions::new("direct")).await;
}

#[tokio::test]
async fn mock_with_small_pages_and_instance_members() {
    // Page size 2 makes the listing scenarios cross page boundaries (and
    // `listing_beyond_one_page` require it), and instance ids exercise the
    // by-instance member path.
    let driver = MockDriver::builder().page_size(2).build().unwrap();
    let options = KitOptions::new("paged")
        .instance_ids(["i-0a", "i-0b", "i-0c"])
        .zones(["zone-a"])
        .page_size(2);
    assert_conforms(&driver, options).await;
}

/// Limits unlike ELB's: 63-character names with `_`, health checks from
/// 200 ms in 100 ms steps, thresholds from 1, weights 1-100, three
/// listeners, five members per call.
fn non_elb_limits() -> Limits {
    Limits::new()
        .with_name(NameRule::new(63, "-_"))
        .with_health_interval(DurationRange {
            min: Duration::from_millis(200),
            max: Duration::from_secs(120),
            step: Duration::from_millis(100),
        })
        .with_health_timeout(DurationRange {
            min: Duration::from_millis(100),
            max: Duration::from_secs(60),
            step: Duration::from_millis(100),
        })
        .with_health_threshold(Range::new(1, 20))
        .with_weight(Some(Range::new(1, 100)))
        .with_listeners_per_balancer(3)
        .with_members_per_call(Some(5))
}

#[tokio::test]
async fn mock_with_non_elb_limits() {
    let driver = MockDriver::builder()
        .limits(non_elb_limits())
        .page_size(3)
        .build()
        .unwrap();
    assert_eq!(driver.limits().name.max_len, 63);
    assert_conforms(&driver, KitOptions::new("limits").page_size(3)).await;
}

#[tokio::test]
async fn mock_with_few_capabilities() {
    // The unclaimed side of most flags: refused, nothing changed.
    let caps = Capabilities::none()
        .with_member_by_address(true)
        .with_health_check(true)
        .with_update_name(true);
    let driver = MockDriver::builder().capabilities(caps).build().unwrap();
    assert_conforms(&driver, KitOptions::new("few")).await;
}

#[tokio::test]
async fn mock_with_instance_members_only() {
    let caps = Capabilities::all()
        .with_member_by_address(false)
        .with_member_named_address(false);
    let driver = MockDriver::builder().capabilities(caps).build().unwrap();
    let options = KitOptions::new("inst").instance_ids(["i-0a", "i-0b", "i-0c"]);
    assert_conforms(&driver, options).await;
}

#[tokio::test]
async fn mock_through_arc_dyn_driver() {
    let driver: Arc<dyn Driver> = Arc::new(MockDriver::new());
    // `&Arc<dyn Driver>` goes through the forwarding impl of `Arc<T>`.
    assert_conforms(&driver, KitOptions::new("arc")).await;
}

#[tokio::test]
async fn mock_through_box_dyn_driver() {
    let driver: Box<dyn Driver> = Box::new(MockDriver::new());
    assert_conforms(&driver, KitOptions::new("boxed")).await;
}

#[tokio::test]
async fn mock_through_the_registry() {
    // The registry wraps the mock in CheckedDriver.
    let driver = lbcloud::get_driver(Provider::Mock)
        .unwrap()
        .connect(
            Config::new()
                .key("id")
                .secret("secret")
                .region("us-west-2")
                .option("page_size", "3"),
        )
        .unwrap();
    assert_conforms(driver.as_ref(), KitOptions::new("registry").page_size(3)).await;
    let by_name = lbcloud::get_driver_by_name("MOCK")
        .unwrap()
        .connect(Config::new())
        .unwrap();
    assert_conforms(&by_name, KitOptions::new("byname")).await;
}

#[tokio::test]
async fn parallel_runs_on_one_driver_do_not_collide() {
    let driver = MockDriver::new();
    let (a, b) = futures_util::future::join(
        testkit::run_all(&driver, &KitOptions::new("par-a")),
        testkit::run_all(&driver, &KitOptions::new("par-b")),
    )
    .await;
    assert!(a.is_success(), "{a}");
    assert!(b.is_success(), "{b}");
    // The kit cleans up after itself.
    assert!(driver.list_balancers().await.unwrap().is_empty());
}

#[tokio::test]
async fn mock_with_a_state_file() {
    let path = std::env::temp_dir().join(format!("lbcloud-kit-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let driver = lbcloud::get_driver(Provider::Mock)
        .unwrap()
        .connect(Config::new().option("state_file", path.to_string_lossy()))
        .unwrap();
    assert_conforms(driver.as_ref(), KitOptions::new("file")).await;
    assert!(path.exists());
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn bad_options_fail_as_options() {
    let report = testkit::run_all(&MockDriver::new(), &KitOptions::new("Not_Valid")).await;
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].scenario, "options");
    assert!(report.passed.is_empty());
}

#[tokio::test]
async fn a_prefix_too_long_for_the_drivers_names_fails_up_front() {
    // 16 characters of prefix plus the kit's tags and suffixes do not fit
    // 20-character names: every scenario that names balancers says so.
    let driver = MockDriver::builder()
        .limits(Limits::new().with_name(NameRule::new(20, "-")))
        .build()
        .unwrap();
    let report = testkit::run_all(&driver, &KitOptions::new("abcdefghijklmnop")).await;
    let failure = report.failure("crud_lifecycle").expect("must fail");
    assert!(failure.step.contains("limits.name"), "{failure}");
    assert!(driver.list_balancers().await.unwrap().is_empty());
}
