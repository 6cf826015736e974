//! Parsers of what HAProxy's CLI answers (`show stat`, `show proc`,
//! `show servers state`): pure functions that return an
//! [`ErrorKind::InvalidResponse`] error for anything they cannot read and
//! never panic.

use lbcloud_core::{Error, ErrorKind, Result};

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
