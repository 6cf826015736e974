//! [`AwsClient`]: signs and sends Query requests, with retries.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use lbcloud_core::{Error, ErrorKind, Result};
use tracing::Instrument;
use tracing::field::Empty;

use crate::builder::AwsClientBuilder;
use crate::credentials::CredentialsCache;
use crate::error::{parse_error_response, to_error};
use crate::signing::{CONTENT_TYPE, sign_post};
use crate::skew::{self, SkewCheck};
use crate::{ClientRateLimiter, QueryParams, RetryConfig, RetryMode, Service};

/// Largest successful body accepted. A full DescribeLoadBalancers page of
/// 400 balancers is a few megabytes; this leaves ample room while keeping a
/// misbehaving server from exhausting memory.
const MAX_BODY: usize = 64 * 1024 * 1024;
/// Error bodies are read up to this size; the rest is not needed to classify them.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// A configured connection to one AWS service in one region.
///
/// Cheap to clone: clones share one pooled HTTP client. `Debug` prints no secret.
/// Build one with [`AwsClient::builder`].
#[derive(Clone)]
pub struct AwsClient {
    inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    service: Service,
    region: String,
    endpoint: String,
    auth: Auth,
    retry: RetryConfig,
    request_timeout: Duration,
    http: reqwest::Client,
    /// Whether response bodies may be logged at TRACE (not for STS, whose
    /// answers hold credentials).
    log_bodies: bool,
    /// Server time minus local time, in milliseconds, learnt from a
    /// clock-skew error; added to the signing time. Shared by clones.
    clock_offset_ms: AtomicI64,
    /// The adaptive mode's client-side rate limiter, shared by clones;
    /// `None` in the other modes.
    rate_limiter: Option<ClientRateLimiter>,
}

/// How requests are authenticated.
pub(crate) enum Auth {
    /// SigV4 with credentials from a cache, fetched per attempt.
    Signed(CredentialsCache),
    /// Unsigned, as STS `AssumeRoleWithWebIdentity` wants.
    Anonymous,
}

impl ClientInner {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        service: Service,
        region: String,
        endpoint: String,
        auth: Auth,
        retry: RetryConfig,
        request_timeout: Duration,
        http: reqwest::Client,
        log_bodies: bool,
    ) -> Self {
        let rate_limiter = (retry.mode == RetryMode::Adaptive).then(ClientRateLimiter::new);
        Self {
            service,
            region,
            endpoint,
            auth,
            retry,
            request_timeout,
            http,
            log_bodies,
            clock_offset_ms: AtomicI64::new(0),
            rate_limiter,
        }
    }

    /// Uses `limiter` instead of a fresh one, when the mode is adaptive.
    pub(crate) fn with_rate_limiter(mut self, limiter: Option<ClientRateLimiter>) -> Self {
        if self.rate_limiter.is_some()
            && let Some(limiter) = limiter
        {
            self.rate_limiter = Some(limiter);
        }
        self
    }
}

/// How one attempt ended, before the retry decision.
struct AttemptError {
    error: Error,
    /// The attempt ran out of the *total* budget, not its own timeout.
    budget_exhausted: bool,
    /// The server's `Date` header, when it sent one.
    server_date: Option<SystemTime>,
}

impl AwsClient {
    /// A builder for a client of `service`.
    pub fn builder(service: Service) -> AwsClientBuilder {
        AwsClientBuilder::new(service)
    }

    pub(crate) fn from_inner(inner: ClientInner) -> Self {
        Self {
            inner: Arc::new(inner),
        }
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        &self.inner.region
    }

    /// The endpoint URL requests go to, without a trailing `/`.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The service this client talks to.
    pub fn service(&self) -> &Service {
        &self.inner.service
    }

    /// The retry policy in use.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.inner.retry
    }

    /// The client-side rate limiter in the `adaptive` retry mode (`None`
    /// in `standard` and `legacy`). Clones share it.
    pub fn rate_limiter(&self) -> Option<&ClientRateLimiter> {
        self.inner.rate_limiter.as_ref()
    }

    /// The credentials cache requests are signed from (`None` for an
    /// unsigned client). Clones share it.
    pub fn credentials_cache(&self) -> Option<&CredentialsCache> {
        match &self.inner.auth {
            Auth::Signed(c) => Some(c),
            Auth::Anonymous => None,
        }
    }

    /// The correction applied to the local clock when signing, learnt
    /// from the server's `Date` after a clock-skew error (zero until then).
    pub fn clock_offset(&self) -> Duration {
        Duration::from_millis(
            self.inner
                .clock_offset_ms
                .load(Ordering::Relaxed)
                .unsigned_abs(),
        )
    }

    /// Signs and POSTs one Query request, retrying transient failures.
    ///
    /// On a 2xx answer returns the raw body for the caller to parse.
    /// Otherwise returns an [`Error`] whose kind comes from
    /// [`error::map_code`](crate::error::map_code), carrying the provider,
    /// the operation (the action name), the AWS code and message, the HTTP
    /// status and the request id.
    ///
    /// Retried: throttling, HTTP 5xx, connection failures and attempts that
    /// time out; every attempt is signed afresh. Waits follow
    /// [`RetryConfig`]. The whole call ends within the total budget; when it
    /// runs out the error is [`ErrorKind::Timeout`] with the last failure as
    /// its source. When attempts run out, the last failure is returned as is.
    ///
    /// In the [`adaptive`](RetryMode::Adaptive) mode every attempt first
    /// takes a token from the client's [`ClientRateLimiter`], waiting when
    /// throttling has slowed it; the wait counts against the total budget,
    /// and a wait that would use the budget up is not started (the error is
    /// the budget's [`ErrorKind::Timeout`], naming the attempts made).
    ///
    /// Credentials come from the client's [`CredentialsCache`] on every
    /// attempt, so they are fetched on the first request and refreshed
    /// before they expire. A clock-skew error (`RequestTimeTooSkewed`,
    /// `RequestExpired`, `RequestInTheFuture`, or `InvalidSignatureException`
    /// / `SignatureDoesNotMatch` while the server's `Date` is more than 4
    /// minutes off) corrects the signing clock from that `Date` and is
    /// retried once, beyond [`RetryConfig::max_attempts`].
    ///
    /// Tracing: one `aws_request` span at DEBUG per call with `provider`,
    /// `action`, `region`, and `attempt`, `status`, `request_id` recorded as
    /// they become known; the same under OpenTelemetry's names:
    /// `rpc.system = "aws-api"`, `rpc.service` (such as `Elastic Load
    /// Balancing`), `rpc.method` (the action), `aws.request_id` and
    /// `http.response.status_code`. A DEBUG event per failed attempt and
    /// retry, and one (`request failed`, with `attempts`) when the call
    /// gives up. The
    /// response body is logged only at TRACE. This crate never logs
    /// credentials or the `Authorization` header. `aws-sigv4` logs the
    /// canonical request (which holds the session token) at TRACE; signing
    /// runs with tracing switched off on its thread, so with a tracing
    /// subscriber installed those events are dropped. One case remains:
    /// with `tracing`'s `log` feature and no tracing subscriber (or with its
    /// `log-always` feature) they are forwarded to the `log` crate, so there
    /// keep the `aws_sigv4` log target below TRACE.
    pub async fn send(&self, params: QueryParams) -> Result<Bytes> {
        let inner = &*self.inner;
        let action = params.action();
        let span = tracing::debug_span!(
            "aws_request",
            provider = inner.service.provider,
            action,
            region = %inner.region,
            attempt = Empty,
            status = Empty,
            request_id = Empty,
            rpc.system = "aws-api",
            rpc.service = skew::service_id(&inner.service),
            rpc.method = action,
            aws.request_id = Empty,
            http.response.status_code = Empty,
        );
        let body = params.encode();
        self.send_with_retries(action, body, &span)
            .instrument(span.clone())
            .await
    }

    async fn send_with_retries(
        &self,
        action: &str,
        body: String,
        span: &tracing::Span,
    ) -> Result<Bytes> {
        let inner = &*self.inner;
        let retry = &inner.retry;
        let start = Instant::now();
        let deadline = start.checked_add(retry.total_budget);
        let remaining = || match deadline {
            Some(d) => d.saturating_duration_since(Instant::now()),
            None => Duration::MAX,
        };
        let mut attempt: u32 = 0;
        // Attempts that do not count against max_attempts (a skew retry).
        let mut free_attempts: u32 = 0;
        let mut skew_corrected = false;
        // The failure being retried, for a budget error before the next try.
        let mut last_failure: Option<Error> = None;
        let give_up = |attempts: u32, error: Error| {
            tracing::debug!(attempts, kind = %error.kind(), "request failed");
            Err(error.with_attempts(attempts))
        };
        loop {
            attempt = attempt.saturating_add(1);
            span.record("attempt", attempt);
            let left = remaining();
            if left.is_zero() {
                let err = self.budget_error(action, attempt.saturating_sub(1), start, None, None);
                return give_up(attempt.saturating_sub(1), err);
            }
            // Fetched per attempt: cheap when cached, refreshed when near expiry.
            // A source that fails is not retried here (sources retry on their own).
            // The fetch counts against the total budget like the attempts.
            let credentials = match &inner.auth {
                Auth::Signed(cache) => {
                    match tokio::time::timeout(left, cache.credentials()).await {
                        Ok(Ok(c)) => Some(c),
                        Ok(Err(e)) => return give_up(attempt, self.credentials_error(action, e)),
                        Err(_elapsed) => {
                            let err = self.budget_error(
                                action,
                                attempt.saturating_sub(1),
                                start,
                                None,
                                None,
                            );
                            return give_up(attempt.saturating_sub(1), err);
                        }
                    }
                }
                Auth::Anonymous => None,
            };
            if let Some(limiter) = &inner.rate_limiter {
                match limiter.acquire(remaining()).await {
                    Ok(wait) if !wait.is_zero() => tracing::debug!(
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        "waited for the client-side rate limiter"
                    ),
                    Ok(_) => {}
                    Err(wait) => {
                        let made = attempt.saturating_sub(1);
                        let err =
                            self.budget_error(action, made, start, last_failure.take(), Some(wait));
                        return give_up(made, err);
                    }
                }
            }
            let left = remaining();
            let per_attempt = inner.request_timeout.min(left);
            let capped_by_budget = per_attempt < inner.request_timeout;
            let outcome = match tokio::time::timeout(
                per_attempt,
                self.attempt(action, &body, credentials.as_ref(), span),
            )
            .await
            {
                Ok(result) => result,
                Err(_elapsed) => Err(AttemptError {
                    error: Error::new(
                        ErrorKind::Timeout,
                        format!("no complete answer within {} ms", per_attempt.as_millis()),
                    )
                    .with_provider(inner.service.provider)
                    .with_operation(action),
                    budget_exhausted: capped_by_budget,
                    server_date: None,
                }),
            };
            if let Some(limiter) = &inner.rate_limiter {
                let throttled =
                    matches!(&outcome, Err(f) if f.error.kind() == ErrorKind::Throttled);
                limiter.record(throttled);
            }
            let failure = match outcome {
                Ok(bytes) => return Ok(bytes),
                Err(f) => f,
            };
            tracing::debug!(
                attempt,
                kind = %failure.error.kind(),
                code = failure.error.code().unwrap_or(""),
                "attempt failed"
            );
            if failure.budget_exhausted {
                let err = self.budget_error(action, attempt, start, Some(failure.error), None);
                return give_up(attempt, err);
            }
            if !skew_corrected
                && let SkewCheck::Skewed(offset) = skew::check(
                    failure.error.code(),
                    failure.server_date,
                    self.signing_time(),
                )
            {
                skew_corrected = true;
                free_attempts = 1;
                let total = self
                    .inner
                    .clock_offset_ms
                    .load(Ordering::Relaxed)
                    .saturating_add(offset);
                self.inner.clock_offset_ms.store(total, Ordering::Relaxed);
                tracing::debug!(
                    attempt,
                    clock_offset_ms = total,
                    "clock skew corrected from the server's Date; retrying"
                );
                continue;
            }
            if !failure.error.is_retryable()
                || attempt >= retry.max_attempts.saturating_add(free_attempts)
            {
                return give_up(attempt, failure.error);
            }
            let delay = retry.delay(attempt);
            if delay >= remaining() {
                // Waiting would use up the budget and leave no time to try.
                let err = self.budget_error(action, attempt, start, Some(failure.error), None);
                return give_up(attempt, err);
            }
            tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
            tokio::time::sleep(delay).await;
            last_failure = Some(failure.error);
        }
    }

    /// One signed POST and its classified answer.
    async fn attempt(
        &self,
        action: &str,
        body: &str,
        credentials: Option<&crate::Credentials>,
        span: &tracing::Span,
    ) -> Result<Bytes, AttemptError> {
        let inner = &*self.inner;
        let fail = |error: Error| AttemptError {
            error,
            budget_exhausted: false,
            server_date: None,
        };
        let url = format!("{}/", inner.endpoint);
        let headers = match credentials {
            Some(c) => sign_post(
                c,
                &inner.region,
                inner.service.signing_name,
                &url,
                body.as_bytes(),
                self.signing_time(),
            )
            .map_err(fail)?,
            None => vec![("content-type", CONTENT_TYPE.to_owned())],
        };
        let mut request = inner.http.post(&url).body(body.to_owned());
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request
            .send()
            .await
            .map_err(|e| fail(self.transport_error(action, e)))?;
        let status = response.status().as_u16();
        span.record("status", status);
        span.record("http.response.status_code", status);
        let server_date = response
            .headers()
            .get("date")
            .and_then(|v| v.to_str().ok())
            .and_then(skew::parse_http_date);
        let header_request_id = response
            .headers()
            .get("x-amzn-requestid")
            .or_else(|| response.headers().get("x-amz-request-id"))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if let Some(id) = &header_request_id {
            span.record("request_id", id.as_str());
            span.record("aws.request_id", id.as_str());
        }
        let success = (200..300).contains(&status);
        let limit = if success { MAX_BODY } else { MAX_ERROR_BODY };
        let bytes = read_body(response, limit)
            .await
            .map_err(|e| fail(self.transport_error(action, e)))?;
        if inner.log_bodies {
            tracing::trace!(status, body = %String::from_utf8_lossy(&bytes), "response body");
        }
        if success {
            if bytes.len() > MAX_BODY {
                return Err(fail(
                    Error::new(
                        ErrorKind::InvalidResponse,
                        format!("answer body larger than {MAX_BODY} bytes"),
                    )
                    .with_provider(inner.service.provider)
                    .with_operation(action)
                    .with_status(status),
                ));
            }
            return Ok(bytes);
        }
        let parsed = parse_error_response(status, &bytes);
        if let Some(id) = &parsed.request_id {
            span.record("request_id", id.as_str());
            span.record("aws.request_id", id.as_str());
        }
        Err(AttemptError {
            error: to_error(
                inner.service.provider,
                action,
                parsed,
                header_request_id.as_deref(),
            ),
            budget_exhausted: false,
            server_date,
        })
    }

    /// Now, corrected by the learnt clock offset.
    fn signing_time(&self) -> SystemTime {
        skew::apply(
            SystemTime::now(),
            self.inner.clock_offset_ms.load(Ordering::Relaxed),
        )
    }

    /// A credentials source failed: the error keeps its kind, message
    /// (which names the source), code and request id, and gains the
    /// provider and action.
    fn credentials_error(&self, action: &str, e: Error) -> Error {
        let message = e.message().to_owned();
        crate::credentials::relabel(e, message, self.inner.service.provider, action)
    }

    fn transport_error(&self, action: &str, e: reqwest::Error) -> Error {
        let kind = if e.is_timeout() {
            ErrorKind::Timeout
        } else {
            ErrorKind::Transport
        };
        let what = if e.is_connect() {
            "could not connect"
        } else if e.is_body() || e.is_decode() {
            "the answer broke off"
        } else {
            "the request failed"
        };
        Error::new(kind, format!("{what} ({})", self.inner.endpoint))
            .with_provider(self.inner.service.provider)
            .with_operation(action)
            .with_source(e.without_url())
    }

    fn budget_error(
        &self,
        action: &str,
        attempts: u32,
        start: Instant,
        last: Option<Error>,
        rate_wait: Option<Duration>,
    ) -> Error {
        let mut message = format!(
            "gave up after {attempts} attempt(s) in {} ms: the total time budget of {} ms is used up",
            start.elapsed().as_millis(),
            self.inner.retry.total_budget.as_millis()
        );
        if let Some(wait) = rate_wait {
            message.push_str(&format!(
                " (the adaptive retry mode's rate limiter asked for a {} ms wait)",
                wait.as_millis()
            ));
        }
        if let Some(last) = &last {
            message.push_str(&format!("; last failure: {last}"));
        }
        let mut err = Error::new(ErrorKind::Timeout, message)
            .with_provider(self.inner.service.provider)
            .with_operation(action);
        if let Some(last) = last {
            err = err.with_source(last);
        }
        err
    }
}

/// The most a `Content-Length` header may make us reserve up front. The
/// header is the server's word, so it only sizes the first allocation;
/// a larger body still arrives, growing the buffer as it comes.
const MAX_PREALLOCATION: usize = 8 * 1024 * 1024;

/// Reads the body, stopping once more than `limit` bytes arrived: the
/// caller decides whether a truncated body is usable.
///
/// The buffer is sized from `Content-Length` when there is one: growing it
/// by doubling would end a 1.3 MB page in a 2 MB buffer with the smaller
/// ones it outgrew left behind, which is most of a listing's peak memory.
async fn read_body(mut response: reqwest::Response, limit: usize) -> reqwest::Result<Bytes> {
    let expected = response.content_length().map_or(0, |n| {
        usize::try_from(n).map_or(MAX_PREALLOCATION, |n| n.min(MAX_PREALLOCATION))
    });
    let mut buf = BytesMut::with_capacity(expected.min(limit.saturating_add(1)));
    while let Some(chunk) = response.chunk().await? {
        buf.extend_from_slice(&chunk);
        if buf.len() > limit {
            break;
        }
    }
    Ok(buf.freeze())
}

impl fmt::Debug for AwsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &*self.inner;
        f.debug_struct("AwsClient")
            .field("service", &i.service.provider)
            .field("region", &i.region)
            .field("endpoint", &i.endpoint)
            .field("credentials", &self.credentials_cache())
            .field("retry", &i.retry)
            .field("rate_limiter", &i.rate_limiter)
            .field("request_timeout", &i.request_timeout)
            .finish_non_exhaustive()
    }
}
