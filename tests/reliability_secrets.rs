//! Secret hygiene: every type that can hold a credential, rendered every
//! way it can be (`{:?}`, `{:#?}`, `Display`), and the TRACE-level tracing
//! output of real authenticated calls, must never show the secret access
//! key or the session token.
// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// It checks the registry's elb and mock drivers too.
#![cfg(all(feature = "elb", feature = "mock"))]

use std::sync::Arc;
use std::time::Duration;

use lbcloud::{Config, CreateBalancer, Driver, DriverFactory, Member, Protocol, Provider, Secret};
use lbcloud_aws::{AwsClient, Credentials, Env, QueryParams, RetryConfig};
use lbcloud_elb::{ELB_SERVICE, ElbDriver, ElbDriverFactory};
use lbcloud_testserver::{Reply, TestServer};

#[path = "support/capture.rs"]
mod capture;
use capture::Capture;

const KEY: &str = "AKIDHYGIENETEST";
// Distinctive values: a leak of either, or of a long piece of either, is found.
const SECRET: &str = "wJalrHygieneSecretKey/K7MDENG+bPxRfiCY";
const TOKEN: &str = "IQoJb3JpZ2luHygieneSessionToken//wEaCXVzLWVhc3QtMSJH";

/// Fails if `text` shows the secret or the token, or a 12-character piece
/// of either (a truncated or partly escaped leak is still a leak).
fn assert_clean(what: &str, text: &str) {
    for (name, secret) in [("secret key", SECRET), ("session token", TOKEN)] {
        let chars: Vec<char> = secret.chars().collect();
        for window in chars.windows(12) {
            let piece: String = window.iter().collect();
            assert!(
                !text.contains(&piece),
                "{what} shows a piece of the {name} ({piece:?}):\n{text}"
            );
        }
    }
}

/// Renders `value` with `{:?}` and `{:#?}` and checks both.
fn check_debug<T: std::fmt::Debug + ?Sized>(what: &str, value: &T) -> usize {
    assert_clean(&format!("{what} {{:?}}"), &format!("{value:?}"));
    assert_clean(&format!("{what} {{:#?}}"), &format!("{value:#?}"));
    2
}

/// Renders `value` with `{:?}`, `{:#?}` and `{}` and checks all three.
fn check_display<T: std::fmt::Debug + std::fmt::Display + ?Sized>(what: &str, value: &T) -> usize {
    assert_clean(&format!("{what} {{}}"), &format!("{value}"));
    check_debug(what, value) + 1
}

/// An error, its whole source chain, every way.
fn check_error(what: &str, err: &lbcloud::Error) -> usize {
    let mut n = check_display(what, err);
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        assert_clean(&format!("{what} source"), &format!("{s} {s:?}"));
        n += 1;
        source = s.source();
    }
    n
}

fn config() -> Config {
    Config::new()
        .key(KEY)
        .secret(SECRET)
        .token(TOKEN)
        .region("us-east-1")
        .endpoint("http://127.0.0.1:9")
}

fn elb_builder(endpoint: &str) -> lbcloud_elb::ElbDriverBuilder {
    ElbDriver::builder()
        .key(KEY)
        .secret(SECRET)
        .session_token(TOKEN)
        .region("us-east-1")
        .endpoint(endpoint)
        .env(Env::empty())
}

#[test]
fn credential_holders_never_render_a_secret() {
    let mut renders = 0;
    let secret = Secret::new(SECRET);
    renders += check_display("Secret", &secret);
    renders += check_display("Secret token", &Secret::from(TOKEN));
    renders += check_debug("Config", &config());
    renders += check_debug("Config with options", &config().option("page_size", "5"));

    let creds = Credentials::new(KEY, SECRET).with_session_token(TOKEN);
    renders += check_debug("Credentials", &creds);

    let env = Env::from_pairs([
        ("AWS_ACCESS_KEY_ID", KEY),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
    ]);
    renders += check_debug("Env", &env);

    let aws_builder = AwsClient::builder(ELB_SERVICE)
        .credentials(creds.clone())
        .region("us-east-1")
        .endpoint("http://127.0.0.1:9")
        .env(env.clone());
    renders += check_debug("AwsClientBuilder", &aws_builder);
    let client = aws_builder.build().unwrap();
    renders += check_debug("AwsClient", &client);
    // From the environment only: the chain copies the secret out of Env.
    let from_env = AwsClient::builder(ELB_SERVICE)
        .env(env.clone())
        .region("us-east-1")
        .build()
        .unwrap();
    renders += check_debug("AwsClient from Env", &from_env);

    let builder = elb_builder("http://127.0.0.1:9");
    renders += check_debug("ElbDriverBuilder", &builder);
    let elb = builder.build().unwrap();
    renders += check_debug("ElbDriver", &elb);
    renders += check_debug(
        "ElbDriverBuilder from Config",
        &ElbDriver::builder().from_config(&config()),
    );

    let from_factory = ElbDriverFactory.connect(config()).unwrap();
    renders += check_debug("Arc<dyn Driver> (ElbDriverFactory)", &from_factory);
    for provider in [Provider::Elb, Provider::Mock] {
        let driver = lbcloud::get_driver(provider)
            .unwrap()
            .connect(config())
            .unwrap();
        renders += check_debug(&format!("Arc<dyn Driver> ({provider} registry)"), &driver);
        let boxed: Box<dyn Driver> = Box::new(driver.clone());
        renders += check_debug(&format!("Box<dyn Driver> ({provider})"), &boxed);
    }
    let mock = lbcloud::mock::MockDriverFactory.connect(config()).unwrap();
    renders += check_debug("mock driver from Config", &mock);

    // Errors raised while handling credentials.
    let half = ElbDriver::builder()
        .secret(SECRET)
        .env(Env::empty())
        .build()
        .unwrap_err();
    renders += check_error("error: secret without key", &half);
    let bad_option = ElbDriverFactory
        .connect(config().option("secret", SECRET))
        .unwrap_err();
    renders += check_error("error: unknown option named secret", &bad_option);
    let env_half = AwsClient::builder(ELB_SERVICE)
        .env(Env::from_pairs([
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_ACCESS_KEY_ID", ""),
        ]))
        .region("us-east-1")
        .build();
    if let Err(e) = env_half {
        renders += check_error("error: half credentials in env", &e);
    }
    println!("{renders} renderings checked");
}

const DESCRIBE_ONE: &str = "<DescribeLoadBalancersResponse><DescribeLoadBalancersResult>\
    <LoadBalancerDescriptions><member><LoadBalancerName>web</LoadBalancerName>\
    <DNSName>web-1.us-east-1.elb.amazonaws.com</DNSName>\
    <ListenerDescriptions><member><Listener><Protocol>HTTP</Protocol><LoadBalancerPort>80</LoadBalancerPort>\
    <InstanceProtocol>HTTP</InstanceProtocol><InstancePort>80</InstancePort></Listener></member></ListenerDescriptions>\
    <AvailabilityZones><member>us-east-1a</member></AvailabilityZones>\
    <Instances><member><InstanceId>i-1</InstanceId></member></Instances>\
    </member></LoadBalancerDescriptions></DescribeLoadBalancersResult></DescribeLoadBalancersResponse>";

const AUTH_FAILURE: &str = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>\
    <Message>The security token included in the request is invalid.</Message></Error>\
    <RequestId>req-auth</RequestId></ErrorResponse>";

// current_thread: the scoped subscriber below sees everything the call does,
// the HTTP client's connection tasks included.
#[tokio::test(flavor = "current_thread")]
async fn trace_output_of_authenticated_calls_holds_no_secret() {
    let server = TestServer::start([
        // list_balancers: one page.
        Reply::status(200).body(DESCRIBE_ONE),
        // create_balancer: throttled once, then Create, Register, Describe.
        Reply::status(400).body(
            "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>",
        ),
        Reply::status(200).body(
            "<CreateLoadBalancerResponse><CreateLoadBalancerResult><DNSName>web-1.elb</DNSName>\
             </CreateLoadBalancerResult></CreateLoadBalancerResponse>",
        ),
        Reply::status(200).body(
            "<RegisterInstancesWithLoadBalancerResponse><RegisterInstancesWithLoadBalancerResult>\
             <Instances><member><InstanceId>i-1</InstanceId></member></Instances>\
             </RegisterInstancesWithLoadBalancerResult></RegisterInstancesWithLoadBalancerResponse>",
        ),
        Reply::status(200).body(DESCRIBE_ONE),
        // get_balancer: DescribeLoadBalancers and DescribeTags go out
        // together, and the credentials are refused for both.
        Reply::status(403).body(AUTH_FAILURE),
        Reply::status(403).body(AUTH_FAILURE),
        // a raw AwsClient call that breaks off.
        Reply::reset(),
    ])
    .await;
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);

    let retry = RetryConfig::default()
        .with_jitter(Arc::new(|_| Duration::ZERO))
        .with_total_budget(Duration::from_secs(10));
    let elb = elb_builder(server.url())
        // The scripted listing answers DescribeLoadBalancers only.
        .list_tags(false)
        .retry(retry.clone())
        .request_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let listed = elb.list_balancers().await.unwrap();
    assert_eq!(listed.len(), 1);
    let created = elb
        .create_balancer(
            CreateBalancer::new("web", 80, Protocol::Http)
                .zones(["us-east-1a"])
                .member(Member::instance("i-1")),
        )
        .await
        .unwrap();
    assert_eq!(created.name, "web");
    let denied = elb.get_balancer("web").await.unwrap_err();
    assert_eq!(denied.code(), Some("InvalidClientTokenId"));
    check_error("error from a refused authenticated call", &denied);

    let client = AwsClient::builder(ELB_SERVICE)
        .credentials(Credentials::new(KEY, SECRET).with_session_token(TOKEN))
        .region("us-east-1")
        .endpoint(server.url())
        .env(Env::empty())
        .retry(RetryConfig::none())
        .build()
        .unwrap();
    let broken = client
        .send(QueryParams::new("DescribeLoadBalancers", "2012-06-01"))
        .await
        .unwrap_err();
    check_error("error from a broken authenticated call", &broken);
    drop(guard);

    // The token really was in play: sent, and signed, on every request.
    let requests = server.requests();
    assert_eq!(requests.len(), 8);
    for r in &requests {
        assert_eq!(r.header("x-amz-security-token"), Some(TOKEN));
        let auth = r.header("authorization").unwrap();
        assert!(
            auth.contains("x-amz-security-token"),
            "token not signed: {auth}"
        );
    }

    let logs = capture.text();
    // The capture really was at TRACE and saw every call.
    assert!(logs.contains("TRACE"), "no TRACE output captured:\n{logs}");
    assert!(logs.contains("aws_request"), "{logs}");
    assert!(logs.contains("DescribeLoadBalancers"), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    assert!(
        logs.contains(KEY) || logs.contains("response body"),
        "{logs}"
    );
    assert_clean("TRACE output", &logs);
    println!("{} bytes of TRACE output checked", logs.len());
}
