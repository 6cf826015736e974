//! How a registry builds drivers: one factory per provider.

use std::fmt::Debug;
use std::sync::Arc;

use crate::{Config, Driver, Result};

/// Builds a driver from the generic [`Config`], as libcloud's driver class
/// does from `key`, `secret` and `region`.
///
/// Every built-in driver has one; a third party implements it for its own
/// driver and registers it in the `lbcloud` registry under a name.
///
/// ```
/// use std::sync::Arc;
/// use lbcloud_core::{Config, Driver, DriverFactory, Result};
///
/// #[derive(Debug)]
/// struct AcmeFactory;
///
/// impl DriverFactory for AcmeFactory {
///     fn name(&self) -> &str { "acme" }
///     fn connect(&self, _config: Config) -> Result<Arc<dyn Driver>> {
///         Err(lbcloud_core::Error::unsupported("connect", "acme is a doc example"))
///     }
/// }
/// assert_eq!(AcmeFactory.name(), "acme");
/// ```
pub trait DriverFactory: Debug + Send + Sync + 'static {
    /// The name the driver is registered under.
    fn name(&self) -> &str;

    /// Builds a connected driver. Fails with `InvalidInput` on unusable
    /// settings (naming the setting) and `Unauthenticated` when credentials
    /// are required and missing; it does not send a request.
    fn connect(&self, config: Config) -> Result<Arc<dyn Driver>>;
}
