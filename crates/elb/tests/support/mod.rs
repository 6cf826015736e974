//! A loopback HTTP/1.1 server for the driver tests that send requests
//! concurrently: it answers each request by its `Action` (a scripted queue
//! cannot, because concurrent requests arrive in any order), can wait
//! before answering, and counts how many requests were in flight at once.
//!
//! Bounded like `lbcloud-testserver`: 127.0.0.1 only, heads of at most
//! 64 KiB, bodies of at most 1 MiB, idle connections closed after 5 s,
//! every task aborted when the server is dropped.

#![allow(dead_code, unreachable_pub)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// One request as the handler sees it: the decoded form pairs of its body.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub form: Vec<(String, String)>,
}

impl Request {
    /// The first value of form field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `Action` of the request (empty if none).
    pub fn action(&self) -> &str {
        self.get("Action").unwrap_or_default()
    }

    /// The values of `Prefix.member.1`, `Prefix.member.2`, ...
    pub fn members(&self, prefix: &str) -> Vec<String> {
        let start = format!("{prefix}.member.");
        self.form
            .iter()
            .filter(|(k, _)| k.starts_with(&start))
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// An answer: status, body, and how long to wait before sending it.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub delay: Duration,
}

impl Answer {
    pub fn ok(body: impl Into<String>) -> Self {
        Self {
            status: 200,
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn status(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Handler = Arc<dyn Fn(&Request) -> Answer + Send + Sync>;

#[derive(Default)]
struct Counters {
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    requests: Mutex<Vec<Request>>,
}

/// A running routed server; stops when dropped.
pub struct RoutedServer {
    url: String,
    counters: Arc<Counters>,
    accept: tokio::task::JoinHandle<()>,
}

impl RoutedServer {
    /// Starts a server on a free loopback port answering with `handler`.
    pub async fn start(handler: impl Fn(&Request) -> Answer + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("routed server: cannot bind 127.0.0.1: {e}"));
        let url = format!(
            "http://{}",
            listener
                .local_addr()
                .unwrap_or_else(|e| panic!("routed server: no address: {e}"))
        );
        let counters = Arc::new(Counters::default());
        let handler: Handler = Arc::new(handler);
        let c = counters.clone();
        let accept = tokio::spawn(async move {
            let mut tasks = JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        if let Ok((stream, _)) = accepted {
                            tasks.spawn(serve(stream, handler.clone(), c.clone()));
                        }
                    }
                    Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
                }
            }
        });
        Self {
            url,
            counters,
            accept,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// The most requests that were being answered at the same time.
    pub fn max_in_flight(&self) -> usize {
        self.counters.max_in_flight.load(Ordering::SeqCst)
    }

    /// Every request received, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.counters
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The actions received, in arrival order.
    pub fn actions(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|r| r.action().to_owned())
            .collect()
    }
}

impl Drop for RoutedServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 1024 * 1024;
const IDLE: Duration = Duration::from_secs(5);

async fn serve(mut stream: TcpStream, handler: Handler, counters: Arc<Counters>) {
    // One write per answer and no Nagle delay: thousands of small answers
    // in a row must not wait for delayed ACKs.
    if stream.set_nodelay(true).is_err() {
        return;
    }
    let mut buf = Vec::new();
    // At most 20,000 requests per connection: every loop is bounded.
    for _ in 0..20_000 {
        let Ok(Some(request)) = tokio::time::timeout(IDLE, read(&mut stream, &mut buf))
            .await
            .unwrap_or(Ok(None))
        else {
            return;
        };
        let now = counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        counters.max_in_flight.fetch_max(now, Ordering::SeqCst);
        counters
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(request.clone());
        let answer = handler(&request);
        if !answer.delay.is_zero() {
            tokio::time::sleep(answer.delay).await;
        }
        counters.in_flight.fetch_sub(1, Ordering::SeqCst);
        let mut out = format!(
            "HTTP/1.1 {} X\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\r\n",
            answer.status,
            answer.body.len()
        );
        out.push_str(&answer.body);
        if stream.write_all(out.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// Reads one request; `Ok(None)` when the peer closed or sent garbage.
async fn read(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<Option<Request>> {
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > MAX_HEAD || !more(stream, buf).await? {
            return Ok(None);
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    if length > MAX_BODY {
        return Ok(None);
    }
    while buf.len() < head_end + length {
        if !more(stream, buf).await? {
            return Ok(None);
        }
    }
    let body: Vec<u8> = buf.drain(..head_end + length).skip(head_end).collect();
    let form = String::from_utf8_lossy(&body)
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect();
    Ok(Some(Request { form }))
}

async fn more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    let mut chunk = [0u8; 16 * 1024];
    let n = stream.read(&mut chunk).await?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n > 0)
}

/// Decodes `application/x-www-form-urlencoded` text.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
