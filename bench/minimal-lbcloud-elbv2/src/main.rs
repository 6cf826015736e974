//! Lists the load balancers of an ELBv2 endpoint with static credentials.
//! The same program as `bench/minimal-sdk-elbv2`, written with lbcloud.

use lbcloud::Driver;
use lbcloud::elbv2::Elbv2Driver;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let driver = Elbv2Driver::builder()
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
