//! Shared pieces of the comparison clients: argument reading, the stub's
//! pages, and the one-line result each client prints.
//!
//! Every client process runs ONE measurement and exits, so the peak
//! resident memory it reports (`VmHWM`) belongs to that measurement alone.

use std::time::Duration;

pub mod elbv2;

/// Balancers per page of the streaming listing, and on the big page.
pub const PAGE: usize = 400;
/// Pages of the streaming listing (25 x 400 = 10,000 balancers).
pub const LIST_PAGES: usize = 25;

/// Balancers of the tagged listing (3 pages of up to 400, 50 DescribeTags calls of 20).
pub const TAGGED: usize = 1000;
/// How long the stub waits before each answer of the tagged listing.
pub const LATENCY: Duration = Duration::from_millis(50);

/// Targets in the ELBv2 `DescribeTargetHealth` answer.
pub const HEALTH_TARGETS: usize = 100;
/// Targets registered by the ELBv2 create measurement.
pub const CREATE_TARGETS: usize = 10;

/// The marker that asks the stub for listing page `k`.
pub fn marker(k: usize) -> String {
    format!("p{k}")
}

/// What a client was asked to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Sequential calls answered with one balancer.
    One,
    /// Sequential calls answered with a 400-balancer page (no next page).
    Page,
    /// The same with the second fixture, shaped unlike the first.
    Page2,
    /// One listing of 1,000 balancers with their tags, every answer
    /// delayed by [`LATENCY`] (lbcloud only: round trips, not parsing).
    Tags,
    /// One streaming listing of 10,000 balancers in 25 pages.
    List,
    /// ELBv2: sequential `DescribeLoadBalancers` answered with one balancer.
    V2One,
    /// ELBv2: sequential `DescribeLoadBalancers` answered with 400.
    V2Page,
    /// ELBv2: sequential `DescribeTargetHealth` answered with 100 targets.
    V2Health,
    /// ELBv2: one balancer with 10 targets, a health check and two
    /// listeners, every answer delayed by [`LATENCY`].
    V2Create,
}

/// Every mode with its command-line name.
const MODES: [(Mode, &str); 9] = [
    (Mode::One, "one"),
    (Mode::Page, "page"),
    (Mode::Page2, "page2"),
    (Mode::Tags, "tags"),
    (Mode::List, "list"),
    (Mode::V2One, "v2one"),
    (Mode::V2Page, "v2page"),
    (Mode::V2Health, "v2health"),
    (Mode::V2Create, "v2create"),
];

impl Mode {
    /// The command-line name, also printed in the result line.
    pub fn name(self) -> &'static str {
        MODES
            .iter()
            .find(|(m, _)| *m == self)
            .map_or("?", |(_, n)| n)
    }
}

/// The command line of a client: `<one|page|list> <endpoint URL> [calls]`.
pub struct Args {
    /// The measurement.
    pub mode: Mode,
    /// Where the stub listens for this mode, e.g. `http://127.0.0.1:18081`.
    pub url: String,
    /// How many calls (ignored by `list`).
    pub calls: usize,
}

impl Args {
    /// Reads the process arguments; exits with a usage line when they are wrong.
    pub fn from_env() -> Self {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let usage = || -> ! {
            let names: Vec<&str> = MODES.iter().map(|(_, n)| *n).collect();
            eprintln!(
                "usage: <client> <{}> <http://127.0.0.1:PORT> [calls]",
                names.join("|")
            );
            std::process::exit(2)
        };
        let (Some(mode), Some(url)) = (args.first(), args.get(1)) else {
            usage()
        };
        let Some(&(mode, _)) = MODES.iter().find(|(_, n)| n == mode) else {
            usage()
        };
        let default_calls = match mode {
            Mode::One | Mode::V2One => 2000,
            Mode::V2Health => 1000,
            Mode::Page | Mode::Page2 | Mode::V2Page => 200,
            Mode::List | Mode::Tags | Mode::V2Create => 1,
        };
        let calls = match args.get(2) {
            Some(n) => n.parse().unwrap_or_else(|_| usage()),
            None => default_calls,
        };
        if !url.starts_with("http://127.0.0.1:") {
            eprintln!("benchmarks talk to 127.0.0.1 only, not {url}");
            std::process::exit(2);
        }
        Self {
            mode,
            url: url.clone(),
            calls,
        }
    }
}

/// Peak resident set size of this process in KiB (`VmHWM`), 0 if unknown.
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Prints the result line `run.sh` reads, e.g.
/// `RESULT client=lbcloud mode=page calls=200 secs=0.8 per_s=250.0 peak_kib=9000 checksum=...`.
pub fn report(client: &str, args: &Args, calls: usize, elapsed: Duration, checksum: u64) {
    let secs = elapsed.as_secs_f64();
    let mode = args.mode.name();
    println!(
        "RESULT client={client} mode={mode} calls={calls} secs={secs:.4} per_s={:.1} peak_kib={} rtts={:.2} checksum={checksum}",
        calls as f64 / secs,
        peak_rss_kib(),
        secs / LATENCY.as_secs_f64()
    );
}

/// Runs `call` 3 times to warm up (connection, allocator), then `calls`
/// times in sequence, timing only the latter; each call returns a checksum
/// of what it read. Gives the elapsed time and the sum of the checksums.
pub async fn timed<F, Fut, E>(calls: usize, mut call: F) -> Result<(Duration, u64), E>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<u64, E>>,
{
    let mut sum = 0u64;
    for _ in 0..3 {
        sum = sum.wrapping_add(call().await?);
    }
    let start = std::time::Instant::now();
    for _ in 0..calls {
        sum = sum.wrapping_add(call().await?);
    }
    Ok((start.elapsed(), sum))
}

/// The SDK configuration both SDK clients use: static credentials, region
/// us-east-1, the stub as endpoint, `aws-config`'s defaults otherwise.
pub async fn sdk_config(url: &str) -> aws_config::SdkConfig {
    use aws_config::BehaviorVersion;
    // Both SDK crates re-export the same aws-types / aws-credential-types.
    use aws_sdk_elasticloadbalancing::config::{Credentials, Region};
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDBENCHMARK",
            "benchmark-secret",
            None,
            None,
            "static",
        ))
        .endpoint_url(url)
        .load()
        .await
}
