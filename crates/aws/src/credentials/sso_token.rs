//! The IAM Identity Center token cache that `aws sso login` writes:
//! `~/.aws/sso/cache/<lowercase hex SHA-1 of the key>.json`, where the key
//! is the `sso_session` name (for the `[sso-session]` form) or the
//! `sso_start_url` (for the legacy form).
//!
//! The file is JSON: `accessToken` and `expiresAt` (RFC 3339) always;
//! `refreshToken`, `clientId`, `clientSecret`, `registrationExpiresAt`,
//! `region` and `startUrl` when the session form wrote it. Field names are
//! matched without regard to case, as the SDKs do. A refreshed token is
//! written back with every other field of the file kept, through a
//! temporary file of mode 0600 renamed over the old one, so a reader never
//! sees half a file.
//!
//! Everything here may hold a secret: no error quotes the file, and
//! `Debug` shows only expiry times and which fields are present.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lbcloud_core::Secret;
use serde_json::{Map, Value};
use sha1::{Digest, Sha1};

use super::{format_time, parse_time};

/// Where the token for `key` is cached under `home`.
pub(super) fn cache_path(home: &Path, key: &str) -> PathBuf {
    let digest = Sha1::digest(key.as_bytes());
    let mut name = String::with_capacity(45);
    for byte in digest {
        name.push_str(&format!("{byte:02x}"));
    }
    name.push_str(".json");
    home.join(".aws").join("sso").join("cache").join(name)
}

/// A parsed cache file.
#[derive(Clone)]
pub(super) struct TokenFile {
    /// The whole document, rewritten with the new token on refresh.
    doc: Map<String, Value>,
    pub(super) access_token: Secret,
    pub(super) expires_at: SystemTime,
    pub(super) refresh_token: Option<Secret>,
    pub(super) client_id: Option<String>,
    pub(super) client_secret: Option<Secret>,
    pub(super) registration_expires_at: Option<SystemTime>,
}

impl fmt::Debug for TokenFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenFile")
            .field("expires_at", &format_time(self.expires_at))
            .field("refresh_token", &self.refresh_token.is_some())
            .field("client_id", &self.client_id)
            .field(
                "registration_expires_at",
                &self.registration_expires_at.map(format_time),
            )
            .finish_non_exhaustive()
    }
}

/// The value of `name` in `doc`, matched without regard to case.
fn field<'a>(doc: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    doc.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// A non-empty string field.
fn text<'a>(doc: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    field(doc, name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Sets `name`, replacing a field of the same name in another case.
fn set(doc: &mut Map<String, Value>, name: &str, value: Value) {
    doc.retain(|k, _| !k.eq_ignore_ascii_case(name));
    doc.insert(name.to_owned(), value);
}

/// A time field: RFC 3339, or the `...UTC` suffix older AWS CLI versions
/// wrote. `Ok(None)` when absent.
fn time_field(doc: &Map<String, Value>, name: &str) -> Result<Option<SystemTime>, String> {
    let Some(raw) = text(doc, name) else {
        return Ok(None);
    };
    let normalized = match raw.trim().strip_suffix("UTC") {
        Some(head) => format!("{head}Z"),
        None => raw.to_owned(),
    };
    parse_time(&normalized)
        .map(Some)
        .ok_or_else(|| format!("has `{name}` that is not an RFC 3339 time"))
}

/// Whether a token can go into an HTTP header as it is.
fn header_safe(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_graphic())
}

impl TokenFile {
    /// Parses a cache file. The error completes "the cached token FILE ..."
    /// and never quotes the content.
    pub(super) fn parse(bytes: &[u8]) -> Result<Self, String> {
        let doc: Value = serde_json::from_slice(bytes).map_err(|e| format!("is not JSON ({e})"))?;
        let Value::Object(doc) = doc else {
            return Err("is not a JSON object".to_owned());
        };
        let access_token = text(&doc, "accessToken").ok_or("has no `accessToken`")?;
        if !header_safe(access_token) {
            return Err("has an `accessToken` with spaces or control characters".to_owned());
        }
        let expires_at = time_field(&doc, "expiresAt")?.ok_or("has no `expiresAt`")?;
        let registration_expires_at = time_field(&doc, "registrationExpiresAt")?;
        Ok(Self {
            access_token: Secret::new(access_token),
            expires_at,
            refresh_token: text(&doc, "refreshToken").map(Secret::new),
            client_id: text(&doc, "clientId").map(str::to_owned),
            client_secret: text(&doc, "clientSecret").map(Secret::new),
            registration_expires_at,
            doc,
        })
    }

    /// Why this token cannot be refreshed at `now`, or `None` when it can.
    pub(super) fn cannot_refresh(&self, now: SystemTime) -> Option<String> {
        if self.refresh_token.is_none() || self.client_id.is_none() || self.client_secret.is_none()
        {
            return Some(
                "the cache file holds no refresh token with its client registration".to_owned(),
            );
        }
        match self.registration_expires_at {
            None => Some("the cache file does not say when the client registration expires".into()),
            Some(at) if at <= now => Some(format!(
                "the client registration expired at {}",
                format_time(at)
            )),
            Some(_) => None,
        }
    }

    /// This token with a new access token (and refresh token, when the
    /// answer rotated it), valid for `expires_in` from `now`.
    pub(super) fn refreshed(
        &self,
        access_token: Secret,
        expires_in: Duration,
        refresh_token: Option<Secret>,
        now: SystemTime,
    ) -> Self {
        // Whole seconds, as the AWS CLI writes them.
        let secs = (now + expires_in)
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let expires_at = UNIX_EPOCH + Duration::from_secs(secs);
        let mut next = self.clone();
        set(
            &mut next.doc,
            "accessToken",
            Value::String(access_token.expose().to_owned()),
        );
        set(
            &mut next.doc,
            "expiresAt",
            Value::String(format_time(expires_at)),
        );
        if let Some(r) = &refresh_token {
            set(
                &mut next.doc,
                "refreshToken",
                Value::String(r.expose().to_owned()),
            );
            next.refresh_token = Some(r.clone());
        }
        next.access_token = access_token;
        next.expires_at = expires_at;
        next
    }

    /// The document to write back.
    fn to_bytes(&self) -> Vec<u8> {
        // Serializing a map of JSON values cannot fail.
        serde_json::to_vec_pretty(&self.doc).unwrap_or_default()
    }

    /// Writes this token to `path`: a temporary file of mode 0600 in the
    /// same directory, then renamed over `path`.
    pub(super) async fn save(&self, path: &Path) -> std::io::Result<()> {
        use tokio::io::AsyncWriteExt;

        let dir = path.parent().unwrap_or_else(|| Path::new("."));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(
            ".{name}.{}-{:016x}.tmp",
            std::process::id(),
            fastrand::u64(..)
        ));
        let mut options = tokio::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        options.mode(0o600);
        let written = async {
            let mut file = options.open(&tmp).await?;
            file.write_all(&self.to_bytes()).await?;
            file.sync_all().await?;
            drop(file);
            tokio::fs::rename(&tmp, path).await
        }
        .await;
        if written.is_err() {
            let _ = tokio::fs::remove_file(&tmp).await;
        }
        written
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"{
        "startUrl": "https://d-123.awsapps.com/start",
        "region": "us-west-2",
        "accessToken": "cached-ACCESS",
        "expiresAt": "2030-01-02T03:04:05Z",
        "clientId": "client-1",
        "clientSecret": "client-SECRET",
        "registrationExpiresAt": "2031-01-01T00:00:00Z",
        "refreshToken": "cached-REFRESH",
        "somethingNew": [1, 2]
    }"#;

    #[test]
    fn cache_file_names_are_the_sha1_of_the_key() {
        // Known SHA-1 digests: of "abc" (FIPS 180 example) and of "".
        let home = Path::new("/home/u");
        assert_eq!(
            cache_path(home, "abc"),
            Path::new("/home/u/.aws/sso/cache/a9993e364706816aba3e25717850c26c9cd0d89d.json")
        );
        assert!(cache_path(home, "").ends_with("da39a3ee5e6b4b0d3255bfef95601890afd80709.json"));
    }

    #[test]
    fn parses_every_field_in_any_case_and_shows_no_secret() {
        let t = TokenFile::parse(
            FULL.replace("\"accessToken\"", "\"AccessToken\"")
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(t.access_token.expose(), "cached-ACCESS");
        assert_eq!(t.expires_at, parse_time("2030-01-02T03:04:05Z").unwrap());
        assert_eq!(t.client_id.as_deref(), Some("client-1"));
        assert_eq!(
            t.client_secret.as_ref().map(Secret::expose),
            Some("client-SECRET")
        );
        assert_eq!(
            t.refresh_token.as_ref().map(Secret::expose),
            Some("cached-REFRESH")
        );
        let shown = format!("{t:?}");
        for s in ["ACCESS", "SECRET", "REFRESH"] {
            assert!(!shown.contains(s), "{shown}");
        }
        let now = parse_time("2030-06-01T00:00:00Z").unwrap();
        assert_eq!(t.cannot_refresh(now), None);
        let later = parse_time("2032-01-01T00:00:00Z").unwrap();
        assert!(
            t.cannot_refresh(later)
                .unwrap()
                .contains("registration expired")
        );
    }

    #[test]
    fn legacy_files_and_old_time_suffixes() {
        let t = TokenFile::parse(
            br#"{"accessToken":"legacy-ACCESS","expiresAt":"2030-01-02T03:04:05UTC","region":"us-east-1"}"#,
        )
        .unwrap();
        assert_eq!(t.expires_at, parse_time("2030-01-02T03:04:05Z").unwrap());
        assert!(
            t.cannot_refresh(SystemTime::now())
                .unwrap()
                .contains("no refresh token")
        );
    }

    #[test]
    fn broken_files_say_what_is_wrong_without_quoting() {
        for (doc, needle) in [
            (r#"{"accessToken":"bad-SECRET"#, "not JSON"),
            (r#"["bad-SECRET"]"#, "not a JSON object"),
            (
                r#"{"expiresAt":"2030-01-01T00:00:00Z"}"#,
                "no `accessToken`",
            ),
            (r#"{"accessToken":"bad-SECRET"}"#, "no `expiresAt`"),
            (
                r#"{"accessToken":"bad-SECRET","expiresAt":"soon"}"#,
                "not an RFC 3339 time",
            ),
            (
                "{\"accessToken\":\"bad-SECRET\\r\\nX: y\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}",
                "control characters",
            ),
        ] {
            let why = TokenFile::parse(doc.as_bytes()).unwrap_err();
            assert!(why.contains(needle), "{needle}: {why}");
            assert!(!why.contains("bad-SECRET"), "{why}");
        }
    }

    #[tokio::test]
    async fn refreshed_tokens_are_written_atomically_keeping_other_fields() {
        let dir = std::env::temp_dir().join(format!("lbcloud-sso-token-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("abc.json");
        std::fs::write(&path, FULL).unwrap();
        let old = TokenFile::parse(&std::fs::read(&path).unwrap()).unwrap();
        let now = parse_time("2030-01-02T03:00:00.750Z").unwrap();
        let new = old.refreshed(
            Secret::new("new-ACCESS"),
            Duration::from_secs(3600),
            None,
            now,
        );
        new.save(&path).await.unwrap();
        let back = TokenFile::parse(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(back.access_token.expose(), "new-ACCESS");
        assert_eq!(back.expires_at, parse_time("2030-01-02T04:00:00Z").unwrap());
        assert_eq!(
            back.refresh_token.as_ref().map(Secret::expose),
            Some("cached-REFRESH"),
            "kept when the answer has no new one"
        );
        let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(doc["somethingNew"], serde_json::json!([1, 2]));
        assert_eq!(doc["startUrl"], "https://d-123.awsapps.com/start");
        assert_eq!(doc["expiresAt"], "2030-01-02T04:00:00Z");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
        // A rotated refresh token replaces the old one.
        let rotated = back.refreshed(
            Secret::new("third"),
            Duration::from_secs(60),
            Some(Secret::new("rotated-REFRESH")),
            now,
        );
        rotated.save(&path).await.unwrap();
        let back = TokenFile::parse(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(
            back.refresh_token.as_ref().map(Secret::expose),
            Some("rotated-REFRESH")
        );
        // A directory that is gone: an error, and no temporary file left.
        let gone = dir.join("missing").join("x.json");
        assert!(rotated.save(&gone).await.is_err());
        std::fs::remove_dir_all(&dir).ok();
    }
}
