//! Profile credentials: `credential_process` with a real program, roles
//! chained through `source_profile` and `credential_source` (STS scripted
//! on loopback; the moto runs are in `crates/peer-tests/tests/sts_moto.rs`), web identity, the
//! chain's order across real sources, and the configuration errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use lbcloud_aws::AwsClient;
use lbcloud_core::ErrorKind;
use lbcloud_testserver::{Reply, TestServer};
use support::*;

fn write_script(dir: &Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

#[tokio::test]
async fn credential_process_runs_the_program_directly_with_split_arguments() {
    let dir = temp_dir("process");
    let script = write_script(
        &dir,
        "creds tool.sh",
        r#"printf '%s\n' "$@" > "$(dirname "$0")/args.txt"
printf '{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "process-secret", "SessionToken": "process-token", "Expiration": "2099-01-01T00:00:00Z"}'"#,
    );
    let config = format!(
        "[profile tool]\nregion = us-west-2\ncredential_process = \"{script}\" 'arg with space' $HOME;echo `id` \"q\\\"uote\"\n"
    );
    let elb = TestServer::start([Reply::status(200).body(OK)]).await;
    let capture = Capture::default();
    let _guard = capture.install();
    let client = AwsClient::builder(ELB)
        .env(config_env(&dir, &config, "tool", &[]))
        .endpoint(elb.url())
        .build()
        .unwrap();
    assert!(
        !dir.join("args.txt").exists(),
        "the program runs at the first request, not at build"
    );
    client.send(describe()).await.unwrap();
    let args = std::fs::read_to_string(dir.join("args.txt")).unwrap();
    // Nothing was interpreted: no variable, no command substitution, no `;`.
    assert_eq!(
        args.lines().collect::<Vec<_>>(),
        ["arg with space", "$HOME;echo", "`id`", "q\"uote"]
    );
    let r = &elb.requests()[0];
    assert_eq!(signed_key(r), "AKIDPROCESS");
    assert_eq!(r.header("x-amz-security-token"), Some("process-token"));
    assert!(r.header("authorization").unwrap().contains("/us-west-2/"));
    let shown = format!("{client:?}");
    for secret in ["process-secret", "process-token"] {
        assert!(
            !shown.contains(secret) && !capture.text().contains(secret),
            "{secret} leaked"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_failing_or_malformed_credential_process_names_itself_and_no_secret() {
    let dir = temp_dir("process-bad");
    let fails = write_script(
        &dir,
        "fails.sh",
        r#"printf '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"leaked-secret"}'; exit 3"#,
    );
    let old = write_script(
        &dir,
        "v2.sh",
        r#"printf '{"Version":2,"AccessKeyId":"A","SecretAccessKey":"leaked-secret"}'"#,
    );
    let elb = TestServer::start([]).await;
    for (script, needle) in [
        (fails.as_str(), "exit status: 3"),
        (old.as_str(), "Version"),
        ("/nonexistent/tool", "cannot start"),
    ] {
        let config = format!("[profile p]\nregion = us-east-1\ncredential_process = {script}\n");
        let client = AwsClient::builder(ELB)
            .env(config_env(&dir, &config, "p", &[]))
            .endpoint(elb.url())
            .build()
            .unwrap();
        let err = client.send(describe()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unauthenticated, "{err}");
        assert!(
            err.message().contains("credential_process of profile `p`"),
            "{err}"
        );
        assert!(err.message().contains(needle), "{needle}: {err}");
        assert!(!err.to_string().contains("leaked-secret"), "{err}");
    }
    assert_eq!(elb.request_count(), 0);
    // An open quote is caught at build, before anything runs.
    let err = AwsClient::builder(ELB)
        .env(config_env(
            &dir,
            "[profile p]\nregion = us-east-1\ncredential_process = tool 'open\n",
            "p",
            &[],
        ))
        .build()
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::InvalidInput, Some("credential_process"))
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn roles_chain_through_source_profiles_each_signed_with_the_previous_credentials() {
    let dir = temp_dir("role-chain");
    let config = "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n\
        [profile mid]\nrole_arn = arn:aws:iam::123456789012:role/mid\nsource_profile = base\n\
        [profile top]\nrole_arn = arn:aws:iam::123456789012:role/top\nsource_profile = mid\n\
        role_session_name = lbcloud-chain\nexternal_id = ext-1\nduration_seconds = 900\nregion = eu-west-1\n";
    let sts = TestServer::start([
        Reply::status(200).body(sts_answer(
            "AssumeRole",
            "ASIAMID",
            "mid-secret",
            "mid-token",
        )),
        Reply::status(200).body(sts_answer(
            "AssumeRole",
            "ASIATOP",
            "top-secret",
            "top-token",
        )),
    ])
    .await;
    let elb = TestServer::start([Reply::status(200).body(OK), Reply::status(200).body(OK)]).await;
    let capture = Capture::default();
    let _guard = capture.install();
    let client = AwsClient::builder(ELB)
        .env(config_env(
            &dir,
            config,
            "top",
            &[("AWS_ENDPOINT_URL_STS", sts.url())],
        ))
        .endpoint(elb.url())
        .build()
        .unwrap();
    client.send(describe()).await.unwrap();
    client.send(describe()).await.unwrap();
    let calls = sts.requests();
    assert_eq!(calls.len(), 2, "assumed once, then cached");
    assert_eq!(calls[0].form_value("Action").as_deref(), Some("AssumeRole"));
    assert_eq!(
        calls[0].form_value("RoleArn").as_deref(),
        Some("arn:aws:iam::123456789012:role/mid")
    );
    assert_eq!(signed_key(&calls[0]), "AKIDBASE");
    assert!(
        calls[0]
            .header("authorization")
            .unwrap()
            .contains("/eu-west-1/sts/aws4_request")
    );
    assert_eq!(
        calls[1].form_value("RoleArn").as_deref(),
        Some("arn:aws:iam::123456789012:role/top")
    );
    assert_eq!(signed_key(&calls[1]), "ASIAMID");
    assert_eq!(calls[1].header("x-amz-security-token"), Some("mid-token"));
    assert_eq!(
        calls[1].form_value("RoleSessionName").as_deref(),
        Some("lbcloud-chain")
    );
    assert_eq!(calls[1].form_value("ExternalId").as_deref(), Some("ext-1"));
    assert_eq!(
        calls[1].form_value("DurationSeconds").as_deref(),
        Some("900")
    );
    let keys: Vec<String> = elb.requests().iter().map(signed_key).collect();
    assert_eq!(keys, ["ASIATOP", "ASIATOP"]);
    let log = capture.text();
    for secret in [
        "base-secret",
        "mid-secret",
        "mid-token",
        "top-secret",
        "top-token",
    ] {
        assert!(!log.contains(secret), "{secret} in the log");
        assert!(!format!("{client:?}").contains(secret));
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_role_sourced_from_instance_metadata_and_an_sts_refusal() {
    let dir = temp_dir("role-imds");
    let config = "[profile ec2]\nrole_arn = arn:aws:iam::123456789012:role/app\ncredential_source = Ec2InstanceMetadata\nregion = us-east-1\n";
    let imds = TestServer::start([
        Reply::status(200).body("tok"),
        Reply::status(200).body("instance-role"),
        Reply::status(200).body(creds_json(
            "ASIAINSTANCE",
            "inst-secret",
            "inst-token",
            3600,
        )),
    ])
    .await;
    let sts = TestServer::start([
        Reply::status(200).body(sts_answer("AssumeRole", "ASIAAPP", "app-secret", "app-token")),
        Reply::status(403).body(
            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error><RequestId>sts-403</RequestId></ErrorResponse>",
        ),
    ])
    .await;
    let elb = TestServer::start([Reply::status(200).body(OK)]).await;
    let make_env = || {
        let mut e = config_env(
            &dir,
            config,
            "ec2",
            &[
                ("AWS_ENDPOINT_URL_STS", sts.url()),
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()),
            ],
        );
        // config_env disables IMDS for the chain; the role's source needs it.
        e = lbcloud_aws::Env::from_fn({
            let inner = e.clone();
            move |k| {
                if k == "AWS_EC2_METADATA_DISABLED" {
                    None
                } else {
                    inner.var(k)
                }
            }
        })
        .with_home(&dir);
        e
    };
    let client = AwsClient::builder(ELB)
        .env(make_env())
        .endpoint(elb.url())
        .build()
        .unwrap();
    client.send(describe()).await.unwrap();
    assert_eq!(signed_key(&sts.requests()[0]), "ASIAINSTANCE");
    assert_eq!(signed_key(&elb.requests()[0]), "ASIAAPP");

    // A second client: IMDS has no replies left, so use explicit source credentials.
    let refused_cfg = "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/denied\nsource_profile = s\nregion = us-east-1\n\
        [profile s]\naws_access_key_id = AKIDS\naws_secret_access_key = s-secret\n";
    let client = AwsClient::builder(ELB)
        .env(config_env(
            &dir,
            refused_cfg,
            "r",
            &[("AWS_ENDPOINT_URL_STS", sts.url())],
        ))
        .endpoint(elb.url())
        .build()
        .unwrap();
    let err = client.send(describe()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied, "{err}");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert_eq!(err.request_id(), Some("sts-403"));
    assert!(
        err.message()
            .contains("role arn:aws:iam::123456789012:role/denied (profile `r`)"),
        "{err}"
    );
    assert!(
        err.message().contains("STS AssumeRole failed: not allowed"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn web_identity_from_the_environment_is_exchanged_unsigned() {
    let dir = temp_dir("web-identity");
    let token = dir.join("token");
    std::fs::write(&token, "eyJ.web-identity-jwt.sig\n").unwrap();
    let sts = TestServer::start([Reply::status(200).body(sts_answer(
        "AssumeRoleWithWebIdentity",
        "ASIAWEB",
        "web-secret",
        "web-token",
    ))])
    .await;
    let elb = TestServer::start([Reply::status(200).body(OK)]).await;
    let token_path = token.display().to_string();
    let capture = Capture::default();
    let _guard = capture.install();
    let client = AwsClient::builder(ELB)
        .env(env(&[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", &token_path),
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web"),
            ("AWS_ROLE_SESSION_NAME", "lbcloud-web"),
            ("AWS_ENDPOINT_URL_STS", sts.url()),
            ("AWS_REGION", "us-east-2"),
        ]))
        .endpoint(elb.url())
        .build()
        .unwrap();
    client.send(describe()).await.unwrap();
    let call = &sts.requests()[0];
    assert_eq!(
        call.header("authorization"),
        None,
        "AssumeRoleWithWebIdentity is unsigned"
    );
    assert_eq!(
        call.form_value("Action").as_deref(),
        Some("AssumeRoleWithWebIdentity")
    );
    assert_eq!(
        call.form_value("WebIdentityToken").as_deref(),
        Some("eyJ.web-identity-jwt.sig")
    );
    assert_eq!(
        call.form_value("RoleSessionName").as_deref(),
        Some("lbcloud-web")
    );
    assert_eq!(signed_key(&elb.requests()[0]), "ASIAWEB");
    let log = capture.text();
    for secret in ["web-identity-jwt", "web-secret", "web-token"] {
        assert!(!log.contains(secret), "{secret} in the log");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn the_chain_prefers_env_then_profile_then_ecs_then_imds() {
    let dir = temp_dir("order");
    let ecs =
        TestServer::start([Reply::status(200).body(creds_json("ASIAECSORDER", "s", "t", 3600))])
            .await;
    let imds = TestServer::start([
        Reply::status(200).body("tok"),
        Reply::status(200).body("r"),
        Reply::status(200).body(creds_json("ASIAIMDSORDER", "s", "t", 3600)),
    ])
    .await;
    let elb = TestServer::start((0..4).map(|_| Reply::status(200).body(OK))).await;
    let ecs_uri = format!("{}/creds", ecs.url());
    let cfg_path = dir.join("config");
    let cfg = cfg_path.display().to_string();
    let run = |pairs: Vec<(&str, String)>| {
        let client = AwsClient::builder(ELB)
            .env(lbcloud_aws::Env::from_pairs(pairs).with_home(&dir))
            .region("us-east-1")
            .endpoint(elb.url())
            .build()
            .unwrap();
        async move { client.send(describe()).await.unwrap() }
    };
    std::fs::write(
        &cfg_path,
        "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = p\n",
    )
    .unwrap();
    let all = |with_env: bool, with_ecs: bool| {
        let mut v = vec![
            ("AWS_CONFIG_FILE", cfg.clone()),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url().to_owned()),
        ];
        if with_env {
            v.push(("AWS_ACCESS_KEY_ID", "AKIDENV".to_owned()));
            v.push(("AWS_SECRET_ACCESS_KEY", "e".to_owned()));
        }
        if with_ecs {
            v.push(("AWS_CONTAINER_CREDENTIALS_FULL_URI", ecs_uri.clone()));
        }
        v
    };
    run(all(true, true)).await;
    run(all(false, true)).await;
    // A profile with only a region passes on.
    std::fs::write(&cfg_path, "[default]\nregion = us-east-1\n").unwrap();
    run(all(false, true)).await;
    run(all(false, false)).await;
    let keys: Vec<String> = elb.requests().iter().map(signed_key).collect();
    assert_eq!(
        keys,
        ["AKIDENV", "AKIDPROFILE", "ASIAECSORDER", "ASIAIMDSORDER"]
    );
    assert_eq!((ecs.request_count(), imds.request_count()), (1, 3));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn misconfigured_profiles_stop_the_chain_at_build_naming_the_problem() {
    let dir = temp_dir("profile-errors");
    let cases = [
        (
            "[profile s]\nsso_session = corp\nsso_account_id = 1\n",
            "s",
            "sso_session",
            "no [sso-session corp] section",
        ),
        (
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n",
            "a",
            "source_profile",
            "loop",
        ),
        (
            "[profile n]\nrole_arn = arn:aws:iam::123456789012:role/n\n",
            "n",
            "source_profile",
            "neither",
        ),
        (
            "[profile m]\nrole_arn = arn:aws:iam::123456789012:role/m\nsource_profile = gone\n",
            "m",
            "source_profile",
            "does not exist",
        ),
        (
            "[profile both]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = x\ncredential_source = Environment\n",
            "both",
            "credential_source",
            "both",
        ),
        (
            "[profile cs]\nrole_arn = arn:aws:iam::123456789012:role/x\ncredential_source = Moon\n",
            "cs",
            "credential_source",
            "Ec2InstanceMetadata",
        ),
        (
            "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = mfa\nmfa_serial = arn:aws:iam::1:mfa/u\naws_access_key_id = K\naws_secret_access_key = S\n",
            "mfa",
            "mfa_serial",
            "MFA",
        ),
        (
            "[profile bad]\nrole_arn = not-an-arn\nsource_profile = bad\n",
            "bad",
            "role_arn",
            "role ARN",
        ),
        (
            "[profile dur]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = dur\naws_access_key_id = K\naws_secret_access_key = S\nduration_seconds = 60\n",
            "dur",
            "duration_seconds",
            "900",
        ),
    ];
    for (config, profile, field, needle) in cases {
        let err = AwsClient::builder(ELB)
            .env(config_env(&dir, config, profile, &[]))
            .region("us-east-1")
            .build()
            .unwrap_err();
        assert_eq!(err.field(), Some(field), "{profile}: {err}");
        assert!(
            err.message().contains(needle),
            "{profile}: {needle} missing from {err}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
