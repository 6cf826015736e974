//! # lbcloud-aws
//!
//! What every lbcloud AWS driver shares:
//!
//! - [`Credentials`], the [`ProvideCredentials`] trait and the
//!   [`CredentialsCache`] every client signs from (fetched on the first
//!   request, refreshed before expiry), and the default chain in the AWS
//!   SDKs' order: explicit, environment, web identity, shared `~/.aws`
//!   profiles (static keys, `credential_process`, IAM Identity Center /
//!   SSO with the token `aws sso login` cached, assumed roles), ECS
//!   container credentials and EC2 instance metadata (IMDSv2), read through
//!   an injectable [`Env`]; [`SdkCredentialsProvider`] accepts an
//!   `aws-config` chain;
//! - TLS through cargo features (`rustls-webpki-roots`, the default;
//!   `rustls-native-roots`; `native-tls`), extra CAs (`AWS_CA_BUNDLE`) and
//!   proxies (`HTTPS_PROXY`, `NO_PROXY`, or
//!   [`AwsClientBuilder::proxy`]);
//! - regions ([`regions`], [`validate_region`]) and endpoints ([`endpoint_for`]);
//! - SigV4 signing through the `aws-sigv4` crate;
//! - [`AwsClient`]: Query-protocol POSTs over one pooled `reqwest` client,
//!   with timeouts and [`RetryConfig`] (backoff with full jitter, attempts,
//!   total time budget; in the `adaptive` mode a [`ClientRateLimiter`]);
//! - [`error`]: AWS error bodies parsed and mapped to
//!   [`lbcloud_core::ErrorKind`] in one place;
//! - [`xml`]: the streaming XML cursor every driver's response parsers
//!   read answers with.
//!
//! ```no_run
//! use lbcloud_aws::{AwsClient, QueryParams, Service};
//!
//! const ELB: Service = Service {
//!     provider: "elb",
//!     signing_name: "elasticloadbalancing",
//!     endpoint_prefix: "elasticloadbalancing",
//!     endpoint_env: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING",
//!     api_version: "2012-06-01",
//! };
//! # async fn run() -> lbcloud_core::Result<()> {
//! let client = AwsClient::builder(ELB).region("us-west-2").build()?;
//! let xml = client.send(QueryParams::new("DescribeLoadBalancers", ELB.api_version)).await?;
//! # let _ = xml; Ok(()) }
//! ```

mod builder;
mod credentials;
mod driver_builder;
mod env;
pub mod error;
mod profile;
mod query;
mod rate_limit;
mod region;
mod retry;
mod settings;
mod signing;
mod skew;
mod tls;
mod transport;
pub mod xml;

pub use builder::AwsClientBuilder;
pub use credentials::{
    Credentials, CredentialsCache, DEFAULT_REFRESH_BUFFER, ProvideCredentials,
    SdkCredentialsProvider, SharedProvider,
};
pub use driver_builder::{CLIENT_OPTIONS, check_options, parse_number_option};
pub use env::Env;
pub use query::QueryParams;
pub use rate_limit::{ClientRateLimiter, RateLimitClock};
pub use region::{dns_suffix, endpoint_for, regions, validate_region};
pub use retry::{Jitter, RetryConfig, RetryMode};
pub use tls::tls_backend;
pub use transport::AwsClient;

/// Which AWS service a client talks to: names for signing, endpoints and errors.
///
/// Each driver crate defines one as a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Service {
    /// The lbcloud provider name put in errors, such as `elb`.
    pub provider: &'static str,
    /// The SigV4 signing name, such as `elasticloadbalancing`.
    pub signing_name: &'static str,
    /// The first label of the endpoint host, such as `elasticloadbalancing`.
    pub endpoint_prefix: &'static str,
    /// The service's endpoint override variable, such as
    /// `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING`.
    pub endpoint_env: &'static str,
    /// The Query API version sent as `Version`, such as `2012-06-01`.
    pub api_version: &'static str,
}

/// Names the macros of this crate use through `$crate`, so a driver crate
/// that invokes them needs no extra dependency in scope. Not an API.
#[doc(hidden)]
pub mod reexport {
    pub use lbcloud_core::Secret;
}
