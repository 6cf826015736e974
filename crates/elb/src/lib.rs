//! # lbcloud-elb
//!
//! The AWS Elastic Load Balancing (classic, API 2012-06-01) driver. (Being built.)
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

use std::sync::Arc;

use lbcloud_core::{Config, Driver, DriverFactory, Error, Result};

mod convert;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod model;
pub mod request;
pub mod response;
mod xml;

pub use convert::EXTRA_KEYS;

/// Builds [`Driver`]s for classic ELB from the generic [`Config`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ElbDriverFactory;

impl DriverFactory for ElbDriverFactory {
    fn name(&self) -> &str {
        "elb"
    }

    fn connect(&self, _config: Config) -> Result<Arc<dyn Driver>> {
        // Replaced by the real driver in the ELB base-operations issue.
        Err(Error::unsupported(
            "connect",
            "the ELB driver is not built yet",
        ))
    }
}
