//! Bad input never costs a request: one table of invalid inputs across the
//! core types and every `ElbDriver` operation. Each must fail with
//! `InvalidInput` naming the exact field (or, for what ELB cannot do at
//! all — weights, choosing the algorithm, member conditions, members by
//! address, renaming — `Unsupported` naming it), and the scripted server
//! behind the driver must have received zero requests.
// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use lbcloud::{
    Algorithm, Balancer, CreateBalancer, Driver, ErrorKind, HealthCheck, Listener, Member,
    MemberCondition, Protocol, Result, UpdateBalancer, UpdateMember, validate,
};
use lbcloud_elb::{ElbDriver, RetryConfig};
use lbcloud_testserver::TestServer;

type Op = Box<dyn Fn(Arc<ElbDriver>) -> BoxFuture<'static, Result<()>>>;

/// One row: what is wrong, the field the error must name, and the call.
struct Case {
    what: &'static str,
    field: &'static str,
    kind: ErrorKind,
    op: Op,
}

/// The same row, expecting `Unsupported` (ELB cannot do it at all).
fn unsupported(case: Case) -> Case {
    Case {
        kind: ErrorKind::Unsupported,
        ..case
    }
}

/// A row whose call goes through the driver.
fn driver<F, Fut>(what: &'static str, field: &'static str, f: F) -> Case
where
    F: Fn(Arc<ElbDriver>) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<()>> + Send + 'static,
{
    Case {
        what,
        field,
        kind: ErrorKind::InvalidInput,
        op: Box::new(move |d| f(d).boxed()),
    }
}

/// A row that needs no driver (parsing and validating core types).
fn core<F>(what: &'static str, field: &'static str, f: F) -> Case
where
    F: Fn() -> Result<()> + Send + Sync + Clone + 'static,
{
    Case {
        what,
        field,
        kind: ErrorKind::InvalidInput,
        op: Box::new(move |_| {
            let f = f.clone();
            async move { f() }.boxed()
        }),
    }
}

fn unit<T>(r: Result<T>) -> Result<()> {
    r.map(|_| ())
}

/// A create request that is valid on ELB; each row breaks one thing.
fn good() -> CreateBalancer {
    CreateBalancer::new("web", 80, Protocol::Http)
        .instance_port(8080)
        .zones(["us-east-1a"])
        .member(Member::instance("i-0aaa"))
}

/// [`good`] with one change made by `change`.
fn good_but(change: impl FnOnce(&mut CreateBalancer)) -> CreateBalancer {
    let mut request = good();
    change(&mut request);
    request
}

fn balancer(id: &str) -> Balancer {
    Balancer::new(id, id)
}

fn hc() -> HealthCheck {
    HealthCheck::new("HTTP:8080/health").unwrap()
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn create(what: &'static str, field: &'static str, req: CreateBalancer) -> Case {
    driver(what, field, move |d| {
        let req = req.clone();
        async move { unit(d.create_balancer(req).await) }
    })
}

fn set_hc(what: &'static str, field: &'static str, check: HealthCheck) -> Case {
    driver(what, field, move |d| {
        let check = check.clone();
        async move { unit(d.set_health_check(&balancer("web"), check).await) }
    })
}

fn update(what: &'static str, field: &'static str, u: UpdateBalancer) -> Case {
    driver(what, field, move |d| {
        let u = u.clone();
        async move { unit(d.update_balancer(&balancer("web"), u).await) }
    })
}

fn cases() -> Vec<Case> {
    let long = "a".repeat(33);
    let long2 = long.clone();
    let long3 = long.clone();
    vec![
        // --- names, through create_balancer
        create("empty name", "name", good_but(|r| r.name = String::new())),
        create(
            "33-character name",
            "name",
            good_but(|r| r.name = long.clone()),
        ),
        create(
            "leading hyphen",
            "name",
            good_but(|r| r.name = "-web".into()),
        ),
        create(
            "trailing hyphen",
            "name",
            good_but(|r| r.name = "web-".into()),
        ),
        create(
            "underscore in name",
            "name",
            good_but(|r| r.name = "web_lb".into()),
        ),
        create(
            "space in name",
            "name",
            good_but(|r| r.name = "web lb".into()),
        ),
        create(
            "non-ASCII name",
            "name",
            good_but(|r| r.name = "wéb".into()),
        ),
        create(
            "dot in name",
            "name",
            good_but(|r| r.name = "web.lb".into()),
        ),
        // --- names, through every other operation that takes one
        driver("get: empty id", "id", |d| async move {
            unit(d.get_balancer("").await)
        }),
        driver("get: 33 characters", "id", move |d| {
            let n = long2.clone();
            async move { unit(d.get_balancer(&n).await) }
        }),
        driver("get: slash in id", "id", |d| async move {
            unit(d.get_balancer("web/../x").await)
        }),
        driver("destroy: empty id", "balancer", |d| async move {
            unit(d.destroy_balancer(&balancer("")).await)
        }),
        driver("destroy: trailing hyphen", "balancer.id", |d| async move {
            unit(d.destroy_balancer(&balancer("web-")).await)
        }),
        driver("list members: 33 characters", "balancer.id", move |d| {
            let n = long3.clone();
            async move { unit(d.balancer_list_members(&balancer(&n)).await) }
        }),
        driver(
            "get health check: illegal char",
            "balancer.id",
            |d| async move { unit(d.get_health_check(&balancer("web*")).await) },
        ),
        driver("member health: empty id", "balancer", |d| async move {
            unit(d.balancer_member_health(&balancer("")).await)
        }),
        driver("attach: bad balancer id", "balancer.id", |d| async move {
            unit(
                d.balancer_attach_member(&balancer("-x"), Member::instance("i-1"))
                    .await,
            )
        }),
        driver("detach: bad balancer id", "balancer.id", |d| async move {
            unit(
                d.balancer_detach_member(&balancer("x y"), &Member::instance("i-1"))
                    .await,
            )
        }),
        // --- ports
        create(
            "front port 0",
            "listeners[0].port",
            CreateBalancer::new("web", 0, Protocol::Http).zones(["us-east-1a"]),
        ),
        create(
            "instance port 0",
            "listeners[0].instance_port",
            good().instance_port(0),
        ),
        create(
            "extra listener port 0",
            "listeners[1].port",
            good().listener(Listener::new(0, Protocol::Tcp, 22)),
        ),
        create(
            "duplicate ports in one create",
            "listeners[1].port",
            good().listener(Listener::new(80, Protocol::Tcp, 81)),
        ),
        create(
            "member port 0",
            "members[1].port",
            good().member(Member::instance("i-0bbb").port(0)),
        ),
        update("update to port 0", "port", UpdateBalancer::new().port(0)),
        core("parse_port 65536", "port", || {
            unit(validate::parse_port("port", "65536"))
        }),
        core("parse_port 0", "port", || {
            unit(validate::parse_port("port", "0"))
        }),
        core("parse_port -1", "port", || {
            unit(validate::parse_port("port", "-1"))
        }),
        core("parse_port text", "port", || {
            unit(validate::parse_port("port", "http"))
        }),
        core("parse_port empty", "port", || {
            unit(validate::parse_port("port", ""))
        }),
        core("listener front port 65536", "listener.front.port", || {
            unit(Listener::from_str("HTTP:65536"))
        }),
        core("listener front port 0", "listener.front.port", || {
            unit(Listener::from_str("TCP:0"))
        }),
        core(
            "listener instance port 65536",
            "listener.instance.port",
            || unit(Listener::from_str("HTTP:80->HTTP:65536")),
        ),
        core("listener without port", "listener", || {
            unit(Listener::from_str("80"))
        }),
        core(
            "listener unknown protocol",
            "listener.front.protocol",
            || unit(Listener::from_str("GOPHER:70")),
        ),
        core("health target port 65536", "health_check.target", || {
            unit(HealthCheck::new("TCP:65536"))
        }),
        core("health target port 0", "health_check.target", || {
            unit(HealthCheck::new("HTTP:0/"))
        }),
        // --- health checks
        core("health target without port", "health_check.target", || {
            unit(HealthCheck::new("HTTP"))
        }),
        core(
            "health target unknown protocol",
            "health_check.target",
            || unit(HealthCheck::new("UDP:53")),
        ),
        core("HTTP target without path", "health_check.target", || {
            unit(HealthCheck::new("HTTP:80"))
        }),
        core("TCP target with path", "health_check.target", || {
            unit(HealthCheck::new("TCP:80/x"))
        }),
        core("path with a space", "health_check.target", || {
            unit(HealthCheck::new("HTTP:80/a b"))
        }),
        set_hc(
            "path longer than ELB's 1024 bytes",
            "health_check.path",
            HealthCheck::http(Some(80), format!("/{}", "p".repeat(1100))),
        ),
        set_hc(
            "interval 4 s",
            "health_check.interval",
            hc().interval(secs(4)),
        ),
        set_hc(
            "interval 301 s",
            "health_check.interval",
            hc().interval(secs(301)),
        ),
        set_hc(
            "interval of 20.5 s (ELB counts whole seconds)",
            "health_check.interval",
            hc().interval(Duration::from_millis(20_500)),
        ),
        set_hc("timeout 1 s", "health_check.timeout", hc().timeout(secs(1))),
        set_hc(
            "timeout 61 s",
            "health_check.timeout",
            hc().interval(secs(120)).timeout(secs(61)),
        ),
        set_hc(
            "timeout equal to interval",
            "health_check.timeout",
            hc().interval(secs(10)).timeout(secs(10)),
        ),
        set_hc(
            "timeout above interval",
            "health_check.timeout",
            hc().interval(secs(6)).timeout(secs(30)),
        ),
        unsupported(set_hc(
            "expected codes other than 200",
            "health_check.expected_codes",
            hc().expected_codes("200-399"),
        )),
        set_hc(
            "healthy threshold 1",
            "health_check.healthy_threshold",
            hc().healthy_threshold(1),
        ),
        set_hc(
            "healthy threshold 11",
            "health_check.healthy_threshold",
            hc().healthy_threshold(11),
        ),
        set_hc(
            "unhealthy threshold 1",
            "health_check.unhealthy_threshold",
            hc().unhealthy_threshold(1),
        ),
        set_hc(
            "unhealthy threshold 11",
            "health_check.unhealthy_threshold",
            hc().unhealthy_threshold(11),
        ),
        set_hc(
            "check port 0 built by hand",
            "health_check.port",
            HealthCheck::tcp(Some(0)),
        ),
        set_hc(
            "check path without slash",
            "health_check.path",
            HealthCheck::http(Some(80), "health"),
        ),
        create(
            "create with timeout not below interval",
            "health_check.timeout",
            good().health_check(hc().interval(secs(5)).timeout(secs(5))),
        ),
        create(
            "create with threshold 0",
            "health_check.healthy_threshold",
            good().health_check(hc().healthy_threshold(0)),
        ),
        // --- protocols
        create(
            "UDP front on ELB",
            "listeners[0].protocol",
            CreateBalancer::new("web", 53, Protocol::Udp).zones(["us-east-1a"]),
        ),
        create(
            "TLS front on ELB",
            "listeners[0].protocol",
            CreateBalancer::new("web", 443, Protocol::Tls)
                .certificate("arn:c")
                .zones(["us-east-1a"]),
        ),
        create(
            "HTTP front, TCP members",
            "listeners[0].instance_protocol",
            good().instance_protocol(Protocol::Tcp),
        ),
        create(
            "TCP front, HTTP members",
            "listeners[1].instance_protocol",
            good().listener(Listener::new(22, Protocol::Tcp, 22).instance_protocol(Protocol::Http)),
        ),
        create(
            "SSL front, UDP members",
            "listeners[0].instance_protocol",
            CreateBalancer::new("web", 443, Protocol::Ssl)
                .certificate("arn:c")
                .instance_protocol(Protocol::Udp)
                .zones(["us-east-1a"]),
        ),
        update(
            "update protocol to UDP",
            "protocol",
            UpdateBalancer::new().protocol(Protocol::Udp),
        ),
        // --- certificates
        create(
            "HTTPS without certificate",
            "listeners[0].certificate_id",
            CreateBalancer::new("web", 443, Protocol::Https).zones(["us-east-1a"]),
        ),
        create(
            "SSL without certificate",
            "listeners[1].certificate_id",
            good().listener(Listener::new(443, Protocol::Ssl, 443)),
        ),
        create(
            "HTTPS with empty certificate",
            "listeners[0].certificate_id",
            CreateBalancer::new("web", 443, Protocol::Https)
                .certificate("  ")
                .zones(["us-east-1a"]),
        ),
        create(
            "certificate on plain HTTP",
            "listeners[0].certificate_id",
            good().certificate("arn:c"),
        ),
        // --- members
        driver(
            "attach an empty member list",
            "instance_ids",
            |d| async move {
                unit(
                    d.balancer_attach_members(&balancer("web"), Vec::new())
                        .await,
                )
            },
        ),
        driver(
            "detach an empty member list",
            "instance_ids",
            |d| async move { unit(d.balancer_detach_members(&balancer("web"), &[]).await) },
        ),
        driver(
            "attach a member with no id",
            "members[0].id",
            |d| async move {
                unit(
                    d.balancer_attach_member(&balancer("web"), Member::default().port(80))
                        .await,
                )
            },
        ),
        driver(
            "attach an id with spaces",
            "members[0].id",
            |d| async move {
                unit(
                    d.balancer_attach_member(&balancer("web"), Member::instance(" i-1"))
                        .await,
                )
            },
        ),
        driver(
            "attach the same instance twice",
            "members[1]",
            |d| async move {
                unit(
                    d.balancer_attach_members(
                        &balancer("web"),
                        vec![Member::instance("i-1"), Member::instance("i-1")],
                    )
                    .await,
                )
            },
        ),
        driver(
            "detach a control character",
            "members[0].id",
            |d| async move {
                unit(
                    d.balancer_detach_member(&balancer("web"), &Member::instance("i-\u{7}"))
                        .await,
                )
            },
        ),
        create(
            "create with the same member twice",
            "members[1]",
            good().member(Member::instance("i-0aaa")),
        ),
        // --- what ELB cannot do at all: Unsupported, naming the field
        unsupported(create(
            "create with a member weight (ELB has no weights)",
            "members[1].weight",
            good().member(Member::instance("i-0bbb").weight(3)),
        )),
        unsupported(driver(
            "attach a member with a weight",
            "members[0].weight",
            |d| async move {
                unit(
                    d.balancer_attach_member(&balancer("web"), Member::instance("i-1").weight(1))
                        .await,
                )
            },
        )),
        unsupported(create(
            "create with a draining member (ELB has no member conditions)",
            "members[1].condition",
            good().member(Member::instance("i-0bbb").condition(MemberCondition::Draining)),
        )),
        unsupported(create(
            "create with a member named by address",
            "members[1].ip",
            good().member(Member::address("10.0.0.5", 8080)),
        )),
        unsupported(create(
            "create with an instance member on its own port",
            "members[1].port",
            good().member(Member::instance("i-0bbb").port(8081)),
        )),
        unsupported(driver(
            "change a member's weight",
            "update",
            |d| async move {
                unit(
                    d.balancer_update_member(
                        &balancer("web"),
                        &Member::instance("i-1"),
                        UpdateMember::new().weight(2),
                    )
                    .await,
                )
            },
        )),
        unsupported(create(
            "choose round robin (ELB picks the algorithm itself)",
            "algorithm",
            good().algorithm(Algorithm::RoundRobin),
        )),
        unsupported(update(
            "change the algorithm",
            "algorithm",
            UpdateBalancer::new().algorithm(Algorithm::LeastConnections),
        )),
        unsupported(update(
            "rename a balancer",
            "name",
            UpdateBalancer::new().name("other"),
        )),
        update(
            "an update that changes nothing",
            "update",
            UpdateBalancer::new(),
        ),
        core(
            "session token without key and secret",
            "session_token",
            || {
                unit(
                    ElbDriver::builder()
                        .env(lbcloud_elb::Env::empty())
                        .region("us-east-1")
                        .session_token("FwoGZXIvYXdzEXAMPLE")
                        .build(),
                )
            },
        ),
        // --- other create rules
        create(
            "no listener",
            "listeners",
            good_but(|r| r.listeners.clear()),
        ),
        create(
            "no zone and no subnet",
            "zones",
            good_but(|r| r.zones.clear()),
        ),
        create("empty zone name", "zones[0]", good().zones([""])),
        create(
            "duplicate zone",
            "zones[1]",
            good().zones(["us-east-1a", "us-east-1a"]),
        ),
        create("empty subnet", "subnets[0]", good().subnets([" "])),
        create(
            "empty security group",
            "security_groups[0]",
            good().security_groups([""]),
        ),
        create("empty tag key", "tags.key", good().tag("", "v")),
        unsupported(create(
            "algorithm ELB cannot use",
            "algorithm",
            good().algorithm(Algorithm::Random),
        )),
        // --- ELB-only ex_ methods
        driver(
            "ex: listeners on a bad name",
            "load_balancer_name",
            |d| async move {
                d.ex_create_balancer_listeners("web_1", &[Listener::new(81, Protocol::Http, 81)])
                    .await
            },
        ),
        driver("ex: no listener to add", "listeners", |d| async move {
            d.ex_create_balancer_listeners("web", &[]).await
        }),
        driver(
            "ex: UDP listener",
            "listeners[0].protocol",
            |d| async move {
                d.ex_create_balancer_listeners("web", &[Listener::new(53, Protocol::Udp, 53)])
                    .await
            },
        ),
        driver(
            "ex: HTTPS listener without certificate",
            "listeners[0].certificate_id",
            |d| async move {
                d.ex_create_balancer_listeners("web", &[Listener::new(443, Protocol::Https, 80)])
                    .await
            },
        ),
        driver(
            "ex: two new listeners on one port",
            "listeners[1].port",
            |d| async move {
                let l = Listener::new(81, Protocol::Tcp, 81);
                d.ex_create_balancer_listeners("web", &[l.clone(), l]).await
            },
        ),
        driver(
            "ex: delete no listener port",
            "load_balancer_ports",
            |d| async move { d.ex_delete_balancer_listeners("web", &[]).await },
        ),
        driver(
            "ex: delete listener port 0",
            "load_balancer_ports[0]",
            |d| async move { d.ex_delete_balancer_listeners("web", &[0]).await },
        ),
        driver(
            "ex: delete a port twice",
            "load_balancer_ports[1]",
            |d| async move { d.ex_delete_balancer_listeners("web", &[80, 80]).await },
        ),
        driver(
            "ex: certificate on port 0",
            "load_balancer_port",
            |d| async move {
                d.ex_set_balancer_listener_ssl_certificate("web", 0, "arn:c")
                    .await
            },
        ),
        driver(
            "ex: empty certificate id",
            "ssl_certificate_id",
            |d| async move {
                d.ex_set_balancer_listener_ssl_certificate("web", 443, "")
                    .await
            },
        ),
        driver("ex: enable no zone", "zones", |d| async move {
            unit(d.ex_enable_availability_zones::<&str>("web", &[]).await)
        }),
        driver("ex: attach an empty subnet", "subnets[0]", |d| async move {
            unit(d.ex_attach_balancer_to_subnets("web", &[""]).await)
        }),
        driver(
            "ex: the same security group twice",
            "security_groups[1]",
            |d| async move { unit(d.ex_apply_security_groups("web", &["sg-1", "sg-1"]).await) },
        ),
        driver(
            "ex: attributes of a 33-character name",
            "load_balancer_name",
            |d| async move { unit(d.ex_describe_balancer_attributes(&"b".repeat(33)).await) },
        ),
        driver(
            "ex: instance health with an empty id",
            "instance_ids[0]",
            |d| async move { unit(d.ex_describe_instance_health("web", &[""]).await) },
        ),
        // --- updates
        update(
            "update to a bad name",
            "name",
            UpdateBalancer::new().name("bad_name"),
        ),
    ]
}

#[tokio::test]
async fn every_bad_input_is_rejected_before_any_request() {
    // No reply is scripted: any request would be answered 599 and show up
    // in the request count.
    let server = TestServer::start([]).await;
    let elb = Arc::new(
        ElbDriver::builder()
            .key("AKIDEXAMPLE")
            .secret("bad-input-secret")
            .region("us-east-1")
            .endpoint(server.url())
            .retry(RetryConfig::none())
            .request_timeout(Duration::from_secs(2))
            .build()
            .unwrap(),
    );
    let table = cases();
    assert!(table.len() >= 50, "only {} bad inputs", table.len());
    let mut failures = Vec::new();
    for case in &table {
        let before = server.request_count();
        let outcome = tokio::time::timeout(Duration::from_secs(5), (case.op)(elb.clone())).await;
        let sent = server.request_count() - before;
        match outcome {
            Err(_) => failures.push(format!("{}: hung", case.what)),
            Ok(Ok(())) => failures.push(format!("{}: accepted", case.what)),
            Ok(Err(e)) => {
                if e.kind() != case.kind || e.field() != Some(case.field) {
                    failures.push(format!(
                        "{}: expected {:?} on `{}`, got {:?} on {:?} ({e})",
                        case.what,
                        case.kind,
                        case.field,
                        e.kind(),
                        e.field()
                    ));
                }
            }
        }
        if sent != 0 {
            failures.push(format!("{}: sent {sent} request(s)", case.what));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
    assert_eq!(server.request_count(), 0);
    println!("{} bad inputs rejected, 0 requests sent", table.len());
}
