//! The `lbcloud` binary against AWS classic ELB on a local moto server:
//! the EC2 article's two steps (`elb describe-lbs`, then
//! `elb set-lb-listener-ssl-cert NAME --lb-port 443 --cert-id ARN`), the
//! base commands, and the ELB policy and listener commands.
//!
//! `./scripts/test.sh` starts moto
//! and exports LBCLOUD_MOTO_ENDPOINT. Without it every test here fails.

use lbcloud_peer_tests::moto;
#[path = "../../cli/tests/support/mod.rs"]
mod support;

use lbcloud::elb::model::Policy;
use lbcloud::{Balancer, HealthCheck, Listener, Member, MemberHealth, Protocol};
use support::{Lbcloud, table_lines};

const OLD_CERT: &str = "arn:aws:iam::123456789012:server-certificate/self-signed";
const NEW_CERT: &str = "arn:aws:iam::123456789012:server-certificate/real";

/// `lbcloud --provider elb` on moto (see [`Lbcloud::elb`]), failing fast.
fn elb() -> Lbcloud {
    let mut lb = Lbcloud::elb(&moto::endpoint());
    lb.global
        .extend(["-o".to_owned(), "max_attempts=2".to_owned()]);
    lb
}

/// Creates an HTTPS balancer on 443 (HTTP to the instances on 80) with
/// the self-signed certificate, through the CLI.
fn create_https(lb: &Lbcloud, name: &str) -> Balancer {
    let mut args = vec!["create", name];
    args.extend(support::https_443(OLD_CERT));
    args.extend(["--zone", moto::ZONES[0]]);
    lb.json(&args)
}

#[test]
fn the_articles_steps_describe_lbs_then_set_the_listener_certificate() {
    let lb = elb();
    let prod = moto::unique_name("mysite-prod");
    let stage = moto::unique_name("mysite-stage");
    create_https(&lb, &prod);
    create_https(&lb, &stage);

    // Step 4: elb-describe-lbs.
    let text = lb.ok(&["elb", "describe-lbs"]);
    let rows: Vec<Vec<&str>> = table_lines(&text)
        .iter()
        .map(|l| l.split_whitespace().collect())
        .collect();
    for name in [&prod, &stage] {
        let row = rows
            .iter()
            .find(|r| r.get(1) == Some(&name.as_str()))
            .unwrap_or_else(|| panic!("{name} not in describe-lbs:\n{text}"));
        assert_eq!(row.len(), 3, "{row:?}");
        assert_eq!(row[0], "LOAD_BALANCER");
        // 2011-05-24T22:38:31.690Z
        let t = row[2];
        assert!(
            t.len() == 24
                && t.ends_with('Z')
                && t.as_bytes()[10] == b'T'
                && t.as_bytes()[19] == b'.',
            "{t}"
        );
    }
    let listed: Vec<Balancer> = lb.json(&["elb", "describe-lbs"]);
    assert!(listed.iter().any(|b| b.name == stage));

    // Step 7: elb-set-lb-listener-ssl-cert mysite-stage --lb-port 443 --cert-id arn:...
    let out = lb.ok(&[
        "elb",
        "set-lb-listener-ssl-cert",
        &stage,
        "--lb-port",
        "443",
        "--cert-id",
        NEW_CERT,
    ]);
    assert_eq!(out, "OK-Setting SSL Certificate\n");
    let now: Balancer = lb.json(&["get", &stage]);
    let cert = now.listener(443).and_then(|l| l.certificate_id.clone());
    assert_eq!(cert.as_deref(), Some(NEW_CERT));
    // The other balancer keeps its certificate.
    let other: Balancer = lb.json(&["get", &prod]);
    assert_eq!(
        other
            .listener(443)
            .and_then(|l| l.certificate_id.as_deref()),
        Some(OLD_CERT)
    );

    // The JSON form prints the listener as ELB now reports it.
    let back: Option<Listener> = lb.json(&[
        "elb",
        "set-lb-listener-ssl-cert",
        &stage,
        "--lb-port",
        "443",
        "--cert-id",
        OLD_CERT,
    ]);
    assert_eq!(
        back.and_then(|l| l.certificate_id).as_deref(),
        Some(OLD_CERT)
    );

    // A missing balancer is exit 3, though moto itself would accept the call.
    let line = lb.fails(
        &[
            "elb",
            "set-lb-listener-ssl-cert",
            "mysite-none",
            "--lb-port",
            "443",
            "--cert-id",
            NEW_CERT,
        ],
        3,
    );
    assert!(line.contains("mysite-none"), "{line}");
    for name in [&prod, &stage] {
        lb.ok(&["destroy", name, "--yes"]);
    }
}

/// `create NAME --port 80 --protocol http --zone ZONE`.
fn http_create(name: &str) -> Vec<&str> {
    vec![
        "create",
        name,
        "--port",
        "80",
        "--protocol",
        "http",
        "--zone",
        moto::ZONES[0],
    ]
}

#[tokio::test(flavor = "current_thread")]
async fn base_commands_run_against_elb() {
    let lb = elb();
    let ids = moto::run_instances(3).await;
    let name = moto::unique_name("cli-base");
    let plain = http_create(&name);
    let mut args = plain.clone();
    args.extend([
        "--member",
        &ids[0],
        "--health-check",
        "HTTP:80/health,interval=20,timeout=5,healthy=3,unhealthy=4",
    ]);
    let created: Balancer = lb.json(&args);
    assert_eq!(created.id, name);
    let listed: Vec<Balancer> = lb.json(&["list"]);
    assert!(listed.iter().any(|b| b.id == name));
    table_lines(&lb.ok(&["list"]));

    let attached: Vec<Member> = lb.json(&["attach", &name, &ids[1], &ids[2]]);
    assert_eq!(attached.len(), 2);
    let members: Vec<Member> = lb.json(&["members", &name]);
    assert_eq!(members.len(), 3, "{members:?}");
    let detached: Vec<Member> = lb.json(&["detach", &name, &ids[2]]);
    assert_eq!(detached.len(), 1);
    assert_eq!(lb.json::<Vec<Member>>(&["members", &name]).len(), 2);

    let health: Vec<MemberHealth> = lb.json(&["member-health", &name]);
    assert_eq!(health.len(), 2, "{health:?}");
    support::wait_in_service(&lb, &name, "20");

    let hc: Option<HealthCheck> = lb.json(&["health-check", "get", &name]);
    assert_eq!(
        hc.as_ref().and_then(HealthCheck::target).as_deref(),
        Some("HTTP:80/health")
    );
    let set: Option<HealthCheck> = lb.json(&[
        "health-check",
        "set",
        &name,
        "TCP:80,interval=30,timeout=10",
    ]);
    assert_eq!(set.map(|h| h.protocol), Some(Protocol::Tcp));

    // ELB's own rules, before any request: interval 5 to 300 s.
    lb.invalid(
        &["health-check", "set", &name, "TCP:80,interval=500ms"],
        "health_check.interval",
    );
    lb.fails(&plain, 4);
    lb.fails(&["get", "cli-none-such"], 3);
    // Classic ELB has no member weights.
    lb.fails(&["update-member", &name, &ids[0], "--weight", "3"], 5);

    lb.json::<Balancer>(&["destroy", &name, "--yes"]);
    lb.fails(&["get", &name], 3);
}

#[test]
fn policies_and_listeners_are_managed_through_the_elb_commands() {
    let lb = elb();
    let name = moto::unique_name("cli-pol");
    lb.ok(&[
        "create",
        &name,
        "--port",
        "80",
        "--protocol",
        "http",
        "--instance-port",
        "8080",
        "--zone",
        moto::ZONES[0],
    ]);

    let listeners: Vec<Listener> = lb.json(&[
        "elb",
        "listeners",
        "create",
        &name,
        &format!("https:443->http:8080,cert={OLD_CERT}"),
        "tcp:25->tcp:2525",
    ]);
    let mut ports: Vec<u16> = listeners.iter().map(|l| l.port).collect();
    ports.sort_unstable();
    assert_eq!(ports, [25, 80, 443]);
    let left: Vec<Listener> = lb.json(&["elb", "listeners", "delete", &name, "--lb-port", "25"]);
    assert!(left.iter().all(|l| l.port != 25), "{left:?}");
    table_lines(&lb.ok(&["elb", "listeners", "delete", &name, "--lb-port", "443"]));

    let created: Policy = lb.json(&[
        "elb",
        "policies",
        "create",
        &name,
        "proxy",
        "--type",
        "ProxyProtocolPolicyType",
        "--attribute",
        "ProxyProtocol=true",
    ]);
    assert_eq!(created.type_name, "ProxyProtocolPolicyType");
    let sticky: Policy = lb.json(&[
        "elb",
        "policies",
        "create",
        &name,
        "sticky",
        "--type",
        "LBCookieStickinessPolicyType",
        "--attribute",
        "CookieExpirationPeriod=60",
    ]);
    assert_eq!(sticky.name, "sticky");
    let listed: Vec<Policy> = lb.json(&["elb", "policies", "list", &name]);
    let names: Vec<&str> = listed.iter().map(|p| p.name.as_str()).collect();
    assert!(
        names.contains(&"proxy") && names.contains(&"sticky"),
        "{names:?}"
    );
    let table = lb.ok(&["elb", "policies", "list", &name]);
    assert!(table_lines(&table)[0].starts_with("POLICY"), "{table}");

    let out = lb.ok(&[
        "elb",
        "policies",
        "set",
        &name,
        "--backend-port",
        "8080",
        "proxy",
    ]);
    assert!(out.contains("instance port 8080"), "{out}");
    let out = lb.ok(&["elb", "policies", "set", &name, "--lb-port", "80", "sticky"]);
    assert!(out.contains("listener 80"), "{out}");
    let now: Balancer = lb.json(&["get", &name]);
    assert_eq!(
        now.listener(80).map(|l| l.policies.clone()),
        Some(vec!["sticky".to_owned()])
    );
    let cleared: serde_json::Value = serde_json::from_str(&lb.ok(&[
        "elb",
        "policies",
        "set",
        &name,
        "--lb-port",
        "80",
        "--output",
        "json",
    ]))
    .unwrap_or_default();
    assert_eq!(cleared["policies"], serde_json::json!([]), "{cleared}");
    lb.ok(&["elb", "policies", "set", &name, "--backend-port", "8080"]);

    let deleted: serde_json::Value = serde_json::from_str(&lb.ok(&[
        "elb", "policies", "delete", &name, "proxy", "--output", "json",
    ]))
    .unwrap_or_default();
    assert_eq!(deleted["deleted"], serde_json::json!(true), "{deleted}");
    let listed: Vec<Policy> = lb.json(&["elb", "policies", "list", &name]);
    assert!(listed.iter().all(|p| p.name != "proxy"), "{listed:?}");

    // Usage: exactly one of --lb-port and --backend-port.
    assert_eq!(lb.run(&["elb", "policies", "set", &name, "p"]).code, 2);
    assert_eq!(
        lb.run(&[
            "elb",
            "policies",
            "set",
            &name,
            "--lb-port",
            "80",
            "--backend-port",
            "80"
        ])
        .code,
        2
    );
    lb.fails(&["elb", "policies", "list", "cli-pol-none"], 3);
    lb.ok(&["destroy", &name, "--yes"]);
}

#[test]
fn verbose_tracing_goes_to_stderr_without_the_secret() {
    let lb = elb();
    let name = moto::unique_name("cli-trace");
    lb.ok(&http_create(&name));
    for (flag, needle) in [
        ("-v", "DescribeLoadBalancers"),
        ("-vv", "<DescribeLoadBalancersResult"),
    ] {
        let r = lb.run(&[flag, "get", &name]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains(&name), "{}", r.stdout);
        assert!(
            r.stderr.contains(needle),
            "{flag}: {needle} not traced:\n{}",
            r.stderr
        );
        assert!(
            !r.stderr.contains("cli-test-secret"),
            "{flag} traced the secret"
        );
    }
    let quiet = lb.run(&["-q", "get", &name]);
    assert_eq!((quiet.code, quiet.stderr.as_str()), (0, ""));
    lb.ok(&["destroy", &name, "--yes"]);
}
