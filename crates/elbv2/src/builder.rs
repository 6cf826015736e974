//! Building an [`Elbv2Driver`]: typed builder, environment and generic `Config`.

use std::sync::Arc;

use lbcloud_aws::{AwsClient, AwsClientBuilder, Service};
use lbcloud_core::{Config, Driver, DriverFactory, Error, Result, validate};

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
    page_size: Option<u32>,
    page_size_text: Option<String>,
    max_pages: usize,
    subnets: Vec<String>,
    subnets_text: Option<String>,
    vpc_id: Option<String>,
}

impl std::fmt::Debug for Elbv2DriverBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Elbv2DriverBuilder")
            .field("aws", &self.aws)
            .field("page_size", &self.page_size)
            .field("max_pages", &self.max_pages)
            .field("subnets", &self.subnets)
            .field("vpc_id", &self.vpc_id)
            .finish_non_exhaustive()
    }
}

impl Default for Elbv2DriverBuilder {
    fn default() -> Self {
        Self {
            aws: AwsClient::builder(ELBV2_SERVICE),
            page_size: None,
            page_size_text: None,
            max_pages: DEFAULT_MAX_PAGES,
            subnets: Vec::new(),
            subnets_text: None,
            vpc_id: None,
        }
    }
}

impl Elbv2DriverBuilder {
    lbcloud_aws::client_builder_methods!(aws);

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

    /// Sets the VPC the driver's balancers go in (their subnets' VPC), so
    /// `create_balancer` can send `CreateTargetGroup`, which needs it,
    /// together with `CreateLoadBalancer`: one round trip less. Without
    /// it the driver learns each subnet's VPC from the balancers it reads
    /// and creates, and saves the round trip from then on. A VPC other
    /// than the subnets' fails the create (and undoes it) naming
    /// `vpc_id`. Also the `vpc_id` option of [`from_config`](Self::from_config).
    pub fn vpc_id(mut self, vpc_id: impl Into<String>) -> Self {
        self.vpc_id = Some(vpc_id.into());
        self
    }

    /// Applies the generic [`Config`]: key, secret, token, region, endpoint,
    /// the options [`CONFIG_OPTIONS`] (`page_size`, `subnets`
    /// comma-separated, `vpc_id`) and those of the AWS plumbing
    /// ([`lbcloud_aws::CLIENT_OPTIONS`]: `profile`, `max_attempts`,
    /// `base_delay_ms`, `max_delay_ms`, `total_budget_ms`,
    /// `connect_timeout_ms`, `request_timeout_ms`). Bad values are reported
    /// by [`build`](Self::build); unknown options by [`Elbv2DriverFactory`].
    pub fn from_config(mut self, config: &Config) -> Self {
        self.aws = self.aws.from_config(config);
        if let Some(text) = config.get_option("page_size") {
            self.page_size_text = Some(text.to_owned());
        }
        if let Some(text) = config.get_option("subnets") {
            self.subnets_text = Some(text.to_owned());
        }
        if let Some(text) = config.get_option("vpc_id")
            && self.vpc_id.is_none()
        {
            self.vpc_id = Some(text.trim().to_owned());
        }
        self
    }

    /// Builds the driver. Sends no request.
    ///
    /// Fails with `InvalidInput` for a key without a secret (or the
    /// reverse), a session token without both, a page size outside 1-400,
    /// `max_pages` 0 or a bad subnet id.
    pub fn build(self) -> Result<Elbv2Driver> {
        let (aws, settings) = self.prepare()?;
        Ok(settings.driver(aws.build()?))
    }

    /// Like [`build`](Self::build), but with no region configured asks EC2
    /// instance metadata for it (unless `AWS_EC2_METADATA_DISABLED`).
    pub async fn build_async(self) -> Result<Elbv2Driver> {
        let (aws, settings) = self.prepare()?;
        Ok(settings.driver(aws.build_async().await?))
    }

    /// Checks the ELBv2 settings; the client's own are checked when it is built.
    fn prepare(self) -> Result<(AwsClientBuilder, Settings)> {
        let page_size = match (self.page_size, self.page_size_text) {
            (Some(n), _) => n,
            (None, Some(text)) => lbcloud_aws::parse_number_option("page_size", &text)?,
            (None, None) => DEFAULT_PAGE_SIZE,
        };
        validate::range("page_size", page_size, 1, MAX_PAGE_SIZE)?;
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
        if let Some(vpc) = &self.vpc_id {
            crate::request::check::non_empty("vpc_id", vpc)?;
        }
        let settings = Settings {
            page_size,
            max_pages: self.max_pages,
            subnets,
            vpc_id: self.vpc_id,
        };
        Ok((self.aws, settings))
    }
}

/// The checked ELBv2 settings, waiting for the client.
struct Settings {
    page_size: u32,
    max_pages: usize,
    subnets: Vec<String>,
    vpc_id: Option<String>,
}

impl Settings {
    fn driver(self, aws: AwsClient) -> Elbv2Driver {
        Elbv2Driver::new(aws, self.page_size, self.max_pages)
            .with_subnets(self.subnets)
            .with_vpc_id(self.vpc_id)
    }
}

/// The ELBv2 driver's own option keys of [`Elbv2DriverBuilder::from_config`];
/// it also reads the AWS plumbing's ([`lbcloud_aws::CLIENT_OPTIONS`]).
pub const CONFIG_OPTIONS: &[&str] = &["page_size", "subnets", "vpc_id"];

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
        lbcloud_aws::check_options(&config, "ELBv2", CONFIG_OPTIONS)?;
        let driver = Elbv2DriverBuilder::default().from_config(&config).build()?;
        Ok(Arc::new(driver))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lbcloud_aws::Env;

    fn builder() -> Elbv2DriverBuilder {
        Elbv2DriverBuilder::default()
            .env(Env::empty())
            .region("us-east-1")
    }

    /// Before the builders shared lbcloud-aws's key handling, ELBv2 dropped
    /// a lone session token and signed with whatever the chain found.
    #[test]
    fn a_session_token_alone_is_invalid_input() {
        let err = builder()
            .session_token("FwoGZXIvYXdzE")
            .build()
            .unwrap_err();
        assert_eq!(err.field(), Some("session_token"));
        assert!(!err.to_string().contains("FwoGZXIvYXdzE"), "{err}");
    }

    #[test]
    fn options_are_checked_by_name() {
        let config = Config::new()
            .key("AKID")
            .secret("s")
            .region("us-east-1")
            .option("subnet", "subnet-1");
        let err = Elbv2DriverFactory.connect(config).unwrap_err();
        assert_eq!(err.field(), Some("options.subnet"));
        assert!(
            err.to_string()
                .contains("page_size, subnets, vpc_id, profile"),
            "{err}"
        );
        let bad_page = Config::new()
            .key("AKID")
            .secret("s")
            .region("us-east-1")
            .option("page_size", "401");
        let err = Elbv2DriverFactory.connect(bad_page).unwrap_err();
        assert_eq!(err.field(), Some("page_size"));
    }

    #[tokio::test]
    async fn build_async_takes_the_region_it_is_given() {
        let driver = builder()
            .key("AKID")
            .secret("s")
            .build_async()
            .await
            .unwrap();
        assert_eq!(driver.region(), "us-east-1");
    }
}
