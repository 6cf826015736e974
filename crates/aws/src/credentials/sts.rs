//! STS `AssumeRole` (signed with the source credentials) and
//! `AssumeRoleWithWebIdentity` (unsigned), over the Query protocol.
//!
//! The endpoint is `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`, else
//! the profile's `endpoint_url`, else the regional `sts.REGION.amazonaws.com`
//! (`.com.cn` in China); this is how tests point STS at moto.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use lbcloud_core::{Error, Result, Secret};
use quick_xml::Reader;
use quick_xml::events::Event;

use super::{Credentials, CredentialsCache, ProvideCredentials, parse_time, relabel, source_error};
use crate::transport::{Auth, AwsClient, ClientInner};
use crate::{QueryParams, RetryConfig, Service};

/// The STS service.
pub(crate) const STS: Service = Service {
    provider: "sts",
    signing_name: "sts",
    endpoint_prefix: "sts",
    endpoint_env: "AWS_ENDPOINT_URL_STS",
    api_version: "2011-06-15",
};

/// What every STS call of one chain shares.
#[derive(Clone, Debug)]
pub(crate) struct StsSettings {
    pub(crate) endpoint: String,
    pub(crate) region: String,
    pub(crate) http: reqwest::Client,
    pub(crate) request_timeout: Duration,
}

impl StsSettings {
    /// A client signing with `source`, or unsigned when `None`.
    fn client(&self, source: Option<CredentialsCache>) -> AwsClient {
        AwsClient::from_inner(ClientInner::new(
            STS,
            self.region.clone(),
            self.endpoint.clone(),
            source.map_or(Auth::Anonymous, Auth::Signed),
            RetryConfig::default(),
            self.request_timeout,
            self.http.clone(),
            // STS answers carry the new secret key and token.
            false,
        ))
    }
}

/// A session name when none is configured: `lbcloud-<unix millis>`.
pub(crate) fn default_session_name() -> String {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("lbcloud-{ms}")
}

/// Checks a role ARN and session name before any request; `field` names
/// where they came from.
pub(crate) fn validate_role(
    role_arn: &str,
    arn_field: &str,
    session: &str,
    session_field: &str,
) -> Result<()> {
    if !role_arn.starts_with("arn:") || role_arn.len() < 20 || role_arn.len() > 2048 {
        return Err(Error::invalid_input(
            arn_field,
            "must be a role ARN such as arn:aws:iam::123456789012:role/name",
        ));
    }
    let ok = (2..=64).contains(&session.len())
        && session
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if !ok {
        return Err(Error::invalid_input(
            session_field,
            "must be 2 to 64 characters of letters, digits and +=,.@_-",
        ));
    }
    Ok(())
}

/// Credentials of an assumed role, fetched with `source`'s credentials.
pub(crate) struct AssumeRole {
    sts: AwsClient,
    role_arn: String,
    session_name: String,
    external_id: Option<String>,
    duration_seconds: Option<u32>,
    /// Where the role comes from, for errors: `profile `dev``.
    origin: String,
}

impl AssumeRole {
    pub(crate) fn new(
        settings: &StsSettings,
        source: CredentialsCache,
        role_arn: String,
        session_name: String,
        external_id: Option<String>,
        duration_seconds: Option<u32>,
        origin: String,
    ) -> Self {
        Self {
            sts: settings.client(Some(source)),
            role_arn,
            session_name,
            external_id,
            duration_seconds,
            origin,
        }
    }
}

impl fmt::Debug for AssumeRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRole")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("origin", &self.origin)
            .field("sts", &self.sts)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl ProvideCredentials for AssumeRole {
    async fn provide_credentials(&self) -> Result<Credentials> {
        let mut p = QueryParams::new("AssumeRole", STS.api_version);
        p.push("RoleArn", self.role_arn.as_str())
            .push("RoleSessionName", self.session_name.as_str())
            .push_opt("ExternalId", self.external_id.as_deref())
            .push_opt(
                "DurationSeconds",
                self.duration_seconds.map(|d| d.to_string()),
            );
        let what = format!("role {} ({})", self.role_arn, self.origin);
        let body = self
            .sts
            .send(p)
            .await
            .map_err(|e| sts_failed(&what, "AssumeRole", e))?;
        parse_sts_credentials(&what, &body)
    }
}

/// Credentials for a web identity token (EKS IRSA, GitHub OIDC, ...).
pub(crate) struct AssumeRoleWithWebIdentity {
    sts: AwsClient,
    role_arn: String,
    session_name: String,
    origin: String,
}

impl AssumeRoleWithWebIdentity {
    pub(crate) fn new(
        settings: &StsSettings,
        role_arn: String,
        session_name: String,
        origin: String,
    ) -> Self {
        Self {
            sts: settings.client(None),
            role_arn,
            session_name,
            origin,
        }
    }

    /// Exchanges `token` for credentials.
    pub(crate) async fn exchange(&self, token: &Secret) -> Result<Credentials> {
        let mut p = QueryParams::new("AssumeRoleWithWebIdentity", STS.api_version);
        p.push("RoleArn", self.role_arn.as_str())
            .push("RoleSessionName", self.session_name.as_str())
            .push("WebIdentityToken", token.expose());
        let what = format!("web identity role {} ({})", self.role_arn, self.origin);
        let body = self
            .sts
            .send(p)
            .await
            .map_err(|e| sts_failed(&what, "AssumeRoleWithWebIdentity", e))?;
        parse_sts_credentials(&what, &body)
    }
}

impl fmt::Debug for AssumeRoleWithWebIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleWithWebIdentity")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

/// Re-labels an STS failure with the source, keeping kind, code, status
/// and request id (STS messages hold no secrets).
fn sts_failed(what: &str, action: &str, e: Error) -> Error {
    let message = format!(
        "credentials from {what}: STS {action} failed: {}",
        e.message()
    );
    relabel(e, message, "sts", action).with_field("credentials")
}

/// Reads `<Credentials>` (AccessKeyId, SecretAccessKey, SessionToken,
/// Expiration) from an AssumeRole* answer; tolerant of order and of
/// unknown elements. Errors never quote the body.
pub(crate) fn parse_sts_credentials(what: &str, body: &[u8]) -> Result<Credentials> {
    let mut reader = Reader::from_reader(body);
    let mut path: Vec<Vec<u8>> = Vec::new();
    let mut fields: [Option<String>; 4] = Default::default();
    const NAMES: [&[u8]; 4] = [
        b"AccessKeyId",
        b"SecretAccessKey",
        b"SessionToken",
        b"Expiration",
    ];
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => path.push(e.local_name().as_ref().to_vec()),
            Ok(Event::End(_)) => {
                path.pop();
            }
            Ok(Event::Text(t)) => {
                let in_creds = path.len() >= 2
                    && path
                        .get(path.len() - 2)
                        .is_some_and(|p| p == b"Credentials");
                if let (true, Some(leaf)) = (in_creds, path.last())
                    && let Some(i) = NAMES.iter().position(|n| *n == leaf.as_slice())
                    && let Some(slot) = fields.get_mut(i)
                {
                    let raw = String::from_utf8_lossy(&t.into_inner()).into_owned();
                    let text = quick_xml::escape::unescape(&raw)
                        .map(|c| c.into_owned())
                        .unwrap_or(raw);
                    slot.get_or_insert_with(String::new).push_str(text.trim());
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(_) => return Err(source_error(what, "the STS answer is not well-formed XML")),
        }
        buf.clear();
    }
    let [key, secret, token, expiration] = fields;
    let (Some(key), Some(secret), Some(token)) = (key, secret, token) else {
        return Err(source_error(
            what,
            "the STS answer lacks AccessKeyId, SecretAccessKey or SessionToken",
        ));
    };
    let mut c = Credentials::new(key, secret).with_session_token(token);
    if let Some(raw) = expiration {
        let at = parse_time(&raw).ok_or_else(|| {
            source_error(what, format!("Expiration `{raw}` is not an RFC 3339 time"))
        })?;
        c = c.with_expiry(at);
    }
    c.check_complete(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
      <AssumeRoleResult>
        <SourceIdentity>x</SourceIdentity>
        <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/demo/s</Arn><AssumedRoleId>ARO:s</AssumedRoleId></AssumedRoleUser>
        <Credentials>
          <SessionToken>sts-token</SessionToken>
          <SecretAccessKey>sts-secret</SecretAccessKey>
          <Expiration>2030-07-15T23:28:33.359Z</Expiration>
          <AccessKeyId>ASIASTS</AccessKeyId>
        </Credentials>
        <PackedPolicySize>6</PackedPolicySize>
      </AssumeRoleResult>
      <ResponseMetadata><RequestId>c6104cbe</RequestId></ResponseMetadata>
    </AssumeRoleResponse>"#;

    #[test]
    fn parses_credentials_in_any_order() {
        let c = parse_sts_credentials("role x", ANSWER.as_bytes()).unwrap();
        assert_eq!(c.access_key_id(), "ASIASTS");
        assert_eq!(c.secret_access_key().expose(), "sts-secret");
        assert_eq!(c.session_token().map(Secret::expose), Some("sts-token"));
        assert!(c.expiry().is_some());
    }

    #[test]
    fn broken_answers_are_errors_without_secrets() {
        for bad in [
            ANSWER.replace("<SessionToken>sts-token</SessionToken>", ""),
            ANSWER.replace("2030-07-15T23:28:33.359Z", "later"),
            ANSWER.replace("</Credentials>", "</Oops>"),
            "<html>sts-secret".to_owned(),
        ] {
            let err = parse_sts_credentials("role x", bad.as_bytes()).unwrap_err();
            assert!(
                err.message().starts_with("credentials from role x"),
                "{err}"
            );
            assert!(!err.to_string().contains("sts-secret"), "{err}");
        }
    }

    #[test]
    fn role_and_session_are_validated() {
        validate_role(
            "arn:aws:iam::123456789012:role/demo",
            "role_arn",
            "lbcloud-1",
            "role_session_name",
        )
        .unwrap();
        let e = validate_role("demo", "role_arn", "s1", "role_session_name").unwrap_err();
        assert_eq!(e.field(), Some("role_arn"));
        let e = validate_role(
            "arn:aws:iam::123456789012:role/demo",
            "role_arn",
            "a b",
            "AWS_ROLE_SESSION_NAME",
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("AWS_ROLE_SESSION_NAME"));
        assert!(default_session_name().starts_with("lbcloud-"));
    }
}
