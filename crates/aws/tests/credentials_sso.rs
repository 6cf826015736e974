//! IAM Identity Center (SSO) profiles against loopback servers scripted to
//! the documented protocols: the portal's `GetRoleCredentials` (GET
//! `/federation/credentials?account_id=&role_name=` with the
//! `x-amz-sso_bearer_token` header, credentials with an epoch-millisecond
//! expiration) and SSO OIDC `CreateToken` (POST `/token`, JSON, grant
//! `refresh_token`). The token cache lives in a temporary home directory;
//! its file names are the SHA-1 digests of the keys, written out here from
//! an independent computation.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lbcloud_aws::AwsClient;
use lbcloud_core::ErrorKind;
use lbcloud_testserver::{Reply, TestServer};
use serde_json::Value;
use support::*;

/// SHA-1 of `corp`, the session name.
const SESSION_FILE: &str = "ee0bfd2552fbd840c02cc48b6e823320543c450f.json";
/// SHA-1 of the legacy profile's start URL.
const LEGACY_FILE: &str = "76079c82af8bdf7e8bcf07e051b31cb670227b1d.json";
const LEGACY_URL: &str = "https://d-legacy.awsapps.com/start";

const CONFIG: &str = "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = eu-west-1\n\
    [sso-session corp]\nsso_start_url = https://d-corp.awsapps.com/start\nsso_region = eu-central-1\n\
    sso_registration_scopes = sso:account:access\n\
    [profile old]\nsso_start_url = https://d-legacy.awsapps.com/start\nsso_region = us-east-2\n\
    sso_account_id = 210987654321\nsso_role_name = ReadOnly\nregion = us-east-1\n\
    [profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = dev\nregion = eu-west-1\n\
    [profile self]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = self\nsso_session = corp\n\
    sso_account_id = 123456789012\nsso_role_name = Admin\nregion = eu-west-1\n";

/// Every secret the tests hand out.
const SECRETS: &[&str] = &[
    "access-TOKEN-1",
    "access-TOKEN-2",
    "refresh-TOKEN-1",
    "refresh-TOKEN-2",
    "client-SECRET",
    "portal-SECRET-1",
    "portal-SECRET-2",
    "portal-SESSION-1",
    "portal-SESSION-2",
    "role-SECRET",
    "role-SESSION",
];

fn assert_clean(what: &str, text: &str) {
    assert_no_secret(what, text, SECRETS);
}

fn cache_dir(home: &Path) -> PathBuf {
    home.join(".aws").join("sso").join("cache")
}

/// Writes a cache file as `aws sso login` does.
fn write_token(home: &Path, file: &str, doc: &Value) {
    std::fs::create_dir_all(cache_dir(home)).unwrap();
    std::fs::write(cache_dir(home).join(file), doc.to_string()).unwrap();
}

fn read_token(home: &Path, file: &str) -> Value {
    serde_json::from_slice(&std::fs::read(cache_dir(home).join(file)).unwrap()).unwrap()
}

/// The session form's cache file, with a refresh token and a registration.
fn session_token(access: &str, expires_in: i64) -> Value {
    serde_json::json!({
        "startUrl": "https://d-corp.awsapps.com/start",
        "region": "eu-central-1",
        "accessToken": access,
        "expiresAt": rfc3339(expires_in),
        "clientId": "client-id-1",
        "clientSecret": "client-SECRET",
        "registrationExpiresAt": rfc3339(90 * 24 * 3600),
        "refreshToken": "refresh-TOKEN-1",
    })
}

fn legacy_token(access: &str, expires_in: i64) -> Value {
    serde_json::json!({
        "startUrl": LEGACY_URL,
        "region": "us-east-2",
        "accessToken": access,
        "expiresAt": rfc3339(expires_in),
    })
}

/// RFC 3339 text of `now + secs` (negative: in the past).
fn rfc3339(secs: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::seconds(secs);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// The portal's `GetRoleCredentials` answer.
fn portal_answer(key: &str, secret: &str, token: &str, expires_in: u64) -> Reply {
    let at = SystemTime::now() + Duration::from_secs(expires_in);
    let millis = at.duration_since(UNIX_EPOCH).unwrap().as_millis();
    Reply::status(200)
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"roleCredentials":{{"accessKeyId":"{key}","secretAccessKey":"{secret}","sessionToken":"{token}","expiration":{millis}}}}}"#
        ))
}

/// A portal that hands out one set of credentials valid for an hour
/// (`portal-SECRET-1`, `portal-SESSION-1`).
async fn portal_once(key: &str) -> TestServer {
    TestServer::start([portal_answer(
        key,
        "portal-SECRET-1",
        "portal-SESSION-1",
        3600,
    )])
    .await
}

/// A client of profile `profile` of [`CONFIG`], with `home` as the home
/// directory, the portal on loopback and ELB at `endpoint`.
fn sso_client(
    home: &Path,
    profile: &str,
    portal: &TestServer,
    extra: &[(&str, &str)],
    endpoint: &str,
) -> AwsClient {
    let mut pairs = vec![("AWS_ENDPOINT_URL_SSO", portal.url())];
    pairs.extend_from_slice(extra);
    AwsClient::builder(ELB)
        .env(config_env(home, CONFIG, profile, &pairs))
        .endpoint(endpoint)
        .retry(fast_retry())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_session_form_exchanges_the_cached_token_and_signs_with_the_portal_credentials() {
    let home = temp_dir("sso-session");
    write_token(&home, SESSION_FILE, &session_token("access-TOKEN-1", 3600));
    let before = std::fs::read(cache_dir(&home).join(SESSION_FILE)).unwrap();
    let portal = portal_once("ASIAPORTAL").await;
    let elb = TestServer::start([Reply::status(200).body(OK), Reply::status(200).body(OK)]).await;
    let capture = Capture::default();
    let _guard = capture.install();
    let client = sso_client(&home, "dev", &portal, &[], elb.url());
    assert_eq!(portal.request_count(), 0, "fetched lazily, not at build");
    client.send(describe()).await.unwrap();
    client.send(describe()).await.unwrap();

    let calls = portal.requests();
    assert_eq!(calls.len(), 1, "the credentials are cached: {calls:?}");
    assert_eq!(calls[0].method, "GET");
    assert_eq!(
        calls[0].path,
        "/federation/credentials?account_id=123456789012&role_name=Admin"
    );
    assert_eq!(
        calls[0].header("x-amz-sso_bearer_token"),
        Some("access-TOKEN-1")
    );
    assert_eq!(
        calls[0].header("authorization"),
        None,
        "the portal call is not signed"
    );
    for r in elb.requests() {
        assert_eq!(signed_key(&r), "ASIAPORTAL");
        assert_eq!(r.header("x-amz-security-token"), Some("portal-SESSION-1"));
        assert!(
            r.header("authorization")
                .unwrap()
                .contains("/eu-west-1/elasticloadbalancing/"),
            "signed for the client's region, not sso_region"
        );
    }
    assert_eq!(
        std::fs::read(cache_dir(&home).join(SESSION_FILE)).unwrap(),
        before,
        "a valid token is not rewritten"
    );
    assert_clean("Debug", &format!("{client:?} {client:#?}"));
    assert_clean("the log", &capture.text());
    std::fs::remove_dir_all(&home).ok();
}

#[tokio::test]
async fn the_legacy_form_reads_the_token_cached_under_the_start_url() {
    let home = temp_dir("sso-legacy");
    write_token(&home, LEGACY_FILE, &legacy_token("access-TOKEN-1", 3600));
    let portal = portal_once("ASIALEGACY").await;
    let elb = TestServer::start([Reply::status(200).body(OK)]).await;
    let client = sso_client(&home, "old", &portal, &[], elb.url());
    client.send(describe()).await.unwrap();
    let call = &portal.requests()[0];
    assert_eq!(
        call.path,
        "/federation/credentials?account_id=210987654321&role_name=ReadOnly"
    );
    assert_eq!(
        call.header("x-amz-sso_bearer_token"),
        Some("access-TOKEN-1")
    );
    let r = &elb.requests()[0];
    assert_eq!(signed_key(r), "ASIALEGACY");
    assert_eq!(r.header("x-amz-security-token"), Some("portal-SESSION-1"));
    std::fs::remove_dir_all(&home).ok();
}

#[tokio::test]
async fn an_expired_session_token_is_refreshed_once_and_written_back() {
    let home = temp_dir("sso-refresh");
    write_token(&home, SESSION_FILE, &session_token("access-TOKEN-1", -60));
    let oidc = TestServer::start([Reply::status(200)
        .header("content-type", "application/json")
        .body(
            r#"{"accessToken":"access-TOKEN-2","tokenType":"Bearer","expiresIn":28800,"refreshToken":"refresh-TOKEN-2"}"#,
        )])
    .await;
    let portal = TestServer::start([
        portal_answer("ASIAFIRST", "portal-SECRET-1", "portal-SESSION-1", 3600),
        portal_answer("ASIASECOND", "portal-SECRET-2", "portal-SESSION-2", 3600),
    ])
    .await;
    let elb = TestServer::start([Reply::status(200).body(OK), Reply::status(200).body(OK)]).await;
    let capture = Capture::default();
    let _guard = capture.install();
    let oidc_at = [("AWS_ENDPOINT_URL_SSO_OIDC", oidc.url())];
    let make = || sso_client(&home, "dev", &portal, &oidc_at, elb.url());
    make().send(describe()).await.unwrap();
    // A second client (another process, say) reads the rewritten file and
    // needs no refresh.
    make().send(describe()).await.unwrap();

    let calls = oidc.requests();
    assert_eq!(calls.len(), 1, "CreateToken once: {calls:?}");
    assert_eq!(
        (calls[0].method.as_str(), calls[0].path.as_str()),
        ("POST", "/token")
    );
    assert!(
        calls[0]
            .header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    let sent: Value = serde_json::from_slice(&calls[0].body).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({
            "clientId": "client-id-1",
            "clientSecret": "client-SECRET",
            "grantType": "refresh_token",
            "refreshToken": "refresh-TOKEN-1",
        })
    );
    let tokens: Vec<_> = portal
        .requests()
        .iter()
        .map(|r| r.header("x-amz-sso_bearer_token").unwrap().to_owned())
        .collect();
    assert_eq!(tokens, ["access-TOKEN-2", "access-TOKEN-2"]);
    let keys: Vec<String> = elb.requests().iter().map(signed_key).collect();
    assert_eq!(keys, ["ASIAFIRST", "ASIASECOND"]);

    let file = read_token(&home, SESSION_FILE);
    assert_eq!(file["accessToken"], "access-TOKEN-2");
    assert_eq!(file["refreshToken"], "refresh-TOKEN-2");
    assert_eq!(file["clientSecret"], "client-SECRET", "kept");
    assert_eq!(file["startUrl"], "https://d-corp.awsapps.com/start", "kept");
    let expires = time::OffsetDateTime::parse(
        file["expiresAt"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let in_secs = (expires - time::OffsetDateTime::now_utc()).whole_seconds();
    assert!((28_700..=28_800).contains(&in_secs), "{in_secs}");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(cache_dir(&home).join(SESSION_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let names: Vec<_> = std::fs::read_dir(cache_dir(&home))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, [SESSION_FILE], "no temporary file left");
    let log = capture.text();
    assert!(log.contains("IAM Identity Center token refreshed"), "{log}");
    assert_clean("the log", &log);
    std::fs::remove_dir_all(&home).ok();
}

#[tokio::test]
async fn a_failed_refresh_uses_a_token_that_still_works_and_fails_one_that_expired() {
    let home = temp_dir("sso-refresh-fails");
    let refused = || {
        Reply::status(400)
            .header("content-type", "application/json")
            .body(r#"{"error":"invalid_grant","error_description":"refresh-TOKEN-1 is stale"}"#)
    };
    let oidc = TestServer::start([refused(), refused()]).await;
    let portal = portal_once("ASIASTILL").await;
    let elb = TestServer::start([Reply::status(200).body(OK)]).await;
    let capture = Capture::default();
    let _guard = capture.install();
    let oidc_at = [("AWS_ENDPOINT_URL_SSO_OIDC", oidc.url())];
    let make = || sso_client(&home, "dev", &portal, &oidc_at, elb.url());
    // Two minutes left: inside the refresh window, still usable.
    write_token(&home, SESSION_FILE, &session_token("access-TOKEN-1", 120));
    make().send(describe()).await.unwrap();
    assert_eq!(
        portal.requests()[0].header("x-amz-sso_bearer_token"),
        Some("access-TOKEN-1")
    );
    assert!(
        capture
            .text()
            .contains("refreshing the IAM Identity Center token failed"),
        "{}",
        capture.text()
    );
    assert_eq!(
        read_token(&home, SESSION_FILE)["accessToken"],
        "access-TOKEN-1"
    );

    // Expired: the refresh is the only way, and its failure is the error.
    write_token(&home, SESSION_FILE, &session_token("access-TOKEN-1", -5));
    let err = make().send(describe()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthenticated, "{err}");
    let m = err.message();
    assert!(m.contains("SSO profile `dev`"), "{m}");
    assert!(m.contains("refreshing it failed"), "{m}");
    assert!(m.contains("invalid_grant"), "{m}");
    assert!(m.contains("aws sso login --profile dev"), "{m}");
    assert!(m.contains("aws sso login --sso-session corp"), "{m}");
    assert_eq!(oidc.request_count(), 2);
    assert_eq!(portal.request_count(), 1, "no portal call without a token");
    assert_clean("the error", &format!("{err} {err:?}"));
    assert_clean("the log", &capture.text());
    std::fs::remove_dir_all(&home).ok();
}

#[tokio::test]
async fn expired_tokens_that_cannot_be_refreshed_say_to_run_aws_sso_login() {
    let home = temp_dir("sso-expired");
    let portal = TestServer::start([]).await;
    let oidc = TestServer::start([]).await;
    let extra = [("AWS_ENDPOINT_URL_SSO_OIDC", oidc.url())];
    let cases = [
        // The legacy form never refreshes.
        (
            "old",
            LEGACY_FILE,
            legacy_token("access-TOKEN-1", -60),
            "legacy form",
        ),
        // The session form with an expired client registration.
        (
            "dev",
            SESSION_FILE,
            {
                let mut t = session_token("access-TOKEN-1", -60);
                t["registrationExpiresAt"] = Value::String(rfc3339(-1));
                t
            },
            "client registration expired",
        ),
        // The session form without a refresh token.
        (
            "dev",
            SESSION_FILE,
            {
                let mut t = session_token("access-TOKEN-1", -60);
                t.as_object_mut().unwrap().remove("refreshToken");
                t
            },
            "no refresh token",
        ),
    ];
    for (profile, file, token, why) in cases {
        write_token(&home, file, &token);
        let client = sso_client(&home, profile, &portal, &extra, &closed_port_url());
        let err = client.send(describe()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unauthenticated, "{err}");
        let m = err.message();
        assert!(m.contains(&format!("SSO profile `{profile}`")), "{m}");
        assert!(m.contains("expired at"), "{m}");
        assert!(m.contains(why), "{why}: {m}");
        assert!(
            m.contains(&format!("run `aws sso login --profile {profile}`")),
            "{m}"
        );
        assert_clean("the error", &format!("{err} {err:?}"));
    }
    assert_eq!(portal.request_count(), 0);
    assert_eq!(oidc.request_count(), 0, "nothing to refresh with");
    std::fs::remove_dir_all(&home).ok();
}

#[tokio::test]
async fn a_missing_cache_file_names_the_path_it_expected() {
    let home = temp_dir("sso-missing");
    let portal = TestServer::start([]).await;
    for (profile, file) in [("dev", SESSION_FILE), ("old", LEGACY_FILE)] {
        let client = sso_client(&home, profile, &portal, &[], &closed_port_url());
        let err = client.send(describe()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unauthenticated, "{err}");
        let expected = cache_dir(&home).join(file).display().to_string();
        assert!(
            err.message().contains(&format!(
                "no cached IAM Identity Center token at {expected}"
            )),
            "{err}"
        );
        assert!(err.message().contains("aws sso login"), "{err}");
    }
    assert_eq!(portal.request_count(), 0);
    std::fs::remove_dir_all(&home).ok();
}

#[tokio::test]
async fn portal_refusals_name_the_source_and_never_the_token() {
    let home = temp_dir("sso-refused");
    write_token(&home, SESSION_FILE, &session_token("access-TOKEN-1", 3600));
    let portal = TestServer::start([
        Reply::status(401)
            .header(
                "x-amzn-ErrorType",
                "UnauthorizedException:http://internal.amazon.com/",
            )
            .header("x-amzn-RequestId", "portal-req-1")
            .body(r#"{"message":"Session token not found or invalid: access-TOKEN-1"}"#),
        Reply::status(403)
            .header("content-type", "application/json")
            .body(r#"{"__type":"ForbiddenException","message":"No access"}"#),
    ])
    .await;
    for (kind, code) in [
        (ErrorKind::Unauthenticated, "UnauthorizedException"),
        (ErrorKind::PermissionDenied, "ForbiddenException"),
    ] {
        let client = sso_client(&home, "dev", &portal, &[], &closed_port_url());
        let err = client.send(describe()).await.unwrap_err();
        assert_eq!(err.kind(), kind, "{err}");
        assert_eq!(err.code(), Some(code));
        let m = err.message();
        assert!(m.starts_with("credentials from SSO profile `dev`: "), "{m}");
        assert!(m.contains(code), "{m}");
        assert!(m.contains("aws sso login --profile dev"), "{m}");
        assert_clean("the error", &format!("{err} {err:?}"));
    }
    assert_eq!(portal.request_count(), 2, "a 4xx is not retried");
    std::fs::remove_dir_all(&home).ok();
}

#[tokio::test]
async fn credentials_near_expiry_are_refreshed_by_the_cache_without_a_failed_request() {
    // The first credentials are refreshed 5 minutes before they expire, at
    // about t = 2 s; the first ELB answer takes 2.5 s.
    let home = temp_dir("sso-expiry");
    write_token(&home, SESSION_FILE, &session_token("access-TOKEN-1", 3600));
    let portal = TestServer::start([
        portal_answer("ASIAFIRST", "portal-SECRET-1", "portal-SESSION-1", 300 + 2),
        portal_answer("ASIASECOND", "portal-SECRET-2", "portal-SESSION-2", 3600),
    ])
    .await;
    let elb = slow_first_elb().await;
    let client = sso_client(&home, "dev", &portal, &[], elb.url());
    let sent = send_series(&client, &elb).await;
    let keys: Vec<String> = sent.iter().map(signed_key).collect();
    assert_eq!(keys, ["ASIAFIRST", "ASIASECOND", "ASIASECOND"]);
    assert_eq!(
        sent[2].header("x-amz-security-token"),
        Some("portal-SESSION-2")
    );
    assert_eq!(portal.request_count(), 2);
    std::fs::remove_dir_all(&home).ok();
}

#[tokio::test]
async fn a_role_with_an_sso_source_profile_is_assumed_with_the_portal_credentials() {
    let home = temp_dir("sso-role");
    write_token(&home, SESSION_FILE, &session_token("access-TOKEN-1", 3600));
    let capture = Capture::default();
    let _guard = capture.install();
    // `admin` names the SSO profile `dev`; `self` is its own source.
    for profile in ["admin", "self"] {
        let portal = portal_once("ASIAPORTAL").await;
        let sts = TestServer::start([Reply::status(200).body(sts_answer(
            "AssumeRole",
            "ASIAROLE",
            "role-SECRET",
            "role-SESSION",
        ))])
        .await;
        let elb = TestServer::start([Reply::status(200).body(OK)]).await;
        let client = sso_client(
            &home,
            profile,
            &portal,
            &[("AWS_ENDPOINT_URL_STS", sts.url())],
            elb.url(),
        );
        client.send(describe()).await.unwrap();
        let call = &sts.requests()[0];
        assert_eq!(call.form_value("Action").as_deref(), Some("AssumeRole"));
        assert_eq!(
            call.form_value("RoleArn").as_deref(),
            Some("arn:aws:iam::123456789012:role/admin")
        );
        assert_eq!(signed_key(call), "ASIAPORTAL", "{profile}");
        assert_eq!(
            call.header("x-amz-security-token"),
            Some("portal-SESSION-1")
        );
        assert_eq!(
            portal.requests()[0].header("x-amz-sso_bearer_token"),
            Some("access-TOKEN-1")
        );
        let r = &elb.requests()[0];
        assert_eq!(signed_key(r), "ASIAROLE", "{profile}");
        assert_eq!(r.header("x-amz-security-token"), Some("role-SESSION"));
        assert_clean("Debug", &format!("{client:?}"));
    }
    assert_clean("the log", &capture.text());
    std::fs::remove_dir_all(&home).ok();
}
