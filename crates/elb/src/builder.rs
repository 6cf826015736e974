//! Building an [`ElbDriver`]: typed builder, environment and generic `Config`.

use std::sync::Arc;
use std::time::Duration;

use lbcloud_aws::{
    AwsClient, AwsClientBuilder, Credentials, Env, RetryConfig, Service, SharedProvider,
};
use lbcloud_core::{Config, Driver, DriverFactory, Error, Result, validate};

use crate::driver::ElbDriver;
use crate::request::MAX_PAGE_SIZE;

/// The classic ELB service, as the AWS plumbing needs to know it.
pub const ELB_SERVICE: Service = Service {
    provider: "elb",
    signing_name: "elasticloadbalancing",
    endpoint_prefix: "elasticloadbalancing",
    endpoint_env: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING",
    api_version: crate::request::VERSION,
};

/// The `DescribeLoadBalancers` page size used unless one is set: the API's
/// maximum, so a listing takes as few round trips as possible.
pub const DEFAULT_PAGE_SIZE: u32 = MAX_PAGE_SIZE;

/// Builds an [`ElbDriver`].
///
/// Credentials, region and endpoint fall back to the standard AWS chain
/// (explicit, environment, web identity, `~/.aws` profiles with roles and
/// `credential_process`, ECS, EC2 instance metadata); credentials are
/// fetched on the first request and refreshed before they expire. See
/// `lbcloud_aws::AwsClientBuilder::build`.
///
/// ```
/// use lbcloud_elb::ElbDriver;
///
/// let driver = ElbDriver::builder()
///     .key("AKIDEXAMPLE")
///     .secret("wJalrXUtnFEMI/K7MDENG")
///     .region("us-west-2")
///     .page_size(100)
///     .build()?;
/// assert_eq!(driver.region(), "us-west-2");
/// assert!(!format!("{driver:?}").contains("wJalr"));
/// # Ok::<(), lbcloud_core::Error>(())
/// ```
#[derive(Clone)]
pub struct ElbDriverBuilder {
    aws: AwsClientBuilder,
    key: Option<String>,
    secret: Option<lbcloud_core::Secret>,
    token: Option<lbcloud_core::Secret>,
    page_size: Option<u32>,
    page_size_text: Option<String>,
}

impl std::fmt::Debug for ElbDriverBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ElbDriverBuilder")
            .field("key", &self.key)
            .field("secret", &self.secret)
            .field("token", &self.token)
            .field("page_size", &self.page_size)
            .finish_non_exhaustive()
    }
}

impl Default for ElbDriverBuilder {
    fn default() -> Self {
        Self {
            aws: AwsClient::builder(ELB_SERVICE),
            key: None,
            secret: None,
            token: None,
            page_size: None,
            page_size_text: None,
        }
    }
}

impl ElbDriverBuilder {
    /// Sets the access key id (libcloud's `key`).
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Sets the secret access key (libcloud's `secret`).
    pub fn secret(mut self, secret: impl Into<lbcloud_core::Secret>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// Sets a session token for temporary credentials, with
    /// [`key`](Self::key) and [`secret`](Self::secret): a token without
    /// both is an `InvalidInput` error at [`build`](Self::build).
    pub fn session_token(mut self, token: impl Into<lbcloud_core::Secret>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Sets complete credentials at once.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.aws = self.aws.credentials(credentials);
        self
    }

    /// Uses credentials from `provider` (cached and refreshed) instead of
    /// the default chain; an `aws-config` chain fits through
    /// `lbcloud_aws::SdkCredentialsProvider`.
    pub fn credentials_provider(mut self, provider: SharedProvider) -> Self {
        self.aws = self.aws.credentials_provider(provider);
        self
    }

    /// Trusts the PEM certificates in this file besides the TLS roots
    /// (overrides `AWS_CA_BUNDLE` and the profile's `ca_bundle`).
    pub fn ca_bundle(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.aws = self.aws.ca_bundle(path);
        self
    }

    /// Sends requests through this proxy instead of the one `HTTPS_PROXY`
    /// / `NO_PROXY` choose.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.aws = self.aws.proxy(url);
        self
    }

    /// Sets the region (for example `us-east-1`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.aws = self.aws.region(region);
        self
    }

    /// Sets the endpoint URL (for example a local moto server).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.aws = self.aws.endpoint(endpoint);
        self
    }

    /// Uses a named profile of the shared AWS files.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.aws = self.aws.profile(profile);
        self
    }

    /// Sets the retry policy (attempts, backoff, total time budget).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.aws = self.aws.retry(retry);
        self
    }

    /// Sets the TCP connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.aws = self.aws.connect_timeout(timeout);
        self
    }

    /// Sets the timeout of one HTTP attempt.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.aws = self.aws.request_timeout(timeout);
        self
    }

    /// Sets how many balancers one `DescribeLoadBalancers` page asks for (1-400).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Reads the environment (and shared files) through `env` instead of
    /// the process's, so tests need not change the process environment.
    pub fn env(mut self, env: Env) -> Self {
        self.aws = self.aws.env(env);
        self
    }

    /// Applies the generic [`Config`]: key, secret, token, region, endpoint,
    /// and the options `page_size` plus those of the AWS plumbing
    /// (`profile`, `max_attempts`, `base_delay_ms`, `max_delay_ms`,
    /// `total_budget_ms`, `connect_timeout_ms`, `request_timeout_ms`).
    /// Unknown options are rejected by [`build`](Self::build).
    pub fn from_config(mut self, config: &Config) -> Self {
        self.aws = self.aws.from_config(config);
        if let Some(text) = config.get_option("page_size") {
            self.page_size_text = Some(text.to_owned());
        }
        self
    }

    /// Builds the driver. Sends no request.
    ///
    /// Fails with `InvalidInput` for a key without a secret (or the
    /// reverse), a session token without both, or a page size outside 1-400.
    pub fn build(self) -> Result<ElbDriver> {
        let (aws, page_size) = self.prepare()?;
        Ok(ElbDriver::new(aws.build()?, page_size))
    }

    /// Like [`build`](Self::build), but with no region configured asks EC2
    /// instance metadata for it (unless `AWS_EC2_METADATA_DISABLED`).
    pub async fn build_async(self) -> Result<ElbDriver> {
        let (aws, page_size) = self.prepare()?;
        Ok(ElbDriver::new(aws.build_async().await?, page_size))
    }

    fn prepare(self) -> Result<(AwsClientBuilder, u32)> {
        let mut aws = self.aws;
        match (self.key, self.secret) {
            (Some(key), Some(secret)) => {
                let mut creds = Credentials::new(key, secret);
                if let Some(token) = self.token {
                    creds = creds.with_session_token(token);
                }
                aws = aws.credentials(creds);
            }
            (Some(_), None) => {
                return Err(Error::invalid_input(
                    "secret",
                    "is required when a key is given",
                ));
            }
            (None, Some(_)) => {
                return Err(Error::invalid_input(
                    "key",
                    "is required when a secret is given",
                ));
            }
            (None, None) => {
                if self.token.is_some() {
                    // A token alone cannot sign anything; dropping it would
                    // silently sign with other credentials.
                    return Err(Error::invalid_input(
                        "session_token",
                        "is used only with a key and a secret; set all three, or none and let the AWS chain find them",
                    ));
                }
            }
        }
        let page_size = match (self.page_size, self.page_size_text) {
            (Some(n), _) => n,
            (None, Some(text)) => text.trim().parse().map_err(|_| {
                Error::invalid_input("page_size", format!("must be a whole number, got {text:?}"))
            })?,
            (None, None) => DEFAULT_PAGE_SIZE,
        };
        validate::range("page_size", page_size, 1, MAX_PAGE_SIZE)?;
        Ok((aws, page_size))
    }
}

/// The option keys [`ElbDriverBuilder::from_config`] understands.
pub const CONFIG_OPTIONS: &[&str] = &[
    "page_size",
    "profile",
    "max_attempts",
    "base_delay_ms",
    "max_delay_ms",
    "total_budget_ms",
    "connect_timeout_ms",
    "request_timeout_ms",
];

/// Builds [`ElbDriver`]s from the generic [`Config`], for the registry
/// (`lbcloud::get_driver(Provider::Elb)`).
///
/// ```
/// use lbcloud_core::{Config, DriverFactory};
/// use lbcloud_elb::ElbDriverFactory;
///
/// let driver = ElbDriverFactory.connect(
///     Config::new().key("AKIDEXAMPLE").secret("secret").region("us-west-2"),
/// )?;
/// assert_eq!(driver.name(), "elb");
/// # Ok::<(), lbcloud_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct ElbDriverFactory;

impl DriverFactory for ElbDriverFactory {
    fn name(&self) -> &str {
        "elb"
    }

    fn connect(&self, config: Config) -> Result<Arc<dyn Driver>> {
        if let Some(unknown) = config
            .options()
            .keys()
            .find(|k| !CONFIG_OPTIONS.contains(&k.as_str()))
        {
            return Err(Error::invalid_input(
                format!("options.{unknown}"),
                format!(
                    "is not an ELB option; known options: {}",
                    CONFIG_OPTIONS.join(", ")
                ),
            ));
        }
        let driver = ElbDriverBuilder::default().from_config(&config).build()?;
        Ok(Arc::new(driver))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lbcloud_core::ErrorKind;

    fn builder() -> ElbDriverBuilder {
        ElbDriverBuilder::default()
            .env(Env::empty())
            .region("us-east-1")
    }

    #[test]
    fn a_session_token_alone_is_invalid_input_not_ignored() {
        let err = builder()
            .session_token("FwoGZXIvYXdzE")
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!(err.field(), Some("session_token"));
        assert!(!err.to_string().contains("FwoGZXIvYXdzE"), "{err}");
        // With a key and a secret it is fine; key and secret must come together.
        assert!(
            builder()
                .key("AKID")
                .secret("s")
                .session_token("t")
                .build()
                .is_ok()
        );
        assert_eq!(
            builder()
                .key("AKID")
                .session_token("t")
                .build()
                .unwrap_err()
                .field(),
            Some("secret")
        );
        assert_eq!(
            builder().secret("s").build().unwrap_err().field(),
            Some("key")
        );
    }

    #[test]
    fn page_size_is_checked() {
        let err = builder()
            .key("AKID")
            .secret("s")
            .page_size(401)
            .build()
            .unwrap_err();
        assert_eq!(err.field(), Some("page_size"));
    }
}
