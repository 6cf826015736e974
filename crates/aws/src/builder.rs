//! [`AwsClientBuilder`]: settings in, a ready [`AwsClient`] out.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use lbcloud_core::{Config, Error, Result, Secret};

use crate::credentials::chain::{self, ChainContext, Explicit};
use crate::credentials::imds::{self, ImdsClient};
use crate::credentials::sts::{STS, StsSettings};
use crate::credentials::{Credentials, CredentialsCache, SharedProvider};
use crate::profile::ProfileFiles;
use crate::settings::{ca_bundle_from, resolve_endpoint, resolve_region};
use crate::tls::{CaBundle, Network, ProxyUrl};
use crate::transport::{Auth, AwsClient, ClientInner};
use crate::{ClientRateLimiter, Env, RetryConfig, Service};

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
    credentials: Explicit,
    /// Key, secret and token set one by one ([`AwsClientBuilder::key`]
    /// ...); paired and checked by `build`, where they win over
    /// [`AwsClientBuilder::credentials`].
    keys: KeyParts,
    region: Option<String>,
    endpoint: Option<String>,
    profile: Option<String>,
    retry: RetryConfig,
    /// [`AwsClientBuilder::retry`] was called: the environment's retry
    /// settings are not applied.
    retry_explicit: bool,
    /// `max_attempts` came from [`AwsClientBuilder::from_config`].
    attempts_explicit: bool,
    network: Network,
    connect_timeout: Duration,
    request_timeout: Duration,
    env: Env,
    /// The first bad value [`AwsClientBuilder::from_config`] met; reported by `build`
    /// so the setters can stay chainable.
    deferred: Option<(String, String)>,
    /// [`AwsClientBuilder::rate_limiter`]; used only in the adaptive mode.
    rate_limiter: Option<ClientRateLimiter>,
}

impl AwsClientBuilder {
    pub(crate) fn new(service: Service) -> Self {
        Self {
            service,
            credentials: Explicit::None,
            keys: KeyParts::default(),
            region: None,
            endpoint: None,
            profile: None,
            retry: RetryConfig::default(),
            retry_explicit: false,
            attempts_explicit: false,
            network: Network::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            env: Env::process(),
            deferred: None,
            rate_limiter: None,
        }
    }

    /// Sets the access key id (libcloud's `key`); needs
    /// [`secret`](Self::secret) too, checked by [`build`](Self::build).
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.keys.key = Some(key.into());
        self
    }

    /// Sets the secret access key (libcloud's `secret`); needs
    /// [`key`](Self::key) too.
    pub fn secret(mut self, secret: impl Into<Secret>) -> Self {
        self.keys.secret = Some(secret.into());
        self
    }

    /// Sets a session token for temporary credentials, with
    /// [`key`](Self::key) and [`secret`](Self::secret): a token without
    /// both is an `InvalidInput` error at [`build`](Self::build), never
    /// silently dropped.
    pub fn session_token(mut self, token: impl Into<Secret>) -> Self {
        self.keys.token = Some(token.into());
        self
    }

    /// Uses these credentials and skips the chain for them.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Explicit::Static(credentials);
        self
    }

    /// Uses credentials from `provider` instead of the default chain; they
    /// are cached and refreshed before they expire. An `aws-config` chain
    /// fits through [`SdkCredentialsProvider`](crate::SdkCredentialsProvider).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use lbcloud_aws::{AwsClient, Credentials, Env, Service};
    /// # const ELB: Service = Service { provider: "elb", signing_name: "elasticloadbalancing",
    /// #   endpoint_prefix: "elasticloadbalancing", endpoint_env: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING",
    /// #   api_version: "2012-06-01" };
    /// let client = AwsClient::builder(ELB)
    ///     .env(Env::empty())
    ///     .region("us-east-1")
    ///     .credentials_provider(Arc::new(Credentials::new("AKID", "secret")))
    ///     .build()?;
    /// assert!(client.credentials_cache().is_some());
    /// # Ok::<(), lbcloud_core::Error>(())
    /// ```
    pub fn credentials_provider(mut self, provider: SharedProvider) -> Self {
        self.credentials = Explicit::Provider(provider);
        self
    }

    /// Trusts the PEM certificates in file `path` in addition to the TLS
    /// backend's roots (overrides `AWS_CA_BUNDLE` and the profile's
    /// `ca_bundle`). Read when the client is built.
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.network.ca_bundle = Some(CaBundle::File {
            path: path.into(),
            field: "ca_bundle",
        });
        self
    }

    /// Trusts these PEM certificates in addition to the TLS backend's roots.
    pub fn ca_bundle_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.network.ca_bundle = Some(CaBundle::Pem(pem.into()));
        self
    }

    /// Sends every service request (STS included; instance and container
    /// metadata never) through this proxy, such as `http://proxy:3128`,
    /// instead of the one `HTTPS_PROXY` / `NO_PROXY` would choose.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.network.proxy = Some(ProxyUrl(url.into()));
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

    /// The client-side rate limiter to use when the retry mode is
    /// [`adaptive`](crate::RetryMode::Adaptive) (ignored in the other
    /// modes, which have none). Without it an adaptive client makes its
    /// own; either way the client's clones share it. Pass one limiter to
    /// several builders to make their clients slow down together, or one
    /// made with [`ClientRateLimiter::with_clock`] to control its time.
    pub fn rate_limiter(mut self, limiter: ClientRateLimiter) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// Sets the retry policy (default: [`RetryConfig::default`], adjusted by
    /// `AWS_RETRY_MODE` / `AWS_MAX_ATTEMPTS` or the profile's `retry_mode` /
    /// `max_attempts`; a policy set here is used as it is).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self.retry_explicit = true;
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
                self.credentials = Explicit::Static(c);
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
                Ok(n) => {
                    self.retry.max_attempts = n;
                    self.attempts_explicit = true;
                }
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

    /// Resolves everything and builds the client. Sends no request:
    /// credentials are fetched on the first request and refreshed by the
    /// client's [`CredentialsCache`].
    ///
    /// - credentials: explicit (or a provider), else the default chain in
    ///   the AWS SDKs' order: `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`
    ///   / `AWS_SESSION_TOKEN`; web identity (`AWS_WEB_IDENTITY_TOKEN_FILE`,
    ///   `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`); the profile (`profile`,
    ///   else `AWS_PROFILE`, else `default`) in `~/.aws/credentials` and
    ///   `~/.aws/config` (`AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`
    ///   move them): static keys, `credential_process`, IAM Identity Center
    ///   (`sso_session` or `sso_start_url`, with the token `aws sso login`
    ///   cached in `~/.aws/sso/cache`), `role_arn` with `source_profile` /
    ///   `credential_source`; ECS container credentials;
    ///   EC2 instance metadata (IMDSv2). The source is chosen here from
    ///   what is configured; a configured but broken source is an error
    ///   here, naming it. With `AWS_EC2_METADATA_DISABLED=true` and nothing
    ///   configured, this is [`lbcloud_core::ErrorKind::Unauthenticated`]
    ///   naming every place looked at;
    /// - region: explicit, then `AWS_REGION`, `AWS_DEFAULT_REGION`, then the
    ///   profile's `region`; required and syntax-checked
    ///   ([`build_async`](Self::build_async) also asks instance metadata);
    /// - endpoint: explicit, then the service's variable (for ELB
    ///   `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING`), then `AWS_ENDPOINT_URL`,
    ///   then the service's `endpoint_url` in the `[services NAME]` section
    ///   the profile's `services` names (key `elastic_load_balancing`),
    ///   then the profile's `endpoint_url`, then derived from region and
    ///   partition. STS (for assumed roles) uses `AWS_ENDPOINT_URL_STS`,
    ///   `AWS_ENDPOINT_URL`, the profile's `endpoint_url`, else
    ///   `sts.REGION.amazonaws.com`; IAM Identity Center likewise uses
    ///   `AWS_ENDPOINT_URL_SSO` / `AWS_ENDPOINT_URL_SSO_OIDC`, else
    ///   `portal.sso.` / `oidc.` in the profile's `sso_region`;
    /// - retries: see [`retry`](Self::retry);
    /// - TLS and proxies: see [`ca_bundle`](Self::ca_bundle), [`proxy`](Self::proxy).
    ///
    /// Bad settings are [`lbcloud_core::ErrorKind::InvalidInput`] naming the field.
    pub fn build(mut self) -> Result<AwsClient> {
        self.pair_keys()?;
        let files = self.check_and_load()?;
        let region = resolve_region(self.region.clone(), &self.env, &files)?;
        self.finish(files, region)
    }

    /// Like [`build`](Self::build), but when no region is configured it
    /// asks EC2 instance metadata for the instance's region (unless
    /// `AWS_EC2_METADATA_DISABLED` is true), as the AWS SDKs do.
    pub async fn build_async(mut self) -> Result<AwsClient> {
        self.pair_keys()?;
        let files = self.check_and_load()?;
        let region = match resolve_region(self.region.clone(), &self.env, &files) {
            Ok(r) => r,
            Err(missing) if self.region.is_none() && !imds::disabled(&self.env) => {
                let network = self.network_settings(&files);
                let client = ImdsClient::from_env(&self.env, &files, || network.metadata_client())?;
                match client {
                    Some(c) => c.region().await.map_err(|e| {
                        Error::invalid_input(
                            "region",
                            format!(
                                "{}; instance metadata did not help: {}",
                                missing.message(),
                                e.message()
                            ),
                        )
                    })?,
                    None => return Err(missing),
                }
            }
            Err(e) => return Err(e),
        };
        self.finish(files, region)
    }

    /// Turns the key, secret and token set one by one into explicit
    /// credentials, or says which part is missing.
    fn pair_keys(&mut self) -> Result<()> {
        let KeyParts { key, secret, token } = std::mem::take(&mut self.keys);
        match (key, secret) {
            (Some(key), Some(secret)) => {
                let mut creds = Credentials::new(key, secret);
                if let Some(token) = token {
                    creds = creds.with_session_token(token);
                }
                self.credentials = Explicit::Static(creds);
                Ok(())
            }
            (Some(_), None) => Err(Error::invalid_input(
                "secret",
                "is required when a key is given",
            )),
            (None, Some(_)) => Err(Error::invalid_input(
                "key",
                "is required when a secret is given",
            )),
            // A token alone cannot sign anything; dropping it would
            // silently sign with other credentials.
            (None, None) if token.is_some() => Err(Error::invalid_input(
                "session_token",
                "is used only with a key and a secret; set all three, or none and let the AWS chain find them",
            )),
            (None, None) => Ok(()),
        }
    }

    /// Validates the plain settings and reads the shared files.
    fn check_and_load(&self) -> Result<ProfileFiles> {
        if let Some((field, rule)) = &self.deferred {
            return Err(Error::invalid_input(field.clone(), rule.clone()));
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
        Ok(ProfileFiles::load(&self.env, self.profile.as_deref()))
    }

    /// The CA bundle and proxy, with `AWS_CA_BUNDLE` / the profile's
    /// `ca_bundle` when none was set here.
    fn network_settings(&self, files: &ProfileFiles) -> Network {
        let mut network = self.network.clone();
        if network.ca_bundle.is_none() {
            network.ca_bundle = ca_bundle_from(&self.env, files);
        }
        network
    }

    fn finish(self, files: ProfileFiles, region: String) -> Result<AwsClient> {
        let network = self.network_settings(&files);
        let env = &self.env;
        let retry = if self.retry_explicit {
            self.retry
        } else {
            self.retry
                .with_settings_from(env, &files, self.attempts_explicit)?
        };
        let endpoint = resolve_endpoint(
            self.endpoint,
            &self.service,
            "endpoint",
            env,
            &files,
            &region,
        )?;
        let http = network.service_client(self.connect_timeout)?;
        let sts_endpoint = resolve_endpoint(None, &STS, "sts_endpoint", env, &files, &region)?;
        let ctx = ChainContext {
            env,
            files: &files,
            sts: StsSettings {
                endpoint: sts_endpoint,
                region: region.clone(),
                http: http.clone(),
                request_timeout: self.request_timeout,
            },
            network: &network,
        };
        let chosen = chain::choose(self.credentials, &ctx)?;
        let cache = CredentialsCache::new(std::sync::Arc::new(chosen));
        Ok(AwsClient::from_inner(
            ClientInner::new(
                self.service,
                region,
                endpoint,
                Auth::Signed(cache),
                retry,
                self.request_timeout,
                http,
                true,
            )
            .with_rate_limiter(self.rate_limiter),
        ))
    }
}

/// Static-key parts set one by one (the secret and the token redact
/// themselves in `Debug`).
#[derive(Clone, Default)]
struct KeyParts {
    key: Option<String>,
    secret: Option<Secret>,
    token: Option<Secret>,
}

impl fmt::Debug for AwsClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsClientBuilder")
            .field("service", &self.service.provider)
            .field("credentials", &self.credentials)
            .field("key", &self.keys.key)
            .field("secret", &self.keys.secret)
            .field("session_token", &self.keys.token)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("profile", &self.profile)
            .field("retry", &self.retry)
            .field("rate_limiter", &self.rate_limiter)
            .field("network", &self.network)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .finish_non_exhaustive()
    }
}
