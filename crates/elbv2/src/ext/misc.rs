//! Tags (batched 20 ARNs a call), account limits, SSL policies, trust
//! stores and their revocations, resource policies.

use futures_util::future::try_join_all;
use lbcloud_aws::QueryParams;
use lbcloud_core::Result;

use super::single;
use crate::driver::{Elbv2Driver, Pages, tag};
use crate::model::{
    CreateTrustStoreInput, Limit, LoadBalancerType, RevocationContent, S3Object, SslPolicy, Tag,
    TagDescription, TrustStore, TrustStoreRevocation,
};
use crate::request::check::{self, MAX_TAG_ARNS};
use crate::{request, response};

impl Elbv2Driver {
    /// Builds one request per 20 ARNs, after checking the whole list, so
    /// bad input anywhere costs no request and names its true index.
    fn tag_batches<S: AsRef<str>>(
        operation: &'static str,
        arns: &[S],
        build: impl Fn(&[S]) -> Result<QueryParams>,
    ) -> Result<Vec<QueryParams>> {
        check::arns("resource_arns", arns, usize::MAX).map_err(|e| tag(e, operation))?;
        arns.chunks(MAX_TAG_ARNS)
            .map(|chunk| build(chunk).map_err(|e| tag(e, operation)))
            .collect()
    }

    /// Sends every batch at once and waits for all.
    async fn send_batches<T>(
        &self,
        operation: &'static str,
        batches: Vec<QueryParams>,
        parse: impl Fn(&[u8]) -> Result<T> + Copy,
    ) -> Result<Vec<T>> {
        try_join_all(
            batches
                .into_iter()
                .map(|q| self.call(operation, Ok(q), parse)),
        )
        .await
    }

    /// Adds or overwrites tags on any number of resources (`AddTags`, one
    /// call per 20 ARNs, sent together).
    ///
    /// ```no_run
    /// # async fn demo(driver: lbcloud_elbv2::Elbv2Driver, arn: &str) -> lbcloud_core::Result<()> {
    /// use lbcloud_elbv2::model::Tag;
    /// driver.ex_add_tags(&[arn], &[Tag::new("env", "prod")]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn ex_add_tags<S: AsRef<str>>(&self, arns: &[S], tags: &[Tag]) -> Result<()> {
        const OP: &str = "ex_add_tags";
        let batches = Self::tag_batches(OP, arns, |chunk| request::add_tags(chunk, tags))?;
        self.send_batches(OP, batches, |b| response::parse_empty("AddTags", b))
            .await
            .map(drop)
    }

    /// Removes tag keys from any number of resources (`RemoveTags`, one
    /// call per 20 ARNs).
    pub async fn ex_remove_tags<S: AsRef<str>, K: AsRef<str>>(
        &self,
        arns: &[S],
        keys: &[K],
    ) -> Result<()> {
        const OP: &str = "ex_remove_tags";
        let batches = Self::tag_batches(OP, arns, |chunk| request::remove_tags(chunk, keys))?;
        self.send_batches(OP, batches, |b| response::parse_empty("RemoveTags", b))
            .await
            .map(drop)
    }

    /// The tags of any number of resources (`DescribeTags`, one call per 20
    /// ARNs), in the order AWS answers each batch.
    pub async fn ex_describe_tags<S: AsRef<str>>(&self, arns: &[S]) -> Result<Vec<TagDescription>> {
        const OP: &str = "ex_describe_tags";
        let batches = Self::tag_batches(OP, arns, request::describe_tags)?;
        let answers = self.send_batches(OP, batches, response::parse_tags).await?;
        Ok(answers.into_iter().flatten().collect())
    }

    /// The account's limits (`DescribeAccountLimits`, every page).
    pub async fn ex_describe_account_limits(&self) -> Result<Vec<Limit>> {
        Self::collect(self.pages(
            "ex_describe_account_limits",
            |marker, size| request::describe_account_limits(marker, Some(size)),
            response::parse_limits,
        ))
        .await
    }

    /// SSL policies, a page at a time (`DescribeSSLPolicies`): by name or
    /// all, optionally only those of one load balancer type.
    pub fn ex_ssl_policies_pages<'a>(
        &'a self,
        names: &'a [&'a str],
        lb_type: Option<&'a LoadBalancerType>,
    ) -> Pages<'a, SslPolicy> {
        self.pages(
            "ex_ssl_policies_pages",
            move |marker, size| request::describe_ssl_policies(names, lb_type, marker, Some(size)),
            response::parse_ssl_policies,
        )
    }

    /// Every SSL policy selected (`DescribeSSLPolicies`, every page).
    pub async fn ex_describe_ssl_policies(
        &self,
        names: &[&str],
        lb_type: Option<&LoadBalancerType>,
    ) -> Result<Vec<SslPolicy>> {
        Self::collect(self.ex_ssl_policies_pages(names, lb_type)).await
    }

    /// Creates a trust store from a CA bundle in S3 (`CreateTrustStore`).
    pub async fn ex_create_trust_store(&self, input: &CreateTrustStoreInput) -> Result<TrustStore> {
        const A: &str = "CreateTrustStore";
        self.call(
            "ex_create_trust_store",
            request::create_trust_store(input),
            |b| single(A, b, response::parse_trust_stores(A, b)?.items),
        )
        .await
    }

    /// Replaces a trust store's CA bundle (`ModifyTrustStore`).
    pub async fn ex_modify_trust_store(&self, arn: &str, bundle: &S3Object) -> Result<TrustStore> {
        const A: &str = "ModifyTrustStore";
        self.call(
            "ex_modify_trust_store",
            request::modify_trust_store(arn, bundle),
            |b| single(A, b, response::parse_trust_stores(A, b)?.items),
        )
        .await
    }

    /// Deletes a trust store (`DeleteTrustStore`).
    pub async fn ex_delete_trust_store(&self, arn: &str) -> Result<()> {
        self.call(
            "ex_delete_trust_store",
            request::delete_trust_store(arn),
            |b| response::parse_empty("DeleteTrustStore", b),
        )
        .await
    }

    /// Trust stores by ARNs or names, or all (`DescribeTrustStores`, every page).
    pub async fn ex_describe_trust_stores<S: AsRef<str> + Sync>(
        &self,
        arns: &[S],
        names: &[S],
    ) -> Result<Vec<TrustStore>> {
        Self::collect(self.pages(
            "ex_describe_trust_stores",
            move |marker, size| request::describe_trust_stores(arns, names, marker, Some(size)),
            |b| response::parse_trust_stores("DescribeTrustStores", b),
        ))
        .await
    }

    /// The ARNs of the resources using a trust store
    /// (`DescribeTrustStoreAssociations`, every page).
    pub async fn ex_describe_trust_store_associations(&self, arn: &str) -> Result<Vec<String>> {
        Self::collect(self.pages(
            "ex_describe_trust_store_associations",
            move |marker, size| request::describe_trust_store_associations(arn, marker, Some(size)),
            response::parse_trust_store_associations,
        ))
        .await
    }

    /// Stops another account's resource using a shared trust store
    /// (`DeleteSharedTrustStoreAssociation`).
    pub async fn ex_delete_shared_trust_store_association(
        &self,
        trust_store_arn: &str,
        resource_arn: &str,
    ) -> Result<()> {
        self.call(
            "ex_delete_shared_trust_store_association",
            request::delete_shared_trust_store_association(trust_store_arn, resource_arn),
            |b| response::parse_empty("DeleteSharedTrustStoreAssociation", b),
        )
        .await
    }

    /// A URL to download the trust store's CA bundle from
    /// (`GetTrustStoreCaCertificatesBundle`).
    pub async fn ex_get_trust_store_ca_certificates_bundle(&self, arn: &str) -> Result<String> {
        self.call(
            "ex_get_trust_store_ca_certificates_bundle",
            request::get_trust_store_ca_certificates_bundle(arn),
            |b| response::parse_location("GetTrustStoreCaCertificatesBundle", b),
        )
        .await
    }

    /// Adds revocation lists from S3 (`AddTrustStoreRevocations`).
    pub async fn ex_add_trust_store_revocations(
        &self,
        arn: &str,
        contents: &[RevocationContent],
    ) -> Result<Vec<TrustStoreRevocation>> {
        self.call(
            "ex_add_trust_store_revocations",
            request::add_trust_store_revocations(arn, contents),
            |b| Ok(response::parse_revocations("AddTrustStoreRevocations", b)?.items),
        )
        .await
    }

    /// Removes revocation lists by id (`RemoveTrustStoreRevocations`).
    pub async fn ex_remove_trust_store_revocations(&self, arn: &str, ids: &[u64]) -> Result<()> {
        self.call(
            "ex_remove_trust_store_revocations",
            request::remove_trust_store_revocations(arn, ids),
            |b| response::parse_empty("RemoveTrustStoreRevocations", b),
        )
        .await
    }

    /// The given revocation lists, or all (empty)
    /// (`DescribeTrustStoreRevocations`, every page).
    pub async fn ex_describe_trust_store_revocations(
        &self,
        arn: &str,
        ids: &[u64],
    ) -> Result<Vec<TrustStoreRevocation>> {
        Self::collect(self.pages(
            "ex_describe_trust_store_revocations",
            move |marker, size| {
                request::describe_trust_store_revocations(arn, ids, marker, Some(size))
            },
            |b| response::parse_revocations("DescribeTrustStoreRevocations", b),
        ))
        .await
    }

    /// A URL to download one revocation list from
    /// (`GetTrustStoreRevocationContent`).
    pub async fn ex_get_trust_store_revocation_content(
        &self,
        arn: &str,
        id: u64,
    ) -> Result<String> {
        self.call(
            "ex_get_trust_store_revocation_content",
            request::get_trust_store_revocation_content(arn, id),
            |b| response::parse_location("GetTrustStoreRevocationContent", b),
        )
        .await
    }

    /// The sharing policy of a resource, `None` when it has none
    /// (`GetResourcePolicy`).
    pub async fn ex_get_resource_policy(&self, arn: &str) -> Result<Option<String>> {
        self.call(
            "ex_get_resource_policy",
            request::get_resource_policy(arn),
            response::parse_resource_policy,
        )
        .await
    }
}
