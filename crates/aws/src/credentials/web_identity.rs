//! Web identity: `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (+
//! `AWS_ROLE_SESSION_NAME`), or a profile's `web_identity_token_file` +
//! `role_arn`, exchanged through STS `AssumeRoleWithWebIdentity` (unsigned).
//! The token file is read again on every refresh, since EKS rotates it.

use std::path::PathBuf;

use async_trait::async_trait;
use lbcloud_core::{Error, Result, Secret};

use super::sts::{AssumeRoleWithWebIdentity, StsSettings, default_session_name, validate_role};
use super::{Credentials, ProvideCredentials, source_error};
use crate::Env;

/// Exchanges the token in a file for role credentials.
#[derive(Debug)]
pub(crate) struct WebIdentity {
    token_file: PathBuf,
    sts: AssumeRoleWithWebIdentity,
    origin: String,
}

impl WebIdentity {
    /// From the environment: `None` when `AWS_WEB_IDENTITY_TOKEN_FILE` is
    /// unset; `InvalidInput` when it is set but the role is missing or bad.
    pub(crate) fn from_env(env: &Env, sts: &StsSettings) -> Result<Option<Self>> {
        let Some(file) = env.var("AWS_WEB_IDENTITY_TOKEN_FILE") else {
            return Ok(None);
        };
        let Some(role) = env.var("AWS_ROLE_ARN") else {
            return Err(Error::invalid_input(
                "AWS_ROLE_ARN",
                "is required when AWS_WEB_IDENTITY_TOKEN_FILE is set",
            ));
        };
        let (session, field) = match env.var("AWS_ROLE_SESSION_NAME") {
            Some(s) => (s, "AWS_ROLE_SESSION_NAME"),
            None => (default_session_name(), "AWS_ROLE_SESSION_NAME"),
        };
        validate_role(&role, "AWS_ROLE_ARN", &session, field)?;
        Ok(Some(Self::new(
            sts,
            PathBuf::from(file),
            role,
            session,
            "AWS_WEB_IDENTITY_TOKEN_FILE".to_owned(),
        )))
    }

    pub(crate) fn new(
        sts: &StsSettings,
        token_file: PathBuf,
        role_arn: String,
        session_name: String,
        origin: String,
    ) -> Self {
        Self {
            sts: AssumeRoleWithWebIdentity::new(sts, role_arn, session_name, origin.clone()),
            token_file,
            origin,
        }
    }
}

#[async_trait]
impl ProvideCredentials for WebIdentity {
    async fn provide_credentials(&self) -> Result<Credentials> {
        let what = format!("web identity ({})", self.origin);
        let text = tokio::fs::read_to_string(&self.token_file)
            .await
            .map_err(|e| {
                source_error(
                    &what,
                    format!(
                        "cannot read the token file {}: {e}",
                        self.token_file.display()
                    ),
                )
            })?;
        let token = text.trim();
        if token.is_empty() {
            return Err(source_error(
                &what,
                format!("the token file {} is empty", self.token_file.display()),
            ));
        }
        self.sts.exchange(&Secret::new(token)).await
    }
}
