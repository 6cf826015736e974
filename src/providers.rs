//! The one table of built-in providers: name, aliases, cargo feature and
//! factory. Adding a built-in driver is one row here (plus its crate and
//! its feature line in Cargo.toml); the [`Provider`] enum, its names and
//! the registry's lookups are generated from the table.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use lbcloud_core::{DriverFactory, Error, Result};

/// Generates [`Provider`] and its lookups from the rows of the table.
macro_rules! providers {
    ($(
        $(#[doc = $doc:literal])+
        $variant:ident {
            name: $name:literal,
            aliases: [$($alias:literal),*],
            feature: $feature:literal,
            factory: $factory:path $(,)?
        }
    )+) => {
        /// The providers lbcloud ships drivers for.
        ///
        /// Each parses from its name or an alias, in any case. A provider
        /// whose cargo feature is off still parses; asking the registry for
        /// it is a clear [`ErrorKind::Unsupported`](lbcloud_core::ErrorKind::Unsupported)
        /// naming the feature. Third-party drivers are registered by name
        /// instead ([`register_driver`](crate::register_driver)).
        ///
        /// ```
        /// use lbcloud::Provider;
        ///
        /// assert_eq!("elb".parse::<Provider>().unwrap(), Provider::Elb);
        /// assert_eq!(Provider::Mock.to_string(), "mock");
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Provider {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl Provider {
            /// Every built-in provider, compiled in or not, in table order.
            pub const ALL: &'static [Provider] = &[$(Provider::$variant),+];

            /// The registry name (`elb`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(Provider::$variant => $name,)+
                }
            }

            /// Other names that parse to this provider.
            pub const fn aliases(self) -> &'static [&'static str] {
                match self {
                    $(Provider::$variant => &[$($alias),*],)+
                }
            }

            /// The cargo feature of the `lbcloud` crate that compiles it in.
            pub const fn feature(self) -> &'static str {
                match self {
                    $(Provider::$variant => $feature,)+
                }
            }

            /// Whether its feature is on in this build.
            pub const fn is_compiled(self) -> bool {
                match self {
                    $(Provider::$variant => cfg!(feature = $feature),)+
                }
            }

            /// Its factory, or `Unsupported` naming the feature when it is off.
            pub(crate) fn factory(self) -> Result<Arc<dyn DriverFactory>> {
                match self {
                    $(Provider::$variant => {
                        #[cfg(feature = $feature)]
                        {
                            Ok(Arc::new($factory))
                        }
                        #[cfg(not(feature = $feature))]
                        {
                            Err(feature_disabled(self))
                        }
                    })+
                }
            }
        }
    };
}

providers! {
    /// The in-memory driver, for examples and tests.
    Mock {
        name: "mock",
        aliases: [],
        feature: "mock",
        factory: lbcloud_mock::MockDriverFactory,
    }
    /// AWS Elastic Load Balancing, classic (API 2012-06-01).
    Elb {
        name: "elb",
        aliases: [],
        feature: "elb",
        factory: lbcloud_elb::ElbDriverFactory,
    }
    /// AWS Elastic Load Balancing v2: Application and Network Load
    /// Balancers (API 2015-12-01).
    Elbv2 {
        name: "elbv2",
        aliases: ["alb", "nlb"],
        feature: "elbv2",
        factory: lbcloud_elbv2::Elbv2DriverFactory,
    }
    /// A local HAProxy, through its master CLI and a config file the driver owns.
    Haproxy {
        name: "haproxy",
        aliases: [],
        feature: "haproxy",
        factory: lbcloud_haproxy::HaproxyDriverFactory,
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Provider {
    type Err = Error;

    /// Parses a name or an alias, in any case.
    fn from_str(s: &str) -> Result<Self> {
        Provider::ALL
            .iter()
            .copied()
            .find(|p| {
                p.name().eq_ignore_ascii_case(s)
                    || p.aliases().iter().any(|a| a.eq_ignore_ascii_case(s))
            })
            .ok_or_else(|| {
                let names: Vec<&str> = Provider::ALL.iter().map(|p| p.name()).collect();
                Error::invalid_input(
                    "provider",
                    format!(
                        "unknown provider {s:?}; built-in providers: {}",
                        names.join(", ")
                    ),
                )
            })
    }
}

impl serde::Serialize for Provider {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Provider {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The error for a built-in provider whose cargo feature is off.
// Unused in builds with every driver feature on; kept compiled so it is always tested.
#[cfg_attr(
    all(
        feature = "mock",
        feature = "elb",
        feature = "elbv2",
        feature = "haproxy"
    ),
    allow(dead_code)
)]
pub(crate) fn feature_disabled(provider: Provider) -> Error {
    let feature = provider.feature();
    Error::unsupported(
        "get_driver",
        format!(
            "provider `{provider}` is not compiled in; enable the `{feature}` feature of the \
             `lbcloud` crate (for example `lbcloud = {{ version = \"0.1\", features = \
             [\"{feature}\"] }}`)"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_and_alias_parses_back() {
        for p in Provider::ALL {
            assert_eq!(p.name().parse::<Provider>().ok(), Some(*p));
            assert_eq!(p.name().to_uppercase().parse::<Provider>().ok(), Some(*p));
            for a in p.aliases() {
                assert_eq!(a.parse::<Provider>().ok(), Some(*p));
            }
            let json = format!("\"{p}\"");
            assert_eq!(serde_json::from_str::<Provider>(&json).ok(), Some(*p));
        }
        let err = "carrier-pigeon".parse::<Provider>().unwrap_err();
        assert_eq!(err.field(), Some("provider"));
    }

    #[test]
    fn the_feature_error_names_provider_and_feature() {
        let err = feature_disabled(Provider::Elb);
        assert_eq!(err.kind(), lbcloud_core::ErrorKind::Unsupported);
        assert_eq!(err.operation(), Some("get_driver"));
        let text = err.to_string();
        assert!(text.contains("provider `elb`"), "{text}");
        assert!(text.contains("enable the `elb` feature"), "{text}");
    }

    #[test]
    fn a_factory_exactly_when_compiled() {
        for p in Provider::ALL {
            assert_eq!(p.factory().is_ok(), p.is_compiled(), "{p}");
        }
    }
}
