//! Tags, attributes, account limits, SSL policies and trust stores.

use serde::{Deserialize, Serialize};

use super::{RevocationType, TrustStoreStatus};

/// A tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tag {
    /// The key, 1-128 characters.
    pub key: String,
    /// The value, 0-256 characters.
    pub value: String,
}

impl Tag {
    /// A tag.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// The tags of one resource, as `DescribeTags` answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagDescription {
    /// The resource.
    pub resource_arn: String,
    /// Its tags.
    pub tags: Vec<Tag>,
}

/// A load balancer, target group or listener attribute
/// (`load_balancing.algorithm.type`, `idle_timeout.timeout_seconds`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Attribute {
    /// The key, at most 256 characters.
    pub key: String,
    /// The value.
    pub value: String,
}

impl Attribute {
    /// An attribute.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// The value of `key` among `attributes`.
///
/// ```
/// use lbcloud_elbv2::model::{Attribute, attribute};
///
/// let attrs = [Attribute::new("load_balancing.algorithm.type", "round_robin")];
/// assert_eq!(attribute(&attrs, "load_balancing.algorithm.type"), Some("round_robin"));
/// assert_eq!(attribute(&attrs, "missing"), None);
/// ```
pub fn attribute<'a>(attributes: &'a [Attribute], key: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|a| a.key == key)
        .map(|a| a.value.as_str())
}

/// An account limit, as `DescribeAccountLimits` answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limit {
    /// Its name, such as `application-load-balancers`.
    pub name: String,
    /// Its maximum, as sent (a number).
    pub max: String,
}

/// A security policy of HTTPS and TLS listeners.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SslPolicy {
    /// Its name, such as `ELBSecurityPolicy-TLS13-1-2-2021-06`.
    pub name: String,
    /// The protocols, such as `TLSv1.2`.
    pub ssl_protocols: Vec<String>,
    /// The ciphers, by priority.
    pub ciphers: Vec<Cipher>,
    /// `application`, `network`.
    pub supported_load_balancer_types: Vec<String>,
}

/// A cipher of an SSL policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cipher {
    /// Its name.
    pub name: String,
    /// Its priority (1 is preferred).
    pub priority: Option<u32>,
}

/// A trust store (the CA bundle of mutual TLS).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustStore {
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// Active or creating.
    pub status: Option<TrustStoreStatus>,
    /// How many CA certificates it holds.
    pub number_of_ca_certificates: Option<u64>,
    /// How many revoked entries its revocation lists hold.
    pub total_revoked_entries: Option<u64>,
}

/// An object in S3: a CA bundle or a revocation list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct S3Object {
    /// The bucket.
    pub bucket: String,
    /// The key.
    pub key: String,
    /// The object version.
    pub version: Option<String>,
}

impl S3Object {
    /// The latest version of `bucket/key`.
    pub fn new(bucket: impl Into<String>, key: impl Into<String>) -> Self {
        Self {
            bucket: bucket.into(),
            key: key.into(),
            version: None,
        }
    }
}

/// The input of `CreateTrustStore`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateTrustStoreInput {
    /// The name: 1-32 letters, digits and single hyphens between them.
    pub name: String,
    /// Where the CA bundle is.
    pub ca_certificates_bundle: S3Object,
    /// Tags.
    pub tags: Vec<Tag>,
}

/// A revocation list to add to a trust store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevocationContent {
    /// Where the list is.
    pub s3: S3Object,
    /// Its kind (CRL).
    pub revocation_type: Option<RevocationType>,
}

/// A revocation list of a trust store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustStoreRevocation {
    /// The trust store.
    pub trust_store_arn: Option<String>,
    /// The list's id.
    pub revocation_id: u64,
    /// Its kind.
    pub revocation_type: Option<RevocationType>,
    /// How many entries it revokes.
    pub number_of_revoked_entries: Option<u64>,
}
