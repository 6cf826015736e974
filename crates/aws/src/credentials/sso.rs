//! IAM Identity Center (SSO) credentials: the token `aws sso login` cached
//! is exchanged for role credentials through the portal's
//! `GetRoleCredentials`.
//!
//! Two profile forms, as in the AWS SDKs:
//!
//! ```ini
//! [profile dev]                      # the session form (what `aws configure sso` writes)
//! sso_session = corp
//! sso_account_id = 123456789012
//! sso_role_name = Admin
//!
//! [sso-session corp]
//! sso_start_url = https://d-1234567890.awsapps.com/start
//! sso_region = eu-west-1
//! sso_registration_scopes = sso:account:access
//!
//! [profile old]                      # the legacy form: all four in the profile
//! sso_start_url = https://d-1234567890.awsapps.com/start
//! sso_region = eu-west-1
//! sso_account_id = 123456789012
//! sso_role_name = Admin
//! ```
//!
//! The token is read from the cache file (see `sso_token`) on every fetch,
//! so a later `aws sso login` is picked up without a restart. In the
//! session form, a token that has expired or expires within 5 minutes is
//! refreshed through SSO OIDC `CreateToken` (grant `refresh_token`) when
//! the file holds a refresh token and an unexpired client registration;
//! the new token is written back. A refresh that fails while the token
//! still works is logged and the token used. The legacy form never
//! refreshes. When no usable token remains, the error says to run
//! `aws sso login`; lbcloud never runs the interactive login itself.
//!
//! Endpoints: `AWS_ENDPOINT_URL_SSO` (portal) and `AWS_ENDPOINT_URL_SSO_OIDC`,
//! else `AWS_ENDPOINT_URL`, else the profile's `endpoint_url`, else
//! `portal.sso.REGION.amazonaws.com` / `oidc.REGION.amazonaws.com` for the
//! `sso_region`, resolved like every other endpoint. The returned
//! credentials carry their expiry, so the client's cache fetches new ones
//! before they run out.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use lbcloud_core::{Error, ErrorKind, Result, Secret};
use serde_json::Value;

use super::chain::ChainContext;
use super::http::{self, Answer, printable};
use super::profile::config_error;
use super::sso_token::{TokenFile, cache_path};
use super::{Credentials, ProvideCredentials, format_time, source_error};
use crate::Service;
use crate::region::validate_region;
use crate::settings::resolve_endpoint;

/// The IAM Identity Center portal (`GetRoleCredentials`).
pub(crate) const SSO: Service = Service {
    provider: "sso",
    signing_name: "awsssoportal",
    endpoint_prefix: "portal.sso",
    endpoint_env: "AWS_ENDPOINT_URL_SSO",
    api_version: "2019-06-10",
};

/// IAM Identity Center OIDC (`CreateToken`).
pub(crate) const SSO_OIDC: Service = Service {
    provider: "sso-oidc",
    signing_name: "sso-oauth",
    endpoint_prefix: "oidc",
    endpoint_env: "AWS_ENDPOINT_URL_SSO_OIDC",
    api_version: "2019-06-10",
};

/// A token expiring this soon is refreshed first, as the SDKs do.
const TOKEN_REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// Credentials from IAM Identity Center for one profile.
pub(crate) struct SsoProvider {
    profile: String,
    /// `Some` for the `sso_session` form, which can refresh its token.
    session: Option<Session>,
    account_id: String,
    role_name: String,
    cache_file: PathBuf,
    /// `GetRoleCredentials` with the account and role in the query.
    credentials_url: String,
    http: reqwest::Client,
    timeout: Duration,
    /// The last token refreshed here, used while it is newer than the
    /// file (when writing the file back failed).
    refreshed: Mutex<Option<TokenFile>>,
}

struct Session {
    name: String,
    /// `CreateToken`.
    token_url: String,
}

impl fmt::Debug for SsoProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoProvider")
            .field("profile", &self.profile)
            .field("sso_session", &self.session.as_ref().map(|s| &s.name))
            .field("sso_account_id", &self.account_id)
            .field("sso_role_name", &self.role_name)
            .field("cache_file", &self.cache_file)
            .field("credentials_url", &self.credentials_url)
            .finish_non_exhaustive()
    }
}

/// The SSO provider profile `name` describes; `None` when it has none of
/// the `sso_*` keys. Missing or inconsistent keys are `InvalidInput`
/// naming the key and the profile; nothing is read but the parsed files.
pub(crate) fn from_profile(ctx: &ChainContext<'_>, name: &str) -> Result<Option<SsoProvider>> {
    let files = ctx.files;
    let get = |key: &str| files.get_for(name, key);
    const KEYS: [&str; 5] = [
        "sso_session",
        "sso_start_url",
        "sso_region",
        "sso_account_id",
        "sso_role_name",
    ];
    if KEYS.iter().all(|k| get(k).is_none()) {
        return Ok(None);
    }
    let (start_url, region, session) = match get("sso_session") {
        Some(session) => {
            if !files.has_sso_session(session) {
                return Err(config_error(
                    "sso_session",
                    format!(
                        "profile `{name}` names sso_session `{session}`, but the config file has \
                         no [sso-session {session}] section"
                    ),
                ));
            }
            let from_session = |key: &str| {
                let value = files.sso_session_get(session, key).ok_or_else(|| {
                    config_error(
                        key,
                        format!("[sso-session {session}] (of profile `{name}`) has no {key}"),
                    )
                })?;
                // The profile may repeat a session key (botocore allows it)
                // but not contradict it.
                match get(key) {
                    Some(own) if own != value => Err(config_error(
                        key,
                        format!(
                            "profile `{name}` sets {key} = {own}, but its [sso-session {session}] \
                             says {value}; keep it in the session only"
                        ),
                    )),
                    _ => Ok(value),
                }
            };
            (
                from_session("sso_start_url")?,
                from_session("sso_region")?,
                Some(session),
            )
        }
        None => {
            let required = |key: &str| {
                get(key).ok_or_else(|| {
                    config_error(
                        key,
                        format!(
                            "profile `{name}` uses IAM Identity Center (legacy form, without \
                             sso_session) but has no {key}"
                        ),
                    )
                })
            };
            (required("sso_start_url")?, required("sso_region")?, None)
        }
    };
    let required = |key: &str| {
        get(key).ok_or_else(|| {
            config_error(
                key,
                format!(
                    "profile `{name}` uses IAM Identity Center but has no {key}; credentials need \
                     both sso_account_id and sso_role_name"
                ),
            )
        })
    };
    let account_id = required("sso_account_id")?;
    let role_name = required("sso_role_name")?;
    validate_region(region).map_err(|e| {
        config_error(
            "sso_region",
            format!("profile `{name}`: sso_region {}", e.message()),
        )
    })?;
    if account_id.len() != 12 || !account_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(config_error(
            "sso_account_id",
            format!("profile `{name}`: must be a 12-digit AWS account id"),
        ));
    }
    let role_ok = (1..=64).contains(&role_name.len())
        && role_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if !role_ok {
        return Err(config_error(
            "sso_role_name",
            format!("profile `{name}`: must be 1 to 64 letters, digits and +=,.@_-"),
        ));
    }
    let Some(home) = ctx.env.home() else {
        return Err(config_error(
            "HOME",
            format!(
                "profile `{name}` uses IAM Identity Center, whose token cache is \
                 ~/.aws/sso/cache, but no home directory is known"
            ),
        ));
    };
    let cache_file = cache_path(home, session.unwrap_or(start_url));
    let portal = resolve_endpoint(None, &SSO, "sso_endpoint", ctx.env, files, region)?;
    let credentials_url = {
        let mut url = reqwest::Url::parse(&format!("{portal}/federation/credentials"))
            .map_err(|e| Error::invalid_input("sso_endpoint", format!("is not a URL ({e})")))?;
        url.query_pairs_mut()
            .append_pair("account_id", account_id)
            .append_pair("role_name", role_name);
        url.to_string()
    };
    let session = match session {
        Some(session) => {
            let oidc =
                resolve_endpoint(None, &SSO_OIDC, "sso_oidc_endpoint", ctx.env, files, region)?;
            Some(Session {
                name: session.to_owned(),
                token_url: format!("{oidc}/token"),
            })
        }
        None => None,
    };
    Ok(Some(SsoProvider {
        profile: name.to_owned(),
        session,
        account_id: account_id.to_owned(),
        role_name: role_name.to_owned(),
        cache_file,
        credentials_url,
        http: ctx.sts.http.clone(),
        timeout: ctx.sts.request_timeout,
        refreshed: Mutex::new(None),
    }))
}

impl SsoProvider {
    fn source(&self) -> String {
        format!("SSO profile `{}`", self.profile)
    }

    /// What to run to get a new token.
    fn login_hint(&self) -> String {
        match &self.session {
            Some(s) => format!(
                "run `aws sso login --profile {}` (or `aws sso login --sso-session {}`)",
                self.profile, s.name
            ),
            None => format!("run `aws sso login --profile {}`", self.profile),
        }
    }

    fn fail(&self, why: impl fmt::Display) -> Error {
        source_error(&self.source(), why)
    }

    /// A usable access token: from the cache file, refreshed first when it
    /// expires within the refresh window and can be refreshed.
    async fn access_token(&self) -> Result<Secret> {
        let path = self.cache_file.display().to_string();
        let bytes = tokio::fs::read(&self.cache_file).await.map_err(|e| {
            let what = if e.kind() == std::io::ErrorKind::NotFound {
                format!("no cached IAM Identity Center token at {path}")
            } else {
                format!("cannot read the cached token {path} ({e})")
            };
            self.fail(format!("{what}; {}", self.login_hint()))
        })?;
        let mut token = TokenFile::parse(&bytes).map_err(|why| {
            self.fail(format!(
                "the cached token {path} {why}; {}",
                self.login_hint()
            ))
        })?;
        if let Some(newer) = self
            .refreshed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .filter(|r| r.expires_at > token.expires_at)
        {
            token = newer.clone();
        }
        let now = SystemTime::now();
        if token.expires_at > now + TOKEN_REFRESH_WINDOW {
            return Ok(token.access_token);
        }
        let expired = token.expires_at <= now;
        let blocked = match &self.session {
            None => Some(
                "the legacy form (sso_start_url without sso_session) cannot refresh it".to_owned(),
            ),
            Some(_) => token.cannot_refresh(now),
        };
        let session = match (&self.session, blocked) {
            (_, Some(why)) if expired => {
                return Err(self.fail(format!(
                    "the cached token {path} expired at {} and cannot be refreshed: {why}; {}",
                    format_time(token.expires_at),
                    self.login_hint()
                )));
            }
            (Some(session), None) => session,
            // Expires soon but cannot be refreshed: use it while it lasts.
            _ => return Ok(token.access_token),
        };
        match self.create_token(session, &token).await {
            Ok(new) => {
                if let Err(e) = new.save(&self.cache_file).await {
                    tracing::warn!(
                        profile = %self.profile,
                        cache_file = %path,
                        error = %e,
                        "the refreshed IAM Identity Center token could not be written back; using it"
                    );
                }
                tracing::debug!(
                    profile = %self.profile,
                    expires_at = %format_time(new.expires_at),
                    "IAM Identity Center token refreshed"
                );
                let access = new.access_token.clone();
                *self
                    .refreshed
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(new);
                Ok(access)
            }
            Err(e) if !expired => {
                tracing::warn!(
                    profile = %self.profile,
                    error = %e.message(),
                    "refreshing the IAM Identity Center token failed; using it until it expires"
                );
                Ok(token.access_token)
            }
            Err(e) => Err(self
                .fail(format!(
                    "the cached token {path} expired at {} and refreshing it failed ({}); {}",
                    format_time(token.expires_at),
                    e.message(),
                    self.login_hint()
                ))
                .with_source(e)),
        }
    }

    /// SSO OIDC `CreateToken` with the refresh token.
    async fn create_token(&self, session: &Session, token: &TokenFile) -> Result<TokenFile> {
        let what = format!("{} (SSO OIDC CreateToken)", self.source());
        let (Some(client_id), Some(secret), Some(refresh)) =
            (&token.client_id, &token.client_secret, &token.refresh_token)
        else {
            return Err(source_error(&what, "no refresh token"));
        };
        let body = serde_json::json!({
            "clientId": client_id,
            "clientSecret": secret.expose(),
            "grantType": "refresh_token",
            "refreshToken": refresh.expose(),
        })
        .to_string();
        let url = &session.token_url;
        let answer = http::send(&what, url, || {
            self.http
                .post(url)
                .header("content-type", "application/json")
                .body(body.clone())
                .timeout(self.timeout)
        })
        .await?;
        if answer.status != 200 {
            return Err(refused(&what, url, &answer, None));
        }
        let doc: Value = serde_json::from_slice(&answer.body)
            .map_err(|e| source_error(&what, format!("the answer is not JSON ({e})")))?;
        let access = doc
            .get("accessToken")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or_else(|| source_error(&what, "the answer has no usable accessToken"))?;
        let expires_in = doc
            .get("expiresIn")
            .and_then(Value::as_u64)
            .filter(|&s| s > 0)
            .ok_or_else(|| source_error(&what, "the answer has no positive expiresIn"))?;
        let rotated = doc
            .get("refreshToken")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(Secret::new);
        Ok(token.refreshed(
            Secret::new(access),
            Duration::from_secs(expires_in),
            rotated,
            SystemTime::now(),
        ))
    }

    /// The portal's `GetRoleCredentials`.
    async fn role_credentials(&self, token: &Secret) -> Result<Credentials> {
        let what = self.source();
        let url = &self.credentials_url;
        let answer = http::send(&what, url, || {
            self.http
                .get(url)
                .header("x-amz-sso_bearer_token", token.expose())
                .timeout(self.timeout)
        })
        .await?;
        if answer.status != 200 {
            let hint = matches!(answer.status, 401 | 403).then(|| self.login_hint());
            return Err(
                refused(&what, url, &answer, hint.as_deref()).with_action("GetRoleCredentials")
            );
        }
        parse_role_credentials(&what, &answer.body)
    }
}

#[async_trait]
impl ProvideCredentials for SsoProvider {
    async fn provide_credentials(&self) -> Result<Credentials> {
        let token = self.access_token().await?;
        self.role_credentials(&token).await
    }
}

/// An error answer of the portal or of OIDC: the kind from the status, the
/// AWS error type (`x-amzn-ErrorType`, `__type` or OAuth's `error`) as the
/// code. The body's message is not quoted: it is not needed to act, and
/// a server may echo what it was sent.
fn refused(what: &str, url: &str, answer: &Answer, hint: Option<&str>) -> Error {
    let status = answer.status;
    let code = error_code(answer);
    let kind = match status {
        401 => ErrorKind::Unauthenticated,
        403 => ErrorKind::PermissionDenied,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::Throttled,
        _ => ErrorKind::Provider,
    };
    let mut why = format!("{url} answered HTTP {status}");
    if let Some(c) = &code {
        why.push_str(&format!(" ({c})"));
    }
    if let Some(h) = hint {
        why.push_str(&format!(
            "; the access token was refused or has no access to the role: {h}"
        ));
    }
    let mut err = Error::new(kind, format!("credentials from {what}: {why}"))
        .with_field("credentials")
        .with_status(status);
    if let Some(c) = code {
        err = err.with_code(c);
    }
    if let Some(id) = answer
        .headers
        .get("x-amzn-requestid")
        .and_then(|v| v.to_str().ok())
    {
        err = err.with_request_id(printable(id));
    }
    err
}

fn error_code(answer: &Answer) -> Option<String> {
    let from_header = answer
        .headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let from_body = || {
        let doc: Value = serde_json::from_slice(&answer.body).ok()?;
        ["__type", "error", "code"]
            .iter()
            .find_map(|k| doc.get(*k).and_then(Value::as_str).map(str::to_owned))
    };
    let raw = from_header.or_else(from_body)?;
    // `UnauthorizedException:http://internal.amazon.com/...` and
    // `com.amazon...#UnauthorizedException` both name the type.
    let head = raw.split(':').next().unwrap_or_default();
    let name = head.rsplit('#').next().unwrap_or_default();
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(64)
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Reads `roleCredentials` from a `GetRoleCredentials` answer; errors
/// never quote the body, which holds the secret.
fn parse_role_credentials(what: &str, body: &[u8]) -> Result<Credentials> {
    let doc: Value = serde_json::from_slice(body)
        .map_err(|e| source_error(what, format!("the portal's answer is not JSON ({e})")))?;
    let Some(creds) = doc.get("roleCredentials").and_then(Value::as_object) else {
        return Err(source_error(
            what,
            "the portal's answer has no roleCredentials",
        ));
    };
    let text = |key: &str| {
        creds
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| source_error(what, format!("roleCredentials.{key} is missing")))
    };
    let key = text("accessKeyId")?;
    let secret = text("secretAccessKey")?;
    let token = text("sessionToken")?;
    let millis = creds
        .get("expiration")
        .and_then(Value::as_u64)
        .ok_or_else(|| {
            source_error(
                what,
                "roleCredentials.expiration is missing or not epoch milliseconds",
            )
        })?;
    let expiry = UNIX_EPOCH
        .checked_add(Duration::from_millis(millis))
        .ok_or_else(|| source_error(what, "roleCredentials.expiration is out of range"))?;
    Credentials::new(key, secret)
        .with_session_token(token)
        .with_expiry(expiry)
        .check_complete(what)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Env;
    use crate::profile::ProfileFiles;

    fn provider(config: &str, profile: &str, env: &[(&str, &str)]) -> Result<Option<SsoProvider>> {
        let env = Env::from_pairs(env.iter().copied()).with_home("/home/u");
        let files = ProfileFiles::from_texts(profile, None, Some(config));
        from_profile(
            &crate::credentials::chain::tests::ctx(&env, &files),
            profile,
        )
    }

    const SESSION: &str = "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n\
        [sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = eu-west-1\n\
        sso_registration_scopes = sso:account:access\n";

    #[test]
    fn both_forms_resolve_their_cache_file_and_endpoints() {
        let p = provider(SESSION, "dev", &[]).unwrap().unwrap();
        assert_eq!(
            p.cache_file,
            cache_path(std::path::Path::new("/home/u"), "corp")
        );
        assert_eq!(
            p.credentials_url,
            "https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?account_id=123456789012&role_name=Admin"
        );
        assert_eq!(
            p.session.as_ref().unwrap().token_url,
            "https://oidc.eu-west-1.amazonaws.com/token"
        );
        let legacy = "[profile old]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = cn-north-1\n\
            sso_account_id = 123456789012\nsso_role_name = Admin\n";
        let p = provider(
            legacy,
            "old",
            &[("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:7/")],
        )
        .unwrap()
        .unwrap();
        assert!(p.session.is_none());
        assert_eq!(
            p.cache_file,
            cache_path(
                std::path::Path::new("/home/u"),
                "https://d-1.awsapps.com/start"
            )
        );
        assert!(
            p.credentials_url
                .starts_with("http://127.0.0.1:7/federation/credentials?"),
            "{}",
            p.credentials_url
        );
        let p = provider(
            SESSION,
            "dev",
            &[("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:8")],
        )
        .unwrap()
        .unwrap();
        assert_eq!(p.session.unwrap().token_url, "http://127.0.0.1:8/token");
        assert!(
            provider("[profile x]\nregion = us-east-1\n", "x", &[])
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn missing_or_inconsistent_keys_name_the_key_and_the_profile() {
        let cases: &[(&str, &str)] = &[
            (
                "[profile p]\nsso_session = nope\nsso_account_id = 123456789012\nsso_role_name = R\n",
                "sso_session",
            ),
            (
                "[profile p]\nsso_session = s\nsso_account_id = 123456789012\nsso_role_name = R\n\
                 [sso-session s]\nsso_region = us-east-1\n",
                "sso_start_url",
            ),
            (
                "[profile p]\nsso_session = s\nsso_region = us-west-2\nsso_account_id = 123456789012\nsso_role_name = R\n\
                 [sso-session s]\nsso_region = us-east-1\nsso_start_url = https://x/start\n",
                "sso_region",
            ),
            (
                "[profile p]\nsso_start_url = https://x/start\nsso_account_id = 123456789012\nsso_role_name = R\n",
                "sso_region",
            ),
            (
                "[profile p]\nsso_start_url = https://x/start\nsso_region = us-east-1\nsso_role_name = R\n",
                "sso_account_id",
            ),
            (
                "[profile p]\nsso_session = s\nsso_account_id = 123456789012\n\
                 [sso-session s]\nsso_region = us-east-1\nsso_start_url = https://x/start\n",
                "sso_role_name",
            ),
            (
                "[profile p]\nsso_start_url = https://x/start\nsso_region = US_EAST\nsso_account_id = 123456789012\nsso_role_name = R\n",
                "sso_region",
            ),
            (
                "[profile p]\nsso_start_url = https://x/start\nsso_region = us-east-1\nsso_account_id = 12345\nsso_role_name = R\n",
                "sso_account_id",
            ),
            (
                "[profile p]\nsso_start_url = https://x/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = a&b\n",
                "sso_role_name",
            ),
        ];
        for (config, field) in cases {
            let err = provider(config, "p", &[]).unwrap_err();
            assert_eq!(
                (err.kind(), err.field()),
                (ErrorKind::InvalidInput, Some(*field)),
                "{config}: {err}"
            );
            assert!(err.message().contains("profile `p`"), "{err}");
        }
        // Repeating the session's own values in the profile is fine.
        let same = SESSION.replace(
            "sso_role_name = Admin\n",
            "sso_role_name = Admin\nsso_region = eu-west-1\n",
        );
        assert!(provider(&same, "dev", &[]).unwrap().is_some());
    }

    #[test]
    fn role_credentials_parse_and_errors_hold_no_secret() {
        let body = br#"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"sso-SECRET","sessionToken":"sso-TOKEN","expiration":1893456000000}}"#;
        let c = parse_role_credentials("SSO profile `p`", body).unwrap();
        assert_eq!(c.access_key_id(), "ASIASSO");
        assert_eq!(c.session_token().map(Secret::expose), Some("sso-TOKEN"));
        assert_eq!(
            c.expiry(),
            crate::credentials::parse_time("2030-01-01T00:00:00Z")
        );
        for bad in [
            &br#"{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"sso-SECRET","sessionToken":"t"}}"#[..],
            br#"{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"sso-SECRET","expiration":1}}"#,
            br#"{"other":"sso-SECRET"}"#,
            b"sso-SECRET",
        ] {
            let err = parse_role_credentials("SSO profile `p`", bad).unwrap_err();
            assert!(
                err.message().starts_with("credentials from SSO profile `p`: "),
                "{err}"
            );
            assert!(!err.to_string().contains("sso-SECRET"), "{err}");
        }
    }

    #[test]
    fn error_types_are_read_from_the_header_or_the_body() {
        let answer = |header: Option<&str>, body: &str| {
            let mut headers = reqwest::header::HeaderMap::new();
            if let Some(h) = header {
                headers.insert("x-amzn-errortype", h.parse().unwrap());
            }
            Answer {
                status: 401,
                headers,
                body: bytes::Bytes::from(body.to_owned()),
            }
        };
        assert_eq!(
            error_code(&answer(Some("UnauthorizedException:http://internal/"), "")).as_deref(),
            Some("UnauthorizedException")
        );
        assert_eq!(
            error_code(&answer(
                None,
                r#"{"__type":"com.amazon#ForbiddenException","message":"m"}"#
            ))
            .as_deref(),
            Some("ForbiddenException")
        );
        assert_eq!(
            error_code(&answer(None, r#"{"error":"invalid_grant"}"#)).as_deref(),
            Some("invalid_grant")
        );
        assert_eq!(error_code(&answer(None, "<html>")), None);
        let err = refused(
            "SSO profile `p`",
            "http://x",
            &answer(None, r#"{"message":"tok-123"}"#),
            Some("run it"),
        );
        assert_eq!(err.kind(), ErrorKind::Unauthenticated);
        assert_eq!(err.status(), Some(401));
        assert!(!err.message().contains("tok-123"), "{err}");
    }
}
