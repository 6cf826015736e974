//! `Elbv2Driver` through the core contract on a loopback server that
//! answers by action (the create chain sends independent requests
//! together, so they arrive in any order): a failure injected at each step
//! of `create_balancer` undoes everything made before it, and the steps
//! that do not depend on each other are in flight together.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

// The routed server the ELB driver's concurrency tests use.
#[path = "../../elb/tests/support/mod.rs"]
mod routed;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lbcloud_core::{
    Algorithm, CreateBalancer, Driver, ErrorKind, HealthCheck, Listener, Member, Protocol,
};
use lbcloud_elbv2::{Elbv2Driver, Env, RetryConfig};
use routed::{Answer, Request, RoutedServer};

const LB: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
const TG: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067";

fn driver(url: &str) -> Elbv2Driver {
    builder(url).build().unwrap()
}

fn builder(url: &str) -> lbcloud_elbv2::Elbv2DriverBuilder {
    Elbv2Driver::builder()
        .env(Env::empty())
        .key("AKIDUNITTEST")
        .secret("unit-test-secret")
        .region("us-east-1")
        .endpoint(url)
        .retry(RetryConfig::none())
        .subnets(["subnet-1", "subnet-2"])
}

fn ok(action: &str, result: &str) -> Answer {
    Answer::ok(format!(
        "<{action}Response><{action}Result>{result}</{action}Result></{action}Response>"
    ))
}

fn error(code: &str) -> Answer {
    Answer::status(
        400,
        format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>injected</Message>\
             </Error><RequestId>r-1</RequestId></ErrorResponse>"
        ),
    )
}

/// A healthy ELBv2, except that `failing` answers `ValidationError` (for
/// the calls sent several times, only the one on port 9000 or 8081 fails,
/// so the others are made and must be undone).
fn answer(r: &Request, failing: &str) -> Answer {
    let action = r.action();
    let this_one = match action {
        "CreateTargetGroup" => r.get("Port") == Some("9000"),
        "CreateListener" => r.get("Port") == Some("8081"),
        _ => true,
    };
    if action == failing && this_one {
        return error("ValidationError");
    }
    match action {
        "DescribeLoadBalancers" => error("LoadBalancerNotFound"),
        "DescribeTargetGroups" => error("TargetGroupNotFound"),
        "CreateLoadBalancer" => ok(
            action,
            &format!(
                "<LoadBalancers><member><LoadBalancerArn>{LB}</LoadBalancerArn>\
                 <LoadBalancerName>web</LoadBalancerName><VpcId>vpc-1</VpcId>\
                 <AvailabilityZones><member><ZoneName>us-east-1a</ZoneName><SubnetId>subnet-1</SubnetId></member>\
                 <member><ZoneName>us-east-1b</ZoneName><SubnetId>subnet-2</SubnetId></member></AvailabilityZones>\
                 <Type>application</Type><State><Code>provisioning</Code></State></member></LoadBalancers>"
            ),
        ),
        "CreateTargetGroup" => {
            let port = r.get("Port").unwrap_or("80");
            ok(
                action,
                &format!(
                    "<TargetGroups><member><TargetGroupArn>{TG}-{port}</TargetGroupArn>\
                     <TargetGroupName>{}</TargetGroupName><Port>{port}</Port><Protocol>HTTP</Protocol>\
                     <TargetType>ip</TargetType></member></TargetGroups>",
                    r.get("Name").unwrap_or("web")
                ),
            )
        }
        "CreateListener" => {
            let port = r.get("Port").unwrap_or("80");
            ok(
                action,
                &format!(
                    "<Listeners><member><ListenerArn>{LB}/listener-{port}</ListenerArn>\
                     <Port>{port}</Port><Protocol>HTTP</Protocol><DefaultActions><member>\
                     <Type>forward</Type><TargetGroupArn>{}</TargetGroupArn></member>\
                     </DefaultActions></member></Listeners>",
                    r.get("DefaultActions.member.1.TargetGroupArn")
                        .unwrap_or_default()
                ),
            )
        }
        "ModifyTargetGroupAttributes" => ok(action, "<Attributes/>"),
        _ => ok(action, ""),
    }
}

fn request() -> CreateBalancer {
    CreateBalancer::new("web", 80, Protocol::Http)
        .instance_port(8000)
        .listener(Listener::new(8080, Protocol::Http, 8000))
        .listener(Listener::new(8081, Protocol::Http, 9000))
        .member(Member::address("10.0.0.5", 8000))
        .member(Member::address("10.0.0.6", 8080))
        .health_check(HealthCheck::http(None, "/health").interval(Duration::from_secs(10)))
        .algorithm(Algorithm::LeastOutstandingRequests)
}

fn count(actions: &[String], action: &str) -> usize {
    actions.iter().filter(|a| *a == action).count()
}

#[tokio::test]
async fn a_failure_at_each_create_step_undoes_everything_made() {
    for failing in [
        "CreateLoadBalancer",
        "CreateTargetGroup",
        "RegisterTargets",
        "CreateListener",
        "ModifyTargetGroupAttributes",
    ] {
        let server = RoutedServer::start(move |r| answer(r, failing)).await;
        let err = driver(server.url())
            .create_balancer(request())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{failing}: {err}");
        assert_eq!(err.code(), Some("ValidationError"), "{failing}");
        assert_eq!(err.operation(), Some("create_balancer"), "{failing}");
        let actions = server.actions();
        let made = |a: &str| count(&actions, a) - usize::from(a == failing).min(count(&actions, a));
        if failing == "CreateListener" {
            assert_eq!(
                made("CreateListener"),
                2,
                "two of three listeners made: {actions:?}"
            );
        }
        // Every listener made is deleted, then the balancer, then every
        // target group made (two: instance ports 8000 and 9000).
        let groups = made("CreateTargetGroup");
        let listeners = made("CreateListener");
        assert_eq!(
            count(&actions, "DeleteListener"),
            listeners,
            "{failing}: {actions:?}"
        );
        let lb_made = failing != "CreateLoadBalancer";
        assert_eq!(
            count(&actions, "DeleteLoadBalancer"),
            usize::from(lb_made),
            "{failing}"
        );
        match failing {
            "CreateLoadBalancer" => assert_eq!(groups, 0),
            // One of the two groups failed; the other is deleted.
            "CreateTargetGroup" => {
                assert_eq!(count(&actions, "DeleteTargetGroup"), 1, "{actions:?}");
                assert_eq!(count(&actions, "CreateListener"), 0, "{actions:?}");
            }
            _ => assert_eq!(
                count(&actions, "DeleteTargetGroup"),
                2,
                "{failing}: {actions:?}"
            ),
        }
        if let (Some(lb), Some(tg)) = (
            actions.iter().position(|a| a == "DeleteLoadBalancer"),
            actions.iter().rposition(|a| a == "DeleteTargetGroup"),
        ) {
            assert!(
                lb < tg,
                "{failing}: target groups deleted before the balancer: {actions:?}"
            );
        }
        if let Some(first_delete) = actions.iter().position(|a| a.starts_with("Delete")) {
            let creates_after = actions[first_delete..]
                .iter()
                .filter(|a| a.starts_with("Create") || *a == "RegisterTargets")
                .count();
            assert_eq!(
                creates_after, 0,
                "{failing}: created after undoing: {actions:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_create_sends_what_does_not_depend_on_each_other_together() {
    let server = RoutedServer::start(|r| answer(r, "none").delay(Duration::from_millis(50))).await;
    let lb = driver(server.url())
        .create_balancer(request())
        .await
        .unwrap();
    assert_eq!(lb.id, LB);
    assert_eq!(lb.listeners.len(), 3);
    let by_port: Vec<(u16, u16)> = lb
        .listeners
        .iter()
        .map(|l| (l.port, l.instance_port))
        .collect();
    assert_eq!(by_port, [(80, 8000), (8080, 8000), (8081, 9000)]);
    assert_eq!(lb.algorithm, Some(Algorithm::LeastOutstandingRequests));
    let actions = server.actions();
    assert_eq!(count(&actions, "CreateTargetGroup"), 2, "{actions:?}");
    assert_eq!(
        count(&actions, "RegisterTargets"),
        2,
        "targets go in both groups"
    );
    assert_eq!(count(&actions, "CreateListener"), 3);
    // The name checks, the two groups, and then targets + listeners +
    // algorithm: each set is in flight at once.
    assert!(
        server.max_in_flight() >= 6,
        "in flight: {}",
        server.max_in_flight()
    );
    let regs: Vec<Request> = server
        .requests()
        .into_iter()
        .filter(|r| r.action() == "RegisterTargets")
        .collect();
    let with_ports = regs
        .iter()
        .filter(|r| r.get("Targets.member.1.Port").is_some())
        .count();
    assert_eq!(
        with_ports, 1,
        "only the default group gets the members' own ports"
    );
}

#[tokio::test]
async fn bad_create_requests_are_refused_before_any_request() {
    use lbcloud_core::UpdateBalancer;

    let server = RoutedServer::start(|r| answer(r, "none")).await;
    let d = driver(server.url());
    let no_subnets = Elbv2Driver::builder()
        .env(Env::empty())
        .key("AKIDUNITTEST")
        .secret("unit-test-secret")
        .region("us-east-1")
        .endpoint(server.url())
        .build()
        .unwrap();
    let http = || CreateBalancer::new("web", 80, Protocol::Http);
    let cases: Vec<(&str, &Elbv2Driver, CreateBalancer, &str)> = vec![
        ("no subnets anywhere", &no_subnets, http(), "subnets"),
        (
            "ALB and NLB listeners mixed",
            &d,
            http().listener(Listener::new(25, Protocol::Tcp, 25)),
            "listeners[1].protocol",
        ),
        (
            "instance and address members mixed",
            &d,
            http()
                .member(Member::instance("i-0123456789abcdef0"))
                .member(Member::address("10.0.0.5", 80)),
            "members[1]",
        ),
        (
            "an NLB cannot choose its algorithm",
            &d,
            CreateBalancer::new("web", 25, Protocol::Tcp).algorithm(Algorithm::RoundRobin),
            "algorithm",
        ),
        (
            "an ALB group checks health by HTTP(S) only",
            &d,
            http().health_check(HealthCheck::tcp(None)),
            "health_check.protocol",
        ),
        (
            "HTTPS without a certificate",
            &d,
            CreateBalancer::new("web", 443, Protocol::Https),
            "listeners[0].certificate_id",
        ),
        (
            "a name with an underscore",
            &d,
            CreateBalancer::new("web_1", 80, Protocol::Http),
            "name",
        ),
    ];
    for (what, driver, request, field) in cases {
        let err = driver.create_balancer(request).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{what}: {err}");
        assert_eq!(err.field(), Some(field), "{what}: {err}");
        assert_eq!(err.operation(), Some("create_balancer"), "{what}");
    }
    // Renaming is not something ELBv2 can do: Unsupported, before I/O.
    let lb = lbcloud_core::Balancer::new(LB, "web");
    let err = d
        .update_balancer(&lb, UpdateBalancer::new().name("other"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported, "{err}");
    assert!(server.requests().is_empty(), "{:?}", server.actions());
}

/// How long the server holds its answer to `CreateLoadBalancer` in the
/// wave tests: a `CreateTargetGroup` that arrives sooner after it was sent
/// before that answer (the order of causes, not a speed target; 2 s leaves
/// a loaded machine plenty of time to send two requests at once).
const HOLD: Duration = Duration::from_secs(2);

/// A server that answers like [`answer`] (holding `CreateLoadBalancer`
/// for [`HOLD`]) and records when each request arrived.
async fn timed_server() -> (RoutedServer, Arc<Mutex<Vec<(String, Instant)>>>) {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let log = arrivals.clone();
    let server = RoutedServer::start(move |r| {
        log.lock()
            .unwrap()
            .push((r.action().to_owned(), Instant::now()));
        let a = answer(r, "none");
        if r.action() == "CreateLoadBalancer" {
            a.delay(HOLD)
        } else {
            a
        }
    })
    .await;
    (server, arrivals)
}

/// Whether, in the last create (from its name check on), every
/// `CreateTargetGroup` left before `CreateLoadBalancer` was answered:
/// arrived less than [`HOLD`] after it.
fn groups_went_with_the_balancer(arrivals: &[(String, Instant)]) -> bool {
    let start = arrivals
        .iter()
        .rposition(|(a, _)| a == "DescribeLoadBalancers")
        .unwrap();
    let last = &arrivals[start..];
    let clb = last
        .iter()
        .find(|(a, _)| a == "CreateLoadBalancer")
        .map(|(_, t)| *t)
        .unwrap();
    let groups: Vec<Instant> = last
        .iter()
        .filter(|(a, _)| a == "CreateTargetGroup")
        .map(|(_, t)| *t)
        .collect();
    assert_eq!(groups.len(), 2, "{arrivals:?}");
    groups.iter().all(|t| *t < clb + HOLD)
}

#[tokio::test]
async fn with_the_vpc_known_the_target_groups_go_out_with_the_balancer() {
    // Configured: the first create already saves the round trip.
    let (server, arrivals) = timed_server().await;
    let d = builder(server.url()).vpc_id("vpc-1").build().unwrap();
    let lb = d.create_balancer(request()).await.unwrap();
    assert_eq!(lb.listeners.len(), 3);
    assert!(groups_went_with_the_balancer(&arrivals.lock().unwrap()));
    let requests = server.requests();
    let groups: Vec<&Request> = requests
        .iter()
        .filter(|r| r.action() == "CreateTargetGroup")
        .collect();
    assert!(groups.iter().all(|g| g.get("VpcId") == Some("vpc-1")));
    // Made before the balancer, so tagged with its ARN afterwards, both at once.
    assert!(groups.iter().all(|g| g.get("Tags.member.1.Key").is_none()));
    let tags: Vec<&Request> = requests
        .iter()
        .filter(|r| r.action() == "AddTags")
        .collect();
    assert_eq!(tags.len(), 1, "{:?}", server.actions());
    assert_eq!(tags[0].get("Tags.member.1.Key"), Some("lbcloud:balancer"));
    assert_eq!(tags[0].get("Tags.member.1.Value"), Some(LB));
    assert_eq!(tags[0].members("ResourceArns").len(), 2);

    // Learned: a driver told nothing waits for the balancer's answer the
    // first time, and not for the next balancer in the same subnets.
    let (server, arrivals) = timed_server().await;
    let d = driver(server.url());
    d.create_balancer(request()).await.unwrap();
    assert!(!groups_went_with_the_balancer(&arrivals.lock().unwrap()));
    let tagged_at_creation = server
        .requests()
        .iter()
        .filter(|r| r.action() == "CreateTargetGroup")
        .all(|g| g.get("Tags.member.1.Value") == Some(LB));
    assert!(tagged_at_creation);
    d.create_balancer(request()).await.unwrap();
    assert!(groups_went_with_the_balancer(&arrivals.lock().unwrap()));
    // A clone shares what the driver learned.
    d.clone().create_balancer(request()).await.unwrap();
    assert!(groups_went_with_the_balancer(&arrivals.lock().unwrap()));
}

#[tokio::test]
async fn with_the_vpc_known_a_failure_at_each_step_undoes_everything_made() {
    for failing in [
        "CreateLoadBalancer",
        "CreateTargetGroup",
        "RegisterTargets",
        "CreateListener",
        "AddTags",
        "ModifyTargetGroupAttributes",
    ] {
        let server = RoutedServer::start(move |r| answer(r, failing)).await;
        let d = builder(server.url()).vpc_id("vpc-1").build().unwrap();
        let err = d.create_balancer(request()).await.unwrap_err();
        assert_eq!(err.code(), Some("ValidationError"), "{failing}: {err}");
        assert_eq!(err.operation(), Some("create_balancer"), "{failing}");
        let actions = server.actions();
        let sent = |a: &str| count(&actions, a);
        let failed = |a: &str| usize::from(a == failing);
        // Whatever was made is deleted: listeners, the balancer, the groups.
        assert_eq!(
            sent("DeleteListener"),
            sent("CreateListener") - failed("CreateListener"),
            "{failing}: {actions:?}"
        );
        assert_eq!(
            sent("DeleteLoadBalancer"),
            usize::from(failing != "CreateLoadBalancer"),
            "{failing}: {actions:?}"
        );
        assert_eq!(
            sent("DeleteTargetGroup"),
            sent("CreateTargetGroup") - failed("CreateTargetGroup"),
            "{failing}: {actions:?}"
        );
        assert_eq!(sent("CreateTargetGroup"), 2, "{failing}: {actions:?}");
    }
}

#[tokio::test]
async fn a_vpc_id_other_than_the_subnets_fails_the_create_and_undoes_it() {
    let server = RoutedServer::start(|r| answer(r, "none")).await;
    let d = builder(server.url()).vpc_id("vpc-9").build().unwrap();
    let err = d.create_balancer(request()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    assert_eq!(err.field(), Some("vpc_id"), "{err}");
    assert!(err.to_string().contains("vpc-1"), "{err}");
    let actions = server.actions();
    assert_eq!(count(&actions, "DeleteLoadBalancer"), 1, "{actions:?}");
    assert_eq!(count(&actions, "DeleteTargetGroup"), 2, "{actions:?}");
    assert_eq!(count(&actions, "CreateListener"), 0, "{actions:?}");
    // A bad VPC id is refused at build, before any request.
    let err = builder(server.url()).vpc_id("").build().unwrap_err();
    assert_eq!(err.field(), Some("vpc_id"), "{err}");
}
