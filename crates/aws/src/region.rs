//! Known regions, region syntax, and the endpoint a region implies.

use lbcloud_core::{Error, Result};

use crate::Service;

/// Regions where Elastic Load Balancing is offered (classic and v2 share
/// one `elasticloadbalancing` endpoint per region), across the
/// commercial, China and GovCloud partitions. Like libcloud's `regions()`,
/// this is a convenience list for callers (menus, validation hints), not a
/// gate: any region with valid syntax is accepted, so a region AWS opens
/// after this release still works.
const REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// The known AWS regions, sorted.
///
/// ```
/// assert!(lbcloud_aws::regions().contains(&"us-east-1"));
/// assert!(lbcloud_aws::regions().contains(&"cn-north-1"));
/// ```
pub fn regions() -> &'static [&'static str] {
    REGIONS
}

/// Checks a region name's syntax: lowercase words joined by `-`, the first
/// of two letters, the last a number (`us-east-1`, `us-gov-west-1`), at most
/// 32 characters. The error is [`lbcloud_core::ErrorKind::InvalidInput`]
/// naming `region`.
///
/// ```
/// assert!(lbcloud_aws::validate_region("eu-central-2").is_ok());
/// let err = lbcloud_aws::validate_region("US_EAST_1").unwrap_err();
/// assert_eq!(err.field(), Some("region"));
/// ```
pub fn validate_region(region: &str) -> Result<()> {
    const RULE: &str = "must look like `us-east-1`: lowercase words joined by `-`, starting with a \
                        two-letter code and ending with a number, at most 32 characters";
    let bad = || Error::invalid_input("region", format!("{RULE}; got {region:?}"));
    if region.is_empty() || region.len() > 32 {
        return Err(bad());
    }
    let parts: Vec<&str> = region.split('-').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return Err(bad());
    };
    let middle = parts.get(1..parts.len().saturating_sub(1)).unwrap_or(&[]);
    let ok = parts.len() >= 3
        && first.len() == 2
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && middle
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && !last.is_empty()
        && last.len() <= 2
        && last.bytes().all(|b| b.is_ascii_digit());
    if ok { Ok(()) } else { Err(bad()) }
}

/// The DNS suffix of the partition `region` belongs to.
///
/// China regions (`cn-*`) live under `amazonaws.com.cn`; the isolated US
/// partitions have their own suffixes; everything else, GovCloud included,
/// is `amazonaws.com`.
pub fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else if region.starts_with("us-isob-") {
        "sc2s.sgov.gov"
    } else if region.starts_with("us-iso-") {
        "c2s.ic.gov"
    } else {
        "amazonaws.com"
    }
}

/// The HTTPS endpoint of `service` in `region`, derived from the partition.
/// The region is not validated here; the builder does that first.
///
/// ```
/// use lbcloud_aws::{Service, endpoint_for};
///
/// let elb = Service {
///     provider: "elb",
///     signing_name: "elasticloadbalancing",
///     endpoint_prefix: "elasticloadbalancing",
///     endpoint_env: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING",
///     api_version: "2012-06-01",
/// };
/// assert_eq!(endpoint_for(&elb, "us-east-1"), "https://elasticloadbalancing.us-east-1.amazonaws.com");
/// assert_eq!(endpoint_for(&elb, "cn-north-1"), "https://elasticloadbalancing.cn-north-1.amazonaws.com.cn");
/// ```
pub fn endpoint_for(service: &Service, region: &str) -> String {
    format!(
        "https://{}.{region}.{}",
        service.endpoint_prefix,
        dns_suffix(region)
    )
}

/// Checks and normalizes an endpoint URL: `http` or `https`, a host, no user
/// name or password, no query or fragment; a trailing `/` is removed.
/// The error is [`lbcloud_core::ErrorKind::InvalidInput`] naming `endpoint`.
pub(crate) fn validate_endpoint(endpoint: &str) -> Result<String> {
    let url = reqwest::Url::parse(endpoint.trim()).map_err(|e| {
        Error::invalid_input(
            "endpoint",
            format!("must be an absolute http(s) URL such as https://host:port ({e})"),
        )
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        // The value is not echoed: it may hold a password.
        return Err(Error::invalid_input(
            "endpoint",
            "must not contain a user name or password; pass credentials separately",
        ));
    }
    let rule =
        |what: &str| Error::invalid_input("endpoint", format!("{what}; got {:?}", url.as_str()));
    if !matches!(url.scheme(), "http" | "https") {
        return Err(rule("must use the http or https scheme"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(rule("must have a host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(rule("must not have a query string or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ELB: Service = Service {
        provider: "elb",
        signing_name: "elasticloadbalancing",
        endpoint_prefix: "elasticloadbalancing",
        endpoint_env: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING",
        api_version: "2012-06-01",
    };

    #[test]
    fn every_known_region_is_valid_and_list_is_sorted() {
        for r in regions() {
            validate_region(r).unwrap();
        }
        assert!(regions().windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn region_syntax() {
        for ok in [
            "us-east-1",
            "us-gov-west-1",
            "ap-southeast-12",
            "us-isob-east-1",
        ] {
            assert!(validate_region(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "us",
            "us-east",
            "US-east-1",
            "us_east_1",
            "us-east-1a",
            "use-east-1",
            "us--1",
            "us-east-123",
            "-us-east-1",
            "us-east-1-",
            "us-éast-1",
            "us-east-1 ",
            "aa-bbbbbbbbbbbbbbbbbbbbbbbbbbbb-1",
        ] {
            let err = validate_region(bad).unwrap_err();
            assert_eq!(err.field(), Some("region"), "{bad}");
        }
    }

    #[test]
    fn endpoints_follow_the_partition() {
        assert_eq!(
            endpoint_for(&ELB, "eu-west-1"),
            "https://elasticloadbalancing.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            endpoint_for(&ELB, "cn-northwest-1"),
            "https://elasticloadbalancing.cn-northwest-1.amazonaws.com.cn"
        );
        assert_eq!(
            endpoint_for(&ELB, "us-gov-west-1"),
            "https://elasticloadbalancing.us-gov-west-1.amazonaws.com"
        );
        assert_eq!(
            endpoint_for(&ELB, "us-iso-east-1"),
            "https://elasticloadbalancing.us-iso-east-1.c2s.ic.gov"
        );
    }

    #[test]
    fn endpoint_validation() {
        assert_eq!(
            validate_endpoint("http://127.0.0.1:5000/").unwrap(),
            "http://127.0.0.1:5000"
        );
        assert_eq!(
            validate_endpoint("https://example.com/base/").unwrap(),
            "https://example.com/base"
        );
        for bad in [
            "",
            "localhost:5000",
            "ftp://x",
            "http://",
            "http://h/?a=b",
            "http://h/#f",
            "not a url",
        ] {
            assert_eq!(
                validate_endpoint(bad).unwrap_err().field(),
                Some("endpoint"),
                "{bad}"
            );
        }
        let err = validate_endpoint("http://user:hunter2@h").unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
    }
}
