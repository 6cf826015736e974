//! # lbcloud-mock
//!
//! [`MockDriver`], an in-memory, provider-neutral lbcloud driver with every
//! capability on. It behaves like a real provider (unique names,
//! `NotFound` after destroy, validation before any change, deterministic
//! ids), so examples and tests run offline, and it helps users test their
//! own code:
//!
//! - fault injection: [`MockDriver::fail_next`] makes the next N calls of a
//!   [`MockOp`] fail with a chosen [`ErrorKind`](lbcloud_core::ErrorKind);
//!   [`MockDriver::set_latency`] slows every call down;
//! - member health: [`MockDriver::ex_set_member_health`];
//! - other providers' rules: [`MockDriverBuilder::capabilities`] and
//!   [`MockDriverBuilder::limits`];
//! - persistence: with a state file ([`MockDriverBuilder::state_file`], or
//!   the `state_file` option of a [`Config`](lbcloud_core::Config)),
//!   separate processes see the same balancers.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> lbcloud_core::Result<()> {
//! use lbcloud_core::{Config, CreateBalancer, DriverFactory, Protocol};
//! use lbcloud_mock::MockDriverFactory;
//!
//! let path = std::env::temp_dir().join(format!("lbcloud-doc-{}.json", std::process::id()));
//! let config = Config::new().option("state_file", path.to_string_lossy());
//!
//! let first = MockDriverFactory.connect(config.clone())?;
//! first.create_balancer(CreateBalancer::new("shared", 80, Protocol::Tcp)).await?;
//!
//! // Another driver (or another process) on the same file sees it.
//! let second = MockDriverFactory.connect(config)?;
//! assert_eq!(second.list_balancers().await?[0].name, "shared");
//! # std::fs::remove_file(&path).ok();
//! # Ok(()) }
//! ```

mod builder;
mod driver;
mod faults;
mod persist;
mod state;

pub use builder::{
    DEFAULT_PAGE_SIZE, MAX_LATENCY_MS, MAX_PAGE_SIZE, MOCK_OPTIONS, MockDriverBuilder,
    MockDriverFactory,
};
pub use driver::{DEFAULT_LIMITS, MOCK_NAME, MockDriver};
pub use faults::MockOp;

#[cfg(test)]
mod tests;
