//! Driver-level tests of the mock: the trait methods end to end.

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use lbcloud_core::limits::{DurationRange, NameRule, Range};
use lbcloud_core::{
    Algorithm, Capabilities, CreateBalancer, Driver, DriverExt, ErrorKind, HealthCheck,
    HealthState, Limits, Member, MemberCondition, Protocol, UpdateBalancer, UpdateMember,
};

use crate::{MockDriver, MockDriverFactory, MockOp};

fn req(name: &str) -> CreateBalancer {
    CreateBalancer::new(name, 80, Protocol::Http)
}

#[tokio::test]
async fn validation_fails_before_faults_and_before_any_change() {
    let d = MockDriver::new();
    d.fail_next(MockOp::CreateBalancer, 1, ErrorKind::Throttled);
    let bad = d.create_balancer(req("bad_name")).await.unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::InvalidInput);
    assert_eq!(bad.field(), Some("name"));
    assert_eq!(bad.provider(), Some("mock"));
    // The pending fault was not consumed by the invalid call.
    let throttled = d.create_balancer(req("good")).await.unwrap_err();
    assert_eq!(throttled.kind(), ErrorKind::Throttled);
    assert!(d.list_balancers().await.unwrap().is_empty());
    assert_eq!(
        d.create_balancer(req("good")).await.unwrap().id,
        "lb-000001"
    );
}

#[tokio::test]
async fn an_invalid_member_in_a_batch_attaches_none() {
    let d = MockDriver::new();
    let lb = d.create_balancer(req("web")).await.unwrap();
    let err = d
        .balancer_attach_members(
            &lb,
            vec![
                Member::address("10.0.0.1", 80),
                Member::address("10.0.0.2", 0),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("members[1].port"));
    assert!(d.balancer_list_members(&lb).await.unwrap().is_empty());
}

#[tokio::test]
async fn health_checks_are_stored_and_shown_on_the_balancer() {
    let d = MockDriver::new();
    let lb = d.create_balancer(req("web")).await.unwrap();
    assert_eq!(d.get_health_check(&lb).await.unwrap(), None);
    let hc = HealthCheck::new("HTTP:8080/health")
        .unwrap()
        .interval(Duration::from_secs(20));
    assert_eq!(d.set_health_check(&lb, hc.clone()).await.unwrap(), hc);
    assert_eq!(d.get_health_check(&lb).await.unwrap(), Some(hc.clone()));
    assert_eq!(d.get_balancer(&lb.id).await.unwrap().health_check, Some(hc));
    let bad = d
        .set_health_check(
            &lb,
            HealthCheck::new("TCP:22")
                .unwrap()
                .timeout(Duration::from_secs(1)),
        )
        .await
        .unwrap_err();
    assert_eq!(bad.field(), Some("health_check.timeout"));
}

#[tokio::test]
async fn weights_conditions_algorithm_and_tags_read_back() {
    let d = MockDriver::new();
    let lb = d
        .create_balancer(
            req("web")
                .algorithm(Algorithm::LeastConnections)
                .tag("team", "edge")
                .member(Member::address("10.0.0.1", 80).with_id("web1").weight(3))
                .member(Member::instance("i-1").port(8080)),
        )
        .await
        .unwrap();
    assert_eq!(lb.algorithm, Some(Algorithm::LeastConnections));
    assert_eq!(lb.tags.get("team").map(String::as_str), Some("edge"));
    let members = d.balancer_list_members(&lb).await.unwrap();
    assert_eq!(members[0].id, "web1");
    assert!(members[0].is_address());
    assert_eq!(members[0].weight, Some(3));
    assert_eq!(members[1].port, Some(8080));
    let drained = d
        .balancer_update_member(
            &lb,
            &members[0],
            UpdateMember::new()
                .condition(MemberCondition::Draining)
                .weight(1),
        )
        .await
        .unwrap();
    assert_eq!(drained.condition, MemberCondition::Draining);
    assert_eq!(d.balancer_list_members(&lb).await.unwrap()[0], drained);
    assert_eq!(
        d.balancer_member_health(&lb).await.unwrap()[0].state,
        HealthState::Draining
    );
    let too_heavy = d
        .balancer_update_member(&lb, &drained, UpdateMember::new().weight(257))
        .await
        .unwrap_err();
    assert_eq!(too_heavy.field(), Some("update.weight"));
}

#[tokio::test]
async fn restricted_capabilities_and_other_limits_are_enforced() {
    let d = MockDriver::builder()
        .capabilities(
            Capabilities::all()
                .with_member_weight(false)
                .with_choose_algorithm(false),
        )
        .limits(
            Limits::new()
                .with_name(NameRule::new(63, "-_"))
                .with_health_interval(DurationRange::millis(100, 60_000))
                .with_health_threshold(Range::new(1, 10)),
        )
        .build()
        .unwrap();
    let long = format!("{}a", "a_".repeat(31));
    let lb = d
        .create_balancer(
            req(&long).health_check(
                HealthCheck::tcp(None)
                    .interval(Duration::from_millis(500))
                    .timeout(Duration::from_millis(200))
                    .healthy_threshold(1),
            ),
        )
        .await
        .unwrap();
    assert_eq!(lb.name, long);
    let weighted = d
        .balancer_attach_member(&lb, Member::address("10.0.0.1", 80).weight(2))
        .await
        .unwrap_err();
    assert_eq!(
        (weighted.kind(), weighted.field()),
        (ErrorKind::Unsupported, Some("members[0].weight"))
    );
    let chosen = d
        .create_balancer(req("other").algorithm(Algorithm::Random))
        .await
        .unwrap_err();
    assert_eq!(
        (chosen.kind(), chosen.field()),
        (ErrorKind::Unsupported, Some("algorithm"))
    );
    assert!(d.balancer_list_members(&lb).await.unwrap().is_empty());
    assert_eq!(d.list_balancers().await.unwrap().len(), 1);
}

#[tokio::test]
async fn pages_have_the_configured_size_and_cover_everything() {
    let d = MockDriver::builder().page_size(2).build().unwrap();
    for i in 0..5 {
        d.create_balancer(req(&format!("lb{i}"))).await.unwrap();
    }
    let pages: Vec<Vec<_>> = d.list_balancers_pages().try_collect().await.unwrap();
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [2, 2, 1]);
    let all = d.list_balancers().await.unwrap();
    assert_eq!(all, pages.concat());
    // A fault on the second page ends the stream with that error.
    d.fail_next(MockOp::ListBalancers, 1, ErrorKind::Provider);
    assert_eq!(
        d.list_balancers().await.unwrap_err().kind(),
        ErrorKind::Provider
    );
}

#[tokio::test]
async fn update_rename_keeps_the_id_and_frees_the_old_name() {
    let d = MockDriver::new();
    let lb = d.create_balancer(req("old")).await.unwrap();
    let renamed = d
        .update_balancer(&lb, UpdateBalancer::new().name("new"))
        .await
        .unwrap();
    assert_eq!(
        (renamed.id.as_str(), renamed.name.as_str()),
        ("lb-000001", "new")
    );
    assert!(d.find_balancer_by_name("old").await.unwrap().is_none());
    assert_eq!(d.create_balancer(req("old")).await.unwrap().id, "lb-000002");
}

#[tokio::test(start_paused = true)]
async fn latency_delays_every_call() {
    let d = MockDriver::new();
    d.set_latency(Duration::from_secs(2));
    let start = tokio::time::Instant::now();
    d.list_balancers().await.unwrap();
    assert!(start.elapsed() >= Duration::from_secs(2));
    d.set_latency(Duration::ZERO);
    let real = Instant::now();
    d.list_balancers().await.unwrap();
    assert!(real.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn two_drivers_on_one_state_file_share_balancers() {
    let path = std::env::temp_dir().join(format!("lbcloud-mock-share-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let config = lbcloud_core::Config::new().option("state_file", path.to_string_lossy());
    use lbcloud_core::DriverFactory;
    let a = MockDriverFactory.connect(config.clone()).unwrap();
    let b = MockDriverFactory.connect(config.clone()).unwrap();
    let lb = a
        .create_balancer(req("shared").member(Member::address("10.0.0.1", 8000)))
        .await
        .unwrap();
    // b was connected before the create and still sees it.
    assert_eq!(b.get_balancer(&lb.id).await.unwrap().name, "shared");
    // Ids continue across drivers, and the name stays unique across them.
    assert_eq!(
        b.create_balancer(req("shared")).await.unwrap_err().kind(),
        ErrorKind::AlreadyExists
    );
    assert_eq!(
        b.create_balancer(req("other")).await.unwrap().id,
        "lb-000002"
    );
    b.destroy_balancer(&lb).await.unwrap();
    assert_eq!(
        a.get_balancer(&lb.id).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    // A fresh connect loads the file.
    let c = MockDriverFactory.connect(config).unwrap();
    assert_eq!(c.list_balancers().await.unwrap().len(), 1);
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn a_corrupt_state_file_fails_connect() {
    let path = std::env::temp_dir().join(format!("lbcloud-mock-bad-{}.json", std::process::id()));
    std::fs::write(&path, "[]").unwrap();
    let err = MockDriver::builder().state_file(&path).build().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse);
    std::fs::remove_file(&path).unwrap();
}

/// Drivers in separate threads, each with its own handle on one state file
/// (as separate processes would have), create balancers at the same time:
/// the file lock makes every read-modify-write whole, so none is lost.
#[test]
fn concurrent_writers_on_one_state_file_lose_no_change() {
    const WRITERS: usize = 4;
    const EACH: usize = 8;
    let path = std::env::temp_dir().join(format!(
        "lbcloud-mock-concurrent-{}.json",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    let threads: Vec<_> = (0..WRITERS)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_time()
                    .build()
                    .unwrap();
                let d = MockDriver::builder().state_file(&path).build().unwrap();
                runtime.block_on(async {
                    for i in 0..EACH {
                        d.create_balancer(req(&format!("w{w}-lb{i}")))
                            .await
                            .unwrap();
                    }
                });
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let reader = MockDriver::builder().state_file(&path).build().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let names: std::collections::BTreeSet<String> = runtime
        .block_on(reader.list_balancers())
        .unwrap()
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(names.len(), WRITERS * EACH, "lost changes: {names:?}");
    let _ = std::fs::remove_file(&path);
    let mut lock = path.clone().into_os_string();
    lock.push(".lock");
    let _ = std::fs::remove_file(lock);
}
