//! Credentials a profile of the shared files describes: static keys (with
//! `aws_session_token`), `credential_process`, `web_identity_token_file`,
//! IAM Identity Center (SSO: `sso_session` with an `[sso-session NAME]`
//! section, or the legacy `sso_start_url` form; see `sso`), and roles
//! (`role_arn` with `source_profile` or `credential_source`, assumed
//! through STS, chained through as many profiles as configured; an SSO
//! profile can be the `source_profile`).
//!
//! Resolution follows the AWS SDK for Rust: for the selected profile a
//! `role_arn` comes first; for a source profile further down the chain
//! static keys come first; then SSO, then `credential_process`, then static
//! keys. A loop of `source_profile`s is an error, as is a role with neither
//! (or both) of `source_profile` / `credential_source`. An SSO profile with
//! missing or contradicting keys is an error naming the key and the profile.

use std::path::PathBuf;
use std::sync::Arc;

use lbcloud_core::{Error, ErrorKind, Result};

use super::chain::ChainContext;
use super::ecs::EcsProvider;
use super::imds::{ImdsClient, ImdsProvider};
use super::process::CredentialProcess;
use super::sso;
use super::sts::{AssumeRole, default_session_name, validate_role};
use super::web_identity::WebIdentity;
use super::{Credentials, CredentialsCache, SharedProvider, env};
use crate::profile::ProfileFiles;

/// The provider the selected profile describes, or `None` when the
/// profile does not exist or names no credentials (the chain goes on).
pub(crate) fn from_profile(ctx: &ChainContext<'_>) -> Result<Option<SharedProvider>> {
    let mut visited = Vec::new();
    resolve(ctx, &ctx.files.name, &mut visited)
}

fn resolve(
    ctx: &ChainContext<'_>,
    name: &str,
    visited: &mut Vec<String>,
) -> Result<Option<SharedProvider>> {
    let files = ctx.files;
    let first = visited.is_empty();
    if !files.has_profile(name) {
        if first && files.chosen {
            // As botocore and the Rust SDK: a profile asked for by name
            // must exist; only the implicit `default` may be absent.
            return Err(Error::new(
                ErrorKind::Unauthenticated,
                format!(
                    "credentials from the shared files: profile `{name}` not found in {}",
                    if files.looked_at.is_empty() {
                        "the shared files".to_owned()
                    } else {
                        files.looked_at.join(", ")
                    }
                ),
            )
            .with_field("profile"));
        }
        if first {
            return Ok(None);
        }
        return Err(config_error(
            "source_profile",
            format!(
                "profile `{name}` (a source_profile of `{}`) does not exist",
                chain_text(visited)
            ),
        ));
    }
    if visited.iter().any(|v| v == name) {
        return Err(config_error(
            "source_profile",
            format!(
                "the profiles form a loop: {} -> {name}",
                chain_text(visited)
            ),
        ));
    }
    visited.push(name.to_owned());
    let get = |key: &str| files.get_for(name, key);
    if !first && let Some(c) = static_keys(files, name)? {
        return Ok(Some(Arc::new(c)));
    }
    if let Some(role_arn) = get("role_arn") {
        return role(ctx, name, role_arn, visited).map(Some);
    }
    if let Some(p) = sso::from_profile(ctx, name)? {
        return Ok(Some(Arc::new(p)));
    }
    if let Some(command) = get("credential_process") {
        let p = CredentialProcess::new(command, name, ctx.env.home())?;
        return Ok(Some(Arc::new(p)));
    }
    if let Some(c) = static_keys(files, name)? {
        return Ok(Some(Arc::new(c)));
    }
    if first {
        return Ok(None);
    }
    Err(config_error(
        "source_profile",
        format!(
            "profile `{name}` (in the chain {}) has no credentials",
            chain_text(visited)
        ),
    ))
}

fn role(
    ctx: &ChainContext<'_>,
    name: &str,
    role_arn: &str,
    visited: &mut Vec<String>,
) -> Result<SharedProvider> {
    let get = |key: &str| ctx.files.get_for(name, key);
    let session = get("role_session_name").map_or_else(default_session_name, str::to_owned);
    validate_role(role_arn, "role_arn", &session, "role_session_name")?;
    if get("mfa_serial").is_some() {
        return Err(config_error(
            "mfa_serial",
            format!(
                "profile `{name}` needs an MFA code (mfa_serial), which lbcloud cannot prompt for"
            ),
        ));
    }
    let source_profile = get("source_profile");
    let credential_source = get("credential_source");
    let source: SharedProvider = match (source_profile, credential_source) {
        (Some(_), Some(_)) => {
            return Err(config_error(
                "credential_source",
                format!(
                    "profile `{name}` sets both source_profile and credential_source; keep one"
                ),
            ));
        }
        // Its own source: the profile's static keys, else its SSO settings
        // (as the SDK's self-reference takes the profile's base provider).
        (Some(sp), None) if sp == name => match static_keys(ctx.files, name)? {
            Some(c) => Arc::new(c),
            None => match sso::from_profile(ctx, name)? {
                Some(p) => Arc::new(p),
                None => {
                    return Err(config_error(
                        "source_profile",
                        format!(
                            "profile `{name}` is its own source_profile but has neither \
                             aws_access_key_id nor IAM Identity Center (sso_*) settings"
                        ),
                    ));
                }
            },
        },
        (Some(sp), None) => match resolve(ctx, sp, visited)? {
            Some(p) => p,
            None => {
                return Err(config_error(
                    "source_profile",
                    format!("profile `{sp}` has no credentials"),
                ));
            }
        },
        (None, Some(cs)) => named_source(ctx, name, cs)?,
        (None, None) => {
            if let Some(file) = get("web_identity_token_file") {
                return Ok(Arc::new(WebIdentity::new(
                    &ctx.sts,
                    PathBuf::from(file),
                    role_arn.to_owned(),
                    session,
                    format!("profile `{name}`"),
                )));
            }
            return Err(config_error(
                "source_profile",
                format!(
                    "profile `{name}` has role_arn but neither source_profile, credential_source \
                     nor web_identity_token_file"
                ),
            ));
        }
    };
    let duration = match get("duration_seconds") {
        None => None,
        Some(raw) => match raw.trim().parse::<u32>() {
            Ok(n) if (900..=43_200).contains(&n) => Some(n),
            _ => {
                return Err(Error::invalid_input(
                    "duration_seconds",
                    format!(
                        "must be a whole number of seconds from 900 to 43200 (profile `{name}`)"
                    ),
                ));
            }
        },
    };
    Ok(Arc::new(AssumeRole::new(
        &ctx.sts,
        CredentialsCache::new(source),
        role_arn.to_owned(),
        session,
        get("external_id").map(str::to_owned),
        duration,
        format!("profile `{name}`"),
    )))
}

/// `credential_source`: where a role's source credentials come from
/// outside the files.
fn named_source(ctx: &ChainContext<'_>, name: &str, source: &str) -> Result<SharedProvider> {
    let missing = |what: &str| {
        config_error(
            "credential_source",
            format!("profile `{name}` has credential_source = {source}, but {what}"),
        )
    };
    match source {
        "Environment" => match env::from_env(ctx.env)? {
            Some(c) => Ok(Arc::new(c)),
            None => Err(missing("AWS_ACCESS_KEY_ID is not set")),
        },
        "Ec2InstanceMetadata" => {
            match ImdsClient::from_env(ctx.env, ctx.files, || ctx.metadata_http())? {
                Some(client) => Ok(Arc::new(ImdsProvider::new(Arc::new(client)))),
                None => Err(missing("AWS_EC2_METADATA_DISABLED is true")),
            }
        }
        "EcsContainer" => match EcsProvider::from_env(ctx.env, || ctx.metadata_http())? {
            Some(p) => Ok(Arc::new(p)),
            None => Err(missing(
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI are not set",
            )),
        },
        _ => Err(config_error(
            "credential_source",
            format!("profile `{name}`: must be Environment, Ec2InstanceMetadata or EcsContainer"),
        )),
    }
}

/// The static keys of profile `name`; an error when only half are there.
fn static_keys(files: &ProfileFiles, name: &str) -> Result<Option<Credentials>> {
    let Some(key) = files.get_for(name, "aws_access_key_id") else {
        return Ok(None);
    };
    let Some(secret) = files.get_for(name, "aws_secret_access_key") else {
        return Err(Error::new(
            ErrorKind::Unauthenticated,
            format!("credentials from the shared files: profile `{name}` has aws_access_key_id but no aws_secret_access_key"),
        )
        .with_field("aws_secret_access_key"));
    };
    let mut c = Credentials::new(key, secret);
    if let Some(token) = files.get_for(name, "aws_session_token") {
        c = c.with_session_token(token);
    }
    Ok(Some(c))
}

fn chain_text(visited: &[String]) -> String {
    visited.join(" -> ")
}

/// A profile that is configured but cannot work: the chain stops here.
pub(super) fn config_error(field: &str, message: String) -> Error {
    Error::invalid_input(
        field,
        format!("credentials from the shared files: {message}"),
    )
}
