//! lbcloud's conformance kit on the HAProxy driver against a real HAProxy
//!.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use lbcloud_peer_tests::haproxy as support;

use lbcloud_core::testkit::{KitOptions, run_all};
use support::Haproxy;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_conformance_kit_passes_on_haproxy() {
    let haproxy = Haproxy::start().await;
    let driver = haproxy
        .driver_builder()
        .admin_socket(haproxy.admin_socket.display().to_string())
        .build()
        .unwrap();
    let report = run_all(&driver, &KitOptions::new("kit-hx")).await;
    println!("{report}");
    assert!(
        report.is_success(),
        "{report}\nHAProxy log:\n{}",
        haproxy.log()
    );
}
