//! What the haproxy examples share: the driver from `LBCLOUD_OPTIONS`
//! (`key=value,key=value`, as `./scripts/haproxy-demo.sh` prints it) and the
//! demo backends' ports from `LBCLOUD_BACKENDS` (default 9001,9002,9003).

use std::process::ExitCode;

use lbcloud_core::DriverFactory;
use lbcloud_core::{Config, Driver};
use lbcloud_haproxy::HaproxyDriverFactory;
use std::sync::Arc;

/// The driver, or exit code 2 with a hint when no HAProxy is configured.
pub(crate) fn driver() -> Result<Arc<dyn Driver>, ExitCode> {
    let Ok(options) = std::env::var("LBCLOUD_OPTIONS") else {
        eprintln!(
            "LBCLOUD_OPTIONS is not set: start a local HAProxy with ./scripts/haproxy-demo.sh \
             and export the LBCLOUD_OPTIONS it prints"
        );
        return Err(ExitCode::from(2));
    };
    let mut config = Config::new();
    for pair in options.split(',').filter(|p| !p.is_empty()) {
        let Some((key, value)) = pair.split_once('=') else {
            eprintln!("LBCLOUD_OPTIONS: {pair:?} is not key=value");
            return Err(ExitCode::from(2));
        };
        config = config.option(key.trim(), value.trim());
    }
    HaproxyDriverFactory.connect(config).map_err(|e| {
        eprintln!("cannot connect the haproxy driver: {e}");
        ExitCode::from(2)
    })
}

/// The demo backends as address members.
pub(crate) fn backends() -> Vec<lbcloud_core::Member> {
    std::env::var("LBCLOUD_BACKENDS")
        .unwrap_or_else(|_| "9001,9002,9003".into())
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .map(|port| lbcloud_core::Member::address("127.0.0.1", port))
        .collect()
}

/// A free port on 127.0.0.1 for the example's balancer.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(18080)
}

/// `GET /` through the balancer: the answering backend's body.
pub(crate) fn fetch(port: u16) -> String {
    use std::io::{Read, Write};
    let mut out = String::new();
    if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
        let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(5)));
        let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n");
        let _ = s.read_to_string(&mut out);
    }
    out.split("\r\n\r\n")
        .nth(1)
        .unwrap_or("(no answer)")
        .to_owned()
}
