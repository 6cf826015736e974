//! Where the builder's settings come from when not given: region,
//! endpoints and the CA bundle, from explicit values, the environment and
//! the profile, in the AWS SDKs' order. Pure functions over [`Env`] and
//! the parsed files.

use std::path::PathBuf;

use lbcloud_core::{Error, Result};

use crate::profile::ProfileFiles;
use crate::region::{endpoint_for, validate_endpoint, validate_region};
use crate::tls::CaBundle;
use crate::{Env, Service};

/// The endpoint of `service`: `explicit`, then the service's variable
/// (`AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING`, `AWS_ENDPOINT_URL_STS`),
/// then `AWS_ENDPOINT_URL`, then the service's `endpoint_url` in the
/// `[services NAME]` section the profile's `services` names, then the
/// profile's own `endpoint_url`, then derived from the region (the SDKs'
/// order). `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` (or the
/// profile's `ignore_configured_endpoint_urls = true`) skips the variables
/// and the profile, as in the SDKs. A bad value is `InvalidInput` on
/// `field`, saying where it came from.
pub(crate) fn resolve_endpoint(
    explicit: Option<String>,
    service: &Service,
    field: &str,
    env: &Env,
    files: &ProfileFiles,
    region: &str,
) -> Result<String> {
    let ignore = env
        .var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .or_else(|| {
            files
                .get("ignore_configured_endpoint_urls")
                .map(str::to_owned)
        })
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let configured = if ignore {
        None
    } else {
        let service_key = service_config_key(service);
        env.var(service.endpoint_env)
            .map(|e| (e, service.endpoint_env.to_owned()))
            .or_else(|| {
                env.var("AWS_ENDPOINT_URL")
                    .map(|e| (e, "AWS_ENDPOINT_URL".to_owned()))
            })
            .or_else(|| {
                files
                    .service_get(&service_key, "endpoint_url")
                    .map(|(section, e)| {
                        let source = format!("[services {section}] {service_key}.endpoint_url");
                        (e.to_owned(), source)
                    })
            })
            .or_else(|| {
                files
                    .get("endpoint_url")
                    .map(|e| (e.to_owned(), "endpoint_url".to_owned()))
            })
    };
    let found = explicit.map(|e| (e, field.to_owned())).or(configured);
    match found {
        Some((raw, source)) => validate_endpoint(&raw).map_err(|e| from_source(e, field, &source)),
        None => Ok(endpoint_for(service, region)),
    }
}

/// The key of `service` in a `[services NAME]` section of the config file:
/// its endpoint variable's suffix in lower case (`AWS_ENDPOINT_URL_STS` ->
/// `sts`, `..._ELASTIC_LOAD_BALANCING_V2` -> `elastic_load_balancing_v2`),
/// as the SDKs' table of service identifiers has it.
fn service_config_key(service: &Service) -> String {
    service
        .endpoint_env
        .strip_prefix("AWS_ENDPOINT_URL_")
        .unwrap_or(service.endpoint_env)
        .to_ascii_lowercase()
}

/// `AWS_CA_BUNDLE`, else the profile's `ca_bundle`.
pub(crate) fn ca_bundle_from(env: &Env, files: &ProfileFiles) -> Option<CaBundle> {
    env.var("AWS_CA_BUNDLE")
        .map(|p| (p, "AWS_CA_BUNDLE"))
        .or_else(|| files.get("ca_bundle").map(|p| (p.to_owned(), "ca_bundle")))
        .map(|(path, field)| CaBundle::File {
            path: PathBuf::from(path),
            field,
        })
}

pub(crate) fn resolve_region(
    explicit: Option<String>,
    env: &Env,
    files: &ProfileFiles,
) -> Result<String> {
    let found = explicit
        .map(|r| (r, "region".to_owned()))
        .or_else(|| env.var("AWS_REGION").map(|r| (r, "AWS_REGION".to_owned())))
        .or_else(|| {
            env.var("AWS_DEFAULT_REGION")
                .map(|r| (r, "AWS_DEFAULT_REGION".to_owned()))
        })
        .or_else(|| {
            files.get("region").map(|r| {
                (
                    r.to_owned(),
                    format!("`region` of profile `{}`", files.name),
                )
            })
        });
    let Some((region, source)) = found else {
        return Err(Error::invalid_input(
            "region",
            format!(
                "is required: set it explicitly, with AWS_REGION or AWS_DEFAULT_REGION, or as \
                 `region` in profile `{}`",
                if files.name.is_empty() {
                    "default"
                } else {
                    &files.name
                }
            ),
        ));
    };
    validate_region(&region).map_err(|e| from_source(e, "region", &source))?;
    Ok(region)
}

/// Re-labels a validation error with where the bad value came from.
fn from_source(err: Error, field: &str, source: &str) -> Error {
    if source == field {
        err
    } else {
        Error::invalid_input(field, format!("{} (from {source})", err.message()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STS: Service = crate::credentials::sts::STS;

    #[test]
    fn a_services_section_sits_between_the_global_variable_and_the_profile() {
        let config = "[default]\nservices = local\nendpoint_url = http://127.0.0.1:3\n\
                      [services local]\nsts =\n  endpoint_url = http://127.0.0.1:5\n\
                      elastic_load_balancing =\n  endpoint_url = not a url\n";
        let files = ProfileFiles::from_texts("default", None, Some(config));
        let r = |e: &Env| resolve_endpoint(None, &STS, "sts_endpoint", e, &files, "us-east-1");
        assert_eq!(r(&Env::empty()).unwrap(), "http://127.0.0.1:5");
        let global = Env::from_pairs([("AWS_ENDPOINT_URL", "http://127.0.0.1:2")]);
        assert_eq!(r(&global).unwrap(), "http://127.0.0.1:2");
        let ignored = Env::from_pairs([("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")]);
        assert_eq!(r(&ignored).unwrap(), "https://sts.us-east-1.amazonaws.com");
        // Another service's entry does not apply; a bad one names where it is.
        let elb = Service {
            endpoint_env: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING",
            ..STS
        };
        let err = resolve_endpoint(None, &elb, "endpoint", &Env::empty(), &files, "us-east-1")
            .unwrap_err();
        assert_eq!(err.field(), Some("endpoint"));
        assert!(
            err.message()
                .contains("[services local] elastic_load_balancing.endpoint_url"),
            "{err}"
        );
        let v2 = Service {
            endpoint_env: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2",
            ..STS
        };
        assert_eq!(
            resolve_endpoint(None, &v2, "endpoint", &Env::empty(), &files, "us-east-1").unwrap(),
            "http://127.0.0.1:3",
            "no entry for the service: the profile's own endpoint_url"
        );
    }

    #[test]
    fn sts_endpoint_order_and_partition() {
        let files = ProfileFiles::from_texts(
            "default",
            None,
            Some("[default]\nendpoint_url = http://127.0.0.1:3\n"),
        );
        let none = ProfileFiles::from_texts("default", None, None);
        let both = Env::from_pairs([
            ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:2"),
        ]);
        let r = |e: &Env, f: &ProfileFiles, region: &str| {
            resolve_endpoint(None, &STS, "sts_endpoint", e, f, region).unwrap()
        };
        assert_eq!(r(&both, &files, "us-east-1"), "http://127.0.0.1:1");
        assert_eq!(
            r(
                &Env::from_pairs([("AWS_ENDPOINT_URL", "http://127.0.0.1:2")]),
                &files,
                "us-east-1"
            ),
            "http://127.0.0.1:2"
        );
        assert_eq!(r(&Env::empty(), &files, "us-east-1"), "http://127.0.0.1:3");
        assert_eq!(
            r(&Env::empty(), &none, "eu-west-1"),
            "https://sts.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            r(&Env::empty(), &none, "cn-north-1"),
            "https://sts.cn-north-1.amazonaws.com.cn"
        );
        let ignored = Env::from_pairs([
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:2"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ]);
        assert_eq!(
            r(&ignored, &files, "us-east-1"),
            "https://sts.us-east-1.amazonaws.com"
        );
        let explicit = resolve_endpoint(
            Some("http://127.0.0.1:4".into()),
            &STS,
            "endpoint",
            &ignored,
            &files,
            "us-east-1",
        )
        .unwrap();
        assert_eq!(
            explicit, "http://127.0.0.1:4",
            "an explicit endpoint is never ignored"
        );
        let bad = Env::from_pairs([("AWS_ENDPOINT_URL_STS", "ftp://x")]);
        let err =
            resolve_endpoint(None, &STS, "sts_endpoint", &bad, &none, "us-east-1").unwrap_err();
        assert_eq!(err.field(), Some("sts_endpoint"));
        assert!(err.message().contains("AWS_ENDPOINT_URL_STS"), "{err}");
    }
}
