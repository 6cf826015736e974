//! Requests that do not depend on each other go out together, and the
//! multi-step operations repair or report what they leave behind: against
//! a loopback server that answers by action (concurrent requests arrive in
//! any order) and counts the requests in flight.
//!
//! Speed is measured in `bench/` (`tags` mode of the comparison harness);
//! these tests check the concurrency itself, not the time it takes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use lbcloud_core::{
    Balancer, CreateBalancer, Driver, ErrorKind, HealthCheck, Member, Protocol, UpdateBalancer,
};
use lbcloud_elb::{ElbDriver, Env, MAX_LIST_PAGES, MAX_TAG_CALLS_IN_FLIGHT, RetryConfig};
use support::{Answer, Request, RoutedServer};

const NS: &str = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/";
const SLOW: Duration = Duration::from_millis(300);

fn driver(url: &str) -> ElbDriver {
    ElbDriver::builder()
        .env(Env::empty())
        .key("AKIDUNITTEST")
        .secret("unit-test-secret")
        .region("us-east-1")
        .endpoint(url)
        .retry(RetryConfig::none())
        .request_timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

fn ok(action: &str, result: &str) -> Answer {
    Answer::ok(lbcloud_testserver::query_answer(NS, action, result))
}

fn aws_error(status: u16, code: &str, message: &str) -> Answer {
    Answer::status(
        status,
        format!(
            "<ErrorResponse xmlns=\"{NS}\"><Error><Type>Sender</Type><Code>{code}</Code>\
             <Message>{message}</Message></Error><RequestId>e-1</RequestId></ErrorResponse>"
        ),
    )
}

/// A balancer with one listener on `port`/`protocol` carrying `policies`.
fn description(name: &str, port: u16, protocol: &str, policies: &[&str]) -> String {
    let names: String = policies
        .iter()
        .map(|p| format!("<member>{p}</member>"))
        .collect();
    format!(
        "<member><LoadBalancerName>{name}</LoadBalancerName><DNSName>{name}.elb</DNSName>\
         <ListenerDescriptions><member><Listener><Protocol>{protocol}</Protocol>\
         <LoadBalancerPort>{port}</LoadBalancerPort><InstancePort>8080</InstancePort></Listener>\
         <PolicyNames>{names}</PolicyNames></member></ListenerDescriptions>\
         <Instances><member><InstanceId>i-1</InstanceId></member></Instances>\
         <AvailabilityZones><member>us-east-1a</member></AvailabilityZones></member>"
    )
}

fn describe(list: &str, next: Option<&str>) -> Answer {
    let marker = next
        .map(|m| format!("<NextMarker>{m}</NextMarker>"))
        .unwrap_or_default();
    ok(
        "DescribeLoadBalancers",
        &format!("<LoadBalancerDescriptions>{list}</LoadBalancerDescriptions>{marker}"),
    )
}

/// `DescribeTags` answering `env=<name>` for every balancer asked about.
fn tags_for(r: &Request) -> Answer {
    let list: String = r
        .members("LoadBalancerNames")
        .iter()
        .map(|n| {
            format!(
                "<member><LoadBalancerName>{n}</LoadBalancerName><Tags><member><Key>env</Key>\
                 <Value>{n}</Value></member></Tags></member>"
            )
        })
        .collect();
    ok(
        "DescribeTags",
        &format!("<TagDescriptions>{list}</TagDescriptions>"),
    )
}

fn web() -> Balancer {
    Balancer::new("web", "web")
}

#[tokio::test]
async fn create_configures_the_health_check_and_registers_members_together() {
    let server = RoutedServer::start(|r| match r.action() {
        "CreateLoadBalancer" => ok("CreateLoadBalancer", "<DNSName>web.elb</DNSName>"),
        "ConfigureHealthCheck" => ok(
            "ConfigureHealthCheck",
            "<HealthCheck><Target>HTTP:8080/health</Target><Interval>30</Interval>\
             <Timeout>5</Timeout><UnhealthyThreshold>2</UnhealthyThreshold>\
             <HealthyThreshold>10</HealthyThreshold></HealthCheck>",
        )
        .delay(SLOW),
        "RegisterInstancesWithLoadBalancer" => ok(
            "RegisterInstancesWithLoadBalancer",
            "<Instances><member><InstanceId>i-1</InstanceId></member></Instances>",
        )
        .delay(SLOW),
        "DescribeLoadBalancers" => describe(&description("web", 80, "HTTP", &[]), None),
        other => panic!("unexpected {other}"),
    })
    .await;
    let lb = driver(server.url())
        .create_balancer(
            CreateBalancer::new("web", 80, Protocol::Http)
                .instance_port(8080)
                .zones(["us-east-1a"])
                .member(Member::instance("i-1"))
                .health_check(HealthCheck::http(None, "/health"))
                .tag("env", "prod"),
        )
        .await
        .unwrap();
    assert_eq!(server.max_in_flight(), 2, "{:?}", server.actions());
    let actions = server.actions();
    assert_eq!(actions.len(), 4);
    assert_eq!(actions[0], "CreateLoadBalancer");
    assert_eq!(actions[3], "DescribeLoadBalancers");
    // The check without a port probes the main listener's instance port.
    let hc = server
        .requests()
        .into_iter()
        .find(|r| r.action() == "ConfigureHealthCheck")
        .unwrap();
    assert_eq!(hc.get("HealthCheck.Target"), Some("HTTP:8080/health"));
    // Create returns the tags it set, and the algorithm ELB uses.
    assert_eq!(lb.tags.get("env").map(String::as_str), Some("prod"));
    assert_eq!(
        lb.algorithm,
        Some(lbcloud_core::Algorithm::LeastOutstandingRequests)
    );
}

#[tokio::test]
async fn a_failed_follow_up_of_create_deletes_the_half_created_balancer() {
    let server = RoutedServer::start(|r| match r.action() {
        "CreateLoadBalancer" => ok("CreateLoadBalancer", "<DNSName>web.elb</DNSName>"),
        "ConfigureHealthCheck" => ok("ConfigureHealthCheck", "<HealthCheck/>").delay(SLOW),
        "RegisterInstancesWithLoadBalancer" => {
            aws_error(400, "InvalidInstance", "i-404 is not a valid instance")
        }
        "DeleteLoadBalancer" => ok("DeleteLoadBalancer", ""),
        other => panic!("unexpected {other}"),
    })
    .await;
    let err = driver(server.url())
        .create_balancer(
            CreateBalancer::new("web", 80, Protocol::Tcp)
                .zones(["us-east-1a"])
                .member(Member::instance("i-404"))
                .health_check(HealthCheck::tcp(Some(80))),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert_eq!(err.operation(), Some("create_balancer"));
    assert_eq!(err.action(), Some("RegisterInstancesWithLoadBalancer"));
    assert_eq!(
        server.actions().last().map(String::as_str),
        Some("DeleteLoadBalancer")
    );
}

#[tokio::test]
async fn get_balancer_fetches_description_and_tags_together() {
    let server = RoutedServer::start(|r| match r.action() {
        "DescribeLoadBalancers" => describe(&description("web", 25, "TCP", &[]), None).delay(SLOW),
        "DescribeTags" => tags_for(r).delay(SLOW),
        other => panic!("unexpected {other}"),
    })
    .await;
    let lb = driver(server.url()).get_balancer("web").await.unwrap();
    assert_eq!(server.max_in_flight(), 2);
    assert_eq!(lb.tags.get("env").map(String::as_str), Some("web"));
    assert_eq!(lb.algorithm, Some(lbcloud_core::Algorithm::RoundRobin));

    // The listing fills tags too (a DescribeTags per page)...
    let listed = driver(server.url()).list_balancers().await.unwrap();
    assert_eq!(listed[0].tags.get("env").map(String::as_str), Some("web"));
    assert_eq!(server.requests().len(), 4);
    // ... unless asked to stay one request per page.
    let plain = ElbDriver::builder()
        .env(Env::empty())
        .key("AKIDUNITTEST")
        .secret("unit-test-secret")
        .region("us-east-1")
        .endpoint(server.url())
        .list_tags(false)
        .build()
        .unwrap();
    assert!(plain.list_balancers().await.unwrap()[0].tags.is_empty());
    assert_eq!(server.requests().len(), 5);
}

#[tokio::test]
async fn tags_of_a_long_listing_are_fetched_with_a_bounded_number_in_flight() {
    // 1,000 balancers in pages of 400, 50 DescribeTags calls of 20.
    let server = RoutedServer::start(|r| match r.action() {
        "DescribeLoadBalancers" => {
            let page: usize = r
                .get("Marker")
                .and_then(|m| m.strip_prefix('p'))
                .and_then(|k| k.parse().ok())
                .unwrap_or(0);
            let first = page * 400;
            let last = (first + 400).min(1000);
            let list: String = (first..last)
                .map(|i| description(&format!("lb-{i:04}"), 80, "HTTP", &[]))
                .collect();
            let next = (last < 1000).then(|| format!("p{}", page + 1));
            describe(&list, next.as_deref())
        }
        "DescribeTags" => tags_for(r).delay(Duration::from_millis(50)),
        other => panic!("unexpected {other}"),
    })
    .await;
    let all = driver(server.url())
        .ex_list_balancers_with_tags()
        .await
        .unwrap();
    assert_eq!(all.len(), 1000);
    for b in &all {
        assert_eq!(b.tags.get("env"), Some(&b.name), "{}", b.name);
    }
    let actions = server.actions();
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "DescribeLoadBalancers")
            .count(),
        3
    );
    assert_eq!(actions.iter().filter(|a| *a == "DescribeTags").count(), 50);
    assert_eq!(server.max_in_flight(), MAX_TAG_CALLS_IN_FLIGHT);
}

#[tokio::test]
async fn update_keeps_the_listener_policies() {
    let server = RoutedServer::start(|r| match r.action() {
        "DescribeLoadBalancers" => {
            describe(&description("web", 80, "HTTP", &["sticky", "proxy"]), None)
        }
        "DeleteLoadBalancerListeners" => ok("DeleteLoadBalancerListeners", ""),
        "CreateLoadBalancerListeners" => ok("CreateLoadBalancerListeners", ""),
        "SetLoadBalancerPoliciesOfListener" => ok("SetLoadBalancerPoliciesOfListener", ""),
        "DescribeTags" => tags_for(r),
        other => panic!("unexpected {other}"),
    })
    .await;
    driver(server.url())
        .update_balancer(&web(), UpdateBalancer::new().port(8081))
        .await
        .unwrap();
    let set = server
        .requests()
        .into_iter()
        .find(|r| r.action() == "SetLoadBalancerPoliciesOfListener")
        .expect("the policies are put on the new listener");
    assert_eq!(set.get("LoadBalancerPort"), Some("8081"));
    assert_eq!(set.members("PolicyNames"), ["sticky", "proxy"]);
}

#[tokio::test]
async fn a_failed_update_puts_the_old_listener_back_with_its_policies() {
    let creates = Arc::new(AtomicUsize::new(0));
    let c = creates.clone();
    let server = RoutedServer::start(move |r| match r.action() {
        "DescribeLoadBalancers" => describe(&description("web", 80, "HTTP", &["sticky"]), None),
        "DeleteLoadBalancerListeners" => ok("DeleteLoadBalancerListeners", ""),
        // The new listener is refused; the old one goes back.
        "CreateLoadBalancerListeners" if c.fetch_add(1, Ordering::SeqCst) == 0 => {
            aws_error(409, "InvalidConfigurationRequest", "port 8081 is busy")
        }
        "CreateLoadBalancerListeners" => ok("CreateLoadBalancerListeners", ""),
        "SetLoadBalancerPoliciesOfListener" => ok("SetLoadBalancerPoliciesOfListener", ""),
        other => panic!("unexpected {other}"),
    })
    .await;
    let err = driver(server.url())
        .update_balancer(&web(), UpdateBalancer::new().port(8081))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert_eq!(err.action(), Some("CreateLoadBalancerListeners"));
    let reqs = server.requests();
    let restored = reqs
        .iter()
        .filter(|r| r.action() == "CreateLoadBalancerListeners")
        .nth(1)
        .unwrap();
    assert_eq!(
        restored.get("Listeners.member.1.LoadBalancerPort"),
        Some("80")
    );
    let set = reqs
        .iter()
        .find(|r| r.action() == "SetLoadBalancerPoliciesOfListener")
        .unwrap();
    assert_eq!(set.get("LoadBalancerPort"), Some("80"));
    assert_eq!(set.members("PolicyNames"), ["sticky"]);
}

#[tokio::test]
async fn a_failed_restore_is_reported_with_both_failures() {
    let server = RoutedServer::start(|r| match r.action() {
        "DescribeLoadBalancers" => describe(&description("web", 80, "HTTP", &[]), None),
        "DeleteLoadBalancerListeners" => ok("DeleteLoadBalancerListeners", ""),
        "CreateLoadBalancerListeners" => {
            let port = r.get("Listeners.member.1.LoadBalancerPort").unwrap_or("");
            if port == "8081" {
                aws_error(400, "TooManyPolicies", "the new listener is refused")
            } else {
                aws_error(400, "ValidationError", "the old listener is refused too")
            }
        }
        other => panic!("unexpected {other}"),
    })
    .await;
    let err = driver(server.url())
        .update_balancer(&web(), UpdateBalancer::new().port(8081))
        .await
        .unwrap_err();
    // The first failure decides the kind; the message names both.
    assert_eq!(err.kind(), ErrorKind::QuotaExceeded, "{err}");
    assert_eq!(err.code(), Some("TooManyPolicies"));
    assert!(
        err.message().contains("the new listener is refused"),
        "{err}"
    );
    assert!(
        err.message().contains("the old listener is refused too"),
        "{err}"
    );
    assert!(err.message().contains("port 80"), "{err}");
    // The second failure is the source, whole.
    let source = std::error::Error::source(&err).expect("a source");
    let restore = source
        .downcast_ref::<lbcloud_core::Error>()
        .expect("the restore error");
    assert_eq!(restore.kind(), ErrorKind::InvalidInput);
    assert_eq!(restore.code(), Some("ValidationError"));
}

#[tokio::test]
async fn policies_the_new_listener_cannot_keep_undo_the_update() {
    let sets = Arc::new(AtomicUsize::new(0));
    let s = sets.clone();
    let server = RoutedServer::start(move |r| match r.action() {
        "DescribeLoadBalancers" => describe(&description("web", 80, "HTTP", &["sticky"]), None),
        "DeleteLoadBalancerListeners" => ok("DeleteLoadBalancerListeners", ""),
        "CreateLoadBalancerListeners" => ok("CreateLoadBalancerListeners", ""),
        // The TCP listener cannot take the stickiness policy; the old HTTP
        // one takes it back.
        "SetLoadBalancerPoliciesOfListener" if s.fetch_add(1, Ordering::SeqCst) == 0 => aws_error(
            409,
            "InvalidConfigurationRequest",
            "stickiness needs an HTTP listener",
        ),
        "SetLoadBalancerPoliciesOfListener" => ok("SetLoadBalancerPoliciesOfListener", ""),
        other => panic!("unexpected {other}"),
    })
    .await;
    let err = driver(server.url())
        .update_balancer(&web(), UpdateBalancer::new().protocol(Protocol::Tcp))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert_eq!(
        server.actions(),
        [
            "DescribeLoadBalancers",
            "DeleteLoadBalancerListeners",
            "CreateLoadBalancerListeners",
            "SetLoadBalancerPoliciesOfListener",
            "DeleteLoadBalancerListeners",
            "CreateLoadBalancerListeners",
            "SetLoadBalancerPoliciesOfListener",
        ]
    );
    let reqs = server.requests();
    assert_eq!(reqs[2].get("Listeners.member.1.Protocol"), Some("TCP"));
    assert_eq!(reqs[5].get("Listeners.member.1.Protocol"), Some("HTTP"));
    assert_eq!(reqs[6].members("PolicyNames"), ["sticky"]);
}

#[tokio::test]
async fn a_listing_that_never_ends_stops_after_the_page_cap() {
    // Every page is empty and names a new next page.
    let server = RoutedServer::start(|r| match r.action() {
        "DescribeLoadBalancers" => {
            let n: usize = r
                .get("Marker")
                .and_then(|m| m.strip_prefix('m'))
                .and_then(|k| k.parse().ok())
                .unwrap_or(0);
            describe("", Some(&format!("m{}", n + 1)))
        }
        other => panic!("unexpected {other}"),
    })
    .await;
    let err = driver(server.url()).list_balancers().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
    assert_eq!(err.operation(), Some("list_balancers"));
    assert!(err.message().contains("10000 pages"), "{err}");
    assert_eq!(server.requests().len(), MAX_LIST_PAGES);
}
