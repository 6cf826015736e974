//! The `lbcloud` binary against a real HAProxy, every change proven with
//! HTTP traffic counted at real backends on 127.0.0.1: after `attach` the
//! new backend gets requests, after `lbcloud haproxy drain` (and after
//! `update-member --condition draining`) it gets none, after `ready` it
//! gets them again; `set-algorithm source` pins one client to one backend;
//! `show-stat` reports what HAProxy counted; `set-certificate` changes the
//! certificate a TLS client is shown.
//!
//! The HAProxy and the backends come from this crate's harness
//! (`lbcloud_peer_tests::haproxy`). A missing `haproxy`
//! binary fails these tests loudly (scripts/test.sh installs it).

use lbcloud_peer_tests::haproxy as hx;
#[path = "../../cli/tests/support/mod.rs"]
mod support;

use std::time::Duration;

use hx::{Backend, Haproxy, eventually, free_port, send};
use lbcloud::{Algorithm, Balancer, HealthState, Member, MemberCondition, MemberHealth};
use serde::{Deserialize, Serialize};
use support::{Lbcloud, table_lines};

/// One row of `lbcloud haproxy show-stat --output json`.
#[derive(Debug, Serialize, Deserialize)]
struct Stat {
    node: usize,
    proxy: String,
    server: String,
    status: String,
    weight: Option<u32>,
    sessions_current: Option<u64>,
    sessions_total: Option<u64>,
    check_status: Option<String>,
}

/// `lbcloud --provider haproxy` on this HAProxy: its owned file, master
/// socket, base config and binary, binding 127.0.0.1.
fn cli(h: &Haproxy) -> Lbcloud {
    let mut global = vec!["--provider".to_owned(), "haproxy".to_owned()];
    for (key, path) in [
        ("config_file", &h.owned),
        ("master_socket", &h.master_socket),
        ("base_config", &h.base),
        ("haproxy_bin", &h.bin),
    ] {
        global.push("-o".to_owned());
        global.push(format!("{key}={}", path.display()));
    }
    global.extend(["-o".to_owned(), "bind_address=127.0.0.1".to_owned()]);
    Lbcloud {
        global,
        env: Vec::new(),
        state: None,
    }
}

fn address(b: &Backend) -> String {
    format!("127.0.0.1:{}", b.port)
}

/// Sends requests until `backend` has answered one (at most 5 s).
async fn reaches(port: u16, backend: &Backend) -> bool {
    eventually(Duration::from_secs(5), || async {
        send(port, 2).await.get(&backend.name) > 0
    })
    .await
}

/// HAProxy, backend `b0`, and balancer `web` over it made with `lbcloud create`.
async fn web_over_one_backend() -> (Haproxy, Lbcloud, Backend, u16) {
    let haproxy = Haproxy::start().await;
    let lb = cli(&haproxy);
    let b0 = Backend::start("b0").await;
    let port = free_port();
    let created: Balancer = lb.json(&[
        "create",
        "web",
        "--port",
        &port.to_string(),
        "--protocol",
        "http",
        "--member",
        &address(&b0),
    ]);
    assert_eq!(created.name, "web");
    assert!(reaches(port, &b0).await, "log:\n{}", haproxy.log());
    (haproxy, lb, b0, port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attach_sends_traffic_to_the_new_backend_and_drain_stops_it() {
    let (_haproxy, lb, b0, port) = web_over_one_backend().await;
    let only = send(port, 10).await;
    assert_eq!((only.get("b0"), only.failures), (10, 0), "{only:?}");

    let late = Backend::start("late").await;
    let attached: Vec<Member> = lb.json(&["attach", "web", &address(&late)]);
    assert_eq!(attached.len(), 1, "{attached:?}");
    assert!(
        reaches(port, &late).await,
        "the attached backend got nothing"
    );
    let both = send(port, 20).await;
    println!("after attach, 20 requests: {both:?}");
    assert_eq!((both.get("b0"), both.get("late")), (10, 10), "{both:?}");

    let drained: Member = lb.json(&["haproxy", "drain", "web", &address(&late)]);
    assert_eq!(drained.condition, MemberCondition::Draining);
    let health: Vec<MemberHealth> = lb.json(&["member-health", "web"]);
    let state = health
        .iter()
        .find(|h| h.member_id == attached[0].id)
        .map(|h| h.state);
    assert_eq!(state, Some(HealthState::Draining), "{health:?}");
    let late_hits = late.hits();
    late.reset();
    let drained_traffic = send(port, 20).await;
    println!("late drained, 20 requests: {drained_traffic:?}");
    assert_eq!(
        (drained_traffic.get("b0"), late.hits()),
        (20, 0),
        "{drained_traffic:?}"
    );

    let stats: Vec<Stat> = lb.json(&["haproxy", "show-stat", "web"]);
    let row = |server: &str| stats.iter().find(|s| s.server == server);
    let late_row = row(&attached[0].id).unwrap_or_else(|| panic!("{stats:?}"));
    // HAProxy's session counts are the requests each backend counted.
    assert_eq!(late_row.status, "DRAIN", "{stats:?}");
    assert_eq!(late_row.sessions_total, Some(late_hits), "{stats:?}");
    let b0_row = stats
        .iter()
        .find(|s| !["FRONTEND", "BACKEND", attached[0].id.as_str()].contains(&s.server.as_str()))
        .unwrap_or_else(|| panic!("{stats:?}"));
    // No health check on this balancer: HAProxy says so instead of UP.
    assert_eq!(b0_row.status, "no check", "{stats:?}");
    assert_eq!(b0_row.sessions_total, Some(b0.hits()), "{stats:?}");
    assert!(
        stats.iter().all(|s| s.proxy == "web" && s.node == 0),
        "{stats:?}"
    );
    let text = lb.ok(&["haproxy", "show-stat", "web"]);
    let lines = table_lines(&text);
    assert!(
        lines[0].starts_with("NODE") && lines[0].contains("TOTAL"),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&attached[0].id) && l.contains("DRAIN")),
        "{text}"
    );

    let ready: Member = lb.json(&["haproxy", "ready", "web", &address(&late)]);
    assert_eq!(ready.condition, MemberCondition::Enabled);
    let back = send(port, 20).await;
    assert_eq!((back.get("b0"), back.get("late")), (10, 10), "{back:?}");

    // The base command does the same as `haproxy drain`.
    let drained: Member = lb.json(&[
        "update-member",
        "web",
        &address(&late),
        "--condition",
        "draining",
    ]);
    assert_eq!(drained.condition, MemberCondition::Draining);
    late.reset();
    let again = send(port, 10).await;
    assert_eq!((again.get("b0"), late.hits()), (10, 0), "{again:?}");

    let detached: Vec<Member> = lb.json(&["detach", "web", &address(&late)]);
    assert_eq!(detached.len(), 1);
    let members: Vec<Member> = lb.json(&["members", "web"]);
    assert_eq!(members.len(), 1, "{members:?}");
    lb.ok(&["destroy", "web", "--yes"]);
    let r = send(port, 1).await;
    assert_eq!(r.total(), 0, "the port still answers after destroy: {r:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_algorithm_source_pins_one_client_and_roundrobin_spreads_again() {
    let (haproxy, lb, b0, port) = web_over_one_backend().await;
    let b1 = Backend::start("b1").await;
    lb.ok(&["attach", "web", &address(&b1)]);
    assert!(reaches(port, &b1).await);

    let pinned: Balancer = lb.json(&["haproxy", "set-algorithm", "web", "source"]);
    assert_eq!(pinned.algorithm, Some(Algorithm::PersistentIp));
    let text = std::fs::read_to_string(&haproxy.owned).unwrap_or_default();
    assert!(text.contains("balance source"), "{text}");
    let sticky = send(port, 20).await;
    println!("balance source, 20 requests from one client: {sticky:?}");
    assert_eq!(sticky.failures, 0, "{sticky:?}");
    assert_eq!(sticky.by_backend.len(), 1, "{sticky:?}");

    let spread: Balancer = lb.json(&["haproxy", "set-algorithm", "web", "roundrobin"]);
    assert_eq!(spread.algorithm, Some(Algorithm::RoundRobin));
    let even = send(port, 20).await;
    assert_eq!((even.get("b0"), even.get("b1")), (10, 10), "{even:?}");

    let got: Balancer = lb.json(&["get", "web"]);
    assert_eq!(got.algorithm, Some(Algorithm::RoundRobin));

    // show-stat through the worker's admin socket, when the driver has one.
    let mut direct = cli(&haproxy);
    direct.global.extend([
        "-o".to_owned(),
        format!("admin_socket={}", haproxy.admin_socket.display()),
    ]);
    let stats: Vec<Stat> = direct.json(&["haproxy", "show-stat", "web"]);
    let mut totals: Vec<Option<u64>> = stats
        .iter()
        .filter(|s| s.server != "FRONTEND" && s.server != "BACKEND")
        .map(|s| s.sessions_total)
        .collect();
    totals.sort();
    // The reload of set-algorithm started a new worker: it counted only
    // the requests sent since.
    let mut since = vec![Some(even.get("b0") as u64), Some(even.get("b1") as u64)];
    since.sort();
    assert_eq!(totals, since, "{stats:?}");
    assert!(
        b0.hits() + b1.hits() > 20,
        "the backends counted every request"
    );
    lb.invalid(&["haproxy", "set-algorithm", "web", "fastest"], "algorithm");
    lb.fails(&["haproxy", "set-algorithm", "nope", "source"], 3);
    lb.fails(&["haproxy", "drain", "nope", &address(&b1)], 3);
    lb.fails(&["haproxy", "drain", "web", "127.0.0.1:1"], 3);
    lb.ok(&["destroy", "web", "--yes"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_certificate_swaps_the_pem_a_tls_client_sees() {
    let haproxy = Haproxy::start().await;
    let lb = cli(&haproxy);
    let backend = Backend::start("tls-backend").await;
    let alpha = hx::make_cert(haproxy.dir.path(), "alpha");
    let beta = hx::make_cert(haproxy.dir.path(), "beta");
    let (plain, tls) = (free_port(), free_port());
    let listener = format!("https:{tls}->http:{plain},cert={}", alpha.display());
    let created: Balancer = lb.json(&[
        "create",
        "site",
        "--port",
        &plain.to_string(),
        "--protocol",
        "http",
        "--listener",
        &listener,
        "--member",
        &address(&backend),
    ]);
    assert_eq!(created.listeners.len(), 2, "{created:?}");
    let (subject, body) = hx::tls_request(tls).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(subject.contains("alpha"), "{subject}");
    assert_eq!(body, "tls-backend");

    let beta_path = beta.display().to_string();
    let tls_port = tls.to_string();
    let swapped: Balancer = lb.json(&[
        "haproxy",
        "set-certificate",
        "site",
        "--lb-port",
        &tls_port,
        "--cert",
        &beta_path,
    ]);
    let cert = swapped.listener(tls).and_then(|l| l.certificate_id.clone());
    assert_eq!(cert.as_deref(), Some(beta_path.as_str()), "{swapped:?}");
    let served = eventually(Duration::from_secs(5), || async {
        matches!(hx::tls_request(tls).await, Ok((s, _)) if s.contains("beta"))
    })
    .await;
    assert!(served, "the TLS listener still serves the old certificate");

    // A plain listener has no certificate to swap: exit 2 naming the port.
    let plain_port = plain.to_string();
    lb.invalid(
        &[
            "haproxy",
            "set-certificate",
            "site",
            "--lb-port",
            &plain_port,
            "--cert",
            &beta_path,
        ],
        "port",
    );
    lb.ok(&["destroy", "site", "--yes"]);
}
