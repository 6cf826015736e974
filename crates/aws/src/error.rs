//! AWS error answers: parsing the XML body and mapping codes to [`ErrorKind`].
//!
//! [`map_code`] is the one place an AWS error code becomes a provider-neutral
//! kind. Decisions worth knowing:
//!
//! - Codes naming the *target* of the call that does not exist
//!   (`LoadBalancerNotFound`, `ListenerNotFound`, `PolicyNotFound`,
//!   `InvalidInstance` for an instance that is not registered, ...) are
//!   [`ErrorKind::NotFound`].
//! - `CertificateNotFound` is [`ErrorKind::InvalidInput`]: ELB answers it
//!   for a certificate ARN given *as input* to create or change a listener,
//!   including a malformed ARN. Calling it NotFound would make callers
//!   think the balancer itself is gone (and, e.g., try to recreate it).
//! - Codes saying a resource is in use or in a state that forbids the
//!   change are [`ErrorKind::Conflict`]: `ResourceInUse`, `PriorityInUse`,
//!   `TrustStoreInUse` (and any `*InUse`), `TrustStoreNotReady`,
//!   `CapacityReservationPending`, and `OperationNotPermitted` ("this
//!   operation is not allowed": deletion protection on, a VPC-only action
//!   on a balancer outside a VPC — the request is well formed, the
//!   resource's current state refuses it). `InvalidConfigurationRequest`
//!   is Conflict where it comes with HTTP 409 (classic ELB's model: "the
//!   requested configuration change is not valid" for the balancer as it
//!   is) and InvalidInput with 400 (ELBv2's: "the requested configuration
//!   is not valid").
//! - `UnsupportedProtocol` and `IncompatibleProtocols` are
//!   [`ErrorKind::InvalidInput`]: the caller must ask differently.
//!   `Unsupported` is kept for operations a driver rejects without sending.
//! - `TooManyRequestsException` is throttling; every other `TooMany*` code
//!   (`TooManyLoadBalancers`, `TooManyPolicies`, `TooManyTags`,
//!   `TooManyAccessPoints`, `TooManyTargets`, ...), `*LimitExceeded` other
//!   than the throttling `RequestLimitExceeded`, and
//!   `TargetGroupAssociationLimit` are [`ErrorKind::QuotaExceeded`].
//! - `DuplicatePolicyName` (like every `Duplicate*`) stays
//!   [`ErrorKind::AlreadyExists`].
//! - Unknown codes fall back to naming patterns (`*NotFound`, `Duplicate*`,
//!   `*AlreadyExists`, `Invalid*`, ...) and then to the HTTP status, as for a
//!   body with no code at all ([`kind_for_status`]).

use lbcloud_core::{Error, ErrorKind};
use quick_xml::Reader;
use quick_xml::events::Event;

/// What an AWS error body said. Every field is optional: the body may be
/// HTML, empty or garbage, and then only the status is known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParsedError {
    /// The HTTP status of the answer.
    pub status: u16,
    /// The AWS error code, such as `LoadBalancerNotFound`.
    pub code: Option<String>,
    /// The AWS message.
    pub message: Option<String>,
    /// `Sender` or `Receiver`, when given.
    pub error_type: Option<String>,
    /// The request id from the body.
    pub request_id: Option<String>,
    /// A short, whitespace-collapsed excerpt of a body that was not an AWS
    /// error document, to help diagnose proxies and emulators.
    pub excerpt: Option<String>,
}

/// Longest excerpt of a non-XML body kept in a [`ParsedError`].
const EXCERPT_CHARS: usize = 160;

/// Parses an AWS error body of any shape; never fails and never panics.
///
/// Understands `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`
/// and the EC2-style `<Response><Errors><Error>..</Error></Errors><RequestID/></Response>`,
/// in any element order and with unknown elements. Only the first `<Error>` counts.
///
/// ```
/// use lbcloud_aws::error::parse_error_response;
///
/// let body = b"<ErrorResponse><Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code>\
///     <Message>There is no ACTIVE Load Balancer named 'web'</Message></Error>\
///     <RequestId>req-1</RequestId></ErrorResponse>";
/// let e = parse_error_response(400, body);
/// assert_eq!(e.code.as_deref(), Some("LoadBalancerNotFound"));
/// assert_eq!(e.request_id.as_deref(), Some("req-1"));
///
/// let html = parse_error_response(500, b"<html><body>Internal Server Error</body></html>");
/// assert_eq!((html.status, html.code), (500, None));
/// ```
pub fn parse_error_response(status: u16, body: &[u8]) -> ParsedError {
    let mut parsed = ParsedError {
        status,
        ..ParsedError::default()
    };
    scan_xml(body, &mut parsed);
    if parsed.code.is_none() {
        parsed.excerpt = excerpt(body);
    }
    parsed
}

/// Walks the XML events, filling `out`; stops quietly at the first syntax error.
fn scan_xml(body: &[u8], out: &mut ParsedError) {
    let mut reader = Reader::from_reader(body);
    // Local names of the open elements, innermost last.
    let mut path: Vec<Vec<u8>> = Vec::new();
    // Set once the first <Error> closes, so later ones cannot overwrite it.
    let mut error_done = false;
    let mut buf = Vec::new();
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(_) => return,
        };
        match event {
            Event::Start(e) => path.push(e.local_name().as_ref().to_vec()),
            Event::End(_) => {
                if path.last().is_some_and(|n| n == b"Error") {
                    error_done = true;
                }
                path.pop();
            }
            Event::Text(t) => {
                let text = decode(&t.into_inner());
                record(&path, text, error_done, out);
            }
            Event::CData(c) => {
                let text = String::from_utf8_lossy(&c.into_inner()).trim().to_owned();
                record(&path, text, error_done, out);
            }
            Event::Eof => return,
            _ => {}
        }
        buf.clear();
    }
}

fn record(path: &[Vec<u8>], text: String, error_done: bool, out: &mut ParsedError) {
    if text.is_empty() {
        return;
    }
    let Some((leaf, parents)) = path.split_last() else {
        return;
    };
    let in_error = parents.last().is_some_and(|p| p == b"Error");
    let slot = match leaf.as_slice() {
        b"Code" if in_error && !error_done => &mut out.code,
        b"Message" if in_error && !error_done => &mut out.message,
        b"Type" if in_error && !error_done => &mut out.error_type,
        b"RequestId" | b"RequestID" => &mut out.request_id,
        _ => return,
    };
    match slot {
        // Text may arrive in pieces around entities or comments; join them.
        Some(existing) => existing.push_str(&text),
        None => *slot = Some(text),
    }
}

/// Decodes XML text leniently: invalid UTF-8 is replaced and a bad entity
/// leaves the text as sent.
fn decode(raw: &[u8]) -> String {
    let lossy = String::from_utf8_lossy(raw);
    let text = match quick_xml::escape::unescape(&lossy) {
        Ok(s) => s.into_owned(),
        Err(_) => lossy.into_owned(),
    };
    text.trim().to_owned()
}

/// A short single-line excerpt of a body, or `None` if it is blank.
fn excerpt(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() >= EXCERPT_CHARS {
            break;
        }
    }
    let mut out: String = out
        .chars()
        .filter(|c| !c.is_control())
        .take(EXCERPT_CHARS)
        .collect();
    if out.is_empty() {
        return None;
    }
    if text.chars().count() > out.chars().count() + 1 {
        out.push_str(" ...");
    }
    Some(out)
}

/// Maps an AWS error code (and the HTTP status it came with) to a kind.
/// This is the one place such decisions are made; see the module docs.
///
/// ```
/// use lbcloud_aws::error::map_code;
/// use lbcloud_core::ErrorKind;
///
/// assert_eq!(map_code("LoadBalancerNotFound", 400), ErrorKind::NotFound);
/// assert_eq!(map_code("Throttling", 400), ErrorKind::Throttled);
/// assert_eq!(map_code("TooManyLoadBalancers", 400), ErrorKind::QuotaExceeded);
/// assert_eq!(map_code("ResourceInUse", 400), ErrorKind::Conflict);
/// assert_eq!(map_code("InvalidConfigurationRequest", 409), ErrorKind::Conflict);
/// assert_eq!(map_code("InvalidConfigurationRequest", 400), ErrorKind::InvalidInput);
/// ```
pub fn map_code(code: &str, status: u16) -> ErrorKind {
    use ErrorKind::*;
    match code {
        "Throttling"
        | "ThrottlingException"
        | "ThrottledException"
        | "RequestThrottled"
        | "RequestThrottledException"
        | "RequestLimitExceeded"
        | "TooManyRequestsException"
        | "SlowDown"
        | "PriorRequestNotComplete"
        | "BandwidthLimitExceeded"
        | "EC2ThrottledException"
        | "DependencyThrottle" => Throttled,

        "LoadBalancerNotFound"
        | "AccessPointNotFound"
        | "PolicyNotFound"
        | "PolicyTypeNotFound"
        | "ListenerNotFound"
        | "InvalidInstance"
        | "InvalidEndPoint"
        | "SubnetNotFound"
        | "TargetGroupNotFound"
        | "RuleNotFound"
        | "LoadBalancerAttributeNotFound" => NotFound,

        "CertificateNotFound" | "UnsupportedProtocol" | "IncompatibleProtocols" => InvalidInput,

        "OperationNotPermitted"
        | "ResourceInUse"
        | "PriorityInUse"
        | "TrustStoreInUse"
        | "TrustStoreNotReady"
        | "CapacityReservationPending" => Conflict,

        "InvalidConfigurationRequest" if status == 409 => Conflict,

        // ELBv2 codes the patterns below would misread: a missing CA bundle
        // or revocation list is a bad S3 location in the request, not a
        // missing ELB resource.
        "CaCertificatesBundleNotFound"
        | "RevocationContentNotFound"
        | "AvailabilityZoneNotSupported"
        | "DeleteAssociationSameAccount" => InvalidInput,
        "HealthUnavailable" | "InsufficientCapacity" => Provider,

        "TooManyLoadBalancers"
        | "TooManyAccessPoints"
        | "TooManyPolicies"
        | "TooManyTags"
        | "TooManyListeners"
        | "TooManyCertificates"
        | "TooManyRules"
        | "TooManyActions"
        | "TooManyTargets"
        | "TooManyTargetGroups"
        | "TooManyRegistrationsForTargetId"
        | "TooManyUniqueTargetGroupsPerLoadBalancer"
        | "TooManyTrustStores"
        | "TooManyTrustStoreRevocationEntries"
        | "TargetGroupAssociationLimit"
        | "CapacityUnitsLimitExceeded"
        | "CapacityDecreaseRequestLimitExceeded"
        | "LimitExceeded"
        | "LimitExceededException" => QuotaExceeded,

        "DuplicateLoadBalancerName"
        | "DuplicateAccessPointName"
        | "DuplicatePolicyName"
        | "DuplicateListener"
        | "DuplicateTagKeys" => AlreadyExists,

        "ValidationError"
        | "InvalidConfigurationRequest"
        | "InvalidParameterValue"
        | "InvalidParameterCombination"
        | "MissingParameter"
        | "InvalidScheme"
        | "InvalidSecurityGroup"
        | "InvalidSubnet"
        | "MalformedQueryString"
        | "InvalidQueryParameter"
        | "InvalidAction" => InvalidInput,

        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" | "OptInRequired" => {
            PermissionDenied
        }

        "SignatureDoesNotMatch"
        | "InvalidClientTokenId"
        | "ExpiredToken"
        | "ExpiredTokenException"
        | "IncompleteSignature"
        | "MissingAuthenticationToken"
        | "AuthFailure"
        | "UnrecognizedClientException"
        | "InvalidSignatureException"
        | "RequestExpired"
        | "InvalidAccessKeyId" => Unauthenticated,

        "RequestTimeout" | "RequestTimeoutException" => Timeout,

        "InternalFailure"
        | "InternalError"
        | "InternalServerError"
        | "ServiceUnavailable"
        | "ServiceUnavailableException" => Provider,

        _ => by_pattern(code).unwrap_or_else(|| kind_for_status(status)),
    }
}

/// Guesses the kind of an unlisted code from AWS naming conventions.
fn by_pattern(code: &str) -> Option<ErrorKind> {
    let code = code.strip_suffix("Exception").unwrap_or(code);
    if code.ends_with("NotFound") {
        Some(ErrorKind::NotFound)
    } else if code.starts_with("Duplicate") || code.ends_with("AlreadyExists") {
        Some(ErrorKind::AlreadyExists)
    } else if code.ends_with("InUse") {
        Some(ErrorKind::Conflict)
    } else if code.starts_with("TooMany") || code.ends_with("LimitExceeded") {
        Some(ErrorKind::QuotaExceeded)
    } else if code.starts_with("Invalid")
        || code.starts_with("Missing")
        || code.ends_with("Validation")
    {
        Some(ErrorKind::InvalidInput)
    } else {
        None
    }
}

/// The kind of an error answer that carried no usable AWS code.
///
/// 401 Unauthenticated, 403 PermissionDenied, 404 NotFound, 408 Timeout,
/// 429 Throttled, 5xx Provider (retryable through its status). Any other
/// 4xx is Provider too: the server refused the request but did not say
/// why, which is not the caller's input being wrong as far as we can tell,
/// nor an unparseable *success* (InvalidResponse is kept for that). A 1xx
/// or 3xx answer is InvalidResponse: the Query API never sends one, and
/// redirects are not followed because a redirected POST would be re-signed
/// for the wrong host.
///
/// ```
/// use lbcloud_aws::error::kind_for_status;
/// use lbcloud_core::ErrorKind;
///
/// assert_eq!(kind_for_status(503), ErrorKind::Provider);
/// assert_eq!(kind_for_status(429), ErrorKind::Throttled);
/// ```
pub fn kind_for_status(status: u16) -> ErrorKind {
    match status {
        401 => ErrorKind::Unauthenticated,
        403 => ErrorKind::PermissionDenied,
        404 => ErrorKind::NotFound,
        408 => ErrorKind::Timeout,
        429 => ErrorKind::Throttled,
        400..=599 => ErrorKind::Provider,
        _ => ErrorKind::InvalidResponse,
    }
}

/// Turns an error answer into the public [`Error`], with provider,
/// operation, code, message, status and request id.
///
/// `header_request_id` (from `x-amzn-RequestId`) is used when the body has none.
/// A 429 or 503 with a code the table does not know still counts as
/// throttling or a server fault by status, because AWS sometimes sends
/// vague codes with those statuses.
pub fn to_error(
    provider: &str,
    operation: &str,
    parsed: ParsedError,
    header_request_id: Option<&str>,
) -> Error {
    let status = parsed.status;
    let kind = match parsed.code.as_deref() {
        Some(code) => {
            let kind = map_code(code, status);
            if status == 429 && kind == ErrorKind::Provider {
                ErrorKind::Throttled
            } else {
                kind
            }
        }
        None => kind_for_status(status),
    };
    let message = match (&parsed.message, &parsed.excerpt) {
        (Some(m), _) => m.clone(),
        (None, Some(x)) if parsed.code.is_none() => {
            format!("HTTP {status} answer without an AWS error document: {x}")
        }
        (None, _) if parsed.code.is_none() => {
            format!("HTTP {status} answer with an empty body")
        }
        (None, _) => "the provider sent no message".to_owned(),
    };
    // `operation` is the action sent: it stays visible as the action when a
    // driver names its own operation over it.
    let mut err = Error::new(kind, message)
        .with_provider(provider)
        .with_operation(operation)
        .with_action(operation)
        .with_status(status);
    if let Some(code) = parsed.code {
        err = err.with_code(code);
    }
    if let Some(id) = parsed
        .request_id
        .or_else(|| header_request_id.map(str::to_owned))
    {
        err = err.with_request_id(id);
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_error_response_shape() {
        let body = br#"<?xml version="1.0"?>
            <ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/">
              <Error><Type>Sender</Type><Code>DuplicateLoadBalancerName</Code>
                <Message>Load Balancer named 'web' already exists &amp; differs</Message></Error>
              <RequestId>abc-123</RequestId>
            </ErrorResponse>"#;
        let e = parse_error_response(400, body);
        assert_eq!(e.code.as_deref(), Some("DuplicateLoadBalancerName"));
        assert_eq!(e.error_type.as_deref(), Some("Sender"));
        assert_eq!(
            e.message.as_deref(),
            Some("Load Balancer named 'web' already exists & differs")
        );
        assert_eq!(e.request_id.as_deref(), Some("abc-123"));
        assert_eq!(e.excerpt, None);
    }

    #[test]
    fn errors_wrapped_shape_any_order_unknown_elements_first_error_wins() {
        let body = b"<Response><RequestID>r-9</RequestID><Extra><Code>NotThis</Code></Extra>\
            <Errors><Error><Message><![CDATA[slow down]]></Message><Detail/><Code>RequestLimitExceeded</Code></Error>\
            <Error><Code>Second</Code><Message>ignored</Message></Error></Errors></Response>";
        let e = parse_error_response(503, body);
        assert_eq!(e.code.as_deref(), Some("RequestLimitExceeded"));
        assert_eq!(e.message.as_deref(), Some("slow down"));
        assert_eq!(e.request_id.as_deref(), Some("r-9"));
    }

    #[test]
    fn html_empty_garbage_and_invalid_utf8_never_panic() {
        let html = parse_error_response(500, b"<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n<body><h1>Internal Server Error</h1></body></html>");
        assert_eq!(html.code, None);
        assert!(
            html.excerpt
                .as_deref()
                .is_some_and(|x| x.contains("Internal Server Error"))
        );

        let empty = parse_error_response(502, b"");
        assert_eq!(
            empty,
            ParsedError {
                status: 502,
                ..ParsedError::default()
            }
        );
        assert_eq!(parse_error_response(500, b"  \n\t ").excerpt, None);

        for body in [
            &b"\x00\xff\xfe<<<>>>&&&;"[..],
            b"<ErrorResponse><Error><Code>Throt\xfftling</Code>",
            b"<a><b></a></b>",
            b"<Error><Code>&bogus;</Code></Error>",
            &[0xc3, 0x28, 0xa0, 0xa1][..],
            b"<?xml version='1.0' encoding='UTF-16'?><x/>",
        ] {
            let e = parse_error_response(400, body);
            let _ = to_error("elb", "X", e, None);
        }
        let long = vec![b'x'; 10_000];
        let e = parse_error_response(500, &long);
        assert!(
            e.excerpt
                .is_some_and(|x| x.chars().count() <= EXCERPT_CHARS + 4)
        );
        let deep = "<a>".repeat(5_000);
        assert_eq!(parse_error_response(500, deep.as_bytes()).code, None);
    }

    #[test]
    fn code_table() {
        use ErrorKind::*;
        let cases = [
            ("LoadBalancerNotFound", NotFound),
            ("AccessPointNotFound", NotFound),
            ("PolicyNotFound", NotFound),
            ("ListenerNotFound", NotFound),
            ("InvalidInstance", NotFound),
            ("SubnetNotFound", NotFound),
            ("CertificateNotFound", InvalidInput),
            ("DuplicateLoadBalancerName", AlreadyExists),
            ("DuplicateAccessPointName", AlreadyExists),
            ("DuplicatePolicyName", AlreadyExists),
            ("DuplicateListener", AlreadyExists),
            ("DuplicateTagKeys", AlreadyExists),
            ("ValidationError", InvalidInput),
            ("InvalidConfigurationRequest", InvalidInput),
            ("InvalidParameterValue", InvalidInput),
            ("InvalidParameterCombination", InvalidInput),
            ("MissingParameter", InvalidInput),
            ("InvalidScheme", InvalidInput),
            ("InvalidSecurityGroup", InvalidInput),
            ("InvalidSubnet", InvalidInput),
            ("TooManyLoadBalancers", QuotaExceeded),
            ("TooManyAccessPoints", QuotaExceeded),
            ("TooManyPolicies", QuotaExceeded),
            ("TooManyTags", QuotaExceeded),
            ("TooManyTargets", QuotaExceeded),
            ("TargetGroupAssociationLimit", QuotaExceeded),
            ("LimitExceededException", QuotaExceeded),
            ("OperationNotPermitted", Conflict),
            ("ResourceInUse", Conflict),
            ("PriorityInUse", Conflict),
            ("TrustStoreNotReady", Conflict),
            ("UnsupportedProtocol", InvalidInput),
            ("IncompatibleProtocols", InvalidInput),
            // ELBv2
            ("TargetGroupNotFound", NotFound),
            ("TrustStoreNotFound", NotFound),
            ("RevocationIdNotFound", NotFound),
            ("CaCertificatesBundleNotFound", InvalidInput),
            ("RevocationContentNotFound", InvalidInput),
            ("AvailabilityZoneNotSupported", InvalidInput),
            ("DuplicateTargetGroupName", AlreadyExists),
            ("DuplicateTrustStoreName", AlreadyExists),
            ("HealthUnavailable", Provider),
            ("InsufficientCapacity", Provider),
            ("AccessDenied", PermissionDenied),
            ("UnauthorizedOperation", PermissionDenied),
            ("SignatureDoesNotMatch", Unauthenticated),
            ("InvalidClientTokenId", Unauthenticated),
            ("ExpiredToken", Unauthenticated),
            ("IncompleteSignature", Unauthenticated),
            ("MissingAuthenticationToken", Unauthenticated),
            ("AuthFailure", Unauthenticated),
            ("UnrecognizedClientException", Unauthenticated),
            ("Throttling", Throttled),
            ("ThrottlingException", Throttled),
            ("RequestLimitExceeded", Throttled),
            ("TooManyRequestsException", Throttled),
            ("ServiceUnavailable", Provider),
            ("InternalFailure", Provider),
            // Unlisted codes: naming patterns, then status.
            ("SomethingNotFoundException", NotFound),
            ("ResourceAlreadyExists", AlreadyExists),
            ("InvalidWidget", InvalidInput),
            ("TooManyWidgets", QuotaExceeded),
            ("WidgetQuotaLimitExceeded", QuotaExceeded),
            ("WidgetInUseException", Conflict),
            ("Mystery", Provider),
        ];
        for (code, kind) in cases {
            assert_eq!(map_code(code, 400), kind, "{code}");
        }
        // Classic ELB's InvalidConfigurationRequest is HTTP 409: the change
        // conflicts with the balancer as it is; ELBv2's is a 400 input error.
        assert_eq!(map_code("InvalidConfigurationRequest", 409), Conflict);
        assert_eq!(map_code("InvalidConfigurationRequest", 400), InvalidInput);
        // Throttling stays throttling although it looks like a quota.
        assert_eq!(map_code("RequestLimitExceeded", 400), Throttled);
        assert_eq!(map_code("TooManyRequestsException", 400), Throttled);
        assert_eq!(map_code("Mystery", 403), PermissionDenied);
        assert_eq!(map_code("Mystery", 500), Provider);
    }

    #[test]
    fn status_fallback() {
        use ErrorKind::*;
        for (status, kind) in [
            (401, Unauthenticated),
            (403, PermissionDenied),
            (404, NotFound),
            (408, Timeout),
            (429, Throttled),
            (400, Provider),
            (418, Provider),
            (500, Provider),
            (503, Provider),
            (302, InvalidResponse),
            (100, InvalidResponse),
        ] {
            assert_eq!(kind_for_status(status), kind, "{status}");
        }
    }

    #[test]
    fn to_error_carries_everything_and_prefers_body_request_id() {
        let body = b"<ErrorResponse><Error><Code>LoadBalancerNotFound</Code><Message>no 'x'</Message></Error><RequestId>body-id</RequestId></ErrorResponse>";
        let err = to_error(
            "elb",
            "DescribeLoadBalancers",
            parse_error_response(400, body),
            Some("hdr-id"),
        );
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert_eq!(err.provider(), Some("elb"));
        assert_eq!(err.operation(), Some("DescribeLoadBalancers"));
        assert_eq!(err.action(), Some("DescribeLoadBalancers"));
        assert_eq!(err.code(), Some("LoadBalancerNotFound"));
        assert_eq!(err.message(), "no 'x'");
        assert_eq!(err.status(), Some(400));
        assert_eq!(err.request_id(), Some("body-id"));

        let err = to_error(
            "elb",
            "X",
            parse_error_response(500, b"<html>boom</html>"),
            Some("hdr-id"),
        );
        assert_eq!(err.kind(), ErrorKind::Provider);
        assert!(err.is_retryable());
        assert_eq!(err.request_id(), Some("hdr-id"));
        assert!(err.message().contains("HTTP 500") && err.message().contains("boom"));

        let err = to_error(
            "elb",
            "X",
            parse_error_response(429, b"<Error><Code>Mystery</Code></Error>"),
            None,
        );
        assert_eq!(err.kind(), ErrorKind::Throttled);
        let err = to_error("elb", "X", parse_error_response(500, b""), None);
        assert_eq!(err.message(), "HTTP 500 answer with an empty body");
    }
}
