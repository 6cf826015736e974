//! Every way a caller could smuggle a config line or a CLI command into
//! the HAProxy driver is `InvalidInput` naming the field, before any I/O:
//! the master socket (a listener that counts connections) is never
//! touched and the owned file is never created. Needs no HAProxy.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use lbcloud_core::{
    Balancer, CreateBalancer, Driver, ErrorKind, HealthCheck, Listener, Member, Protocol,
    UpdateBalancer, UpdateMember,
};
use lbcloud_haproxy::HaproxyDriver;
use tokio::net::UnixListener;

/// A private temp dir for the fake master socket, removed on drop.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("lbhx-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn balancer(name: &str) -> Balancer {
    Balancer::new(name, name)
}

#[tokio::test]
async fn injections_are_refused_before_any_io() {
    let dir = TempDir::new("bad");
    let socket = dir.path().join("master.sock");
    let owned = dir.path().join("lbcloud.cfg");
    let listener = UnixListener::bind(&socket).unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    let accept = tokio::spawn(async move {
        while listener.accept().await.is_ok() {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    let driver = HaproxyDriver::builder()
        .config_file(owned.display().to_string())
        .master_socket(socket.display().to_string())
        .haproxy_bin("/nonexistent/haproxy")
        .bind_address("127.0.0.1")
        .build()
        .unwrap();
    let web = balancer("web");
    let http = |name: &str| CreateBalancer::new(name, 8080, Protocol::Http);
    let ms = Duration::from_millis;

    let creates: Vec<(CreateBalancer, &str)> = vec![
        (http("web\nbackend evil"), "name"),
        (http("web;reload"), "name"),
        (http("web evil"), "name"),
        (http("web#"), "name"),
        (http(&"a".repeat(65)), "name"),
        (
            http("web").member(Member::address("127.0.0.1\nshow", 80)),
            "members[0].ip",
        ),
        (
            http("web").member(Member::address("127.0.0.1;reload", 80)),
            "members[0].ip",
        ),
        (
            http("web").member(Member::address("backend.example", 80)),
            "members[0].ip",
        ),
        (
            http("web").member(Member::address("127.0.0.1", 80).with_id("s1;del")),
            "members[0].id",
        ),
        (
            http("web").member(Member::address("127.0.0.1", 80).with_id("s 1")),
            "members[0].id",
        ),
        (
            http("web").member(Member::address("127.0.0.1", 80).weight(257)),
            "members[0].weight",
        ),
        (
            http("web").member(Member::instance("i-123")),
            "members[0].id",
        ),
        (
            http("web").health_check(HealthCheck::http(None, "/h;show stat")),
            "health_check.path",
        ),
        (
            http("web").health_check(HealthCheck::http(None, "/h\\x")),
            "health_check.path",
        ),
        (
            http("web").health_check(HealthCheck::http(None, "/h").expected_codes("200\n")),
            "health_check.expected_codes",
        ),
        (
            http("web").health_check(HealthCheck::tcp(None).interval(ms(5))),
            "health_check.interval",
        ),
        (
            http("web").health_check(HealthCheck::tcp(None).healthy_threshold(0)),
            "health_check.healthy_threshold",
        ),
        (
            CreateBalancer::new("web", 443, Protocol::Https)
                .certificate("/etc/ssl/a.pem\n    bind :1"),
            "listeners[0].certificate_id",
        ),
        (
            CreateBalancer::new("web", 443, Protocol::Https).certificate("relative.pem"),
            "listeners[0].certificate_id",
        ),
        (
            http("web").listener(Listener::new(9000, Protocol::Tcp, 9000)),
            "listeners[1].protocol",
        ),
        (
            CreateBalancer::new("web", 53, Protocol::Udp),
            "listeners[0].protocol",
        ),
    ];
    for (request, field) in creates {
        let err = driver.create_balancer(request.clone()).await.unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidInput | ErrorKind::Unsupported),
            "{request:?}: {err}"
        );
        assert_eq!(err.field(), Some(field), "{request:?}: {err}");
    }

    let attach_cases = [
        (
            Member::address("10.0.0.1", 80).with_id("x\ny"),
            "members[0].id",
        ),
        (Member::address("10.0.0.1 backup", 80), "members[0].ip"),
        (
            Member::address("10.0.0.1", 80).weight(1000),
            "members[0].weight",
        ),
    ];
    for (m, field) in attach_cases {
        let err = driver
            .balancer_attach_member(&web, m.clone())
            .await
            .unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            (ErrorKind::InvalidInput, Some(field)),
            "{m:?}: {err}"
        );
    }
    let err = driver
        .balancer_update_member(
            &web,
            &Member::address("10.0.0.1", 80),
            UpdateMember::new().weight(300),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::InvalidInput, Some("update.weight"))
    );
    let err = driver
        .update_balancer(&web, UpdateBalancer::new().port(0))
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::InvalidInput, Some("port"))
    );
    let err = driver
        .update_balancer(&web, UpdateBalancer::new().name("renamed"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported, "{err}");
    let err = driver
        .set_health_check(&web, HealthCheck::http(None, "/x'y"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::InvalidInput, Some("health_check.path"))
    );

    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "a refused input reached the socket"
    );
    assert!(!owned.exists(), "a refused input created the owned file");
    assert!(
        !dir.path().join("lbcloud.cfg.lock").exists(),
        "a refused input took the lock"
    );
    accept.abort();
}
