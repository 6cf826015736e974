//! The conformance kit on a third party's driver with non-ELB limits
//! (63-character names with `_`, sub-second health checks, thresholds from
//! 1), written against `lbcloud-core` alone (`examples/third_party_driver.rs`)
//! and reached through the registry, so through `CheckedDriver`, as users
//! get it. Several capability sets run, so each flag's claimed and
//! unclaimed sides are both exercised.
// Test code: a panic here is a failed test (helpers outside #[test] fns need this too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::sync::Arc;

use lbcloud::{Capabilities, CheckedDriver, Config, Driver};
use lbcloud_core::testkit::{self, FLAG_SCENARIOS, KitOptions, SCENARIOS};

#[path = "../examples/third_party_driver.rs"]
#[allow(dead_code)]
mod acme;

use acme::{ACME_LIMITS, AcmeDriver, AcmeFactory, acme_capabilities};

/// Registers a factory claiming `capabilities` under `name` and connects it
/// with listing pages of 2.
fn registered(name: &str, capabilities: Capabilities) -> Arc<dyn Driver> {
    lbcloud::register_driver(name, Arc::new(AcmeFactory { capabilities })).unwrap();
    lbcloud::get_driver_by_name(name)
        .unwrap()
        .connect(Config::new().option("page_size", "2"))
        .unwrap()
}

async fn assert_conforms(driver: &dyn Driver, options: &KitOptions) {
    let report = testkit::run_all(driver, options).await;
    assert!(report.is_success(), "{report}");
    assert_eq!(report.passed, SCENARIOS);
    assert!(
        driver.list_balancers().await.unwrap().is_empty(),
        "the kit left balancers"
    );
}

#[tokio::test]
async fn acme_passes_the_kit_through_the_registry() {
    let driver = registered("acme-full", acme_capabilities());
    // The registry wraps every driver in CheckedDriver; downcasting still
    // reaches the concrete driver.
    assert!(driver.as_ref().downcast_ref::<AcmeDriver>().is_some());
    assert_eq!(driver.limits(), ACME_LIMITS);
    assert_eq!(driver.limits().name.max_len, 63);
    assert_conforms(driver.as_ref(), &KitOptions::new("acme").page_size(2)).await;
}

#[tokio::test]
async fn acme_with_every_flag_off_but_one_way_to_name_members() {
    // The unclaimed side of every flag: refused, nothing changed.
    let bare = Capabilities::none().with_member_by_address(true);
    let driver = registered("acme-bare", bare);
    assert_conforms(driver.as_ref(), &KitOptions::new("bare")).await;
}

#[tokio::test]
async fn acme_with_instance_members_only() {
    let caps = Capabilities::none()
        .with_member_by_instance(true)
        .with_member_instance_port(true)
        .with_member_health(true)
        .with_health_check(true)
        .with_member_condition(true);
    let driver = registered("acme-instances", caps);
    let options = KitOptions::new("inst").instance_ids(["i-a", "i-b", "i-c"]);
    assert_conforms(driver.as_ref(), &options).await;
}

#[tokio::test]
async fn each_flag_alone_passes() {
    // One driver per flag, that flag on (plus what it depends on): every
    // scenario passes on both sides of every flag, in every combination
    // the kit must handle on its own.
    for (i, (flag, _)) in FLAG_SCENARIOS.iter().enumerate() {
        let caps = Capabilities::none()
            .with_member_by_address(true)
            .with_member_by_instance(*flag == "member_instance_port")
            .with(flag, true);
        let driver = CheckedDriver::wrap(Arc::new(AcmeDriver::new(caps, 2)));
        let options = KitOptions::new(format!("one{i}")).page_size(2);
        let report = testkit::run_all(driver.as_ref(), &options).await;
        assert!(report.is_success(), "only {flag}:\n{report}");
    }
}

#[tokio::test]
async fn long_names_with_underscores_are_acme_names() {
    let driver = registered("acme-names", acme_capabilities());
    let long = format!("a_{}", "b".repeat(61));
    let lb = driver
        .create_balancer(lbcloud::CreateBalancer::new(
            long.clone(),
            80,
            lbcloud::Protocol::Http,
        ))
        .await
        .unwrap();
    assert_eq!(lb.name, long);
    driver.destroy_balancer(&lb).await.unwrap();
}

#[tokio::test]
async fn incoherent_capabilities_fail_describes_itself() {
    // A port on instance members, but no instance members at all.
    let caps = Capabilities::none()
        .with_member_by_address(true)
        .with_member_instance_port(true);
    let driver = CheckedDriver::wrap(Arc::new(AcmeDriver::new(caps, 2)));
    let failure = testkit::describes_itself(driver.as_ref(), &KitOptions::new("odd"))
        .await
        .unwrap_err();
    assert!(failure.expected.contains("member_by_instance"), "{failure}");
}
