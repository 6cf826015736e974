//! # lbcloud-core
//!
//! The contract every lbcloud driver implements: the [`Driver`] trait, the
//! plain data types ([`Balancer`], [`Member`], [`Listener`], [`HealthCheck`],
//! ...), the one [`Error`] type, [`Capabilities`] and per-driver [`Limits`],
//! input [`validate`]ion and the [`check`]s that enforce both (with the
//! [`CheckedDriver`] layer), the generic connection [`Config`] and the
//! [`DriverFactory`] a registry uses.
//!
//! With the `testkit` feature, the `testkit` module holds the conformance
//! scenarios every driver must pass.
//!
//! Most users depend on the `lbcloud` facade crate, which re-exports all of
//! this and adds the provider registry.

// docs.rs (`--cfg docsrs`, nightly) marks feature-gated items with their feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod capabilities;
pub mod check;
mod config;
mod driver;
mod error;
mod factory;
pub mod limits;
mod secret;
mod types;
pub mod validate;

#[cfg(feature = "testkit")]
#[cfg_attr(docsrs, doc(cfg(feature = "testkit")))]
pub mod testkit;

pub use capabilities::Capabilities;
pub use check::CheckedDriver;
pub use config::Config;
pub use driver::{BalancerPages, Driver, DriverExt};
pub use error::{BoxError, Error, ErrorKind, Result};
pub use factory::DriverFactory;
pub use limits::Limits;
pub use secret::Secret;
pub use types::*;

/// Re-exported so drivers implement [`Driver`] with the same macro version.
pub use async_trait::async_trait;
