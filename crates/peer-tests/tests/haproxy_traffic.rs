//! The HAProxy driver against a real HAProxy,
//! every change proven with HTTP traffic counted at real backends on
//! 127.0.0.1. A missing `haproxy` binary fails these tests loudly.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use lbcloud_peer_tests::haproxy as support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use lbcloud_core::{
    Algorithm, Balancer, CreateBalancer, Driver, ErrorKind, HealthCheck, HealthState, Member,
    MemberCondition, Protocol, UpdateBalancer, UpdateMember,
};
use lbcloud_haproxy::HaproxyDriver;
use support::{Backend, Haproxy, eventually, free_port, request, send, steady};

fn driver_for(h: &Haproxy) -> HaproxyDriver {
    h.driver_builder().build().unwrap()
}

/// An HTTP check fast enough for tests: every 100 ms, one answer decides.
fn fast_check() -> HealthCheck {
    HealthCheck::http(None, "/health")
        .interval(Duration::from_millis(100))
        .timeout(Duration::from_millis(500))
        .healthy_threshold(1)
        .unhealthy_threshold(1)
        .expected_codes("200")
}

fn member(b: &Backend) -> Member {
    Member::address("127.0.0.1", b.port).with_id(b.name.clone())
}

async fn health_of(driver: &HaproxyDriver, lb: &Balancer, id: &str) -> Option<HealthState> {
    let all = driver.balancer_member_health(lb).await.ok()?;
    all.into_iter().find(|h| h.member_id == id).map(|h| h.state)
}

async fn wait_health(driver: &HaproxyDriver, lb: &Balancer, id: &str, want: HealthState) {
    let ok = eventually(Duration::from_secs(10), || async {
        health_of(driver, lb, id).await == Some(want)
    })
    .await;
    let now = driver.balancer_member_health(lb).await;
    assert!(ok, "{id} never became {want:?}; health now: {now:?}");
}

/// Sets the condition of `b`'s member of `lb`.
async fn set_condition(driver: &HaproxyDriver, lb: &Balancer, b: &Backend, c: MemberCondition) {
    driver
        .balancer_update_member(lb, &member(b), UpdateMember::new().condition(c))
        .await
        .unwrap();
}

/// HAProxy, `n` backends, and a balancer over all of them with the fast check.
async fn balancer_over(
    n: usize,
    algorithm: Algorithm,
) -> (Haproxy, Vec<Backend>, HaproxyDriver, Balancer, u16) {
    let haproxy = Haproxy::start().await;
    let backends = Backend::several(n).await;
    let driver = driver_for(&haproxy);
    let port = free_port();
    let lb = driver
        .create_balancer(
            CreateBalancer::new("web", port, Protocol::Http)
                .algorithm(algorithm)
                .health_check(fast_check())
                .members(backends.iter().map(member)),
        )
        .await
        .unwrap_or_else(|e| panic!("create failed: {e}\nlog:\n{}", haproxy.log()));
    for b in &backends {
        wait_health(&driver, &lb, &b.name, HealthState::InService).await;
    }
    (haproxy, backends, driver, lb, port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_members_split_evenly() {
    let (_h, _b, _d, _lb, port) = balancer_over(2, Algorithm::RoundRobin).await;
    let tally = send(port, 100).await;
    println!("round robin over 2 members, 100 requests: {tally:?}");
    assert_eq!(tally.failures, 0, "{tally:?}");
    assert_eq!((tally.get("b0"), tally.get("b1")), (50, 50), "{tally:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attached_member_gets_traffic_and_detached_gets_none() {
    let (_h, _b, driver, lb, port) = balancer_over(1, Algorithm::RoundRobin).await;
    let extra = Backend::start("late").await;
    let attached = driver
        .balancer_attach_member(&lb, member(&extra))
        .await
        .unwrap();
    assert_eq!(attached.id, "late");
    wait_health(&driver, &lb, "late", HealthState::InService).await;
    let with = send(port, 40).await;
    println!("after attach, 40 requests: {with:?}");
    assert_eq!((with.get("b0"), with.get("late")), (20, 20), "{with:?}");

    driver.balancer_detach_member(&lb, &attached).await.unwrap();
    let members = driver.balancer_list_members(&lb).await.unwrap();
    assert!(members.iter().all(|m| m.id != "late"), "{members:?}");
    extra.reset();
    let without = send(port, 20).await;
    assert_eq!(without.failures, 0, "{without:?}");
    assert_eq!((without.get("b0"), extra.hits()), (20, 0), "{without:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drained_member_gets_no_new_requests() {
    let (_h, backends, driver, lb, port) = balancer_over(2, Algorithm::RoundRobin).await;
    let m = driver
        .balancer_update_member(
            &lb,
            &member(&backends[1]),
            UpdateMember::new().condition(MemberCondition::Draining),
        )
        .await
        .unwrap();
    assert_eq!(m.condition, MemberCondition::Draining);
    wait_health(&driver, &lb, "b1", HealthState::Draining).await;
    backends[1].reset();
    let tally = send(port, 30).await;
    println!("b1 drained, 30 requests: {tally:?}");
    assert_eq!((tally.get("b0"), backends[1].hits()), (30, 0), "{tally:?}");
    // Health checks go on while draining.
    let checks = backends[1].checks();
    assert!(
        eventually(Duration::from_secs(5), || async {
            backends[1].checks() > checks
        })
        .await
    );

    set_condition(&driver, &lb, &backends[1], MemberCondition::Enabled).await;
    let back = send(port, 20).await;
    assert_eq!(back.get("b1"), 10, "{back:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weights_three_to_one_give_three_to_one() {
    let (_h, backends, driver, lb, port) = balancer_over(2, Algorithm::WeightedRoundRobin).await;
    driver
        .balancer_update_member(&lb, &member(&backends[0]), UpdateMember::new().weight(3))
        .await
        .unwrap();
    let tally = send(port, 200).await;
    println!("weights 3:1, 200 requests: {tally:?}");
    assert_eq!(tally.failures, 0);
    let (a, b) = (tally.get("b0"), tally.get("b1"));
    assert!((148..=152).contains(&a) && a + b == 200, "{tally:?}");
    let listed = driver.balancer_list_members(&lb).await.unwrap();
    assert_eq!(
        listed.iter().find(|m| m.id == "b0").unwrap().weight,
        Some(3)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_backend_shows_down_gets_no_traffic_and_comes_back() {
    let (_h, mut backends, driver, lb, port) = balancer_over(2, Algorithm::RoundRobin).await;
    backends[1].kill();
    wait_health(&driver, &lb, "b1", HealthState::OutOfService).await;
    let health = driver.balancer_member_health(&lb).await.unwrap();
    let down = health.iter().find(|h| h.member_id == "b1").unwrap();
    println!("killed backend health: {down:?}");
    assert!(
        down.provider_state
            .as_deref()
            .unwrap_or_default()
            .starts_with("DOWN"),
        "{down:?}"
    );
    assert!(
        down.reason_code
            .as_deref()
            .unwrap_or_default()
            .starts_with("L4"),
        "{down:?}"
    );
    let tally = send(port, 20).await;
    assert_eq!((tally.get("b0"), tally.failures), (20, 0), "{tally:?}");

    backends[1].restart().await;
    wait_health(&driver, &lb, "b1", HealthState::InService).await;
    let again = send(port, 20).await;
    assert_eq!((again.get("b0"), again.get("b1")), (10, 10), "{again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn algorithm_change_takes_effect() {
    let (h, backends, driver, lb, port) = balancer_over(2, Algorithm::RoundRobin).await;
    let spread = send(port, 20).await;
    assert_eq!((spread.get("b0"), spread.get("b1")), (10, 10), "{spread:?}");

    let lb = driver
        .update_balancer(
            &lb,
            UpdateBalancer::new().algorithm(Algorithm::PersistentIp),
        )
        .await
        .unwrap();
    assert_eq!(lb.algorithm, Some(Algorithm::PersistentIp));
    let text = std::fs::read_to_string(&h.owned).unwrap();
    assert!(
        text.contains("balance source\n    hash-type consistent"),
        "{text}"
    );
    for b in &backends {
        wait_health(&driver, &lb, &b.name, HealthState::InService).await;
    }
    let sticky = send(port, 20).await;
    println!("persistent_ip from one client, 20 requests: {sticky:?}");
    assert_eq!(sticky.failures, 0);
    assert_eq!(
        sticky.by_backend.len(),
        1,
        "source hashing must pin one client: {sticky:?}"
    );

    // `first` fills the first server before any other: with no
    // connection limit and one request at a time, it takes them all.
    let lb = driver
        .update_balancer(&lb, UpdateBalancer::new().algorithm(Algorithm::First))
        .await
        .unwrap();
    assert_eq!(lb.algorithm, Some(Algorithm::First));
    assert!(
        std::fs::read_to_string(&h.owned)
            .unwrap()
            .contains("balance first"),
        "the owned file names the algorithm"
    );
    for b in &backends {
        wait_health(&driver, &lb, &b.name, HealthState::InService).await;
    }
    let first = send(port, 20).await;
    println!("first, 20 sequential requests: {first:?}");
    assert_eq!(first.failures, 0);
    assert_eq!(
        first.by_backend.len(),
        1,
        "`first` must fill one server: {first:?}"
    );

    driver
        .update_balancer(&lb, UpdateBalancer::new().algorithm(Algorithm::RoundRobin))
        .await
        .unwrap();
    for b in &backends {
        wait_health(&driver, &lb, &b.name, HealthState::InService).await;
    }
    let spread = send(port, 20).await;
    assert_eq!((spread.get("b0"), spread.get("b1")), (10, 10), "{spread:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_opens_the_port_and_destroy_closes_it() {
    let haproxy = Haproxy::start().await;
    let backend = Backend::start("only").await;
    let driver = driver_for(&haproxy);
    let port = free_port();
    assert!(
        request(port).await.is_err(),
        "port {port} answers before create"
    );
    let lb = driver
        .create_balancer(
            CreateBalancer::new("ephemeral", port, Protocol::Http).member(member(&backend)),
        )
        .await
        .unwrap();
    assert_eq!(request(port).await, Ok("only".to_owned()));
    assert_eq!(
        driver.get_balancer("ephemeral").await.unwrap().port,
        Some(port)
    );

    driver.destroy_balancer(&lb).await.unwrap();
    let closed = eventually(Duration::from_secs(10), || async {
        request(port).await.is_err()
    })
    .await;
    assert!(closed, "port {port} still answers after destroy");
    assert_eq!(
        driver.get_balancer("ephemeral").await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_under_steady_traffic_loses_no_request() {
    let (_h, _b, driver, lb, port) = balancer_over(2, Algorithm::RoundRobin).await;
    let stop = Arc::new(AtomicBool::new(false));
    let traffic = steady(port, stop.clone(), 100_000);
    let algorithms = [
        Algorithm::WeightedRoundRobin,
        Algorithm::LeastConnections,
        Algorithm::RoundRobin,
    ];
    for i in 0..6 {
        driver
            .update_balancer(&lb, UpdateBalancer::new().algorithm(algorithms[i % 3]))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.store(true, Ordering::SeqCst);
    let tally = traffic.await.unwrap();
    println!("6 reloads under steady traffic: {tally:?}");
    assert!(
        tally.total() > 20,
        "too little traffic to prove anything: {tally:?}"
    );
    assert_eq!(tally.failures, 0, "requests lost during reloads: {tally:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_config_keeps_the_old_one_live() {
    let (h, _b, driver, _lb, port) = balancer_over(2, Algorithm::RoundRobin).await;
    let before = std::fs::read_to_string(&h.owned).unwrap();
    let workers = h.worker_pids().await.unwrap();
    let missing_cert = h.dir.path().join("missing.pem").display().to_string();
    let err = driver
        .create_balancer(
            CreateBalancer::new("tls", free_port(), Protocol::Https).certificate(missing_cert),
        )
        .await
        .unwrap_err();
    println!("rejected config error: {err}");
    assert_eq!(err.kind(), ErrorKind::Provider, "{err}");
    assert_eq!(err.code(), Some("ConfigRejected"));
    assert!(
        err.message().contains("missing.pem"),
        "the error must carry HAProxy's words: {err}"
    );
    assert_eq!(std::fs::read_to_string(&h.owned).unwrap(), before);
    assert_eq!(
        h.worker_pids().await.unwrap(),
        workers,
        "no reload may happen"
    );
    let tally = send(port, 10).await;
    assert_eq!(tally.total(), 10, "{tally:?}");
    assert_eq!(driver.list_balancers().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_master_socket_or_stopped_haproxy_is_a_transport_error() {
    let (mut h, _b, driver, lb, _port) = balancer_over(1, Algorithm::RoundRobin).await;
    let before = std::fs::read_to_string(&h.owned).unwrap();
    let wrong = HaproxyDriver::builder()
        .config_file(h.owned.display().to_string())
        .master_socket(h.dir.path().join("nowhere.sock").display().to_string())
        .haproxy_bin(h.bin.display().to_string())
        .base_config(h.base.display().to_string())
        .build()
        .unwrap();
    let err = wrong
        .create_balancer(CreateBalancer::new("other", free_port(), Protocol::Http))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(err.message().contains("nowhere.sock"), "{err}");
    let err = wrong
        .balancer_attach_member(&lb, Member::address("127.0.0.1", 9))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert_eq!(std::fs::read_to_string(&h.owned).unwrap(), before);

    h.stop();
    let err = driver
        .balancer_attach_member(&lb, Member::address("127.0.0.1", 9))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    let err = driver.destroy_balancer(&lb).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert_eq!(
        std::fs::read_to_string(&h.owned).unwrap(),
        before,
        "the file must stay as it was"
    );
    assert_eq!(driver.balancer_list_members(&lb).await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_weights_and_drain_survive_reload_and_restart() {
    let (mut h, backends, driver, lb, port) = balancer_over(3, Algorithm::WeightedRoundRobin).await;
    driver
        .balancer_update_member(&lb, &member(&backends[0]), UpdateMember::new().weight(3))
        .await
        .unwrap();
    set_condition(&driver, &lb, &backends[2], MemberCondition::Draining).await;
    let expect = |tally: &support::Tally, what: &str| {
        let (a, b, c) = (tally.get("b0"), tally.get("b1"), tally.get("b2"));
        assert_eq!(
            (a, b, c, tally.failures),
            (30, 10, 0, 0),
            "{what}: {tally:?}"
        );
    };
    expect(&send(port, 40).await, "before reload");

    // A reload (balancer-level change) keeps them.
    driver
        .set_health_check(&lb, fast_check().interval(Duration::from_millis(150)))
        .await
        .unwrap();
    wait_health(&driver, &lb, "b0", HealthState::InService).await;
    wait_health(&driver, &lb, "b2", HealthState::Draining).await;
    expect(&send(port, 40).await, "after reload");

    // A restart of HAProxy from the files keeps them too.
    h.stop();
    h.launch().await;
    wait_health(&driver, &lb, "b0", HealthState::InService).await;
    wait_health(&driver, &lb, "b1", HealthState::InService).await;
    wait_health(&driver, &lb, "b2", HealthState::Draining).await;
    expect(&send(port, 40).await, "after restart");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_drivers_on_one_file_lose_no_member() {
    let (h, _b, _d, lb, _port) = balancer_over(1, Algorithm::RoundRobin).await;
    let (one, two) = (Arc::new(driver_for(&h)), Arc::new(driver_for(&h)));
    let mut tasks = Vec::new();
    for i in 0..16u16 {
        let driver = if i % 2 == 0 { one.clone() } else { two.clone() };
        let lb = lb.clone();
        tasks.push(tokio::spawn(async move {
            driver
                .balancer_attach_member(&lb, Member::address("127.0.0.1", 20_000 + i))
                .await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let members = one.balancer_list_members(&lb).await.unwrap();
    assert_eq!(members.len(), 17, "{members:?}");
    let health = one.balancer_member_health(&lb).await.unwrap();
    assert!(
        health.iter().all(|h| h.provider_state.is_some()),
        "every member runs in HAProxy: {health:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_listeners_serve_and_tls_terminates_with_a_swappable_certificate() {
    let haproxy = Haproxy::start().await;
    let backend = Backend::start("tls-backend").await;
    let driver = driver_for(&haproxy);
    let alpha = support::make_cert(haproxy.dir.path(), "alpha");
    let beta = support::make_cert(haproxy.dir.path(), "beta");
    let (plain, tls) = (free_port(), free_port());
    let lb = driver
        .create_balancer(
            CreateBalancer::new("site", plain, Protocol::Http)
                .listener(
                    lbcloud_core::Listener::new(tls, Protocol::Https, plain)
                        .certificate(alpha.display().to_string()),
                )
                .member(member(&backend)),
        )
        .await
        .unwrap();
    assert_eq!(lb.listeners.len(), 2);
    assert_eq!(request(plain).await, Ok("tls-backend".to_owned()));
    let (subject, body) = support::tls_request(tls).await.unwrap();
    println!("TLS listener before the swap: {subject}");
    assert!(subject.contains("alpha"), "{subject}");
    assert_eq!(body, "tls-backend");

    let lb = driver
        .ex_set_certificate(&lb, tls, &beta.display().to_string())
        .await
        .unwrap();
    assert_eq!(
        lb.listener(tls).unwrap().certificate_id.as_deref(),
        Some(beta.display().to_string().as_str())
    );
    let swapped = eventually(Duration::from_secs(5), || async {
        matches!(support::tls_request(tls).await, Ok((s, _)) if s.contains("beta"))
    })
    .await;
    assert!(swapped, "the TLS listener still serves the old certificate");
    let err = driver
        .ex_set_certificate(&lb, plain, &beta.display().to_string())
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::InvalidInput, Some("port")),
        "{err}"
    );
    let missing = haproxy.dir.path().join("gone.pem").display().to_string();
    let err = driver
        .ex_set_certificate(&lb, tls, &missing)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ConfigRejected"), "{err}");
    let (subject, _) = support::tls_request(tls).await.unwrap();
    assert!(
        subject.contains("beta"),
        "a rejected swap keeps the current certificate: {subject}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn port_and_protocol_updates_move_the_listener() {
    let (h, _b, driver, lb, old_port) = balancer_over(1, Algorithm::RoundRobin).await;
    let new_port = free_port();
    let lb = driver
        .update_balancer(&lb, UpdateBalancer::new().port(new_port))
        .await
        .unwrap();
    assert_eq!(lb.port, Some(new_port));
    assert_eq!(request(new_port).await, Ok("b0".to_owned()));
    let closed = eventually(Duration::from_secs(10), || async {
        request(old_port).await.is_err()
    })
    .await;
    assert!(closed, "the old port {old_port} still answers");

    let lb = driver
        .update_balancer(&lb, UpdateBalancer::new().protocol(Protocol::Tcp))
        .await
        .unwrap();
    assert_eq!(lb.protocol, Some(Protocol::Tcp));
    let text = std::fs::read_to_string(&h.owned).unwrap();
    assert!(text.contains("    mode tcp\n"), "{text}");
    // An HTTP check still runs in a TCP proxy; HTTP passes through untouched.
    let ok = eventually(Duration::from_secs(10), || async {
        request(new_port).await == Ok("b0".to_owned())
    })
    .await;
    assert!(ok, "no answer through the TCP listener");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_waits_for_another_process_holding_the_lock() {
    let (h, _b, driver, lb, _port) = balancer_over(1, Algorithm::RoundRobin).await;
    let lock = h.owned.with_file_name("lbcloud.cfg.lock");
    // Another process (util-linux flock) holds the lock for 1.5 s.
    let mut holder = std::process::Command::new("flock")
        .arg(&lock)
        .args(["sleep", "1.5"])
        .spawn()
        .expect("this test needs util-linux flock");
    let probe = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock)
        .unwrap();
    // A probe that gets the lock must let go at once, or flock would wait
    // on the probe (this raced when flock started slowly).
    let held = eventually(Duration::from_secs(5), || async {
        match probe.try_lock() {
            Ok(()) => {
                let _ = probe.unlock();
                false
            }
            Err(_) => true,
        }
    })
    .await;
    assert!(held, "flock never took the lock");
    let start = std::time::Instant::now();
    driver
        .balancer_attach_member(&lb, Member::address("127.0.0.1", 9))
        .await
        .unwrap();
    let waited = start.elapsed();
    assert!(
        holder.try_wait().unwrap().is_some(),
        "the change ran while the other process held the lock"
    );
    assert!(
        waited >= Duration::from_millis(500),
        "waited only {waited:?}"
    );
    assert_eq!(driver.balancer_list_members(&lb).await.unwrap().len(), 2);
    let _ = holder.wait();
}

/// The servers of backend `web` in the running worker, by name, sorted.
async fn runtime_servers(h: &Haproxy) -> Vec<String> {
    let text = lbcloud_haproxy::cli::Cli::new(&h.admin_socket)
        .run(
            lbcloud_haproxy::cli::Target::Direct,
            &lbcloud_haproxy::cli::Command::show_servers_state(Some("web")).unwrap(),
        )
        .await
        .unwrap();
    let mut names: Vec<String> = lbcloud_haproxy::cli::parse_servers_state(&text)
        .unwrap()
        .into_iter()
        .map(|r| r.server)
        .collect();
    names.sort();
    names
}

/// The members of `lb` in the owned file, by id, sorted.
async fn file_members(driver: &HaproxyDriver, lb: &Balancer) -> Vec<String> {
    let mut ids: Vec<String> = driver
        .balancer_list_members(lb)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    ids.sort();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_same_size_rewrite_by_another_process_right_after_a_change_is_seen() {
    let (h, backends, driver, lb, port) = balancer_over(1, Algorithm::WeightedRoundRobin).await;
    let attach = |name: &'static str| {
        let (driver, lb) = (&driver, &lb);
        async move {
            let b = Backend::start(name).await;
            driver.balancer_attach_member(lb, member(&b)).await.unwrap();
            b
        }
    };
    let second = attach("second").await;
    // At once (within the file clock's tick), another process rewrites the
    // file in place with a text of the same size: b0's weight 1 becomes 3.
    let text = std::fs::read_to_string(&h.owned).unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("server b0 "))
        .unwrap()
        .to_owned();
    let edited = text.replace(&line, &line.replace(" weight 1 ", " weight 3 "));
    assert_eq!(edited.len(), text.len());
    assert_ne!(edited, text);
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("cat > \"$0\"")
        .arg(&h.owned)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            child.stdin.take().unwrap().write_all(edited.as_bytes())?;
            child.wait()
        })
        .unwrap();
    assert!(status.success());

    // The next change through the same driver starts from the edited file.
    let third = attach("third").await;
    let after = std::fs::read_to_string(&h.owned).unwrap();
    assert!(
        after.contains(&line.replace(" weight 1 ", " weight 3 ")),
        "{after}"
    );
    assert_eq!(
        file_members(&driver, &lb).await,
        ["b0", "second", "third"],
        "{after}"
    );
    assert_eq!(runtime_servers(&h).await, ["b0", "second", "third"]);
    wait_health(&driver, &lb, "third", HealthState::InService).await;
    let tally = send(port, 30).await;
    assert_eq!(tally.failures, 0, "{tally:?}");
    assert!(
        tally.get("third") > 0 && tally.get("second") > 0 && tally.get("b0") > 0,
        "{tally:?}"
    );
    drop((backends, second, third));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_drivers_taking_turns_each_see_the_others_changes() {
    let (h, _b, one, lb, _port) = balancer_over(1, Algorithm::RoundRobin).await;
    let two = driver_for(&h);
    let m = |port: u16| Member::address("127.0.0.1", port).with_id(format!("p{port}"));
    let mut expected = vec!["b0".to_owned()];
    // Each call follows one by the other instance, so each driver's kept
    // parse is out of date at every call.
    for i in 0..6u16 {
        let (driver, other) = if i % 2 == 0 {
            (&one, &two)
        } else {
            (&two, &one)
        };
        driver
            .balancer_attach_member(&lb, m(21_000 + i))
            .await
            .unwrap();
        expected.push(format!("p{}", 21_000 + i));
        if i % 3 == 2 {
            // The other instance detaches what this one just attached.
            other
                .balancer_detach_member(&lb, &m(21_000 + i))
                .await
                .unwrap();
            expected.retain(|id| *id != format!("p{}", 21_000 + i));
        }
    }
    expected.sort();
    assert_eq!(file_members(&one, &lb).await, expected);
    assert_eq!(file_members(&two, &lb).await, expected);
    assert_eq!(file_members(&driver_for(&h), &lb).await, expected);
    assert_eq!(runtime_servers(&h).await, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_drained_detached_and_attached_again_restarts_ready() {
    let (mut h, backends, driver, lb, port) = balancer_over(2, Algorithm::RoundRobin).await;
    set_condition(&driver, &lb, &backends[1], MemberCondition::Draining).await;
    let state_file = h.owned.with_file_name("lbcloud.cfg.state");
    let drained = std::fs::read_to_string(&state_file).unwrap();
    assert!(drained.contains(" web "), "{drained}");
    // Detached, its drained line may stay in the state file: HAProxy
    // skips lines of servers the config lacks, on a restart too.
    driver
        .balancer_detach_member(&lb, &member(&backends[1]))
        .await
        .unwrap();
    h.stop();
    h.launch().await;
    assert_eq!(runtime_servers(&h).await, ["b0"]);
    wait_health(&driver, &lb, "b0", HealthState::InService).await;
    let tally = send(port, 10).await;
    assert_eq!((tally.get("b0"), tally.failures), (10, 0), "{tally:?}");
    // ... so attaching it again, ready, must rewrite the state file, or a
    // restart would bring it back drained.
    driver
        .balancer_attach_member(&lb, member(&backends[1]))
        .await
        .unwrap();
    wait_health(&driver, &lb, "b1", HealthState::InService).await;
    h.stop();
    h.launch().await;
    wait_health(&driver, &lb, "b0", HealthState::InService).await;
    wait_health(&driver, &lb, "b1", HealthState::InService).await;
    let tally = send(port, 20).await;
    assert_eq!(
        (tally.get("b0"), tally.get("b1"), tally.failures),
        (10, 10, 0),
        "{tally:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_attached_and_detached_without_a_state_write_survive_a_restart() {
    let (mut h, _backends, driver, lb, port) = balancer_over(1, Algorithm::RoundRobin).await;
    let late = Backend::start("late").await;
    let gone = Backend::start("gone").await;
    driver
        .balancer_attach_member(&lb, member(&gone))
        .await
        .unwrap();
    driver
        .balancer_attach_member(&lb, member(&late))
        .await
        .unwrap();
    driver
        .balancer_detach_member(&lb, &member(&gone))
        .await
        .unwrap();
    wait_health(&driver, &lb, "late", HealthState::InService).await;
    h.stop();
    h.launch().await;
    assert_eq!(runtime_servers(&h).await, ["b0", "late"]);
    wait_health(&driver, &lb, "late", HealthState::InService).await;
    let tally = send(port, 20).await;
    assert_eq!(
        (
            tally.get("b0"),
            tally.get("late"),
            gone.hits(),
            tally.failures
        ),
        (10, 10, 0, 0),
        "{tally:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_attach_undoes_its_adds_and_enables_nothing() {
    let (h, _backends, driver, lb, port) = balancer_over(1, Algorithm::RoundRobin).await;
    let (fresh, stray) = (Backend::start("fresh").await, Backend::start("stray").await);
    // A server HAProxy has but the owned file lacks (added by hand, in
    // maintenance, as `add server` leaves it).
    let admin = lbcloud_haproxy::cli::Cli::new(&h.admin_socket);
    let ip = "127.0.0.1".parse().unwrap();
    admin
        .run(
            lbcloud_haproxy::cli::Target::Direct,
            &lbcloud_haproxy::cli::Command::add_server("web", "stray", ip, stray.port, 1, &[])
                .unwrap(),
        )
        .await
        .unwrap();
    let before = std::fs::read_to_string(&h.owned).unwrap();

    let err = driver
        .balancer_attach_members(&lb, vec![member(&fresh), member(&stray)])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists, "{err}");

    // The file is as it was; `fresh`, added in the same exchange, was taken
    // out again; `stray` was neither enabled nor given a check.
    assert_eq!(std::fs::read_to_string(&h.owned).unwrap(), before);
    assert_eq!(runtime_servers(&h).await, ["b0", "stray"]);
    let text = admin
        .run(
            lbcloud_haproxy::cli::Target::Direct,
            &lbcloud_haproxy::cli::Command::show_servers_state(Some("web")).unwrap(),
        )
        .await
        .unwrap();
    let rows = lbcloud_haproxy::cli::parse_servers_state(&text).unwrap();
    let row = rows.iter().find(|r| r.server == "stray").unwrap();
    assert_eq!(
        row.admin_state & 0x01,
        0x01,
        "still in maintenance: {row:?}"
    );
    let tally = send(port, 10).await;
    assert_eq!(
        (tally.get("b0"), fresh.hits(), stray.hits(), tally.failures),
        (10, 0, 0, 0),
        "{tally:?}"
    );
    assert_eq!(stray.checks(), 0, "no health check was started on stray");
}
