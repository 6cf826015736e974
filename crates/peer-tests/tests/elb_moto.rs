//! The conformance kit against `ElbDriver` on a local moto server: built
//! directly, and through the registry exactly as the libcloud tutorial
//! connects (key, secret, region, plus the endpoint of the local peer).
//!
//! Members are ids of EC2 instances run on moto (moto's ELB checks that
//! registered instances exist), balancers are created in moto's zones.
// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
use lbcloud_peer_tests::moto;

use lbcloud::{Config, Driver, Provider};
use lbcloud_core::testkit::{self, KitOptions, SCENARIOS};

/// A kit prefix unique to this process, so a crashed earlier run's
/// leftovers are swept but a parallel process's balancers are not.
fn prefix(tag: &str) -> String {
    let p = format!("{tag}{}", std::process::id() % 100_000);
    assert!(p.len() <= testkit::MAX_PREFIX_LEN, "{p}");
    p
}

/// One kit run at a time: moto's `Marker` is the name of a page's last
/// balancer, and a parallel run destroying that balancer between two pages
/// makes moto fail the next page (HTTP 500), which the paged run would see.
static ONE_RUN_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn assert_conforms(driver: &dyn Driver, prefix: String) {
    let _turn = ONE_RUN_AT_A_TIME.lock().await;
    let ids = moto::run_instances(3).await;
    let (subnets, groups) = moto::vpc_placement().await;
    let options = KitOptions::new(prefix)
        .instance_ids(ids)
        .zones(moto::ZONES)
        .subnets(subnets)
        .security_groups(groups);
    let report = testkit::run_all(driver, &options).await;
    assert!(report.is_success(), "{report}");
    assert_eq!(report.passed, SCENARIOS);
}

#[tokio::test]
async fn elb_on_moto_conforms() {
    assert_conforms(&moto::elb(), prefix("kit-direct")).await;
}

#[tokio::test]
async fn elb_on_moto_conforms_with_small_pages() {
    // Page size 2: the kit's listings cross page boundaries.
    assert_conforms(&moto::elb_with_page_size(2), prefix("kit-paged")).await;
}

#[tokio::test]
async fn elb_through_the_registry_conforms() {
    // As in the libcloud tutorial: get_driver(Provider.ELB)(key, secret, region),
    // plus the local peer's endpoint.
    let driver = lbcloud::get_driver(Provider::Elb)
        .unwrap()
        .connect(
            Config::new()
                .key("AKIDMOTOTEST")
                .secret("moto-test-secret")
                .region(moto::REGION)
                .endpoint(moto::endpoint()),
        )
        .unwrap();
    assert_eq!(driver.name(), "elb");
    assert_conforms(driver.as_ref(), prefix("kit-reg")).await;
}
