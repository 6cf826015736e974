//! `ElbDriver` and its implementation of the provider-neutral [`Driver`] trait.

use std::any::Any;

use futures_util::stream;
use lbcloud_aws::{AwsClient, QueryParams};
use lbcloud_core::{
    Algorithm, Balancer, BalancerPages, Capabilities, CreateBalancer, Driver, Error, ErrorKind,
    HealthCheck, Listener, Member, MemberHealth, Protocol, Result, UpdateBalancer, async_trait,
    validate,
};

use crate::builder::ElbDriverBuilder;
use crate::model::ElbBalancerDescription;
use crate::request::{self, ELB_PROTOCOLS};
use crate::response;

/// The algorithms classic ELB uses. It cannot be told which: it routes TCP
/// and SSL listeners round robin and HTTP and HTTPS listeners to the
/// instance with the fewest outstanding requests.
pub const ELB_ALGORITHMS: [Algorithm; 2] =
    [Algorithm::RoundRobin, Algorithm::LeastOutstandingRequests];

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
}

impl ElbDriver {
    pub(crate) fn new(client: AwsClient, page_size: u32) -> Self {
        Self { client, page_size }
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
    /// answer `parse` rejects) carries provider `elb` and the lbcloud
    /// `operation` (such as `list_balancers`), so callers see one name for
    /// the operation whichever layer failed.
    pub(crate) async fn call<T>(
        &self,
        operation: &'static str,
        params: QueryParams,
        parse: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<T> {
        let tag = |e: Error| e.with_provider("elb").with_operation(operation);
        let body = self.client.send(params).await.map_err(tag)?;
        parse(&body).map_err(tag)
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
                        Err(not_found(operation, name)
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

    /// Instance ids of members; address members are refused (ELB has none).
    fn instance_ids<'m>(
        operation: &str,
        members: impl IntoIterator<Item = &'m Member>,
    ) -> Result<Vec<String>> {
        members
            .into_iter()
            .enumerate()
            .map(|(i, m)| {
                // Malformed first (InvalidInput), then well-formed but
                // addressed (Unsupported): a member with neither id nor
                // address is a bad input, not an address member.
                m.validate(&format!("members[{i}]"))?;
                if m.is_address() {
                    return Err(Error::unsupported(
                        operation,
                        format!(
                            "members[{i}]: ELB members are EC2 instance ids; use Member::instance"
                        ),
                    )
                    .with_field(format!("members[{i}].id")));
                }
                Ok(m.id.clone())
            })
            .collect()
    }

    fn check_algorithm(request: &CreateBalancer) -> Result<()> {
        match request.algorithm {
            None => Ok(()),
            Some(a) if ELB_ALGORITHMS.contains(&a) => Ok(()),
            Some(a) => Err(Error::invalid_input(
                "algorithm",
                format!(
                    "classic ELB cannot use {a}; it routes TCP/SSL round robin and HTTP/HTTPS by least outstanding requests"
                ),
            )),
        }
    }

    /// The steps after `CreateLoadBalancer`: health check, then members.
    async fn configure_new(&self, request: &CreateBalancer, ids: &[String]) -> Result<()> {
        if let Some(hc) = &request.health_check {
            let params = request::configure_health_check(&request.name, hc)?;
            self.call(
                "create_balancer",
                params,
                response::parse_configure_health_check,
            )
            .await?;
        }
        if !ids.is_empty() {
            let params = request::register_instances_with_load_balancer(&request.name, ids)?;
            self.call(
                "create_balancer",
                params,
                response::parse_register_instances,
            )
            .await?;
        }
        Ok(())
    }
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
        Capabilities {
            update_port: true,
            update_protocol: true,
            member_by_instance: true,
            batch_members: true,
            multiple_listeners: true,
            health_check: true,
            member_health: true,
            zones: true,
            paginated_listing: true,
            ..Capabilities::default()
        }
    }

    fn list_protocols(&self) -> Vec<Protocol> {
        ELB_PROTOCOLS.to_vec()
    }

    fn list_supported_algorithms(&self) -> Vec<Algorithm> {
        ELB_ALGORITHMS.to_vec()
    }

    fn list_balancers_pages(&self) -> BalancerPages<'_> {
        // State: the marker of the next page; `None` once the last page is out.
        let first: Option<Option<String>> = Some(None);
        Box::pin(stream::try_unfold(first, move |state| async move {
            let Some(marker) = state else {
                return Ok(None);
            };
            let params = request::describe_load_balancers::<&str>(
                &[],
                marker.as_deref(),
                Some(self.page_size),
            )?;
            let page = self
                .call(
                    "list_balancers",
                    params,
                    response::parse_describe_load_balancers,
                )
                .await?;
            let next = match page.next_marker {
                // A server that hands back the marker it was given would loop forever.
                Some(next) if Some(&next) == marker.as_ref() => {
                    return Err(Error::new(
                        ErrorKind::InvalidResponse,
                        format!(
                            "DescribeLoadBalancers returned the same NextMarker twice ({next:?})"
                        ),
                    )
                    .with_provider("elb")
                    .with_operation("list_balancers"));
                }
                Some(next) if !next.is_empty() => Some(Some(next)),
                _ => None,
            };
            Ok(Some((page.balancers, next)))
        }))
    }

    async fn get_balancer(&self, id: &str) -> Result<Balancer> {
        validate::balancer_name("id", id)?;
        self.get("get_balancer", id).await
    }

    async fn create_balancer(&self, request: CreateBalancer) -> Result<Balancer> {
        request.validate()?;
        Self::check_algorithm(&request)?;
        let ids = Self::instance_ids("create_balancer", &request.members)?;
        // Check the follow-up requests too, so bad members (an instance
        // listed twice) fail before CreateLoadBalancer, not after it.
        if !ids.is_empty() {
            request::register_instances_with_load_balancer(&request.name, &ids)?;
        }
        let params = request::create_load_balancer(&request)?;
        self.call(
            "create_balancer",
            params,
            response::parse_create_load_balancer,
        )
        .await?;
        // Health check and members are separate calls. If one fails, remove
        // the half-configured balancer so a retry of the whole create starts
        // clean, and report the original failure.
        if let Err(err) = self.configure_new(&request, &ids).await {
            if let Ok(params) = request::delete_load_balancer(&request.name)
                && let Err(cleanup) = self
                    .call("create_balancer", params, empty("DeleteLoadBalancer"))
                    .await
            {
                tracing::warn!(balancer = %request.name, error = %cleanup, "could not remove a half-created balancer");
            }
            return Err(err);
        }
        self.get("create_balancer", &request.name).await
    }

    async fn update_balancer(
        &self,
        balancer: &Balancer,
        update: UpdateBalancer,
    ) -> Result<Balancer> {
        update.validate()?;
        if update.name.is_some() {
            return Err(
                Error::unsupported("update_balancer", "ELB balancers cannot be renamed")
                    .with_field("name"),
            );
        }
        if update.algorithm.is_some() {
            return Err(Error::unsupported(
                "update_balancer",
                "classic ELB does not let callers choose the algorithm",
            )
            .with_field("algorithm"));
        }
        if let Some(p) = update.protocol {
            validate::protocol_supported("protocol", p, &ELB_PROTOCOLS)?;
        }
        if update.port.is_none() && update.protocol.is_none() {
            return self.get("update_balancer", &balancer.id).await;
        }
        // ELB cannot edit a listener: replace the main one with a copy that
        // has the new port and protocol, keeping its member side.
        let current = self
            .describe_one("update_balancer", &balancer.id)
            .await?
            .into_balancer();
        let main_port = balancer.port.or(current.port).ok_or_else(|| {
            Error::invalid_input("port", "the balancer has no listener to change")
                .with_operation("update_balancer")
        })?;
        let old = current.listener(main_port).cloned().ok_or_else(|| {
            Error::not_found(format!(
                "balancer {:?} has no listener on port {main_port}",
                balancer.id
            ))
        })?;
        let mut new = Listener {
            port: update.port.unwrap_or(old.port),
            protocol: update.protocol.unwrap_or(old.protocol),
            policies: Vec::new(),
            ..old.clone()
        };
        if !new.protocol.is_secure() {
            new.certificate_id = None;
        }
        if new.instance_protocol.is_some() {
            // Keep the member protocol only if it still pairs with the front.
            if validate::protocol_pair("protocol", new.protocol, new.effective_instance_protocol())
                .is_err()
            {
                new.instance_protocol = None;
            }
        }
        request::validate_listener("listener", &new)?;
        if new.port != old.port && current.listener(new.port).is_some() {
            return Err(Error::invalid_input(
                "port",
                format!("port {} already has a listener", new.port),
            ));
        }
        let delete = request::delete_load_balancer_listeners(&balancer.id, &[old.port])?;
        let create =
            request::create_load_balancer_listeners(&balancer.id, std::slice::from_ref(&new))?;
        self.call_on(
            "update_balancer",
            &balancer.id,
            delete,
            empty("DeleteLoadBalancerListeners"),
        )
        .await?;
        let created = self
            .call(
                "update_balancer",
                create,
                empty("CreateLoadBalancerListeners"),
            )
            .await;
        if let Err(err) = created {
            // Put the old listener back so a failed update leaves things as they were.
            if let Ok(restore) =
                request::create_load_balancer_listeners(&balancer.id, std::slice::from_ref(&old))
            {
                let _ = self
                    .call(
                        "update_balancer",
                        restore,
                        empty("CreateLoadBalancerListeners"),
                    )
                    .await;
            }
            return Err(err);
        }
        self.get("update_balancer", &balancer.id).await
    }

    async fn destroy_balancer(&self, balancer: &Balancer) -> Result<()> {
        let params = request::delete_load_balancer(&balancer.id)?;
        self.call("destroy_balancer", params, empty("DeleteLoadBalancer"))
            .await
    }

    async fn balancer_list_members(&self, balancer: &Balancer) -> Result<Vec<Member>> {
        validate::balancer_name("balancer.id", &balancer.id)?;
        let description = self
            .describe_one("balancer_list_members", &balancer.id)
            .await?;
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
        let ids = Self::instance_ids("balancer_attach_members", &members)?;
        let params = request::register_instances_with_load_balancer(&balancer.id, &ids)?;
        let mut registered = self
            .call_on(
                "balancer_attach_members",
                &balancer.id,
                params,
                response::parse_register_instances,
            )
            .await?;
        if registered.is_empty() {
            // AWS answers with every instance now registered, so an empty
            // list after registering some means a server that leaves the
            // list out (moto 5.2.5 sends `<Instances/>`): ask again.
            registered = self
                .describe_one("balancer_attach_members", &balancer.id)
                .await?
                .instances;
        }
        // Return the members asked for, as ELB now knows them.
        Ok(ids
            .into_iter()
            .filter(|id| registered.contains(id))
            .map(Member::instance)
            .collect())
    }

    async fn balancer_detach_members(&self, balancer: &Balancer, members: &[Member]) -> Result<()> {
        let ids = Self::instance_ids("balancer_detach_members", members)?;
        let params = request::deregister_instances_from_load_balancer(&balancer.id, &ids)?;
        self.call_on(
            "balancer_detach_members",
            &balancer.id,
            params,
            response::parse_deregister_instances,
        )
        .await?;
        Ok(())
    }

    async fn set_health_check(
        &self,
        balancer: &Balancer,
        health_check: HealthCheck,
    ) -> Result<HealthCheck> {
        health_check.validate()?;
        let params = request::configure_health_check(&balancer.id, &health_check)?;
        self.call_on(
            "set_health_check",
            &balancer.id,
            params,
            response::parse_configure_health_check,
        )
        .await
    }

    async fn get_health_check(&self, balancer: &Balancer) -> Result<Option<HealthCheck>> {
        validate::balancer_name("balancer.id", &balancer.id)?;
        let description = self.describe_one("get_health_check", &balancer.id).await?;
        description
            .health_check
            .map(|hc| hc.to_health_check())
            .transpose()
    }

    async fn balancer_member_health(&self, balancer: &Balancer) -> Result<Vec<MemberHealth>> {
        let params = request::describe_instance_health::<&str>(&balancer.id, &[])?;
        Ok(self
            .call_on(
                "balancer_member_health",
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
