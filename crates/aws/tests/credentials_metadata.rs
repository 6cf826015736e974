//! IMDSv2 and ECS container credentials against loopback servers scripted
//! to the documented protocols: the token PUT with its TTL header, the
//! token on every GET, a new token after a 401, credentials that expire
//! during a series of requests (refreshed with no failed request), the
//! region from IMDS, and the errors when a source fails.
//! Every endpoint is injected through `Env`: nothing reaches 169.254.x.x.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use lbcloud_aws::AwsClient;
use lbcloud_core::ErrorKind;
use lbcloud_testserver::{Reply, TestServer};
use support::*;

const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";

fn imds_env(imds: &TestServer) -> lbcloud_aws::Env {
    env(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()),
        ("AWS_REGION", "us-east-1"),
    ])
}

#[tokio::test]
async fn imds_v2_credentials_expire_during_a_series_and_are_refreshed_without_a_failed_request() {
    // The first credentials must be refreshed 5 minutes before they expire:
    // at about t = 2 s. The first ELB answer takes 2.5 s.
    let imds = TestServer::start([
        Reply::status(200)
            .header("x-aws-ec2-metadata-token-ttl-seconds", "21600")
            .body("imds-session-token-1"),
        Reply::status(200).body("demo-role\n"),
        Reply::status(200).body(creds_json(
            "ASIAFIRST",
            "imds-secret-one",
            "imds-token-one",
            300 + 2,
        )),
        Reply::status(200).body("demo-role"),
        Reply::status(200).body(creds_json(
            "ASIASECOND",
            "imds-secret-two",
            "imds-token-two",
            6 * 3600,
        )),
    ])
    .await;
    let elb = slow_first_elb().await;
    let capture = Capture::default();
    let _guard = capture.install();
    let client = AwsClient::builder(ELB)
        .env(imds_env(&imds))
        .endpoint(elb.url())
        .retry(fast_retry())
        .build()
        .unwrap();
    assert_eq!(
        imds.request_count(),
        0,
        "credentials are fetched lazily, not at build"
    );
    let sent = send_series(&client, &elb).await;
    let keys: Vec<String> = sent.iter().map(signed_key).collect();
    assert_eq!(keys, ["ASIAFIRST", "ASIASECOND", "ASIASECOND"]);
    assert_eq!(
        sent[0].header("x-amz-security-token"),
        Some("imds-token-one")
    );
    assert_eq!(
        sent[2].header("x-amz-security-token"),
        Some("imds-token-two")
    );

    let calls = imds.requests();
    assert_eq!(calls.len(), 5, "the session token is reused: {calls:?}");
    assert_eq!(
        (calls[0].method.as_str(), calls[0].path.as_str()),
        ("PUT", "/latest/api/token")
    );
    assert_eq!(
        calls[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert_eq!(calls[2].path, format!("{ROLE_PATH}demo-role"));
    for c in &calls[1..] {
        assert_eq!(c.method, "GET");
        assert_eq!(
            c.header("x-aws-ec2-metadata-token"),
            Some("imds-session-token-1")
        );
    }
    // No secret in Debug or in the TRACE log of the whole series.
    let shown = format!("{client:?}");
    assert!(shown.contains("ASIASECOND"), "{shown}");
    let log = capture.text();
    assert!(log.contains("credentials refreshed"), "{log}");
    for secret in [
        "imds-secret-one",
        "imds-secret-two",
        "imds-token-one",
        "imds-token-two",
        "imds-session-token-1",
    ] {
        assert!(!shown.contains(secret), "{secret} in Debug: {shown}");
        assert!(!log.contains(secret), "{secret} in the log");
    }
}

#[tokio::test]
async fn imds_answers_401_to_a_stale_token_and_a_new_token_is_fetched() {
    let imds = TestServer::start([
        Reply::status(200).body("token-a"),
        Reply::status(401),
        Reply::status(200).body("token-b"),
        Reply::status(200).body("web-role"),
        Reply::status(200).body(creds_json("ASIAAFTER401", "s", "t", 3600)),
    ])
    .await;
    let elb = TestServer::start([Reply::status(200).body(OK)]).await;
    let client = AwsClient::builder(ELB)
        .env(imds_env(&imds))
        .endpoint(elb.url())
        .build()
        .unwrap();
    client.send(describe()).await.unwrap();
    let calls = imds.requests();
    let shape: Vec<(&str, Option<&str>)> = calls
        .iter()
        .map(|c| (c.method.as_str(), c.header("x-aws-ec2-metadata-token")))
        .collect();
    assert_eq!(
        shape,
        [
            ("PUT", None),
            ("GET", Some("token-a")),
            ("PUT", None),
            ("GET", Some("token-b")),
            ("GET", Some("token-b")),
        ]
    );
    assert_eq!(signed_key(&elb.requests()[0]), "ASIAAFTER401");
}

#[tokio::test]
async fn imds_refusing_tokens_or_unreachable_fails_the_request_naming_every_source() {
    // 403 to the token PUT: metadata is turned off on the instance.
    let imds = TestServer::start([Reply::status(403)]).await;
    let elb = TestServer::start([]).await;
    let client = AwsClient::builder(ELB)
        .env(imds_env(&imds))
        .endpoint(elb.url())
        .build()
        .unwrap();
    let err = client.send(describe()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthenticated, "{err}");
    for needle in [
        "no AWS credentials found",
        "AWS_ACCESS_KEY_ID",
        "profile `default`",
        "EC2 instance metadata",
        "403",
    ] {
        assert!(err.message().contains(needle), "{needle} missing: {err}");
    }
    assert_eq!(err.operation(), Some("DescribeLoadBalancers"));
    assert_eq!(elb.request_count(), 0, "nothing is sent unsigned");

    let unreachable = env(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &closed_port_url()),
        ("AWS_REGION", "us-east-1"),
    ]);
    let client = AwsClient::builder(ELB)
        .env(unreachable)
        .endpoint(elb.url())
        .build()
        .unwrap();
    let err = client.send(describe()).await.unwrap_err();
    assert!(
        err.message().contains("could not connect") && err.message().contains("3 attempts"),
        "{err}"
    );
}

#[tokio::test]
async fn region_comes_from_imds_when_nothing_else_names_one() {
    let imds = TestServer::start([
        Reply::status(200).body("tok"),
        Reply::status(200).body("eu-central-1\n"),
    ])
    .await;
    let client = AwsClient::builder(ELB)
        .env(env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url())]))
        .credentials(lbcloud_aws::Credentials::new("K", "S"))
        .build_async()
        .await
        .unwrap();
    assert_eq!(client.region(), "eu-central-1");
    assert_eq!(
        client.endpoint(),
        "https://elasticloadbalancing.eu-central-1.amazonaws.com"
    );
    assert_eq!(
        imds.requests()[1].path,
        "/latest/meta-data/placement/region"
    );

    // Disabled: the usual "region is required" error, and IMDS is not asked.
    let err = AwsClient::builder(ELB)
        .env(env(&[
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ]))
        .credentials(lbcloud_aws::Credentials::new("K", "S"))
        .build_async()
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::InvalidInput, Some("region"))
    );
    assert_eq!(imds.request_count(), 2);
}

#[tokio::test]
async fn ecs_full_uri_with_a_token_file_and_with_a_token_variable() {
    let dir = temp_dir("ecs");
    let token_file = dir.join("token");
    std::fs::write(&token_file, "ecs-auth-from-file\n").unwrap();
    let ecs = TestServer::start([
        Reply::status(200).body(creds_json("ASIAECS", "ecs-secret", "ecs-token", 3600)),
        Reply::status(200).body(creds_json("ASIAECS2", "ecs-secret2", "ecs-token2", 3600)),
        Reply::status(401).body(r#"{"code":"AccessDenied","message":"bad token"}"#),
    ])
    .await;
    // A running IMDS must never be asked when ECS is configured.
    let imds = TestServer::start([]).await;
    let elb = TestServer::start([Reply::status(200).body(OK), Reply::status(200).body(OK)]).await;
    let full_uri = format!("{}/v2/credentials/task", ecs.url());
    let base = |extra: (&str, &str)| {
        env(&[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full_uri),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()),
            ("AWS_REGION", "us-east-1"),
            extra,
        ])
    };
    let token_file_text = token_file.display().to_string();
    let capture = Capture::default();
    let _guard = capture.install();
    let client = AwsClient::builder(ELB)
        .env(base((
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            &token_file_text,
        )))
        .endpoint(elb.url())
        .build()
        .unwrap();
    client.send(describe()).await.unwrap();
    let by_var = AwsClient::builder(ELB)
        .env(base((
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "ecs-auth-from-var",
        )))
        .endpoint(elb.url())
        .build()
        .unwrap();
    by_var.send(describe()).await.unwrap();
    let calls = ecs.requests();
    assert_eq!(calls[0].path, "/v2/credentials/task");
    assert_eq!(calls[0].header("authorization"), Some("ecs-auth-from-file"));
    assert_eq!(calls[1].header("authorization"), Some("ecs-auth-from-var"));
    let keys: Vec<String> = elb.requests().iter().map(signed_key).collect();
    assert_eq!(keys, ["ASIAECS", "ASIAECS2"]);
    assert_eq!(imds.request_count(), 0);

    let refused = AwsClient::builder(ELB)
        .env(base((
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "ecs-auth-wrong",
        )))
        .endpoint(elb.url())
        .build()
        .unwrap();
    let err = refused.send(describe()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthenticated);
    assert!(
        err.message().contains("ECS container credentials") && err.message().contains("401"),
        "{err}"
    );
    assert_eq!(
        imds.request_count(),
        0,
        "a configured source that fails stops the chain"
    );
    let log = capture.text();
    for secret in [
        "ecs-auth-from-file",
        "ecs-auth-from-var",
        "ecs-auth-wrong",
        "ecs-secret",
        "ecs-token",
    ] {
        assert!(!err.to_string().contains(secret), "{secret} in {err}");
        assert!(!log.contains(secret), "{secret} in the log");
        assert!(!format!("{client:?}{by_var:?}").contains(secret));
    }
    std::fs::remove_dir_all(&dir).ok();
}
