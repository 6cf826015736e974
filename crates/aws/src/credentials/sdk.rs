//! [`SdkCredentialsProvider`]: any `aws-credential-types` provider (such as
//! an `aws-config` chain) used as an lbcloud [`ProvideCredentials`].

use std::fmt;

use async_trait::async_trait;
use aws_credential_types::provider::ProvideCredentials as AwsProvideCredentials;
use aws_credential_types::provider::error::CredentialsError;
use lbcloud_core::{Error, ErrorKind, Result};

use super::{Credentials, ProvideCredentials};

/// Wraps an `aws_credential_types::provider::ProvideCredentials`, so an
/// application that already builds an `aws-config` credentials chain hands
/// it to lbcloud unchanged (lbcloud does not depend on `aws-config`).
///
/// ```
/// use std::sync::Arc;
/// use lbcloud_aws::{ProvideCredentials, SdkCredentialsProvider};
///
/// // Anything implementing the SDK trait, such as
/// // `aws_config::default_provider::credentials::default_provider().await`.
/// let sdk = aws_credential_types::Credentials::new("AKID", "secret", None, None, "example");
/// let provider: Arc<dyn ProvideCredentials> = Arc::new(SdkCredentialsProvider::new(sdk));
/// # let _ = provider;
/// ```
pub struct SdkCredentialsProvider<P> {
    inner: P,
}

impl<P: AwsProvideCredentials> SdkCredentialsProvider<P> {
    /// Wraps `provider`.
    pub fn new(provider: P) -> Self {
        Self { inner: provider }
    }
}

impl<P: AwsProvideCredentials> fmt::Debug for SdkCredentialsProvider<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The SDK's own Debug redacts secrets.
        f.debug_tuple("SdkCredentialsProvider")
            .field(&self.inner)
            .finish()
    }
}

#[async_trait]
impl<P: AwsProvideCredentials> ProvideCredentials for SdkCredentialsProvider<P> {
    async fn provide_credentials(&self) -> Result<Credentials> {
        let c = self
            .inner
            .provide_credentials()
            .await
            .map_err(from_sdk_error)?;
        let mut out = Credentials::new(c.access_key_id(), c.secret_access_key());
        if let Some(token) = c.session_token() {
            out = out.with_session_token(token);
        }
        if let Some(expiry) = c.expiry() {
            out = out.with_expiry(expiry);
        }
        out.check_complete("the AWS SDK credentials provider")
    }
}

fn from_sdk_error(e: CredentialsError) -> Error {
    let (kind, what) = match &e {
        CredentialsError::CredentialsNotLoaded(_) => (ErrorKind::Unauthenticated, "no credentials"),
        CredentialsError::ProviderTimedOut(_) => (ErrorKind::Timeout, "timed out"),
        CredentialsError::InvalidConfiguration(_) => {
            (ErrorKind::InvalidInput, "invalid configuration")
        }
        CredentialsError::ProviderError(_) => (ErrorKind::Unauthenticated, "provider error"),
        _ => (ErrorKind::Unauthenticated, "failed"),
    };
    Error::new(
        kind,
        format!("credentials from the AWS SDK credentials provider: {what}: {e}"),
    )
    .with_field("credentials")
    .with_source(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_credential_types::provider::future;

    #[derive(Debug)]
    struct Failing;
    impl AwsProvideCredentials for Failing {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::ready(Err(CredentialsError::not_loaded("nothing here")))
        }
    }

    #[tokio::test]
    async fn converts_keys_token_expiry_and_errors() {
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(2_000_000_000);
        let sdk = aws_credential_types::Credentials::new(
            "AKIDSDK",
            "sdk-secret",
            Some("sdk-token".into()),
            Some(at),
            "test",
        );
        let c = SdkCredentialsProvider::new(sdk)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c.access_key_id(), "AKIDSDK");
        assert_eq!(c.secret_access_key().expose(), "sdk-secret");
        assert_eq!(c.session_token().map(|t| t.expose()), Some("sdk-token"));
        assert_eq!(c.expiry(), Some(at));
        let err = SdkCredentialsProvider::new(Failing)
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unauthenticated);
        assert!(err.message().contains("AWS SDK"), "{}", err.message());
        let shown = format!(
            "{:?}",
            SdkCredentialsProvider::new(aws_credential_types::Credentials::new(
                "A",
                "hidden-secret",
                None,
                None,
                "t"
            ))
        );
        assert!(!shown.contains("hidden-secret"), "{shown}");
    }
}
