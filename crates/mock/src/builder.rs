//! Building a `MockDriver`: typed builder and the `Config`-driven factory.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use lbcloud_core::{Capabilities, Config, Driver, DriverFactory, Error, Limits, Result};

use crate::driver::MOCK_NAME;
use crate::{MockDriver, persist};

/// The default number of balancers per listing page.
pub const DEFAULT_PAGE_SIZE: usize = 100;

/// The largest page size accepted.
pub const MAX_PAGE_SIZE: usize = 1000;

/// The largest added latency accepted, in milliseconds.
pub const MAX_LATENCY_MS: u64 = 60_000;

/// The `Config` options the mock reads.
pub const MOCK_OPTIONS: [&str; 3] = ["state_file", "page_size", "latency_ms"];

/// Builds a [`MockDriver`] with a page size, a state file or added latency.
///
/// ```
/// use std::time::Duration;
/// use lbcloud_mock::MockDriver;
///
/// let driver = MockDriver::builder()
///     .page_size(2)
///     .latency(Duration::from_millis(1))
///     .build()?;
/// assert_eq!(driver.page_size(), 2);
/// assert!(MockDriver::builder().page_size(0).build().is_err());
/// # Ok::<(), lbcloud_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct MockDriverBuilder {
    page_size: usize,
    state_file: Option<PathBuf>,
    latency: Duration,
    capabilities: Capabilities,
    limits: Limits,
}

impl Default for MockDriverBuilder {
    fn default() -> Self {
        Self {
            page_size: DEFAULT_PAGE_SIZE,
            state_file: None,
            latency: Duration::ZERO,
            capabilities: Capabilities::all(),
            limits: crate::DEFAULT_LIMITS,
        }
    }
}

impl MockDriverBuilder {
    /// Sets the number of balancers per listing page (1 to [`MAX_PAGE_SIZE`]).
    pub fn page_size(mut self, page_size: usize) -> Self {
        self.page_size = page_size;
        self
    }

    /// Persists the whole state to this JSON file: it is read when the
    /// driver is built and before every call, and written after every change
    /// under a lock on `<file>.lock`, so drivers in separate processes share
    /// the balancers without losing each other's changes.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// Adds this latency before every call (see [`MockDriver::set_latency`]).
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Sets the capabilities the mock claims and enforces (every one by
    /// default), to stand in for a provider that has fewer.
    pub fn capabilities(mut self, capabilities: Capabilities) -> Self {
        self.capabilities = capabilities;
        self
    }

    /// Sets the limits the mock enforces ([`DEFAULT_LIMITS`](crate::DEFAULT_LIMITS)
    /// by default), to stand in for a provider with other rules.
    ///
    /// ```
    /// use lbcloud_core::{Driver, Limits, limits::NameRule};
    /// use lbcloud_mock::MockDriver;
    ///
    /// let gcp_like = Limits::new().with_name(NameRule::new(63, "-").starting_with_letter());
    /// let driver = MockDriver::builder().limits(gcp_like).build()?;
    /// assert_eq!(driver.limits().name.max_len, 63);
    /// # Ok::<(), lbcloud_core::Error>(())
    /// ```
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Checks the settings, loads the state file if one is set, and builds the driver.
    pub fn build(self) -> Result<MockDriver> {
        if !(1..=MAX_PAGE_SIZE).contains(&self.page_size) {
            return Err(Error::invalid_input(
                "page_size",
                format!("must be from 1 to {MAX_PAGE_SIZE}, got {}", self.page_size),
            ));
        }
        if self.latency > Duration::from_millis(MAX_LATENCY_MS) {
            return Err(Error::invalid_input(
                "latency_ms",
                format!("must be at most {MAX_LATENCY_MS} ms"),
            ));
        }
        let state = match &self.state_file {
            Some(path) if path.as_os_str().is_empty() => {
                return Err(Error::invalid_input("state_file", "must not be empty"));
            }
            Some(path) => persist::load(path)?,
            None => Default::default(),
        };
        Ok(
            MockDriver::from_parts(state, self.page_size, self.state_file, self.latency)
                .with_rules(self.capabilities, self.limits),
        )
    }
}

/// Connects [`MockDriver`]s from the generic [`Config`]; registered as `mock`.
///
/// The key, secret, token, region and endpoint are accepted and ignored, so
/// the same settings work for the mock and a real provider. The options are
/// `state_file` (a path), `page_size` (1-1000) and `latency_ms` (0-60000);
/// any other option is `InvalidInput` naming it.
///
/// ```
/// use lbcloud_core::{Config, DriverFactory, ErrorKind};
/// use lbcloud_mock::MockDriverFactory;
///
/// let driver = MockDriverFactory.connect(Config::new().key("k").option("page_size", "10"))?;
/// assert_eq!(driver.name(), "mock");
///
/// let err = MockDriverFactory.connect(Config::new().option("pagesize", "10")).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidInput);
/// assert_eq!(err.field(), Some("options.pagesize"));
/// # Ok::<(), lbcloud_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct MockDriverFactory;

impl MockDriverFactory {
    /// Maps `Config` options onto a builder, rejecting unknown ones.
    pub fn builder_from(config: &Config) -> Result<MockDriverBuilder> {
        let mut builder = MockDriver::builder();
        for (key, value) in config.options() {
            let field = format!("options.{key}");
            builder = match key.as_str() {
                "state_file" => builder.state_file(value),
                "page_size" => builder.page_size(value.trim().parse().map_err(|_| {
                    Error::invalid_input(&field, format!("must be a whole number, got {value:?}"))
                })?),
                "latency_ms" => {
                    let ms: u64 = value.trim().parse().map_err(|_| {
                        Error::invalid_input(
                            &field,
                            format!("must be a whole number of milliseconds, got {value:?}"),
                        )
                    })?;
                    builder.latency(Duration::from_millis(ms))
                }
                _ => {
                    return Err(Error::invalid_input(
                        field,
                        format!(
                            "is not a mock option; the mock accepts {}",
                            MOCK_OPTIONS.join(", ")
                        ),
                    ));
                }
            };
        }
        Ok(builder)
    }
}

impl DriverFactory for MockDriverFactory {
    fn name(&self) -> &str {
        MOCK_NAME
    }

    fn connect(&self, config: Config) -> Result<Arc<dyn Driver>> {
        let driver = Self::builder_from(&config)?.build().map_err(|e| {
            // Name the option the user set, not the builder's field.
            match e.field() {
                Some(f) if MOCK_OPTIONS.contains(&f) => {
                    let field = format!("options.{f}");
                    e.with_field(field)
                }
                _ => e,
            }
        })?;
        Ok(Arc::new(driver))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lbcloud_core::ErrorKind;

    #[test]
    fn options_map_onto_the_builder() {
        let config = Config::new()
            .option("page_size", "7")
            .option("latency_ms", "0");
        let d = MockDriverFactory.connect(config).unwrap();
        let mock = d.as_any().downcast_ref::<MockDriver>().unwrap();
        assert_eq!(mock.page_size(), 7);
        assert!(mock.state_file().is_none());
    }

    #[test]
    fn bad_options_name_the_option() {
        for (key, value) in [
            ("page_size", "0"),
            ("page_size", "ten"),
            ("latency_ms", "-1"),
            ("latency_ms", "600000"),
            ("state_file", ""),
            ("region", "x"),
        ] {
            let err = MockDriverFactory
                .connect(Config::new().option(key, value))
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{key}={value}");
            assert_eq!(
                err.field(),
                Some(format!("options.{key}").as_str()),
                "{key}={value}"
            );
        }
    }

    #[test]
    fn secrets_are_ignored_not_leaked() {
        let config = Config::new().key("AKID").secret("very-secret-value");
        let d = MockDriverFactory.connect(config).unwrap();
        assert!(!format!("{d:?}").contains("very-secret-value"));
    }
}
