//! The one public error type of lbcloud.
//!
//! Every driver converts its private failures into [`Error`] in one place, so
//! callers match on [`ErrorKind`] and never on provider-specific types.

use std::fmt;

/// A boxed error that caused an [`Error`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The result type used across lbcloud.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in provider-neutral terms.
///
/// The kind decides [`Error::is_retryable`]. New kinds may be added, so
/// matches need a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The balancer, member or policy does not exist.
    NotFound,
    /// A resource with that name or id already exists.
    AlreadyExists,
    /// The resource is in use or in a state that forbids the change (ELBv2
    /// `ResourceInUse`, an HAProxy server that is not in maintenance).
    Conflict,
    /// An account or resource quota would be exceeded (`TooManyLoadBalancers`).
    QuotaExceeded,
    /// The caller's input broke a rule; [`Error::field`] names the field.
    InvalidInput,
    /// The credentials are missing, malformed, expired or rejected.
    Unauthenticated,
    /// The credentials are valid but not allowed to do this.
    PermissionDenied,
    /// The provider asked us to slow down.
    Throttled,
    /// The driver does not support this operation; no request was sent.
    Unsupported,
    /// The request or the whole call ran past its time budget.
    Timeout,
    /// The connection failed or broke before a full answer arrived.
    Transport,
    /// The provider answered with something we could not understand.
    InvalidResponse,
    /// Any other error the provider reported, including its 5xx answers.
    Provider,
}

impl ErrorKind {
    /// Whether an operation that failed with this kind may succeed when sent again.
    ///
    /// Throttling, timeouts and transport failures are transient. `Provider`
    /// errors are retryable only when they are server faults (HTTP 5xx); see
    /// [`Error::is_retryable`].
    pub fn is_retryable(self) -> bool {
        matches!(self, Self::Throttled | Self::Timeout | Self::Transport)
    }
}

/// The error of every lbcloud operation.
///
/// Carries the [`ErrorKind`], a human message, and where known the provider,
/// the operation, the offending input field, the provider's own error code and
/// message, the HTTP status, the request id and the underlying cause.
/// It never carries credentials.
///
/// ```
/// use lbcloud_core::{Error, ErrorKind};
///
/// let err = Error::invalid_input("name", "must be 1 to 32 characters");
/// assert_eq!(err.kind(), ErrorKind::InvalidInput);
/// assert_eq!(err.field(), Some("name"));
/// assert!(!err.is_retryable());
/// assert_eq!(err.to_string(), "invalid input: `name` must be 1 to 32 characters");
/// ```
#[derive(thiserror::Error)]
#[error(transparent)]
pub struct Error {
    // Boxed so `Result<T>` stays one pointer wide on the happy path.
    inner: Box<Inner>,
}

#[derive(Debug, thiserror::Error)]
#[error("{}", Rendered(self))]
struct Inner {
    kind: ErrorKind,
    message: String,
    field: Option<String>,
    provider: Option<String>,
    operation: Option<String>,
    action: Option<String>,
    code: Option<String>,
    status: Option<u16>,
    request_id: Option<String>,
    attempts: Option<u32>,
    #[source]
    source: Option<BoxError>,
}

impl Error {
    /// A new error of `kind` with a human-readable message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                field: None,
                provider: None,
                operation: None,
                action: None,
                code: None,
                status: None,
                request_id: None,
                attempts: None,
                source: None,
            }),
        }
    }

    /// An [`ErrorKind::InvalidInput`] error naming the field and the rule it broke.
    pub fn invalid_input(field: impl Into<String>, rule: impl Into<String>) -> Self {
        let field = field.into();
        let mut err = Self::new(ErrorKind::InvalidInput, rule);
        err.inner.field = Some(field);
        err
    }

    /// An [`ErrorKind::Unsupported`] error for an operation the driver lacks.
    pub fn unsupported(operation: impl Into<String>, why: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unsupported, why).with_operation(operation)
    }

    /// An [`ErrorKind::NotFound`] error for a missing resource.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }

    /// Sets the provider that reported the error (for example `elb`).
    pub fn with_provider(mut self, provider: impl Into<String>) -> Self {
        self.inner.provider = Some(provider.into());
        self
    }

    /// Sets the operation that failed (for example `create_balancer`).
    pub fn with_operation(mut self, operation: impl Into<String>) -> Self {
        self.inner.operation = Some(operation.into());
        self
    }

    /// Sets the provider action that failed (for example the AWS action
    /// `CreateTargetGroup` inside the lbcloud operation `create_balancer`).
    pub fn with_action(mut self, action: impl Into<String>) -> Self {
        self.inner.action = Some(action.into());
        self
    }

    /// Sets the input field the error is about.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.inner.field = Some(field.into());
        self
    }

    /// Sets the provider's own error code (for example `LoadBalancerNotFound`).
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.inner.code = Some(code.into());
        self
    }

    /// Sets the HTTP status of the answer that carried the error.
    pub fn with_status(mut self, status: u16) -> Self {
        self.inner.status = Some(status);
        self
    }

    /// Sets the provider's request id, for support cases.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.inner.request_id = Some(request_id.into());
        self
    }

    /// Sets how many requests were sent before the operation gave up
    /// (retries included).
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = Some(attempts);
        self
    }

    /// Sets the underlying cause.
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.inner.source = Some(source.into());
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The human-readable message (the provider's message where it sent one).
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The input field the error is about, for [`ErrorKind::InvalidInput`].
    pub fn field(&self) -> Option<&str> {
        self.inner.field.as_deref()
    }

    /// The provider that reported the error.
    pub fn provider(&self) -> Option<&str> {
        self.inner.provider.as_deref()
    }

    /// The operation that failed.
    pub fn operation(&self) -> Option<&str> {
        self.inner.operation.as_deref()
    }

    /// The provider action that failed, where it differs from the operation.
    pub fn action(&self) -> Option<&str> {
        self.inner.action.as_deref()
    }

    /// The provider's own error code.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// The HTTP status of the answer, when the error came from one.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// The provider's request id.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// How many requests were sent before the operation gave up (retries
    /// included), where the driver counts them; `None` for errors raised
    /// before any request.
    pub fn attempts(&self) -> Option<u32> {
        self.inner.attempts
    }

    /// Whether sending the same request again may succeed.
    ///
    /// True for throttling, timeouts, transport failures and provider
    /// errors that came with an HTTP 5xx status.
    pub fn is_retryable(&self) -> bool {
        self.inner.kind.is_retryable()
            || (self.inner.kind == ErrorKind::Provider
                && self.inner.status.is_some_and(|s| (500..600).contains(&s)))
    }
}

/// Renders an [`Inner`] as `kind: `field` message (context)`.
struct Rendered<'a>(&'a Inner);

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let this = self.0;
        let kind = match this.kind {
            ErrorKind::NotFound => "not found",
            ErrorKind::AlreadyExists => "already exists",
            ErrorKind::Conflict => "conflict",
            ErrorKind::QuotaExceeded => "quota exceeded",
            ErrorKind::InvalidInput => "invalid input",
            ErrorKind::Unauthenticated => "unauthenticated",
            ErrorKind::PermissionDenied => "permission denied",
            ErrorKind::Throttled => "throttled",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Transport => "transport error",
            ErrorKind::InvalidResponse => "invalid response",
            ErrorKind::Provider => "provider error",
        };
        write!(f, "{kind}: ")?;
        if let Some(field) = &this.field {
            write!(f, "`{field}` ")?;
        }
        f.write_str(&this.message)?;
        let mut context = Vec::new();
        if let Some(p) = &this.provider {
            context.push(format!("provider {p}"));
        }
        if let Some(o) = &this.operation {
            context.push(format!("operation {o}"));
        }
        if let Some(a) = &this.action {
            context.push(format!("action {a}"));
        }
        if let Some(c) = &this.code {
            context.push(format!("code {c}"));
        }
        if let Some(s) = this.status {
            context.push(format!("HTTP {s}"));
        }
        if let Some(r) = &this.request_id {
            context.push(format!("request id {r}"));
        }
        if !context.is_empty() {
            write!(f, " ({})", context.join(", "))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &i.kind).field("message", &i.message);
        if let Some(v) = &i.field {
            d.field("field", v);
        }
        if let Some(v) = &i.provider {
            d.field("provider", v);
        }
        if let Some(v) = &i.operation {
            d.field("operation", v);
        }
        if let Some(v) = &i.action {
            d.field("action", v);
        }
        if let Some(v) = &i.code {
            d.field("code", v);
        }
        if let Some(v) = &i.status {
            d.field("status", v);
        }
        if let Some(v) = &i.request_id {
            d.field("request_id", v);
        }
        if let Some(v) = &i.attempts {
            d.field("attempts", v);
        }
        if let Some(v) = &i.source {
            d.field("source", v);
        }
        d.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_every_piece_of_context() {
        let err = Error::new(
            ErrorKind::NotFound,
            "There is no ACTIVE Load Balancer named 'x'",
        )
        .with_provider("elb")
        .with_operation("get_balancer")
        .with_action("DescribeLoadBalancers")
        .with_code("LoadBalancerNotFound")
        .with_status(400)
        .with_request_id("req-1");
        assert_eq!(
            err.to_string(),
            "not found: There is no ACTIVE Load Balancer named 'x' (provider elb, operation \
             get_balancer, action DescribeLoadBalancers, code LoadBalancerNotFound, HTTP 400, request id req-1)"
        );
    }

    #[test]
    fn retryable_follows_kind_and_server_status() {
        assert!(Error::new(ErrorKind::Throttled, "slow down").is_retryable());
        assert!(
            Error::new(ErrorKind::Provider, "oops")
                .with_status(503)
                .is_retryable()
        );
        assert!(
            !Error::new(ErrorKind::Provider, "bad")
                .with_status(400)
                .is_retryable()
        );
        assert!(!Error::new(ErrorKind::NotFound, "gone").is_retryable());
    }

    #[test]
    fn source_is_exposed() {
        let io = std::io::Error::other("reset");
        let err = Error::new(ErrorKind::Transport, "connection reset").with_source(io);
        let source = std::error::Error::source(&err).map(|s| s.to_string());
        assert_eq!(source.as_deref(), Some("reset"));
    }
}
