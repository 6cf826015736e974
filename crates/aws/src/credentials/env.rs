//! Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
//! `AWS_SESSION_TOKEN`.

use lbcloud_core::{Error, ErrorKind, Result};

use super::Credentials;
use crate::Env;

/// The environment's credentials: `None` when `AWS_ACCESS_KEY_ID` is
/// unset (the chain goes on); an error when it is set without
/// `AWS_SECRET_ACCESS_KEY`, because using another identity than the one the
/// user half-configured would be surprising (the SDK would move on here).
pub(crate) fn from_env(env: &Env) -> Result<Option<Credentials>> {
    let Some(key) = env.var("AWS_ACCESS_KEY_ID") else {
        return Ok(None);
    };
    let Some(secret) = env.var("AWS_SECRET_ACCESS_KEY") else {
        return Err(Error::new(
            ErrorKind::Unauthenticated,
            "credentials from the environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
        )
        .with_field("AWS_SECRET_ACCESS_KEY"));
    };
    let mut c = Credentials::new(key, secret);
    if let Some(token) = env.var("AWS_SESSION_TOKEN") {
        c = c.with_session_token(token);
    }
    Ok(Some(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_key_secret_and_token_and_rejects_half() {
        let env = Env::from_pairs([
            ("AWS_ACCESS_KEY_ID", "ENVKEY"),
            ("AWS_SECRET_ACCESS_KEY", "ENVSECRET"),
            ("AWS_SESSION_TOKEN", "ENVTOKEN"),
        ]);
        let c = from_env(&env).unwrap().unwrap();
        assert_eq!(c.access_key_id(), "ENVKEY");
        assert_eq!(c.session_token().map(|t| t.expose()), Some("ENVTOKEN"));
        assert!(from_env(&Env::empty()).unwrap().is_none());
        let err = from_env(&Env::from_pairs([("AWS_ACCESS_KEY_ID", "K")])).unwrap_err();
        assert_eq!(err.field(), Some("AWS_SECRET_ACCESS_KEY"));
    }
}
