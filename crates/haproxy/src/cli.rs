//! A client for HAProxy's line-based CLI: the master CLI (`haproxy -W -S
//! <socket>`, for `reload`, `show proc` and reaching a worker with `@1` or
//! `@!<pid>`) and a worker's own `stats socket ... level admin`.
//!
//! Commands are built only by [`Command`]'s constructors from validated
//! parts, so no caller value can add a second command to the line. Each
//! exchange opens a connection, sends one line ending in `; quit` (which
//! makes both kinds of socket close after the answer), and reads the answer
//! to its end under a time limit and a size limit. [`Cli::run_batch`] sends
//! several commands in one exchange, in interactive mode, and tells their
//! answers apart by the prompt HAProxy prints after each.

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

impl Target {
    /// What goes before each command on the line.
    fn prefix(self) -> String {
        match self {
            Target::Direct | Target::Master => String::new(),
            Target::CurrentWorker => "@1 ".into(),
            Target::Pid(pid) => format!("@!{pid} "),
        }
    }
}

/// The answers of `n` commands sent in interactive mode: the text between
/// the prompts. The prompt is learnt from the answer to `prompt` itself
/// (`> ` on a worker's socket, `master> ` on the master CLI), and each
/// later prompt starts a line. Anything but prompts after the `n`-th
/// answer means the answer was not split as sent.
fn split_prompted(text: &str, n: usize) -> Result<Vec<&str>> {
    let unsplit = |why: &str| {
        Error::new(
            ErrorKind::InvalidResponse,
            format!("HAProxy CLI answer to {n} commands {why}"),
        )
    };
    let start = text.trim_start_matches('\n');
    let prompt_len = start
        .find("> ")
        .map(|i| i + 2)
        .filter(|&len| len <= 64)
        .ok_or_else(|| unsplit("has no prompt"))?;
    let prompt = start.get(..prompt_len).unwrap_or_default();
    let context = prompt.get(..prompt_len - 2).unwrap_or_default();
    if context.contains(|c: char| c.is_whitespace() || c.is_control()) {
        return Err(unsplit("has no prompt"));
    }
    let rest = start.get(prompt_len..).unwrap_or_default();
    let separator = format!("\n{prompt}");
    // Each answer is followed by a prompt: n answers make n + 1 pieces.
    let pieces: Vec<&str> = rest.split(separator.as_str()).collect();
    if pieces.len() <= n {
        return Err(unsplit(&format!(
            "ended after {} of them",
            pieces.len().saturating_sub(1)
        )));
    }
    let (frames, tail) = pieces.split_at(n);
    // What follows the last answer: the prompt after `quit`, if any.
    if !tail
        .concat()
        .replace(prompt.trim_end(), "")
        .trim()
        .is_empty()
    {
        return Err(unsplit("has more answers than commands"));
    }
    Ok(frames.to_vec())
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
        let prefix = target.prefix();
        let line = match command.expect {
            // `reload` closes the connection itself.
            Expect::Closed => format!("{prefix}{}\n", command.line),
            _ => format!("{prefix}{}; quit\n", command.line),
        };
        let answer = self.exchange(&line).await?;
        judge(command, answer).map_err(|e| e.with_action(command.line.clone()))
    }

    /// Sends every command of `commands` to `target` in one exchange and
    /// returns each one's judged answer, in order.
    ///
    /// The commands go as separate lines in HAProxy's interactive mode
    /// (`prompt`), whose prompt after each answer tells the answers apart
    /// (the `;`-separated form ends most answers with an empty line but
    /// not `del server`'s, in HAProxy 2.6). HAProxy runs every command of
    /// a batch whatever the earlier ones answered: a command that must not
    /// run after a failure belongs in a later batch. The outer error is
    /// for the exchange as a whole (no connection, a time-out, an answer
    /// that cannot be split); then which commands ran is unknown.
    ///
    /// ```no_run
    /// # async fn demo() -> lbcloud_core::Result<()> {
    /// use lbcloud_haproxy::cli::{AdminState, Cli, Command, Target};
    ///
    /// let admin = Cli::new("/run/haproxy/admin.sock");
    /// let answers = admin
    ///     .run_batch(
    ///         Target::Direct,
    ///         &[
    ///             Command::set_state("web", "s1", AdminState::Maint)?,
    ///             Command::del_server("web", "s1")?,
    ///         ],
    ///     )
    ///     .await?;
    /// assert_eq!(answers.len(), 2);
    /// # Ok(()) }
    /// ```
    pub async fn run_batch(
        &self,
        target: Target,
        commands: &[Command],
    ) -> Result<Vec<Result<String>>> {
        if let Some(c) = commands.iter().find(|c| c.expect == Expect::Closed) {
            return Err(Error::invalid_input(
                "commands",
                format!("{:?} closes the connection and cannot be batched", c.line),
            ));
        }
        let prefix = target.prefix();
        let mut request = String::from("prompt\n");
        for c in commands {
            request.push_str(&prefix);
            request.push_str(&c.line);
            request.push('\n');
        }
        request.push_str("quit\n");
        let answer = self.exchange(&request).await?;
        let frames = split_prompted(&answer, commands.len())?;
        Ok(commands
            .iter()
            .zip(frames)
            .map(|(c, frame)| judge(c, frame.to_owned()).map_err(|e| e.with_action(c.line.clone())))
            .collect())
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

mod parse;

pub use parse::{
    Proc, ProcList, ServerStateRow, StatRow, parse_servers_state, parse_show_proc, parse_show_stat,
};

#[cfg(test)]
mod tests;
