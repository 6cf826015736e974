//! SigV4 signing of one Query-protocol POST, through the `aws-sigv4` crate.

use std::time::SystemTime;

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use lbcloud_core::{Error, ErrorKind, Result};

use crate::Credentials;

/// The content type of every Query-protocol request. It is signed, so the
/// transport must send exactly this value.
pub(crate) const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// The headers to add to a POST of `body` to `url` so AWS accepts it:
/// `content-type`, `x-amz-date`, `authorization` and, for temporary
/// credentials, `x-amz-security-token`. `host` is signed from the URL and
/// sent by the HTTP client, which derives it the same way.
pub(crate) fn sign_post(
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    url: &str,
    body: &[u8],
    time: SystemTime,
) -> Result<Vec<(&'static str, String)>> {
    let identity: Identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key().expose(),
        credentials.session_token().map(|t| t.expose().to_owned()),
        None,
        "lbcloud",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(signing_name)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| signing_error(e.to_string()))?
        .into();
    let headers = [("content-type", CONTENT_TYPE)];
    let request = SignableRequest::new(
        "POST",
        url,
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )
    .map_err(|e| signing_error(e.to_string()))?;
    let (instructions, _signature) = without_tracing(|| sign(request, &params))
        .map_err(|e| signing_error(e.to_string()))?
        .into_parts();
    let (signed, _query) = instructions.into_parts();
    let mut out = vec![("content-type", CONTENT_TYPE.to_owned())];
    out.extend(signed.into_iter().map(|h| (h.name(), h.value().to_owned())));
    Ok(out)
}

/// Runs `f` with tracing switched off on this thread.
///
/// `aws-sigv4` logs the canonical request at TRACE (target `aws_sigv4`), and
/// for temporary credentials the canonical request holds the
/// `x-amz-security-token` value, so any subscriber at TRACE would write the
/// session token to the logs. The token must stay *signed* (AWS documents
/// that some services reject an unsigned token, and does not say which), so
/// instead of `SessionTokenMode::Exclude` signing runs under a no-op
/// dispatcher: the request on the wire is unchanged and the events go
/// nowhere. Our own `aws_request` span and events say what a user needs.
///
/// Only done once a dispatcher exists: setting a scoped one marks tracing
/// as "in use" for the whole process, which would stop the `log` fallback
/// of programs that have no tracing subscriber. In such a program the
/// events reach `log` only if `tracing`'s `log` feature is on; see
/// [`AwsClient::send`](crate::AwsClient::send).
fn without_tracing<T>(f: impl FnOnce() -> T) -> T {
    if tracing::dispatcher::has_been_set() {
        tracing::dispatcher::with_default(&tracing::Dispatch::none(), f)
    } else {
        f()
    }
}

/// Signing fails only on inputs the builder already validated, so this
/// means a bug; the message comes from aws-sigv4 and holds no secret.
fn signing_error(detail: String) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!("could not sign the request: {detail}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    fn at_2024_05_06() -> SystemTime {
        // 2024-05-06T07:08:09Z
        UNIX_EPOCH + Duration::from_secs(1_714_979_289)
    }

    fn header<'a>(h: &'a [(&'static str, String)], name: &str) -> Option<&'a str> {
        h.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn authorization_has_the_right_scope_and_signed_headers() {
        let creds = Credentials::new("AKIDEXAMPLE", SECRET);
        let h = sign_post(
            &creds,
            "us-east-1",
            "elasticloadbalancing",
            "https://elasticloadbalancing.us-east-1.amazonaws.com",
            b"Action=DescribeLoadBalancers&Version=2012-06-01",
            at_2024_05_06(),
        )
        .unwrap();
        let auth = header(&h, "authorization").unwrap();
        assert!(
            auth.starts_with(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/elasticloadbalancing/aws4_request, "
            ),
            "{auth}"
        );
        assert!(
            auth.contains("SignedHeaders=content-type;host;x-amz-date"),
            "{auth}"
        );
        assert!(auth.contains("Signature="));
        assert_eq!(header(&h, "x-amz-date"), Some("20240506T070809Z"));
        assert_eq!(header(&h, "content-type"), Some(CONTENT_TYPE));
        assert_eq!(header(&h, "x-amz-security-token"), None);
        for (_, v) in &h {
            assert!(!v.contains(SECRET), "secret leaked into a header");
        }
    }

    #[test]
    fn session_token_is_sent_and_signature_changes_with_time() {
        let creds = Credentials::new("AKID", SECRET).with_session_token("TOKEN123");
        let sign_at = |t| {
            sign_post(
                &creds,
                "cn-north-1",
                "elasticloadbalancing",
                "http://127.0.0.1:5000",
                b"a=b",
                t,
            )
            .unwrap()
        };
        let a = sign_at(at_2024_05_06());
        assert_eq!(header(&a, "x-amz-security-token"), Some("TOKEN123"));
        assert!(
            header(&a, "authorization")
                .unwrap()
                .contains("/cn-north-1/elasticloadbalancing/aws4_request")
        );
        let b = sign_at(at_2024_05_06() + Duration::from_secs(1));
        assert_ne!(header(&a, "authorization"), header(&b, "authorization"));
        for (_, v) in a.iter().chain(&b) {
            assert!(!v.contains(SECRET));
        }
    }
}
