//! The generic connection settings every driver accepts.

use std::collections::BTreeMap;
use std::fmt;

use crate::Secret;

/// Connection settings shared by every driver: key, secret, session token,
/// region, endpoint and free-form driver options.
///
/// This is the bag libcloud passes to a driver's constructor; each driver
/// maps it onto its own typed builder and rejects what it cannot use.
/// `Debug` never prints the secret or the token.
///
/// ```
/// use lbcloud_core::Config;
///
/// let config = Config::new()
///     .key("AKIDEXAMPLE")
///     .secret("wJalrXUtnFEMI/K7MDENG")
///     .region("us-west-2")
///     .option("page_size", "50");
/// assert_eq!(config.get_region(), Some("us-west-2"));
/// assert!(!format!("{config:?}").contains("wJalr"));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Config {
    key: Option<String>,
    secret: Option<Secret>,
    token: Option<Secret>,
    region: Option<String>,
    endpoint: Option<String>,
    options: BTreeMap<String, String>,
}

impl Config {
    /// Empty settings: every driver falls back to its defaults and environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the access key id (libcloud's `key`).
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Sets the secret access key (libcloud's `secret`).
    pub fn secret(mut self, secret: impl Into<Secret>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// Sets a session token for temporary credentials.
    pub fn token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Sets the region (for example `us-west-2`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets the endpoint URL, overriding the one derived from the region.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sets a driver-specific option; each driver documents the keys it reads.
    pub fn option(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.insert(key.into(), value.into());
        self
    }

    /// The access key id, if set.
    pub fn get_key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// The secret access key, if set.
    pub fn get_secret(&self) -> Option<&Secret> {
        self.secret.as_ref()
    }

    /// The session token, if set.
    pub fn get_token(&self) -> Option<&Secret> {
        self.token.as_ref()
    }

    /// The region, if set.
    pub fn get_region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint URL, if set.
    pub fn get_endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// A driver-specific option, if set.
    pub fn get_option(&self, key: &str) -> Option<&str> {
        self.options.get(key).map(String::as_str)
    }

    /// Every driver-specific option, in key order.
    pub fn options(&self) -> &BTreeMap<String, String> {
        &self.options
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("key", &self.key)
            .field("secret", &self.secret)
            .field("token", &self.token)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("options", &self.options)
            .finish()
    }
}
