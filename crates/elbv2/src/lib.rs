//! # lbcloud-elbv2
//!
//! The AWS Elastic Load Balancing v2 driver (Application and Network Load
//! Balancers, API 2015-12-01).

mod builder;
mod driver;
mod ext;
pub mod model;
pub mod request;
pub mod response;

pub use builder::{
    CONFIG_OPTIONS, DEFAULT_MAX_PAGES, DEFAULT_PAGE_SIZE, ELBV2_SERVICE, Elbv2DriverBuilder,
};
pub use driver::{Elbv2Driver, Pages};
/// The AWS plumbing types a caller may need to configure the driver.
pub use lbcloud_aws::{Credentials, Env, RetryConfig};

/// The provider name this driver puts in errors.
pub const PROVIDER: &str = "elbv2";
