//! The conformance kit against the mock driver, through every access path
//! a user has: the concrete type, `Arc<dyn Driver>`, `Box<dyn Driver>` and
//! the registry.
// Test code: a panic here is a failed test (helpers outside #[test] fns need this too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![cfg(feature = "mock")]

use std::sync::Arc;

use lbcloud::mock::MockDriver;
use lbcloud::{Config, Driver, Provider};
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
    // Page size 2 makes the listing scenarios cross page boundaries, and
    // instance ids exercise the by-instance member path.
    let driver = MockDriver::builder().page_size(2).build().unwrap();
    let options = KitOptions::new("paged")
        .instance_ids(["i-0a", "i-0b", "i-0c"])
        .zones(["zone-a"]);
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
    assert_conforms(driver.as_ref(), KitOptions::new("registry")).await;
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
