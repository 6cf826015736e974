//! ECS (and EKS Pod Identity) container credentials.
//!
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path on
//! `http://169.254.170.2`; otherwise `AWS_CONTAINER_CREDENTIALS_FULL_URI` is
//! a whole URL, which must be `https`, or `http` to a loopback address or
//! one of the container agents' link-local addresses (as in the SDKs).
//! The `Authorization` header comes from the file named by
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read on every fetch, since
//! EKS rotates it) or else from `AWS_CONTAINER_AUTHORIZATION_TOKEN`.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;

use async_trait::async_trait;
use lbcloud_core::{Error, Result, Secret};

use super::http::{self, parse_credentials_json};
use super::{Credentials, ProvideCredentials, source_error};
use crate::Env;

pub(crate) const SOURCE: &str = "ECS container credentials";
const ECS_HOST: &str = "http://169.254.170.2";
/// Link-local addresses of the ECS and EKS agents allowed over plain http.
const AGENT_ADDRESSES: &[&str] = &["169.254.170.2", "169.254.170.23", "fd00:ec2::23"];

#[derive(Clone)]
enum AuthToken {
    None,
    Value(Secret),
    File(PathBuf),
}

/// Fetches credentials from the container credentials endpoint.
#[derive(Clone)]
pub(crate) struct EcsProvider {
    url: String,
    auth: AuthToken,
    http: reqwest::Client,
}

impl fmt::Debug for EcsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match &self.auth {
            AuthToken::None => "none".to_owned(),
            AuthToken::Value(_) => "AWS_CONTAINER_AUTHORIZATION_TOKEN".to_owned(),
            AuthToken::File(p) => format!("file {}", p.display()),
        };
        f.debug_struct("EcsProvider")
            .field("url", &self.url)
            .field("authorization", &auth)
            .finish_non_exhaustive()
    }
}

impl EcsProvider {
    /// The provider the environment configures; `None` when neither URI
    /// variable is set. A full URI that is not allowed is `InvalidInput`.
    /// `http` is asked for a client only when the source is configured.
    pub(crate) fn from_env(
        env: &Env,
        http: impl FnOnce() -> Result<reqwest::Client>,
    ) -> Result<Option<Self>> {
        let url = if let Some(rel) = env.var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            if !rel.starts_with('/') || rel.contains(['\r', '\n', ' ', '#']) {
                return Err(Error::invalid_input(
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                    "must be a path starting with `/`",
                ));
            }
            format!("{ECS_HOST}{rel}")
        } else if let Some(full) = env.var("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            check_full_uri(&full)?
        } else {
            return Ok(None);
        };
        let auth = if let Some(file) = env.var("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            AuthToken::File(PathBuf::from(file))
        } else if let Some(token) = env.var("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
            check_token(&token, "AWS_CONTAINER_AUTHORIZATION_TOKEN")?;
            AuthToken::Value(Secret::new(token))
        } else {
            AuthToken::None
        };
        Ok(Some(Self {
            url,
            auth,
            http: http()?,
        }))
    }

    async fn token(&self) -> Result<Option<String>> {
        match &self.auth {
            AuthToken::None => Ok(None),
            AuthToken::Value(v) => Ok(Some(v.expose().to_owned())),
            AuthToken::File(path) => {
                let text = tokio::fs::read_to_string(path).await.map_err(|e| {
                    source_error(
                        SOURCE,
                        format!(
                            "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {}: {e}",
                            path.display()
                        ),
                    )
                })?;
                let token = text.trim().to_owned();
                check_token(&token, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")?;
                Ok(Some(token))
            }
        }
    }
}

/// A token goes into a header: no line breaks (header injection), not empty.
fn check_token(token: &str, field: &str) -> Result<()> {
    if token.is_empty() || token.chars().any(|c| c.is_control()) {
        return Err(Error::invalid_input(
            field,
            "must be a non-empty token without control characters or line breaks",
        ));
    }
    Ok(())
}

fn check_full_uri(raw: &str) -> Result<String> {
    const FIELD: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| {
        Error::invalid_input(FIELD, format!("must be an absolute http(s) URL ({e})"))
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid_input(
            FIELD,
            "must not contain a user name or password",
        ));
    }
    let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']);
    let allowed = match url.scheme() {
        "https" => !host.is_empty(),
        "http" => {
            host == "localhost"
                || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
                || AGENT_ADDRESSES.contains(&host)
        }
        _ => false,
    };
    if !allowed {
        return Err(Error::invalid_input(
            FIELD,
            format!(
                "must be https, or http to a loopback address or the ECS/EKS agent \
                 (169.254.170.2, 169.254.170.23, fd00:ec2::23); got host `{host}`"
            ),
        ));
    }
    Ok(url.to_string())
}

#[async_trait]
impl ProvideCredentials for EcsProvider {
    async fn provide_credentials(&self) -> Result<Credentials> {
        let token = self.token().await?;
        let answer = http::send(SOURCE, &self.url, || {
            let mut r = self.http.get(&self.url);
            if let Some(t) = &token {
                r = r.header("authorization", t);
            }
            r
        })
        .await?;
        match answer.status {
            200 => parse_credentials_json(SOURCE, &answer.body, "Token"),
            s @ (401 | 403) => Err(source_error(
                SOURCE,
                format!("{} refused the authorization token (HTTP {s})", self.url),
            )),
            s => Err(source_error(
                SOURCE,
                format!("{} answered HTTP {s}", self.url),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http() -> impl FnOnce() -> Result<reqwest::Client> {
        || Ok(reqwest::Client::new())
    }

    #[test]
    fn relative_wins_and_full_uris_are_checked() {
        let p = EcsProvider::from_env(
            &Env::from_pairs([
                ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds/abc"),
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/x"),
            ]),
            http(),
        )
        .unwrap()
        .unwrap();
        assert_eq!(p.url, "http://169.254.170.2/v2/creds/abc");
        assert!(
            EcsProvider::from_env(&Env::empty(), http())
                .unwrap()
                .is_none()
        );
        for ok in [
            "http://127.0.0.1:8080/creds",
            "http://[::1]/creds",
            "http://localhost/creds",
            "http://169.254.170.23/v1/credentials",
            "https://creds.example.com/x",
        ] {
            let env = Env::from_pairs([("AWS_CONTAINER_CREDENTIALS_FULL_URI", ok)]);
            assert!(EcsProvider::from_env(&env, http()).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1/creds",
            "ftp://127.0.0.1/",
            "http://user:pw@127.0.0.1/",
            "nope",
        ] {
            let env = Env::from_pairs([("AWS_CONTAINER_CREDENTIALS_FULL_URI", bad)]);
            let err = EcsProvider::from_env(&env, http()).unwrap_err();
            assert_eq!(
                err.field(),
                Some("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
                "{bad}"
            );
            assert!(!err.to_string().contains("pw@"), "{err}");
        }
        let env = Env::from_pairs([("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "no-slash")]);
        assert!(EcsProvider::from_env(&env, http()).is_err());
    }

    #[test]
    fn tokens_with_line_breaks_are_rejected_and_never_shown() {
        let env = Env::from_pairs([
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/c"),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok\r\nX-Evil: 1"),
        ]);
        let err = EcsProvider::from_env(&env, http()).unwrap_err();
        assert_eq!(err.field(), Some("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
        assert!(!err.to_string().contains("Evil"));
        let env = Env::from_pairs([
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1/c"),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ecs-auth-secret"),
        ]);
        let p = EcsProvider::from_env(&env, http()).unwrap().unwrap();
        assert!(!format!("{p:?}").contains("ecs-auth-secret"));
    }
}
