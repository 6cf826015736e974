//! Building an [`ElbDriver`]: typed builder, environment and generic `Config`.

use std::sync::Arc;

use lbcloud_aws::{AwsClient, AwsClientBuilder, Service};
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
    page_size: Option<u32>,
    page_size_text: Option<String>,
    list_tags: Option<bool>,
    list_tags_text: Option<String>,
}

impl std::fmt::Debug for ElbDriverBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ElbDriverBuilder")
            .field("aws", &self.aws)
            .field("page_size", &self.page_size)
            .field("list_tags", &self.list_tags)
            .finish_non_exhaustive()
    }
}

impl Default for ElbDriverBuilder {
    fn default() -> Self {
        Self {
            aws: AwsClient::builder(ELB_SERVICE),
            page_size: None,
            page_size_text: None,
            list_tags: None,
            list_tags_text: None,
        }
    }
}

impl ElbDriverBuilder {
    lbcloud_aws::client_builder_methods!(aws);

    /// Sets how many balancers one `DescribeLoadBalancers` page asks for (1-400).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Whether listings fill [`Balancer::tags`](lbcloud_core::Balancer::tags)
    /// (default `true`): each `DescribeLoadBalancers` page is followed by
    /// one `DescribeTags` call per 20 of its balancers, up to
    /// [`MAX_TAG_CALLS_IN_FLIGHT`](crate::MAX_TAG_CALLS_IN_FLIGHT) at once.
    /// `false` keeps a listing to one call per page, with `tags` empty
    /// ([`get_balancer`](lbcloud_core::Driver::get_balancer) and
    /// [`ElbDriver::ex_list_balancers_with_tags`](crate::ElbDriver::ex_list_balancers_with_tags)
    /// still fetch them).
    pub fn list_tags(mut self, on: bool) -> Self {
        self.list_tags = Some(on);
        self
    }

    /// Applies the generic [`Config`]: key, secret, token, region, endpoint,
    /// the options [`CONFIG_OPTIONS`] (`page_size`, `list_tags` as `true` /
    /// `false`) and those of the AWS plumbing ([`lbcloud_aws::CLIENT_OPTIONS`]:
    /// `profile`, `max_attempts`, `base_delay_ms`, `max_delay_ms`,
    /// `total_budget_ms`, `connect_timeout_ms`, `request_timeout_ms`).
    /// Bad values are reported by [`build`](Self::build); unknown options
    /// by [`ElbDriverFactory`].
    pub fn from_config(mut self, config: &Config) -> Self {
        self.aws = self.aws.from_config(config);
        if let Some(text) = config.get_option("page_size") {
            self.page_size_text = Some(text.to_owned());
        }
        if let Some(text) = config.get_option("list_tags") {
            self.list_tags_text = Some(text.to_owned());
        }
        self
    }

    /// Builds the driver. Sends no request.
    ///
    /// Fails with `InvalidInput` for a key without a secret (or the
    /// reverse), a session token without both, or a page size outside 1-400.
    pub fn build(self) -> Result<ElbDriver> {
        let (aws, page_size, list_tags) = self.prepare()?;
        Ok(ElbDriver::new(aws.build()?, page_size, list_tags))
    }

    /// Like [`build`](Self::build), but with no region configured asks EC2
    /// instance metadata for it (unless `AWS_EC2_METADATA_DISABLED`).
    pub async fn build_async(self) -> Result<ElbDriver> {
        let (aws, page_size, list_tags) = self.prepare()?;
        Ok(ElbDriver::new(
            aws.build_async().await?,
            page_size,
            list_tags,
        ))
    }

    /// Checks the ELB settings; the client's own are checked when it is built.
    fn prepare(self) -> Result<(AwsClientBuilder, u32, bool)> {
        let page_size = match (self.page_size, self.page_size_text) {
            (Some(n), _) => n,
            (None, Some(text)) => lbcloud_aws::parse_number_option("page_size", &text)?,
            (None, None) => DEFAULT_PAGE_SIZE,
        };
        validate::range("page_size", page_size, 1, MAX_PAGE_SIZE)?;
        let list_tags = match (self.list_tags, self.list_tags_text) {
            (Some(on), _) => on,
            (None, Some(text)) => match text.trim() {
                t if t.eq_ignore_ascii_case("true") => true,
                t if t.eq_ignore_ascii_case("false") => false,
                _ => {
                    return Err(Error::invalid_input(
                        "list_tags",
                        format!("must be true or false, got {text:?}"),
                    ));
                }
            },
            (None, None) => true,
        };
        Ok((self.aws, page_size, list_tags))
    }
}

/// The ELB driver's own option keys of [`ElbDriverBuilder::from_config`];
/// it also reads the AWS plumbing's ([`lbcloud_aws::CLIENT_OPTIONS`]).
pub const CONFIG_OPTIONS: &[&str] = &["page_size", "list_tags"];

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
        lbcloud_aws::check_options(&config, "ELB", CONFIG_OPTIONS)?;
        let driver = ElbDriverBuilder::default().from_config(&config).build()?;
        Ok(Arc::new(driver))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lbcloud_aws::Env;
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
