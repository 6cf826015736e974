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

use lbcloud_core::{Error, ErrorKind, Result};

pub(crate) use crate::cli::AdminState;
use crate::validate;

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
        if let Some(check) = check {
            let _ = write!(
                out,
                " check inter {}ms rise {} fall {}",
                check.inter_ms, check.rise, check.fall
            );
            if let Some(port) = check.port {
                let _ = write!(out, " port {port}");
            }
        }
        out
    }
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
        Parser::default().run(text)
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

/// A line-by-line reader of the rendered format.
#[derive(Default)]
struct Parser {
    config: OwnedConfig,
    /// The section being read: `true` for a backend.
    section: Option<(String, bool)>,
    line: usize,
}

fn bad(line: usize, what: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::InvalidResponse,
        format!("owned config line {line}: {what}"),
    )
}

/// Re-validates a value read from the file, as an error about that line.
fn checked<T>(line: usize, result: Result<T>) -> Result<T> {
    result.map_err(|e| bad(line, e.message()))
}

fn number<T: std::str::FromStr>(line: usize, what: &str, word: Option<&str>) -> Result<T> {
    word.and_then(|w| w.parse().ok())
        .ok_or_else(|| bad(line, format!("expected a number for {what}")))
}

fn millis(line: usize, word: Option<&str>) -> Result<u32> {
    number(
        line,
        "a time in ms",
        word.and_then(|w| w.strip_suffix("ms")),
    )
}

fn endpoint(line: usize, word: Option<&str>) -> Result<(IpAddr, u16)> {
    let sa: SocketAddr = word
        .and_then(|w| w.parse().ok())
        .ok_or_else(|| bad(line, "expected address:port"))?;
    checked(line, validate::port("port", sa.port()))?;
    Ok((sa.ip(), sa.port()))
}

impl Parser {
    fn run(mut self, text: &str) -> Result<OwnedConfig> {
        if text.trim().is_empty() {
            // A new, empty file that HAProxy was started with.
            return Ok(self.config);
        }
        let mut lines = text.lines();
        if lines.next() != Some(FORMAT_LINE) {
            return Err(bad(1, format!("expected {FORMAT_LINE:?}")));
        }
        self.line = 1;
        for raw in lines {
            self.line += 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() {
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix(MARK) {
                self.mark(rest)?;
            } else if trimmed.starts_with('#') {
                continue;
            } else if raw.starts_with(' ') {
                self.directive(trimmed)?;
            } else {
                self.header(trimmed)?;
            }
        }
        for b in &self.config.balancers {
            if b.binds.is_empty() {
                return Err(bad(self.line, format!("balancer {:?} has no bind", b.name)));
            }
        }
        Ok(self.config)
    }

    fn current(&mut self) -> Result<(&mut BalancerConfig, bool)> {
        let line = self.line;
        let (name, backend) = self
            .section
            .as_ref()
            .ok_or_else(|| bad(line, "outside a section"))?;
        let backend = *backend;
        let b = self
            .config
            .balancer_mut(name)
            .ok_or_else(|| bad(line, "section without its balancer"))?;
        Ok((b, backend))
    }

    fn header(&mut self, text: &str) -> Result<()> {
        let line = self.line;
        let mut words = text.split_whitespace();
        let (kind, name) = (words.next(), words.next());
        let name = name.ok_or_else(|| bad(line, "section without a name"))?;
        checked(line, validate::name("name", name))?;
        if words.next().is_some() {
            return Err(bad(line, "unexpected words after the section name"));
        }
        match kind {
            Some("frontend") => {
                if self.config.balancer(name).is_some() {
                    return Err(bad(line, format!("balancer {name:?} appears twice")));
                }
                self.config.balancers.push(BalancerConfig {
                    name: name.to_owned(),
                    mode: Mode::Http,
                    binds: Vec::new(),
                    balance: Balance::RoundRobin,
                    check: None,
                    servers: Vec::new(),
                    created: None,
                });
                self.section = Some((name.to_owned(), false));
            }
            Some("backend") => {
                if self.config.balancer(name).is_none() {
                    return Err(bad(line, format!("backend {name:?} without its frontend")));
                }
                self.section = Some((name.to_owned(), true));
            }
            _ => return Err(bad(line, "expected `frontend NAME` or `backend NAME`")),
        }
        Ok(())
    }

    fn mark(&mut self, rest: &str) -> Result<()> {
        let line = self.line;
        let mut words = rest.split_whitespace();
        let (b, _) = self.current()?;
        match (words.next(), words.next()) {
            (Some("created"), value) => b.created = Some(number(line, "created", value)?),
            (Some("algorithm"), Some(name)) => {
                b.balance = Balance::from_name(name)
                    .ok_or_else(|| bad(line, format!("unknown algorithm {name:?}")))?;
            }
            (Some("check"), Some("inter")) => {
                let mut check = Check {
                    kind: CheckKind::Tcp,
                    port: None,
                    inter_ms: number(line, "inter", words.next())?,
                    timeout_ms: 2000,
                    rise: 0,
                    fall: 0,
                };
                let rest: Vec<&str> = words.collect();
                match rest.as_slice() {
                    ["rise", rise, "fall", fall, tail @ ..] => {
                        check.rise = number(line, "rise", Some(rise))?;
                        check.fall = number(line, "fall", Some(fall))?;
                        match tail {
                            [] => {}
                            ["port", port] => check.port = Some(number(line, "port", Some(port))?),
                            _ => return Err(bad(line, "unexpected check options")),
                        }
                    }
                    _ => return Err(bad(line, "expected `check inter N rise N fall N`")),
                }
                b.check = Some(check);
            }
            (Some("instance_port"), value) => {
                let port = number(line, "instance_port", value)?;
                checked(line, validate::port("instance_port", port))?;
                let bind = b
                    .binds
                    .last_mut()
                    .ok_or_else(|| bad(line, "instance_port before any bind"))?;
                bind.instance_port = port;
            }
            (Some("drain"), Some(server)) => {
                let s = b
                    .servers
                    .iter_mut()
                    .find(|s| s.name == server)
                    .ok_or_else(|| bad(line, format!("drain of unknown server {server:?}")))?;
                s.state = AdminState::Drain;
            }
            _ => return Err(bad(line, "unknown lbcloud mark")),
        }
        Ok(())
    }

    fn directive(&mut self, text: &str) -> Result<()> {
        let line = self.line;
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut state_file = None;
        let (b, backend) = self.current()?;
        match (backend, words.as_slice()) {
            (_, ["mode", "http"]) => b.mode = Mode::Http,
            (_, ["mode", "tcp"]) => b.mode = Mode::Tcp,
            (false, ["bind", endpoint_word, rest @ ..]) => {
                let (addr, port) = endpoint(line, Some(endpoint_word))?;
                let cert = match rest {
                    [] => None,
                    ["ssl", "crt", path] => {
                        checked(line, validate::file_path("certificate", path))?;
                        Some((*path).to_owned())
                    }
                    _ => return Err(bad(line, "unexpected bind options")),
                };
                b.binds.push(Bind {
                    addr,
                    port,
                    cert,
                    instance_port: port,
                });
            }
            (_, ["timeout", "client" | "connect" | "server", _]) => {}
            (false, ["default_backend", name]) if *name == b.name => {}
            (true, ["balance", _]) | (true, ["hash-type", "consistent"]) => {}
            (true, ["timeout", "check", ms]) => {
                check_mut(line, b)?.timeout_ms = millis(line, Some(ms))?
            }
            (true, ["option", "httpchk", "GET", path]) => {
                checked(line, validate::http_path("health_check.path", path))?;
                let check = check_mut(line, b)?;
                let expect = match &check.kind {
                    CheckKind::Http { expect, .. } => expect.clone(),
                    CheckKind::Tcp => None,
                };
                check.kind = CheckKind::Http {
                    path: (*path).to_owned(),
                    expect,
                };
            }
            (true, ["http-check", "expect", "status", codes]) => {
                checked(line, validate::status_codes("expected_codes", codes))?;
                match &mut check_mut(line, b)?.kind {
                    CheckKind::Http { expect, .. } => *expect = Some((*codes).to_owned()),
                    CheckKind::Tcp => return Err(bad(line, "http-check before option httpchk")),
                }
            }
            (true, ["load-server-state-from-file", "local"]) => {}
            (true, ["server-state-file-name", path]) => {
                checked(line, validate::file_path("state_file", path))?;
                state_file = Some((*path).to_owned());
            }
            (true, ["server", name, rest @ ..]) => {
                checked(line, validate::name("member.id", name))?;
                let server = parse_server(line, name, rest, b)?;
                if b.servers.iter().any(|s| s.name == server.name) {
                    return Err(bad(line, format!("server {name:?} appears twice")));
                }
                b.servers.push(server);
            }
            _ => return Err(bad(line, format!("unexpected line {text:?}"))),
        }
        if let Some(path) = state_file {
            match &self.config.state_file {
                Some(old) if *old != path => {
                    return Err(bad(line, "backends name different state files"));
                }
                _ => self.config.state_file = Some(path),
            }
        }
        Ok(())
    }
}

/// The backend's health check, which its `# lbcloud: check` line declared.
fn check_mut(line: usize, b: &mut BalancerConfig) -> Result<&mut Check> {
    b.check
        .as_mut()
        .ok_or_else(|| bad(line, "health-check line before `# lbcloud: check`"))
}

fn parse_server(line: usize, name: &str, rest: &[&str], b: &BalancerConfig) -> Result<Server> {
    let (addr, port) = endpoint(line, rest.first().copied())?;
    let mut server = Server {
        name: name.to_owned(),
        addr,
        port,
        weight: 1,
        state: AdminState::Ready,
    };
    let mut words = rest.get(1..).unwrap_or_default();
    if let ["weight", weight, tail @ ..] = words {
        server.weight = number(line, "weight", Some(weight))?;
        words = tail;
    }
    if let Some(tail) = words.strip_suffix(&["disabled"]) {
        server.state = AdminState::Maint;
        words = tail;
    }
    // What follows the weight must be exactly the backend's check options.
    let expected = server.arguments(b.check.as_ref());
    let found = rest.join(" ");
    let found = found.strip_suffix(" disabled").unwrap_or(&found);
    if found != expected || (b.check.is_none() && !words.is_empty()) {
        return Err(bad(
            line,
            format!("server options {found:?} differ from the expected {expected:?}"),
        ));
    }
    if server.weight > MAX_WEIGHT {
        return Err(bad(line, format!("weight above {MAX_WEIGHT}")));
    }
    Ok(server)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> OwnedConfig {
        OwnedConfig {
            state_file: Some("/var/lib/lbcloud/lbcloud.cfg.state".into()),
            balancers: vec![
                BalancerConfig {
                    name: "web".into(),
                    mode: Mode::Http,
                    binds: vec![
                        Bind {
                            addr: "127.0.0.1".parse().unwrap(),
                            port: 8080,
                            cert: None,
                            instance_port: 9000,
                        },
                        Bind {
                            addr: "::1".parse().unwrap(),
                            port: 8443,
                            cert: Some("/etc/ssl/web.pem".into()),
                            instance_port: 8443,
                        },
                    ],
                    balance: Balance::WeightedRoundRobin,
                    check: Some(Check {
                        kind: CheckKind::Http {
                            path: "/health".into(),
                            expect: Some("200-299".into()),
                        },
                        port: Some(9000),
                        inter_ms: 300,
                        timeout_ms: 250,
                        rise: 1,
                        fall: 2,
                    }),
                    servers: vec![
                        Server {
                            name: "s1".into(),
                            addr: "127.0.0.1".parse().unwrap(),
                            port: 9001,
                            weight: 3,
                            state: AdminState::Ready,
                        },
                        Server {
                            name: "s2".into(),
                            addr: "127.0.0.1".parse().unwrap(),
                            port: 9002,
                            weight: 1,
                            state: AdminState::Drain,
                        },
                        Server {
                            name: "s_3".into(),
                            addr: "::1".parse().unwrap(),
                            port: 9003,
                            weight: 0,
                            state: AdminState::Maint,
                        },
                    ],
                    created: Some(1_764_576_000),
                },
                BalancerConfig {
                    name: "db".into(),
                    mode: Mode::Tcp,
                    binds: vec![Bind {
                        addr: "0.0.0.0".parse().unwrap(),
                        port: 5432,
                        cert: None,
                        instance_port: 5432,
                    }],
                    balance: Balance::Source,
                    check: Some(Check {
                        kind: CheckKind::Tcp,
                        port: None,
                        inter_ms: 700,
                        timeout_ms: 1000,
                        rise: 4,
                        fall: 5,
                    }),
                    servers: vec![],
                    created: None,
                },
            ],
        }
    }

    #[test]
    fn renders_haproxy_directives() {
        let text = sample().render();
        assert!(text.starts_with(FORMAT_LINE), "{text}");
        for line in [
            "frontend web\n",
            "    bind 127.0.0.1:8080\n",
            "    bind [::1]:8443 ssl crt /etc/ssl/web.pem\n",
            "    default_backend web\n",
            "backend web\n",
            "    balance roundrobin\n",
            "    option httpchk GET /health\n",
            "    http-check expect status 200-299\n",
            "    timeout check 250ms\n",
            "    server-state-file-name /var/lib/lbcloud/lbcloud.cfg.state\n",
            "    server s1 127.0.0.1:9001 weight 3 check inter 300ms rise 1 fall 2 port 9000\n",
            "    # lbcloud: drain s2\n",
            "    server s_3 [::1]:9003 weight 0 check inter 300ms rise 1 fall 2 port 9000 disabled\n",
            "    balance source\n    hash-type consistent\n",
            "    mode tcp\n",
        ] {
            assert!(text.contains(line), "missing {line:?} in\n{text}");
        }
    }

    #[test]
    fn parse_reads_back_what_render_wrote() {
        let model = sample();
        let text = model.render();
        let parsed = OwnedConfig::parse(&text).unwrap();
        assert_eq!(parsed, model);
        assert_eq!(parsed.render(), text);
        let empty = OwnedConfig::default();
        assert_eq!(OwnedConfig::parse(&empty.render()).unwrap(), empty);
    }

    #[test]
    fn every_algorithm_round_trips() {
        for balance in Balance::ALL {
            let mut model = sample();
            model.balancers[0].balance = balance;
            let parsed = OwnedConfig::parse(&model.render()).unwrap();
            assert_eq!(parsed.balancers[0].balance, balance);
        }
    }

    #[test]
    fn parse_refuses_what_render_never_writes() {
        let good = sample().render();
        let cases = [
            (
                "no format line",
                good.replacen(FORMAT_LINE, "# something else", 1),
            ),
            (
                "extra directive",
                good.replace("    mode tcp\n", "    mode tcp\n    stats enable\n"),
            ),
            (
                "injected server option",
                good.replace("weight 3", "weight 3 backup"),
            ),
            (
                "injected bind option",
                good.replace("8080\n", "8080 accept-proxy\n"),
            ),
            ("bad name", good.replace("frontend db", "frontend d;b")),
            (
                "unknown mark",
                good.replace("# lbcloud: drain s2", "# lbcloud: boom s2"),
            ),
            ("duplicate server", good.replace("server s2", "server s1")),
            ("weight too high", good.replace("weight 3", "weight 300")),
            (
                "relative cert",
                good.replace("crt /etc/ssl/web.pem", "crt web.pem"),
            ),
            ("bad address", good.replace("127.0.0.1:9001", "host:9001")),
            ("port zero", good.replace("127.0.0.1:9001", "127.0.0.1:0")),
            ("backend first", good.replace("frontend db", "frontend zz")),
            ("bad status", good.replace("status 200-299", "status 2xx")),
        ];
        for (what, text) in cases {
            assert_ne!(text, good, "{what}: the case did not change the text");
            let err = OwnedConfig::parse(&text).expect_err(what);
            assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{what}");
            assert!(err.message().contains("line"), "{what}: {err}");
        }
    }

    #[test]
    fn tcp_check_without_http_lines() {
        let text = sample().render();
        let parsed = OwnedConfig::parse(&text).unwrap();
        let db = parsed.balancer("db").unwrap();
        // No server carries the check options: the mark line alone keeps them.
        assert!(db.servers.is_empty());
        assert_eq!(db.check, sample().balancers[1].check);
        assert!(!text.contains("option httpchk GET /health\n    http-check expect status 200-299\n    load-server-state-from-file local\n    server-state-file-name /var/lib/lbcloud/lbcloud.cfg.state\n\nfrontend db"));
    }
}
