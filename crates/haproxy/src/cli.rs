//! A client for HAProxy's line-based CLI: the master CLI (`haproxy -W -S
//! <socket>`, for `reload`, `show proc` and reaching a worker with `@1` or
//! `@!<pid>`) and a worker's own `stats socket ... level admin`.
//!
//! Commands are built only by [`Command`]'s constructors from validated
//! parts, so no caller value can add a second command to the line. Each
//! exchange opens a connection, sends one line ending in `; quit` (which
//! makes both kinds of socket close after the answer), and reads the answer
//! to its end under a time limit and a size limit.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lbcloud_core::{Error, ErrorKind, Result};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::UnixStream;

use crate::config::host_port;
use crate::validate;

/// The largest answer read from a socket (a `show stat` of thousands of
/// servers fits well within it).
pub const MAX_RESPONSE: usize = 16 * 1024 * 1024;

/// A server's administrative state, as `set server ... state` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminState {
    /// Takes traffic (`ready`).
    Ready,
    /// Keeps its sessions and persistent clients but gets no new ones (`drain`).
    Drain,
    /// Gets no traffic and no health checks (`maint`).
    Maint,
}

impl AdminState {
    fn word(self) -> &'static str {
        match self {
            AdminState::Ready => "ready",
            AdminState::Drain => "drain",
            AdminState::Maint => "maint",
        }
    }
}

/// What a successful answer to a command looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Nothing but blank lines.
    Empty,
    /// This sentence.
    Message(&'static str),
    /// Any text (a `show` command; its parser judges it).
    Output,
    /// The socket closes without an answer (`reload` on HAProxy 2.6).
    Closed,
}

/// One CLI command line, built only from validated parts.
///
/// ```
/// use lbcloud_haproxy::cli::Command;
///
/// let cmd = Command::set_weight("web", "s1", 3).unwrap();
/// assert_eq!(cmd.as_str(), "set server web/s1 weight 3");
/// assert!(Command::set_weight("web", "s1; shutdown sessions", 3).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    line: String,
    expect: Expect,
}

fn server_ref(backend: &str, server: &str) -> Result<String> {
    validate::name("backend", backend)?;
    validate::name("server", server)?;
    Ok(format!("{backend}/{server}"))
}

impl Command {
    fn new(line: String, expect: Expect) -> Command {
        Command { line, expect }
    }

    /// `add server <backend>/<server> <addr>:<port> weight <w> [check ...]`.
    /// `check` holds extra words (`check inter 500ms rise 1 fall 2`), each
    /// checked to be one safe word.
    pub fn add_server(
        backend: &str,
        server: &str,
        addr: IpAddr,
        port: u16,
        weight: u32,
        check: &[&str],
    ) -> Result<Command> {
        validate::port("port", port)?;
        let mut line = format!(
            "add server {} {} weight {weight}",
            server_ref(backend, server)?,
            host_port(addr, port)
        );
        for word in check {
            validate::word("check", word, 64)?;
            line.push(' ');
            line.push_str(word);
        }
        Ok(Command::new(
            line,
            Expect::Message("New server registered."),
        ))
    }

    /// `del server <backend>/<server>` (the server must be in maintenance).
    pub fn del_server(backend: &str, server: &str) -> Result<Command> {
        Ok(Command::new(
            format!("del server {}", server_ref(backend, server)?),
            Expect::Message("Server deleted."),
        ))
    }

    /// `enable health <backend>/<server>`: starts the checks of a server
    /// added at run time.
    pub fn enable_health(backend: &str, server: &str) -> Result<Command> {
        Ok(Command::new(
            format!("enable health {}", server_ref(backend, server)?),
            Expect::Empty,
        ))
    }

    /// `enable server <backend>/<server>`: ends maintenance.
    pub fn enable_server(backend: &str, server: &str) -> Result<Command> {
        Ok(Command::new(
            format!("enable server {}", server_ref(backend, server)?),
            Expect::Empty,
        ))
    }

    /// `set server <backend>/<server> state ready|drain|maint`.
    pub fn set_state(backend: &str, server: &str, state: AdminState) -> Result<Command> {
        Ok(Command::new(
            format!(
                "set server {} state {}",
                server_ref(backend, server)?,
                state.word()
            ),
            Expect::Empty,
        ))
    }

    /// `set server <backend>/<server> weight <w>`, 0 to 256.
    pub fn set_weight(backend: &str, server: &str, weight: u32) -> Result<Command> {
        if weight > crate::config::MAX_WEIGHT {
            return Err(Error::invalid_input("weight", "must be 0 to 256"));
        }
        Ok(Command::new(
            format!(
                "set server {} weight {weight}",
                server_ref(backend, server)?
            ),
            Expect::Empty,
        ))
    }

    /// `show stat`: the CSV statistics, read with [`parse_show_stat`].
    pub fn show_stat() -> Command {
        Command::new("show stat".into(), Expect::Output)
    }

    /// `show servers state [<backend>]`, read with [`parse_servers_state`].
    pub fn show_servers_state(backend: Option<&str>) -> Result<Command> {
        let line = match backend {
            Some(b) => {
                validate::name("backend", b)?;
                format!("show servers state {b}")
            }
            None => "show servers state".into(),
        };
        Ok(Command::new(line, Expect::Output))
    }

    /// `show proc` (master CLI only), read with [`parse_show_proc`].
    pub fn show_proc() -> Command {
        Command::new("show proc".into(), Expect::Output)
    }

    /// `reload` (master CLI only): re-executes HAProxy on its config files.
    pub fn reload() -> Command {
        Command::new("reload".into(), Expect::Closed)
    }

    /// The command line, without its end of line.
    pub fn as_str(&self) -> &str {
        &self.line
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line)
    }
}

/// Which process a [`Cli`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The socket is a worker's `stats socket`: commands go as they are.
    Direct,
    /// The socket is the master CLI and the command is for the master.
    Master,
    /// Through the master CLI, to the current worker (`@1`).
    CurrentWorker,
    /// Through the master CLI, to the process with this PID (`@!<pid>`).
    Pid(u32),
}

/// A client for one HAProxy CLI socket.
///
/// ```no_run
/// # async fn demo() -> lbcloud_core::Result<()> {
/// use lbcloud_haproxy::cli::{Cli, Command, Target, parse_show_proc};
///
/// let master = Cli::new("/run/haproxy-master.sock");
/// let procs = parse_show_proc(&master.run(Target::Master, &Command::show_proc()).await?)?;
/// println!("worker pids: {:?}", procs.workers.iter().map(|p| p.pid).collect::<Vec<_>>());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Cli {
    socket: PathBuf,
    connect_timeout: Duration,
    timeout: Duration,
}

impl Cli {
    /// A client for the unix socket at `socket`, with a 2 s connect and a
    /// 10 s answer time limit.
    pub fn new(socket: impl Into<PathBuf>) -> Cli {
        Cli {
            socket: socket.into(),
            connect_timeout: Duration::from_secs(2),
            timeout: Duration::from_secs(10),
        }
    }

    /// Sets the time limit for a whole exchange.
    pub fn timeout(mut self, timeout: Duration) -> Cli {
        self.timeout = timeout;
        self
    }

    /// The socket path.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// Sends `command` to `target` and returns HAProxy's answer, or an
    /// error carrying HAProxy's own words when it refused the command.
    pub async fn run(&self, target: Target, command: &Command) -> Result<String> {
        let prefix = match target {
            Target::Direct | Target::Master => String::new(),
            Target::CurrentWorker => "@1 ".into(),
            Target::Pid(pid) => format!("@!{pid} "),
        };
        let line = match command.expect {
            // `reload` closes the connection itself.
            Expect::Closed => format!("{prefix}{}\n", command.line),
            _ => format!("{prefix}{}; quit\n", command.line),
        };
        let answer = self.exchange(&line).await?;
        judge(command, answer).map_err(|e| e.with_action(command.line.clone()))
    }

    async fn exchange(&self, line: &str) -> Result<String> {
        let socket = &self.socket;
        let transport = |what: &str, e: std::io::Error| {
            Error::new(
                ErrorKind::Transport,
                format!("HAProxy CLI {}: {what}: {e}", socket.display()),
            )
            .with_source(e)
        };
        let mut stream = tokio::time::timeout(self.connect_timeout, UnixStream::connect(socket))
            .await
            .map_err(|_| self.timed_out("connect"))?
            .map_err(|e| transport("cannot connect", e))?;
        let read = async {
            stream
                .write_all(line.as_bytes())
                .await
                .map_err(|e| transport("cannot send", e))?;
            let mut buf = Vec::new();
            let mut limited = (&mut stream).take(MAX_RESPONSE as u64 + 1);
            limited
                .read_to_end(&mut buf)
                .await
                .map_err(|e| transport("cannot read", e))?;
            Ok::<_, Error>(buf)
        };
        let buf = tokio::time::timeout(self.timeout, read)
            .await
            .map_err(|_| self.timed_out("answer"))??;
        if buf.len() > MAX_RESPONSE {
            return Err(Error::new(
                ErrorKind::InvalidResponse,
                format!("HAProxy CLI answer longer than {MAX_RESPONSE} bytes"),
            ));
        }
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    fn timed_out(&self, what: &str) -> Error {
        Error::new(
            ErrorKind::Timeout,
            format!(
                "HAProxy CLI {}: no {what} within {:?}",
                self.socket.display(),
                self.timeout
            ),
        )
    }
}

/// Checks an answer against what `command` expects on success.
fn judge(command: &Command, answer: String) -> Result<String> {
    let text = answer.trim();
    let ok = match command.expect {
        Expect::Output => !looks_like_refusal(text),
        Expect::Empty | Expect::Closed => text.is_empty(),
        Expect::Message(m) => text == m,
    };
    if ok {
        return Ok(answer);
    }
    Err(refusal(text))
}

/// First lines HAProxy answers a `show` command with when it refuses it.
fn looks_like_refusal(text: &str) -> bool {
    let first = text.lines().next().unwrap_or_default();
    [
        "Unknown command",
        "Permission denied",
        "No such",
        "Can't find",
        "Can't",
    ]
    .iter()
    .any(|p| first.starts_with(p))
}

/// HAProxy's words as an error of the matching kind.
fn refusal(text: &str) -> Error {
    let said: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(500)
        .collect();
    let kind = if said.contains("No such") {
        ErrorKind::NotFound
    } else if said.contains("Already exists") {
        ErrorKind::AlreadyExists
    } else if said.contains("Permission denied") {
        ErrorKind::PermissionDenied
    } else {
        ErrorKind::Provider
    };
    let said = if said.is_empty() {
        "an unexpected empty answer".to_owned()
    } else {
        said
    };
    Error::new(kind, format!("HAProxy said: {said}")).with_code("CliError")
}

fn bad_answer(what: &str) -> Error {
    Error::new(ErrorKind::InvalidResponse, format!("HAProxy {what}"))
}

/// One row of `show stat`: a frontend, backend or server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatRow {
    /// `pxname`: the proxy.
    pub proxy: String,
    /// `svname`: `FRONTEND`, `BACKEND` or the server's name.
    pub server: String,
    /// `status`: `UP`, `DOWN`, `MAINT`, `DRAIN`, `NOLB`, `no check`, ...
    pub status: String,
    /// `weight`.
    pub weight: Option<u32>,
    /// `check_status` (`L4OK`, `L7STS`, `* L4CON` while a check runs).
    pub check_status: Option<String>,
    /// `check_code`: the layer 5-7 code.
    pub check_code: Option<String>,
    /// `check_desc`: the check's words.
    pub check_desc: Option<String>,
    /// `last_chk`: the last check's details.
    pub last_check: Option<String>,
    /// `lastchg`: seconds since the last UP/DOWN change.
    pub last_change_secs: Option<u64>,
    /// `stot`: sessions in total.
    pub sessions_total: Option<u64>,
    /// `scur`: sessions now.
    pub sessions_current: Option<u64>,
    /// `type`: 0 frontend, 1 backend, 2 server, 3 listener.
    pub kind: Option<u8>,
}

/// Splits one CSV line (commas; fields with commas or quotes are quoted,
/// a quote inside doubled), as HAProxy's management guide describes.
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// Parses `show stat` CSV by its header line, so fields HAProxy adds in
/// later versions or moves after the `-` column are found by name.
///
/// ```
/// use lbcloud_haproxy::cli::parse_show_stat;
///
/// let rows = parse_show_stat("# pxname,svname,status,weight\nweb,s1,UP,3\n").unwrap();
/// assert_eq!(rows[0].status, "UP");
/// assert_eq!(rows[0].weight, Some(3));
/// ```
pub fn parse_show_stat(text: &str) -> Result<Vec<StatRow>> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = lines
        .next()
        .and_then(|l| l.strip_prefix('#'))
        .ok_or_else(|| bad_answer("show stat: no `# pxname,...` header line"))?;
    let names: Vec<String> = csv_fields(header.trim());
    let col = |name: &str| names.iter().position(|n| n == name);
    let (px, sv) = match (col("pxname"), col("svname")) {
        (Some(px), Some(sv)) => (px, sv),
        _ => return Err(bad_answer("show stat: header lacks pxname or svname")),
    };
    let cols = [
        col("status"),
        col("weight"),
        col("check_status"),
        col("check_code"),
        col("check_desc"),
        col("last_chk"),
        col("lastchg"),
        col("stot"),
        col("scur"),
        col("type"),
    ];
    let mut rows = Vec::new();
    for line in lines {
        let fields = csv_fields(line);
        let get = |i: Option<usize>| -> Option<String> {
            i.and_then(|i| fields.get(i))
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        let num = |i: Option<usize>| get(i).and_then(|s| s.parse::<u64>().ok());
        let [
            status,
            weight,
            check_status,
            check_code,
            check_desc,
            last_chk,
            lastchg,
            stot,
            scur,
            kind,
        ] = cols;
        rows.push(StatRow {
            proxy: get(Some(px)).ok_or_else(|| bad_answer("show stat: a row without pxname"))?,
            server: get(Some(sv)).ok_or_else(|| bad_answer("show stat: a row without svname"))?,
            status: get(status).unwrap_or_default(),
            weight: num(weight).and_then(|w| u32::try_from(w).ok()),
            check_status: get(check_status),
            check_code: get(check_code),
            check_desc: get(check_desc),
            last_check: get(last_chk),
            last_change_secs: num(lastchg),
            sessions_total: num(stot),
            sessions_current: num(scur),
            kind: num(kind).and_then(|k| u8::try_from(k).ok()),
        });
    }
    Ok(rows)
}

/// One process of `show proc`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proc {
    /// The PID.
    pub pid: u32,
    /// `master`, `worker`, or a program's name.
    pub kind: String,
    /// How many reloads it has lived through.
    pub reloads: u32,
    /// The uptime as HAProxy prints it (`0d00h02m07s`).
    pub uptime: String,
    /// The version, `-` for programs.
    pub version: String,
}

/// `show proc`: the master, current workers, old (leaving) workers and
/// programs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcList {
    /// The master process.
    pub master: Option<Proc>,
    /// How many reloads of the master failed (`[failed: N]`).
    pub failed_reloads: Option<u32>,
    /// Current workers.
    pub workers: Vec<Proc>,
    /// Workers from before a reload that still finish their sessions.
    pub old_workers: Vec<Proc>,
    /// Programs the master runs.
    pub programs: Vec<Proc>,
}

/// Parses the master CLI's `show proc`.
///
/// ```
/// use lbcloud_haproxy::cli::parse_show_proc;
///
/// let text = concat!(
///     "#<PID>  <type>  <reloads>  <uptime>  <version>\n",
///     "100     master  2 [failed: 1]  0d00h00m09s  2.6.12\n",
///     "# workers\n",
///     "120     worker  0  0d00h00m01s  2.6.12\n",
/// );
/// let procs = parse_show_proc(text).unwrap();
/// assert_eq!(procs.workers[0].pid, 120);
/// assert_eq!(procs.failed_reloads, Some(1));
/// ```
pub fn parse_show_proc(text: &str) -> Result<ProcList> {
    #[derive(Clone, Copy)]
    enum Part {
        Top,
        Workers,
        Old,
        Programs,
    }
    let mut list = ProcList::default();
    let mut part = Part::Top;
    let mut seen_header = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with("#<PID>") {
            seen_header = true;
            continue;
        }
        if let Some(title) = line.strip_prefix('#') {
            part = match title.trim() {
                "workers" => Part::Workers,
                "old workers" => Part::Old,
                "programs" => Part::Programs,
                _ => part,
            };
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let (pid, kind, reloads) = match words.as_slice() {
            [pid, kind, reloads, ..] => (pid, kind, reloads),
            _ => return Err(bad_answer(&format!("show proc: unreadable line {line:?}"))),
        };
        let pid = pid
            .parse()
            .map_err(|_| bad_answer(&format!("show proc: bad pid in {line:?}")))?;
        let reloads = reloads
            .parse()
            .map_err(|_| bad_answer(&format!("show proc: bad reload count in {line:?}")))?;
        let mut rest = words.get(3..).unwrap_or_default();
        let mut failed = None;
        if let ["[failed:", n, tail @ ..] = rest {
            failed = n.trim_end_matches(']').parse().ok();
            rest = tail;
        }
        let proc = Proc {
            pid,
            kind: (*kind).to_owned(),
            reloads,
            uptime: rest.first().copied().unwrap_or_default().to_owned(),
            version: rest.get(1).copied().unwrap_or_default().to_owned(),
        };
        match part {
            Part::Top if proc.kind == "master" => {
                list.failed_reloads = failed;
                list.master = Some(proc);
            }
            Part::Top | Part::Workers => list.workers.push(proc),
            Part::Old => list.old_workers.push(proc),
            Part::Programs => list.programs.push(proc),
        }
    }
    if !seen_header {
        return Err(bad_answer("show proc: no `#<PID>` header line"));
    }
    Ok(list)
}

/// One server of `show servers state` (file format version 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerStateRow {
    /// `be_name`.
    pub backend: String,
    /// `srv_name`.
    pub server: String,
    /// `srv_addr`.
    pub addr: String,
    /// `srv_port`, when the version prints it.
    pub port: Option<u16>,
    /// `srv_op_state`: 0 stopped, 1 starting, 2 running, 3 stopping.
    pub op_state: u8,
    /// `srv_admin_state`: a mask; 0x01 forced maintenance, 0x08 forced drain.
    pub admin_state: u8,
    /// `srv_uweight`: the weight now.
    pub weight: u32,
}

/// Parses `show servers state` by its header line; the first line must be
/// the format version `1`.
pub fn parse_servers_state(text: &str) -> Result<Vec<ServerStateRow>> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    if lines.next() != Some("1") {
        return Err(bad_answer("show servers state: not format version 1"));
    }
    let header = lines
        .next()
        .and_then(|l| l.strip_prefix('#'))
        .ok_or_else(|| bad_answer("show servers state: no header line"))?;
    let names: Vec<&str> = header.split_whitespace().collect();
    let col = |name: &str| names.iter().position(|n| *n == name);
    let need = |name: &str| {
        col(name).ok_or_else(|| bad_answer(&format!("show servers state: no {name} column")))
    };
    let (be, srv, addr, op, admin, weight) = (
        need("be_name")?,
        need("srv_name")?,
        need("srv_addr")?,
        need("srv_op_state")?,
        need("srv_admin_state")?,
        need("srv_uweight")?,
    );
    let port = col("srv_port");
    let mut rows = Vec::new();
    for line in lines.filter(|l| !l.starts_with('#')) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let word = |i: usize| {
            words
                .get(i)
                .copied()
                .ok_or_else(|| bad_answer(&format!("show servers state: short line {line:?}")))
        };
        let number = |i: usize| -> Result<u32> {
            word(i)?
                .parse()
                .map_err(|_| bad_answer(&format!("show servers state: bad number in {line:?}")))
        };
        rows.push(ServerStateRow {
            backend: word(be)?.to_owned(),
            server: word(srv)?.to_owned(),
            addr: word(addr)?.to_owned(),
            port: port.and_then(|i| words.get(i)).and_then(|p| p.parse().ok()),
            op_state: u8::try_from(number(op)?).unwrap_or(u8::MAX),
            admin_state: u8::try_from(number(admin)?).unwrap_or(u8::MAX),
            weight: number(weight)?,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests;
