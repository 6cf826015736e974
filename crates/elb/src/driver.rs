//! `ElbDriver` and its implementation of the provider-neutral [`Driver`] trait.

use std::any::Any;

use futures_util::{future, stream};
use lbcloud_aws::{AwsClient, QueryParams};
use lbcloud_core::{
    Algorithm, Balancer, BalancerPages, Capabilities, CreateBalancer, Driver, Error, ErrorKind,
    HealthCheck, Limits, Listener, Member, MemberHealth, Protocol, Result, UpdateBalancer,
    UpdateMember, async_trait, check, validate,
};

use crate::builder::ElbDriverBuilder;
use crate::ext::tag_map;
use crate::model::ElbBalancerDescription;
use crate::request::{self, ELB_LIMITS, ELB_PROTOCOLS, check_name};
use crate::response;

/// The algorithms classic ELB uses. It cannot be told which: it routes TCP
/// and SSL listeners round robin and HTTP and HTTPS listeners to the
/// instance with the fewest outstanding requests
/// ([`algorithm_for`](crate::algorithm_for), reported in
/// [`Balancer::algorithm`]).
pub const ELB_ALGORITHMS: [Algorithm; 2] =
    [Algorithm::RoundRobin, Algorithm::LeastOutstandingRequests];

/// What classic ELB can do, as [`ElbDriver::capabilities`](Driver::capabilities)
/// reports it: members by EC2 instance id, registered and deregistered in
/// batches; several listeners; health checks and member health; zones,
/// subnets, security groups, the scheme and tags at creation; paginated
/// listing; the main listener's port and protocol can change (by replacing
/// the listener). Not: renaming, choosing or changing the algorithm,
/// members by address or with a port of their own, member weights or
/// conditions.
pub const ELB_CAPABILITIES: Capabilities = Capabilities::none()
    .with_update_port(true)
    .with_update_protocol(true)
    .with_member_by_instance(true)
    .with_batch_members(true)
    .with_multiple_listeners(true)
    .with_health_check(true)
    .with_member_health(true)
    .with_zones(true)
    .with_subnets(true)
    .with_security_groups(true)
    .with_scheme(true)
    .with_tags(true)
    .with_paginated_listing(true);

/// The most `DescribeLoadBalancers` pages one listing follows. A real
/// account has at most a few thousand balancers (a few pages of 400); a
/// server that keeps sending a new `NextMarker` ends the listing with
/// `InvalidResponse` after this many pages instead of looping forever.
pub const MAX_LIST_PAGES: usize = 10_000;

/// The AWS Elastic Load Balancing driver (classic load balancers, API 2012-06-01).
///
/// Implements every [`Driver`] operation; ELB-only operations are the
/// inherent `ex_` methods. A balancer's id is its name. Members are EC2
/// instances ([`Member::instance`]); ELB cannot name a member by address.
///
/// ```no_run
/// # async fn demo() -> lbcloud_core::Result<()> {
/// use lbcloud_core::{CreateBalancer, Driver, Member, Protocol};
/// use lbcloud_elb::ElbDriver;
///
/// let driver = ElbDriver::from_env()?;
/// let lb = driver
///     .create_balancer(
///         CreateBalancer::new("web", 80, Protocol::Http)
///             .instance_port(8080)
///             .zones(["us-east-1a"])
///             .member(Member::instance("i-0123456789abcdef0")),
///     )
///     .await?;
/// println!("{} at {:?}", lb.name, lb.ip);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct ElbDriver {
    client: AwsClient,
    page_size: u32,
    list_tags: bool,
}

impl ElbDriver {
    pub(crate) fn new(client: AwsClient, page_size: u32, list_tags: bool) -> Self {
        Self {
            client,
            page_size,
            list_tags,
        }
    }

    /// Whether listings fill `Balancer::tags` (see [`ElbDriverBuilder::list_tags`]).
    pub fn lists_tags(&self) -> bool {
        self.list_tags
    }

    /// Every page of the listing; with `tags`, each page's balancers get
    /// their tags before the page is handed out. At most [`MAX_LIST_PAGES`].
    pub(crate) fn pages(&self, tags: bool) -> BalancerPages<'_> {
        const OP: &str = "list_balancers";
        // State: the marker of the next page (`None` once the last page is
        // out) and how many pages were read.
        let first: (Option<Option<String>>, usize) = (Some(None), 0);
        Box::pin(stream::try_unfold(
            first,
            move |(state, pages)| async move {
                let Some(marker) = state else {
                    return Ok(None);
                };
                if pages >= MAX_LIST_PAGES {
                    return Err(Error::new(
                    ErrorKind::InvalidResponse,
                    format!(
                        "DescribeLoadBalancers still sent a NextMarker after {MAX_LIST_PAGES} pages"
                    ),
                )
                .with_provider("elb")
                .with_operation(OP)
                .with_action("DescribeLoadBalancers"));
                }
                let params = request::describe_load_balancers::<&str>(
                    &[],
                    marker.as_deref(),
                    Some(self.page_size),
                )?;
                let mut page = self
                    .call(OP, params, response::parse_describe_load_balancers)
                    .await?;
                let next = match page.next_marker.take() {
                    // A server that hands back the marker it was given would loop forever.
                    Some(next) if Some(&next) == marker.as_ref() => {
                        return Err(Error::new(
                        ErrorKind::InvalidResponse,
                        format!(
                            "DescribeLoadBalancers returned the same NextMarker twice ({next:?})"
                        ),
                    )
                    .with_provider("elb")
                    .with_operation(OP)
                    .with_action("DescribeLoadBalancers"));
                    }
                    Some(next) if !next.is_empty() => Some(Some(next)),
                    _ => None,
                };
                if tags {
                    self.fill_tags(OP, &mut page.balancers).await?;
                }
                Ok(Some((page.balancers, (next, pages + 1))))
            },
        ))
    }

    /// A builder for the driver.
    pub fn builder() -> ElbDriverBuilder {
        ElbDriverBuilder::default()
    }

    /// A driver configured from the environment and the shared AWS files
    /// only (`AWS_ACCESS_KEY_ID`, `AWS_REGION`, `AWS_PROFILE`, ...).
    pub fn from_env() -> Result<Self> {
        Self::builder().build()
    }

    /// The region requests go to.
    pub fn region(&self) -> &str {
        self.client.region()
    }

    /// The endpoint URL requests go to.
    pub fn endpoint(&self) -> &str {
        self.client.endpoint()
    }

    /// The `DescribeLoadBalancers` page size.
    pub fn page_size(&self) -> u32 {
        self.page_size
    }

    /// Sends one request and reads its answer with `parse`.
    ///
    /// Every failure past input validation (transport, provider error, or an
    /// answer `parse` rejects) carries provider `elb`, the lbcloud
    /// `operation` (such as `list_balancers`) and the AWS action that failed
    /// (such as `DescribeLoadBalancers`), so callers see one name for the
    /// operation whichever layer failed, and which request it was.
    pub(crate) async fn call<T>(
        &self,
        operation: &'static str,
        params: QueryParams,
        parse: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<T> {
        let action = params.action();
        let tag = |e: Error| {
            e.with_provider("elb")
                .with_operation(operation)
                .with_action(action)
        };
        let body = self.client.send(params).await.map_err(tag)?;
        parse(&body).map_err(tag)
    }

    /// [`call`](Self::call) when there is a request to send, else nothing.
    async fn call_some<T>(
        &self,
        operation: &'static str,
        params: Option<QueryParams>,
        parse: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<()> {
        match params {
            Some(p) => self.call(operation, p, parse).await.map(drop),
            None => Ok(()),
        }
    }

    /// Like [`call`](Self::call), for a request about the balancer `name`.
    /// Some servers (moto 5.2.5 among them) answer an action on a missing
    /// balancer with a bare HTTP 5xx instead of `LoadBalancerNotFound`; when
    /// an answer carries no AWS error code, this asks `DescribeLoadBalancers`
    /// whether the balancer exists and, if it does not, returns `NotFound`
    /// carrying the original status and error as its source. Any other error
    /// is returned as is.
    pub(crate) async fn call_on<T>(
        &self,
        operation: &'static str,
        name: &str,
        params: QueryParams,
        parse: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<T> {
        match self.call(operation, params, parse).await {
            Err(err)
                if err.kind() == ErrorKind::Provider
                    && err.code().is_none()
                    && err.status().is_some_and(|s| s >= 500) =>
            {
                match self.describe_one(operation, name).await {
                    Err(missing) if missing.kind() == ErrorKind::NotFound => {
                        let status = err.status().unwrap_or(500);
                        let action = err.action().unwrap_or_default().to_owned();
                        Err(not_found(operation, name)
                            .with_action(action)
                            .with_status(status)
                            .with_source(err))
                    }
                    _ => Err(err),
                }
            }
            other => other,
        }
    }

    /// The typed description of one balancer; `NotFound` if there is none.
    pub(crate) async fn describe_one(
        &self,
        operation: &'static str,
        name: &str,
    ) -> Result<ElbBalancerDescription> {
        let params = request::describe_load_balancers(&[name], None, None)?;
        let page = self
            .call(
                operation,
                params,
                response::parse_load_balancer_descriptions,
            )
            .await?;
        page.descriptions
            .into_iter()
            .find(|d| d.load_balancer_name == name)
            .ok_or_else(|| not_found(operation, name))
    }

    async fn get(&self, operation: &'static str, name: &str) -> Result<Balancer> {
        Ok(self.describe_one(operation, name).await?.into_balancer())
    }

    /// One balancer with its tags: `DescribeLoadBalancers` and
    /// `DescribeTags` go out together (one round trip). A missing balancer
    /// is the description's `NotFound`.
    async fn get_with_tags(&self, operation: &'static str, name: &str) -> Result<Balancer> {
        let (described, tags) = future::join(
            self.describe_one(operation, name),
            self.describe_tags_batched(operation, &[name]),
        )
        .await;
        let mut balancer = described?.into_balancer();
        let tags = tags?
            .into_iter()
            .find(|d| d.load_balancer_name == name)
            .map(|d| d.tags)
            .unwrap_or_default();
        balancer.tags = tag_map(tags);
        Ok(balancer)
    }

    /// The main listener's instance port, for a health check without a
    /// port of its own: from the balancer given, else as ELB reports it.
    async fn main_instance_port(
        &self,
        operation: &'static str,
        balancer: &Balancer,
    ) -> Result<Option<u16>> {
        if let Some(l) = balancer.listeners.first() {
            return Ok(Some(l.instance_port));
        }
        let current = self.describe_one(operation, &balancer.id).await?;
        Ok(current
            .listener_descriptions
            .first()
            .map(|d| d.listener.instance_port))
    }

    /// Puts `old` back after a failed replacement: the listener, then its
    /// policies.
    async fn restore_listener(&self, name: &str, old: &Listener) -> Result<()> {
        const OP: &str = "update_balancer";
        let create = request::create_load_balancer_listeners(name, std::slice::from_ref(old))?;
        self.call(OP, create, empty("CreateLoadBalancerListeners"))
            .await?;
        self.set_listener_policies(name, old).await
    }

    /// Applies `listener.policies` to the listener on its port (nothing to
    /// send when it has none: a new listener starts without policies).
    async fn set_listener_policies(&self, name: &str, listener: &Listener) -> Result<()> {
        if listener.policies.is_empty() {
            return Ok(());
        }
        let params = request::set_load_balancer_policies_of_listener(
            name,
            listener.port,
            &listener.policies,
        )?;
        self.call(
            "update_balancer",
            params,
            empty("SetLoadBalancerPoliciesOfListener"),
        )
        .await
    }

    /// Creates `new` in place of the deleted `old` and gives it `old`'s
    /// policies; on failure removes what was created and puts `old` back.
    async fn replace_listener(&self, name: &str, old: &Listener, new: &Listener) -> Result<()> {
        const OP: &str = "update_balancer";
        let create = request::create_load_balancer_listeners(name, std::slice::from_ref(new))?;
        let failure = match self
            .call(OP, create, empty("CreateLoadBalancerListeners"))
            .await
        {
            Err(e) => e,
            Ok(()) => match self.set_listener_policies(name, new).await {
                Ok(()) => return Ok(()),
                Err(e) => {
                    // The new listener exists but cannot keep the policies
                    // (a stickiness policy on a TCP listener): undo it.
                    let undo = request::delete_load_balancer_listeners(name, &[new.port])?;
                    if let Err(undo_err) = self
                        .call(OP, undo, empty("DeleteLoadBalancerListeners"))
                        .await
                    {
                        return Err(both_failed(
                            e,
                            undo_err,
                            new.port,
                            "removing the new listener",
                        ));
                    }
                    e
                }
            },
        };
        match self.restore_listener(name, old).await {
            Ok(()) => Err(failure),
            Err(restore) => Err(both_failed(
                failure,
                restore,
                old.port,
                "putting the old listener back",
            )),
        }
    }
}

/// One error for a failed change whose repair failed too: the kind, code,
/// status, action and request id of the first failure, a message naming
/// both, and the second as the source.
fn both_failed(first: Error, second: Error, port: u16, repair: &str) -> Error {
    let mut e = Error::new(
        first.kind(),
        format!(
            "{}; then {repair} on port {port} failed too: {second}",
            first.message()
        ),
    )
    .with_provider("elb")
    .with_operation(first.operation().unwrap_or("update_balancer").to_owned());
    if let Some(a) = first.action() {
        e = e.with_action(a.to_owned());
    }
    if let Some(c) = first.code() {
        e = e.with_code(c.to_owned());
    }
    if let Some(s) = first.status() {
        e = e.with_status(s);
    }
    if let Some(r) = first.request_id() {
        e = e.with_request_id(r.to_owned());
    }
    e.with_source(second)
}

/// Tags an input error found before any I/O with the provider and operation.
fn at(operation: &'static str) -> impl Fn(Error) -> Error {
    move |e| e.with_provider("elb").with_operation(operation)
}

/// Checks a balancer handle: it names a balancer, by ELB's name rule.
fn check_balancer(operation: &'static str, balancer: &Balancer) -> Result<()> {
    check::balancer(operation, balancer)?;
    check_name("balancer.id", &balancer.id).map_err(at(operation))
}

/// The instance ids of members already checked by [`check::members`] (every
/// one an instance member on ELB).
fn instance_ids(members: &[Member]) -> Vec<String> {
    members.iter().map(|m| m.id.clone()).collect()
}

/// A parser for an action whose answer carries no data.
pub(crate) fn empty(action: &'static str) -> impl FnOnce(&[u8]) -> Result<()> {
    move |body| response::parse_empty_result(action, body)
}

fn not_found(operation: &str, name: &str) -> Error {
    Error::not_found(format!("there is no load balancer named {name:?}"))
        .with_provider("elb")
        .with_operation(operation)
}

#[async_trait]
impl Driver for ElbDriver {
    fn name(&self) -> &str {
        "elb"
    }

    fn capabilities(&self) -> Capabilities {
        ELB_CAPABILITIES
    }

    fn limits(&self) -> Limits {
        ELB_LIMITS
    }

    fn list_protocols(&self) -> Vec<Protocol> {
        ELB_PROTOCOLS.to_vec()
    }

    fn list_supported_algorithms(&self) -> Vec<Algorithm> {
        ELB_ALGORITHMS.to_vec()
    }

    /// One `DescribeLoadBalancers` call per page, then (unless the driver
    /// was built with [`list_tags(false)`](ElbDriverBuilder::list_tags)) one
    /// `DescribeTags` call per 20 of the page's balancers,
    /// [`MAX_TAG_CALLS_IN_FLIGHT`](crate::MAX_TAG_CALLS_IN_FLIGHT) at once,
    /// to fill `tags`. At most [`MAX_LIST_PAGES`] pages.
    fn list_balancers_pages(&self) -> BalancerPages<'_> {
        self.pages(self.list_tags)
    }

    /// The balancer with its tags (`DescribeLoadBalancers` and
    /// `DescribeTags`, sent together).
    async fn get_balancer(&self, id: &str) -> Result<Balancer> {
        const OP: &str = "get_balancer";
        check_name("id", id).map_err(at(OP))?;
        self.get_with_tags(OP, id).await
    }

    /// `CreateLoadBalancer`, then the health check (`ConfigureHealthCheck`)
    /// and the members (`RegisterInstancesWithLoadBalancer`) together. A
    /// health check without a port probes the main listener's instance
    /// port. If a follow-up fails the half-created balancer is deleted.
    /// Returns the balancer as ELB describes it, with the tags it was given.
    async fn create_balancer(&self, request: CreateBalancer) -> Result<Balancer> {
        const OP: &str = "create_balancer";
        check::create_balancer(self, &request).map_err(at(OP))?;
        let ids = instance_ids(&request.members);
        // Build the follow-up requests too, so bad input fails before
        // CreateLoadBalancer, not after it.
        let member_port = request.listeners.first().map(|l| l.instance_port);
        let health = request
            .health_check
            .as_ref()
            .map(|hc| request::configure_health_check(&request.name, hc, member_port))
            .transpose()
            .map_err(at(OP))?;
        let register = (!ids.is_empty())
            .then(|| request::register_instances_with_load_balancer(&request.name, &ids))
            .transpose()
            .map_err(at(OP))?;
        let params = request::create_load_balancer(&request).map_err(at(OP))?;
        self.call(OP, params, response::parse_create_load_balancer)
            .await?;
        // The health check and the members do not depend on each other.
        let configured = future::try_join(
            self.call_some(OP, health, response::parse_configure_health_check),
            self.call_some(OP, register, response::parse_register_instances),
        )
        .await;
        // If one failed, remove the half-configured balancer so a retry of
        // the whole create starts clean, and report the original failure.
        if let Err(err) = configured {
            if let Ok(params) = request::delete_load_balancer(&request.name)
                && let Err(cleanup) = self.call(OP, params, empty("DeleteLoadBalancer")).await
            {
                tracing::warn!(balancer = %request.name, error = %cleanup, "could not remove a half-created balancer");
            }
            return Err(err);
        }
        let mut balancer = self.get(OP, &request.name).await?;
        balancer.tags = request.tags;
        Ok(balancer)
    }

    /// Replaces the main listener with one on the new port and/or protocol
    /// (ELB cannot edit a listener): `DeleteLoadBalancerListeners`,
    /// `CreateLoadBalancerListeners`, then `SetLoadBalancerPoliciesOfListener`
    /// with the old listener's policies. If the new listener cannot be
    /// created or cannot keep the policies, the old one is put back with its
    /// policies and the first failure returned; if putting it back fails
    /// too, the error says both (the second is its source).
    async fn update_balancer(
        &self,
        balancer: &Balancer,
        update: UpdateBalancer,
    ) -> Result<Balancer> {
        const OP: &str = "update_balancer";
        check_balancer(OP, balancer)?;
        check::update_balancer(self, &update).map_err(at(OP))?;
        let current = self.describe_one(OP, &balancer.id).await?.into_balancer();
        let main_port = balancer.port.or(current.port).ok_or_else(|| {
            Error::invalid_input("port", "the balancer has no listener to change")
                .with_provider("elb")
                .with_operation(OP)
        })?;
        let old = current.listener(main_port).cloned().ok_or_else(|| {
            not_found(OP, &balancer.id)
                .with_field("port")
                .with_source(format!(
                    "balancer {:?} has no listener on port {main_port}",
                    balancer.id
                ))
        })?;
        let mut new = old.clone();
        new.port = update.port.unwrap_or(old.port);
        new.protocol = update.protocol.unwrap_or(old.protocol);
        if !new.protocol.is_secure() {
            new.certificate_id = None;
        }
        if new.instance_protocol.is_some()
            && validate::protocol_pair("protocol", new.protocol, new.effective_instance_protocol())
                .is_err()
        {
            // Keep the member protocol only if it still pairs with the front.
            new.instance_protocol = None;
        }
        request::validate_listener("listener", &new).map_err(at(OP))?;
        if new.port != old.port && current.listener(new.port).is_some() {
            return Err(Error::invalid_input(
                "port",
                format!("port {} already has a listener", new.port),
            )
            .with_provider("elb")
            .with_operation(OP));
        }
        let delete =
            request::delete_load_balancer_listeners(&balancer.id, &[old.port]).map_err(at(OP))?;
        self.call_on(
            OP,
            &balancer.id,
            delete,
            empty("DeleteLoadBalancerListeners"),
        )
        .await?;
        self.replace_listener(&balancer.id, &old, &new).await?;
        self.get_with_tags(OP, &balancer.id).await
    }

    async fn destroy_balancer(&self, balancer: &Balancer) -> Result<()> {
        const OP: &str = "destroy_balancer";
        check_balancer(OP, balancer)?;
        let params = request::delete_load_balancer(&balancer.id).map_err(at(OP))?;
        self.call(OP, params, empty("DeleteLoadBalancer")).await
    }

    async fn balancer_list_members(&self, balancer: &Balancer) -> Result<Vec<Member>> {
        const OP: &str = "balancer_list_members";
        check_balancer(OP, balancer)?;
        let description = self.describe_one(OP, &balancer.id).await?;
        Ok(description
            .instances
            .into_iter()
            .map(Member::instance)
            .collect())
    }

    async fn balancer_attach_members(
        &self,
        balancer: &Balancer,
        members: Vec<Member>,
    ) -> Result<Vec<Member>> {
        const OP: &str = "balancer_attach_members";
        check_balancer(OP, balancer)?;
        check::members(self, OP, &members).map_err(at(OP))?;
        let ids = instance_ids(&members);
        let params =
            request::register_instances_with_load_balancer(&balancer.id, &ids).map_err(at(OP))?;
        let mut registered = self
            .call_on(OP, &balancer.id, params, response::parse_register_instances)
            .await?;
        if registered.is_empty() {
            // AWS answers with every instance now registered, so an empty
            // list after registering some means a server that leaves the
            // list out (moto 5.2.5 sends `<Instances/>`): ask again.
            registered = self.describe_one(OP, &balancer.id).await?.instances;
        }
        // Return the members asked for, as ELB now knows them.
        Ok(ids
            .into_iter()
            .filter(|id| registered.contains(id))
            .map(Member::instance)
            .collect())
    }

    async fn balancer_detach_members(&self, balancer: &Balancer, members: &[Member]) -> Result<()> {
        const OP: &str = "balancer_detach_members";
        check_balancer(OP, balancer)?;
        check::detach_members(self, members).map_err(at(OP))?;
        let ids = instance_ids(members);
        let params =
            request::deregister_instances_from_load_balancer(&balancer.id, &ids).map_err(at(OP))?;
        self.call_on(
            OP,
            &balancer.id,
            params,
            response::parse_deregister_instances,
        )
        .await?;
        Ok(())
    }

    /// ELB members have no weight and no condition to change:
    /// `Unsupported`, naming what was asked, with no request sent.
    async fn balancer_update_member(
        &self,
        balancer: &Balancer,
        member: &Member,
        update: UpdateMember,
    ) -> Result<Member> {
        const OP: &str = "balancer_update_member";
        check_balancer(OP, balancer)?;
        check::update_member(self, member, &update).map_err(at(OP))?;
        // Unreachable while ELB_CAPABILITIES claims neither weights nor
        // conditions; kept so a future flag cannot silently do nothing.
        Err(
            Error::unsupported(OP, "classic ELB members have no weight or condition")
                .with_provider("elb"),
        )
    }

    /// `ConfigureHealthCheck`. A check without a port probes the main
    /// listener's instance port (from `balancer.listeners`, or asked of
    /// ELB when the handle has none).
    async fn set_health_check(
        &self,
        balancer: &Balancer,
        health_check: HealthCheck,
    ) -> Result<HealthCheck> {
        const OP: &str = "set_health_check";
        check_balancer(OP, balancer)?;
        check::health_check(self, OP, &health_check).map_err(at(OP))?;
        let member_port = match health_check.port {
            Some(_) => None,
            None => self.main_instance_port(OP, balancer).await?,
        };
        let params = request::configure_health_check(&balancer.id, &health_check, member_port)
            .map_err(at(OP))?;
        self.call_on(
            OP,
            &balancer.id,
            params,
            response::parse_configure_health_check,
        )
        .await
    }

    async fn get_health_check(&self, balancer: &Balancer) -> Result<Option<HealthCheck>> {
        const OP: &str = "get_health_check";
        check_balancer(OP, balancer)?;
        check::get_health_check(self).map_err(at(OP))?;
        let description = self.describe_one(OP, &balancer.id).await?;
        description
            .health_check
            .map(|hc| hc.to_health_check())
            .transpose()
            .map_err(|e| {
                Error::new(ErrorKind::InvalidResponse, e.message().to_owned())
                    .with_provider("elb")
                    .with_operation(OP)
                    .with_action("DescribeLoadBalancers")
            })
    }

    /// `DescribeInstanceHealth`: ELB's `State` becomes the
    /// [`HealthState`](lbcloud_core::HealthState) and stays as
    /// [`MemberHealth::provider_state`].
    async fn balancer_member_health(&self, balancer: &Balancer) -> Result<Vec<MemberHealth>> {
        const OP: &str = "balancer_member_health";
        check_balancer(OP, balancer)?;
        check::member_health(self).map_err(at(OP))?;
        let params =
            request::describe_instance_health::<&str>(&balancer.id, &[]).map_err(at(OP))?;
        Ok(self
            .call_on(
                OP,
                &balancer.id,
                params,
                response::parse_describe_instance_health,
            )
            .await?
            .into_iter()
            .map(MemberHealth::from)
            .collect())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
