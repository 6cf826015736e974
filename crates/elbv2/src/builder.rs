//! Building an [`Elbv2Driver`]: typed builder, environment and generic `Config`.

use std::time::Duration;

use lbcloud_aws::{
    AwsClient, AwsClientBuilder, Credentials, Env, RetryConfig, Service, SharedProvider,
};
use std::sync::Arc;

use lbcloud_core::{Config, Driver, DriverFactory, Error, Result};

use crate::driver::Elbv2Driver;
use crate::request::MAX_PAGE_SIZE;

/// The ELBv2 service, as the AWS plumbing needs to know it. It signs as
/// `elasticloadbalancing` and shares classic ELB's endpoint host; only the
/// API version and the endpoint override variable differ.
pub const ELBV2_SERVICE: Service = Service {
    provider: crate::PROVIDER,
    signing_name: "elasticloadbalancing",
    endpoint_prefix: "elasticloadbalancing",
    endpoint_env: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2",
    api_version: crate::request::VERSION,
};

/// The page size of the describe actions unless one is set: the API's
/// maximum, so a listing takes as few round trips as possible.
pub const DEFAULT_PAGE_SIZE: u32 = MAX_PAGE_SIZE;

/// The most pages one listing follows unless set otherwise: a bound on a
/// server that never stops paging, far above any real account (400 000
/// items at the default page size).
pub const DEFAULT_MAX_PAGES: usize = 1_000;

/// Builds an [`Elbv2Driver`].
///
/// Credentials, region and endpoint fall back to the standard AWS chain
/// (explicit, then `AWS_*` environment variables, then `~/.aws` profile
/// files); see `lbcloud_aws::AwsClientBuilder`.
///
/// ```
/// use lbcloud_elbv2::Elbv2Driver;
///
/// let driver = Elbv2Driver::builder()
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
pub struct Elbv2DriverBuilder {
    aws: AwsClientBuilder,
    key: Option<String>,
    secret: Option<lbcloud_core::Secret>,
    token: Option<lbcloud_core::Secret>,
    page_size: Option<u32>,
    page_size_text: Option<String>,
    max_pages: usize,
    subnets: Vec<String>,
    subnets_text: Option<String>,
}

impl std::fmt::Debug for Elbv2DriverBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Elbv2DriverBuilder")
            .field("key", &self.key)
            .field("secret", &self.secret)
            .field("token", &self.token)
            .field("page_size", &self.page_size)
            .finish_non_exhaustive()
    }
}

impl Default for Elbv2DriverBuilder {
    fn default() -> Self {
        Self {
            aws: AwsClient::builder(ELBV2_SERVICE),
            key: None,
            secret: None,
            token: None,
            page_size: None,
            page_size_text: None,
            max_pages: DEFAULT_MAX_PAGES,
            subnets: Vec::new(),
            subnets_text: None,
        }
    }
}

impl Elbv2DriverBuilder {
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

    /// Sets a session token for temporary credentials.
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
    /// the default chain.
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

    /// Sets how many items one page of a describe action asks for (1-400).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Sets the most pages one listing follows before it fails with
    /// `InvalidResponse` (at least 1).
    pub fn max_pages(mut self, max_pages: usize) -> Self {
        self.max_pages = max_pages;
        self
    }

    /// Sets the subnets a balancer is created in when its
    /// [`CreateBalancer::subnets`](lbcloud_core::CreateBalancer::subnets) is
    /// empty (ELBv2 balancers live in subnets; at least two zones for an
    /// Application Load Balancer). Also the `subnets` option of
    /// [`from_config`](Self::from_config), comma-separated.
    pub fn subnets<S: Into<String>>(mut self, subnets: impl IntoIterator<Item = S>) -> Self {
        self.subnets = subnets.into_iter().map(Into::into).collect();
        self
    }

    /// Reads the environment (and shared files) through `env` instead of
    /// the process's, so tests need not change the process environment.
    pub fn env(mut self, env: Env) -> Self {
        self.aws = self.aws.env(env);
        self
    }

    /// Applies the generic [`Config`]: key, secret, token, region, endpoint,
    /// and the options `page_size`, `subnets` (comma-separated) plus those of the AWS plumbing
    /// (`profile`, `max_attempts`, `base_delay_ms`, `max_delay_ms`,
    /// `total_budget_ms`, `connect_timeout_ms`, `request_timeout_ms`).
    /// Unknown options are rejected by [`build`](Self::build).
    pub fn from_config(mut self, config: &Config) -> Self {
        self.aws = self.aws.from_config(config);
        if let Some(text) = config.get_option("page_size") {
            self.page_size_text = Some(text.to_owned());
        }
        if let Some(text) = config.get_option("subnets") {
            self.subnets_text = Some(text.to_owned());
        }
        self
    }

    /// Builds the driver. Sends no request.
    pub fn build(self) -> Result<Elbv2Driver> {
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
            (None, None) => {}
        }
        let page_size = match (self.page_size, self.page_size_text) {
            (Some(n), _) => n,
            (None, Some(text)) => text.trim().parse().map_err(|_| {
                Error::invalid_input("page_size", format!("must be a whole number, got {text:?}"))
            })?,
            (None, None) => DEFAULT_PAGE_SIZE,
        };
        if page_size == 0 || page_size > MAX_PAGE_SIZE {
            return Err(Error::invalid_input(
                "page_size",
                format!("must be 1 to {MAX_PAGE_SIZE}, got {page_size}"),
            ));
        }
        if self.max_pages == 0 {
            return Err(Error::invalid_input("max_pages", "must be at least 1"));
        }
        let mut subnets = self.subnets;
        if subnets.is_empty()
            && let Some(text) = &self.subnets_text
        {
            subnets = text
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
        }
        crate::request::check::strings("subnets", &subnets, false)?;
        Ok(Elbv2Driver::new(aws.build()?, page_size, self.max_pages).with_subnets(subnets))
    }
}

/// The option keys [`Elbv2DriverBuilder::from_config`] understands.
pub const CONFIG_OPTIONS: &[&str] = &[
    "page_size",
    "subnets",
    "profile",
    "max_attempts",
    "base_delay_ms",
    "max_delay_ms",
    "total_budget_ms",
    "connect_timeout_ms",
    "request_timeout_ms",
];

/// Builds [`Elbv2Driver`]s from the generic [`Config`], for the registry
/// (`lbcloud::get_driver(Provider::Elbv2)`).
///
/// ```
/// use lbcloud_core::{Config, DriverFactory};
/// use lbcloud_elbv2::Elbv2DriverFactory;
///
/// let driver = Elbv2DriverFactory.connect(
///     Config::new().key("AKIDEXAMPLE").secret("secret").region("us-west-2"),
/// )?;
/// assert_eq!(driver.name(), "elbv2");
/// # Ok::<(), lbcloud_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Elbv2DriverFactory;

impl DriverFactory for Elbv2DriverFactory {
    fn name(&self) -> &str {
        crate::PROVIDER
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
                    "is not an ELBv2 option; known options: {}",
                    CONFIG_OPTIONS.join(", ")
                ),
            ));
        }
        let driver = Elbv2DriverBuilder::default().from_config(&config).build()?;
        Ok(Arc::new(driver))
    }
}
