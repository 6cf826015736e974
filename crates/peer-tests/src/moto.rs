//! Shared set-up for the tests that run against a moto server.
//!
//! `./scripts/test.sh` installs moto, starts `moto_server` on 127.0.0.1 and
//! exports its URL as `LBCLOUD_MOTO_ENDPOINT`. A missing endpoint is a loud
//! failure, never a skip.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use lbcloud::elb::{ElbDriver, RetryConfig};
use lbcloud_aws::{AwsClient, Credentials, QueryParams, Service};

/// The region every moto test uses.
pub const REGION: &str = "us-east-1";
/// Zones moto knows in that region.
pub const ZONES: [&str; 2] = ["us-east-1a", "us-east-1b"];

/// The moto server's URL; panics with instructions when it is not set.
pub fn endpoint() -> String {
    match std::env::var("LBCLOUD_MOTO_ENDPOINT") {
        Ok(url) if url.starts_with("http://127.0.0.1:") => url,
        Ok(other) => panic!("LBCLOUD_MOTO_ENDPOINT must point at 127.0.0.1, got {other:?}"),
        Err(_) => panic!(
            "LBCLOUD_MOTO_ENDPOINT is not set: run ./scripts/test.sh, which installs and starts \
             a moto server for these tests"
        ),
    }
}

/// An ELB driver pointed at the moto server, with test credentials and a
/// short retry budget so a broken peer fails fast.
pub fn elb() -> ElbDriver {
    elb_with_page_size(lbcloud::elb::DEFAULT_PAGE_SIZE)
}

/// Like [`elb`], with a chosen `DescribeLoadBalancers` page size.
pub fn elb_with_page_size(page_size: u32) -> ElbDriver {
    ElbDriver::builder()
        .key("AKIDMOTOTEST")
        .secret("moto-test-secret")
        .region(REGION)
        .endpoint(endpoint())
        .page_size(page_size)
        .request_timeout(Duration::from_secs(20))
        .retry(RetryConfig::default().with_total_budget(Duration::from_secs(60)))
        .build()
        .unwrap_or_else(|e| panic!("cannot build the ELB driver for moto: {e}"))
}

/// A balancer name unique within this test process and across test files
/// (moto's state is shared by every test that runs against it).
pub fn unique_name(prefix: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let pid = std::process::id() % 100_000;
    let name = format!("{prefix}-{pid}-{n}");
    assert!(name.len() <= 32, "test balancer name {name:?} is too long");
    name
}

/// Sends one EC2 Query action to moto and returns the answer's text
/// (tests use EC2 for what ELB needs to exist: instances, subnets, groups).
pub async fn ec2(action: &'static str, pairs: &[(&str, &str)]) -> String {
    let client = AwsClient::builder(Service {
        provider: "ec2",
        signing_name: "ec2",
        endpoint_prefix: "ec2",
        endpoint_env: "AWS_ENDPOINT_URL_EC2",
        api_version: "2016-11-15",
    })
    .credentials(Credentials::new("AKIDMOTOTEST", "moto-test-secret"))
    .region(REGION)
    .endpoint(endpoint())
    .build()
    .unwrap_or_else(|e| panic!("cannot build the EC2 client for moto: {e}"));
    let mut q = QueryParams::new(action, "2016-11-15");
    for (k, v) in pairs {
        q.push(k.to_string(), *v);
    }
    let body = client
        .send(q)
        .await
        .unwrap_or_else(|e| panic!("{action} failed on moto: {e}"));
    String::from_utf8_lossy(&body).into_owned()
}

/// Every text of `<tag>...</tag>` in `xml`, in order (enough for moto's
/// EC2 answers in tests; the library's parsers are the real ones).
pub fn texts(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    xml.split(open.as_str())
        .skip(1)
        .filter_map(|rest| rest.split(close.as_str()).next())
        .map(str::to_owned)
        .collect()
}

/// Starts `count` EC2 instances in moto and returns their ids, so ELB
/// instance health has real instances to report on.
pub async fn run_instances(count: usize) -> Vec<String> {
    let n = count.to_string();
    let body = ec2(
        "RunInstances",
        &[
            ("ImageId", "ami-12c6146b"),
            ("InstanceType", "t2.micro"),
            ("MinCount", &n),
            ("MaxCount", &n),
        ],
    )
    .await;
    let ids = texts(&body, "instanceId");
    assert_eq!(
        ids.len(),
        count,
        "moto started {} instances, asked for {count}",
        ids.len()
    );
    ids
}

/// Subnets of moto's default VPC (in different zones) and a new security
/// group in it, for VPC balancers (the conformance kit's placement scenario).
pub async fn vpc_placement() -> (Vec<String>, Vec<String>) {
    let subnets: Vec<String> = texts(&ec2("DescribeSubnets", &[]).await, "subnetId")
        .into_iter()
        .take(2)
        .collect();
    assert!(!subnets.is_empty(), "moto has no default subnets");
    let vpc = texts(&ec2("DescribeVpcs", &[]).await, "vpcId")
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("moto has no default VPC"));
    let name = unique_name("kit-sg");
    let group = texts(
        &ec2(
            "CreateSecurityGroup",
            &[
                ("GroupName", name.as_str()),
                ("GroupDescription", "lbcloud conformance kit"),
                ("VpcId", vpc.as_str()),
            ],
        )
        .await,
        "groupId",
    );
    assert_eq!(group.len(), 1, "CreateSecurityGroup returned {group:?}");
    (subnets, group)
}
