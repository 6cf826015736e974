//! No secret of any credentials source reaches `Debug` of a builder or a
//! client, nor a build-time error: container authorization tokens,
//! credential_process arguments, profile keys behind a role, proxy
//! passwords, web identity tokens.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use lbcloud_aws::AwsClient;
use support::*;

const SECRETS: &[&str] = &[
    "ecs-auth-SECRET",
    "proc-arg-SECRET",
    "role-source-SECRET",
    "proxy-pass-SECRET",
    "static-key-SECRET",
];

fn assert_clean(what: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{s} leaked in {what}: {text}");
    }
}

#[test]
fn debug_and_build_errors_of_every_source_hold_no_secret() {
    let dir = temp_dir("secrets");
    let config = dir.join("config");
    std::fs::write(
        &config,
        "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = src\nregion = us-east-1\n\
         [profile src]\naws_access_key_id = AKIDSRC\naws_secret_access_key = role-source-SECRET\n\
         [profile proc]\ncredential_process = /bin/tool --token proc-arg-SECRET\nregion = us-east-1\n\
         [profile half]\naws_access_key_id = AKIDHALF\naws_session_token = static-key-SECRET\nregion = us-east-1\n",
    )
    .unwrap();
    let config = config.display().to_string();
    let files = |profile: &str| {
        env(&[
            ("AWS_CONFIG_FILE", &config),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
            ("AWS_PROFILE", profile),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ])
    };
    let ecs = env(&[
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://127.0.0.1:9/creds",
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ecs-auth-SECRET"),
        ("AWS_REGION", "us-east-1"),
    ]);
    for (name, e) in [
        ("role", files("role")),
        ("proc", files("proc")),
        ("ecs", ecs),
    ] {
        let builder = AwsClient::builder(ELB)
            .env(e)
            .proxy("http://user:proxy-pass-SECRET@127.0.0.1:3128");
        assert_clean(name, &format!("{builder:?}"));
        let client = builder.build().unwrap();
        assert_clean(name, &format!("{client:?} {client:#?}"));
    }
    // A half-configured profile fails at build without quoting what it has.
    let err = AwsClient::builder(ELB)
        .env(files("half"))
        .build()
        .unwrap_err();
    assert_eq!(err.field(), Some("aws_secret_access_key"));
    assert_clean("error", &format!("{err} {err:?}"));
    // A bad proxy URL is not echoed.
    let err = AwsClient::builder(ELB)
        .env(files("role"))
        .proxy("http://user:proxy-pass-SECRET@[::bad")
        .build()
        .unwrap_err();
    assert_eq!(err.field(), Some("proxy"));
    assert_clean("proxy error", &format!("{err} {err:?}"));
    std::fs::remove_dir_all(&dir).ok();
}
