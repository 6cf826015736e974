//! Lists the balancers of an ELB endpoint with static credentials.
//! The same program as `bench/minimal-sdk`, written with lbcloud.

use lbcloud::Driver;
use lbcloud::elb::ElbDriver;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let driver = ElbDriver::builder()
        .key("AKIDBENCHMARK")
        .secret("benchmark-secret")
        .region("us-east-1")
        .endpoint(endpoint)
        .build()?;
    for b in driver.list_balancers().await? {
        println!("{} {}", b.name, b.ip.unwrap_or_default());
    }
    Ok(())
}
