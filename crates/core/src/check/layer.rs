//! [`CheckedDriver`]: the checking layer around any driver.

use std::any::Any;
use std::sync::Arc;

use async_trait::async_trait;
use tracing::Instrument;

use crate::{
    Algorithm, Balancer, BalancerPages, Capabilities, CreateBalancer, Driver, HealthCheck, Limits,
    Member, MemberHealth, Protocol, Result, UpdateBalancer, UpdateMember, check,
};

/// A driver wrapped so that every call is checked against its
/// [`Capabilities`] and [`Limits`] before it runs, in the spirit of
/// OpenDAL's correctness-check layer. The registry hands out every driver
/// wrapped in one, so a third-party driver that forgets a check still
/// rejects what it cannot do, with no request sent.
///
/// Each operation runs in an INFO span `lbcloud_operation` with fields
/// `lbcloud.operation`, `lbcloud.provider` and `lbcloud.balancer`, which
/// parents the spans the driver opens per request (the AWS drivers'
/// `aws_request`), so a trace shows one operation and every request and
/// retry it took.
///
/// Everything else is forwarded, [`Driver::as_any`] included, so
/// `downcast_ref` still reaches the concrete driver's `ex_` methods.
///
/// ```
/// # #[derive(Debug)] struct Nothing;
/// # #[lbcloud_core::async_trait]
/// # impl lbcloud_core::Driver for Nothing {
/// #     fn name(&self) -> &str { "nothing" }
/// #     fn capabilities(&self) -> lbcloud_core::Capabilities { lbcloud_core::Capabilities::none().with_member_by_address(true) }
/// #     fn limits(&self) -> lbcloud_core::Limits { lbcloud_core::Limits::new() }
/// #     fn list_protocols(&self) -> Vec<lbcloud_core::Protocol> { vec![lbcloud_core::Protocol::Http] }
/// #     fn list_supported_algorithms(&self) -> Vec<lbcloud_core::Algorithm> { vec![] }
/// #     fn list_balancers_pages(&self) -> lbcloud_core::BalancerPages<'_> { Box::pin(futures_util::stream::empty()) }
/// #     async fn get_balancer(&self, _: &str) -> lbcloud_core::Result<lbcloud_core::Balancer> { unreachable!() }
/// #     async fn create_balancer(&self, _: lbcloud_core::CreateBalancer) -> lbcloud_core::Result<lbcloud_core::Balancer> { unreachable!("the layer stops this") }
/// #     async fn update_balancer(&self, _: &lbcloud_core::Balancer, _: lbcloud_core::UpdateBalancer) -> lbcloud_core::Result<lbcloud_core::Balancer> { unreachable!() }
/// #     async fn destroy_balancer(&self, _: &lbcloud_core::Balancer) -> lbcloud_core::Result<()> { unreachable!() }
/// #     async fn balancer_list_members(&self, _: &lbcloud_core::Balancer) -> lbcloud_core::Result<Vec<lbcloud_core::Member>> { unreachable!() }
/// #     async fn balancer_attach_members(&self, _: &lbcloud_core::Balancer, _: Vec<lbcloud_core::Member>) -> lbcloud_core::Result<Vec<lbcloud_core::Member>> { unreachable!() }
/// #     async fn balancer_detach_members(&self, _: &lbcloud_core::Balancer, _: &[lbcloud_core::Member]) -> lbcloud_core::Result<()> { unreachable!() }
/// #     fn as_any(&self) -> &dyn std::any::Any { self }
/// # }
/// # futures_executor_block_on(async {
/// use lbcloud_core::{CheckedDriver, CreateBalancer, ErrorKind, Member, Protocol};
///
/// let driver = CheckedDriver::wrap(std::sync::Arc::new(Nothing));
/// // `Nothing` has no weights: the layer says so and never calls it.
/// let req = CreateBalancer::new("web", 80, Protocol::Http)
///     .member(Member::address("10.0.0.1", 80).weight(3));
/// let err = driver.create_balancer(req).await.unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Unsupported);
/// assert_eq!(err.field(), Some("members[0].weight"));
/// # });
/// # fn futures_executor_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct CheckedDriver {
    inner: Arc<dyn Driver>,
}

impl CheckedDriver {
    /// Wraps `driver`. Wrapping a wrapped driver only checks twice.
    pub fn wrap(driver: Arc<dyn Driver>) -> Arc<dyn Driver> {
        Arc::new(Self { inner: driver })
    }

    /// The wrapped driver.
    pub fn inner(&self) -> &Arc<dyn Driver> {
        &self.inner
    }

    /// The span of one operation on `balancer` (a name or id, or empty).
    fn span(&self, operation: &'static str, balancer: &str) -> tracing::Span {
        tracing::info_span!(
            "lbcloud_operation",
            lbcloud.operation = operation,
            lbcloud.provider = self.inner.name(),
            lbcloud.balancer = balancer,
        )
    }
}

/// The name a balancer is known by in traces: its name, else its id.
fn label(balancer: &Balancer) -> &str {
    if balancer.name.is_empty() {
        &balancer.id
    } else {
        &balancer.name
    }
}

#[deny(clippy::missing_trait_methods)]
#[async_trait]
impl Driver for CheckedDriver {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }

    fn limits(&self) -> Limits {
        self.inner.limits()
    }

    fn list_protocols(&self) -> Vec<Protocol> {
        self.inner.list_protocols()
    }

    fn list_supported_algorithms(&self) -> Vec<Algorithm> {
        self.inner.list_supported_algorithms()
    }

    fn list_balancers_pages(&self) -> BalancerPages<'_> {
        self.inner.list_balancers_pages()
    }

    async fn list_balancers(&self) -> Result<Vec<Balancer>> {
        self.inner
            .list_balancers()
            .instrument(self.span("list_balancers", ""))
            .await
    }

    async fn get_balancer(&self, id: &str) -> Result<Balancer> {
        if id.is_empty() {
            return Err(crate::Error::invalid_input("id", "must not be empty")
                .with_operation("get_balancer"));
        }
        self.inner
            .get_balancer(id)
            .instrument(self.span("get_balancer", id))
            .await
    }

    async fn create_balancer(&self, request: CreateBalancer) -> Result<Balancer> {
        check::create_balancer(&*self.inner, &request)?;
        let name = request.name.clone();
        self.inner
            .create_balancer(request)
            .instrument(self.span("create_balancer", &name))
            .await
    }

    async fn update_balancer(
        &self,
        balancer: &Balancer,
        update: UpdateBalancer,
    ) -> Result<Balancer> {
        check::balancer("update_balancer", balancer)?;
        check::update_balancer(&*self.inner, &update)?;
        self.inner
            .update_balancer(balancer, update)
            .instrument(self.span("update_balancer", label(balancer)))
            .await
    }

    async fn destroy_balancer(&self, balancer: &Balancer) -> Result<()> {
        check::balancer("destroy_balancer", balancer)?;
        self.inner
            .destroy_balancer(balancer)
            .instrument(self.span("destroy_balancer", label(balancer)))
            .await
    }

    async fn balancer_list_members(&self, balancer: &Balancer) -> Result<Vec<Member>> {
        check::balancer("balancer_list_members", balancer)?;
        self.inner
            .balancer_list_members(balancer)
            .instrument(self.span("balancer_list_members", label(balancer)))
            .await
    }

    async fn balancer_attach_member(&self, balancer: &Balancer, member: Member) -> Result<Member> {
        check::balancer("balancer_attach_member", balancer)?;
        check::members(
            &*self.inner,
            "balancer_attach_member",
            std::slice::from_ref(&member),
        )?;
        self.inner
            .balancer_attach_member(balancer, member)
            .instrument(self.span("balancer_attach_member", label(balancer)))
            .await
    }

    async fn balancer_attach_members(
        &self,
        balancer: &Balancer,
        members: Vec<Member>,
    ) -> Result<Vec<Member>> {
        check::balancer("balancer_attach_members", balancer)?;
        check::members(&*self.inner, "balancer_attach_members", &members)?;
        self.inner
            .balancer_attach_members(balancer, members)
            .instrument(self.span("balancer_attach_members", label(balancer)))
            .await
    }

    async fn balancer_detach_member(&self, balancer: &Balancer, member: &Member) -> Result<()> {
        check::balancer("balancer_detach_member", balancer)?;
        check::detach_members(&*self.inner, std::slice::from_ref(member))?;
        self.inner
            .balancer_detach_member(balancer, member)
            .instrument(self.span("balancer_detach_member", label(balancer)))
            .await
    }

    async fn balancer_detach_members(&self, balancer: &Balancer, members: &[Member]) -> Result<()> {
        check::balancer("balancer_detach_members", balancer)?;
        check::detach_members(&*self.inner, members)?;
        self.inner
            .balancer_detach_members(balancer, members)
            .instrument(self.span("balancer_detach_members", label(balancer)))
            .await
    }

    async fn balancer_update_member(
        &self,
        balancer: &Balancer,
        member: &Member,
        update: UpdateMember,
    ) -> Result<Member> {
        check::balancer("balancer_update_member", balancer)?;
        check::update_member(&*self.inner, member, &update)?;
        self.inner
            .balancer_update_member(balancer, member, update)
            .instrument(self.span("balancer_update_member", label(balancer)))
            .await
    }

    async fn set_health_check(
        &self,
        balancer: &Balancer,
        health_check: HealthCheck,
    ) -> Result<HealthCheck> {
        check::balancer("set_health_check", balancer)?;
        check::health_check(&*self.inner, "set_health_check", &health_check)?;
        self.inner
            .set_health_check(balancer, health_check)
            .instrument(self.span("set_health_check", label(balancer)))
            .await
    }

    async fn get_health_check(&self, balancer: &Balancer) -> Result<Option<HealthCheck>> {
        check::balancer("get_health_check", balancer)?;
        check::get_health_check(&*self.inner)?;
        self.inner
            .get_health_check(balancer)
            .instrument(self.span("get_health_check", label(balancer)))
            .await
    }

    async fn balancer_member_health(&self, balancer: &Balancer) -> Result<Vec<MemberHealth>> {
        check::balancer("balancer_member_health", balancer)?;
        check::member_health(&*self.inner)?;
        self.inner
            .balancer_member_health(balancer)
            .instrument(self.span("balancer_member_health", label(balancer)))
            .await
    }

    fn as_any(&self) -> &dyn Any {
        self.inner.as_any()
    }
}
