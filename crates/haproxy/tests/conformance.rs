//! lbcloud's conformance kit on the HAProxy driver against a real HAProxy
//! (feature `haproxy-tests`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use lbcloud_core::testkit::{KitOptions, run_all};
use lbcloud_haproxy::HaproxyDriver;
use support::Haproxy;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_conformance_kit_passes_on_haproxy() {
    let haproxy = Haproxy::start().await;
    let driver = HaproxyDriver::builder()
        .config_file(haproxy.owned.display().to_string())
        .master_socket(haproxy.master_socket.display().to_string())
        .admin_socket(haproxy.admin_socket.display().to_string())
        .base_config(haproxy.base.display().to_string())
        .haproxy_bin(haproxy.bin.display().to_string())
        .bind_address("127.0.0.1")
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
