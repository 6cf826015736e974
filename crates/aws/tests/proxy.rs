//! An explicit proxy set on the builder carries the service requests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use lbcloud_aws::{AwsClient, Credentials, RetryConfig};
use support::*;

fn builder(url: &str) -> lbcloud_aws::AwsClientBuilder {
    AwsClient::builder(ELB)
        .env(env(&[]))
        .credentials(Credentials::new("AKIDPROXY", "proxy-test-secret"))
        .region("us-east-1")
        .endpoint(url)
        .retry(RetryConfig::none())
}

#[tokio::test]
async fn an_explicit_proxy_carries_the_requests() {
    // A plain-HTTP endpoint through an explicit proxy: reqwest sends the
    // absolute URL to the proxy, which is our scripted server.
    let proxy =
        lbcloud_testserver::TestServer::start([lbcloud_testserver::Reply::status(200).body(OK)])
            .await;
    let client = builder("http://elb.invalid:8080")
        .proxy(proxy.url())
        .build()
        .unwrap();
    client.send(describe()).await.unwrap();
    let r = &proxy.requests()[0];
    assert_eq!(r.path, "http://elb.invalid:8080/");
    assert_eq!(r.header("host"), Some("elb.invalid:8080"));
    let err = builder("http://x")
        .proxy("::not a url::")
        .build()
        .unwrap_err();
    assert_eq!(err.field(), Some("proxy"));
}
