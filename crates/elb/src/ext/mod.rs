//! The ELB-only `ex_` methods of [`ElbDriver`], one file per theme:
//!
//! - `policies`: policies, policy types, stickiness, which policies a
//!   listener or an instance port uses;
//! - `listeners`: create and delete listeners, swap a listener's certificate;
//! - `network`: availability zones, subnets, security groups;
//! - `attributes`: cross-zone balancing, connection draining, idle timeout,
//!   access logs and additional attributes;
//! - `tags`: tags (also fetched with the balancer listing), account limits,
//!   instance health and the typed description of one balancer.
//!
//! Every method takes the balancer as anything that names it
//! ([`BalancerRef`]: a [`Balancer`], an
//! [`ElbBalancerDescription`], or its name as `&str` / `String`), checks
//! its input with the [`request`](crate::request) builders before any I/O,
//! and reports errors with the method's name as the operation.

mod attributes;
mod listeners;
mod network;
mod policies;
mod tags;

pub use tags::MAX_TAG_CALLS_IN_FLIGHT;
pub(crate) use tags::tag_map;

use lbcloud_aws::QueryParams;
use lbcloud_core::{Balancer, Result};

use crate::driver::ElbDriver;
use crate::model::ElbBalancerDescription;

/// Anything that names a classic load balancer: the `ex_` methods accept a
/// [`Balancer`], an [`ElbBalancerDescription`], or the name itself, as
/// libcloud's ELB extension methods accept a balancer or its name.
///
/// ```
/// use lbcloud_core::Balancer;
/// use lbcloud_elb::BalancerRef;
///
/// let lb = Balancer::new("web", "web");
/// assert_eq!(lb.balancer_name(), "web");
/// assert_eq!("web".balancer_name(), "web");
/// ```
pub trait BalancerRef {
    /// The balancer's name (its id on ELB).
    fn balancer_name(&self) -> &str;
}

impl BalancerRef for Balancer {
    fn balancer_name(&self) -> &str {
        &self.id
    }
}

impl BalancerRef for ElbBalancerDescription {
    fn balancer_name(&self) -> &str {
        &self.load_balancer_name
    }
}

impl BalancerRef for str {
    fn balancer_name(&self) -> &str {
        self
    }
}

impl BalancerRef for String {
    fn balancer_name(&self) -> &str {
        self
    }
}

impl<T: BalancerRef + ?Sized> BalancerRef for &T {
    fn balancer_name(&self) -> &str {
        (**self).balancer_name()
    }
}

impl ElbDriver {
    /// Sends a request about the balancer `name`, built by a validating
    /// builder, and reads the answer with `parse`: a builder error (bad
    /// input) is returned before any I/O, tagged with the operation. A bare
    /// 5xx answer (what moto sends for many actions on a missing balancer)
    /// becomes `NotFound` when the balancer does not exist (see
    /// `ElbDriver::call_on`).
    pub(crate) async fn send_on<T>(
        &self,
        operation: &'static str,
        name: &str,
        params: Result<QueryParams>,
        parse: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<T> {
        let params = params.map_err(|e| tag(e, operation))?;
        self.call_on(operation, name, params, parse).await
    }

    /// Sends a request that names no single balancer, built by a validating
    /// builder, and reads the answer with `parse`; a builder error is
    /// returned before any I/O.
    pub(crate) async fn send_built<T>(
        &self,
        operation: &'static str,
        params: Result<QueryParams>,
        parse: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<T> {
        let params = params.map_err(|e| tag(e, operation))?;
        self.call(operation, params, parse).await
    }
}

/// Tags an error with the provider and the `ex_` operation it came from.
pub(crate) fn tag(e: lbcloud_core::Error, operation: &'static str) -> lbcloud_core::Error {
    e.with_provider("elb").with_operation(operation)
}
