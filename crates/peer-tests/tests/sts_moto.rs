//! STS `AssumeRole` (chained through profiles) and
//! `AssumeRoleWithWebIdentity` against a real moto server, then calls
//! signed with the credentials they returned. moto remembers which keys it
//! handed to which role, so `GetCallerIdentity` proves whose credentials
//! signed the call.
//!
//! Needs `LBCLOUD_MOTO_ENDPOINT` (set by
//! `scripts/test.sh`); without the variable every test here fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[path = "../../aws/tests/support/mod.rs"]
mod support;

use lbcloud_aws::{AwsClient, QueryParams};
use support::*;

fn moto() -> String {
    std::env::var("LBCLOUD_MOTO_ENDPOINT").expect(
        "LBCLOUD_MOTO_ENDPOINT is not set: start moto_server and export it (scripts/test.sh does)",
    )
}

/// The ARN moto says signed a `GetCallerIdentity` made with `client_env`.
async fn caller_arn(client_env: lbcloud_aws::Env) -> String {
    let sts = AwsClient::builder(STS)
        .env(client_env)
        .endpoint(moto())
        .build()
        .unwrap();
    let body = sts
        .send(QueryParams::new("GetCallerIdentity", STS.api_version))
        .await
        .unwrap();
    let text = String::from_utf8(body.to_vec()).unwrap();
    let start = text.find("<Arn>").expect("an Arn") + 5;
    let end = text[start..].find("</Arn>").unwrap() + start;
    text[start..end].to_owned()
}

#[tokio::test]
async fn assume_role_chained_through_two_profiles_on_moto() {
    let dir = temp_dir("moto-role");
    let config = dir.join("config");
    std::fs::write(
        &config,
        "[profile base]\naws_access_key_id = AKIDMOTOBASE\naws_secret_access_key = moto-base-secret\n\
         [profile mid]\nrole_arn = arn:aws:iam::123456789012:role/lbcloud-mid\nsource_profile = base\n\
         [profile top]\nrole_arn = arn:aws:iam::123456789012:role/lbcloud-top\nsource_profile = mid\n\
         role_session_name = lbcloud-moto-chain\nregion = us-east-1\n",
    )
    .unwrap();
    let config = config.display().to_string();
    let moto = moto();
    let make_env = || {
        env(&[
            ("AWS_CONFIG_FILE", &config),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
            ("AWS_PROFILE", "top"),
            ("AWS_ENDPOINT_URL", &moto),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ])
    };
    assert_eq!(
        caller_arn(make_env()).await,
        "arn:aws:sts::123456789012:assumed-role/lbcloud-top/lbcloud-moto-chain"
    );
    // The same chain drives a real ELB call.
    let elb = AwsClient::builder(ELB).env(make_env()).build().unwrap();
    assert_eq!(elb.endpoint(), moto.trim_end_matches('/'));
    let body = elb.send(describe()).await.unwrap();
    assert!(String::from_utf8_lossy(&body).contains("DescribeLoadBalancersResult"));
    let shown = format!("{elb:?}");
    assert!(
        shown.contains("ASIA") && !shown.contains("moto-base-secret"),
        "{shown}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn assume_role_with_web_identity_on_moto() {
    let dir = temp_dir("moto-web");
    let token = dir.join("token");
    std::fs::write(
        &token,
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsYmNsb3VkIn0.c2ln\n",
    )
    .unwrap();
    let token = token.display().to_string();
    let moto = moto();
    let arn = caller_arn(env(&[
        ("AWS_WEB_IDENTITY_TOKEN_FILE", &token),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/lbcloud-web"),
        ("AWS_ROLE_SESSION_NAME", "lbcloud-moto-web"),
        ("AWS_ENDPOINT_URL_STS", &moto),
        ("AWS_REGION", "us-east-1"),
    ]))
    .await;
    assert_eq!(
        arn,
        "arn:aws:sts::123456789012:assumed-role/lbcloud-web/lbcloud-moto-web"
    );
    std::fs::remove_dir_all(&dir).ok();
}
