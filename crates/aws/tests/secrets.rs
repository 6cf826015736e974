//! No secret of any credentials source reaches `Debug` of a builder or a
//! client, nor a build-time error: container authorization tokens,
//! credential_process arguments, profile keys behind a role, proxy
//! passwords, web identity tokens, IAM Identity Center (SSO) access and
//! refresh tokens and client secrets.

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
    "sso-access-SECRET",
    "sso-refresh-SECRET",
    "sso-client-SECRET",
];

fn assert_clean(what: &str, text: &str) {
    assert_no_secret(what, text, SECRETS);
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
         [profile half]\naws_access_key_id = AKIDHALF\naws_session_token = static-key-SECRET\nregion = us-east-1\n\
         [profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = us-east-1\n\
         [profile sso-half]\nsso_session = corp\nsso_account_id = 123456789012\nregion = us-east-1\n\
         [sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n",
    )
    .unwrap();
    // The token cache of session `corp` (SHA-1 of the name), as `aws sso login` leaves it.
    let cache = dir.join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(
        cache.join("ee0bfd2552fbd840c02cc48b6e823320543c450f.json"),
        r#"{"accessToken":"sso-access-SECRET","expiresAt":"2099-01-01T00:00:00Z","refreshToken":"sso-refresh-SECRET",
            "clientId":"c","clientSecret":"sso-client-SECRET","registrationExpiresAt":"2099-01-01T00:00:00Z"}"#,
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
        .with_home(&dir)
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
        ("sso", files("sso")),
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
    // So does an SSO profile without its role.
    let err = AwsClient::builder(ELB)
        .env(files("sso-half"))
        .build()
        .unwrap_err();
    assert_eq!(err.field(), Some("sso_role_name"));
    assert!(err.message().contains("profile `sso-half`"), "{err}");
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
