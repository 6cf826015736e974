//! What every scenario shares: the driver, the options, the balancers it
//! created (for clean-up) and helpers that turn driver answers into
//! [`KitError`]s.

use std::fmt::Debug;
use std::future::Future;

use crate::{
    Balancer, Capabilities, CreateBalancer, Driver, Error, ErrorKind, Limits, Member, Protocol,
    Result,
};

use super::{KitError, KitOptions};

/// The longest suffix the kit appends to `{prefix}-{tag}` (plus one
/// separator), so names fit the driver's `limits.name.max_len`.
pub(crate) const MAX_SUFFIX_LEN: usize = 5;

/// Instance ids the kit uses when the driver names members by instance and
/// the options give none.
const SYNTHETIC_INSTANCES: [&str; 3] = [
    "i-0kit00000000000a",
    "i-0kit00000000000b",
    "i-0kit00000000000c",
];

/// The state of one scenario run.
pub(crate) struct Ctx<'a> {
    pub(crate) driver: &'a dyn Driver,
    pub(crate) options: &'a KitOptions,
    pub(crate) scenario: &'static str,
    pub(crate) caps: Capabilities,
    pub(crate) limits: Limits,
    /// The separator the driver's name rule allows (`-`, `_`, `.` or none).
    sep: &'static str,
    /// `{prefix}-{tag}`: every balancer this scenario names starts with it.
    stem: String,
    created: Vec<Balancer>,
}

/// The separator names use: the first of `-`, `_`, `.` the rule allows.
fn separator(limits: &Limits) -> &'static str {
    ["-", "_", "."]
        .into_iter()
        .find(|s| s.chars().all(|c| limits.name.allows(c)))
        .unwrap_or("")
}

impl<'a> Ctx<'a> {
    /// Checks the options against the driver's name rule and removes
    /// balancers a crashed earlier run of this scenario left behind (only
    /// names starting with `{prefix}-{tag}`).
    pub(crate) async fn start(
        scenario: &'static str,
        tag: &str,
        driver: &'a dyn Driver,
        options: &'a KitOptions,
    ) -> Result<Self, KitError> {
        options.check()?;
        let limits = driver.limits();
        let sep = separator(&limits);
        let prefix = if sep == "-" {
            options.prefix.clone()
        } else {
            options.prefix.replace('-', sep)
        };
        let stem = format!("{prefix}{sep}{tag}");
        let longest = stem.len() + sep.len() + MAX_SUFFIX_LEN;
        let fits = longest <= limits.name.max_len
            && limits
                .name
                .check("name", &format!("{stem}{sep}ghost"))
                .is_ok();
        if !fits {
            return Err(KitError::new(
                scenario,
                "fit the kit's names in the driver's limits.name",
                format!(
                    "names like {stem:?} of up to {longest} characters allowed (shorten KitOptions::prefix)"
                ),
                format!("{:?}", limits.name),
            ));
        }
        let ctx = Self {
            driver,
            options,
            scenario,
            caps: driver.capabilities(),
            limits,
            sep,
            stem,
            created: Vec::new(),
        };
        let all = ctx
            .ok("list balancers to sweep leftovers", driver.list_balancers())
            .await?;
        for old in all.iter().filter(|b| ctx.owns(&b.name)) {
            ctx.ok(
                &format!("destroy leftover balancer {:?}", old.name),
                driver.destroy_balancer(old),
            )
            .await?;
        }
        Ok(ctx)
    }

    /// Runs one scenario: [`start`](Self::start), the scenario's `body`,
    /// then [`finish`](Self::finish), whatever the body returned.
    pub(crate) async fn run(
        scenario: &'static str,
        tag: &str,
        driver: &'a dyn Driver,
        options: &'a KitOptions,
        body: impl AsyncFnOnce(&mut Ctx<'a>) -> Result<(), KitError>,
    ) -> Result<(), KitError> {
        let mut ctx = Self::start(scenario, tag, driver, options).await?;
        let result = body(&mut ctx).await;
        ctx.finish(result).await
    }

    /// Destroys what the scenario created and returns the scenario's
    /// result. A destroy that fails (other than `NotFound`) is a failure of
    /// the scenario: on success it becomes the result; after a failure it
    /// is added to the failure's `found`.
    pub(crate) async fn finish(self, result: Result<(), KitError>) -> Result<(), KitError> {
        let mut cleanup: Option<String> = None;
        for b in &self.created {
            match self.driver.destroy_balancer(b).await {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => {
                    if cleanup.is_none() {
                        cleanup = Some(format!("destroy {:?} failed: {e}", b.name));
                    }
                }
            }
        }
        match (result, cleanup) {
            (r, None) => r,
            (Ok(()), Some(why)) => Err(KitError::new(
                self.scenario,
                "clean up: destroy the balancers the scenario created",
                "every destroy to succeed",
                why,
            )),
            (Err(mut e), Some(why)) => {
                e.found = format!("{} (and clean-up failed: {why})", e.found);
                Err(e)
            }
        }
    }

    /// Whether a balancer name belongs to this scenario.
    pub(crate) fn owns(&self, name: &str) -> bool {
        name == self.stem || name.starts_with(&format!("{}{}", self.stem, self.sep))
    }

    /// The scenario's main balancer name.
    pub(crate) fn name(&self) -> String {
        self.stem.clone()
    }

    /// Another balancer name of this scenario (`suffix`: at most
    /// [`MAX_SUFFIX_LEN`] letters or digits).
    pub(crate) fn name_n(&self, suffix: &str) -> String {
        format!("{}{}{suffix}", self.stem, self.sep)
    }

    /// A balancer that was never created, for checks that must fail before I/O.
    pub(crate) fn ghost(&self) -> Balancer {
        let name = self.name_n("ghost");
        Balancer {
            id: name.clone(),
            name,
            port: Some(80),
            protocol: Some(self.protocol()),
            ..Balancer::default()
        }
    }

    /// The main listener's protocol: HTTP where offered, else TCP, else the
    /// first protocol that needs no certificate.
    pub(crate) fn protocol(&self) -> Protocol {
        let offered = self.driver.list_protocols();
        [Protocol::Http, Protocol::Tcp]
            .into_iter()
            .find(|p| offered.contains(p))
            .or_else(|| offered.iter().copied().find(|p| !p.is_secure()))
            .unwrap_or(Protocol::Http)
    }

    /// The kit's standard request: port 80 to member port 8080, in the
    /// option's zones when the driver has zones.
    pub(crate) fn request(&self, name: &str) -> CreateBalancer {
        let req = self.bare_request(name);
        if self.caps.zones {
            req.zones(self.zones())
        } else {
            req
        }
    }

    /// The standard request without zones.
    pub(crate) fn bare_request(&self, name: &str) -> CreateBalancer {
        CreateBalancer::new(name, 80, self.protocol()).instance_port(8080)
    }

    /// The zones from the options (empty when none are given).
    pub(crate) fn zones(&self) -> Vec<String> {
        self.options.zones.clone()
    }

    /// Instance ids: the options', or synthetic ones when none are given.
    pub(crate) fn instance_ids(&self) -> Vec<String> {
        if self.options.instance_ids.is_empty() {
            SYNTHETIC_INSTANCES
                .iter()
                .map(|s| (*s).to_owned())
                .collect()
        } else {
            self.options.instance_ids.clone()
        }
    }

    /// The most members the kit puts in one call: 3, or fewer where the
    /// driver's `members_per_call` says so.
    pub(crate) fn batch_max(&self) -> usize {
        self.limits.members_per_call.map_or(3, |n| n.clamp(1, 3))
    }

    /// `n` (at most 3) members the driver can take: instance ids when the
    /// options give them (or the driver has no addresses), else addresses.
    pub(crate) fn members(&self, n: usize) -> Result<Vec<Member>, KitError> {
        let ids = self.instance_ids();
        let by_instance = self.caps.member_by_instance
            && (!self.options.instance_ids.is_empty() || !self.caps.member_by_address);
        if by_instance {
            if ids.len() < n {
                return Err(self.fail(
                    "pick members",
                    format!("at least {n} instance ids in KitOptions::instance_ids"),
                    format!("{} of them", ids.len()),
                ));
            }
            return Ok(ids.iter().take(n).map(Member::instance).collect());
        }
        if self.caps.member_by_address {
            return Ok((0..n).map(|i| address_member(10 + i)).collect());
        }
        Err(self.fail(
            "pick members",
            "member_by_address or member_by_instance",
            format!("capabilities {:?}", self.caps),
        ))
    }

    /// `n` distinct members of the kind the driver takes (addresses where
    /// it can, else made-up instance ids), for "too many" checks.
    pub(crate) fn many_members(&self, n: usize) -> Vec<Member> {
        (0..n)
            .map(|i| {
                if self.caps.member_by_address {
                    let port = u16::try_from(10_000 + i).unwrap_or(u16::MAX);
                    Member::address("192.0.2.1", port)
                } else {
                    Member::instance(format!("i-0kit{i:012}"))
                }
            })
            .collect()
    }

    /// A failure of this scenario.
    pub(crate) fn fail(
        &self,
        step: &str,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> KitError {
        KitError::new(self.scenario, step, expected, found)
    }

    /// Fails unless `condition` holds.
    pub(crate) fn check(
        &self,
        condition: bool,
        step: &str,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Result<(), KitError> {
        if condition {
            Ok(())
        } else {
            Err(self.fail(step, expected, found))
        }
    }

    /// Fails unless `found == expected`.
    pub(crate) fn check_eq<T: PartialEq + Debug>(
        &self,
        step: &str,
        expected: &T,
        found: &T,
    ) -> Result<(), KitError> {
        self.check(
            expected == found,
            step,
            format!("{expected:?}"),
            format!("{found:?}"),
        )
    }

    /// Awaits a call that must succeed.
    pub(crate) async fn ok<T>(
        &self,
        step: &str,
        call: impl Future<Output = Result<T>>,
    ) -> Result<T, KitError> {
        call.await
            .map_err(|e| self.fail(step, "success", format!("error: {e}")))
    }

    /// Awaits a call that must fail with one of `kinds`. `on_ok` receives a
    /// value the call wrongly returned (to clean it up).
    pub(crate) async fn err<T: Debug>(
        &mut self,
        step: &str,
        kinds: &[ErrorKind],
        call: impl Future<Output = Result<T>>,
        on_ok: impl FnOnce(&mut Self, &T),
    ) -> Result<Error, KitError> {
        let names: Vec<String> = kinds.iter().map(ToString::to_string).collect();
        match call.await {
            Err(e) if kinds.contains(&e.kind()) => Ok(e),
            Err(e) => Err(self.fail(
                step,
                format!("error of kind {}", names.join(" or ")),
                format!("{} error: {e}", e.kind()),
            )),
            Ok(v) => {
                on_ok(self, &v);
                Err(self.fail(
                    step,
                    format!("error of kind {}", names.join(" or ")),
                    format!("success: {v:?}"),
                ))
            }
        }
    }

    /// Like [`err`](Self::err) for calls that return no balancer.
    pub(crate) async fn err_plain<T: Debug>(
        &mut self,
        step: &str,
        kinds: &[ErrorKind],
        call: impl Future<Output = Result<T>>,
    ) -> Result<Error, KitError> {
        self.err(step, kinds, call, |_, _| {}).await
    }

    /// A create that must be refused with one of `kinds` (a created
    /// balancer is remembered for clean-up), after which no balancer of
    /// this scenario may exist beyond those in `existing`.
    pub(crate) async fn refuse_create(
        &mut self,
        step: &str,
        kinds: &[ErrorKind],
        request: CreateBalancer,
    ) -> Result<Error, KitError> {
        let d = self.driver;
        let before = self.our_ids().await?;
        let err = self
            .err(step, kinds, d.create_balancer(request), |c, b| c.track(b))
            .await?;
        let after = self.our_ids().await?;
        self.check_eq(
            &format!("{step}: the kit's balancers unchanged"),
            &before,
            &after,
        )?;
        Ok(err)
    }

    /// The ids of this scenario's balancers in the listing, sorted.
    pub(crate) async fn our_ids(&self) -> Result<Vec<String>, KitError> {
        let all = self
            .ok("list_balancers", self.driver.list_balancers())
            .await?;
        let mut ids: Vec<String> = all
            .into_iter()
            .filter(|b| self.owns(&b.name))
            .map(|b| b.id)
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// Creates a balancer that must succeed, and remembers it for clean-up.
    pub(crate) async fn create(&mut self, request: CreateBalancer) -> Result<Balancer, KitError> {
        let step = format!("create balancer {:?}", request.name);
        let b = self.ok(&step, self.driver.create_balancer(request)).await?;
        self.track(&b);
        Ok(b)
    }

    /// Remembers a balancer for clean-up.
    pub(crate) fn track(&mut self, b: &Balancer) {
        self.created.push(b.clone());
    }

    /// Replaces a remembered balancer (after a rename).
    pub(crate) fn retrack(&mut self, old_id: &str, b: &Balancer) {
        self.created.retain(|c| c.id != old_id);
        self.created.push(b.clone());
    }

    /// Destroys a balancer that must be destroyed, and forgets it.
    pub(crate) async fn destroy(&mut self, b: &Balancer) -> Result<(), KitError> {
        let step = format!("destroy balancer {:?}", b.name);
        self.ok(&step, self.driver.destroy_balancer(b)).await?;
        self.created.retain(|c| c.id != b.id);
        Ok(())
    }

    /// The balancer's members, as comparable tuples sorted, for "nothing
    /// changed" checks.
    pub(crate) async fn member_snapshot(
        &self,
        step: &str,
        b: &Balancer,
    ) -> Result<Vec<MemberShape>, KitError> {
        let listed = self.ok(step, self.driver.balancer_list_members(b)).await?;
        Ok(snapshot(&listed))
    }
}

/// A documentation address member (`192.0.2.n`, port `8000 + n`).
pub(crate) fn address_member(n: usize) -> Member {
    let n = u16::try_from(n % 200).unwrap_or(0);
    Member::address(format!("192.0.2.{n}"), 8000 + n)
}

/// What a member is, without the provider's extra fields.
pub(crate) type MemberShape = (
    String,
    String,
    Option<String>,
    Option<u16>,
    Option<u32>,
    String,
);

/// Members as sorted [`MemberShape`]s.
pub(crate) fn snapshot(members: &[Member]) -> Vec<MemberShape> {
    let mut shapes: Vec<MemberShape> = members
        .iter()
        .map(|m| {
            (
                m.id.clone(),
                m.kind.to_string(),
                m.ip.clone(),
                m.port,
                m.weight,
                m.condition.to_string(),
            )
        })
        .collect();
    shapes.sort();
    shapes
}

/// Whether `listed` is the member `wanted` names: by id when `wanted` has
/// one, else by address and port (the driver assigns address members' ids).
pub(crate) fn same_member(listed: &Member, wanted: &Member) -> bool {
    if wanted.id.is_empty() {
        listed.ip == wanted.ip && listed.port == wanted.port
    } else {
        listed.id == wanted.id
    }
}

/// The member of `listed` that `wanted` names.
pub(crate) fn find_member<'m>(listed: &'m [Member], wanted: &Member) -> Option<&'m Member> {
    listed.iter().find(|l| same_member(l, wanted))
}

/// Members in words, for failure messages.
pub(crate) fn show_members(members: &[Member]) -> String {
    let items: Vec<String> = members.iter().map(show_member).collect();
    format!("[{}]", items.join(", "))
}

/// One member in words.
pub(crate) fn show_member(m: &Member) -> String {
    let mut text = match (&m.ip, m.port) {
        (Some(ip), Some(port)) if m.id.is_empty() => format!("{ip}:{port}"),
        (Some(ip), Some(port)) => format!("{} ({ip}:{port})", m.id),
        (None, Some(port)) => format!("{}:{port}", m.id),
        _ => m.id.clone(),
    };
    if let Some(w) = m.weight {
        text.push_str(&format!(" weight {w}"));
    }
    if m.condition != crate::MemberCondition::Enabled {
        text.push_str(&format!(" {}", m.condition));
    }
    text
}

/// Checks that every member of `wanted` is in `listed` and, when `exact`,
/// that nothing else is.
pub(crate) fn check_members(
    ctx: &Ctx<'_>,
    step: &str,
    listed: &[Member],
    wanted: &[Member],
    exact: bool,
) -> Result<(), KitError> {
    let missing = wanted.iter().any(|w| find_member(listed, w).is_none());
    let extra = exact && listed.len() != wanted.len();
    ctx.check(
        !missing && !extra,
        step,
        format!(
            "{}{}",
            if exact { "exactly " } else { "at least " },
            show_members(wanted)
        ),
        show_members(listed),
    )
}

/// The error kinds an input outside the driver's capabilities may get:
/// `Unsupported`, or `InvalidInput` where the value is checked first.
pub(crate) const REJECTED: &[ErrorKind] = &[ErrorKind::Unsupported, ErrorKind::InvalidInput];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::NameRule;

    #[test]
    fn members_match_by_id_or_by_address() {
        let attached = Member::address("10.0.0.1", 80).with_id("m-1");
        assert!(same_member(&attached, &Member::address("10.0.0.1", 80)));
        assert!(!same_member(&attached, &Member::address("10.0.0.1", 81)));
        assert!(same_member(&attached, &Member::instance("m-1")));
        assert!(!same_member(
            &Member::instance("i-2"),
            &Member::instance("i-1")
        ));
        assert_eq!(show_member(&attached), "m-1 (10.0.0.1:80)");
        assert_eq!(
            show_members(&[
                Member::instance("i-1").weight(3),
                Member::address("10.0.0.2", 8)
            ]),
            "[i-1 weight 3, 10.0.0.2:8]"
        );
    }

    #[test]
    fn the_separator_follows_the_name_rule() {
        assert_eq!(separator(&Limits::new()), "-");
        assert_eq!(
            separator(&Limits::new().with_name(NameRule::new(63, "_"))),
            "_"
        );
        assert_eq!(
            separator(&Limits::new().with_name(NameRule::new(63, ""))),
            ""
        );
    }
}
