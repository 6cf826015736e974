//! Driver operations against a real HAProxy beside their floor, the bare
//! runtime-API round trips on the same admin socket, measured in one run:
//!
//! ```sh
//! cargo bench -p lbcloud-peer-tests --bench haproxy
//! ```
//!
//! Prints a table; it asserts nothing about speed (targets belong to the
//! reader of BENCHMARKS.md, not to a test).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use lbcloud_peer_tests::haproxy as support;

use std::time::{Duration, Instant};

use lbcloud_core::{Algorithm, CreateBalancer, Driver, Member, Protocol, UpdateBalancer};
use lbcloud_haproxy::cli::{AdminState, Cli, Command, Target};
use support::{Haproxy, free_port};

const PAIRS: u32 = 100;
const LISTS: u32 = 300;
const RELOADS: u32 = 10;

fn per_op(total: Duration, n: u32) -> Duration {
    total / n
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

async fn run() {
    let h = Haproxy::start().await;
    let driver = h
        .driver_builder()
        .admin_socket(h.admin_socket.display().to_string())
        .build()
        .unwrap();
    let lb = driver
        .create_balancer(
            CreateBalancer::new("bench", free_port(), Protocol::Http)
                .members((0..10u16).map(|i| Member::address("127.0.0.1", 30_000 + i))),
        )
        .await
        .unwrap();
    let admin = Cli::new(&h.admin_socket);
    let ip = "127.0.0.1".parse().unwrap();

    // Floor: the runtime commands an attach + detach used to send, bare,
    // one exchange each.
    let start = Instant::now();
    for _ in 0..PAIRS {
        for cmd in [
            Command::add_server("bench", "floor", ip, 31_000, 1, &[]).unwrap(),
            Command::enable_server("bench", "floor").unwrap(),
            Command::set_state("bench", "floor", AdminState::Maint).unwrap(),
            Command::del_server("bench", "floor").unwrap(),
        ] {
            admin.run(Target::Direct, &cmd).await.unwrap();
        }
    }
    let floor_pair = per_op(start.elapsed(), PAIRS);

    // Floor of the exchanges the driver makes now: an attach sends `add
    // server`, then (only once it succeeded) `enable server`; a detach
    // sends `set ... maint` and `del server` in one exchange.
    let start = Instant::now();
    for _ in 0..PAIRS {
        for batch in [
            vec![Command::add_server("bench", "floor", ip, 31_000, 1, &[]).unwrap()],
            vec![Command::enable_server("bench", "floor").unwrap()],
            vec![
                Command::set_state("bench", "floor", AdminState::Maint).unwrap(),
                Command::del_server("bench", "floor").unwrap(),
            ],
        ] {
            for answer in admin.run_batch(Target::Direct, &batch).await.unwrap() {
                answer.unwrap();
            }
        }
    }
    let floor_batched = per_op(start.elapsed(), PAIRS);

    let (mut attach, mut detach) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..PAIRS {
        let start = Instant::now();
        let m = driver
            .balancer_attach_member(&lb, Member::address("127.0.0.1", 31_001))
            .await
            .unwrap();
        attach += start.elapsed();
        let start = Instant::now();
        driver.balancer_detach_member(&lb, &m).await.unwrap();
        detach += start.elapsed();
    }
    let driver_pair = per_op(attach + detach, PAIRS);
    let (attach, detach) = (per_op(attach, PAIRS), per_op(detach, PAIRS));

    let state = Command::show_servers_state(Some("bench")).unwrap();
    let start = Instant::now();
    for _ in 0..LISTS {
        admin.run(Target::Direct, &state).await.unwrap();
    }
    let floor_list = per_op(start.elapsed(), LISTS);
    let start = Instant::now();
    for _ in 0..LISTS {
        assert_eq!(driver.balancer_list_members(&lb).await.unwrap().len(), 10);
    }
    let driver_list = per_op(start.elapsed(), LISTS);

    let algorithms = [Algorithm::LeastConnections, Algorithm::RoundRobin];
    let start = Instant::now();
    for i in 0..RELOADS {
        driver
            .update_balancer(
                &lb,
                UpdateBalancer::new().algorithm(algorithms[(i % 2) as usize]),
            )
            .await
            .unwrap();
    }
    let algorithm_change = per_op(start.elapsed(), RELOADS);

    let (mut create, mut destroy) = (Duration::ZERO, Duration::ZERO);
    for i in 0..RELOADS {
        let start = Instant::now();
        let b = driver
            .create_balancer(CreateBalancer::new(
                format!("tmp{i}"),
                free_port(),
                Protocol::Http,
            ))
            .await
            .unwrap();
        create += start.elapsed();
        let start = Instant::now();
        driver.destroy_balancer(&b).await.unwrap();
        destroy += start.elapsed();
    }

    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!(
        "| operation (HAProxy 2.6, admin socket) | driver | floor (bare runtime API) | ratio |"
    );
    println!("|---|---|---|---|");
    println!(
        "| attach + detach pair | {driver_pair:?} ({:.0}/s) | {floor_pair:?} | {:.2}x |",
        1.0 / driver_pair.as_secs_f64(),
        ratio(driver_pair, floor_pair)
    );
    println!(
        "| attach + detach pair, floor as sent now (3 exchanges) | {driver_pair:?} | {floor_batched:?} | {:.2}x |",
        ratio(driver_pair, floor_batched)
    );
    println!("| attach alone / detach alone | {attach:?} / {detach:?} | - | - |");
    println!(
        "| balancer_list_members (10 members) | {driver_list:?} | {floor_list:?} (show servers state) | {:.2}x |",
        ratio(driver_list, floor_list)
    );
    println!("| algorithm change (check + reload + new worker) | {algorithm_change:?} | - | - |");
    println!(
        "| create_balancer (reload) | {:?} | - | - |",
        per_op(create, RELOADS)
    );
    println!(
        "| destroy_balancer (reload) | {:?} | - | - |",
        per_op(destroy, RELOADS)
    );
}
