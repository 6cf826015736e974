//! AwsClientBuilder resolution: precedence of explicit settings, the
//! (injected) environment and the shared files; validation errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;

use lbcloud_aws::{AwsClient, Credentials, Env, Service};
use lbcloud_core::{Config, ErrorKind};

const ELB: Service = Service {
    provider: "elb",
    signing_name: "elasticloadbalancing",
    endpoint_prefix: "elasticloadbalancing",
    endpoint_env: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING",
    api_version: "2012-06-01",
};

fn env(pairs: &[(&str, &str)]) -> Env {
    Env::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

/// A fresh home directory with the given `~/.aws` files.
fn home(name: &str, credentials: Option<&str>, config: Option<&str>) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lbcloud-aws-{name}-{}", std::process::id()));
    let aws = dir.join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    for (file, text) in [("credentials", credentials), ("config", config)] {
        let path = aws.join(file);
        match text {
            Some(t) => std::fs::write(path, t).unwrap(),
            None => {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    dir
}

#[test]
fn endpoint_precedence_explicit_then_service_var_then_generic_then_derived() {
    let both = env(&[
        ("AWS_ACCESS_KEY_ID", "K"),
        ("AWS_SECRET_ACCESS_KEY", "S"),
        ("AWS_REGION", "eu-west-1"),
        (
            "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING",
            "http://127.0.0.1:1111/",
        ),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:2222"),
    ]);
    let b = || AwsClient::builder(ELB).env(both.clone());
    assert_eq!(
        b().endpoint("http://localhost:3333")
            .build()
            .unwrap()
            .endpoint(),
        "http://localhost:3333"
    );
    assert_eq!(b().build().unwrap().endpoint(), "http://127.0.0.1:1111");
    let generic = env(&[
        ("AWS_ACCESS_KEY_ID", "K"),
        ("AWS_SECRET_ACCESS_KEY", "S"),
        ("AWS_DEFAULT_REGION", "cn-north-1"),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:2222"),
    ]);
    let c = AwsClient::builder(ELB).env(generic).build().unwrap();
    assert_eq!(c.endpoint(), "http://127.0.0.1:2222");
    assert_eq!(c.region(), "cn-north-1");
    let derived = AwsClient::builder(ELB)
        .env(env(&[
            ("AWS_ACCESS_KEY_ID", "K"),
            ("AWS_SECRET_ACCESS_KEY", "S"),
            ("AWS_DEFAULT_REGION", "cn-north-1"),
        ]))
        .build()
        .unwrap();
    assert_eq!(
        derived.endpoint(),
        "https://elasticloadbalancing.cn-north-1.amazonaws.com.cn"
    );
}

#[test]
fn region_precedence_and_validation() {
    let e = env(&[
        ("AWS_REGION", "us-west-2"),
        ("AWS_DEFAULT_REGION", "us-west-1"),
    ]);
    let creds = Credentials::new("K", "S");
    let b = || {
        AwsClient::builder(ELB)
            .env(e.clone())
            .credentials(creds.clone())
    };
    assert_eq!(
        b().region("ap-south-1").build().unwrap().region(),
        "ap-south-1"
    );
    assert_eq!(b().build().unwrap().region(), "us-west-2");

    let err = b().region("Mars").build().unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::InvalidInput, Some("region"))
    );
    let err = AwsClient::builder(ELB)
        .env(env(&[("AWS_REGION", "us east")]))
        .credentials(creds.clone())
        .build()
        .unwrap_err();
    assert_eq!(err.field(), Some("region"));
    assert!(err.message().contains("AWS_REGION"), "{}", err.message());

    let dir = home("noregion", None, None);
    let err = AwsClient::builder(ELB)
        .env(Env::from_pairs([("X", "")]).with_home(&dir))
        .credentials(creds)
        .build()
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::InvalidInput, Some("region"))
    );
}

#[test]
fn endpoint_validation_names_the_field_and_source() {
    let creds = Credentials::new("K", "S");
    let err = AwsClient::builder(ELB)
        .env(env(&[]))
        .credentials(creds.clone())
        .region("us-east-1")
        .endpoint("ftp://x")
        .build()
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::InvalidInput, Some("endpoint"))
    );
    let err = AwsClient::builder(ELB)
        .env(env(&[("AWS_ENDPOINT_URL", "not a url")]))
        .credentials(creds)
        .region("us-east-1")
        .build()
        .unwrap_err();
    assert_eq!(err.field(), Some("endpoint"));
    assert!(
        err.message().contains("AWS_ENDPOINT_URL"),
        "{}",
        err.message()
    );
}

#[test]
fn credentials_and_region_from_a_profile_in_the_shared_files() {
    let dir = home(
        "profile",
        Some(
            "[default]\naws_access_key_id = DEFKEY\naws_secret_access_key = DEFSECRET\n[ci]\naws_access_key_id = CIKEY\naws_secret_access_key = CISECRET\n",
        ),
        Some("[default]\nregion = us-east-2\n[profile ci]\nregion = eu-north-1\n"),
    );
    let base = Env::from_pairs([("X", "")]).with_home(&dir);
    let c = AwsClient::builder(ELB).env(base.clone()).build().unwrap();
    assert_eq!(c.region(), "us-east-2");
    assert!(format!("{c:?}").contains("DEFKEY"));
    assert!(!format!("{c:?}").contains("DEFSECRET"));

    let ci = AwsClient::builder(ELB)
        .env(base.clone())
        .profile("ci")
        .build()
        .unwrap();
    assert_eq!(ci.region(), "eu-north-1");
    assert!(format!("{ci:?}").contains("CIKEY"));

    let by_env = Env::from_pairs([("AWS_PROFILE", "ci")]).with_home(&dir);
    assert_eq!(
        AwsClient::builder(ELB)
            .env(by_env)
            .build()
            .unwrap()
            .region(),
        "eu-north-1"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn file_locations_can_be_overridden() {
    let dir = home("override", None, None);
    let creds = dir.join("creds.ini");
    std::fs::write(
        &creds,
        "[default]\naws_access_key_id = OVKEY\naws_secret_access_key = OVSECRET\n",
    )
    .unwrap();
    let e = Env::from_pairs([
        ("AWS_SHARED_CREDENTIALS_FILE", creds.display().to_string()),
        ("AWS_REGION", "us-east-1".to_owned()),
    ]);
    let c = AwsClient::builder(ELB).env(e).build().unwrap();
    assert!(format!("{c:?}").contains("OVKEY"));
    std::fs::remove_dir_all(&dir).ok();
}

/// With instance metadata switched off nothing can still supply
/// credentials, so the build fails at once, naming where it looked.
/// (With IMDS on, IMDS is the last resort and the error comes with the
/// first request: see `credentials_chain.rs`.)
#[test]
fn missing_credentials_is_unauthenticated_at_build_time() {
    let dir = home("nocreds", None, Some("[default]\nregion = us-east-1\n"));
    let err = AwsClient::builder(ELB)
        .env(Env::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")]).with_home(&dir))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthenticated);
    assert!(err.message().contains("credentials"), "{}", err.message());
    assert!(
        err.message()
            .contains(&dir.join(".aws").join("config").display().to_string()),
        "{}",
        err.message()
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn from_config_maps_the_generic_settings() {
    let config = Config::new()
        .key("CFGKEY")
        .secret("CFGSECRET")
        .token("CFGTOKEN")
        .region("sa-east-1")
        .endpoint("http://127.0.0.1:5000")
        .option("max_attempts", "7")
        .option("request_timeout_ms", "1500")
        .option("page_size", "50");
    let c = AwsClient::builder(ELB)
        .env(env(&[]))
        .from_config(&config)
        .build()
        .unwrap();
    assert_eq!(c.region(), "sa-east-1");
    assert_eq!(c.endpoint(), "http://127.0.0.1:5000");
    assert_eq!(c.retry_config().max_attempts, 7);
    let shown = format!("{c:?}");
    assert!(
        shown.contains("CFGKEY") && !shown.contains("CFGSECRET") && !shown.contains("CFGTOKEN"),
        "{shown}"
    );

    let half = Config::new().key("K").region("us-east-1");
    let err = AwsClient::builder(ELB)
        .env(env(&[]))
        .from_config(&half)
        .build()
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::InvalidInput, Some("secret"))
    );

    let bad = Config::new()
        .key("K")
        .secret("S")
        .region("us-east-1")
        .option("request_timeout_ms", "-1");
    let err = AwsClient::builder(ELB)
        .env(env(&[]))
        .from_config(&bad)
        .build()
        .unwrap_err();
    assert_eq!(err.field(), Some("request_timeout_ms"));
    let zero = Config::new()
        .key("K")
        .secret("S")
        .region("us-east-1")
        .option("max_attempts", "0");
    let err = AwsClient::builder(ELB)
        .env(env(&[]))
        .from_config(&zero)
        .build()
        .unwrap_err();
    assert_eq!(err.field(), Some("max_attempts"));
}

#[test]
fn clones_share_settings() {
    let c = AwsClient::builder(ELB)
        .env(env(&[]))
        .credentials(Credentials::new("K", "S"))
        .region("us-east-1")
        .build()
        .unwrap();
    let d = c.clone();
    assert_eq!(d.endpoint(), c.endpoint());
    assert_eq!(d.service(), &ELB);
}
