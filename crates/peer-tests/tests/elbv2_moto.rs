//! `Elbv2Driver` through the core contract on a local moto server: the
//! conformance kit (directly and with page size 2), and the balancer as
//! lbcloud builds it on ELBv2 (load balancer, lbcloud's target group,
//! targets, listeners), read back, changed and destroyed.
// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
use lbcloud_peer_tests::elbv2_moto as support;
use lbcloud_peer_tests::moto;

use std::time::Duration;

use lbcloud_core::testkit::{self, KitOptions, SCENARIOS};
use lbcloud_core::{
    Algorithm, CreateBalancer, Driver, ErrorKind, HealthCheck, HealthState, Listener, Member,
    Protocol, State, UpdateBalancer,
};
use lbcloud_elbv2::OWNER_TAG;
use lbcloud_elbv2::model::{CreateTargetGroupInput, Elbv2Protocol, LoadBalancerType};

/// One kit run at a time (moto's state is shared).
static ONE_RUN_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn assert_conforms(page_size: u32, tag: &str) {
    let _turn = ONE_RUN_AT_A_TIME.lock().await;
    let prefix = format!("{tag}{}", std::process::id() % 100_000);
    let net = support::network().await;
    // The kit's requests name no subnets: the driver's defaults place them.
    let driver = support::elbv2_in(&net, page_size);
    let driver: &dyn Driver = &driver;
    let ids = moto::run_instances(3).await;
    let options = KitOptions::new(prefix)
        .instance_ids(ids)
        .subnets(net.subnets.clone());
    let report = testkit::run_all(driver, &options).await;
    assert!(report.is_success(), "{report}");
    assert_eq!(report.passed, SCENARIOS, "{report}");
}

#[tokio::test]
async fn elbv2_on_moto_conforms() {
    assert_conforms(lbcloud_elbv2::DEFAULT_PAGE_SIZE, "v2kit").await;
}

#[tokio::test]
async fn elbv2_on_moto_conforms_with_small_pages() {
    assert_conforms(2, "v2pg").await;
}

fn alb(name: &str, subnets: &[String]) -> CreateBalancer {
    CreateBalancer::new(name, 80, Protocol::Http)
        .instance_port(8000)
        .subnets(subnets.iter().cloned())
        .member(Member::address("10.0.0.5", 8000))
        .member(Member::address("10.0.0.6", 8080))
        .health_check(
            HealthCheck::http(None, "/health")
                .interval(Duration::from_secs(10))
                .timeout(Duration::from_secs(5))
                .healthy_threshold(3)
                .unhealthy_threshold(2),
        )
        .algorithm(Algorithm::LeastOutstandingRequests)
        .tag("env", "test")
}

#[tokio::test]
async fn an_alb_is_created_read_changed_and_destroyed_with_only_its_own_target_group() {
    let d = support::elbv2();
    let net = support::network().await;
    let name = moto::unique_name("alb");
    let lb = d.create_balancer(alb(&name, &net.subnets)).await.unwrap();
    assert!(lb.id.starts_with("arn:"), "{}", lb.id);
    assert_eq!(lb.name, name);
    assert_eq!(lb.port, Some(80));
    assert_eq!(lb.algorithm, Some(Algorithm::LeastOutstandingRequests));
    assert_eq!(
        lb.extra.get::<String>("type").as_deref(),
        Some("application")
    );
    let tg_arn: String = lb.extra.get("target_group_arn").unwrap();

    // Read back: listeners, health check, algorithm, tags.
    let got = d.get_balancer(&lb.id).await.unwrap();
    assert_eq!(got.name, name);
    assert!(matches!(got.state, State::Running | State::Pending));
    assert_eq!(got.listeners.len(), 1);
    assert_eq!(got.listeners[0].instance_port, 8000);
    let hc = got.health_check.clone().unwrap();
    assert_eq!(hc.path.as_deref(), Some("/health"));
    assert_eq!(hc.interval, Duration::from_secs(10));
    assert_eq!(got.algorithm, Some(Algorithm::LeastOutstandingRequests));
    assert_eq!(got.tags.get("env").map(String::as_str), Some("test"));
    assert_eq!(
        d.get_balancer(&name).await.unwrap().id,
        lb.id,
        "found by name too"
    );

    // A second balancer of the same name: AlreadyExists, nothing created.
    let err = d
        .create_balancer(alb(&name, &net.subnets))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists, "{err}");

    // Members: IP targets with their ports.
    let mut members = d.balancer_list_members(&lb).await.unwrap();
    members.sort_by(|a, b| a.id.cmp(&b.id));
    let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["10.0.0.5:8000", "10.0.0.6:8080"]);
    assert_eq!(members[1].port, Some(8080));
    let added = d
        .balancer_attach_member(&lb, Member::address("10.0.0.7", 9000))
        .await
        .unwrap();
    assert_eq!(added.id, "10.0.0.7:9000");
    assert_eq!(d.balancer_list_members(&lb).await.unwrap().len(), 3);
    d.balancer_detach_member(&lb, &added).await.unwrap();
    assert_eq!(d.balancer_list_members(&lb).await.unwrap().len(), 2);
    let err = d
        .balancer_attach_member(&lb, Member::instance("i-0123456789abcdef0"))
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::InvalidInput,
        "an IP target group takes no instances"
    );

    let health = d.balancer_member_health(&lb).await.unwrap();
    assert_eq!(health.len(), 2);
    assert!(
        health.iter().all(|h| h.state == HealthState::InService),
        "{health:?}"
    );
    assert_eq!(health[0].provider_state.as_deref(), Some("healthy"));

    // Health check and algorithm changed and read back.
    let set = d
        .set_health_check(
            &got,
            HealthCheck::http(Some(8080), "/ready").interval(Duration::from_secs(30)),
        )
        .await
        .unwrap();
    assert_eq!(set.port, Some(8080));
    assert_eq!(
        d.get_health_check(&lb)
            .await
            .unwrap()
            .unwrap()
            .path
            .as_deref(),
        Some("/ready")
    );
    let updated = d
        .update_balancer(
            &lb,
            UpdateBalancer::new()
                .algorithm(Algorithm::RoundRobin)
                .port(8081),
        )
        .await
        .unwrap();
    assert_eq!(updated.algorithm, Some(Algorithm::RoundRobin));
    assert_eq!(updated.port, Some(8081));
    let err = d
        .update_balancer(&lb, UpdateBalancer::new().name("renamed"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported, "{err}");

    // A target group of the user's, forwarded to by a listener lbcloud did
    // not make, survives destroy; lbcloud's own group does not.
    let theirs = d
        .ex_create_target_group(&CreateTargetGroupInput::new(
            moto::unique_name("mine"),
            Elbv2Protocol::Http,
            80,
            &net.vpc_id,
        ))
        .await
        .unwrap();
    d.ex_create_listener(&lbcloud_elbv2::model::CreateListenerInput::new(
        &lb.id,
        Elbv2Protocol::Http,
        9090,
        lbcloud_elbv2::model::Action::forward(&theirs.arn),
    ))
    .await
    .unwrap();
    d.destroy_balancer(&lb).await.unwrap();
    assert_eq!(
        d.get_balancer(&lb.id).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        d.ex_get_target_group(&tg_arn).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        d.ex_get_target_group(&theirs.arn).await.unwrap().arn,
        theirs.arn
    );
    d.ex_delete_target_group(&theirs.arn).await.unwrap();
}

#[tokio::test]
async fn an_nlb_with_a_tcp_listener_and_instance_targets() {
    let d = support::elbv2();
    let net = support::network().await;
    let ids = moto::run_instances(2).await;
    let name = moto::unique_name("nlb");
    let lb = d
        .create_balancer(
            CreateBalancer::new(&name, 443, Protocol::Tcp)
                .instance_port(8443)
                .listener(Listener::new(53, Protocol::Udp, 53))
                .subnets(net.subnets.iter().cloned())
                .members(ids.iter().map(|id| Member::instance(id.clone()).port(8443)))
                .health_check(
                    HealthCheck::tcp(None)
                        .interval(Duration::from_secs(10))
                        .timeout(Duration::from_secs(5)),
                ),
        )
        .await
        .unwrap();
    assert_eq!(
        lb.extra.get::<String>("type").as_deref(),
        Some(LoadBalancerType::Network.as_str())
    );
    assert_eq!(lb.algorithm, None);
    let got = d.get_balancer(&lb.id).await.unwrap();
    assert_eq!(got.listeners.len(), 2);
    let mut members = d.balancer_list_members(&lb).await.unwrap();
    members.sort_by(|a, b| a.id.cmp(&b.id));
    let mut want = ids.clone();
    want.sort();
    assert_eq!(
        members.iter().map(|m| m.id.clone()).collect::<Vec<_>>(),
        want
    );
    // On the target group's own port: no port of their own.
    assert!(members.iter().all(|m| m.port.is_none()), "{members:?}");
    d.destroy_balancer(&lb).await.unwrap();
    assert_eq!(
        d.get_balancer(&lb.id).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn a_failed_create_leaves_nothing_behind() {
    let d = support::elbv2();
    let net = support::network().await;
    // The HTTP listener is made, then moto refuses the HTTPS listener's
    // certificate (CertificateNotFound): the listener, the target group
    // and the load balancer must all be gone again.
    let name = moto::unique_name("fail");
    let request = CreateBalancer::new(&name, 80, Protocol::Http)
        .listener(
            Listener::new(443, Protocol::Https, 80)
                .certificate("arn:aws:acm:us-east-1:123456789012:certificate/missing"),
        )
        .subnets(net.subnets.iter().cloned())
        .member(Member::address("10.0.0.5", 80));
    let err = d.create_balancer(request).await.unwrap_err();
    assert_eq!(err.code(), Some("CertificateNotFound"), "{err}");
    assert_eq!(err.operation(), Some("create_balancer"));
    assert!(
        d.ex_find_load_balancer(&name).await.unwrap().is_none(),
        "the load balancer was left behind"
    );
    let names = [name.as_str()];
    let groups = d
        .ex_list_target_groups(lbcloud_elbv2::request::TargetGroupFilter::Names(&names))
        .await;
    match groups {
        Ok(g) => assert!(g.is_empty(), "the target group was left behind: {g:?}"),
        Err(e) => assert_eq!(e.kind(), ErrorKind::NotFound, "{e}"),
    }
    // Nothing tagged as lbcloud's for a balancer that does not exist.
    let all = d
        .ex_list_target_groups(lbcloud_elbv2::request::TargetGroupFilter::All)
        .await
        .unwrap();
    assert!(!all.iter().any(|g| g.name == name));
    let _ = OWNER_TAG;
}

/// With the VPC known the groups are created before the balancer exists
/// and tagged as its own afterwards: moto must then show them as the
/// balancer's (found again by the tag), and destroy must remove them.
#[tokio::test]
async fn groups_made_with_the_balancer_are_owned_and_destroyed_with_it() {
    let net = support::network().await;
    let d = support::elbv2_knowing_the_vpc(&net);
    let name = moto::unique_name("vpc");
    let ids = moto::run_instances(1).await;
    let created = d
        .create_balancer(
            CreateBalancer::new(&name, 80, Protocol::Http)
                .instance_port(8080)
                .listener(Listener::new(81, Protocol::Http, 9090))
                .member(Member::instance(&ids[0])),
        )
        .await
        .unwrap();
    let read = d.get_balancer(&created.id).await.unwrap();
    assert_eq!(read.listeners.len(), 2, "{read:?}");
    let members = d.balancer_list_members(&read).await.unwrap();
    assert_eq!(members.len(), 1, "{members:?}");
    let all = d
        .ex_list_target_groups(lbcloud_elbv2::request::TargetGroupFilter::All)
        .await
        .unwrap();
    let ours: Vec<_> = all.iter().filter(|g| g.name.starts_with(&name)).collect();
    assert_eq!(ours.len(), 2, "one group per instance port: {ours:?}");
    assert!(
        ours.iter()
            .all(|g| g.vpc_id.as_deref() == Some(net.vpc_id.as_str()))
    );
    let arns: Vec<&str> = ours.iter().map(|g| g.arn.as_str()).collect();
    let tags = d.ex_describe_tags(&arns).await.unwrap();
    assert!(
        tags.iter().all(|t| t
            .tags
            .iter()
            .any(|t| t.key == OWNER_TAG && t.value == created.id)),
        "{tags:?}"
    );
    d.destroy_balancer(&read).await.unwrap();
    let left = d
        .ex_list_target_groups(lbcloud_elbv2::request::TargetGroupFilter::All)
        .await
        .unwrap();
    assert!(!left.iter().any(|g| g.name.starts_with(&name)), "{left:?}");
}
