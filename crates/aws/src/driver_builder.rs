//! What every AWS driver's builder shares, so a driver's builder holds
//! only its own settings: the client settings as builder methods
//! ([`client_builder_methods!`](crate::client_builder_methods)), the
//! options [`AwsClientBuilder::from_config`](crate::AwsClientBuilder::from_config)
//! reads ([`CLIENT_OPTIONS`]), the unknown-option check of a driver
//! factory ([`check_options`]) and the parse of a numeric option
//! ([`parse_number_option`]).

use std::str::FromStr;

use lbcloud_core::{Config, Error, Result};

/// The `Config` options the AWS plumbing itself reads (see
/// [`AwsClientBuilder::from_config`](crate::AwsClientBuilder::from_config));
/// a driver adds its own.
pub const CLIENT_OPTIONS: &[&str] = &[
    "profile",
    "max_attempts",
    "base_delay_ms",
    "max_delay_ms",
    "total_budget_ms",
    "connect_timeout_ms",
    "request_timeout_ms",
];

/// Refuses the first option of `config` that neither the driver
/// (`driver_options`) nor the AWS plumbing ([`CLIENT_OPTIONS`]) reads, as
/// `InvalidInput` on `options.NAME` listing every known option. A typo in
/// an option must not be ignored silently.
///
/// ```
/// use lbcloud_core::{Config, ErrorKind};
///
/// let config = Config::new().option("page_sise", "10");
/// let err = lbcloud_aws::check_options(&config, "ELB", &["page_size"]).unwrap_err();
/// assert_eq!((err.kind(), err.field()), (ErrorKind::InvalidInput, Some("options.page_sise")));
/// assert!(err.to_string().contains("page_size, profile, max_attempts"));
/// assert!(lbcloud_aws::check_options(&Config::new().option("profile", "dev"), "ELB", &[]).is_ok());
/// ```
pub fn check_options(config: &Config, provider: &str, driver_options: &[&str]) -> Result<()> {
    let known = |name: &str| driver_options.contains(&name) || CLIENT_OPTIONS.contains(&name);
    match config.options().keys().find(|k| !known(k)) {
        None => Ok(()),
        Some(unknown) => {
            let all: Vec<&str> = driver_options
                .iter()
                .chain(CLIENT_OPTIONS)
                .copied()
                .collect();
            Err(Error::invalid_input(
                format!("options.{unknown}"),
                format!(
                    "is not an {provider} option; known options: {}",
                    all.join(", ")
                ),
            ))
        }
    }
}

/// Parses the text of a numeric option, or `InvalidInput` on `field`
/// quoting what was given.
///
/// ```
/// assert_eq!(lbcloud_aws::parse_number_option::<u32>("page_size", " 40 ").unwrap(), 40);
/// let err = lbcloud_aws::parse_number_option::<u32>("page_size", "forty").unwrap_err();
/// assert_eq!(err.field(), Some("page_size"));
/// ```
pub fn parse_number_option<T: FromStr>(field: &str, text: &str) -> Result<T> {
    text.trim()
        .parse()
        .map_err(|_| Error::invalid_input(field, format!("must be a whole number, got {text:?}")))
}

/// Writes the client settings of an AWS driver's builder as methods that
/// hand each one to the builder's [`AwsClientBuilder`](crate::AwsClientBuilder)
/// field: `key`, `secret`, `session_token`, `credentials`,
/// `credentials_provider`, `ca_bundle`, `proxy`, `region`, `endpoint`,
/// `profile`, `retry`, `connect_timeout`, `request_timeout` and `env`.
/// Used inside the builder's `impl` block with the field's name:
///
/// ```
/// use lbcloud_aws::{AwsClient, AwsClientBuilder, Service};
///
/// const EXAMPLE: Service = Service {
///     provider: "example",
///     signing_name: "elasticloadbalancing",
///     endpoint_prefix: "elasticloadbalancing",
///     endpoint_env: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING",
///     api_version: "2012-06-01",
/// };
///
/// /// A driver builder with the AWS client settings and nothing else.
/// pub struct ExampleBuilder {
///     aws: AwsClientBuilder,
/// }
///
/// impl ExampleBuilder {
///     lbcloud_aws::client_builder_methods!(aws);
/// }
///
/// let b = ExampleBuilder { aws: AwsClient::builder(EXAMPLE) }
///     .env(lbcloud_aws::Env::empty())
///     .region("eu-west-1")
///     .key("AKIDEXAMPLE")
///     .secret("wJalrXUtnFEMI");
/// assert_eq!(b.aws.build()?.region(), "eu-west-1");
/// # Ok::<(), lbcloud_core::Error>(())
/// ```
#[macro_export]
macro_rules! client_builder_methods {
    ($aws:ident) => {
        /// Sets the access key id (libcloud's `key`); [`secret`](Self::secret)
        /// must be set too.
        pub fn key(mut self, key: impl Into<String>) -> Self {
            self.$aws = self.$aws.key(key);
            self
        }

        /// Sets the secret access key (libcloud's `secret`);
        /// [`key`](Self::key) must be set too.
        pub fn secret(mut self, secret: impl Into<$crate::reexport::Secret>) -> Self {
            self.$aws = self.$aws.secret(secret);
            self
        }

        /// Sets a session token for temporary credentials, with
        /// [`key`](Self::key) and [`secret`](Self::secret): a token without
        /// both is an `InvalidInput` error when the driver is built.
        pub fn session_token(mut self, token: impl Into<$crate::reexport::Secret>) -> Self {
            self.$aws = self.$aws.session_token(token);
            self
        }

        /// Sets complete credentials at once.
        pub fn credentials(mut self, credentials: $crate::Credentials) -> Self {
            self.$aws = self.$aws.credentials(credentials);
            self
        }

        /// Uses credentials from `provider` (cached and refreshed) instead
        /// of the default chain; an `aws-config` chain fits through
        /// `lbcloud_aws::SdkCredentialsProvider`.
        pub fn credentials_provider(mut self, provider: $crate::SharedProvider) -> Self {
            self.$aws = self.$aws.credentials_provider(provider);
            self
        }

        /// Trusts the PEM certificates in this file besides the TLS roots
        /// (overrides `AWS_CA_BUNDLE` and the profile's `ca_bundle`).
        pub fn ca_bundle(mut self, path: impl Into<::std::path::PathBuf>) -> Self {
            self.$aws = self.$aws.ca_bundle(path);
            self
        }

        /// Sends requests through this proxy instead of the one
        /// `HTTPS_PROXY` / `NO_PROXY` choose.
        pub fn proxy(mut self, url: impl Into<String>) -> Self {
            self.$aws = self.$aws.proxy(url);
            self
        }

        /// Sets the region (for example `us-east-1`).
        pub fn region(mut self, region: impl Into<String>) -> Self {
            self.$aws = self.$aws.region(region);
            self
        }

        /// Sets the endpoint URL (for example a local moto server).
        pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
            self.$aws = self.$aws.endpoint(endpoint);
            self
        }

        /// Uses a named profile of the shared AWS files.
        pub fn profile(mut self, profile: impl Into<String>) -> Self {
            self.$aws = self.$aws.profile(profile);
            self
        }

        /// Sets the retry policy (attempts, backoff, total time budget).
        pub fn retry(mut self, retry: $crate::RetryConfig) -> Self {
            self.$aws = self.$aws.retry(retry);
            self
        }

        /// Sets the TCP connect timeout.
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$aws = self.$aws.connect_timeout(timeout);
            self
        }

        /// Sets the timeout of one HTTP attempt.
        pub fn request_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$aws = self.$aws.request_timeout(timeout);
            self
        }

        /// Reads the environment (and shared files) through `env` instead
        /// of the process's, so tests need not change the process
        /// environment.
        pub fn env(mut self, env: $crate::Env) -> Self {
            self.$aws = self.$aws.env(env);
            self
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AwsClient, Env, Service};

    const SVC: Service = Service {
        provider: "test",
        signing_name: "elasticloadbalancing",
        endpoint_prefix: "elasticloadbalancing",
        endpoint_env: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING",
        api_version: "2012-06-01",
    };

    /// Every name in CLIENT_OPTIONS is really read by from_config: a bad
    /// value for it fails the build naming it (profile takes any text, so
    /// it is checked by what it selects).
    #[test]
    fn every_client_option_is_read_by_from_config() {
        for option in CLIENT_OPTIONS.iter().filter(|o| **o != "profile") {
            let config = Config::new()
                .key("AKID")
                .secret("s")
                .region("us-east-1")
                .option(*option, "many");
            let err = AwsClient::builder(SVC)
                .env(Env::empty())
                .from_config(&config)
                .build()
                .unwrap_err();
            assert_eq!(err.field(), Some(*option), "{err}");
        }
        let config = Config::new()
            .key("AKID")
            .secret("s")
            .option("profile", "nowhere");
        let err = AwsClient::builder(SVC)
            .env(Env::empty())
            .from_config(&config)
            .build()
            .unwrap_err();
        assert_eq!(
            err.field(),
            Some("region"),
            "the profile gave no region: {err}"
        );
    }

    #[test]
    fn key_secret_and_token_must_come_together() {
        let b = || {
            AwsClient::builder(SVC)
                .env(Env::empty())
                .region("us-east-1")
        };
        let field = |r: Result<AwsClient>| r.unwrap_err().field().map(str::to_owned);
        assert_eq!(field(b().key("AKID").build()), Some("secret".into()));
        assert_eq!(field(b().secret("s").build()), Some("key".into()));
        let err = b().session_token("FwoGZXIvYXdzE").build().unwrap_err();
        assert_eq!(err.field(), Some("session_token"));
        assert!(!err.to_string().contains("FwoGZXIvYXdzE"), "{err}");
        assert!(
            b().key("AKID")
                .secret("s")
                .session_token("t")
                .build()
                .is_ok()
        );
    }
}
