//! EC2 instance metadata (IMDSv2): a session token from `PUT
//! /latest/api/token`, then the role name and its credentials, and the
//! instance's region.
//!
//! Settings: `AWS_EC2_METADATA_DISABLED=true` turns the source off;
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT` (or the profile's
//! `ec2_metadata_service_endpoint`) moves the endpoint, and
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` (`IPv4`, `IPv6`; or the
//! profile's `ec2_metadata_service_endpoint_mode`) picks the default one.
//! Only IMDSv2 is spoken: there is no fallback to the token-less IMDSv1
//! (as in the AWS SDK for Rust).
//!
//! Static stability, as in the AWS SDKs: when IMDS cannot be reached or
//! answers with an error and the provider has had credentials from it,
//! those are returned again with their expiry moved 5-10 minutes ahead
//! (a warning is logged), and credentials IMDS hands out already expired
//! get the same extension. AWS accepts recently expired instance
//! credentials during such an outage, so requests keep working instead of
//! failing the moment the metadata service hiccups; the jitter keeps a
//! fleet from retrying in step.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use async_trait::async_trait;
use bytes::Bytes;
use lbcloud_core::{Error, Result};

use super::http::{self, Answer, parse_credentials_json, printable};
use super::{Credentials, ProvideCredentials, source_error};
use crate::Env;
use crate::profile::ProfileFiles;
use crate::region::{validate_endpoint, validate_region};

pub(crate) const SOURCE: &str = "EC2 instance metadata (IMDSv2)";
const IPV4_ENDPOINT: &str = "http://169.254.169.254";
const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";
/// The session token lifetime asked for: 6 hours, the most IMDS allows.
pub(crate) const TOKEN_TTL: Duration = Duration::from_secs(21_600);
pub(crate) const TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
pub(crate) const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
/// A token is replaced this long before IMDS would stop accepting it.
const TOKEN_MARGIN: Duration = Duration::from_secs(5);
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";

/// A client of one instance metadata endpoint; caches its session token.
pub(crate) struct ImdsClient {
    endpoint: String,
    http: reqwest::Client,
    token: tokio::sync::Mutex<Option<(String, Instant)>>,
}

impl fmt::Debug for ImdsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The session token is never shown.
        f.debug_struct("ImdsClient")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

/// Whether IMDS is switched off by `AWS_EC2_METADATA_DISABLED`.
pub(crate) fn disabled(env: &Env) -> bool {
    env.var("AWS_EC2_METADATA_DISABLED")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

impl ImdsClient {
    /// The client the environment and profile describe; `None` when IMDS
    /// is disabled. A malformed endpoint or mode is `InvalidInput` naming
    /// the variable.
    /// `http` is asked for a client only when IMDS is enabled.
    pub(crate) fn from_env(
        env: &Env,
        files: &ProfileFiles,
        http: impl FnOnce() -> Result<reqwest::Client>,
    ) -> Result<Option<Self>> {
        if disabled(env) {
            return Ok(None);
        }
        let endpoint = if let Some(raw) = env.var("AWS_EC2_METADATA_SERVICE_ENDPOINT") {
            checked(&raw, "AWS_EC2_METADATA_SERVICE_ENDPOINT")?
        } else if let Some(raw) = files.get("ec2_metadata_service_endpoint") {
            checked(raw, "ec2_metadata_service_endpoint")?
        } else {
            let (mode, field) = match env.var("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") {
                Some(m) => (m, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"),
                None => (
                    files
                        .get("ec2_metadata_service_endpoint_mode")
                        .unwrap_or("IPv4")
                        .to_owned(),
                    "ec2_metadata_service_endpoint_mode",
                ),
            };
            match mode.trim().to_ascii_lowercase().as_str() {
                "ipv4" => IPV4_ENDPOINT.to_owned(),
                "ipv6" => IPV6_ENDPOINT.to_owned(),
                _ => return Err(Error::invalid_input(field, "must be IPv4 or IPv6")),
            }
        };
        Ok(Some(Self {
            endpoint,
            http: http()?,
            token: tokio::sync::Mutex::new(None),
        }))
    }

    /// A valid session token: the cached one or a new one.
    async fn token(&self, renew: bool) -> Result<String> {
        let mut cached = self.token.lock().await;
        if !renew
            && let Some((token, valid_until)) = cached.as_ref()
            && Instant::now() < *valid_until
        {
            return Ok(token.clone());
        }
        let url = format!("{}/latest/api/token", self.endpoint);
        let answer = http::send(SOURCE, &url, || {
            self.http
                .put(&url)
                .header(TTL_HEADER, TOKEN_TTL.as_secs().to_string())
        })
        .await?;
        match answer.status {
            200 => {}
            403 => {
                return Err(source_error(
                    SOURCE,
                    "the token request was refused (HTTP 403): instance metadata is turned off on this instance",
                ));
            }
            s => {
                return Err(source_error(
                    SOURCE,
                    format!("the token request answered HTTP {s}"),
                ));
            }
        }
        let token = String::from_utf8(answer.body.to_vec())
            .ok()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or_else(|| source_error(SOURCE, "the session token is empty or not printable"))?;
        // The server says how long the token lives; never trust it beyond what we asked.
        let ttl = header_secs(&answer, TTL_HEADER).map_or(TOKEN_TTL, |t| t.min(TOKEN_TTL));
        let valid_until = Instant::now() + ttl.saturating_sub(TOKEN_MARGIN);
        *cached = Some((token.clone(), valid_until));
        Ok(token)
    }

    /// GETs `path` with a session token; a 401 (the token expired or was
    /// revoked) gets a new token and one more try.
    pub(crate) async fn get(&self, path: &str) -> Result<Bytes> {
        let url = format!("{}{path}", self.endpoint);
        let mut renew = false;
        loop {
            let token = self.token(renew).await?;
            let answer = http::send(SOURCE, &url, || {
                self.http.get(&url).header(TOKEN_HEADER, &token)
            })
            .await?;
            match answer.status {
                200 => return Ok(answer.body),
                401 if !renew => renew = true,
                404 => {
                    return Err(source_error(
                        SOURCE,
                        format!(
                            "{path} was not found (HTTP 404); does the instance have an instance profile?"
                        ),
                    ));
                }
                s => return Err(source_error(SOURCE, format!("{path} answered HTTP {s}"))),
            }
        }
    }

    /// The instance's region, from `/latest/meta-data/placement/region`.
    pub(crate) async fn region(&self) -> Result<String> {
        let body = self.get("/latest/meta-data/placement/region").await?;
        let region = String::from_utf8_lossy(&body).trim().to_owned();
        validate_region(&region).map_err(|e| {
            source_error(
                SOURCE,
                format!("the region it gave is not valid: {}", e.message()),
            )
        })?;
        Ok(region)
    }
}

fn checked(raw: &str, field: &str) -> Result<String> {
    validate_endpoint(raw).map_err(|e| Error::invalid_input(field, e.message().to_owned()))
}

fn header_secs(answer: &Answer, name: &str) -> Option<Duration> {
    let v = answer.headers.get(name)?.to_str().ok()?;
    v.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// The least an expiry is moved ahead by static stability; the jitter adds
/// up to as much again.
const STABILITY_EXTENSION: Duration = Duration::from_secs(300);

/// Credentials of the instance profile's role.
#[derive(Debug, Clone)]
pub(crate) struct ImdsProvider {
    pub(crate) client: Arc<ImdsClient>,
    /// The last credentials IMDS gave, kept for static stability.
    last: Arc<Mutex<Option<Credentials>>>,
}

impl ImdsProvider {
    pub(crate) fn new(client: Arc<ImdsClient>) -> Self {
        Self {
            client,
            last: Arc::default(),
        }
    }

    fn last(&self) -> std::sync::MutexGuard<'_, Option<Credentials>> {
        self.last.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Now plus 5-10 minutes.
fn extended_expiry(now: SystemTime) -> SystemTime {
    let jitter = Duration::from_millis(fastrand::u64(..=STABILITY_EXTENSION.as_millis() as u64));
    now + STABILITY_EXTENSION + jitter
}

#[async_trait]
impl ProvideCredentials for ImdsProvider {
    async fn provide_credentials(&self) -> Result<Credentials> {
        let now = SystemTime::now();
        match self.fetch().await {
            Ok(fresh) => {
                let fresh = match fresh.expiry() {
                    Some(at) if at <= now => {
                        tracing::warn!(
                            source = SOURCE,
                            "instance metadata gave expired credentials; using them for 5-10 more minutes"
                        );
                        fresh.with_expiry(extended_expiry(now))
                    }
                    _ => fresh,
                };
                *self.last() = Some(fresh.clone());
                Ok(fresh)
            }
            Err(e) => {
                let Some(old) = self.last().clone() else {
                    return Err(e);
                };
                tracing::warn!(
                    source = SOURCE,
                    error = %e,
                    "instance metadata failed; using its last credentials for 5-10 more minutes"
                );
                let old = old.with_expiry(extended_expiry(now));
                *self.last() = Some(old.clone());
                Ok(old)
            }
        }
    }
}

impl ImdsProvider {
    /// The role's current credentials from IMDS.
    async fn fetch(&self) -> Result<Credentials> {
        let names = self.client.get(CREDENTIALS_PATH).await?;
        let names = String::from_utf8_lossy(&names);
        let role = names
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .ok_or_else(|| source_error(SOURCE, "the instance has no IAM role attached"))?;
        if !role
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
        {
            return Err(source_error(
                SOURCE,
                format!(
                    "the role name `{}` is not a valid IAM name",
                    printable(role)
                ),
            ));
        }
        let doc = self
            .client
            .get(&format!("{CREDENTIALS_PATH}{role}"))
            .await?;
        parse_credentials_json(SOURCE, &doc, "Token")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lbcloud_testserver::{Reply, TestServer};

    fn client(server: &TestServer) -> ImdsClient {
        let env = Env::from_pairs([("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url())]);
        let files = ProfileFiles::from_texts("default", None, None);
        ImdsClient::from_env(&env, &files, || Ok(reqwest::Client::new()))
            .unwrap()
            .unwrap()
    }

    #[tokio::test]
    async fn a_token_is_reused_within_the_ttl_the_server_grants() {
        let server = TestServer::start([
            // The server grants 1 s: not worth reusing past the margin.
            Reply::status(200)
                .header(TTL_HEADER, "1")
                .body("short-lived"),
            Reply::status(200).body("a"),
            Reply::status(200)
                .header(TTL_HEADER, "21600")
                .body("long-lived"),
            Reply::status(200).body("b"),
            Reply::status(200).body("c"),
        ])
        .await;
        let c = client(&server);
        assert_eq!(&c.get("/x").await.unwrap()[..], b"a");
        assert_eq!(&c.get("/y").await.unwrap()[..], b"b");
        assert_eq!(&c.get("/z").await.unwrap()[..], b"c");
        let seen: Vec<(String, Option<String>)> = server
            .requests()
            .iter()
            .map(|r| (r.method.clone(), r.header(TOKEN_HEADER).map(str::to_owned)))
            .collect();
        let tok = |t: &str| Some(t.to_owned());
        assert_eq!(
            seen,
            [
                ("PUT".into(), None),
                ("GET".into(), tok("short-lived")),
                ("PUT".into(), None),
                ("GET".into(), tok("long-lived")),
                ("GET".into(), tok("long-lived")),
            ]
        );
        assert!(!format!("{c:?}").contains("long-lived"));
    }

    #[tokio::test]
    async fn bad_roles_regions_and_settings_are_reported() {
        let server = TestServer::start([
            Reply::status(200).body("t"),
            Reply::status(200).body("bad role/../x"),
            Reply::status(200).body("mars-1"),
            Reply::status(200).body(""),
        ])
        .await;
        let c = Arc::new(client(&server));
        let err = ImdsProvider::new(c.clone())
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.message().contains("not a valid IAM name"), "{err}");
        let err = c.region().await.unwrap_err();
        assert!(err.message().contains("region"), "{err}");
        let err = ImdsProvider::new(c)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.message().contains("no IAM role"), "{err}");

        let files = ProfileFiles::from_texts("default", None, None);
        let http = || Ok(reqwest::Client::new());
        let mode = Env::from_pairs([("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv7")]);
        let err = ImdsClient::from_env(&mode, &files, http).unwrap_err();
        assert_eq!(err.field(), Some("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"));
        let v6 = Env::from_pairs([("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")]);
        let c = ImdsClient::from_env(&v6, &files, http).unwrap().unwrap();
        assert_eq!(c.endpoint, IPV6_ENDPOINT);
        let bad = Env::from_pairs([("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ftp://x")]);
        let err = ImdsClient::from_env(&bad, &files, http).unwrap_err();
        assert_eq!(err.field(), Some("AWS_EC2_METADATA_SERVICE_ENDPOINT"));
        let off = Env::from_pairs([("AWS_EC2_METADATA_DISABLED", "TRUE")]);
        assert!(ImdsClient::from_env(&off, &files, http).unwrap().is_none());
    }

    fn creds_doc(key: &str, expiration: &str) -> String {
        format!(
            r#"{{"Code":"Success","AccessKeyId":"{key}","SecretAccessKey":"s","Token":"t","Expiration":"{expiration}"}}"#
        )
    }

    /// Whether `at` is 5-10 minutes after `before` (taken just before the call).
    fn extended(at: Option<SystemTime>, before: SystemTime) -> bool {
        let Some(at) = at else { return false };
        at >= before + STABILITY_EXTENSION && at <= SystemTime::now() + 2 * STABILITY_EXTENSION
    }

    #[tokio::test]
    async fn an_outage_reuses_the_last_credentials_for_5_to_10_minutes() {
        let server = TestServer::start([
            Reply::status(200).header(TTL_HEADER, "21600").body("tok"),
            Reply::status(200).body("web-role"),
            Reply::status(200).body(creds_doc("AKIDFIRST", "2099-01-01T00:00:00Z")),
            // The next fetch: IMDS fails.
            Reply::status(500).body("down"),
        ])
        .await;
        let p = ImdsProvider::new(Arc::new(client(&server)));
        let first = p.provide_credentials().await.unwrap();
        assert_eq!(first.access_key_id(), "AKIDFIRST");
        let before = SystemTime::now();
        let again = p.provide_credentials().await.unwrap();
        assert_eq!(again.access_key_id(), "AKIDFIRST");
        assert!(extended(again.expiry(), before), "{:?}", again.expiry());
        assert_eq!(server.replies_left(), 0, "the outage was really met");
    }

    #[tokio::test]
    async fn expired_credentials_from_imds_are_extended_and_a_first_failure_is_an_error() {
        // Nothing fetched yet: nothing to fall back on.
        let down = TestServer::start((0..4).map(|_| Reply::status(500).body("down"))).await;
        let p = ImdsProvider::new(Arc::new(client(&down)));
        assert!(p.provide_credentials().await.is_err());

        let server = TestServer::start([
            Reply::status(200).header(TTL_HEADER, "21600").body("tok"),
            Reply::status(200).body("web-role"),
            Reply::status(200).body(creds_doc("AKIDOLD", "2001-01-01T00:00:00Z")),
        ])
        .await;
        let p = ImdsProvider::new(Arc::new(client(&server)));
        let before = SystemTime::now();
        let c = p.provide_credentials().await.unwrap();
        assert_eq!(c.access_key_id(), "AKIDOLD");
        assert!(extended(c.expiry(), before), "{:?}", c.expiry());
    }
}
