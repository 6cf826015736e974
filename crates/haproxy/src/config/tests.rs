//! Unit tests of the owned-config model: rendering, and parsing back
//! exactly what was rendered and nothing else.

use super::*;
use lbcloud_core::ErrorKind;

fn sample() -> OwnedConfig {
    OwnedConfig {
        state_file: Some("/var/lib/lbcloud/lbcloud.cfg.state".into()),
        balancers: vec![
            BalancerConfig {
                name: "web".into(),
                mode: Mode::Http,
                binds: vec![
                    Bind {
                        addr: "127.0.0.1".parse().unwrap(),
                        port: 8080,
                        cert: None,
                        instance_port: 9000,
                    },
                    Bind {
                        addr: "::1".parse().unwrap(),
                        port: 8443,
                        cert: Some("/etc/ssl/web.pem".into()),
                        instance_port: 8443,
                    },
                ],
                balance: Balance::WeightedRoundRobin,
                check: Some(Check {
                    kind: CheckKind::Http {
                        path: "/health".into(),
                        expect: Some("200-299".into()),
                    },
                    port: Some(9000),
                    inter_ms: 300,
                    timeout_ms: 250,
                    rise: 1,
                    fall: 2,
                }),
                servers: vec![
                    Server {
                        name: "s1".into(),
                        addr: "127.0.0.1".parse().unwrap(),
                        port: 9001,
                        weight: 3,
                        state: AdminState::Ready,
                    },
                    Server {
                        name: "s2".into(),
                        addr: "127.0.0.1".parse().unwrap(),
                        port: 9002,
                        weight: 1,
                        state: AdminState::Drain,
                    },
                    Server {
                        name: "s_3".into(),
                        addr: "::1".parse().unwrap(),
                        port: 9003,
                        weight: 0,
                        state: AdminState::Maint,
                    },
                ],
                created: Some(1_764_576_000),
            },
            BalancerConfig {
                name: "db".into(),
                mode: Mode::Tcp,
                binds: vec![Bind {
                    addr: "0.0.0.0".parse().unwrap(),
                    port: 5432,
                    cert: None,
                    instance_port: 5432,
                }],
                balance: Balance::Source,
                check: Some(Check {
                    kind: CheckKind::Tcp,
                    port: None,
                    inter_ms: 700,
                    timeout_ms: 1000,
                    rise: 4,
                    fall: 5,
                }),
                servers: vec![],
                created: None,
            },
        ],
    }
}

#[test]
fn renders_haproxy_directives() {
    let text = sample().render();
    assert!(text.starts_with(FORMAT_LINE), "{text}");
    for line in [
        "frontend web\n",
        "    bind 127.0.0.1:8080\n",
        "    bind [::1]:8443 ssl crt /etc/ssl/web.pem\n",
        "    default_backend web\n",
        "backend web\n",
        "    balance roundrobin\n",
        "    option httpchk GET /health\n",
        "    http-check expect status 200-299\n",
        "    timeout check 250ms\n",
        "    server-state-file-name /var/lib/lbcloud/lbcloud.cfg.state\n",
        "    server s1 127.0.0.1:9001 weight 3 check inter 300ms rise 1 fall 2 port 9000\n",
        "    # lbcloud: drain s2\n",
        "    server s_3 [::1]:9003 weight 0 check inter 300ms rise 1 fall 2 port 9000 disabled\n",
        "    balance source\n    hash-type consistent\n",
        "    mode tcp\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}

#[test]
fn parse_reads_back_what_render_wrote() {
    let model = sample();
    let text = model.render();
    let parsed = OwnedConfig::parse(&text).unwrap();
    assert_eq!(parsed, model);
    assert_eq!(parsed.render(), text);
    let empty = OwnedConfig::default();
    assert_eq!(OwnedConfig::parse(&empty.render()).unwrap(), empty);
}

#[test]
fn every_algorithm_round_trips() {
    for balance in Balance::ALL {
        let mut model = sample();
        model.balancers[0].balance = balance;
        let parsed = OwnedConfig::parse(&model.render()).unwrap();
        assert_eq!(parsed.balancers[0].balance, balance);
    }
}

#[test]
fn parse_refuses_what_render_never_writes() {
    let good = sample().render();
    let cases = [
        (
            "no format line",
            good.replacen(FORMAT_LINE, "# something else", 1),
        ),
        (
            "extra directive",
            good.replace("    mode tcp\n", "    mode tcp\n    stats enable\n"),
        ),
        (
            "injected server option",
            good.replace("weight 3", "weight 3 backup"),
        ),
        (
            "injected bind option",
            good.replace("8080\n", "8080 accept-proxy\n"),
        ),
        ("bad name", good.replace("frontend db", "frontend d;b")),
        (
            "unknown mark",
            good.replace("# lbcloud: drain s2", "# lbcloud: boom s2"),
        ),
        ("duplicate server", good.replace("server s2", "server s1")),
        ("weight too high", good.replace("weight 3", "weight 300")),
        (
            "relative cert",
            good.replace("crt /etc/ssl/web.pem", "crt web.pem"),
        ),
        ("bad address", good.replace("127.0.0.1:9001", "host:9001")),
        ("port zero", good.replace("127.0.0.1:9001", "127.0.0.1:0")),
        ("backend first", good.replace("frontend db", "frontend zz")),
        ("bad status", good.replace("status 200-299", "status 2xx")),
    ];
    for (what, text) in cases {
        assert_ne!(text, good, "{what}: the case did not change the text");
        let err = OwnedConfig::parse(&text).expect_err(what);
        assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{what}");
        assert!(err.message().contains("line"), "{what}: {err}");
    }
}

#[test]
fn tcp_check_without_http_lines() {
    let text = sample().render();
    let parsed = OwnedConfig::parse(&text).unwrap();
    let db = parsed.balancer("db").unwrap();
    // No server carries the check options: the mark line alone keeps them.
    assert!(db.servers.is_empty());
    assert_eq!(db.check, sample().balancers[1].check);
    assert!(!text.contains("option httpchk GET /health\n    http-check expect status 200-299\n    load-server-state-from-file local\n    server-state-file-name /var/lib/lbcloud/lbcloud.cfg.state\n\nfrontend db"));
}
