//! # lbcloud-elb
//!
//! The AWS Elastic Load Balancing (classic, API 2012-06-01) driver. (Being built.)

use std::sync::Arc;

use lbcloud_core::{Config, Driver, DriverFactory, Error, Result};

/// Builds [`Driver`]s for classic ELB from the generic [`Config`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ElbDriverFactory;

impl DriverFactory for ElbDriverFactory {
    fn name(&self) -> &str {
        "elb"
    }

    fn connect(&self, _config: Config) -> Result<Arc<dyn Driver>> {
        // Replaced by the real driver in the ELB base-operations issue.
        Err(Error::unsupported("connect", "the ELB driver is not built yet"))
    }
}
