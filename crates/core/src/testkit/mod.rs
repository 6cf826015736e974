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
//! # Generic, not ELB-shaped
//!
//! Nothing in the kit is one provider's rule. Scenarios are gated on the
//! driver's [`Capabilities`](crate::Capabilities), and every invalid input
//! is generated from the driver's [`Limits`](crate::Limits): a name one
//! character longer than `limits.name.max_len`, a character the name rule
//! does not allow, intervals and timeouts one step below the minimum, one
//! step above the maximum and half a step off, thresholds and weights just
//! outside their ranges, one listener and one member per call too many.
//! Health checks are round-tripped at the limits' minimum and maximum.
//!
//! # What it checks
//!
//! | scenario | contract | flags |
//! |---|---|---|
//! | [`describes_itself`] | a name, protocols and algorithms without duplicates, a way to name members, coherent capabilities and limits (no empty range or zero step; a health check the limits accept where `health_check` is claimed) | |
//! | [`crud_lifecycle`] | create with members, list, get, list members, attach, detach, destroy, then `NotFound` | |
//! | [`not_found_after_destroy`] | `NotFound` for get, list members and attach on a destroyed or never-created balancer | |
//! | [`already_exists`] | a taken name is `AlreadyExists`, and one balancer keeps it | |
//! | [`invalid_input_before_io`] | inputs just outside the driver's limits are `InvalidInput` naming a field, create nothing, and win over `NotFound` | |
//! | [`update_balancer`] | each claimed update works and reads back; each unclaimed one is `Unsupported` and changes nothing | `update_name`, `update_port`, `update_protocol`, `update_algorithm` |
//! | [`algorithm_chosen`] | every offered algorithm chosen at creation reads back in `Balancer::algorithm`; unclaimed: refused, nothing created | `choose_algorithm` |
//! | [`listeners`] | several listeners at creation read back; unclaimed: refused, nothing created | `multiple_listeners` |
//! | [`placement`] | zones (read back), subnets, security groups and the scheme at creation; unclaimed: refused, nothing created | `zones`, `subnets`, `security_groups`, `scheme` |
//! | [`tags_read_back`] | tags given at creation read back in `Balancer::tags` from create, get and list; unclaimed: refused, nothing created | `tags` |
//! | [`member_targets`] | instance, instance with port, address, and named address (id + address + port) members attach and read back; unclaimed kinds are refused and change nothing | `member_by_instance`, `member_instance_port`, `member_by_address`, `member_named_address` |
//! | [`member_weight`] | weights at the range's ends read back, `balancer_update_member` changes one; unclaimed: refused, nothing changed | `member_weight` |
//! | [`member_condition`] | a condition set at attach and changed by `balancer_update_member` reads back; unclaimed: refused, nothing changed | `member_condition` |
//! | [`update_member`] | the update's answer matches the listing, other members stay, an empty update is `InvalidInput`, a missing member `NotFound`; without weights and conditions: `Unsupported` | |
//! | [`batch_members`] | batch attach and detach; one bad member or one member too many rejects the whole batch | `batch_members` |
//! | [`health_check_round_trip`] | checks at the limits' minimum and maximum read back exactly; a rejected set changes nothing; unclaimed: `Unsupported` | `health_check` |
//! | [`member_health`] | one health entry per listed member; unclaimed: `Unsupported` | `member_health` |
//! | [`pages_match_list`] | the page stream holds the same balancers, in the same order, as `list_balancers` | |
//! | [`listing_beyond_one_page`] | with [`KitOptions::page_size`], `page_size + 1` balancers come in more than one page and match `list_balancers`; unclaimed: one page | `paginated_listing` |
//!
//! [`FLAG_SCENARIOS`] is the flag column as data; a unit test fails when a
//! [`Capabilities::FLAGS`](crate::Capabilities::FLAGS) entry has no
//! scenario.
//!
//! ## Unclaimed capabilities
//!
//! The kit talks to the driver only through [`Driver`], so it cannot count
//! the requests a driver sends. For a capability the driver does not claim
//! it checks what it can see: the call is refused with `Unsupported` (or
//! `InvalidInput` where the value is checked first), and listing
//! afterwards shows nothing changed (no balancer created, members and
//! their weights and conditions as before). Whether the refusal came
//! before any I/O is shown generically by [`invalid_input_before_io`]
//! (a bad input to a balancer that does not exist must not be
//! `NotFound`); a driver's own tests count its requests.
//!
//! Likewise `batch_members` cannot prove one provider call per batch; it
//! checks batch semantics (all or nothing, `members_per_call`).
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
//!         .zones(["us-east-1a"])                           // if creation needs zones
//!         .page_size(2);                                   // the driver's page size, if small
//!     let report = run_all(&driver, &options).await;
//!     assert!(report.is_success(), "{report}");
//! }
//! # }
//! ```
//!
//! Every balancer the kit creates is named `{prefix}-{tag}` or
//! `{prefix}-{tag}-{suffix}` (tags and suffixes of at most 5 characters;
//! the hyphen is replaced by `_`, `.` or nothing where the driver's name
//! rule has no hyphen), and the scenario fails up front when such names do
//! not fit `limits.name`. The kit destroys what it created when a scenario
//! ends, even after a failure, and a destroy that fails is reported as a
//! failure of the scenario. At the start of a scenario it destroys
//! leftovers of an earlier crashed run **whose names start with the same
//! `{prefix}-{tag}`**: never point the kit at an account holding balancers
//! with such names. Give parallel runs on one driver different prefixes.
//!
//! Members: when the driver can name members by address
//! (`Capabilities::member_by_address`) and no instance ids are given, the
//! kit uses documentation addresses (`192.0.2.x`). Instance members use
//! [`KitOptions::instance_ids`] (at least three), or made-up ids
//! (`i-0kit...`) when none are given: a provider that checks instance ids
//! (ELB) needs real ones. The same holds for [`KitOptions::subnets`] and
//! [`KitOptions::security_groups`] (made-up `subnet-kit...` / `sg-kit...`
//! otherwise) and [`KitOptions::zones`].

mod capability;
mod ctx;
mod error;
mod health;
mod input;
mod lifecycle;
mod members;

use crate::Driver;

pub use capability::{algorithm_chosen, listeners, placement, tags_read_back, update_balancer};
pub use error::{KitError, KitReport};
pub use health::{health_check_round_trip, member_health};
pub use input::invalid_input_before_io;
pub use lifecycle::{
    MAX_PAGES, already_exists, crud_lifecycle, describes_itself, listing_beyond_one_page,
    not_found_after_destroy, pages_match_list,
};
pub use members::{batch_members, member_condition, member_targets, member_weight, update_member};

/// The names of every scenario, in the order [`run_all`] runs them.
pub const SCENARIOS: [&str; 19] = [
    "describes_itself",
    "crud_lifecycle",
    "not_found_after_destroy",
    "already_exists",
    "invalid_input_before_io",
    "update_balancer",
    "algorithm_chosen",
    "listeners",
    "placement",
    "tags_read_back",
    "member_targets",
    "member_weight",
    "member_condition",
    "update_member",
    "batch_members",
    "health_check_round_trip",
    "member_health",
    "pages_match_list",
    "listing_beyond_one_page",
];

/// Which scenario proves each [`Capabilities`](crate::Capabilities) flag:
/// the claimed side works, the unclaimed side is refused and changes
/// nothing. Every flag in `Capabilities::FLAGS` has a row (a unit test
/// checks it), so a new flag cannot land without a scenario.
pub const FLAG_SCENARIOS: &[(&str, &str)] = &[
    ("update_name", "update_balancer"),
    ("update_port", "update_balancer"),
    ("update_protocol", "update_balancer"),
    ("update_algorithm", "update_balancer"),
    ("choose_algorithm", "algorithm_chosen"),
    ("member_by_instance", "member_targets"),
    ("member_instance_port", "member_targets"),
    ("member_by_address", "member_targets"),
    ("member_named_address", "member_targets"),
    ("member_weight", "member_weight"),
    ("member_condition", "member_condition"),
    ("batch_members", "batch_members"),
    ("multiple_listeners", "listeners"),
    ("health_check", "health_check_round_trip"),
    ("member_health", "member_health"),
    ("zones", "placement"),
    ("subnets", "placement"),
    ("security_groups", "placement"),
    ("scheme", "placement"),
    ("tags", "tags_read_back"),
    ("paginated_listing", "listing_beyond_one_page"),
];

/// The longest prefix accepted. With the kit's tags and suffixes every
/// name then stays within 28 characters; a driver whose
/// `limits.name.max_len` is shorter needs a shorter prefix.
pub const MAX_PREFIX_LEN: usize = 16;

/// The largest [`KitOptions::page_size`] accepted (the kit creates
/// `page_size + 1` balancers).
pub const MAX_PAGE_SIZE_HINT: usize = 1000;

/// How the kit runs against one driver.
///
/// ```
/// use lbcloud_core::testkit::KitOptions;
///
/// let o = KitOptions::new("kit-a")
///     .instance_ids(["i-1", "i-2", "i-3"])
///     .zones(["us-east-1a"])
///     .page_size(2);
/// assert_eq!(o.prefix, "kit-a");
/// assert_eq!(o.instance_ids.len(), 3);
/// assert_eq!(o.page_size, Some(2));
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
    /// Zones to create balancers in, for drivers with `zones`.
    pub zones: Vec<String>,
    /// Subnets for the `subnets` check of [`placement`].
    pub subnets: Vec<String>,
    /// Security groups for the `security_groups` check of [`placement`].
    pub security_groups: Vec<String>,
    /// The driver's listing page size, when it is small enough to fill
    /// (at most [`MAX_PAGE_SIZE_HINT`]): [`listing_beyond_one_page`]
    /// creates one balancer more than this and requires several pages.
    pub page_size: Option<usize>,
}

impl Default for KitOptions {
    fn default() -> Self {
        Self::new("kit")
    }
}

impl KitOptions {
    /// Options with a name prefix and nothing else.
    pub fn new(prefix: impl Into<String>) -> Self {
        Self {
            prefix: prefix.into(),
            instance_ids: Vec::new(),
            zones: Vec::new(),
            subnets: Vec::new(),
            security_groups: Vec::new(),
            page_size: None,
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

    /// Sets the subnets to create a balancer in.
    pub fn subnets<S: Into<String>>(mut self, subnets: impl IntoIterator<Item = S>) -> Self {
        self.subnets = subnets.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the security groups to give a balancer.
    pub fn security_groups<S: Into<String>>(mut self, groups: impl IntoIterator<Item = S>) -> Self {
        self.security_groups = groups.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the driver's listing page size hint.
    pub fn page_size(mut self, page_size: usize) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Checks the prefix and the page size; bad options fail every
    /// scenario as `options`.
    pub fn check(&self) -> Result<(), KitError> {
        let p = &self.prefix;
        let ok = !p.is_empty()
            && p.len() <= MAX_PREFIX_LEN
            && p.starts_with(|c: char| c.is_ascii_lowercase())
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !p.ends_with('-')
            && !p.contains("--");
        if !ok {
            return Err(KitError::new(
                "options",
                "check KitOptions::prefix",
                format!(
                    "1 to {MAX_PREFIX_LEN} lowercase letters, digits or single inner hyphens, starting with a letter"
                ),
                format!("{p:?}"),
            ));
        }
        if let Some(n) = self.page_size
            && !(1..=MAX_PAGE_SIZE_HINT).contains(&n)
        {
            return Err(KitError::new(
                "options",
                "check KitOptions::page_size",
                format!("1 to {MAX_PAGE_SIZE_HINT}"),
                n.to_string(),
            ));
        }
        Ok(())
    }
}

/// Runs one scenario by name; an unknown name is a failure of `options`.
pub async fn run_one(
    name: &str,
    driver: &dyn Driver,
    options: &KitOptions,
) -> Result<(), KitError> {
    match name {
        "describes_itself" => describes_itself(driver, options).await,
        "crud_lifecycle" => crud_lifecycle(driver, options).await,
        "not_found_after_destroy" => not_found_after_destroy(driver, options).await,
        "already_exists" => already_exists(driver, options).await,
        "invalid_input_before_io" => invalid_input_before_io(driver, options).await,
        "update_balancer" => update_balancer(driver, options).await,
        "algorithm_chosen" => algorithm_chosen(driver, options).await,
        "listeners" => listeners(driver, options).await,
        "placement" => placement(driver, options).await,
        "tags_read_back" => tags_read_back(driver, options).await,
        "member_targets" => member_targets(driver, options).await,
        "member_weight" => member_weight(driver, options).await,
        "member_condition" => member_condition(driver, options).await,
        "update_member" => update_member(driver, options).await,
        "batch_members" => batch_members(driver, options).await,
        "health_check_round_trip" => health_check_round_trip(driver, options).await,
        "member_health" => member_health(driver, options).await,
        "pages_match_list" => pages_match_list(driver, options).await,
        "listing_beyond_one_page" => listing_beyond_one_page(driver, options).await,
        other => Err(KitError::new(
            "options",
            "pick a scenario",
            format!("one of {}", SCENARIOS.join(", ")),
            format!("{other:?}"),
        )),
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
        match run_one(name, driver, options).await {
            Ok(()) => report.passed.push(name),
            Err(e) => report.failed.push(e),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Capabilities;

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
            "kit--a",
            "kit_a",
            "abcdefghijklmnopq",
            "kit a",
        ] {
            let err = KitOptions::new(bad).check().unwrap_err();
            assert_eq!(err.scenario, "options", "{bad}");
        }
        for bad in [0, MAX_PAGE_SIZE_HINT + 1] {
            let err = KitOptions::new("kit").page_size(bad).check().unwrap_err();
            assert_eq!(err.step, "check KitOptions::page_size", "{bad}");
        }
    }

    #[test]
    fn every_capability_flag_has_a_scenario() {
        for flag in Capabilities::FLAGS {
            let row = FLAG_SCENARIOS.iter().find(|(f, _)| f == flag);
            assert!(
                row.is_some(),
                "Capabilities::{flag} has no conformance scenario: add one and a FLAG_SCENARIOS row"
            );
        }
        for (flag, scenario) in FLAG_SCENARIOS {
            assert!(Capabilities::FLAGS.contains(flag), "{flag} is not a flag");
            assert!(SCENARIOS.contains(scenario), "{scenario} is not a scenario");
        }
        let mut flags: Vec<&str> = FLAG_SCENARIOS.iter().map(|(f, _)| *f).collect();
        flags.sort_unstable();
        flags.dedup();
        assert_eq!(flags.len(), FLAG_SCENARIOS.len(), "a flag is listed twice");
    }

    /// Compiles only if the kit's futures can move between threads (a
    /// multi-threaded runtime may spawn them).
    #[allow(dead_code)]
    fn run_all_is_send<'a>(
        driver: &'a dyn Driver,
        options: &'a KitOptions,
    ) -> impl std::future::Future<Output = KitReport> + Send + 'a {
        run_all(driver, options)
    }

    #[test]
    fn scenarios_are_unique() {
        let mut names = SCENARIOS.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SCENARIOS.len());
    }
}
