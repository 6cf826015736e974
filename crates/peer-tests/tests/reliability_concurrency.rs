//! One `ElbDriver`, shared through an `Arc` by 200 concurrent tasks doing
//! mixed reads and writes against the moto server: every call succeeds,
//! the results are consistent, and nothing deadlocks (the whole run is
//! bounded by a timeout).
//!
//! The 200 tasks:
//! - 40 lifecycles: create a balancer with one member, attach a second,
//!   get, list members, detach, list members, destroy, get -> NotFound;
//! - 40 listings: every balancer live before and after the listing is in it;
//! - 40 gets and 40 member listings of fixed balancers;
//! - 40 health-check writes and reads on the fixed balancers.
// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use lbcloud_peer_tests::moto;

use std::collections::{BTreeSet, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lbcloud::elb::ElbDriver;
use lbcloud::{CreateBalancer, Driver, ErrorKind, HealthCheck, Member, Protocol};

const PER_KIND: usize = 40;
const FIXED: usize = 4;

type Live = Arc<Mutex<HashSet<String>>>;

fn snapshot(live: &Live) -> HashSet<String> {
    live.lock().unwrap().clone()
}

fn ids(members: &[Member]) -> BTreeSet<String> {
    members.iter().map(|m| m.id.clone()).collect()
}

async fn lifecycle(elb: Arc<ElbDriver>, live: Live, name: String, a: String, b: String) {
    let created = elb
        .create_balancer(
            CreateBalancer::new(name.as_str(), 80, Protocol::Http)
                .instance_port(8080)
                .zones(moto::ZONES)
                .member(Member::instance(a.as_str())),
        )
        .await
        .unwrap_or_else(|e| panic!("create {name}: {e}"));
    live.lock().unwrap().insert(name.clone());
    elb.balancer_attach_member(&created, Member::instance(b.as_str()))
        .await
        .unwrap_or_else(|e| panic!("attach to {name}: {e}"));
    let got = elb.get_balancer(&name).await.unwrap();
    assert_eq!(got.name, name);
    let members = elb.balancer_list_members(&created).await.unwrap();
    assert_eq!(
        ids(&members),
        BTreeSet::from([a.clone(), b.clone()]),
        "{name}"
    );
    elb.balancer_detach_member(&created, &Member::instance(a.as_str()))
        .await
        .unwrap_or_else(|e| panic!("detach from {name}: {e}"));
    let members = elb.balancer_list_members(&created).await.unwrap();
    assert_eq!(ids(&members), BTreeSet::from([b.clone()]), "{name}");
    live.lock().unwrap().remove(&name);
    elb.destroy_balancer(&created)
        .await
        .unwrap_or_else(|e| panic!("destroy {name}: {e}"));
    let gone = elb.get_balancer(&name).await.unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::NotFound, "{name}: {gone}");
}

async fn listing(elb: Arc<ElbDriver>, live: Live, fixed: Vec<String>) {
    let before = snapshot(&live);
    let listed: HashSet<String> = elb
        .list_balancers()
        .await
        .unwrap_or_else(|e| panic!("list: {e}"))
        .into_iter()
        .map(|b| b.name)
        .collect();
    let after = snapshot(&live);
    for name in before.intersection(&after).chain(fixed.iter()) {
        assert!(
            listed.contains(name),
            "{name} was live throughout a listing that missed it"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_tasks_share_one_driver() {
    // One page per listing: moto's NextMarker is the name of the last
    // balancer of the page, and moto answers HTML 500 for every later page
    // once that balancer is destroyed (real ELB markers are opaque), so
    // small pages would fail on the peer's gap, not on ours.
    let elb = Arc::new(moto::elb());
    let instances = moto::run_instances(6).await;
    let health = HealthCheck::new("HTTP:8080/health")
        .unwrap()
        .interval(std::time::Duration::from_secs(20));

    let mut fixed = Vec::new();
    for i in 0..FIXED {
        let name = moto::unique_name("conc-fixed");
        let member = instances[i % instances.len()].clone();
        elb.create_balancer(
            CreateBalancer::new(name.as_str(), 80, Protocol::Http)
                .zones(moto::ZONES)
                .member(Member::instance(member)),
        )
        .await
        .unwrap_or_else(|e| panic!("create {name}: {e}"));
        fixed.push(name);
    }

    let live: Live = Arc::default();
    let mut lifecycle_names = Vec::new();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..PER_KIND {
        let name = moto::unique_name("conc");
        lifecycle_names.push(name.clone());
        let a = instances[i % instances.len()].clone();
        let b = instances[(i + 1) % instances.len()].clone();
        tasks.spawn(lifecycle(elb.clone(), live.clone(), name, a, b));

        tasks.spawn(listing(elb.clone(), live.clone(), fixed.clone()));

        let (driver, name) = (elb.clone(), fixed[i % FIXED].clone());
        tasks.spawn(async move {
            let got = driver
                .get_balancer(&name)
                .await
                .unwrap_or_else(|e| panic!("get {name}: {e}"));
            assert_eq!(got.name, name);
            assert_eq!(got.port, Some(80));
        });

        let (driver, name, member) = (
            elb.clone(),
            fixed[i % FIXED].clone(),
            instances[(i % FIXED) % instances.len()].clone(),
        );
        tasks.spawn(async move {
            let b = driver.get_balancer(&name).await.unwrap();
            let members = driver.balancer_list_members(&b).await.unwrap();
            assert_eq!(ids(&members), BTreeSet::from([member]), "{name}");
        });

        let (driver, name, check) = (elb.clone(), fixed[i % FIXED].clone(), health.clone());
        tasks.spawn(async move {
            let b = driver.get_balancer(&name).await.unwrap();
            let stored = driver.set_health_check(&b, check.clone()).await.unwrap();
            assert_eq!(stored, check);
            let read = driver.get_health_check(&b).await.unwrap();
            assert_eq!(read, Some(check), "{name}");
        });
    }
    assert_eq!(tasks.len(), 5 * PER_KIND);

    let start = Instant::now();
    let joined = tokio::time::timeout(Duration::from_secs(120), async {
        let mut done = 0;
        while let Some(result) = tasks.join_next().await {
            if let Err(e) = result {
                // A task's panic is a failed check: re-raise it here.
                std::panic::resume_unwind(e.into_panic());
            }
            done += 1;
        }
        done
    })
    .await;
    let done = joined
        .unwrap_or_else(|_| panic!("200 tasks did not finish within 120 s: deadlock or stall"));
    println!("{done} concurrent tasks finished in {:?}", start.elapsed());
    assert_eq!(done, 5 * PER_KIND);

    // Afterwards: every lifecycle balancer is gone, every fixed one is there.
    assert!(live.lock().unwrap().is_empty());
    let names: HashSet<String> = elb
        .list_balancers()
        .await
        .unwrap()
        .into_iter()
        .map(|b| b.name)
        .collect();
    for name in &fixed {
        assert!(names.contains(name), "{name} missing");
        elb.destroy_balancer(&elb.get_balancer(name).await.unwrap())
            .await
            .unwrap();
    }
    for name in &lifecycle_names {
        assert!(!names.contains(name), "{name} survived its destroy");
    }
}
