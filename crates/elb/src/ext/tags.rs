//! Tags (also fetched with the balancer listing), account limits, instance
//! health and the typed description of one balancer.

use std::collections::{BTreeMap, HashMap};

use futures_util::{StreamExt, TryStreamExt, stream};
use lbcloud_core::{Balancer, Error, ErrorKind, Result};

use super::{BalancerRef, tag};
use crate::driver::ElbDriver;
use crate::model::{AccountLimit, ElbBalancerDescription, InstanceState, Tag, TagDescription};
use crate::request::{self, MAX_DESCRIBE_TAGS_NAMES};
use crate::response;

/// The most `DescribeAccountLimits` pages followed before giving up (AWS
/// has three limits; this only bounds a misbehaving server).
const MAX_LIMIT_PAGES: usize = 1_000;

/// How many `DescribeTags` calls (of up to 20 balancers each) one listing
/// keeps in flight: enough that 1,000 balancers' tags take 7 round trips
/// instead of 50, few enough not to be throttled.
pub const MAX_TAG_CALLS_IN_FLIGHT: usize = 8;

/// A balancer's tags as the core map (a key given twice keeps the last value).
pub(crate) fn tag_map(tags: Vec<Tag>) -> BTreeMap<String, String> {
    tags.into_iter().map(|t| (t.key, t.value)).collect()
}

impl ElbDriver {
    /// Adds or overwrites 1 to 10 tags on a balancer (`AddTags`). Keys are
    /// 1-128 characters, values 0-256.
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// use lbcloud_elb::model::Tag;
    /// driver.ex_add_tags("web", &[Tag::new("env", "prod")]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_add_tags(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        tags: &[Tag],
    ) -> Result<()> {
        const OP: &str = "ex_add_tags";
        let params = request::add_tags(balancer.balancer_name(), tags);
        self.send_on(OP, balancer.balancer_name(), params, |b| {
            response::parse_empty_result("AddTags", b)
        })
        .await
    }

    /// Removes the tags with `keys` (1 to 10) from a balancer (`RemoveTags`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// driver.ex_remove_tags("web", &["env"]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_remove_tags<S: AsRef<str>>(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        keys: &[S],
    ) -> Result<()> {
        const OP: &str = "ex_remove_tags";
        let params = request::remove_tags(balancer.balancer_name(), keys);
        self.send_on(OP, balancer.balancer_name(), params, |b| {
            response::parse_empty_result("RemoveTags", b)
        })
        .await
    }

    /// The tags of the named balancers (at least one), in one `DescribeTags`
    /// call per 20 names (the API's limit per call), with up to
    /// [`MAX_TAG_CALLS_IN_FLIGHT`] calls at once. Every name is checked
    /// before the first request; the answers come in the order of `names`.
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// for d in driver.ex_describe_tags(&["web", "api"]).await? {
    ///     println!("{}: {:?}", d.load_balancer_name, d.tags);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn ex_describe_tags<S: AsRef<str>>(
        &self,
        names: &[S],
    ) -> Result<Vec<TagDescription>> {
        self.describe_tags_batched("ex_describe_tags", names).await
    }

    pub(crate) async fn describe_tags_batched<S: AsRef<str>>(
        &self,
        op: &'static str,
        names: &[S],
    ) -> Result<Vec<TagDescription>> {
        if names.is_empty() {
            return Err(tag(
                Error::invalid_input("load_balancer_names", "must hold at least one name"),
                op,
            ));
        }
        // Check every name (numbered across batches), then build every
        // batch, before sending the first.
        for (i, n) in names.iter().enumerate() {
            crate::request::check_name(&format!("load_balancer_names[{i}]"), n.as_ref())
                .map_err(|e| tag(e, op))?;
        }
        let batches = names
            .chunks(MAX_DESCRIBE_TAGS_NAMES)
            .map(request::describe_tags)
            .collect::<Result<Vec<_>>>()
            .map_err(|e| tag(e, op))?;
        // The batches do not depend on each other: several go out at once.
        let answers: Vec<Vec<TagDescription>> = stream::iter(batches)
            .map(|params| self.call(op, params, response::parse_describe_tags))
            .buffered(MAX_TAG_CALLS_IN_FLIGHT)
            .try_collect()
            .await?;
        Ok(answers.into_iter().flatten().collect())
    }

    /// Fills [`Balancer::tags`] of every balancer with one `DescribeTags`
    /// call per 20 balancers, [`MAX_TAG_CALLS_IN_FLIGHT`] at once.
    pub(crate) async fn fill_tags(
        &self,
        op: &'static str,
        balancers: &mut [Balancer],
    ) -> Result<()> {
        if balancers.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = balancers.iter().map(|b| b.id.as_str()).collect();
        let described = self.describe_tags_batched(op, &names).await?;
        let mut by_name: HashMap<String, Vec<Tag>> = described
            .into_iter()
            .map(|d| (d.load_balancer_name, d.tags))
            .collect();
        for b in balancers {
            b.tags = tag_map(by_name.remove(&b.id).unwrap_or_default());
        }
        Ok(())
    }

    /// Every balancer (all pages, like [`Driver::list_balancers`](lbcloud_core::Driver::list_balancers)) with its
    /// [`Balancer::tags`] filled: libcloud's
    /// `list_balancers(ex_fetch_tags=True)`, whatever
    /// [`list_tags`](crate::ElbDriverBuilder::list_tags) says. The pages come
    /// first (one `DescribeLoadBalancers` each), then one `DescribeTags` call
    /// per 20 balancers, up to [`MAX_TAG_CALLS_IN_FLIGHT`] of them at once,
    /// so 1,000 balancers (3 pages, 50 tag calls) take 3 + 7 round trips,
    /// not 53. A balancer deleted between the listing and the tag call makes
    /// the whole call fail with `NotFound`; retry it.
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// for lb in driver.ex_list_balancers_with_tags().await? {
    ///     println!("{}: {:?}", lb.name, lb.tags);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn ex_list_balancers_with_tags(&self) -> Result<Vec<Balancer>> {
        const OP: &str = "ex_list_balancers_with_tags";
        let mut balancers: Vec<Balancer> = self
            .pages(false)
            .try_concat()
            .await
            .map_err(|e| tag(e, OP))?;
        self.fill_tags(OP, &mut balancers).await?;
        Ok(balancers)
    }

    /// Every account limit (`classic-load-balancers`, `classic-listeners`,
    /// `classic-registered-instances`), following `NextMarker` through all
    /// pages (`DescribeAccountLimits`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// for l in driver.ex_describe_account_limits().await? {
    ///     println!("{}: {}", l.name, l.max);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn ex_describe_account_limits(&self) -> Result<Vec<AccountLimit>> {
        const OP: &str = "ex_describe_account_limits";
        let mut out = Vec::new();
        let mut marker: Option<String> = None;
        for _ in 0..MAX_LIMIT_PAGES {
            let params = request::describe_account_limits(marker.as_deref(), None);
            let page = self
                .send_built(OP, params, response::parse_describe_account_limits)
                .await?;
            out.extend(page.limits);
            match page.next_marker {
                Some(next) if marker.as_deref() == Some(next.as_str()) => {
                    return Err(tag(
                        Error::new(
                            ErrorKind::InvalidResponse,
                            format!(
                                "DescribeAccountLimits returned the same NextMarker twice ({next:?})"
                            ),
                        ),
                        OP,
                    ));
                }
                Some(next) if !next.is_empty() => marker = Some(next),
                _ => return Ok(out),
            }
        }
        Err(tag(
            Error::new(
                ErrorKind::InvalidResponse,
                format!("DescribeAccountLimits did not end after {MAX_LIMIT_PAGES} pages"),
            ),
            OP,
        ))
    }

    /// The health of the chosen instances as the balancer sees them (every
    /// registered one when `instance_ids` is empty), with ELB's state,
    /// reason code and description (`DescribeInstanceHealth`).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// for s in driver.ex_describe_instance_health("web", &["i-0123456789abcdef0"]).await? {
    ///     println!("{}: {} ({:?})", s.instance_id, s.state, s.description);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn ex_describe_instance_health<S: AsRef<str>>(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
        instance_ids: &[S],
    ) -> Result<Vec<InstanceState>> {
        const OP: &str = "ex_describe_instance_health";
        let params = request::describe_instance_health(balancer.balancer_name(), instance_ids);
        self.send_on(
            OP,
            balancer.balancer_name(),
            params,
            response::parse_describe_instance_health,
        )
        .await
    }

    /// Every field ELB reports about one balancer, typed
    /// (`DescribeLoadBalancers` for that name); `NotFound` if there is none.
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elb::ElbDriver) -> lbcloud_core::Result<()> {
    /// let d = driver.ex_describe_balancer("web").await?;
    /// println!("{:?} in {:?}, policies {:?}", d.dns_name, d.availability_zones, d.policies);
    /// # Ok(()) }
    /// ```
    pub async fn ex_describe_balancer(
        &self,
        balancer: &(impl BalancerRef + ?Sized),
    ) -> Result<ElbBalancerDescription> {
        const OP: &str = "ex_describe_balancer";
        self.describe_one(OP, balancer.balancer_name())
            .await
            .map_err(|e| tag(e, OP))
    }
}
