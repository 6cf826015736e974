//! Set-up for the ELBv2 tests on moto: a driver pointed at the server, and
//! a VPC with two subnets in two zones (ELBv2 balancers live in subnets;
//! moto checks that they exist).

use std::time::Duration;

use lbcloud_elbv2::{Elbv2Driver, RetryConfig};

use crate::moto::{REGION, ZONES, ec2, endpoint, texts};

/// An ELBv2 driver on the moto server, with a short retry budget.
pub fn elbv2() -> Elbv2Driver {
    elbv2_with_page_size(lbcloud_elbv2::DEFAULT_PAGE_SIZE)
}

/// Like [`elbv2`], with a chosen page size.
pub fn elbv2_with_page_size(page_size: u32) -> Elbv2Driver {
    builder()
        .page_size(page_size)
        .build()
        .unwrap_or_else(|e| panic!("cannot build the ELBv2 driver for moto: {e}"))
}

/// Like [`elbv2`], with default subnets for balancers whose request names none.
pub fn elbv2_in(net: &Network, page_size: u32) -> Elbv2Driver {
    builder()
        .page_size(page_size)
        .subnets(net.subnets.iter().cloned())
        .build()
        .unwrap_or_else(|e| panic!("cannot build the ELBv2 driver for moto: {e}"))
}

/// An ELBv2 driver on moto that is told the VPC of `net` up front, so
/// its creates send the target groups together with the balancer.
pub fn elbv2_knowing_the_vpc(net: &Network) -> Elbv2Driver {
    builder()
        .subnets(net.subnets.iter().cloned())
        .vpc_id(&net.vpc_id)
        .build()
        .unwrap_or_else(|e| panic!("cannot build the ELBv2 driver for moto: {e}"))
}

fn builder() -> lbcloud_elbv2::Elbv2DriverBuilder {
    Elbv2Driver::builder()
        .key("AKIDMOTOTEST")
        .secret("moto-test-secret")
        .region(REGION)
        .endpoint(endpoint())
        .request_timeout(Duration::from_secs(20))
        .retry(RetryConfig::default().with_total_budget(Duration::from_secs(60)))
}

/// A VPC and its subnets, made on moto.
#[derive(Debug, Clone)]
pub struct Network {
    /// The VPC id.
    pub vpc_id: String,
    /// Two subnets, one per zone of [`ZONES`].
    pub subnets: Vec<String>,
}

/// Creates a VPC (10.N.0.0/16) with a subnet in each of two zones.
pub async fn network() -> Network {
    use std::sync::atomic::{AtomicU8, Ordering};
    static NEXT: AtomicU8 = AtomicU8::new(10);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let cidr = format!("10.{n}.0.0/16");
    let vpc = ec2("CreateVpc", &[("CidrBlock", &cidr)]).await;
    let vpc_id = texts(&vpc, "vpcId")
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("CreateVpc answered without a vpcId: {vpc}"));
    let mut subnets = Vec::new();
    for (i, zone) in ZONES.iter().enumerate() {
        let block = format!("10.{n}.{i}.0/24");
        let body = ec2(
            "CreateSubnet",
            &[
                ("VpcId", &vpc_id),
                ("CidrBlock", &block),
                ("AvailabilityZone", zone),
            ],
        )
        .await;
        let id = texts(&body, "subnetId")
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("CreateSubnet answered without a subnetId: {body}"));
        subnets.push(id);
    }
    Network { vpc_id, subnets }
}
