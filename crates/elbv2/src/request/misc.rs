//! Builders for tags, account limits, SSL policies, trust stores and
//! their revocations, and resource policies.

use lbcloud_aws::QueryParams;
use lbcloud_core::Result;

use super::balancer::write_tags;
use super::check::{self, MAX_TAG_ARNS};
use super::{Fields, build, by_arn, check_paging, paging};
use crate::model::{CreateTrustStoreInput, LoadBalancerType, RevocationContent, S3Object, Tag};

fn arn_list(f: &mut Fields<'_>, arns: &[impl AsRef<str>]) {
    let arns: Vec<&str> = arns.iter().map(AsRef::as_ref).collect();
    f.strings("ResourceArns", &arns);
}

/// `AddTags`: 1 to 50 tags on 1 to 20 resources.
pub fn add_tags<S: AsRef<str>>(arns: &[S], tags: &[Tag]) -> Result<QueryParams> {
    check::arns("resource_arns", arns, MAX_TAG_ARNS)?;
    check::tags("tags", tags, true)?;
    Ok(build("AddTags", |f| {
        arn_list(f, arns);
        write_tags(f, tags);
    }))
}

/// `RemoveTags`: tag keys from 1 to 20 resources.
pub fn remove_tags<S: AsRef<str>, K: AsRef<str>>(arns: &[S], keys: &[K]) -> Result<QueryParams> {
    check::arns("resource_arns", arns, MAX_TAG_ARNS)?;
    check::strings("tag_keys", keys, true)?;
    for (i, k) in keys.iter().enumerate() {
        check::tag_key(&format!("tag_keys[{i}]"), k.as_ref())?;
    }
    let keys: Vec<&str> = keys.iter().map(AsRef::as_ref).collect();
    Ok(build("RemoveTags", |f| {
        arn_list(f, arns);
        f.strings("TagKeys", &keys);
    }))
}

/// `DescribeTags`: the tags of 1 to 20 resources.
pub fn describe_tags<S: AsRef<str>>(arns: &[S]) -> Result<QueryParams> {
    check::arns("resource_arns", arns, MAX_TAG_ARNS)?;
    Ok(build("DescribeTags", |f| arn_list(f, arns)))
}

/// `DescribeAccountLimits`.
pub fn describe_account_limits(
    marker: Option<&str>,
    page_size: Option<u32>,
) -> Result<QueryParams> {
    check_paging(marker, page_size)?;
    Ok(build("DescribeAccountLimits", |f| {
        paging(f, marker, page_size)
    }))
}

/// `DescribeSSLPolicies`: by names, or all; optionally only those a load
/// balancer type supports.
pub fn describe_ssl_policies<S: AsRef<str>>(
    names: &[S],
    lb_type: Option<&LoadBalancerType>,
    marker: Option<&str>,
    page_size: Option<u32>,
) -> Result<QueryParams> {
    check::strings("names", names, false)?;
    if let Some(t) = lb_type {
        check::known("load_balancer_type", t.is_known(), t.as_str())?;
    }
    check_paging(marker, page_size)?;
    let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    Ok(build("DescribeSSLPolicies", |f| {
        f.strings("Names", &names);
        paging(f, marker, page_size);
        f.opt("LoadBalancerType", lb_type);
    }))
}

fn check_s3(field: &str, s3: &S3Object) -> Result<()> {
    check::non_empty(&format!("{field}.bucket"), &s3.bucket)?;
    check::non_empty(&format!("{field}.key"), &s3.key)?;
    if let Some(v) = &s3.version {
        check::non_empty(&format!("{field}.version"), v)?;
    }
    Ok(())
}

fn write_bundle(f: &mut Fields<'_>, s3: &S3Object) {
    f.set("CaCertificatesBundleS3Bucket", &s3.bucket);
    f.set("CaCertificatesBundleS3Key", &s3.key);
    f.opt("CaCertificatesBundleS3ObjectVersion", s3.version.as_deref());
}

/// `CreateTrustStore`.
pub fn create_trust_store(input: &CreateTrustStoreInput) -> Result<QueryParams> {
    check::trust_store_name("name", &input.name)?;
    check_s3("ca_certificates_bundle", &input.ca_certificates_bundle)?;
    check::tags("tags", &input.tags, false)?;
    Ok(build("CreateTrustStore", |f| {
        f.set("Name", &input.name);
        write_bundle(f, &input.ca_certificates_bundle);
        write_tags(f, &input.tags);
    }))
}

/// `ModifyTrustStore`: replaces the CA bundle.
pub fn modify_trust_store(arn: &str, bundle: &S3Object) -> Result<QueryParams> {
    check::arn("trust_store_arn", arn)?;
    check_s3("ca_certificates_bundle", bundle)?;
    Ok(build("ModifyTrustStore", |f| {
        f.set("TrustStoreArn", arn);
        write_bundle(f, bundle);
    }))
}

/// `DeleteTrustStore`.
pub fn delete_trust_store(arn: &str) -> Result<QueryParams> {
    by_arn("DeleteTrustStore", "trust_store_arn", "TrustStoreArn", arn)
}

/// `DescribeTrustStores`: by ARNs, by names, or all.
pub fn describe_trust_stores<S: AsRef<str>>(
    arns: &[S],
    names: &[S],
    marker: Option<&str>,
    page_size: Option<u32>,
) -> Result<QueryParams> {
    super::balancer::by_arns_or_names(
        "DescribeTrustStores",
        ("trust_store_arns", "TrustStoreArns", arns),
        (names, check::trust_store_name),
        marker,
        page_size,
    )
}

/// `DescribeTrustStoreAssociations`: the resources using a trust store.
pub fn describe_trust_store_associations(
    arn: &str,
    marker: Option<&str>,
    page_size: Option<u32>,
) -> Result<QueryParams> {
    check::arn("trust_store_arn", arn)?;
    check_paging(marker, page_size)?;
    Ok(build("DescribeTrustStoreAssociations", |f| {
        f.set("TrustStoreArn", arn);
        paging(f, marker, page_size);
    }))
}

/// `DeleteSharedTrustStoreAssociation`: stops another account's resource
/// using a shared trust store.
pub fn delete_shared_trust_store_association(
    trust_store_arn: &str,
    resource_arn: &str,
) -> Result<QueryParams> {
    check::arn("trust_store_arn", trust_store_arn)?;
    check::arn("resource_arn", resource_arn)?;
    Ok(build("DeleteSharedTrustStoreAssociation", |f| {
        f.set("TrustStoreArn", trust_store_arn);
        f.set("ResourceArn", resource_arn);
    }))
}

/// `GetTrustStoreCaCertificatesBundle`: where to download the CA bundle.
pub fn get_trust_store_ca_certificates_bundle(arn: &str) -> Result<QueryParams> {
    by_arn(
        "GetTrustStoreCaCertificatesBundle",
        "trust_store_arn",
        "TrustStoreArn",
        arn,
    )
}

/// `AddTrustStoreRevocations`: at least one revocation list.
pub fn add_trust_store_revocations(
    arn: &str,
    contents: &[RevocationContent],
) -> Result<QueryParams> {
    check::arn("trust_store_arn", arn)?;
    if contents.is_empty() {
        return Err(check::invalid(
            "revocation_contents",
            "must hold at least one revocation list",
        ));
    }
    for (i, c) in contents.iter().enumerate() {
        check_s3(&format!("revocation_contents[{i}].s3"), &c.s3)?;
        if let Some(t) = &c.revocation_type {
            check::known(
                &format!("revocation_contents[{i}].revocation_type"),
                t.is_known(),
                t.as_str(),
            )?;
        }
    }
    Ok(build("AddTrustStoreRevocations", |f| {
        f.set("TrustStoreArn", arn);
        f.list("RevocationContents", contents, |m, c| {
            m.set("S3Bucket", &c.s3.bucket);
            m.set("S3Key", &c.s3.key);
            m.opt("S3ObjectVersion", c.s3.version.as_deref());
            m.opt("RevocationType", c.revocation_type.as_ref());
        });
    }))
}

fn check_ids(ids: &[u64], required: bool) -> Result<()> {
    if required && ids.is_empty() {
        return Err(check::invalid(
            "revocation_ids",
            "must hold at least one id",
        ));
    }
    for (i, id) in ids.iter().enumerate() {
        if ids.iter().take(i).any(|p| p == id) {
            return Err(check::invalid(
                &format!("revocation_ids[{i}]"),
                format!("{id} is listed twice"),
            ));
        }
    }
    Ok(())
}

/// `RemoveTrustStoreRevocations`: at least one revocation id.
pub fn remove_trust_store_revocations(arn: &str, ids: &[u64]) -> Result<QueryParams> {
    check::arn("trust_store_arn", arn)?;
    check_ids(ids, true)?;
    Ok(build("RemoveTrustStoreRevocations", |f| {
        f.set("TrustStoreArn", arn);
        f.strings("RevocationIds", ids);
    }))
}

/// `DescribeTrustStoreRevocations`: the given ids, or all (empty).
pub fn describe_trust_store_revocations(
    arn: &str,
    ids: &[u64],
    marker: Option<&str>,
    page_size: Option<u32>,
) -> Result<QueryParams> {
    check::arn("trust_store_arn", arn)?;
    check_ids(ids, false)?;
    check_paging(marker, page_size)?;
    Ok(build("DescribeTrustStoreRevocations", |f| {
        f.set("TrustStoreArn", arn);
        f.strings("RevocationIds", ids);
        paging(f, marker, page_size);
    }))
}

/// `GetTrustStoreRevocationContent`: where to download one revocation list.
pub fn get_trust_store_revocation_content(arn: &str, id: u64) -> Result<QueryParams> {
    check::arn("trust_store_arn", arn)?;
    Ok(build("GetTrustStoreRevocationContent", |f| {
        f.set("TrustStoreArn", arn);
        f.set("RevocationId", id);
    }))
}

/// `GetResourcePolicy`: the sharing policy of a resource (a trust store).
pub fn get_resource_policy(arn: &str) -> Result<QueryParams> {
    by_arn("GetResourcePolicy", "resource_arn", "ResourceArn", arn)
}
