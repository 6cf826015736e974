//! Shared pieces of the comparison clients: argument reading, the stub's
//! pages, and the one-line result each client prints.
//!
//! Every client process runs ONE measurement and exits, so the peak
//! resident memory it reports (`VmHWM`) belongs to that measurement alone.

use std::time::Duration;

/// Balancers per page of the streaming listing, and on the big page.
pub const PAGE: usize = 400;
/// Pages of the streaming listing (25 x 400 = 10,000 balancers).
pub const LIST_PAGES: usize = 25;

/// Balancers of the tagged listing (3 pages of up to 400, 50 DescribeTags calls of 20).
pub const TAGGED: usize = 1000;
/// How long the stub waits before each answer of the tagged listing.
pub const LATENCY: Duration = Duration::from_millis(50);

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
            eprintln!("usage: <client> <one|page|page2|list|tags> <http://127.0.0.1:PORT> [calls]");
            std::process::exit(2)
        };
        let (Some(mode), Some(url)) = (args.first(), args.get(1)) else {
            usage()
        };
        let mode = match mode.as_str() {
            "one" => Mode::One,
            "page" => Mode::Page,
            "page2" => Mode::Page2,
            "list" => Mode::List,
            "tags" => Mode::Tags,
            _ => usage(),
        };
        let default_calls = match mode {
            Mode::One => 2000,
            Mode::Page | Mode::Page2 => 200,
            Mode::List | Mode::Tags => 1,
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
    let mode = match args.mode {
        Mode::One => "one",
        Mode::Page => "page",
        Mode::Page2 => "page2",
        Mode::List => "list",
        Mode::Tags => "tags",
    };
    println!(
        "RESULT client={client} mode={mode} calls={calls} secs={secs:.4} per_s={:.1} peak_kib={} rtts={:.2} checksum={checksum}",
        calls as f64 / secs,
        peak_rss_kib(),
        secs / LATENCY.as_secs_f64()
    );
}
