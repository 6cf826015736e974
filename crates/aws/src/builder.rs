//! [`AwsClientBuilder`]: settings in, a ready [`AwsClient`] out.

use std::fmt;
use std::time::Duration;

use lbcloud_core::{Config, Error, ErrorKind, Result};

use crate::credentials::{self, Credentials};
use crate::profile::ProfileFiles;
use crate::region::{endpoint_for, validate_endpoint, validate_region};
use crate::transport::{AwsClient, ClientInner};
use crate::{Env, RetryConfig, Service};

/// Default time to open a TCP (and TLS) connection.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time for one attempt, from sending to the last body byte.
const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds an [`AwsClient`]; see [`AwsClient::builder`].
///
/// Every setting is optional: credentials, region and endpoint fall back to
/// the environment and the shared AWS files (see [`AwsClientBuilder::build`]).
///
/// ```
/// use std::time::Duration;
/// use lbcloud_aws::{AwsClient, Credentials, Env, RetryConfig, Service};
///
/// const ELB: Service = Service {
///     provider: "elb",
///     signing_name: "elasticloadbalancing",
///     endpoint_prefix: "elasticloadbalancing",
///     endpoint_env: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING",
///     api_version: "2012-06-01",
/// };
/// let client = AwsClient::builder(ELB)
///     .env(Env::from_pairs([("AWS_REGION", "eu-west-1")])) // instead of the process environment
///     .credentials(Credentials::new("AKIDEXAMPLE", "secret"))
///     .retry(RetryConfig::none())
///     .request_timeout(Duration::from_secs(5))
///     .build()?;
/// assert_eq!(client.region(), "eu-west-1");
/// assert_eq!(client.endpoint(), "https://elasticloadbalancing.eu-west-1.amazonaws.com");
/// # Ok::<(), lbcloud_core::Error>(())
/// ```
#[derive(Clone)]
pub struct AwsClientBuilder {
    service: Service,
    credentials: Option<Credentials>,
    region: Option<String>,
    endpoint: Option<String>,
    profile: Option<String>,
    retry: RetryConfig,
    connect_timeout: Duration,
    request_timeout: Duration,
    env: Env,
    /// The first bad value [`AwsClientBuilder::from_config`] met; reported by `build`
    /// so the setters can stay chainable.
    deferred: Option<(String, String)>,
}

impl AwsClientBuilder {
    pub(crate) fn new(service: Service) -> Self {
        Self {
            service,
            credentials: None,
            region: None,
            endpoint: None,
            profile: None,
            retry: RetryConfig::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            env: Env::process(),
            deferred: None,
        }
    }

    /// Uses these credentials and skips the environment and files for them.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sets the region (for example `us-west-2`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets the endpoint URL, overriding the environment and the derived one.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Chooses the shared-file profile, overriding `AWS_PROFILE`.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Sets the retry policy (default: [`RetryConfig::default`]).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the time allowed for one attempt, from sending to the last body
    /// byte (default 30 s). The total budget of [`RetryConfig`] can shorten it.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Reads environment variables and the home directory from `env`
    /// instead of the process (default: [`Env::process`]).
    pub fn env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Applies the generic [`Config`]: key, secret, token, region, endpoint,
    /// and these options (others are left for the driver):
    ///
    /// | option | meaning |
    /// |---|---|
    /// | `profile` | shared-file profile |
    /// | `max_attempts` | [`RetryConfig::max_attempts`] |
    /// | `base_delay_ms`, `max_delay_ms` | backoff caps |
    /// | `total_budget_ms` | [`RetryConfig::total_budget`] |
    /// | `connect_timeout_ms`, `request_timeout_ms` | timeouts |
    ///
    /// A key without a secret (or the reverse) and an option that is not a
    /// whole number are reported by [`AwsClientBuilder::build`], naming the field.
    ///
    /// ```
    /// use lbcloud_core::{Config, ErrorKind};
    /// use lbcloud_aws::{AwsClient, Env, Service};
    /// # const ELB: Service = Service { provider: "elb", signing_name: "elasticloadbalancing",
    /// #   endpoint_prefix: "elasticloadbalancing", endpoint_env: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING",
    /// #   api_version: "2012-06-01" };
    /// let config = Config::new().key("AKID").secret("s").region("us-west-2").option("max_attempts", "five");
    /// let err = AwsClient::builder(ELB).env(Env::from_pairs([("X", "")])).from_config(&config).build().unwrap_err();
    /// assert_eq!((err.kind(), err.field()), (ErrorKind::InvalidInput, Some("max_attempts")));
    /// ```
    pub fn from_config(mut self, config: &Config) -> Self {
        match (config.get_key(), config.get_secret()) {
            (Some(key), Some(secret)) => {
                let mut c = Credentials::new(key, secret.clone());
                if let Some(token) = config.get_token() {
                    c = c.with_session_token(token.clone());
                }
                self.credentials = Some(c);
            }
            (Some(_), None) => self.defer("secret", "is required when a key is given"),
            (None, Some(_)) => self.defer("key", "is required when a secret is given"),
            (None, None) => {}
        }
        if let Some(region) = config.get_region() {
            self.region = Some(region.to_owned());
        }
        if let Some(endpoint) = config.get_endpoint() {
            self.endpoint = Some(endpoint.to_owned());
        }
        if let Some(profile) = config.get_option("profile") {
            self.profile = Some(profile.to_owned());
        }
        if let Some(n) = self.number(config, "max_attempts") {
            match u32::try_from(n) {
                Ok(n) => self.retry.max_attempts = n,
                Err(_) => self.defer("max_attempts", "is too large"),
            }
        }
        let ms = Duration::from_millis;
        if let Some(n) = self.number(config, "base_delay_ms") {
            self.retry.base_delay = ms(n);
        }
        if let Some(n) = self.number(config, "max_delay_ms") {
            self.retry.max_delay = ms(n);
        }
        if let Some(n) = self.number(config, "total_budget_ms") {
            self.retry.total_budget = ms(n);
        }
        if let Some(n) = self.number(config, "connect_timeout_ms") {
            self.connect_timeout = ms(n);
        }
        if let Some(n) = self.number(config, "request_timeout_ms") {
            self.request_timeout = ms(n);
        }
        self
    }

    fn number(&mut self, config: &Config, option: &str) -> Option<u64> {
        let raw = config.get_option(option)?;
        match raw.trim().parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.defer(option, format!("must be a whole number; got {raw:?}"));
                None
            }
        }
    }

    fn defer(&mut self, field: &str, rule: impl Into<String>) {
        if self.deferred.is_none() {
            self.deferred = Some((field.to_owned(), rule.into()));
        }
    }

    /// Resolves everything and builds the client.
    ///
    /// - credentials: explicit, then `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`
    ///   / `AWS_SESSION_TOKEN`, then the profile (`profile`, else `AWS_PROFILE`,
    ///   else `default`) in `~/.aws/credentials` and `~/.aws/config`
    ///   (`AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE` move them);
    ///   none found is [`ErrorKind::Unauthenticated`], naming where it looked;
    /// - region: explicit, then `AWS_REGION`, `AWS_DEFAULT_REGION`, then the
    ///   profile's `region`; required and syntax-checked;
    /// - endpoint: explicit, then the service's variable (for ELB
    ///   `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING`), then `AWS_ENDPOINT_URL`,
    ///   then derived from region and partition.
    ///
    /// Bad settings are [`ErrorKind::InvalidInput`] naming the field.
    pub fn build(self) -> Result<AwsClient> {
        if let Some((field, rule)) = self.deferred {
            return Err(Error::invalid_input(field, rule));
        }
        self.retry.validate()?;
        if self.connect_timeout.is_zero() {
            return Err(Error::invalid_input(
                "connect_timeout",
                "must be greater than zero",
            ));
        }
        if self.request_timeout.is_zero() {
            return Err(Error::invalid_input(
                "request_timeout",
                "must be greater than zero",
            ));
        }
        let env = &self.env;
        // The shared files are read only when something is still missing, so
        // a fully explicit configuration never touches the home directory.
        let need_files = self.profile.is_some()
            || (self.credentials.is_none() && env.var("AWS_ACCESS_KEY_ID").is_none())
            || (self.region.is_none()
                && env.var("AWS_REGION").is_none()
                && env.var("AWS_DEFAULT_REGION").is_none());
        let files = if need_files {
            ProfileFiles::load(env, self.profile.as_deref())
        } else {
            ProfileFiles::default()
        };
        let credentials = credentials::resolve(self.credentials, env, &files)?;
        let region = resolve_region(self.region, env, &files)?;
        let endpoint = match self
            .endpoint
            .map(|e| (e, "endpoint"))
            .or_else(|| {
                env.var(self.service.endpoint_env)
                    .map(|e| (e, self.service.endpoint_env))
            })
            .or_else(|| env.var("AWS_ENDPOINT_URL").map(|e| (e, "AWS_ENDPOINT_URL")))
        {
            Some((raw, source)) => {
                validate_endpoint(&raw).map_err(|e| from_source(e, "endpoint", source))?
            }
            None => endpoint_for(&self.service, &region),
        };
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            // A redirected POST would carry a signature for the wrong host;
            // the Query API never redirects, so a 3xx is reported instead.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("lbcloud/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| {
                Error::new(ErrorKind::Transport, "could not create the HTTP client").with_source(e)
            })?;
        Ok(AwsClient::from_inner(ClientInner {
            service: self.service,
            region,
            endpoint,
            credentials,
            retry: self.retry,
            request_timeout: self.request_timeout,
            http,
        }))
    }
}

fn resolve_region(explicit: Option<String>, env: &Env, files: &ProfileFiles) -> Result<String> {
    let found = explicit
        .map(|r| (r, "region".to_owned()))
        .or_else(|| env.var("AWS_REGION").map(|r| (r, "AWS_REGION".to_owned())))
        .or_else(|| {
            env.var("AWS_DEFAULT_REGION")
                .map(|r| (r, "AWS_DEFAULT_REGION".to_owned()))
        })
        .or_else(|| {
            files.get("region").map(|r| {
                (
                    r.to_owned(),
                    format!("`region` of profile `{}`", files.name),
                )
            })
        });
    let Some((region, source)) = found else {
        return Err(Error::invalid_input(
            "region",
            format!(
                "is required: set it explicitly, with AWS_REGION or AWS_DEFAULT_REGION, or as \
                 `region` in profile `{}`",
                if files.name.is_empty() {
                    "default"
                } else {
                    &files.name
                }
            ),
        ));
    };
    validate_region(&region).map_err(|e| from_source(e, "region", &source))?;
    Ok(region)
}

/// Re-labels a validation error with where the bad value came from.
fn from_source(err: Error, field: &str, source: &str) -> Error {
    if source == field {
        err
    } else {
        Error::invalid_input(field, format!("{} (from {source})", err.message()))
    }
}

impl fmt::Debug for AwsClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsClientBuilder")
            .field("service", &self.service.provider)
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("profile", &self.profile)
            .field("retry", &self.retry)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .finish_non_exhaustive()
    }
}
