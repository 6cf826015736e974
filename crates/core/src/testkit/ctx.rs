//! What every scenario shares: the driver, the options, the balancers it
//! created (for clean-up) and helpers that turn driver answers into
//! [`KitError`]s.

use std::fmt::Debug;
use std::future::Future;

use crate::{
    Balancer, Capabilities, CreateBalancer, Driver, Error, ErrorKind, Member, Protocol, Result,
};

use super::{KitError, KitOptions};

/// The state of one scenario run.
pub(crate) struct Ctx<'a> {
    pub(crate) driver: &'a dyn Driver,
    pub(crate) options: &'a KitOptions,
    pub(crate) scenario: &'static str,
    pub(crate) caps: Capabilities,
    /// `{prefix}-{tag}`: every balancer this scenario names starts with it.
    stem: String,
    created: Vec<Balancer>,
}

impl<'a> Ctx<'a> {
    /// Checks the options and removes balancers a crashed earlier run of
    /// this scenario left behind (only names starting with `{prefix}-{tag}`).
    pub(crate) async fn start(
        scenario: &'static str,
        tag: &str,
        driver: &'a dyn Driver,
        options: &'a KitOptions,
    ) -> Result<Self, KitError> {
        options.check()?;
        let ctx = Self {
            driver,
            options,
            scenario,
            caps: driver.capabilities(),
            stem: format!("{}-{tag}", options.prefix),
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

    /// Destroys what the scenario created (ignoring errors: the scenario's
    /// own result is what matters) and returns that result.
    pub(crate) async fn finish(self, result: Result<(), KitError>) -> Result<(), KitError> {
        for b in &self.created {
            let _ = self.driver.destroy_balancer(b).await;
        }
        result
    }

    /// Whether a balancer name belongs to this scenario.
    pub(crate) fn owns(&self, name: &str) -> bool {
        name == self.stem || name.starts_with(&format!("{}-", self.stem))
    }

    /// The scenario's main balancer name.
    pub(crate) fn name(&self) -> String {
        self.stem.clone()
    }

    /// Another balancer name of this scenario.
    pub(crate) fn name_n(&self, suffix: &str) -> String {
        format!("{}-{suffix}", self.stem)
    }

    /// A balancer that was never created, for checks that must fail before I/O.
    pub(crate) fn ghost(&self) -> Balancer {
        let name = self.name_n("ghost");
        Balancer {
            id: name.clone(),
            name,
            port: Some(80),
            protocol: Some(Protocol::Http),
            ..Balancer::default()
        }
    }

    /// The kit's standard request: HTTP 80 to member port 8080, in the
    /// option's zones.
    pub(crate) fn request(&self, name: &str) -> CreateBalancer {
        CreateBalancer::new(name, 80, Protocol::Http)
            .instance_port(8080)
            .zones(self.options.zones.clone())
    }

    /// `n` (at most 3) members the driver can take: instance ids from the
    /// options when given and supported, else addresses.
    pub(crate) fn members(&self, n: usize) -> Result<Vec<Member>, KitError> {
        let ids = &self.options.instance_ids;
        if self.caps.member_by_instance && !ids.is_empty() {
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
            return Ok((0..n)
                .map(|i| Member::address(format!("192.0.2.{}", 10 + i), 8000 + i as u16))
                .collect());
        }
        Err(self.fail(
            "pick members",
            format!(
                "member_by_address, or member_by_instance with {n} ids in KitOptions::instance_ids"
            ),
            format!(
                "capabilities {:?} and {} instance ids",
                self.caps,
                ids.len()
            ),
        ))
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
}

/// Whether `listed` is the member `wanted` names: by id when it has one,
/// else by address and port (the driver assigns address members' ids).
pub(crate) fn same_member(listed: &Member, wanted: &Member) -> bool {
    if wanted.id.is_empty() {
        listed.ip == wanted.ip && listed.port == wanted.port
    } else {
        listed.id == wanted.id
    }
}

/// Members in words, for failure messages.
pub(crate) fn show_members(members: &[Member]) -> String {
    let items: Vec<String> = members.iter().map(show_member).collect();
    format!("[{}]", items.join(", "))
}

/// One member in words.
pub(crate) fn show_member(m: &Member) -> String {
    match (&m.ip, m.port) {
        (Some(ip), Some(port)) if m.id.is_empty() => format!("{ip}:{port}"),
        (Some(ip), Some(port)) => format!("{} ({ip}:{port})", m.id),
        _ => m.id.clone(),
    }
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
    let missing = wanted
        .iter()
        .any(|w| !listed.iter().any(|l| same_member(l, w)));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_match_by_id_or_by_address() {
        let attached = Member {
            id: "m-1".into(),
            ..Member::address("10.0.0.1", 80)
        };
        assert!(same_member(&attached, &Member::address("10.0.0.1", 80)));
        assert!(!same_member(&attached, &Member::address("10.0.0.1", 81)));
        assert!(same_member(&attached, &Member::instance("m-1")));
        assert!(!same_member(
            &Member::instance("i-2"),
            &Member::instance("i-1")
        ));
        assert_eq!(show_member(&attached), "m-1 (10.0.0.1:80)");
        assert_eq!(
            show_members(&[Member::instance("i-1"), Member::address("10.0.0.2", 8)]),
            "[i-1, 10.0.0.2:8]"
        );
    }
}
