//! Every command of the built `lbcloud` binary against the mock, with a
//! state file shared by successive processes: JSON output parses and
//! round-trips into lbcloud's types, tables fit 100 columns, and each
//! failure exits with its documented code and one line naming the field.

mod support;

use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use lbcloud::{
    Algorithm, Balancer, Capabilities, HealthCheck, HealthState, Member, MemberCondition,
    MemberHealth, MemberKind, Protocol,
};
use support::{Lbcloud, round_trip, table_lines};

/// Creates the tutorial's balancer and returns it.
fn create_web(lb: &Lbcloud) -> Balancer {
    lb.json(&[
        "create",
        "web",
        "--port",
        "80",
        "--protocol",
        "http",
        "--instance-port",
        "8080",
        "--member",
        "i-1",
        "--member",
        "10.0.0.5:8080,weight=3",
        "--health-check",
        "HTTP:8080/health,interval=20,timeout=5,healthy=3,unhealthy=5",
    ])
}

#[test]
fn the_whole_flow_runs_across_processes_sharing_the_state_file() {
    let lb = Lbcloud::mock();
    let web = create_web(&lb);
    assert_eq!((web.name.as_str(), web.port), ("web", Some(80)));
    let hc = web
        .health_check
        .clone()
        .unwrap_or_else(|| panic!("no health check: {web:?}"));
    assert_eq!(hc.interval, Duration::from_secs(20));

    // Another process sees it, by id and by name.
    let listed: Vec<Balancer> = lb.json(&["list"]);
    assert_eq!(listed, vec![web.clone()]);
    assert_eq!(lb.json::<Balancer>(&["get", &web.id]), web);
    assert_eq!(lb.json::<Balancer>(&["get", "web"]), web);

    let members: Vec<Member> = lb.json(&["members", "web"]);
    assert_eq!(members.len(), 2);
    assert!(
        members
            .iter()
            .any(|m| m.kind == MemberKind::Address && m.weight == Some(3))
    );

    let attached: Vec<Member> = lb.json(&["attach", "web", "i-2", "name=web3,10.0.0.7:8080"]);
    assert_eq!(attached.len(), 2);
    assert!(attached.iter().any(|m| m.id == "web3"));
    assert_eq!(lb.json::<Vec<Member>>(&["members", "web"]).len(), 4);

    let updated: Member = lb.json(&[
        "update-member",
        "web",
        "10.0.0.5:8080",
        "--weight",
        "7",
        "--condition",
        "draining",
    ]);
    assert_eq!(
        (updated.weight, updated.condition),
        (Some(7), MemberCondition::Draining)
    );

    let health: Vec<MemberHealth> = lb.json(&["member-health", "web"]);
    assert_eq!(health.len(), 4);
    assert!(
        health.iter().any(|h| h.state == HealthState::Draining),
        "{health:?}"
    );

    let detached: Vec<Member> = lb.json(&["detach", "web", "i-2", "web3"]);
    assert_eq!(detached.len(), 2);
    let left: Vec<Member> = lb.json(&["members", "web"]);
    assert_eq!(left.len(), 2, "{left:?}");

    let set: Option<HealthCheck> = lb.json(&[
        "health-check",
        "set",
        "web",
        "TCP:8080,interval=10,timeout=3",
    ]);
    assert_eq!(set.as_ref().map(|h| h.protocol), Some(Protocol::Tcp));
    assert_eq!(
        lb.json::<Option<HealthCheck>>(&["health-check", "get", "web"]),
        set
    );

    let renamed: Balancer = lb.json(&[
        "update",
        "web",
        "--name",
        "web2",
        "--algorithm",
        "least_connections",
    ]);
    assert_eq!(
        (renamed.name.as_str(), renamed.algorithm),
        ("web2", Some(Algorithm::LeastConnections))
    );

    let destroyed: Balancer = lb.json(&["destroy", "web2", "--yes"]);
    assert_eq!(destroyed.id, web.id);
    assert!(lb.json::<Vec<Balancer>>(&["list"]).is_empty());
    lb.fails(&["get", &web.id], 3);
}

#[test]
fn member_health_waits_for_members_in_service_within_the_timeout() {
    let lb = Lbcloud::mock();
    create_web(&lb);
    support::wait_in_service(&lb, "web", "5");

    lb.ok(&["update-member", "web", "i-1", "--condition", "disabled"]);
    let start = Instant::now();
    let line = lb.fails(
        &[
            "member-health",
            "web",
            "--wait-in-service",
            "--timeout",
            "1",
        ],
        1,
    );
    assert!(line.contains("timed out") && line.contains("i-1"), "{line}");
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "the wait is not bounded"
    );
}

#[test]
fn info_commands_print_core_types() {
    let lb = Lbcloud::mock();
    let protocols: Vec<Protocol> = lb.json(&["protocols"]);
    assert!(protocols.contains(&Protocol::Http));
    let algorithms: Vec<Algorithm> = lb.json(&["algorithms"]);
    assert!(algorithms.contains(&Algorithm::RoundRobin));
    let caps: Capabilities = lb.json(&["capabilities"]);
    assert!(caps.member_weight && caps.health_check);
    let providers: serde_json::Value =
        serde_json::from_str(&lb.ok(&["providers", "--output", "json"])).unwrap_or_default();
    let names: Vec<&str> = providers
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        names.contains(&"mock") && names.contains(&"elb"),
        "{providers}"
    );
    let text = lb.ok(&["capabilities"]);
    assert!(
        text.lines()
            .any(|l| l.starts_with("member_weight") && l.ends_with("yes")),
        "{text}"
    );
}

#[test]
fn tables_are_aligned_and_fit_100_columns() {
    let lb = Lbcloud::mock();
    let long = "a".repeat(32);
    lb.ok(&[
        "create",
        &long,
        "--port",
        "443",
        "--protocol",
        "https",
        "--cert",
        "arn:aws:iam::123456789012:server-certificate/a-very-long-certificate-name-for-the-test",
        "--listener",
        "http:80->http:8080",
        "--listener",
        "tcp:8443->tcp:8443",
        "--listener",
        "tcp:9443->tcp:9443",
        "--member",
        "i-0123456789abcdef0",
    ]);
    create_web(&lb);
    let list = lb.ok(&["list"]);
    let lines = table_lines(&list);
    assert_eq!(lines.len(), 3, "{list}");
    assert!(lines[0].starts_with("ID "), "{list}");
    let col = |l: &str, word: &str| l.find(word).map(|i| l[..i].chars().count());
    assert_eq!(col(lines[0], "STATE"), col(lines[1], "running"));
    assert_eq!(col(lines[1], "running"), col(lines[2], "running"), "{list}");
    for args in [
        &["get", "web"][..],
        &["get", long.as_str()],
        &["members", "web"],
        &["member-health", "web"],
        &["health-check", "get", "web"],
        &["capabilities"],
        &["providers"],
        &["protocols"],
    ] {
        table_lines(&lb.ok(args));
    }
}

#[test]
fn list_prints_each_page_as_it_arrives() {
    let lb = Lbcloud::mock();
    for name in ["a", "b", "c"] {
        lb.ok(&["create", name, "--port", "80", "--protocol", "tcp"]);
    }
    let mut child = lb
        .command(&["list", "-o", "page_size=1", "-o", "latency_ms=1000"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut lines = BufReader::new(stdout).lines();
    let header = lines.next().and_then(|l| l.ok()).unwrap_or_default();
    let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
    assert!(
        header.starts_with("ID") && first.starts_with("lb-000001"),
        "{header}\n{first}"
    );
    // Two more pages, a second each, are still to come.
    let running = child.try_wait().map(|s| s.is_none()).unwrap_or(false);
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert!(running, "the first page was printed only at the end");
    assert!(status.success());
    assert_eq!(rest.len(), 2, "{rest:?}");
}

#[test]
fn options_come_from_lbcloud_options_too() {
    let lb = Lbcloud::mock();
    create_web(&lb);
    let state = lb.state.clone().unwrap_or_default();
    let via_env = Lbcloud {
        global: Vec::new(),
        env: vec![(
            "LBCLOUD_OPTIONS".into(),
            format!("state_file={},page_size=1", state.display()),
        )],
        state: None,
    };
    let listed: Vec<Balancer> = via_env.json(&["list"]);
    assert_eq!(listed.len(), 1);
    // -o wins over the environment.
    via_env.invalid(&["list", "-o", "page_size=zero"], "options.page_size");
}

#[test]
fn bad_input_exits_2_naming_the_field_and_changes_nothing() {
    let lb = Lbcloud::mock();
    create_web(&lb);
    let state = lb.state.clone().unwrap_or_default();
    let before = std::fs::read(&state).unwrap_or_default();
    let cases: &[(&[&str], &str)] = &[
        (&["attach", "web", "10.0.0.9"], "member.port"),
        (&["attach", "web", "i-3,weight=heavy"], "member.weight"),
        (&["attach", "web", "i-3,weight=1000"], "members[0].weight"),
        (
            &["create", "api", "--port", "80", "--protocol", "gopher"],
            "protocol",
        ),
        (
            &["create", "api_1", "--port", "80", "--protocol", "http"],
            "name",
        ),
        (
            &["create", "api", "--port", "443", "--protocol", "https"],
            "listeners[0].certificate_id",
        ),
        (
            &[
                "create",
                "api",
                "--port",
                "80",
                "--protocol",
                "http",
                "--listener",
                "http:80->http:x",
            ],
            "listener.instance.port",
        ),
        (
            &["health-check", "set", "web", "HTTP:80/,interval=soon"],
            "health_check.interval",
        ),
        (
            &["health-check", "set", "web", "HTTP:80/,interval=500ms"],
            "health_check.interval",
        ),
        (
            &["health-check", "set", "web", "HTTP:8080"],
            "health_check.target",
        ),
        (&["update", "web"], "update"),
        (&["update", "web", "--protocol", "smtp"], "protocol"),
        (&["update-member", "web", "i-1"], "update"),
        (
            &["update-member", "web", "i-1", "--condition", "asleep"],
            "condition",
        ),
        (&["destroy", "web"], "yes"),
        (&["list", "-o", "secret=hunter2"], "option"),
        (&["list", "-o", "bogus=1"], "options.bogus"),
        (&["list", "--provider", "carrier-pigeon"], "provider"),
        (&["get", " web"], "balancer"),
    ];
    for (args, field) in cases {
        let line = lb.invalid(args, field);
        assert!(!line.contains("hunter2"), "a secret was echoed: {line}");
        assert_eq!(
            std::fs::read(&state).unwrap_or_default(),
            before,
            "{args:?} changed the state"
        );
    }
    // Usage errors (clap's) exit 2 as well.
    let r = lb.run(&["attach", "web"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = lb.run(&["create", "api", "--port", "99999", "--protocol", "http"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn a_missing_balancer_or_member_exits_3() {
    let lb = Lbcloud::mock();
    create_web(&lb);
    for args in [
        &["get", "nope"][..],
        &["members", "lb-999999"],
        &["destroy", "nope", "--yes"],
        &["health-check", "get", "nope"],
        &["detach", "web", "i-404"],
        &["update-member", "web", "10.9.9.9:80", "--weight", "1"],
    ] {
        let line = lb.fails(args, 3);
        assert!(line.contains("not found"), "{line}");
    }
}

#[test]
fn an_existing_balancer_exits_4() {
    let lb = Lbcloud::mock();
    create_web(&lb);
    let line = lb.fails(&["create", "web", "--port", "81", "--protocol", "tcp"], 4);
    assert!(
        line.contains("already exists") && line.contains("provider mock"),
        "{line}"
    );
}

#[test]
fn another_providers_command_exits_5() {
    let lb = Lbcloud::mock();
    create_web(&lb);
    let line = lb.fails(&["elb", "describe-lbs"], 5);
    assert!(
        line.contains("unsupported") && line.contains("chose mock"),
        "{line}"
    );
    lb.fails(
        &[
            "elb",
            "set-lb-listener-ssl-cert",
            "web",
            "--lb-port",
            "443",
            "--cert-id",
            "arn:x",
        ],
        5,
    );
    #[cfg(feature = "elbv2")]
    for args in [
        &["elbv2", "target-groups", "list"][..],
        &["elbv2", "rules", "list", "web", "--lb-port", "80"],
    ] {
        let line = lb.fails(args, 5);
        assert!(line.contains("`elbv2` commands"), "{line}");
    }
    #[cfg(feature = "haproxy")]
    for args in [
        &["haproxy", "drain", "web", "10.0.0.1:80"][..],
        &["haproxy", "set-algorithm", "web", "source"],
        &["haproxy", "show-stat", "web"],
    ] {
        let line = lb.fails(args, 5);
        assert!(line.contains("`haproxy` commands"), "{line}");
    }
}

/// Port 9 on loopback: any request sent would fail as a transport error
/// (exit 1), so exit 2 proves the ELBv2 commands sent none.
#[cfg(feature = "elbv2")]
#[test]
fn the_elbv2_commands_reject_bad_input_before_any_request() {
    let lb = Lbcloud::elbv2("http://127.0.0.1:9");
    let create = |name: &'static str, protocol: &'static str, more: &[&'static str]| {
        let mut a = vec![
            "elbv2",
            "target-groups",
            "create",
            name,
            "--protocol",
            protocol,
            "--port",
            "80",
            "--vpc-id",
            "vpc-1",
        ];
        a.extend_from_slice(more);
        a
    };
    lb.invalid(&create("web", "sctp", &[]), "protocol");
    lb.invalid(&create("web_1", "http", &[]), "name");
    lb.invalid(
        &create("web", "http", &["--target-type", "pod"]),
        "target_type",
    );
    lb.invalid(
        &create("web", "http", &["--health-check", "HTTP:80/,interval=soon"]),
        "health_check.interval",
    );
    lb.invalid(
        &["elbv2", "targets", "register", "tg", "i-1:99999"],
        "target",
    );
    lb.invalid(&["elbv2", "target-groups", "delete", ""], "target_group");
    lb.invalid(
        &[
            "elbv2",
            "rules",
            "create",
            "web",
            "--lb-port",
            "80",
            "--priority",
            "1",
            "--path",
            "",
            "--target-group",
            "tg",
        ],
        "path[0]",
    );
    lb.invalid(
        &[
            "elbv2",
            "listener-certificates",
            "add",
            "web",
            "--lb-port",
            "443",
            "arn:a\tb",
        ],
        "certificate[0]",
    );
    lb.invalid(&["elbv2", "rules", "delete", "web"], "rule");
    // The aliases reach the same driver: its own name rule answers.
    for alias in ["alb", "nlb"] {
        Lbcloud::aws(alias, "http://127.0.0.1:9").invalid(&create("web_1", "http", &[]), "name");
    }
    let r = lb.run(&["elbv2", "target-groups", "list"]);
    assert_eq!(r.code, 1, "the unreachable endpoint: {}", r.stderr);
}

/// HAProxy sockets that do not exist: exit 2 proves nothing was asked of them.
#[cfg(feature = "haproxy")]
#[test]
fn the_haproxy_commands_reject_bad_input_before_any_request() {
    let lb = Lbcloud {
        global: [
            "--provider",
            "haproxy",
            "-o",
            "config_file=/nonexistent/lbcloud.cfg",
            "-o",
            "master_socket=/nonexistent/master.sock",
        ]
        .map(str::to_owned)
        .to_vec(),
        env: Vec::new(),
        state: None,
    };
    lb.invalid(&["haproxy", "set-algorithm", "web", "fastest"], "algorithm");
    lb.invalid(&["haproxy", "drain", "web", "10.0.0.1:0"], "member.port");
    lb.invalid(&["haproxy", "drain", "web\nx", "10.0.0.1:80"], "balancer");
    // An owned file that does not exist yet holds no balancer.
    let line = lb.fails(&["haproxy", "show-stat", "web"], 3);
    assert!(line.contains("`balancer`"), "{line}");
}

#[test]
fn help_documents_exit_codes_and_completions_are_generated() {
    let lb = Lbcloud::mock();
    let help = lb.ok(&["--help"]);
    for needle in [
        "Exit codes:",
        "3  not found",
        "4  already exists",
        "MEMBER",
        "HEALTH_CHECK",
    ] {
        assert!(help.contains(needle), "--help lacks {needle:?}");
    }
    for shell in ["bash", "zsh", "fish"] {
        let script = lb.ok(&["completions", shell]);
        assert!(
            script.contains("member-health") && script.contains("describe-lbs"),
            "{shell}"
        );
    }
    let r = lb.run(&["completions", "tcsh"]);
    assert_eq!(r.code, 2);
}

#[test]
fn json_of_an_empty_listing_is_an_empty_array() {
    let lb = Lbcloud::mock();
    let text = lb.ok(&["list", "--output", "json"]);
    assert!(round_trip::<Vec<Balancer>>(&text, &["list"]).is_empty());
    let table = lb.ok(&["list"]);
    assert_eq!(table.lines().count(), 1, "{table}");
}

#[test]
fn the_elb_driver_rejects_bad_input_before_any_request() {
    // Port 9 on loopback: any request sent would fail as a transport
    // error (exit 1), so exit 2 proves none was sent.
    let lb = Lbcloud::elb("http://127.0.0.1:9");
    lb.invalid(
        &[
            "create",
            "web_1",
            "--port",
            "80",
            "--protocol",
            "http",
            "--zone",
            "us-east-1a",
        ],
        "name",
    );
    lb.invalid(
        &[
            "create",
            "web",
            "--port",
            "80",
            "--protocol",
            "udp",
            "--zone",
            "us-east-1a",
        ],
        "listeners[0].protocol",
    );
    lb.invalid(
        &["elb", "listeners", "create", "web", "https:443->http:80"],
        "listener.certificate_id",
    );
    lb.invalid(
        &[
            "elb",
            "policies",
            "create",
            "web",
            "p",
            "--type",
            "T",
            "--attribute",
            "novalue",
        ],
        "attribute",
    );
    let r = lb.run(&["list"]);
    assert_eq!(
        r.code, 1,
        "the unreachable endpoint should fail the listing: {}",
        r.stderr
    );
}

/// Runs `lbcloud ARGS` on a pseudo-terminal (util-linux `script`) with
/// `input` typed in; returns the exit code and what the terminal showed.
fn on_a_terminal(lb: &Lbcloud, args: &[&str], input: &str) -> (i32, String) {
    use std::io::Write;
    let mut line: Vec<String> = vec![support::BIN.to_owned()];
    line.extend(lb.global.iter().cloned());
    line.extend(args.iter().map(|a| (*a).to_owned()));
    let mut child = std::process::Command::new("script")
        .args(["-qec", &line.join(" "), "/dev/null"])
        .env_remove("LBCLOUD_PROVIDER")
        .env_remove("LBCLOUD_OPTIONS")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run script (util-linux) for a terminal: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn on_a_terminal_destroy_asks_and_the_wait_shows_progress() {
    let lb = Lbcloud::mock();
    create_web(&lb);
    let (code, screen) = on_a_terminal(&lb, &["destroy", "web"], "n\n");
    assert_eq!(code, 1, "{screen}");
    assert!(
        screen.contains("Destroy balancer web (lb-000001)? [y/N]"),
        "{screen}"
    );
    assert!(screen.contains("not confirmed"), "{screen}");
    assert_eq!(lb.json::<Vec<Balancer>>(&["list"]).len(), 1);

    lb.ok(&["update-member", "web", "i-1", "--condition", "disabled"]);
    let (code, screen) = on_a_terminal(
        &lb,
        &[
            "member-health",
            "web",
            "--wait-in-service",
            "--timeout",
            "3",
        ],
        "",
    );
    assert_eq!(code, 1, "{screen}");
    assert!(
        screen.contains("waiting for web: 1/2 members in service"),
        "{screen}"
    );

    let (code, screen) = on_a_terminal(&lb, &["destroy", "web"], "yes\n");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("destroyed web (lb-000001)"), "{screen}");
    assert!(lb.json::<Vec<Balancer>>(&["list"]).is_empty());
}
