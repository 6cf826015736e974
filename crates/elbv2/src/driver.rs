//! `Elbv2Driver`: the client, the call primitive and paging.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::stream::{self, BoxStream};
use futures_util::{StreamExt, TryStreamExt};
use lbcloud_aws::{AwsClient, QueryParams};
use lbcloud_core::{Error, ErrorKind, Result};

use crate::PROVIDER;
use crate::builder::Elbv2DriverBuilder;
use crate::model::LoadBalancer;
use crate::response::Page;

/// A stream of pages of a describe action, each page a `Vec` of items.
pub type Pages<'a, T> = BoxStream<'a, Result<Vec<T>>>;

/// The AWS Elastic Load Balancing v2 driver (Application, Network and
/// Gateway Load Balancers, API 2015-12-01).
///
/// Every one of the API's 51 actions is reachable through an inherent
/// `ex_` method (see [the table](crate#all-51-actions)); each checks its
/// input before any request and names itself as the operation of any
/// error.
///
/// ```no_run
/// # async fn demo() -> lbcloud_core::Result<()> {
/// use lbcloud_elbv2::Elbv2Driver;
///
/// let driver = Elbv2Driver::from_env()?;
/// for lb in driver.ex_list_load_balancers().await? {
///     println!("{} {:?}", lb.name, lb.dns_name);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Elbv2Driver {
    client: AwsClient,
    page_size: u32,
    max_pages: usize,
    subnets: Vec<String>,
    /// The VPC the driver's balancers go in, when the user said
    /// ([`Elbv2DriverBuilder::vpc_id`]).
    vpc_id: Option<String>,
    /// The VPC of every subnet seen in a load balancer answer, shared by
    /// clones. A subnet never moves to another VPC, so an entry never goes
    /// stale; with it `create_balancer` sends `CreateTargetGroup` together
    /// with `CreateLoadBalancer` instead of after it.
    vpc_of_subnet: Arc<Mutex<HashMap<String, String>>>,
}

impl Elbv2Driver {
    pub(crate) fn new(client: AwsClient, page_size: u32, max_pages: usize) -> Self {
        Self {
            client,
            page_size,
            max_pages,
            subnets: Vec::new(),
            vpc_id: None,
            vpc_of_subnet: Arc::default(),
        }
    }

    pub(crate) fn with_subnets(mut self, subnets: Vec<String>) -> Self {
        self.subnets = subnets;
        self
    }

    pub(crate) fn with_vpc_id(mut self, vpc_id: Option<String>) -> Self {
        self.vpc_id = vpc_id;
        self
    }

    /// The VPC set with [`Elbv2DriverBuilder::vpc_id`], if any.
    pub fn vpc_id(&self) -> Option<&str> {
        self.vpc_id.as_deref()
    }

    /// Remembers which VPC the subnets of `lb` are in.
    pub(crate) fn learn_vpc(&self, lb: &LoadBalancer) {
        let Some(vpc) = &lb.vpc_id else { return };
        let mut map = self
            .vpc_of_subnet
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for subnet in lb
            .availability_zones
            .iter()
            .filter_map(|z| z.subnet_id.as_ref())
        {
            // Listings see the same subnets again and again: allocate only
            // for a subnet not known yet.
            if map.get(subnet) != Some(vpc) {
                map.insert(subnet.clone(), vpc.clone());
            }
        }
    }

    /// The VPC a balancer in `subnets` goes in, known before creating it:
    /// the configured one, else the one every subnet was last seen in.
    pub(crate) fn vpc_before_create(&self, subnets: &[String]) -> Option<String> {
        if let Some(vpc) = &self.vpc_id {
            return Some(vpc.clone());
        }
        let map = self
            .vpc_of_subnet
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut vpcs = subnets.iter().map(|s| map.get(s));
        let first = vpcs.next()??;
        vpcs.all(|v| v == Some(first)).then(|| first.clone())
    }

    /// The subnets a balancer goes in when its request names none.
    pub fn default_subnets(&self) -> &[String] {
        &self.subnets
    }

    /// A builder for the driver.
    pub fn builder() -> Elbv2DriverBuilder {
        Elbv2DriverBuilder::default()
    }

    /// A driver configured from the environment and the shared AWS files
    /// only (`AWS_ACCESS_KEY_ID`, `AWS_REGION`, `AWS_PROFILE`,
    /// `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2`, ...).
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

    /// The page size of the describe actions.
    pub fn page_size(&self) -> u32 {
        self.page_size
    }

    /// The most pages one listing follows.
    pub fn max_pages(&self) -> usize {
        self.max_pages
    }

    /// Sends a request built by a validating builder and reads the answer
    /// with `parse`. A builder error (bad input) is returned before any
    /// I/O. Every error carries provider `elbv2` and `operation` (the
    /// method's name), whichever layer failed.
    pub(crate) async fn call<T>(
        &self,
        operation: &'static str,
        params: Result<QueryParams>,
        parse: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<T> {
        let tag = |e: Error| tag(e, operation);
        let params = params.map_err(tag)?;
        let body = self.client.send(params).await.map_err(tag)?;
        parse(&body).map_err(tag)
    }

    /// Streams every page of a paged describe action: `build` makes the
    /// request for a marker and page size, `parse` reads a page. Stops
    /// after the last page; fails on a repeated marker or after
    /// [`max_pages`](Self::max_pages) pages, so a misbehaving server cannot
    /// keep it going forever.
    pub(crate) fn pages<'a, T: Send + 'a>(
        &'a self,
        operation: &'static str,
        build: impl Fn(Option<&str>, u32) -> Result<QueryParams> + Send + Sync + 'a,
        parse: impl Fn(&[u8]) -> Result<Page<T>> + Send + Sync + Copy + 'a,
    ) -> Pages<'a, T> {
        // State: the marker of the next page (`None` once the last page is
        // out) and how many pages were read.
        let first: (Option<Option<String>>, usize) = (Some(None), 0);
        let build = std::sync::Arc::new(build);
        stream::try_unfold(first, move |(state, done)| {
            let build = build.clone();
            async move {
                let Some(marker) = state else {
                    return Ok(None);
                };
                if done >= self.max_pages {
                    return Err(tag(
                        Error::new(
                            ErrorKind::InvalidResponse,
                            format!("the listing did not end after {} pages", self.max_pages),
                        ),
                        operation,
                    ));
                }
                let params = build(marker.as_deref(), self.page_size);
                let page = self.call(operation, params, parse).await?;
                let next = match page.next_marker {
                    Some(next) if Some(&next) == marker.as_ref() => {
                        return Err(tag(
                            Error::new(
                                ErrorKind::InvalidResponse,
                                format!("the same NextMarker came back twice ({next:?})"),
                            ),
                            operation,
                        ));
                    }
                    Some(next) if !next.is_empty() => Some(Some(next)),
                    _ => None,
                };
                Ok(Some((page.items, (next, done + 1))))
            }
        })
        .boxed()
    }

    /// Every item of every page of `pages`.
    pub(crate) async fn collect<T>(pages: Pages<'_, T>) -> Result<Vec<T>> {
        let all: Vec<Vec<T>> = pages.try_collect().await?;
        Ok(all.into_iter().flatten().collect())
    }
}

/// Tags an error with the provider and the operation it came from.
pub(crate) fn tag(e: Error, operation: &'static str) -> Error {
    e.with_provider(PROVIDER).with_operation(operation)
}
