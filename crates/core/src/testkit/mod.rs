//! The conformance test kit (feature `testkit`): one scenario suite that
//! every driver must pass, so drivers are checked against the contract of
//! [`Driver`] and not against themselves.
//!
//! Each scenario is a public async function taking `&dyn Driver` and
//! [`KitOptions`], returning `Ok(())` or a typed [`KitError`] that names the
//! scenario, the step, what was expected and what was found. The kit never
//! panics on a driver's behaviour, so a test can run it against a broken
//! driver and assert that it fails. [`run_all`] runs every scenario and
//! returns a [`KitReport`].
//!
//! The kit needs no async runtime of its own (it only awaits the driver),
//! never sleeps, and bounds every loop.
//!
//! # What it checks
//!
//! | scenario | contract |
//! |---|---|
//! | [`describes_itself`] | a name, protocols and algorithms without duplicates, a way to name members |
//! | [`crud_lifecycle`] | create with members, list, get, list members, attach, detach, destroy, then `NotFound` |
//! | [`not_found_after_destroy`] | `NotFound` for get, list members and attach on a destroyed or never-created balancer |
//! | [`already_exists`] | a taken name is `AlreadyExists`, and one balancer keeps it |
//! | [`invalid_input_before_io`] | bad names, port 0, bad members and health checks are `InvalidInput` naming a field, create nothing, and win over `NotFound` |
//! | [`update_balancer`] | each claimed update works; each unclaimed one is `Unsupported` and changes nothing |
//! | [`health_check_round_trip`] | health checks at creation and by `set_health_check` read back exactly (or `Unsupported`) |
//! | [`member_health`] | one health entry per listed member (or `Unsupported`) |
//! | [`batch_members`] | batch attach and detach; one bad member rejects the whole batch |
//! | [`pages_match_list`] | the page stream holds the same balancers, in the same order, as `list_balancers` |
//!
//! # Running it against a driver
//!
//! ```
//! # #[cfg(any())] mod hidden {
//! use lbcloud_core::testkit::{run_all, KitOptions};
//!
//! #[tokio::test]
//! async fn my_driver_conforms() {
//!     let driver = MyDriver::connect_to_test_server().await;
//!     let options = KitOptions::new("kit-mydrv")          // unique per parallel run
//!         .instance_ids(["i-0aaa", "i-0bbb", "i-0ccc"])   // if members are instances
//!         .zones(["us-east-1a"]);                          // if creation needs zones
//!     let report = run_all(&driver, &options).await;
//!     assert!(report.is_success(), "{report}");
//! }
//! # }
//! ```
//!
//! Every balancer the kit creates is named `{prefix}-{tag}...` (at most 32
//! characters). The kit destroys what it created when a scenario ends, even
//! after a failure, and at the start of a scenario it destroys leftovers of
//! an earlier crashed run **whose names start with the same
//! `{prefix}-{tag}`**: never point the kit at an account holding balancers
//! with such names. Give parallel runs on one driver different prefixes.
//!
//! Members: when the driver can name members by address
//! (`Capabilities::member_by_address`) and no instance ids are given, the
//! kit uses documentation addresses (`192.0.2.x`); otherwise it needs three
//! instance ids in [`KitOptions::instance_ids`] that the provider accepts
//! (on ELB against moto, ids of instances run through moto's EC2 API).

mod capability;
mod ctx;
mod error;
mod input;
mod lifecycle;

use crate::{Driver, validate};

pub use capability::{batch_members, health_check_round_trip, member_health, update_balancer};
pub use error::{KitError, KitReport};
pub use input::invalid_input_before_io;
pub use lifecycle::{
    MAX_PAGES, already_exists, crud_lifecycle, describes_itself, not_found_after_destroy,
    pages_match_list,
};

/// The names of every scenario, in the order [`run_all`] runs them.
pub const SCENARIOS: [&str; 10] = [
    "describes_itself",
    "crud_lifecycle",
    "not_found_after_destroy",
    "already_exists",
    "invalid_input_before_io",
    "update_balancer",
    "health_check_round_trip",
    "member_health",
    "batch_members",
    "pages_match_list",
];

/// The longest prefix accepted, so every balancer name stays within 32 characters.
pub const MAX_PREFIX_LEN: usize = 16;

/// How the kit runs against one driver.
///
/// ```
/// use lbcloud_core::testkit::KitOptions;
///
/// let o = KitOptions::new("kit-a").instance_ids(["i-1", "i-2", "i-3"]).zones(["us-east-1a"]);
/// assert_eq!(o.prefix, "kit-a");
/// assert_eq!(o.instance_ids.len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct KitOptions {
    /// Starts every balancer name the kit uses: 1 to 16 lowercase letters,
    /// digits or hyphens, starting with a letter. Use a different prefix
    /// for each run that may overlap another on the same provider.
    pub prefix: String,
    /// Instance ids for drivers that name members by instance (at least
    /// three). When given and the driver has `member_by_instance`, the kit
    /// uses them even if it could use addresses.
    pub instance_ids: Vec<String>,
    /// Zones to create balancers in, for providers that require them.
    pub zones: Vec<String>,
}

impl Default for KitOptions {
    fn default() -> Self {
        Self::new("kit")
    }
}

impl KitOptions {
    /// Options with a name prefix, no instance ids and no zones.
    pub fn new(prefix: impl Into<String>) -> Self {
        Self {
            prefix: prefix.into(),
            instance_ids: Vec::new(),
            zones: Vec::new(),
        }
    }

    /// Sets the instance ids to use as members.
    pub fn instance_ids<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.instance_ids = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the zones to create balancers in.
    pub fn zones<S: Into<String>>(mut self, zones: impl IntoIterator<Item = S>) -> Self {
        self.zones = zones.into_iter().map(Into::into).collect();
        self
    }

    /// Checks the prefix; a bad one fails every scenario as `options`.
    pub fn check(&self) -> Result<(), KitError> {
        let p = &self.prefix;
        let ok = !p.is_empty()
            && p.len() <= MAX_PREFIX_LEN
            && p.starts_with(|c: char| c.is_ascii_lowercase())
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !p.ends_with('-')
            && validate::balancer_name("prefix", p).is_ok();
        if ok {
            Ok(())
        } else {
            Err(KitError::new(
                "options",
                "check KitOptions::prefix",
                format!(
                    "1 to {MAX_PREFIX_LEN} lowercase letters, digits or inner hyphens, starting with a letter"
                ),
                format!("{p:?}"),
            ))
        }
    }
}

/// Runs every scenario in [`SCENARIOS`] order and reports each outcome; a
/// failing scenario does not stop the others.
///
/// With bad [`KitOptions`] the report holds one `options` failure and nothing else.
pub async fn run_all(driver: &dyn Driver, options: &KitOptions) -> KitReport {
    let mut report = KitReport::default();
    if let Err(e) = options.check() {
        report.failed.push(e);
        return report;
    }
    for name in SCENARIOS {
        let outcome = match name {
            "describes_itself" => describes_itself(driver, options).await,
            "crud_lifecycle" => crud_lifecycle(driver, options).await,
            "not_found_after_destroy" => not_found_after_destroy(driver, options).await,
            "already_exists" => already_exists(driver, options).await,
            "invalid_input_before_io" => invalid_input_before_io(driver, options).await,
            "update_balancer" => update_balancer(driver, options).await,
            "health_check_round_trip" => health_check_round_trip(driver, options).await,
            "member_health" => member_health(driver, options).await,
            "batch_members" => batch_members(driver, options).await,
            _ => pages_match_list(driver, options).await,
        };
        match outcome {
            Ok(()) => report.passed.push(name),
            Err(e) => report.failed.push(e),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_checked() {
        for good in ["kit", "kit-a1", "a", "abcdefghijklmnop"] {
            assert!(KitOptions::new(good).check().is_ok(), "{good}");
        }
        for bad in [
            "",
            "Kit",
            "1kit",
            "kit-",
            "kit_a",
            "abcdefghijklmnopq",
            "kit a",
        ] {
            let err = KitOptions::new(bad).check().unwrap_err();
            assert_eq!(err.scenario, "options", "{bad}");
        }
    }
}
