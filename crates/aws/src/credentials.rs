//! AWS credentials and the chain that finds them.

use std::fmt;

use lbcloud_core::{Error, ErrorKind, Result, Secret};

use crate::Env;
use crate::profile::ProfileFiles;

/// An AWS access key pair, with a session token for temporary credentials.
///
/// `Debug` shows the access key id (it is an identifier, printed by AWS in
/// its own logs) but never the secret key or the token.
///
/// ```
/// use lbcloud_aws::Credentials;
///
/// let c = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI").with_session_token("FQoG");
/// assert_eq!(c.access_key_id(), "AKIDEXAMPLE");
/// let shown = format!("{c:?}");
/// assert!(shown.contains("AKIDEXAMPLE"));
/// assert!(!shown.contains("wJalr") && !shown.contains("FQoG"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: Secret,
    session_token: Option<Secret>,
}

impl Credentials {
    /// A long-term access key pair.
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<Secret>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
        }
    }

    /// Adds the session token that temporary (STS) credentials need.
    pub fn with_session_token(mut self, token: impl Into<Secret>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &Secret {
        &self.secret_access_key
    }

    /// The session token, if any.
    pub fn session_token(&self) -> Option<&Secret> {
        self.session_token.as_ref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &self.secret_access_key)
            .field("session_token", &self.session_token)
            .finish()
    }
}

/// Finds credentials: explicit, then the environment, then the profile in
/// the shared files. The first source that has an access key id decides;
/// a source with a key id but no secret is an error rather than a silent
/// fall-through, because using a different identity than the one the user
/// half-configured would be surprising.
pub(crate) fn resolve(
    explicit: Option<Credentials>,
    env: &Env,
    files: &ProfileFiles,
) -> Result<Credentials> {
    if let Some(c) = explicit {
        if c.access_key_id.is_empty() {
            return Err(unauthenticated(
                "access key id",
                "the explicit access key id is empty",
            ));
        }
        if c.secret_access_key.is_empty() {
            return Err(unauthenticated(
                "secret",
                "the explicit secret access key is empty",
            ));
        }
        return Ok(c);
    }
    if let Some(key) = env.var("AWS_ACCESS_KEY_ID") {
        let Some(secret) = env.var("AWS_SECRET_ACCESS_KEY") else {
            return Err(unauthenticated(
                "AWS_SECRET_ACCESS_KEY",
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            ));
        };
        let mut c = Credentials::new(key, secret);
        if let Some(token) = env.var("AWS_SESSION_TOKEN") {
            c = c.with_session_token(token);
        }
        return Ok(c);
    }
    if let Some(key) = files.get("aws_access_key_id") {
        let Some(secret) = files.get("aws_secret_access_key") else {
            return Err(unauthenticated(
                "aws_secret_access_key",
                format!(
                    "profile `{}` has aws_access_key_id but no aws_secret_access_key",
                    files.name
                ),
            ));
        };
        let mut c = Credentials::new(key, secret);
        if let Some(token) = files.get("aws_session_token") {
            c = c.with_session_token(token);
        }
        return Ok(c);
    }
    let profile_note = if files.exists() {
        format!("profile `{}` has no aws_access_key_id", files.name)
    } else {
        format!("profile `{}` not found", files.name)
    };
    let files_note = if files.looked_at.is_empty() {
        String::new()
    } else {
        format!(" in {}", files.looked_at.join(", "))
    };
    Err(Error::new(
        ErrorKind::Unauthenticated,
        format!(
            "no AWS credentials found: looked at explicit credentials (none given), \
             AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (unset), and the shared files \
             ({profile_note}{files_note})"
        ),
    )
    .with_field("credentials"))
}

fn unauthenticated(field: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Unauthenticated, message).with_field(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREDS: &str = "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = FILESECRET\n\
                         [temp]\naws_access_key_id = TMPKEY\naws_secret_access_key = TMPSECRET\naws_session_token = TMPTOKEN\n\
                         [half]\naws_access_key_id = HALF\n";

    fn env_creds() -> Env {
        Env::from_pairs([
            ("AWS_ACCESS_KEY_ID", "ENVKEY"),
            ("AWS_SECRET_ACCESS_KEY", "ENVSECRET"),
            ("AWS_SESSION_TOKEN", "ENVTOKEN"),
        ])
    }

    #[test]
    fn explicit_beats_env_beats_files() {
        let files = ProfileFiles::from_texts("default", Some(CREDS), None);
        let c = resolve(
            Some(Credentials::new("EXP", "EXPSECRET")),
            &env_creds(),
            &files,
        )
        .unwrap();
        assert_eq!(c.access_key_id(), "EXP");
        assert!(
            c.session_token().is_none(),
            "an env token must not leak into explicit credentials"
        );

        let c = resolve(None, &env_creds(), &files).unwrap();
        assert_eq!(c.access_key_id(), "ENVKEY");
        assert_eq!(c.session_token().map(Secret::expose), Some("ENVTOKEN"));

        let c = resolve(
            None,
            &Env::from_pairs(Vec::<(String, String)>::new()),
            &files,
        )
        .unwrap();
        assert_eq!(c.access_key_id(), "FILEKEY");
        assert_eq!(c.secret_access_key().expose(), "FILESECRET");
    }

    #[test]
    fn profile_with_session_token_and_config_file_credentials() {
        let none = Env::from_pairs(Vec::<(String, String)>::new());
        let files = ProfileFiles::from_texts("temp", Some(CREDS), None);
        let c = resolve(None, &none, &files).unwrap();
        assert_eq!(c.session_token().map(Secret::expose), Some("TMPTOKEN"));

        let cfg = "[profile ops]\naws_access_key_id = CFGKEY\naws_secret_access_key = CFGSECRET\n";
        let files = ProfileFiles::from_texts("ops", None, Some(cfg));
        assert_eq!(
            resolve(None, &none, &files).unwrap().access_key_id(),
            "CFGKEY"
        );
    }

    #[test]
    fn half_configured_sources_are_errors() {
        let files = ProfileFiles::from_texts("default", Some(CREDS), None);
        let err =
            resolve(None, &Env::from_pairs([("AWS_ACCESS_KEY_ID", "K")]), &files).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unauthenticated);
        assert_eq!(err.field(), Some("AWS_SECRET_ACCESS_KEY"));

        let none = Env::from_pairs(Vec::<(String, String)>::new());
        let files = ProfileFiles::from_texts("half", Some(CREDS), None);
        let err = resolve(None, &none, &files).unwrap_err();
        assert_eq!(err.field(), Some("aws_secret_access_key"));
        assert!(err.message().contains("`half`"));

        let err = resolve(Some(Credentials::new("K", "")), &none, &files).unwrap_err();
        assert_eq!(err.field(), Some("secret"));
    }

    #[test]
    fn missing_everywhere_names_where_it_looked() {
        let none = Env::from_pairs(Vec::<(String, String)>::new());
        let files = ProfileFiles::from_texts("ghost", Some(CREDS), None);
        let err = resolve(None, &none, &files).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unauthenticated);
        for needle in ["explicit", "AWS_ACCESS_KEY_ID", "profile `ghost` not found"] {
            assert!(
                err.message().contains(needle),
                "{needle} missing from {}",
                err.message()
            );
        }
    }

    #[test]
    fn debug_redacts_secret_and_token() {
        let c = Credentials::new("AKID", "topsecret").with_session_token("tok123");
        let s = format!("{c:?}");
        assert!(s.contains("AKID"));
        assert!(!s.contains("topsecret") && !s.contains("tok123"), "{s}");
    }
}
