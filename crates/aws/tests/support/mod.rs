//! Helpers shared by the credentials, TLS and retry tests.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use lbcloud_aws::AwsClient;
use lbcloud_aws::{Env, QueryParams, RetryConfig, Service};
use lbcloud_testserver::{Recorded, Reply, TestServer};

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

/// An STS `AssumeRole*` answer with credentials valid for an hour.
pub fn sts_answer(action: &str, key: &str, secret: &str, token: &str) -> String {
    format!(
        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result>\
         <Credentials><AccessKeyId>{key}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey>\
         <SessionToken>{token}</SessionToken><Expiration>{}</Expiration></Credentials>\
         <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/x/y</Arn><AssumedRoleId>AROA:y</AssumedRoleId></AssumedRoleUser>\
         </{action}Result><ResponseMetadata><RequestId>sts-req-1</RequestId></ResponseMetadata></{action}Response>",
        in_secs(3600)
    )
}

/// A config file in `dir`, and the environment that selects `profile`
/// from it, with `dir` as the home directory and IMDS off.
pub fn config_env(dir: &Path, config: &str, profile: &str, extra: &[(&str, &str)]) -> Env {
    let path = dir.join("config");
    std::fs::write(&path, config).unwrap();
    let path = path.display().to_string();
    let creds = dir.join("no-credentials").display().to_string();
    let mut pairs = vec![
        ("AWS_CONFIG_FILE", path.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", creds.as_str()),
        ("AWS_PROFILE", profile),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    pairs.extend_from_slice(extra);
    env(&pairs).with_home(dir)
}

/// Fails naming the first of `secrets` found in `text`.
pub fn assert_no_secret(what: &str, text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!text.contains(s), "{s} leaked in {what}: {text}");
    }
}

/// An ELB for the "credentials expire during a series" tests: three
/// answers, the first after 2.5 s, so credentials that expire in 5 min
/// + 2 s (refreshed at about t = 2 s) are stale by the second request.
pub async fn slow_first_elb() -> TestServer {
    TestServer::start([
        Reply::status(200)
            .body(OK)
            .delay(Duration::from_millis(2500)),
        Reply::status(200).body(OK),
        Reply::status(200).body(OK),
    ])
    .await
}

/// Sends three requests through `client` and a clone of it, each of which
/// must succeed, and returns what `elb` received (exactly three).
pub async fn send_series(client: &AwsClient, elb: &TestServer) -> Vec<Recorded> {
    let clone = client.clone();
    client.send(describe()).await.unwrap();
    clone.send(describe()).await.unwrap();
    client.send(describe()).await.unwrap();
    let sent = elb.requests();
    assert_eq!(sent.len(), 3, "no request failed or was repeated");
    sent
}
