//! Test harness for the traffic tests: a real HAProxy in master-worker mode
//! on 127.0.0.1 with its sockets in a temp dir, small HTTP backends that
//! answer with their own name and count requests, and a bounded client that
//! counts answers per backend. Everything is stopped on drop.
//!
//! A missing `haproxy` binary is a loud failure, never a skip:
//! `scripts/test.sh` installs Debian's package (`apt-get install -y haproxy`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU16, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use lbcloud_haproxy::cli::{Cli, Target, parse_show_proc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The `haproxy` binary: `LBCLOUD_HAPROXY_BIN`, else the first on `PATH`,
/// else Debian's `/usr/sbin/haproxy`. Panics with the fix when none exists.
pub fn haproxy_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("LBCLOUD_HAPROXY_BIN") {
        return PathBuf::from(bin);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/local/sbin")])
        .map(|dir| dir.join("haproxy"))
        .find(|p| p.is_file());
    found.unwrap_or_else(|| {
        panic!(
            "haproxy is not installed: these tests need a real HAProxy (Debian: \
             `apt-get install -y haproxy`; scripts/test.sh does it), or set LBCLOUD_HAPROXY_BIN"
        )
    })
}

/// A temp dir removed on drop; short paths, since unix socket paths are
/// limited to 107 bytes.
pub struct TempDir(PathBuf);

impl TempDir {
    /// A fresh, empty dir named after `tag`, this process and a counter.
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicU64 = AtomicU64::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("lbhx-{tag}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// The dir's path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The first line of an empty owned file, as the driver writes it.
pub const EMPTY_OWNED: &str = "# lbcloud-haproxy owned config, format 1\n";

/// A running HAProxy: `haproxy -W -S <dir>/master.sock -f base.cfg -f lbcloud.cfg`.
pub struct Haproxy {
    /// The temp dir holding the configs, sockets and log.
    pub dir: TempDir,
    /// The `haproxy` binary it runs.
    pub bin: PathBuf,
    /// The base config the test wrote (global, stats socket, defaults).
    pub base: PathBuf,
    /// The config file the driver owns.
    pub owned: PathBuf,
    /// The master CLI socket.
    pub master_socket: PathBuf,
    /// The workers' stats (admin) socket.
    pub admin_socket: PathBuf,
    child: Option<Child>,
}

impl Haproxy {
    /// Starts HAProxy on an empty owned file and waits for its worker.
    pub async fn start() -> Haproxy {
        Haproxy::start_with(EMPTY_OWNED).await
    }

    /// Starts HAProxy with `owned` as the owned file's first content.
    pub async fn start_with(owned: &str) -> Haproxy {
        let dir = TempDir::new("hx");
        let base = dir.path().join("base.cfg");
        let owned_path = dir.path().join("lbcloud.cfg");
        let admin_socket = dir.path().join("admin.sock");
        fs::write(
            &base,
            format!(
                "global\n    stats socket {} level admin\n    stats timeout 10s\n\n\
                 defaults\n    timeout connect 2s\n    timeout client 10s\n    timeout server 10s\n",
                admin_socket.display()
            ),
        )
        .unwrap();
        fs::write(&owned_path, owned).unwrap();
        let mut haproxy = Haproxy {
            master_socket: dir.path().join("master.sock"),
            admin_socket,
            bin: haproxy_bin(),
            base,
            owned: owned_path,
            dir,
            child: None,
        };
        haproxy.launch().await;
        haproxy
    }

    /// (Re)starts the processes on the current files.
    pub async fn launch(&mut self) {
        assert!(self.child.is_none(), "HAProxy is already running");
        let log = fs::File::create(self.dir.path().join("haproxy.log")).unwrap();
        let child = Command::new(&self.bin)
            .arg("-W")
            .arg("-S")
            .arg(&self.master_socket)
            .arg("-f")
            .arg(&self.base)
            .arg("-f")
            .arg(&self.owned)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.bin.display()));
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(pids) = self.worker_pids().await
                && !pids.is_empty()
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "HAProxy did not come up within 10 s; log:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The current workers' PIDs, from the master CLI.
    pub async fn worker_pids(&self) -> lbcloud::Result<Vec<u32>> {
        let cli = Cli::new(&self.master_socket).timeout(Duration::from_secs(2));
        let text = cli
            .run(Target::Master, &lbcloud_haproxy::cli::Command::show_proc())
            .await?;
        Ok(parse_show_proc(&text)?
            .workers
            .iter()
            .map(|p| p.pid)
            .collect())
    }

    /// A driver builder for this HAProxy: its owned file, master socket,
    /// base config and binary, binding 127.0.0.1.
    pub fn driver_builder(&self) -> lbcloud_haproxy::HaproxyDriverBuilder {
        let s = |p: &Path| p.display().to_string();
        lbcloud_haproxy::HaproxyDriver::builder()
            .config_file(s(&self.owned))
            .master_socket(s(&self.master_socket))
            .base_config(s(&self.base))
            .haproxy_bin(s(&self.bin))
            .bind_address("127.0.0.1")
    }

    /// The master process's PID while it runs.
    pub fn master_pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// What HAProxy has written to its log file so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("haproxy.log")).unwrap_or_default()
    }

    /// Stops the master (SIGTERM, then SIGKILL after 5 s); its workers
    /// follow it.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A small HTTP server on 127.0.0.1 that answers every request with its
/// name and counts them; `/health...` requests are counted apart and get
/// `health_status`.
pub struct Backend {
    /// The name it answers with.
    pub name: String,
    /// Its port on 127.0.0.1.
    pub port: u16,
    hits: Arc<AtomicU64>,
    checks: Arc<AtomicU64>,
    health_status: Arc<AtomicU16>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Backend {
    /// Starts a backend called `name` on a free port.
    pub async fn start(name: &str) -> Backend {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut backend = Backend {
            name: name.to_owned(),
            port,
            hits: Arc::default(),
            checks: Arc::default(),
            health_status: Arc::new(AtomicU16::new(200)),
            task: None,
        };
        backend.serve(listener);
        backend
    }

    /// `n` backends named `b0`, `b1`, ...
    pub async fn several(n: usize) -> Vec<Backend> {
        let mut out = Vec::new();
        for i in 0..n {
            out.push(Backend::start(&format!("b{i}")).await);
        }
        out
    }

    fn serve(&mut self, listener: TcpListener) {
        let (name, hits, checks, status) = (
            self.name.clone(),
            self.hits.clone(),
            self.checks.clone(),
            self.health_status.clone(),
        );
        self.task = Some(tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (name, hits, checks, status) =
                    (name.clone(), hits.clone(), checks.clone(), status.clone());
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(
                        Duration::from_secs(10),
                        answer(stream, &name, &hits, &checks, &status),
                    )
                    .await;
                });
            }
        }));
    }

    /// Requests answered (health checks not counted).
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::SeqCst)
    }

    /// Health-check requests answered.
    pub fn checks(&self) -> u64 {
        self.checks.load(Ordering::SeqCst)
    }

    /// Sets the request count back to zero.
    pub fn reset(&self) {
        self.hits.store(0, Ordering::SeqCst);
    }

    /// Makes health checks answer `status` (e.g. 503 to fail an HTTP check).
    pub fn set_health_status(&self, status: u16) {
        self.health_status.store(status, Ordering::SeqCst);
    }

    /// Stops listening: new connections are refused.
    pub fn kill(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }

    /// Listens again on the same port.
    pub async fn restart(&mut self) {
        self.kill();
        let deadline = Instant::now() + Duration::from_secs(5);
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", self.port)).await {
                Ok(l) => break l,
                Err(e) => {
                    assert!(
                        Instant::now() < deadline,
                        "cannot rebind port {}: {e}",
                        self.port
                    );
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        };
        self.serve(listener);
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.kill();
    }
}

async fn answer(
    mut stream: TcpStream,
    name: &str,
    hits: &AtomicU64,
    checks: &AtomicU64,
    health_status: &AtomicU16,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 || head.len() > 16 * 1024 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let first = String::from_utf8_lossy(&head);
    let path = first.split_whitespace().nth(1).unwrap_or("/");
    let (status, body) = if path.starts_with("/health") {
        checks.fetch_add(1, Ordering::SeqCst);
        (health_status.load(Ordering::SeqCst), "ok".to_owned())
    } else {
        hits.fetch_add(1, Ordering::SeqCst);
        (200, name.to_owned())
    };
    let reply = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(reply.as_bytes()).await?;
    stream.shutdown().await
}

/// Answers counted by backend name, plus failures.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Answers per backend name.
    pub by_backend: BTreeMap<String, usize>,
    /// Requests that got no backend's answer.
    pub failures: usize,
    /// Why the first of those failed.
    pub first_failure: Option<String>,
}

impl Tally {
    /// Answers from backend `name`.
    pub fn get(&self, name: &str) -> usize {
        self.by_backend.get(name).copied().unwrap_or(0)
    }

    /// Answers from all backends.
    pub fn total(&self) -> usize {
        self.by_backend.values().sum()
    }

    fn add(&mut self, result: Result<String, String>) {
        match result {
            Ok(name) => *self.by_backend.entry(name).or_default() += 1,
            Err(e) => {
                self.failures += 1;
                self.first_failure.get_or_insert(e);
            }
        }
    }
}

/// One `GET /` through 127.0.0.1:`port` on a new connection: the answering
/// backend's name, or why there was none.
pub async fn request(port: u16) -> Result<String, String> {
    let exchange = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port))
            .await
            .map_err(|e| format!("connect: {e}"))?;
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: lbcloud.test\r\nConnection: close\r\n\r\n")
            .await
            .map_err(|e| format!("send: {e}"))?;
        let mut answer = Vec::new();
        stream
            .read_to_end(&mut answer)
            .await
            .map_err(|e| format!("read: {e}"))?;
        let text = String::from_utf8_lossy(&answer).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        let body = text.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned();
        if status == "200" {
            Ok(body)
        } else {
            Err(format!(
                "status {status:?}: {}",
                text.lines().next().unwrap_or_default()
            ))
        }
    };
    tokio::time::timeout(Duration::from_secs(5), exchange)
        .await
        .unwrap_or_else(|_| Err("no answer within 5 s".into()))
}

/// `n` sequential requests through `port`, counted.
pub async fn send(port: u16, n: usize) -> Tally {
    let mut tally = Tally::default();
    for _ in 0..n {
        tally.add(request(port).await);
    }
    tally
}

/// Requests through `port` one after another until `stop` is set (at most
/// `max`), counted: steady traffic for the reload test.
pub fn steady(port: u16, stop: Arc<AtomicBool>, max: usize) -> tokio::task::JoinHandle<Tally> {
    tokio::spawn(async move {
        let mut tally = Tally::default();
        for _ in 0..max {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            tally.add(request(port).await);
        }
        tally
    })
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Polls `check` every 50 ms until it returns true or `within` passes.
pub async fn eventually<F, Fut>(within: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    loop {
        if check().await {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A self-signed certificate and its key for `cn`, in one PEM file as
/// HAProxy's `crt` takes it (made with the `openssl` program).
pub fn make_cert(dir: &Path, cn: &str) -> PathBuf {
    let (key, crt, pem) = (
        dir.join(format!("{cn}.key")),
        dir.join(format!("{cn}.crt")),
        dir.join(format!("{cn}.pem")),
    );
    let status = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .arg("-subj")
        .arg(format!("/CN={cn}"))
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&crt)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the TLS tests need the openssl program");
    assert!(status.success(), "openssl req failed");
    let mut text = fs::read_to_string(&crt).unwrap();
    text.push_str(&fs::read_to_string(&key).unwrap());
    fs::write(&pem, text).unwrap();
    pem
}

/// One HTTPS `GET /` through 127.0.0.1:`port` with `openssl s_client`:
/// the certificate's subject line and the answer's body.
pub async fn tls_request(port: u16) -> Result<(String, String), String> {
    let mut child = tokio::process::Command::new("openssl")
        .args(["s_client", "-ign_eof", "-connect"])
        .arg(format!("127.0.0.1:{port}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("openssl s_client: {e}"))?;
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"GET / HTTP/1.1\r\nHost: lbcloud.test\r\nConnection: close\r\n\r\n")
        .await
        .map_err(|e| e.to_string())?;
    drop(stdin);
    let output = tokio::time::timeout(Duration::from_secs(10), child.wait_with_output())
        .await
        .map_err(|_| "openssl s_client ran longer than 10 s".to_owned())?
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let subject = text
        .lines()
        .find(|l| l.starts_with("subject="))
        .ok_or_else(|| format!("no certificate in: {text}"))?
        .to_owned();
    // s_client prints its own lines after the answer: take Content-Length bytes.
    let answer = text
        .split("HTTP/1.1 200")
        .nth(1)
        .ok_or_else(|| format!("no HTTP 200 answer in: {text}"))?;
    let (head, rest) = answer
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no end of headers in: {answer}"))?;
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length").then_some(value)
        })
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| format!("no Content-Length in: {head}"))?;
    let body = rest.get(..length).unwrap_or(rest).to_owned();
    Ok((subject, body))
}
