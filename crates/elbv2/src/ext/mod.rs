//! The `ex_` methods of [`Elbv2Driver`](crate::Elbv2Driver), one file per
//! theme:
//!
//! - `balancers`: load balancers, their attributes, subnets, security
//!   groups, IP address type, capacity reservation and IPAM pools;
//! - `listeners`: listeners, their certificates and attributes, rules;
//! - `targets`: target groups, their health checks and attributes,
//!   targets and target health;
//! - `misc`: tags (batched 20 ARNs a call), account limits, SSL policies,
//!   trust stores and revocations, resource policies.
//!
//! Every method checks its input with the [`request`](crate::request)
//! builders before any I/O and reports errors with the method's name as
//! the operation. The paged describe actions come as a stream of pages
//! (`ex_*_pages`) and as a `Vec` of every item (`ex_list_*`).

mod balancers;
mod listeners;
mod misc;
mod targets;

use lbcloud_aws::xml::Cursor;
use lbcloud_core::{Error, Result};

/// The one item a create or modify answer carries.
pub(crate) fn single<T>(action: &'static str, body: &[u8], items: Vec<T>) -> Result<T> {
    items
        .into_iter()
        .next()
        .ok_or_else(|| Cursor::new(action, body).error("the answer describes nothing"))
}

/// The one item a describe-by-ARN answer carries, or `NotFound`.
pub(crate) fn found<T>(what: &str, arn: &str, items: Vec<T>) -> Result<T> {
    items
        .into_iter()
        .next()
        .ok_or_else(|| Error::not_found(format!("{what} {arn} does not exist")))
}
