//! The CLI client against a real HAProxy: servers
//! added, weighted, drained and deleted at run time through the master CLI
//! and through the admin stats socket, proven with counted traffic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use lbcloud_peer_tests::haproxy as support;

use std::time::Duration;

use lbcloud_haproxy::cli::{AdminState, Cli, Command, Target, parse_show_stat};
use support::{Backend, Haproxy, eventually, free_port, send};

fn owned_config(port: u16) -> String {
    format!(
        "{}\nfrontend web\n    mode http\n    bind 127.0.0.1:{port}\n    default_backend web\n\n\
         backend web\n    mode http\n    balance roundrobin\n",
        support::EMPTY_OWNED
    )
}

async fn status_of(cli: &Cli, target: Target, server: &str) -> String {
    let text = cli.run(target, &Command::show_stat()).await.unwrap();
    parse_show_stat(&text)
        .unwrap()
        .into_iter()
        .find(|r| r.proxy == "web" && r.server == server)
        .map(|r| r.status)
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_added_at_run_time_take_traffic_by_weight_and_drain() {
    let port = free_port();
    let haproxy = Haproxy::start_with(&owned_config(port)).await;
    let backends = Backend::several(2).await;
    let master = Cli::new(&haproxy.master_socket);
    let ip = "127.0.0.1".parse().unwrap();
    for (i, b) in backends.iter().enumerate() {
        let name = format!("s{i}");
        let check = ["check", "inter", "200ms", "rise", "1", "fall", "1"];
        master
            .run(
                Target::CurrentWorker,
                &Command::add_server("web", &name, ip, b.port, 1, &check).unwrap(),
            )
            .await
            .unwrap();
        master
            .run(
                Target::CurrentWorker,
                &Command::enable_health("web", &name).unwrap(),
            )
            .await
            .unwrap();
        master
            .run(
                Target::CurrentWorker,
                &Command::enable_server("web", &name).unwrap(),
            )
            .await
            .unwrap();
    }
    for s in ["s0", "s1"] {
        let up = eventually(Duration::from_secs(5), || async {
            status_of(&master, Target::CurrentWorker, s).await == "UP"
        })
        .await;
        assert!(up, "{s} never came UP");
    }

    let even = send(port, 40).await;
    assert_eq!(even.failures, 0, "{even:?}");
    assert_eq!((even.get("b0"), even.get("b1")), (20, 20), "{even:?}");

    let admin = Cli::new(&haproxy.admin_socket);
    admin
        .run(
            Target::Direct,
            &Command::set_weight("web", "s0", 3).unwrap(),
        )
        .await
        .unwrap();
    let weighted = send(port, 40).await;
    assert_eq!(
        (weighted.get("b0"), weighted.get("b1")),
        (30, 10),
        "{weighted:?}"
    );

    admin
        .run(
            Target::Direct,
            &Command::set_state("web", "s1", AdminState::Drain).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(status_of(&admin, Target::Direct, "s1").await, "DRAIN");
    let drained = send(port, 20).await;
    assert_eq!(
        (drained.get("b0"), drained.get("b1")),
        (20, 0),
        "{drained:?}"
    );

    // Deleting needs maintenance first; HAProxy's refusal is the error.
    let err = admin
        .run(Target::Direct, &Command::del_server("web", "s1").unwrap())
        .await
        .unwrap_err();
    assert!(err.message().contains("maintenance"), "{err}");
    admin
        .run(
            Target::Direct,
            &Command::set_state("web", "s1", AdminState::Maint).unwrap(),
        )
        .await
        .unwrap();
    admin
        .run(Target::Direct, &Command::del_server("web", "s1").unwrap())
        .await
        .unwrap();
    assert_eq!(status_of(&admin, Target::Direct, "s1").await, "");
    let err = admin
        .run(
            Target::Direct,
            &Command::set_weight("web", "s1", 1).unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), lbcloud_core::ErrorKind::NotFound, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_through_the_master_starts_a_new_worker() {
    let haproxy = Haproxy::start_with(&owned_config(free_port())).await;
    let before = haproxy.worker_pids().await.unwrap();
    let master = Cli::new(&haproxy.master_socket);
    master
        .run(Target::Master, &Command::reload())
        .await
        .unwrap();
    let changed = eventually(Duration::from_secs(10), || async {
        matches!(haproxy.worker_pids().await, Ok(p) if !p.is_empty() && p.iter().all(|pid| !before.contains(pid)))
    })
    .await;
    assert!(
        changed,
        "no new worker after reload; log:\n{}",
        haproxy.log()
    );
}
