//! The default chain, in the AWS SDKs' order: explicit, environment, web
//! identity, shared profile (static keys, `credential_process`, IAM
//! Identity Center / SSO, assumed roles), ECS container, EC2 instance
//! metadata.
//!
//! The source is chosen once, when the client is built, from what is
//! *configured* (variables and files; no I/O beyond reading the files);
//! credentials are fetched from it lazily and refreshed by the cache. As
//! in the SDK, an unconfigured source passes on to the next, and a source
//! that is configured but broken stops the chain with an error naming it.
//! Instance metadata is the last resort unless `AWS_EC2_METADATA_DISABLED`
//! is true, so "nothing found" is reported at the first request (by the
//! metadata source, listing every place looked at) or, with IMDS disabled,
//! at build time.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use lbcloud_core::{Error, ErrorKind, Result};

use super::ecs::EcsProvider;
use super::imds::{ImdsClient, ImdsProvider};
use super::sts::StsSettings;
use super::web_identity::WebIdentity;
use super::{Credentials, ProvideCredentials, SharedProvider, env, profile};
use crate::Env;
use crate::profile::ProfileFiles;

/// What the sources need to be built.
pub(crate) struct ChainContext<'a> {
    pub(crate) env: &'a Env,
    pub(crate) files: &'a ProfileFiles,
    pub(crate) sts: StsSettings,
    /// Makes the client for IMDS and ECS (short timeouts, never a
    /// proxy), only when one of them is used: building a TLS client
    /// loads the trust store, which is slow with some backends.
    pub(crate) network: &'a crate::tls::Network,
}

impl ChainContext<'_> {
    pub(crate) fn metadata_http(&self) -> Result<reqwest::Client> {
        self.network.metadata_client()
    }
}

/// What the caller gave instead of (or before) the chain.
#[derive(Clone, Debug)]
pub(crate) enum Explicit {
    None,
    Static(Credentials),
    Provider(SharedProvider),
}

/// Which source the chain chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Explicit,
    Custom,
    Environment,
    WebIdentity,
    Profile,
    Ecs,
    Imds,
}

/// The chosen source; a failure of the last resort (IMDS) lists the
/// sources that were not configured.
pub(crate) struct Chosen {
    pub(crate) source: Source,
    provider: SharedProvider,
    looked_at: Vec<String>,
}

impl fmt::Debug for Chosen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultChain")
            .field("source", &self.source)
            .field("provider", &self.provider)
            .finish()
    }
}

#[async_trait]
impl ProvideCredentials for Chosen {
    async fn provide_credentials(&self) -> Result<Credentials> {
        match self.provider.provide_credentials().await {
            Err(e) if self.source == Source::Imds => Err(Error::new(
                ErrorKind::Unauthenticated,
                format!(
                    "no AWS credentials found: looked at {}; then {}",
                    self.looked_at.join(", "),
                    e.message()
                ),
            )
            .with_field("credentials")
            .with_source(e)),
            other => other,
        }
    }
}

/// Chooses the source; see the module docs.
pub(crate) fn choose(explicit: Explicit, ctx: &ChainContext<'_>) -> Result<Chosen> {
    let chosen = |source, provider: SharedProvider, looked_at| Chosen {
        source,
        provider,
        looked_at,
    };
    match explicit {
        Explicit::Static(c) => {
            if c.access_key_id().is_empty() {
                return Err(unauthenticated(
                    "access key id",
                    "the explicit access key id is empty",
                ));
            }
            if c.secret_access_key().is_empty() {
                return Err(unauthenticated(
                    "secret",
                    "the explicit secret access key is empty",
                ));
            }
            return Ok(chosen(Source::Explicit, Arc::new(c), Vec::new()));
        }
        Explicit::Provider(p) => return Ok(chosen(Source::Custom, p, Vec::new())),
        Explicit::None => {}
    }
    let mut looked_at = vec!["explicit credentials (none given)".to_owned()];
    let env = ctx.env;
    if let Some(c) = env::from_env(env)? {
        return Ok(chosen(Source::Environment, Arc::new(c), looked_at));
    }
    looked_at.push("AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (unset)".to_owned());
    if let Some(w) = WebIdentity::from_env(env, &ctx.sts)? {
        return Ok(chosen(Source::WebIdentity, Arc::new(w), looked_at));
    }
    looked_at.push("AWS_WEB_IDENTITY_TOKEN_FILE (unset)".to_owned());
    if let Some(p) = profile::from_profile(ctx)? {
        return Ok(chosen(Source::Profile, p, looked_at));
    }
    looked_at.push(profile_note(ctx.files));
    if let Some(p) = EcsProvider::from_env(env, || ctx.metadata_http())? {
        return Ok(chosen(Source::Ecs, Arc::new(p), looked_at));
    }
    looked_at.push("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI (unset)".to_owned());
    if let Some(client) = ImdsClient::from_env(env, ctx.files, || ctx.metadata_http())? {
        let p = ImdsProvider::new(Arc::new(client));
        return Ok(chosen(Source::Imds, Arc::new(p), looked_at));
    }
    looked_at.push("EC2 instance metadata (AWS_EC2_METADATA_DISABLED)".to_owned());
    Err(Error::new(
        ErrorKind::Unauthenticated,
        format!(
            "no AWS credentials found: looked at {}",
            looked_at.join(", ")
        ),
    )
    .with_field("credentials"))
}

fn profile_note(files: &ProfileFiles) -> String {
    let profile = if files.exists() {
        format!("profile `{}` has no credentials", files.name)
    } else {
        format!("profile `{}` not found", files.name)
    };
    if files.looked_at.is_empty() {
        format!("the shared files ({profile})")
    } else {
        format!(
            "the shared files ({profile} in {})",
            files.looked_at.join(", ")
        )
    }
}

fn unauthenticated(field: &str, message: &str) -> Error {
    Error::new(ErrorKind::Unauthenticated, message).with_field(field)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::time::Duration;

    const CREDS: &str = "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = FILESECRET\n\
                         [temp]\naws_access_key_id = TMPKEY\naws_secret_access_key = TMPSECRET\naws_session_token = TMPTOKEN\n\
                         [half]\naws_access_key_id = HALF\n";

    static NETWORK: crate::tls::Network = crate::tls::Network {
        ca_bundle: None,
        proxy: None,
    };

    /// A context with a loopback STS nothing answers on; for other tests too.
    pub(crate) fn ctx<'a>(env: &'a Env, files: &'a ProfileFiles) -> ChainContext<'a> {
        ChainContext {
            env,
            files,
            sts: StsSettings {
                endpoint: "http://127.0.0.1:9".to_owned(),
                region: "us-east-1".to_owned(),
                http: reqwest::Client::new(),
                request_timeout: Duration::from_secs(1),
            },
            network: &NETWORK,
        }
    }

    fn no_imds(pairs: &[(&str, &str)]) -> Env {
        let mut v: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        v.push(("AWS_EC2_METADATA_DISABLED".into(), "true".into()));
        Env::from_pairs(v)
    }

    async fn key_of(c: &Chosen) -> String {
        c.provide_credentials()
            .await
            .unwrap()
            .access_key_id()
            .to_owned()
    }

    #[tokio::test]
    async fn explicit_beats_env_beats_files() {
        let env = no_imds(&[
            ("AWS_ACCESS_KEY_ID", "ENVKEY"),
            ("AWS_SECRET_ACCESS_KEY", "ENVSECRET"),
            ("AWS_SESSION_TOKEN", "ENVTOKEN"),
        ]);
        let files = ProfileFiles::from_texts("default", Some(CREDS), None);
        let c = choose(
            Explicit::Static(Credentials::new("EXP", "EXPSECRET")),
            &ctx(&env, &files),
        )
        .unwrap();
        assert_eq!(c.source, Source::Explicit);
        let creds = c.provide_credentials().await.unwrap();
        assert!(
            creds.session_token().is_none(),
            "an env token must not leak into explicit credentials"
        );

        let c = choose(Explicit::None, &ctx(&env, &files)).unwrap();
        assert_eq!(
            (c.source, key_of(&c).await.as_str()),
            (Source::Environment, "ENVKEY")
        );

        let none = no_imds(&[]);
        let c = choose(Explicit::None, &ctx(&none, &files)).unwrap();
        assert_eq!(
            (c.source, key_of(&c).await.as_str()),
            (Source::Profile, "FILEKEY")
        );
    }

    #[tokio::test]
    async fn profile_with_session_token_and_config_file_credentials() {
        let none = no_imds(&[]);
        let files = ProfileFiles::from_texts("temp", Some(CREDS), None);
        let c = choose(Explicit::None, &ctx(&none, &files)).unwrap();
        let creds = c.provide_credentials().await.unwrap();
        assert_eq!(creds.session_token().map(|t| t.expose()), Some("TMPTOKEN"));

        let cfg = "[profile ops]\naws_access_key_id = CFGKEY\naws_secret_access_key = CFGSECRET\n";
        let files = ProfileFiles::from_texts("ops", None, Some(cfg));
        assert_eq!(
            key_of(&choose(Explicit::None, &ctx(&none, &files)).unwrap()).await,
            "CFGKEY"
        );
    }

    #[test]
    fn half_configured_sources_are_errors() {
        let files = ProfileFiles::from_texts("default", Some(CREDS), None);
        let env = no_imds(&[("AWS_ACCESS_KEY_ID", "K")]);
        let err = choose(Explicit::None, &ctx(&env, &files)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unauthenticated);
        assert_eq!(err.field(), Some("AWS_SECRET_ACCESS_KEY"));

        let none = no_imds(&[]);
        let files = ProfileFiles::from_texts("half", Some(CREDS), None);
        let err = choose(Explicit::None, &ctx(&none, &files)).unwrap_err();
        assert_eq!(err.field(), Some("aws_secret_access_key"));
        assert!(err.message().contains("`half`"));

        let err = choose(
            Explicit::Static(Credentials::new("K", "")),
            &ctx(&none, &files),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("secret"));
    }

    #[test]
    fn missing_everywhere_names_where_it_looked() {
        let none = no_imds(&[]);
        let files = ProfileFiles::from_texts("ghost", Some(CREDS), None);
        let err = choose(Explicit::None, &ctx(&none, &files)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unauthenticated);
        for needle in [
            "explicit",
            "AWS_ACCESS_KEY_ID",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "profile `ghost` not found",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_EC2_METADATA_DISABLED",
        ] {
            assert!(
                err.message().contains(needle),
                "{needle} missing from {}",
                err.message()
            );
        }
    }

    #[test]
    fn the_order_is_env_web_identity_profile_ecs_imds() {
        let files = ProfileFiles::from_texts("default", Some(CREDS), None);
        let empty = ProfileFiles::from_texts("default", None, None);
        let all = [
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token"),
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web"),
            (
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://127.0.0.1:9/creds",
            ),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9"),
        ];
        let env = |skip: usize| {
            Env::from_pairs(
                all.iter()
                    .skip(skip)
                    .map(|(k, v)| (k.to_string(), v.to_string())),
            )
        };
        assert_eq!(
            choose(Explicit::None, &ctx(&env(0), &files))
                .unwrap()
                .source,
            Source::WebIdentity
        );
        assert_eq!(
            choose(Explicit::None, &ctx(&env(2), &files))
                .unwrap()
                .source,
            Source::Profile
        );
        assert_eq!(
            choose(Explicit::None, &ctx(&env(2), &empty))
                .unwrap()
                .source,
            Source::Ecs
        );
        assert_eq!(
            choose(Explicit::None, &ctx(&env(3), &empty))
                .unwrap()
                .source,
            Source::Imds
        );
        // A configured but broken source stops the chain instead of passing on.
        let broken = Env::from_pairs([
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t"),
            ("AWS_ACCESS_KEY_ID", ""),
        ]);
        let err = choose(Explicit::None, &ctx(&broken, &files)).unwrap_err();
        assert_eq!(err.field(), Some("AWS_ROLE_ARN"));
    }
}
