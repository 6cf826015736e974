//! What the ECS and EC2 metadata sources share: GETs/PUTs to a local
//! metadata endpoint with a few quick retries, and the JSON credentials
//! document both answer with.

use std::time::Duration;

use bytes::Bytes;
use lbcloud_core::Result;
use serde_json::Value;

use super::{Credentials, parse_time, source_error};

/// Attempts per metadata request; the endpoints are local and either
/// answer fast or not at all.
const ATTEMPTS: u32 = 3;
/// Wait before the second attempt; doubled before the third.
const FIRST_DELAY: Duration = Duration::from_millis(100);

/// An answer from a metadata endpoint. `body` may hold secrets: it is
/// never logged and never put in an error.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Bytes,
}

/// Sends the request `make` builds, retrying connection failures and 5xx
/// answers; `source` names the source in errors.
pub(crate) async fn send(
    source: &str,
    url: &str,
    make: impl Fn() -> reqwest::RequestBuilder,
) -> Result<Answer> {
    let mut delay = FIRST_DELAY;
    let mut attempt = 1;
    loop {
        let outcome = match make().send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                let headers = r.headers().clone();
                match r.bytes().await {
                    Ok(body) if status < 500 => {
                        return Ok(Answer {
                            status,
                            headers,
                            body,
                        });
                    }
                    Ok(_) => format!("{url} answered HTTP {status}"),
                    Err(e) => format!("the answer from {url} broke off ({})", e.without_url()),
                }
            }
            Err(e) => {
                let what = if e.is_timeout() {
                    "timed out"
                } else if e.is_connect() {
                    "could not connect"
                } else {
                    "request failed"
                };
                format!("{what} ({url}): {}", e.without_url())
            }
        };
        if attempt >= ATTEMPTS {
            return Err(source_error(
                source,
                format!("{outcome}, after {attempt} attempts"),
            ));
        }
        tracing::debug!(source, attempt, reason = %outcome, "metadata request failed; retrying");
        tokio::time::sleep(delay).await;
        delay *= 2;
        attempt += 1;
    }
}

/// Parses the JSON credentials document of IMDS, ECS and
/// `credential_process`; `token_field` is `Token` (IMDS, ECS) or
/// `SessionToken` (`credential_process`). Error messages never quote
/// the document, which holds the secret.
pub(crate) fn parse_credentials_json(
    source: &str,
    body: &[u8],
    token_field: &str,
) -> Result<Credentials> {
    let doc: Value = serde_json::from_slice(body).map_err(|e| {
        // serde_json's syntax errors give a position, never the content.
        source_error(source, format!("the answer is not JSON ({e})"))
    })?;
    let Some(obj) = doc.as_object() else {
        return Err(source_error(source, "the answer is not a JSON object"));
    };
    let text = |key: &str| {
        obj.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    if let Some(code) = text("Code")
        && code != "Success"
    {
        return Err(source_error(
            source,
            format!("the answer has Code `{}`", printable(code)),
        ));
    }
    let key = text("AccessKeyId").ok_or_else(|| source_error(source, "AccessKeyId is missing"))?;
    let secret = text("SecretAccessKey")
        .ok_or_else(|| source_error(source, "SecretAccessKey is missing"))?;
    let mut c = Credentials::new(key, secret);
    if let Some(token) = text(token_field) {
        c = c.with_session_token(token);
    }
    if let Some(raw) = text("Expiration") {
        let at = parse_time(raw).ok_or_else(|| {
            source_error(
                source,
                format!("Expiration `{}` is not an RFC 3339 time", printable(raw)),
            )
        })?;
        c = c.with_expiry(at);
    }
    Ok(c)
}

/// A short excerpt of a non-secret value for a message.
pub(crate) fn printable(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_document_and_never_quotes_secrets() {
        let doc = br#"{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"2030-01-01T00:00:00Z"}"#;
        let c = parse_credentials_json("EC2 instance metadata", doc, "Token").unwrap();
        assert_eq!(c.access_key_id(), "ASIAIMDS");
        assert_eq!(c.session_token().map(|t| t.expose()), Some("imds-token"));
        assert_eq!(c.expiry(), parse_time("2030-01-01T00:00:00Z"));

        for bad in [
            &br#"{"AccessKeyId":"A","SecretAccessKey":"imds-secret","Expiration":"soon"}"#[..],
            br#"{"SecretAccessKey":"imds-secret"}"#,
            br#"{"Code":"Failed","SecretAccessKey":"imds-secret"}"#,
            br#"["imds-secret"]"#,
            b"imds-secret",
        ] {
            let err = parse_credentials_json("ECS", bad, "Token").unwrap_err();
            assert!(
                err.message().starts_with("credentials from ECS: "),
                "{}",
                err.message()
            );
            assert!(!err.to_string().contains("imds-secret"), "{err}");
        }
    }
}
