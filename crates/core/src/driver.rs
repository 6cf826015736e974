//! The `Driver` trait every provider implements, its forwarding impls and
//! the `DriverExt` helpers.

use std::any::Any;
use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use futures_core::stream::BoxStream;
use futures_util::TryStreamExt;

use crate::{
    Algorithm, Balancer, Capabilities, CreateBalancer, Error, HealthCheck, Limits, Member,
    MemberHealth, Protocol, Result, UpdateBalancer, UpdateMember,
};

/// A stream of balancer pages, as providers return them.
pub type BalancerPages<'a> = BoxStream<'a, Result<Vec<Balancer>>>;

/// One provider's load balancers, behind one object-safe async trait.
///
/// Use it as `Arc<dyn Driver>` or `Box<dyn Driver>`; both are drivers too.
/// The method names follow libcloud's base driver. Provider-only operations
/// are inherent `ex_` methods of the concrete driver, reached through
/// [`DriverExt::downcast_ref`].
///
/// Every method validates its input before any I/O against the driver's
/// [`Limits`] and answers
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) naming the
/// field; an operation or a field outside [`Driver::capabilities`] answers
/// [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) without I/O.
/// Drivers do this with the shared [`check`](crate::check) functions at
/// their entry, and the registry wraps every driver in
/// [`CheckedDriver`](crate::CheckedDriver), which runs the same checks
/// before the driver is called.
///
/// ```
/// # async fn demo(driver: &dyn lbcloud_core::Driver) -> lbcloud_core::Result<()> {
/// use lbcloud_core::{CreateBalancer, Member, Protocol};
///
/// let b = driver
///     .create_balancer(CreateBalancer::new("web", 80, Protocol::Http).member(Member::instance("i-1")))
///     .await?;
/// for m in driver.balancer_list_members(&b).await? {
///     println!("{} {:?}", m.id, m.ip);
/// }
/// driver.destroy_balancer(&b).await?;
/// # Ok(()) }
/// ```
#[async_trait]
pub trait Driver: Debug + Send + Sync + 'static {
    /// The provider's registry name (`elb`, `mock`, or a third party's).
    fn name(&self) -> &str;

    /// What this driver supports.
    fn capabilities(&self) -> Capabilities;

    /// The provider's input rules (names, health-check ranges, weights, ...).
    fn limits(&self) -> Limits;

    /// The listener protocols the provider offers.
    fn list_protocols(&self) -> Vec<Protocol>;

    /// The algorithms the provider offers or uses.
    fn list_supported_algorithms(&self) -> Vec<Algorithm>;

    /// Every balancer, page by page as the provider returns them.
    ///
    /// The stream ends after the last page; a failure ends it with the error.
    fn list_balancers_pages(&self) -> BalancerPages<'_>;

    /// Every balancer, all pages collected.
    async fn list_balancers(&self) -> Result<Vec<Balancer>> {
        // Grow the first page instead of collecting pages and flattening
        // them into a new vector: a one-page listing (the common case)
        // then costs no second copy of its balancers.
        self.list_balancers_pages()
            .try_fold(Vec::new(), |mut all, page| async move {
                if all.is_empty() {
                    Ok(page)
                } else {
                    all.extend(page);
                    Ok(all)
                }
            })
            .await
    }

    /// One balancer by id; [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) if none.
    async fn get_balancer(&self, id: &str) -> Result<Balancer>;

    /// Creates a balancer, attaches its members and applies its health check.
    async fn create_balancer(&self, request: CreateBalancer) -> Result<Balancer>;

    /// Changes a balancer; fields outside the capabilities are `Unsupported`.
    async fn update_balancer(
        &self,
        balancer: &Balancer,
        update: UpdateBalancer,
    ) -> Result<Balancer>;

    /// Destroys a balancer.
    async fn destroy_balancer(&self, balancer: &Balancer) -> Result<()>;

    /// The balancer's members.
    async fn balancer_list_members(&self, balancer: &Balancer) -> Result<Vec<Member>>;

    /// Attaches one member and returns it as the provider now knows it.
    async fn balancer_attach_member(&self, balancer: &Balancer, member: Member) -> Result<Member> {
        let mut attached = self.balancer_attach_members(balancer, vec![member]).await?;
        attached.pop().ok_or_else(|| {
            Error::new(
                crate::ErrorKind::InvalidResponse,
                "the provider returned no member",
            )
        })
    }

    /// Attaches several members, in one provider call where it allows.
    async fn balancer_attach_members(
        &self,
        balancer: &Balancer,
        members: Vec<Member>,
    ) -> Result<Vec<Member>>;

    /// Detaches one member.
    async fn balancer_detach_member(&self, balancer: &Balancer, member: &Member) -> Result<()> {
        self.balancer_detach_members(balancer, std::slice::from_ref(member))
            .await
    }

    /// Detaches several members, in one provider call where it allows.
    async fn balancer_detach_members(&self, balancer: &Balancer, members: &[Member]) -> Result<()>;

    /// Changes one member's weight and/or condition and returns the member
    /// as the provider now knows it. `Unsupported` unless the driver has
    /// [`Capabilities::member_weight`] or [`Capabilities::member_condition`].
    async fn balancer_update_member(
        &self,
        balancer: &Balancer,
        member: &Member,
        update: UpdateMember,
    ) -> Result<Member> {
        let _ = (balancer, member, update);
        Err(Error::unsupported(
            "balancer_update_member",
            format!("{} cannot change members", self.name()),
        ))
    }

    /// Sets the balancer's health check and returns it as the provider stored it.
    async fn set_health_check(
        &self,
        balancer: &Balancer,
        health_check: HealthCheck,
    ) -> Result<HealthCheck> {
        let _ = (balancer, health_check);
        Err(Error::unsupported(
            "set_health_check",
            format!("{} has no health checks", self.name()),
        ))
    }

    /// The balancer's health check, `None` if none is configured.
    async fn get_health_check(&self, balancer: &Balancer) -> Result<Option<HealthCheck>> {
        let _ = balancer;
        Err(Error::unsupported(
            "get_health_check",
            format!("{} has no health checks", self.name()),
        ))
    }

    /// The health of every member of the balancer.
    async fn balancer_member_health(&self, balancer: &Balancer) -> Result<Vec<MemberHealth>> {
        let _ = balancer;
        Err(Error::unsupported(
            "balancer_member_health",
            format!("{} reports no member health", self.name()),
        ))
    }

    /// The concrete driver, for [`DriverExt::downcast_ref`].
    fn as_any(&self) -> &dyn Any;
}

/// Forwards every [`Driver`] method to the pointee, so smart pointers to
/// drivers are drivers. `missing_trait_methods` makes a new trait method
/// that is not forwarded a compile error.
macro_rules! forward_driver {
    ($($ty:ty),*) => {$(
        #[deny(clippy::missing_trait_methods)]
        #[async_trait]
        impl<T: Driver + ?Sized> Driver for $ty {
            fn name(&self) -> &str {
                (**self).name()
            }
            fn capabilities(&self) -> Capabilities {
                (**self).capabilities()
            }
            fn limits(&self) -> Limits {
                (**self).limits()
            }
            fn list_protocols(&self) -> Vec<Protocol> {
                (**self).list_protocols()
            }
            fn list_supported_algorithms(&self) -> Vec<Algorithm> {
                (**self).list_supported_algorithms()
            }
            fn list_balancers_pages(&self) -> BalancerPages<'_> {
                (**self).list_balancers_pages()
            }
            async fn list_balancers(&self) -> Result<Vec<Balancer>> {
                (**self).list_balancers().await
            }
            async fn get_balancer(&self, id: &str) -> Result<Balancer> {
                (**self).get_balancer(id).await
            }
            async fn create_balancer(&self, request: CreateBalancer) -> Result<Balancer> {
                (**self).create_balancer(request).await
            }
            async fn update_balancer(&self, balancer: &Balancer, update: UpdateBalancer) -> Result<Balancer> {
                (**self).update_balancer(balancer, update).await
            }
            async fn destroy_balancer(&self, balancer: &Balancer) -> Result<()> {
                (**self).destroy_balancer(balancer).await
            }
            async fn balancer_list_members(&self, balancer: &Balancer) -> Result<Vec<Member>> {
                (**self).balancer_list_members(balancer).await
            }
            async fn balancer_attach_member(&self, balancer: &Balancer, member: Member) -> Result<Member> {
                (**self).balancer_attach_member(balancer, member).await
            }
            async fn balancer_attach_members(&self, balancer: &Balancer, members: Vec<Member>) -> Result<Vec<Member>> {
                (**self).balancer_attach_members(balancer, members).await
            }
            async fn balancer_detach_member(&self, balancer: &Balancer, member: &Member) -> Result<()> {
                (**self).balancer_detach_member(balancer, member).await
            }
            async fn balancer_detach_members(&self, balancer: &Balancer, members: &[Member]) -> Result<()> {
                (**self).balancer_detach_members(balancer, members).await
            }
            async fn balancer_update_member(&self, balancer: &Balancer, member: &Member, update: UpdateMember) -> Result<Member> {
                (**self).balancer_update_member(balancer, member, update).await
            }
            async fn set_health_check(&self, balancer: &Balancer, health_check: HealthCheck) -> Result<HealthCheck> {
                (**self).set_health_check(balancer, health_check).await
            }
            async fn get_health_check(&self, balancer: &Balancer) -> Result<Option<HealthCheck>> {
                (**self).get_health_check(balancer).await
            }
            async fn balancer_member_health(&self, balancer: &Balancer) -> Result<Vec<MemberHealth>> {
                (**self).balancer_member_health(balancer).await
            }
            fn as_any(&self) -> &dyn Any {
                (**self).as_any()
            }
        }
    )*};
}

forward_driver!(Arc<T>, Box<T>);

/// Helpers every driver gets for free, built on [`Driver`].
#[async_trait]
pub trait DriverExt: Driver {
    /// The first balancer named `name`, if any (walks the listing).
    async fn find_balancer_by_name(&self, name: &str) -> Result<Option<Balancer>> {
        let all = self.list_balancers().await?;
        Ok(all.into_iter().find(|b| b.name == name))
    }

    /// The concrete driver behind a `dyn Driver`, `Arc` or `Box`, to reach
    /// its `ex_` methods. `None` if it is another driver type.
    fn downcast_ref<D: Driver>(&self) -> Option<&D>
    where
        Self: Sized,
    {
        self.as_any().downcast_ref::<D>()
    }
}

impl<T: Driver + ?Sized> DriverExt for T {}

impl dyn Driver {
    /// The concrete driver behind this `dyn Driver`, to reach its `ex_`
    /// methods; `None` if it is another driver type.
    pub fn downcast_ref<D: Driver>(&self) -> Option<&D> {
        self.as_any().downcast_ref::<D>()
    }
}
