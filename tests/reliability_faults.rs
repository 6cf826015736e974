//! The fault matrix: every transport and answer fault, against a read
//! (`list_balancers`), a write (`create_balancer`) and a paginated listing
//! (page size 2, fault on page 3), on the scripted loopback server.
//!
//! One table of faults, one loop. For each fault × operation:
//! - retryable faults: once, then good answers -> success, one extra
//!   attempt; on every attempt -> the fault's error after `MAX_ATTEMPTS`;
//! - permanent faults: one attempt, the error, nothing retried;
//! - always: the ErrorKind, HTTP status and provider code, and that the
//!   call ended within its configured time budget.
//!
//! Retry timing is read from an injected jitter that records the backoff
//! caps it is asked for and waits zero, so the test never sleeps for backoff.
// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lbcloud::{CreateBalancer, Driver, ErrorKind, Protocol, Result};
use lbcloud_elb::{ElbDriver, RetryConfig, fixtures};
use lbcloud_testserver::{Reply, TestServer};

const MAX_ATTEMPTS: u32 = 3;
const BASE_DELAY: Duration = Duration::from_millis(10);
const MAX_DELAY: Duration = Duration::from_millis(15);
const REQUEST_TIMEOUT: Duration = Duration::from_millis(250);
const TOTAL_BUDGET: Duration = Duration::from_secs(3);
/// Scheduling slack on top of a budget, for a loaded 2-core machine.
const SLACK: Duration = Duration::from_millis(750);
/// Longer than REQUEST_TIMEOUT: headers this late, or a body this slow, time out.
const TOO_SLOW: Duration = Duration::from_millis(600);

/// Whether a fault is worth another attempt.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Retry {
    Yes,
    No,
}

struct Fault {
    name: &'static str,
    reply: fn() -> Reply,
    retry: Retry,
    kind: ErrorKind,
    status: Option<u16>,
    code: Option<&'static str>,
    /// A 2xx answer with a bad body: for a write, the write itself
    /// succeeded, so the fault is played on the confirming read instead.
    ok_status: bool,
}

const fn fault(
    name: &'static str,
    reply: fn() -> Reply,
    retry: Retry,
    kind: ErrorKind,
    status: Option<u16>,
    code: Option<&'static str>,
) -> Fault {
    Fault {
        name,
        reply,
        retry,
        kind,
        status,
        code,
        ok_status: false,
    }
}

const fn bad_200(name: &'static str, reply: fn() -> Reply) -> Fault {
    Fault {
        name,
        reply,
        retry: Retry::No,
        kind: ErrorKind::InvalidResponse,
        status: None,
        code: None,
        ok_status: true,
    }
}

fn aws_error(status: u16, code: &str) -> Reply {
    Reply::status(status)
        .header("x-amzn-RequestId", "req-fault")
        .body(format!(
            "<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/\">\
             <Error><Type>Sender</Type><Code>{code}</Code><Message>scripted {code}</Message></Error>\
             <RequestId>req-fault</RequestId></ErrorResponse>"
        ))
}

fn html(status: u16) -> Reply {
    Reply::status(status)
        .header("content-type", "text/html")
        .body(format!(
            "<!DOCTYPE html><html><head><title>{status}</title></head>\
             <body><h1>Error {status}</h1><p>upstream said no<br></p></body></html>"
        ))
}

/// The big good page, for faults that need a long body.
fn long_page() -> String {
    fixtures::describe_load_balancers_page(0, 3, None)
}

fn faults() -> Vec<Fault> {
    use ErrorKind::*;
    use Retry::*;
    vec![
        fault(
            "400 Throttling",
            || aws_error(400, "Throttling"),
            Yes,
            Throttled,
            Some(400),
            Some("Throttling"),
        ),
        fault(
            "400 RequestLimitExceeded",
            || aws_error(400, "RequestLimitExceeded"),
            Yes,
            Throttled,
            Some(400),
            Some("RequestLimitExceeded"),
        ),
        fault(
            "429 with no body",
            || Reply::status(429),
            Yes,
            Throttled,
            Some(429),
            None,
        ),
        fault(
            "429 with XML",
            || aws_error(429, "TooManyRequestsException"),
            Yes,
            Throttled,
            Some(429),
            Some("TooManyRequestsException"),
        ),
        fault(
            "500 with XML",
            || aws_error(500, "InternalFailure"),
            Yes,
            Provider,
            Some(500),
            Some("InternalFailure"),
        ),
        fault(
            "500 with HTML",
            || html(500),
            Yes,
            Provider,
            Some(500),
            None,
        ),
        fault(
            "500 with an empty body",
            || Reply::status(500),
            Yes,
            Provider,
            Some(500),
            None,
        ),
        fault(
            "503 with XML",
            || aws_error(503, "ServiceUnavailable"),
            Yes,
            Provider,
            Some(503),
            Some("ServiceUnavailable"),
        ),
        fault(
            "503 with HTML",
            || html(503),
            Yes,
            Provider,
            Some(503),
            None,
        ),
        fault(
            "503 with an empty body",
            || Reply::status(503),
            Yes,
            Provider,
            Some(503),
            None,
        ),
        fault(
            "connection reset before any answer",
            Reply::reset,
            Yes,
            Transport,
            None,
            None,
        ),
        fault(
            "connection closed before any answer",
            Reply::close,
            Yes,
            Transport,
            None,
            None,
        ),
        fault(
            "connection closed in the middle of the body",
            || Reply::status(200).body(long_page()).truncate_after(700),
            Yes,
            Transport,
            None,
            None,
        ),
        fault(
            "headers slower than the request timeout",
            || Reply::status(200).body(long_page()).delay(TOO_SLOW),
            Yes,
            Timeout,
            None,
            None,
        ),
        fault(
            "body trickling past the request timeout",
            || {
                Reply::status(200)
                    .body(long_page())
                    .trickle(64, Duration::from_millis(20))
            },
            Yes,
            Timeout,
            None,
            None,
        ),
        fault(
            "400 AccessDenied",
            || aws_error(400, "AccessDenied"),
            No,
            PermissionDenied,
            Some(400),
            Some("AccessDenied"),
        ),
        fault(
            "403 InvalidClientTokenId",
            || aws_error(403, "InvalidClientTokenId"),
            No,
            Unauthenticated,
            Some(403),
            Some("InvalidClientTokenId"),
        ),
        fault(
            "400 ValidationError",
            || aws_error(400, "ValidationError"),
            No,
            InvalidInput,
            Some(400),
            Some("ValidationError"),
        ),
        bad_200("200 with truncated XML", || {
            let page = fixtures::describe_load_balancers_page(0, 2, None);
            Reply::status(200).body(&page.as_bytes()[..page.len() / 2])
        }),
        bad_200("200 with invalid UTF-8", || {
            let mut body = fixtures::describe_load_balancers_page(0, 1, None).into_bytes();
            let at = body.windows(4).position(|w| w == b"lb-0").unwrap();
            body.splice(at..at + 2, [0xff, 0xfe, 0xc3]);
            Reply::status(200).body(body)
        }),
        bad_200("200 with XML of the wrong shape", || {
            Reply::status(200).body("<DescribeLoadBalancersResponse><DescribeLoadBalancersResult><LoadBalancerDescriptions><member><LoadBalancerName><b>x</b></LoadBalancerName></member></LoadBalancerDescriptions></DescribeLoadBalancersResult></DescribeLoadBalancersResponse>")
        }),
        bad_200("200 with another action's answer", || {
            Reply::status(200).body("<DeleteLoadBalancerResponse><DeleteLoadBalancerResult/></DeleteLoadBalancerResponse>")
        }),
        bad_200("200 with HTML", || html(200)),
        bad_200("200 with an empty body", || Reply::status(200)),
    ]
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// `list_balancers`, one page.
    List,
    /// `create_balancer`: CreateLoadBalancer, then DescribeLoadBalancers.
    Create,
    /// `list_balancers` with page size 2 over three pages; faults on page 3.
    Paged,
}

const CREATED: &str = "lb-000000";

impl Op {
    /// The good answers of the operation, in order.
    fn good(self) -> Vec<Reply> {
        let ok = |xml: String| Reply::status(200).body(xml);
        match self {
            Op::List => vec![ok(fixtures::describe_load_balancers_page(0, 3, None))],
            Op::Create => vec![
                ok("<CreateLoadBalancerResponse><CreateLoadBalancerResult><DNSName>lb-000000-0000000000.us-east-1.elb.amazonaws.com</DNSName></CreateLoadBalancerResult></CreateLoadBalancerResponse>".into()),
                ok(fixtures::describe_load_balancers_page(0, 1, None)),
            ],
            Op::Paged => vec![
                ok(fixtures::describe_load_balancers_page(0, 2, Some("m2"))),
                ok(fixtures::describe_load_balancers_page(2, 2, Some("m4"))),
                ok(fixtures::describe_load_balancers_page(4, 2, None)),
            ],
        }
    }

    /// Which request of the operation the fault replaces.
    fn fault_at(self, fault: &Fault) -> usize {
        match (self, fault.ok_status) {
            (Op::List, _) => 0,
            (Op::Create, false) => 0,
            (Op::Create, true) => 1,
            (Op::Paged, _) => 2,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Op::List => "list_balancers",
            Op::Create => "create_balancer",
            Op::Paged => "list_balancers",
        }
    }

    async fn run(self, elb: &ElbDriver) -> Result<usize> {
        match self {
            Op::List | Op::Paged => elb.list_balancers().await.map(|b| b.len()),
            Op::Create => elb
                .create_balancer(
                    CreateBalancer::new(CREATED, 80, Protocol::Http).zones(["us-east-1a"]),
                )
                .await
                .map(|b| usize::from(b.name == CREATED)),
        }
    }

    /// What a success returns.
    fn expected(self) -> usize {
        match self {
            Op::List => 3,
            Op::Create => 1,
            Op::Paged => 6,
        }
    }
}

type Caps = Arc<Mutex<Vec<Duration>>>;

async fn driver(server: &TestServer, caps: &Caps, page_size: u32) -> ElbDriver {
    let log = caps.clone();
    let retry = RetryConfig::default()
        .with_max_attempts(MAX_ATTEMPTS)
        .with_delays(BASE_DELAY, MAX_DELAY)
        .with_total_budget(TOTAL_BUDGET)
        .with_jitter(Arc::new(move |cap| {
            log.lock().unwrap().push(cap);
            Duration::ZERO
        }));
    ElbDriver::builder()
        // Scripted DescribeLoadBalancers answers only: no tag calls.
        .list_tags(false)
        .key("AKIDFAULTS")
        .secret("fault-matrix-secret")
        .region("us-east-1")
        .endpoint(server.url())
        .env(lbcloud_aws::Env::empty())
        .page_size(page_size)
        .retry(retry)
        .request_timeout(REQUEST_TIMEOUT)
        .connect_timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

/// The backoff caps asked for after failed attempts 1..=n: exponential
/// from BASE_DELAY, capped at MAX_DELAY.
fn expected_caps(n: usize) -> Vec<Duration> {
    (0..n)
        .map(|i| (BASE_DELAY * 2u32.pow(i as u32)).min(MAX_DELAY))
        .collect()
}

/// Plays one script and returns (outcome, requests received, caps asked for, elapsed).
async fn play(
    op: Op,
    script: Vec<Reply>,
) -> (
    Result<usize>,
    usize,
    Vec<Duration>,
    Duration,
    Vec<lbcloud_testserver::Recorded>,
) {
    let server = TestServer::start(script).await;
    let caps: Caps = Arc::default();
    let page_size = if op == Op::Paged { 2 } else { 400 };
    let elb = driver(&server, &caps, page_size).await;
    let start = Instant::now();
    // An outer bound far above the budget: a hang fails the test, not CI.
    let outcome = tokio::time::timeout(TOTAL_BUDGET * 3, op.run(&elb))
        .await
        .unwrap_or_else(|_| panic!("{op:?} hung"));
    let elapsed = start.elapsed();
    let caps = caps.lock().unwrap().clone();
    (
        outcome,
        server.request_count(),
        caps,
        elapsed,
        server.requests(),
    )
}

fn check_error(
    label: &str,
    fault: &Fault,
    op: Op,
    err: &lbcloud::Error,
    problems: &mut Vec<String>,
) {
    if err.kind() != fault.kind {
        problems.push(format!(
            "{label}: kind {:?}, expected {:?} ({err})",
            err.kind(),
            fault.kind
        ));
    }
    if err.status() != fault.status {
        problems.push(format!(
            "{label}: status {:?}, expected {:?} ({err})",
            err.status(),
            fault.status
        ));
    }
    if err.code() != fault.code {
        problems.push(format!(
            "{label}: code {:?}, expected {:?} ({err})",
            err.code(),
            fault.code
        ));
    }
    // Every error, from the transport or from the parser, names the lbcloud operation.
    if err.operation() != Some(op.name()) {
        problems.push(format!("{label}: operation {:?} ({err})", err.operation()));
    }
    if err.provider() != Some("elb") {
        problems.push(format!("{label}: provider {:?} ({err})", err.provider()));
    }
    if fault.code.is_some() && err.request_id() != Some("req-fault") {
        problems.push(format!(
            "{label}: request id {:?} ({err})",
            err.request_id()
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_matrix() {
    let mut problems = Vec::new();
    let mut cells = 0;
    for fault in faults() {
        for op in [Op::List, Op::Create, Op::Paged] {
            cells += 1;
            let at = op.fault_at(&fault);
            let good = op.good();
            let label = format!("{} × {op:?}", fault.name);
            let within_budget = |elapsed: Duration, problems: &mut Vec<String>, what: &str| {
                if elapsed > TOTAL_BUDGET + SLACK {
                    problems.push(format!(
                        "{label} ({what}): took {elapsed:?}, budget {TOTAL_BUDGET:?}"
                    ));
                }
            };

            // 1. The fault once, then good answers.
            let mut script = good.clone();
            script.insert(at, (fault.reply)());
            let (outcome, count, caps, elapsed, requests) = play(op, script).await;
            within_budget(elapsed, &mut problems, "once");
            match (fault.retry, outcome) {
                (Retry::Yes, Ok(n)) => {
                    if n != op.expected() {
                        problems.push(format!(
                            "{label}: got {n} results, expected {}",
                            op.expected()
                        ));
                    }
                    if count != good.len() + 1 {
                        problems.push(format!(
                            "{label}: {count} requests, expected {}",
                            good.len() + 1
                        ));
                    }
                    if caps != expected_caps(1) {
                        problems.push(format!("{label}: backoff caps {caps:?}"));
                    }
                    // The retry repeats the very request that failed (same action, same marker).
                    let form = |i: usize| {
                        requests
                            .get(i)
                            .map(|r| (r.form_value("Action"), r.form_value("Marker")))
                    };
                    if form(at) != form(at + 1) {
                        problems.push(format!(
                            "{label}: retry sent {:?} after {:?}",
                            form(at + 1),
                            form(at)
                        ));
                    }
                }
                (Retry::Yes, Err(e)) => {
                    problems.push(format!("{label}: not retried to success: {e}"))
                }
                (Retry::No, Ok(n)) => problems.push(format!("{label}: accepted ({n})")),
                (Retry::No, Err(e)) => {
                    check_error(&label, &fault, op, &e, &mut problems);
                    if count != at + 1 {
                        problems.push(format!(
                            "{label}: {count} requests, expected {} (no retry)",
                            at + 1
                        ));
                    }
                    if !caps.is_empty() {
                        problems.push(format!(
                            "{label}: a permanent fault asked for backoff {caps:?}"
                        ));
                    }
                }
            }

            // 2. A retryable fault that never clears: the fault's own error
            //    after MAX_ATTEMPTS, with exponential backoff caps between.
            if fault.retry == Retry::Yes {
                let mut script: Vec<Reply> = good[..at].to_vec();
                script.extend((0..MAX_ATTEMPTS).map(|_| (fault.reply)()));
                let (outcome, count, caps, elapsed, _) = play(op, script).await;
                within_budget(elapsed, &mut problems, "every attempt");
                match outcome {
                    Ok(n) => problems.push(format!("{label} (every attempt): succeeded with {n}")),
                    Err(e) => check_error(
                        &format!("{label} (every attempt)"),
                        &fault,
                        op,
                        &e,
                        &mut problems,
                    ),
                }
                let expected = at + MAX_ATTEMPTS as usize;
                if count != expected {
                    problems.push(format!(
                        "{label} (every attempt): {count} requests, expected {expected}"
                    ));
                }
                if caps != expected_caps(MAX_ATTEMPTS as usize - 1) {
                    problems.push(format!("{label} (every attempt): backoff caps {caps:?}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s) in {cells} cells:\n{}",
        problems.len(),
        problems.join("\n")
    );
    println!("{cells} fault × operation cells passed");
}

/// However many attempts are allowed, the whole call ends within the total
/// budget, as a Timeout naming the budget.
#[tokio::test]
async fn total_budget_bounds_every_operation() {
    let budget = Duration::from_millis(400);
    for op in [Op::List, Op::Create, Op::Paged] {
        let mut script = op.good();
        let at = op.fault_at(&faults()[0]);
        script.truncate(at);
        script.extend((0..20).map(|_| Reply::status(503).delay(Duration::from_millis(150))));
        let server = TestServer::start(script).await;
        let caps: Caps = Arc::default();
        let page_size = if op == Op::Paged { 2 } else { 400 };
        let mut elb_retry = RetryConfig::default()
            .with_max_attempts(20)
            .with_delays(Duration::from_millis(20), Duration::from_millis(80))
            .with_total_budget(budget);
        let log = caps.clone();
        elb_retry = elb_retry.with_jitter(Arc::new(move |cap| {
            log.lock().unwrap().push(cap);
            cap
        }));
        let elb = ElbDriver::builder()
            // Scripted DescribeLoadBalancers answers only: no tag calls.
            .list_tags(false)
            .key("AKIDFAULTS")
            .secret("fault-matrix-secret")
            .region("us-east-1")
            .endpoint(server.url())
            .env(lbcloud_aws::Env::empty())
            .page_size(page_size)
            .retry(elb_retry)
            .request_timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let start = Instant::now();
        let err = tokio::time::timeout(Duration::from_secs(10), op.run(&elb))
            .await
            .unwrap()
            .unwrap_err();
        let elapsed = start.elapsed();
        // Pages before the fault are outside this call's retry budget only
        // in time spent; each send has its own budget.
        assert_eq!(err.kind(), ErrorKind::Timeout, "{op:?}: {err}");
        assert!(err.message().contains("budget"), "{op:?}: {err}");
        assert!(
            elapsed < budget + SLACK,
            "{op:?}: took {elapsed:?} for a {budget:?} budget"
        );
        let attempts = server.request_count() - at;
        assert!((2..20).contains(&attempts), "{op:?}: {attempts} attempts");
        let caps = caps.lock().unwrap().clone();
        // Full-cap jitter here: the caps double from 20 ms and stop at 80 ms.
        let want: Vec<Duration> = [20, 40, 80, 80, 80, 80]
            .iter()
            .take(caps.len())
            .map(|ms| Duration::from_millis(*ms))
            .collect();
        assert_eq!(caps, want, "{op:?}");
    }
}
