//! The private model of the config file the driver owns, its renderer and
//! its parser.
//!
//! The file is the driver's source of truth: each balancer is a `frontend`
//! and a `backend` of the same name, and what HAProxy's syntax cannot hold
//! (the lbcloud algorithm name behind `balance roundrobin`, the creation
//! time, a drained server) is kept in `# lbcloud: ...` comment lines. The
//! parser reads only what the renderer writes; anything else is an error,
//! and every value read is validated again so a hand-edited file cannot
//! smuggle a command into the CLI.

use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};

use lbcloud_core::Result;

pub(crate) use crate::cli::AdminState;

/// The first line of every owned file; the number is the format version.
pub(crate) const FORMAT_LINE: &str = "# lbcloud-haproxy owned config, format 1";
const MARK: &str = "# lbcloud:";
/// The highest weight HAProxy accepts for a server.
pub(crate) const MAX_WEIGHT: u32 = 256;

/// Everything in the owned file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct OwnedConfig {
    /// The server-state file every backend loads on start, if any.
    pub(crate) state_file: Option<String>,
    /// The balancers, in file order.
    pub(crate) balancers: Vec<BalancerConfig>,
}

/// One balancer: a frontend and a backend named after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BalancerConfig {
    pub(crate) name: String,
    pub(crate) mode: Mode,
    pub(crate) binds: Vec<Bind>,
    pub(crate) balance: Balance,
    pub(crate) check: Option<Check>,
    pub(crate) servers: Vec<Server>,
    /// Seconds since the Unix epoch when lbcloud created it.
    pub(crate) created: Option<i64>,
}

/// HAProxy's proxy mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Http,
    Tcp,
}

impl Mode {
    fn word(self) -> &'static str {
        match self {
            Mode::Http => "http",
            Mode::Tcp => "tcp",
        }
    }
}

/// One `bind` line: an address, a port, optionally TLS with a PEM file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bind {
    pub(crate) addr: IpAddr,
    pub(crate) port: u16,
    pub(crate) cert: Option<String>,
    /// The listener's instance port, kept for lbcloud's `Listener` (HAProxy
    /// sends to each server's own port).
    pub(crate) instance_port: u16,
}

/// The load-balancing algorithm. Every variant is dynamic, so servers can
/// be added at run time (`source` needs `hash-type consistent` for that).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Balance {
    RoundRobin,
    WeightedRoundRobin,
    LeastConn,
    WeightedLeastConn,
    Random,
    First,
    Source,
}

impl Balance {
    const ALL: [Balance; 7] = [
        Balance::RoundRobin,
        Balance::WeightedRoundRobin,
        Balance::LeastConn,
        Balance::WeightedLeastConn,
        Balance::Random,
        Balance::First,
        Balance::Source,
    ];

    /// The name kept in the `# lbcloud: algorithm` line (lbcloud's names).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Balance::RoundRobin => "round_robin",
            Balance::WeightedRoundRobin => "weighted_round_robin",
            Balance::LeastConn => "least_connections",
            Balance::WeightedLeastConn => "weighted_least_connections",
            Balance::Random => "random",
            Balance::First => "first",
            Balance::Source => "persistent_ip",
        }
    }

    /// HAProxy's `balance` word.
    fn keyword(self) -> &'static str {
        match self {
            Balance::RoundRobin | Balance::WeightedRoundRobin => "roundrobin",
            Balance::LeastConn | Balance::WeightedLeastConn => "leastconn",
            Balance::Random => "random",
            Balance::First => "first",
            Balance::Source => "source",
        }
    }

    fn from_name(name: &str) -> Option<Balance> {
        Balance::ALL.into_iter().find(|b| b.name() == name)
    }
}

/// A health check, applied to every server of the backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Check {
    pub(crate) kind: CheckKind,
    /// `None` checks the server's own port.
    pub(crate) port: Option<u16>,
    pub(crate) inter_ms: u32,
    pub(crate) timeout_ms: u32,
    pub(crate) rise: u32,
    pub(crate) fall: u32,
}

/// What a health check sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CheckKind {
    Tcp,
    Http {
        path: String,
        /// `http-check expect status` codes, `None` for HAProxy's 2xx/3xx.
        expect: Option<String>,
    },
}

/// One server of a backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Server {
    pub(crate) name: String,
    pub(crate) addr: IpAddr,
    pub(crate) port: u16,
    pub(crate) weight: u32,
    pub(crate) state: AdminState,
}

/// `addr:port` as HAProxy reads it, with brackets around IPv6.
pub(crate) fn host_port(addr: IpAddr, port: u16) -> String {
    SocketAddr::new(addr, port).to_string()
}

impl Server {
    /// The words after `server <name>` in the file; `add server` on the CLI
    /// takes the same ones.
    pub(crate) fn arguments(&self, check: Option<&Check>) -> String {
        let mut out = format!("{} weight {}", host_port(self.addr, self.port), self.weight);
        for word in check_words(check) {
            out.push(' ');
            out.push_str(&word);
        }
        out
    }
}

/// The server options a backend's check gives each server (`check inter
/// 300ms rise 1 fall 2 [port P]`), none without a check.
pub(crate) fn check_words(check: Option<&Check>) -> Vec<String> {
    let Some(check) = check else {
        return Vec::new();
    };
    let mut words = vec![
        "check".to_owned(),
        "inter".to_owned(),
        format!("{}ms", check.inter_ms),
        "rise".to_owned(),
        check.rise.to_string(),
        "fall".to_owned(),
        check.fall.to_string(),
    ];
    if let Some(port) = check.port {
        words.push("port".to_owned());
        words.push(port.to_string());
    }
    words
}

impl OwnedConfig {
    /// The balancer named `name`, if the file has it.
    pub(crate) fn balancer(&self, name: &str) -> Option<&BalancerConfig> {
        self.balancers.iter().find(|b| b.name == name)
    }

    /// The balancer named `name`, mutable.
    pub(crate) fn balancer_mut(&mut self, name: &str) -> Option<&mut BalancerConfig> {
        self.balancers.iter_mut().find(|b| b.name == name)
    }

    /// The file's text.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(FORMAT_LINE);
        out.push_str(
            "\n# Written by lbcloud, which rewrites it in full on every change; do not edit.\n",
        );
        for b in &self.balancers {
            render_balancer(&mut out, b, self.state_file.as_deref());
        }
        out
    }

    /// Reads a file [`render`](Self::render) wrote. Errors are
    /// [`ErrorKind::InvalidResponse`] naming the line.
    pub(crate) fn parse(text: &str) -> Result<OwnedConfig> {
        parse::Parser::default().run(text)
    }
}

fn render_balancer(out: &mut String, b: &BalancerConfig, state_file: Option<&str>) {
    let mode = b.mode.word();
    let _ = writeln!(out, "\nfrontend {}", b.name);
    if let Some(created) = b.created {
        let _ = writeln!(out, "    {MARK} created {created}");
    }
    let _ = writeln!(out, "    mode {mode}");
    for bind in &b.binds {
        let _ = write!(out, "    bind {}", host_port(bind.addr, bind.port));
        if let Some(cert) = &bind.cert {
            let _ = write!(out, " ssl crt {cert}");
        }
        out.push('\n');
        let _ = writeln!(out, "    {MARK} instance_port {}", bind.instance_port);
    }
    let _ = writeln!(out, "    timeout client 30s");
    let _ = writeln!(out, "    default_backend {}", b.name);

    let _ = writeln!(out, "\nbackend {}", b.name);
    let _ = writeln!(out, "    {MARK} algorithm {}", b.balance.name());
    let _ = writeln!(out, "    mode {mode}");
    let _ = writeln!(out, "    balance {}", b.balance.keyword());
    if b.balance == Balance::Source {
        let _ = writeln!(out, "    hash-type consistent");
    }
    let _ = writeln!(out, "    timeout connect 5s");
    let _ = writeln!(out, "    timeout server 30s");
    if let Some(check) = &b.check {
        let _ = write!(
            out,
            "    {MARK} check inter {} rise {} fall {}",
            check.inter_ms, check.rise, check.fall
        );
        if let Some(port) = check.port {
            let _ = write!(out, " port {port}");
        }
        out.push('\n');
        let _ = writeln!(out, "    timeout check {}ms", check.timeout_ms);
        if let CheckKind::Http { path, expect } = &check.kind {
            let _ = writeln!(out, "    option httpchk GET {path}");
            if let Some(codes) = expect {
                let _ = writeln!(out, "    http-check expect status {codes}");
            }
        }
    }
    if let Some(state_file) = state_file {
        let _ = writeln!(out, "    load-server-state-from-file local");
        let _ = writeln!(out, "    server-state-file-name {state_file}");
    }
    for s in &b.servers {
        let _ = write!(
            out,
            "    server {} {}",
            s.name,
            s.arguments(b.check.as_ref())
        );
        if s.state == AdminState::Maint {
            out.push_str(" disabled");
        }
        out.push('\n');
        if s.state == AdminState::Drain {
            let _ = writeln!(out, "    {MARK} drain {}", s.name);
        }
    }
}

mod parse;

#[cfg(test)]
mod tests;
