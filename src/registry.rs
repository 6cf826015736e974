//! The provider registry: built-in providers by [`Provider`], third-party
//! drivers by name.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use lbcloud_core::{CheckedDriver, Config, Driver, DriverFactory, Error, ErrorKind, Result};

use crate::Provider;

type Factories = BTreeMap<String, Arc<dyn DriverFactory>>;

/// Third-party factories, by name. Built-in providers are not stored here:
/// they are matched on [`Provider`] so a disabled feature is a clear error.
fn third_party() -> &'static RwLock<Factories> {
    static REGISTRY: OnceLock<RwLock<Factories>> = OnceLock::new();
    REGISTRY.get_or_init(|| RwLock::new(BTreeMap::new()))
}

/// The factory of a built-in provider, as libcloud's `get_driver(Provider.ELB)`.
///
/// Connect it with a [`Config`](crate::Config) to get an `Arc<dyn Driver>`.
/// A provider whose cargo feature is off is [`ErrorKind::Unsupported`] with
/// a message naming the feature to enable.
///
/// ```
/// # fn main() -> lbcloud::Result<()> {
/// use lbcloud::{Config, Provider};
///
/// let driver = lbcloud::get_driver(Provider::Mock)?
///     .connect(Config::new().key("id").secret("secret").region("us-west-2"))?;
/// assert_eq!(driver.name(), "mock");
/// # Ok(()) }
/// ```
pub fn get_driver(provider: Provider) -> Result<Arc<dyn DriverFactory>> {
    Ok(Checked::wrap(provider.factory()?))
}

/// A factory whose drivers come wrapped in [`CheckedDriver`], so every
/// driver the registry hands out, built-in or third-party, rejects what
/// its capabilities and limits do not allow before it runs.
#[derive(Debug)]
struct Checked(Arc<dyn DriverFactory>);

impl Checked {
    fn wrap(factory: Arc<dyn DriverFactory>) -> Arc<dyn DriverFactory> {
        Arc::new(Self(factory))
    }
}

impl DriverFactory for Checked {
    fn name(&self) -> &str {
        self.0.name()
    }

    fn connect(&self, config: Config) -> Result<Arc<dyn Driver>> {
        Ok(CheckedDriver::wrap(self.0.connect(config)?))
    }
}

/// The factory registered under `name`: a built-in provider's name or
/// alias (`"mock"`, `"elb"`, `"alb"`, any case) or a name given to
/// [`register_driver`].
///
/// An unknown name is [`ErrorKind::NotFound`], listing the known names.
///
/// ```
/// # fn main() -> lbcloud::Result<()> {
/// let factory = lbcloud::get_driver_by_name("mock")?;
/// assert_eq!(factory.name(), "mock");
/// assert_eq!(
///     lbcloud::get_driver_by_name("carrier-pigeon").unwrap_err().kind(),
///     lbcloud::ErrorKind::NotFound,
/// );
/// # Ok(()) }
/// ```
pub fn get_driver_by_name(name: &str) -> Result<Arc<dyn DriverFactory>> {
    if let Ok(provider) = name.parse::<Provider>() {
        return get_driver(provider);
    }
    let registry = third_party().read().unwrap_or_else(PoisonError::into_inner);
    registry
        .get(name)
        .cloned()
        .map(Checked::wrap)
        .ok_or_else(|| {
            let mut known = builtin_names();
            known.extend(registry.keys().cloned());
            Error::not_found(format!(
                "no driver is registered as {name:?}; known drivers: {}",
                known.join(", ")
            ))
            .with_operation("get_driver_by_name")
        })
}

/// Registers a third party's driver factory under `name` (libcloud's
/// `set_driver`), so [`get_driver_by_name`] returns it. Safe to call from
/// any thread.
///
/// `name` must be 1 to 64 lowercase ASCII letters, digits, `-` or `_`. The
/// names of built-in providers and names already registered are
/// [`ErrorKind::AlreadyExists`]; [`unregister_driver`] frees a name.
///
/// ```
/// use std::sync::Arc;
/// use lbcloud::{Config, Driver, DriverFactory, Result};
///
/// #[derive(Debug)]
/// struct AcmeFactory;
///
/// impl DriverFactory for AcmeFactory {
///     fn name(&self) -> &str { "acme" }
///     fn connect(&self, config: Config) -> Result<Arc<dyn Driver>> {
///         // A real third party builds its own driver here.
///         lbcloud::get_driver(lbcloud::Provider::Mock)?.connect(config)
///     }
/// }
///
/// # fn main() -> Result<()> {
/// lbcloud::register_driver("acme", Arc::new(AcmeFactory))?;
/// assert_eq!(lbcloud::get_driver_by_name("acme")?.name(), "acme");
/// assert!(lbcloud::register_driver("acme", Arc::new(AcmeFactory)).is_err());
/// # Ok(()) }
/// ```
pub fn register_driver(name: &str, factory: Arc<dyn DriverFactory>) -> Result<()> {
    check_name(name)?;
    if name.parse::<Provider>().is_ok() {
        return Err(Error::new(
            ErrorKind::AlreadyExists,
            format!("{name:?} is a built-in provider and cannot be replaced"),
        )
        .with_field("name")
        .with_operation("register_driver"));
    }
    let mut registry = third_party()
        .write()
        .unwrap_or_else(PoisonError::into_inner);
    if registry.contains_key(name) {
        return Err(Error::new(
            ErrorKind::AlreadyExists,
            format!("a driver is already registered as {name:?}"),
        )
        .with_field("name")
        .with_operation("register_driver"));
    }
    registry.insert(name.to_owned(), factory);
    Ok(())
}

/// Removes a third-party registration, returning its factory if there was one.
///
/// ```
/// # use std::sync::Arc;
/// # let factory = lbcloud::get_driver(lbcloud::Provider::Mock).unwrap();
/// lbcloud::register_driver("short-lived", factory).unwrap();
/// assert!(lbcloud::unregister_driver("short-lived").is_some());
/// assert!(lbcloud::get_driver_by_name("short-lived").is_err());
/// ```
pub fn unregister_driver(name: &str) -> Option<Arc<dyn DriverFactory>> {
    third_party()
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(name)
}

/// Every name [`get_driver_by_name`] answers: the built-in providers
/// compiled in, then the registered third parties, each in name order.
///
/// ```
/// assert!(lbcloud::driver_names().contains(&"mock".to_string()));
/// ```
pub fn driver_names() -> Vec<String> {
    let mut names = builtin_names();
    let registry = third_party().read().unwrap_or_else(PoisonError::into_inner);
    names.extend(registry.keys().cloned());
    names
}

/// The built-in providers whose features are on, in name order.
fn builtin_names() -> Vec<String> {
    let mut names: Vec<String> = Provider::ALL
        .iter()
        .filter(|p| p.is_compiled())
        .map(|p| p.name().to_owned())
        .collect();
    names.sort();
    names
}

fn check_name(name: &str) -> Result<()> {
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    if name.is_empty() || name.len() > 64 || !name.chars().all(ok_char) {
        return Err(Error::invalid_input(
            "name",
            format!("must be 1 to 64 lowercase ASCII letters, digits, '-' or '_', got {name:?}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(feature = "elb"))]
    #[test]
    fn elb_without_its_feature_is_unsupported() {
        let err = get_driver(Provider::Elb).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported);
        assert!(err.to_string().contains("`elb` feature"));
    }

    #[cfg(not(feature = "mock"))]
    #[test]
    fn mock_without_its_feature_is_unsupported() {
        let err = get_driver_by_name("mock").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported);
        assert!(err.to_string().contains("`mock` feature"));
    }

    #[test]
    fn names_are_checked() {
        for bad in ["", "Acme", "a b", "a.b", &"x".repeat(65)] {
            assert_eq!(
                check_name(bad).unwrap_err().field(),
                Some("name"),
                "{bad:?}"
            );
        }
        assert!(check_name("acme-cloud_2").is_ok());
    }

    #[test]
    fn builtin_names_cannot_be_taken() {
        #[derive(Debug)]
        struct Nothing;
        impl DriverFactory for Nothing {
            fn name(&self) -> &str {
                "nothing"
            }
            fn connect(&self, _: Config) -> Result<Arc<dyn Driver>> {
                Err(Error::unsupported("connect", "test factory"))
            }
        }
        for builtin in ["elb", "mock"] {
            let err = register_driver(builtin, Arc::new(Nothing)).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::AlreadyExists, "{builtin}");
        }
        register_driver("unit-nothing", Arc::new(Nothing)).unwrap();
        assert!(driver_names().contains(&"unit-nothing".to_string()));
        assert_eq!(
            get_driver_by_name("unit-nothing").unwrap().name(),
            "nothing"
        );
        assert!(unregister_driver("unit-nothing").is_some());
        assert!(unregister_driver("unit-nothing").is_none());
    }
}
