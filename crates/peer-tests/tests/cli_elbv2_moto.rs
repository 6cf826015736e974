//! The `lbcloud elbv2 ...` commands against ELBv2 on a local moto server:
//! target groups and their targets, listener rules forwarding a path to a
//! target group, and a listener's certificates, each checked in JSON
//! (round-tripped through the driver's types) and as a table.
//!
//! `./scripts/test.sh` starts moto
//! and exports LBCLOUD_MOTO_ENDPOINT. Without it every test here fails.
//! The VPC and subnets come from the root crate's ELBv2 moto set-up.

use lbcloud_peer_tests::elbv2_moto as net;
use lbcloud_peer_tests::moto;
#[path = "../../cli/tests/support/mod.rs"]
mod support;

use lbcloud::Balancer;
use lbcloud::elbv2::model::{Certificate, Rule, TargetGroup, TargetHealthDescription};
use serde::Deserialize;
use support::{Lbcloud, table_lines};

const CERT: &str = "arn:aws:iam::123456789012:server-certificate/lbcloud-cli";
const EXTRA: &str = "arn:aws:iam::123456789012:server-certificate/lbcloud-cli-extra";

/// What a delete prints in JSON.
#[derive(Debug, Deserialize, serde::Serialize)]
struct Deleted {
    kind: String,
    arn: String,
    deleted: bool,
}

/// `lbcloud --provider elbv2` on moto, failing fast.
fn elbv2() -> Lbcloud {
    let mut lb = Lbcloud::elbv2(&moto::endpoint());
    lb.global
        .extend(["-o".to_owned(), "max_attempts=2".to_owned()]);
    lb
}

/// Creates a balancer in the network's subnets through the base `create`.
fn create(lb: &Lbcloud, net: &net::Network, name: &str, extra: &[&str]) -> Balancer {
    let mut args = vec!["create", name];
    args.extend_from_slice(extra);
    for s in &net.subnets {
        args.extend(["--subnet", s.as_str()]);
    }
    lb.json(&args)
}

/// Creates a target group in the network's VPC through the CLI.
fn create_group(lb: &Lbcloud, net: &net::Network, name: &str) -> TargetGroup {
    lb.json(&[
        "elbv2",
        "target-groups",
        "create",
        name,
        "--protocol",
        "http",
        "--port",
        "8080",
        "--vpc-id",
        &net.vpc_id,
        "--health-check",
        "HTTP:8080/health,interval=10s,timeout=4s,healthy=2,unhealthy=3",
    ])
}

/// `elbv2 rules create NAME --lb-port 80 --priority P --path ... --target-group G`.
fn rule_create<'a>(
    name: &'a str,
    priority: &'a str,
    paths: &[&'a str],
    group: &'a str,
) -> Vec<&'a str> {
    let mut args = vec![
        "elbv2",
        "rules",
        "create",
        name,
        "--lb-port",
        "80",
        "--priority",
        priority,
    ];
    for p in paths {
        args.extend(["--path", p]);
    }
    args.extend(["--target-group", group]);
    args
}

fn ids(list: &[TargetHealthDescription]) -> Vec<(String, Option<u16>)> {
    let mut ids: Vec<_> = list
        .iter()
        .map(|t| (t.target.id.clone(), t.target.port))
        .collect();
    ids.sort();
    ids
}

#[tokio::test(flavor = "current_thread")]
async fn target_groups_and_their_targets_are_created_listed_and_deleted() {
    let lb = elbv2();
    let net = net::network().await;
    let instances = moto::run_instances(2).await;
    let name = moto::unique_name("cli-tg");

    let group = create_group(&lb, &net, &name);
    assert_eq!(group.name, name);
    assert_eq!(group.port, Some(8080));
    assert_eq!(group.vpc_id.as_deref(), Some(net.vpc_id.as_str()));
    assert_eq!(group.health_check.path.as_deref(), Some("/health"));
    assert_eq!(group.health_check.interval_seconds, Some(10));
    assert_eq!(group.health_check.unhealthy_threshold, Some(3));

    let all: Vec<TargetGroup> = lb.json(&["elbv2", "target-groups", "list"]);
    assert!(all.iter().any(|g| g.arn == group.arn), "{all:?}");
    let text = lb.ok(&["elbv2", "target-groups", "list"]);
    let lines = table_lines(&text);
    assert!(
        lines[0].starts_with("NAME") && lines[0].contains("VPC"),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&name) && l.contains("HTTP") && l.contains("8080")),
        "{text}"
    );

    let second = format!("{}:8081", instances[1]);
    let registered: Vec<TargetHealthDescription> = lb.json(&[
        "elbv2",
        "targets",
        "register",
        &name,
        &instances[0],
        &second,
    ]);
    let mut want = vec![
        (instances[0].clone(), Some(8080)),
        (instances[1].clone(), Some(8081)),
    ];
    want.sort();
    assert_eq!(ids(&registered), want, "{registered:?}");
    // By ARN as well as by name.
    let listed: Vec<TargetHealthDescription> = lb.json(&["elbv2", "targets", "list", &group.arn]);
    assert_eq!(ids(&listed), want);
    let text = lb.ok(&["elbv2", "targets", "list", &name]);
    assert!(table_lines(&text)[0].starts_with("TARGET"), "{text}");
    assert!(
        text.contains(&instances[1]) && text.contains("8081"),
        "{text}"
    );

    let left: Vec<TargetHealthDescription> =
        lb.json(&["elbv2", "targets", "deregister", &name, &second]);
    assert_eq!(ids(&left), vec![(instances[0].clone(), Some(8080))]);

    let deleted: Deleted = lb.json(&["elbv2", "target-groups", "delete", &name]);
    assert_eq!(
        (deleted.kind.as_str(), deleted.arn.as_str(), deleted.deleted),
        ("target_group", group.arn.as_str(), true)
    );
    let all: Vec<TargetGroup> = lb.json(&["elbv2", "target-groups", "list"]);
    assert!(all.iter().all(|g| g.arn != group.arn), "{all:?}");
    let line = lb.fails(&["elbv2", "target-groups", "delete", &name], 3);
    assert!(line.contains("`target_group`"), "{line}");
    lb.fails(&["elbv2", "targets", "list", &name], 3);
}

#[tokio::test(flavor = "current_thread")]
async fn a_rule_forwards_a_path_to_a_target_group() {
    let lb = elbv2();
    let net = net::network().await;
    let name = moto::unique_name("cli-rules");
    let green = moto::unique_name("cli-green");
    let b = create(&lb, &net, &name, &["--port", "80", "--protocol", "http"]);
    let group = create_group(&lb, &net, &green);

    let groups: Vec<TargetGroup> =
        lb.json(&["elbv2", "target-groups", "list", "--balancer", &name]);
    assert!(
        groups.iter().any(|g| g.load_balancer_arns.contains(&b.id)),
        "the balancer's own group: {groups:?}"
    );
    assert!(groups.iter().all(|g| g.arn != group.arn), "{groups:?}");

    let rule: Rule = lb.json(&rule_create(&name, "10", &["/api/*", "/v2/*"], &green));
    assert_eq!(rule.priority, "10");
    let forward = rule
        .actions
        .first()
        .and_then(|a| a.target_group_arn.clone());
    assert_eq!(forward.as_deref(), Some(group.arn.as_str()), "{rule:?}");
    let paths = rule
        .conditions
        .first()
        .and_then(|c| c.path_pattern.clone())
        .map(|p| p.values);
    assert_eq!(
        paths,
        Some(vec!["/api/*".to_owned(), "/v2/*".to_owned()]),
        "{rule:?}"
    );

    let rules: Vec<Rule> = lb.json(&["elbv2", "rules", "list", &name, "--lb-port", "80"]);
    assert_eq!(rules.len(), 2, "the rule and the default: {rules:?}");
    assert_eq!(
        rules.iter().map(|r| r.is_default).collect::<Vec<_>>(),
        [false, true]
    );
    let text = lb.ok(&["elbv2", "rules", "list", &name, "--lb-port", "80"]);
    let lines = table_lines(&text);
    assert!(lines[0].starts_with("PRIORITY"), "{text}");
    assert!(
        lines[1].starts_with("10")
            && lines[1].contains("path-pattern=/api/*,/v2/*")
            && lines[1].contains(&format!("forward:{green}")),
        "{text}"
    );
    assert!(lines[2].contains("(default)"), "{text}");

    let line = lb.fails(&["elbv2", "rules", "list", &name, "--lb-port", "81"], 3);
    assert!(
        line.contains("`lb_port`") && line.contains("port 81"),
        "{line}"
    );
    let line = lb.fails(&rule_create(&name, "11", &["/x"], "no-such-group"), 3);
    assert!(line.contains("`target_group`"), "{line}");

    // By balancer, port and priority, as the table shows them.
    let second: Rule = lb.json(&rule_create(&name, "20", &["/old/*"], &green));
    let del = [
        "elbv2",
        "rules",
        "delete",
        &name,
        "--lb-port",
        "80",
        "--priority",
        "20",
    ];
    let deleted: Deleted = lb.json(&del);
    assert_eq!(
        (deleted.kind.as_str(), deleted.arn.as_str(), deleted.deleted),
        ("rule", second.arn.as_str(), true)
    );
    let line = lb.fails(&del, 3);
    assert!(line.contains("`priority`"), "{line}");
    // By ARN, as JSON gives it.
    let deleted: Deleted = lb.json(&["elbv2", "rules", "delete", &rule.arn]);
    assert_eq!(
        (deleted.kind.as_str(), deleted.arn.as_str()),
        ("rule", rule.arn.as_str())
    );
    let rules: Vec<Rule> = lb.json(&["elbv2", "rules", "list", &name, "--lb-port", "80"]);
    assert!(rules.iter().all(|r| r.is_default), "{rules:?}");

    lb.ok(&["elbv2", "target-groups", "delete", &green]);
    lb.ok(&["destroy", &name, "--yes"]);
    lb.fails(&["elbv2", "rules", "list", &name, "--lb-port", "80"], 3);
}

#[tokio::test(flavor = "current_thread")]
async fn listener_certificates_are_added_listed_and_removed() {
    let lb = elbv2();
    let net = net::network().await;
    let name = moto::unique_name("cli-certs");
    create(&lb, &net, &name, &support::https_443(CERT));
    let arns = |list: &[Certificate]| {
        let mut a: Vec<String> = list.iter().map(|c| c.arn.clone()).collect();
        a.sort();
        a
    };
    let args = |verb: &'static str| {
        [
            "elbv2",
            "listener-certificates",
            verb,
            &name,
            "--lb-port",
            "443",
        ]
    };

    let first: Vec<Certificate> = lb.json(&args("list"));
    assert_eq!(arns(&first), [CERT], "{first:?}");

    let mut add = args("add").to_vec();
    add.push(EXTRA);
    let both: Vec<Certificate> = lb.json(&add);
    assert_eq!(arns(&both), [CERT, EXTRA], "{both:?}");
    let text = lb.ok(&args("list"));
    let lines = table_lines(&text);
    assert!(lines[0].starts_with("CERTIFICATE"), "{text}");
    assert!(lines.iter().any(|l| l.starts_with(EXTRA)), "{text}");

    let mut remove = args("remove").to_vec();
    remove.push(EXTRA);
    let left: Vec<Certificate> = lb.json(&remove);
    assert_eq!(arns(&left), [CERT], "{left:?}");

    let line = lb.fails(
        &[
            "elbv2",
            "listener-certificates",
            "list",
            &name,
            "--lb-port",
            "80",
        ],
        3,
    );
    assert!(line.contains("`lb_port`"), "{line}");
    lb.ok(&["destroy", &name, "--yes"]);
    lb.fails(&args("list"), 3);
}
