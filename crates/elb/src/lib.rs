//! # lbcloud-elb
//!
//! The AWS Elastic Load Balancing (classic, API 2012-06-01) driver.
//!
//! What is here so far is the pure half of the driver, with no I/O:
//!
//! - [`model`]: the ELB-only types the `ex_` methods take and return, and
//!   [`ElbBalancerDescription`](model::ElbBalancerDescription), every field of
//!   a `DescribeLoadBalancers` entry, convertible to and from a core
//!   [`Balancer`](lbcloud_core::Balancer) (see [`EXTRA_KEYS`]).
//! - [`request`]: one builder per action, typed input to
//!   [`QueryParams`](lbcloud_aws::QueryParams), validating before building.
//! - [`response`]: one parser per action's answer, a streaming parser over
//!   `quick-xml` that never panics.
//! - `fixtures` (cargo feature `fixtures`): generators of realistic
//!   `DescribeLoadBalancers` pages for benchmarks and tests elsewhere.

mod builder;
mod convert;
mod driver;
mod ext;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod model;
pub mod request;
pub mod response;
mod xml;

pub use builder::{
    CONFIG_OPTIONS, DEFAULT_PAGE_SIZE, ELB_SERVICE, ElbDriverBuilder, ElbDriverFactory,
};
pub use convert::EXTRA_KEYS;
pub use driver::{ELB_ALGORITHMS, ElbDriver};
pub use ext::{BalancerRef, TAGS_EXTRA_KEY, tags_of};
/// The AWS plumbing types a caller may need to configure the driver.
pub use lbcloud_aws::{Credentials, Env, RetryConfig};
