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

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn mean(samples: &[Duration]) -> Duration {
    samples.iter().sum::<Duration>() / samples.len() as u32
}

/// Writes `request` on the unix socket at `path` and reads the answer to
/// its end: the runtime API with no client code in the way.
async fn bare(path: &std::path::Path, request: &str) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::UnixStream::connect(path).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
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

    // Each round measures, one after the other so that the machine's load
    // weighs on all three alike: the floor the driver was first measured
    // against (the four commands an attach + detach sent, one exchange
    // each), the floor of the exchanges the driver makes now (`add
    // server`; then, only once it succeeded, `enable server`; `set ...
    // maint` and `del server` together), written bare on the socket, and
    // the driver's attach + detach.
    let one_each = [
        Command::add_server("bench", "floor", ip, 31_000, 1, &[]).unwrap(),
        Command::enable_server("bench", "floor").unwrap(),
        Command::set_state("bench", "floor", AdminState::Maint).unwrap(),
        Command::del_server("bench", "floor").unwrap(),
    ];
    let as_sent_now = [
        (
            "prompt\nadd server bench/floor 127.0.0.1:31000 weight 1\nquit\n",
            "New server registered.",
        ),
        ("prompt\nenable server bench/floor\nquit\n", "\n> \n> "),
        (
            "prompt\nset server bench/floor state maint\ndel server bench/floor\nquit\n",
            "Server deleted.",
        ),
    ];
    let (mut floor_old, mut floor_new) = (Vec::new(), Vec::new());
    let (mut attach, mut detach, mut pair) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..PAIRS {
        let start = Instant::now();
        for cmd in &one_each {
            admin.run(Target::Direct, cmd).await.unwrap();
        }
        floor_old.push(start.elapsed());

        let start = Instant::now();
        for (request, expect) in as_sent_now {
            let answer = bare(&h.admin_socket, request).await;
            assert!(answer.contains(expect), "{request:?}: {answer:?}");
        }
        floor_new.push(start.elapsed());

        let start = Instant::now();
        let m = driver
            .balancer_attach_member(&lb, Member::address("127.0.0.1", 31_001))
            .await
            .unwrap();
        let attached = start.elapsed();
        driver.balancer_detach_member(&lb, &m).await.unwrap();
        pair.push(start.elapsed());
        attach.push(attached);
        detach.push(start.elapsed() - attached);
    }

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
    let (pair_median, pair_mean) = (median(&mut pair), mean(&pair));
    let (old_median, new_median) = (median(&mut floor_old), median(&mut floor_new));
    println!(
        "| attach + detach pair, median (mean) | {pair_median:?} ({pair_mean:?}, {:.0}/s) | {old_median:?} ({:?}) one exchange per command | {:.2}x |",
        1.0 / pair_mean.as_secs_f64(),
        mean(&floor_old),
        ratio(pair_median, old_median)
    );
    println!(
        "| attach + detach pair, median (mean), floor as sent now | {pair_median:?} ({pair_mean:?}) | {new_median:?} ({:?}) 3 exchanges | {:.2}x |",
        mean(&floor_new),
        ratio(pair_median, new_median)
    );
    println!(
        "| attach alone / detach alone, median | {:?} / {:?} | - | - |",
        median(&mut attach),
        median(&mut detach)
    );
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
