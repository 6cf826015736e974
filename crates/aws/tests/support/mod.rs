//! Helpers shared by the credentials, TLS and retry tests.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use lbcloud_aws::{Env, QueryParams, RetryConfig, Service};
use lbcloud_testserver::Recorded;

pub const ELB: Service = Service {
    provider: "elb",
    signing_name: "elasticloadbalancing",
    endpoint_prefix: "elasticloadbalancing",
    endpoint_env: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING",
    api_version: "2012-06-01",
};

pub const STS: Service = Service {
    provider: "sts",
    signing_name: "sts",
    endpoint_prefix: "sts",
    endpoint_env: "AWS_ENDPOINT_URL_STS",
    api_version: "2011-06-15",
};

pub const OK: &str = "<DescribeLoadBalancersResponse/>";

/// An environment of exactly these variables (no process environment).
pub fn env(pairs: &[(&str, &str)]) -> Env {
    Env::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

pub fn describe() -> QueryParams {
    QueryParams::new("DescribeLoadBalancers", ELB.api_version)
}

/// Retries with zero jitter so tests never really wait.
pub fn fast_retry() -> RetryConfig {
    RetryConfig::default()
        .with_total_budget(Duration::from_secs(20))
        .with_jitter(Arc::new(|_| Duration::ZERO))
}

/// A fresh, empty directory for this test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lbcloud-aws-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// RFC 3339 text of `now + secs`.
pub fn in_secs(secs: u64) -> String {
    let t = time::OffsetDateTime::from(SystemTime::now() + Duration::from_secs(secs));
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// The JSON document IMDS and ECS answer with.
pub fn creds_json(key: &str, secret: &str, token: &str, expires_in: u64) -> String {
    format!(
        r#"{{"Code":"Success","LastUpdated":"2026-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"{key}","SecretAccessKey":"{secret}","Token":"{token}","Expiration":"{}"}}"#,
        in_secs(expires_in)
    )
}

/// The access key id a recorded request was signed with.
pub fn signed_key(r: &Recorded) -> String {
    let auth = r.header("authorization").unwrap_or_default();
    auth.split("Credential=")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_default()
        .to_owned()
}

/// Everything a tracing subscriber writes, for reading back.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Capture {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }

    /// A TRACE subscriber writing here; keep the guard alive.
    pub fn install(&self) -> tracing::subscriber::DefaultGuard {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(self.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }
}

/// A loopback URL nothing listens on.
pub fn closed_port_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}")
}
