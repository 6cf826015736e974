//! One driver over two HAProxy processes: every
//! change reaches both, a stopped node is reported by its socket in the
//! error, and it is brought back in line by the next change.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use lbcloud_peer_tests::haproxy as support;

use lbcloud_core::{CreateBalancer, Driver, Member, Protocol, UpdateMember};
use lbcloud_haproxy::HaproxyDriver;
use lbcloud_haproxy::cli::{Cli, Command, Target, parse_show_stat};
use support::{Backend, Haproxy, free_port, send};

/// The servers of backend `web` in one node's running worker.
async fn servers_on(h: &Haproxy) -> Vec<String> {
    let text = Cli::new(&h.admin_socket)
        .run(Target::Direct, &Command::show_stat())
        .await
        .unwrap();
    let mut names: Vec<String> = parse_show_stat(&text)
        .unwrap()
        .into_iter()
        .filter(|r| r.proxy == "web" && r.kind == Some(2))
        .map(|r| r.server)
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fleet_gets_every_change_and_a_stopped_node_catches_up() {
    let one = Haproxy::start().await;
    let mut two = Haproxy::start().await;
    let backends = Backend::several(2).await;
    let s = |p: &std::path::Path| p.display().to_string();
    let driver = HaproxyDriver::builder()
        .config_file(s(&one.owned))
        .config_file(s(&two.owned))
        .master_socket(s(&one.master_socket))
        .master_socket(s(&two.master_socket))
        .base_config(s(&one.base))
        .base_config(s(&two.base))
        .haproxy_bin(s(&one.bin))
        .bind_address("127.0.0.1")
        .build()
        .unwrap();
    let port = free_port();
    let lb = driver
        .create_balancer(
            CreateBalancer::new("web", port, Protocol::Http)
                .member(Member::address("127.0.0.1", backends[0].port).with_id("b0")),
        )
        .await
        .unwrap();
    assert_eq!(servers_on(&one).await, ["b0"]);
    assert_eq!(servers_on(&two).await, ["b0"]);
    // Both processes listen on the port (SO_REUSEPORT), both answer from b0.
    let tally = send(port, 20).await;
    assert_eq!(tally.get("b0"), 20, "{tally:?}");

    two.stop();
    let err = driver
        .balancer_attach_member(
            &lb,
            Member::address("127.0.0.1", backends[1].port).with_id("b1"),
        )
        .await
        .unwrap_err();
    println!("fleet error with one node stopped: {err}");
    assert_eq!(err.code(), Some("FleetPartialFailure"), "{err}");
    assert!(
        err.message().contains(&s(&two.master_socket)),
        "the error names the node: {err}"
    );
    assert!(!err.message().contains(&s(&one.master_socket)), "{err}");
    assert_eq!(servers_on(&one).await, ["b0", "b1"]);
    let listed = driver.balancer_list_members(&lb).await.unwrap();
    assert_eq!(listed.len(), 2, "{listed:?}");
    let tally = send(port, 20).await;
    assert_eq!(
        (tally.get("b0"), tally.get("b1")),
        (10, 10),
        "node one serves both: {tally:?}"
    );

    // Node two comes back on its old file; the next change brings it in line.
    two.launch().await;
    assert_eq!(servers_on(&two).await, ["b0"]);
    driver
        .balancer_update_member(
            &lb,
            &Member::address("127.0.0.1", backends[0].port).with_id("b0"),
            UpdateMember::new().weight(2),
        )
        .await
        .unwrap();
    assert_eq!(servers_on(&one).await, ["b0", "b1"]);
    assert_eq!(servers_on(&two).await, ["b0", "b1"]);
    let strip = |text: String| {
        text.lines()
            .filter(|l| !l.contains("server-state-file-name"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        strip(std::fs::read_to_string(&one.owned).unwrap()),
        strip(std::fs::read_to_string(&two.owned).unwrap())
    );
}
