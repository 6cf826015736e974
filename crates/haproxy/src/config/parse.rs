//! The parser of the owned file: it reads only what the renderer writes,
//! line by line, and validates every value again.

use std::net::{IpAddr, SocketAddr};

use lbcloud_core::{Error, ErrorKind, Result};

use super::{
    AdminState, Balance, BalancerConfig, Bind, Check, CheckKind, FORMAT_LINE, MARK, MAX_WEIGHT,
    Mode, OwnedConfig, Server,
};
use crate::validate;

/// A line-by-line reader of the rendered format.
#[derive(Default)]
pub(super) struct Parser {
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
    pub(super) fn run(mut self, text: &str) -> Result<OwnedConfig> {
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
