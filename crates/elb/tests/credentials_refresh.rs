//! An `ElbDriver` outlives its temporary credentials: instance-metadata
//! credentials that expire in the middle of a paged listing are refreshed
//! between pages, and no request fails. IMDS and ELB are scripted loopback
//! servers; the IMDS endpoint is injected, so nothing reaches 169.254.x.x.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::{Duration, SystemTime};

use lbcloud_core::Driver;
use lbcloud_elb::{ElbDriver, Env};
use lbcloud_testserver::{Reply, TestServer};

fn page(names: &[&str], next: Option<&str>) -> String {
    let members: String = names
        .iter()
        .map(|n| {
            format!(
                "<member><LoadBalancerName>{n}</LoadBalancerName><DNSName>{n}.elb.example</DNSName>\
                 <CreatedTime>2026-01-01T00:00:00Z</CreatedTime><Scheme>internet-facing</Scheme></member>"
            )
        })
        .collect();
    let marker = next
        .map(|m| format!("<NextMarker>{m}</NextMarker>"))
        .unwrap_or_default();
    format!(
        "<DescribeLoadBalancersResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/\">\
         <DescribeLoadBalancersResult><LoadBalancerDescriptions>{members}</LoadBalancerDescriptions>{marker}\
         </DescribeLoadBalancersResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>\
         </DescribeLoadBalancersResponse>"
    )
}

fn creds(key: &str, secret: &str, token: &str, expires_in: u64) -> String {
    let at = time::OffsetDateTime::from(SystemTime::now() + Duration::from_secs(expires_in))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    format!(
        r#"{{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"{key}","SecretAccessKey":"{secret}","Token":"{token}","Expiration":"{at}"}}"#
    )
}

fn signed_key(auth: Option<&str>) -> String {
    auth.unwrap_or_default()
        .split("Credential=")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn credentials_expiring_during_a_listing_are_refreshed_between_pages() {
    // Refresh is due 5 minutes before expiry: about 2 s from now. The first
    // page takes 2.5 s, so the second page needs new credentials.
    let imds = TestServer::start([
        Reply::status(200).body("session-token"),
        Reply::status(200).body("role"),
        Reply::status(200).body(creds("ASIAPAGEONE", "page-secret-1", "page-token-1", 302)),
        Reply::status(200).body("role"),
        Reply::status(200).body(creds("ASIAPAGETWO", "page-secret-2", "page-token-2", 3600)),
    ])
    .await;
    let elb = TestServer::start([
        Reply::status(200)
            .body(page(&["a", "b"], Some("m1")))
            .delay(Duration::from_millis(2500)),
        Reply::status(200).body(page(&["c"], Some("m2"))),
        Reply::status(200).body(page(&["d"], None)),
    ])
    .await;
    let driver = ElbDriver::builder()
        .env(Env::from_pairs([
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()),
            ("AWS_REGION", "us-east-1"),
        ]))
        .endpoint(elb.url())
        .build()
        .unwrap();
    let names: Vec<String> = driver
        .list_balancers()
        .await
        .unwrap()
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(names, ["a", "b", "c", "d"]);
    let sent = elb.requests();
    assert_eq!(sent.len(), 3, "no page was retried");
    let keys: Vec<String> = sent
        .iter()
        .map(|r| signed_key(r.header("authorization")))
        .collect();
    assert_eq!(keys, ["ASIAPAGEONE", "ASIAPAGETWO", "ASIAPAGETWO"]);
    assert_eq!(sent[1].form_value("Marker").as_deref(), Some("m1"));
    assert_eq!(imds.request_count(), 5);
    let shown = format!("{driver:?}");
    assert!(
        !shown.contains("page-secret") && !shown.contains("page-token"),
        "{shown}"
    );
}
