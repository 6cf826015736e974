//! AWS credentials, the [`ProvideCredentials`] trait, and the default chain
//! that finds them.
//!
//! One source per module: [`cache`] (the refreshing cache every client
//! uses), `env`, `web_identity`, `profile` (static keys,
//! `credential_process` in `process`, IAM Identity Center in `sso` with its
//! token cache in `sso_token`, assumed roles through `sts`), `ecs` and
//! `imds`; `chain` puts them in the SDK's order.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use async_trait::async_trait;
use lbcloud_core::{Error, ErrorKind, Result, Secret};

pub(crate) mod cache;
pub(crate) mod chain;
mod ecs;
mod env;
mod http;
pub(crate) mod imds;
mod process;
mod profile;
mod sdk;
mod sso;
mod sso_token;
pub(crate) mod sts;
mod web_identity;

pub use cache::{CredentialsCache, DEFAULT_REFRESH_BUFFER};
pub use sdk::SdkCredentialsProvider;

/// An AWS access key pair, with a session token and an expiry for
/// temporary credentials.
///
/// `Debug` shows the access key id (it is an identifier, printed by AWS in
/// its own logs) and the expiry, but never the secret key or the token.
///
/// ```
/// use lbcloud_aws::Credentials;
///
/// let c = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI").with_session_token("FQoG");
/// assert_eq!(c.access_key_id(), "AKIDEXAMPLE");
/// let shown = format!("{c:?}");
/// assert!(shown.contains("AKIDEXAMPLE"));
/// assert!(!shown.contains("wJalr") && !shown.contains("FQoG"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: Secret,
    session_token: Option<Secret>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// A long-term access key pair.
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<Secret>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
            expiry: None,
        }
    }

    /// Adds the session token that temporary (STS) credentials need.
    pub fn with_session_token(mut self, token: impl Into<Secret>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// Sets when these credentials stop working; [`CredentialsCache`]
    /// fetches new ones before then.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &Secret {
        &self.secret_access_key
    }

    /// The session token, if any.
    pub fn session_token(&self) -> Option<&Secret> {
        self.session_token.as_ref()
    }

    /// When these credentials expire; `None` for long-term keys.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// Checks that neither the key id nor the secret is empty; `source`
    /// names where they came from.
    pub(crate) fn check_complete(self, source: &str) -> Result<Self> {
        if self.access_key_id.is_empty() {
            return Err(source_error(source, "the access key id is empty"));
        }
        if self.secret_access_key.is_empty() {
            return Err(source_error(source, "the secret access key is empty"));
        }
        Ok(self)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Credentials");
        d.field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &self.secret_access_key)
            .field("session_token", &self.session_token);
        if let Some(expiry) = self.expiry {
            d.field("expiry", &format_time(expiry));
        }
        d.finish()
    }
}

/// A source of AWS credentials, asked by [`CredentialsCache`] whenever the
/// cached credentials are missing or about to expire.
///
/// Object-safe: clients hold one as `Arc<dyn ProvideCredentials>`. Plug
/// your own in with
/// [`AwsClientBuilder::credentials_provider`](crate::AwsClientBuilder::credentials_provider);
/// an `aws-config` chain fits through [`SdkCredentialsProvider`].
/// Errors must not contain secrets.
///
/// ```
/// use std::sync::Arc;
/// use lbcloud_aws::{Credentials, ProvideCredentials};
///
/// #[derive(Debug)]
/// struct Vault;
///
/// #[async_trait::async_trait]
/// impl ProvideCredentials for Vault {
///     async fn provide_credentials(&self) -> lbcloud_core::Result<Credentials> {
///         Ok(Credentials::new("AKIDVAULT", "from-the-vault"))
///     }
/// }
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let provider: Arc<dyn ProvideCredentials> = Arc::new(Vault);
/// assert_eq!(provider.provide_credentials().await.unwrap().access_key_id(), "AKIDVAULT");
/// # }
/// ```
#[async_trait]
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Fetches credentials. Called at most once at a time per cache.
    async fn provide_credentials(&self) -> Result<Credentials>;
}

#[async_trait]
impl ProvideCredentials for Credentials {
    async fn provide_credentials(&self) -> Result<Credentials> {
        Ok(self.clone())
    }
}

#[async_trait]
impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    async fn provide_credentials(&self) -> Result<Credentials> {
        (**self).provide_credentials().await
    }
}

/// A provider shared between clients and sources.
pub type SharedProvider = Arc<dyn ProvideCredentials>;

/// The error of a credentials source that is configured but failed:
/// [`ErrorKind::Unauthenticated`], naming the source and why.
pub(crate) fn source_error(source: &str, why: impl fmt::Display) -> Error {
    Error::new(
        ErrorKind::Unauthenticated,
        format!("credentials from {source}: {why}"),
    )
    .with_field("credentials")
}

/// A new error with `e`'s kind, field, code, status and request id, a new
/// message, the given provider and operation, and `e` as its source.
pub(crate) fn relabel(e: Error, message: String, provider: &str, operation: &str) -> Error {
    let mut out = Error::new(e.kind(), message)
        .with_provider(provider)
        .with_operation(operation);
    if let Some(field) = e.field() {
        out = out.with_field(field);
    }
    if let Some(code) = e.code() {
        out = out.with_code(code);
    }
    if let Some(status) = e.status() {
        out = out.with_status(status);
    }
    if let Some(id) = e.request_id() {
        out = out.with_request_id(id);
    }
    out.with_source(e)
}

/// Parses an RFC 3339 timestamp, as the `Expiration` of STS, IMDS, ECS and
/// `credential_process` answers.
pub(crate) fn parse_time(text: &str) -> Option<SystemTime> {
    let t =
        time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
            .ok()?;
    Some(SystemTime::from(t))
}

/// RFC 3339 text of a time, for `Debug` and messages.
pub(crate) fn format_time(t: SystemTime) -> String {
    time::OffsetDateTime::from(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "?".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secret_and_token_and_shows_expiry() {
        let at = parse_time("2030-01-02T03:04:05Z").unwrap();
        let c = Credentials::new("AKID", "topsecret")
            .with_session_token("tok123")
            .with_expiry(at);
        let s = format!("{c:?}");
        assert!(
            s.contains("AKID") && s.contains("2030-01-02T03:04:05Z"),
            "{s}"
        );
        assert!(!s.contains("topsecret") && !s.contains("tok123"), "{s}");
        assert_eq!(c.expiry(), Some(at));
    }

    #[test]
    fn times_parse_with_offsets_and_reject_garbage() {
        let z = parse_time("2030-01-02T03:04:05Z").unwrap();
        let off = parse_time("2030-01-02T05:04:05+02:00").unwrap();
        assert_eq!(z, off);
        assert!(parse_time("tomorrow").is_none());
        assert_eq!(format_time(z), "2030-01-02T03:04:05Z");
    }

    #[test]
    fn incomplete_credentials_name_their_source() {
        let err = Credentials::new("", "s")
            .check_complete("the environment")
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unauthenticated);
        assert!(
            err.message().contains("the environment"),
            "{}",
            err.message()
        );
        let err = Credentials::new("K", "").check_complete("x").unwrap_err();
        assert!(err.message().contains("secret access key is empty"));
    }
}
