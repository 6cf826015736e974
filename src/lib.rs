//! # lbcloud
//!
//! One Rust API to manage load balancers on any provider, in the spirit of
//! Apache libcloud's `loadbalancer` module: a [`Driver`] per provider behind
//! one object-safe async trait, plain data types ([`Balancer`], [`Member`],
//! [`HealthCheck`], ...), one [`Error`] type, and a registry.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> lbcloud::Result<()> {
//! use lbcloud::{Config, CreateBalancer, Member, Protocol, Provider};
//!
//! let driver = lbcloud::get_driver(Provider::Mock)?
//!     .connect(Config::new().key("id").secret("secret").region("us-west-2"))?;
//!
//! let lb = driver
//!     .create_balancer(CreateBalancer::new("web", 80, Protocol::Http).member(Member::address("10.0.0.1", 8000)))
//!     .await?;
//! println!("{} listens on {:?}:{:?}", lb.name, lb.ip, lb.port);
//! driver.destroy_balancer(&lb).await?;
//! # Ok(()) }
//! ```
//!
//! ## Registry
//!
//! [`get_driver`] returns a built-in provider's [`DriverFactory`];
//! [`get_driver_by_name`] does the same from a string and also finds drivers
//! third parties added with [`register_driver`]. Each built-in driver sits
//! behind a cargo feature (`mock` and `elb` on by default, `elbv2`,
//! `haproxy`); asking for a provider whose feature is off is
//! [`ErrorKind::Unsupported`] naming the feature. Every driver the registry
//! hands out is wrapped in [`CheckedDriver`], which rejects what the
//! driver's [`Capabilities`] and [`Limits`] do not allow before it runs.
//!
//! ## Extension (`ex_`) methods
//!
//! What only one provider has lives in inherent `ex_` methods of its
//! concrete driver. From an `Arc<dyn Driver>`, reach the concrete type with
//! `<dyn Driver>::downcast_ref` (or [`DriverExt::downcast_ref`] on a sized
//! driver):
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> lbcloud::Result<()> {
//! use lbcloud::mock::MockDriver;
//! use lbcloud::{Config, CreateBalancer, HealthState, Member, Protocol, Provider};
//!
//! let driver = lbcloud::get_driver(Provider::Mock)?.connect(Config::new())?;
//! let lb = driver
//!     .create_balancer(CreateBalancer::new("web", 80, Protocol::Http).member(Member::instance("i-1")))
//!     .await?;
//!
//! if let Some(mock) = driver.as_ref().downcast_ref::<MockDriver>() {
//!     mock.ex_set_member_health(&lb, "i-1", HealthState::OutOfService)?;
//! }
//! let health = driver.balancer_member_health(&lb).await?;
//! assert_eq!(health[0].state, HealthState::OutOfService);
//! # Ok(()) }
//! ```
//!
//! ## Features
//!
//! - `mock` (default): [`mock`], the in-memory driver.
//! - `elb` (default): [`elb`], AWS classic Elastic Load Balancing.
//! - `elbv2`: `lbcloud::elbv2`, AWS Application and Network Load Balancers.
//! - `haproxy`: `lbcloud::haproxy`, a local HAProxy through its master CLI
//!   and a config file the driver owns.
//! - `testkit`: `lbcloud::testkit`, the conformance scenarios every driver must pass.

// docs.rs (`--cfg docsrs`, nightly) marks feature-gated items with their feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod providers;
mod registry;

// Compiles and runs the README's code sample with the doc tests, so the
// first code a user reads cannot rot.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub use lbcloud_core::*;
pub use providers::Provider;
pub use registry::{
    driver_names, get_driver, get_driver_by_name, register_driver, unregister_driver,
};

/// The in-memory mock driver (feature `mock`): see [`lbcloud_mock`].
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock {
    pub use lbcloud_mock::*;
}

/// The AWS classic Elastic Load Balancing driver (feature `elb`): see [`lbcloud_elb`].
#[cfg(feature = "elb")]
#[cfg_attr(docsrs, doc(cfg(feature = "elb")))]
pub mod elb {
    pub use lbcloud_elb::*;
}

/// The AWS ELBv2 (ALB and NLB) driver (feature `elbv2`): see [`lbcloud_elbv2`].
#[cfg(feature = "elbv2")]
#[cfg_attr(docsrs, doc(cfg(feature = "elbv2")))]
pub mod elbv2 {
    pub use lbcloud_elbv2::*;
}

/// The local HAProxy driver (feature `haproxy`): see [`lbcloud_haproxy`].
#[cfg(feature = "haproxy")]
#[cfg_attr(docsrs, doc(cfg(feature = "haproxy")))]
pub mod haproxy {
    pub use lbcloud_haproxy::*;
}
