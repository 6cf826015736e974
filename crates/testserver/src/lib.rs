//! # lbcloud-testserver
//!
//! A scripted HTTP/1.1 server on `127.0.0.1` for transport and fault tests.
//!
//! Give it a queue of [`Reply`]s; it answers each request it receives with
//! the next one and records the request ([`Recorded`]: method, path,
//! headers, body). Replies can also misbehave: reset or close the
//! connection, send a truncated body, wait before the headers, or trickle
//! the body slowly — the faults a client's retry and timeout logic must
//! survive.
//!
//! Everything is bounded: request heads and bodies have size limits, idle
//! connections are closed after [`IDLE_TIMEOUT`], delays are whatever the
//! script says and nothing else waits forever. When the queue runs dry the
//! server answers `599` with a body saying so, so a test that sends more
//! requests than it scripted fails loudly instead of hanging. Dropping the
//! [`TestServer`] stops it and every connection task.
//!
//! ```
//! use lbcloud_testserver::{Reply, TestServer};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let server = TestServer::start([
//!     Reply::status(503).body("busy"),
//!     Reply::reset(),
//!     Reply::status(200).header("x-amzn-RequestId", "r-1").body("<ok/>"),
//! ])
//! .await;
//! assert!(server.url().starts_with("http://127.0.0.1:"));
//! // ... point a client at server.url() ...
//! assert_eq!(server.request_count(), 0);
//! # }
//! ```

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// A connection with no new request for this long is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// Largest request head (request line and headers) accepted.
const MAX_HEAD: usize = 64 * 1024;
/// Largest request body accepted.
const MAX_BODY: usize = 8 * 1024 * 1024;
/// Most requests served on one connection.
const MAX_REQUESTS_PER_CONNECTION: usize = 1_000;
/// The status sent when the script has no reply left.
pub const EXHAUSTED_STATUS: u16 = 599;

/// How a [`Reply`] misbehaves, if at all.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fault {
    None,
    /// Reset the connection (TCP RST) without answering.
    Reset,
    /// Close the connection cleanly without answering.
    Close,
    /// Send the head and the first `n` body bytes, then close.
    Truncate(usize),
    /// Send the body `chunk` bytes at a time, waiting `interval` between.
    Trickle {
        chunk: usize,
        interval: Duration,
    },
}

/// The body of a successful AWS Query-protocol answer, as the API
/// references show them: `<{action}Response xmlns="{namespace}">` holding
/// `<{action}Result>{result}</{action}Result>` and a `RequestId` of
/// `req-{action}`. The scripted servers of the AWS crates' tests answer
/// with it.
///
/// ```
/// let body = lbcloud_testserver::query_answer("urn:x", "DescribeTags", "<TagDescriptions/>");
/// assert!(body.starts_with("<DescribeTagsResponse xmlns=\"urn:x\"><DescribeTagsResult><TagDescriptions/>"));
/// assert!(body.contains("<RequestId>req-DescribeTags</RequestId>"));
/// ```
pub fn query_answer(namespace: &str, action: &str, result: &str) -> String {
    format!(
        "<{action}Response xmlns=\"{namespace}\"><{action}Result>{result}</{action}Result>\
         <ResponseMetadata><RequestId>req-{action}</RequestId></ResponseMetadata></{action}Response>"
    )
}

/// One scripted answer.
///
/// ```
/// use std::time::Duration;
/// use lbcloud_testserver::Reply;
///
/// let slow = Reply::status(200).body("<x/>").delay(Duration::from_millis(50));
/// let cut = Reply::status(200).body("0123456789").truncate_after(4);
/// let drip = Reply::status(200).body("abcdef").trickle(2, Duration::from_millis(10));
/// # let _ = (slow, cut, drip);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
    fault: Fault,
}

impl Reply {
    /// An answer with `status`, no extra headers and an empty body.
    /// `Content-Length` is added unless set with [`Reply::header`].
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            fault: Fault::None,
        }
    }

    /// Resets the connection (TCP RST) instead of answering.
    pub fn reset() -> Self {
        Self {
            fault: Fault::Reset,
            ..Self::status(0)
        }
    }

    /// Closes the connection cleanly instead of answering.
    pub fn close() -> Self {
        Self {
            fault: Fault::Close,
            ..Self::status(0)
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Waits this long after reading the request, before sending anything.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Announces the full `Content-Length` but sends only the first `n` body
    /// bytes, then closes the connection.
    pub fn truncate_after(mut self, n: usize) -> Self {
        self.fault = Fault::Truncate(n);
        self
    }

    /// Sends the body `chunk` bytes at a time (at least 1), waiting `interval` between.
    pub fn trickle(mut self, chunk: usize, interval: Duration) -> Self {
        self.fault = Fault::Trickle {
            chunk: chunk.max(1),
            interval,
        };
        self
    }
}

/// A request the server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The method, such as `POST`.
    pub method: String,
    /// The request target, such as `/` or `/path?q=1`.
    pub path: String,
    /// Headers in arrival order, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body decoded as `application/x-www-form-urlencoded` pairs.
    pub fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body).into_owned().collect()
    }

    /// The first value of form field `name` in the body.
    pub fn form_value(&self, name: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

#[derive(Default)]
struct State {
    replies: VecDeque<Reply>,
    requests: Vec<Recorded>,
}

type Shared = Arc<Mutex<State>>;

fn lock(state: &Shared) -> MutexGuard<'_, State> {
    // A panicking test thread must not make every later assertion panic too.
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running scripted server; stops when dropped.
#[derive(Debug)]
pub struct TestServer {
    url: String,
    state: Shared,
    accept: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("replies_left", &self.replies.len())
            .field("requests", &self.requests.len())
            .finish()
    }
}

impl TestServer {
    /// Starts a server on a free port of 127.0.0.1 with `replies` queued.
    ///
    /// # Panics
    /// If no loopback port can be bound; this is test support, where that
    /// is an environment failure worth stopping on.
    pub async fn start(replies: impl IntoIterator<Item = Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("testserver: cannot bind 127.0.0.1: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("testserver: no local address: {e}"));
        let state: Shared = Arc::new(Mutex::new(State {
            replies: replies.into_iter().collect(),
            requests: Vec::new(),
        }));
        let accept = tokio::spawn(accept_loop(listener, state.clone()));
        Self {
            url: format!("http://{addr}"),
            state,
            accept,
        }
    }

    /// The base URL, such as `http://127.0.0.1:41234` (no trailing `/`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Queues another reply after those already scripted.
    pub fn push(&self, reply: Reply) {
        lock(&self.state).replies.push_back(reply);
    }

    /// How many requests have been received (fully read), faults included.
    pub fn request_count(&self) -> usize {
        lock(&self.state).requests.len()
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state).requests.clone()
    }

    /// How many scripted replies have not been used.
    pub fn replies_left(&self) -> usize {
        lock(&self.state).replies.len()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Aborting the accept task drops its JoinSet, which aborts every
        // connection task with it.
        self.accept.abort();
    }
}

async fn accept_loop(listener: TcpListener, state: Shared) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    connections.spawn(serve(stream, state.clone()));
                }
            }
            // Reap finished connection tasks so the set stays small.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Serves requests on one connection until a fault, an error, the client
/// closing, or [`IDLE_TIMEOUT`].
async fn serve(mut stream: TcpStream, state: Shared) {
    let mut buf = Vec::new();
    for _ in 0..MAX_REQUESTS_PER_CONNECTION {
        let request =
            match tokio::time::timeout(IDLE_TIMEOUT, read_request(&mut stream, &mut buf)).await {
                Ok(Ok(Some(r))) => r,
                Ok(Ok(None)) | Ok(Err(_)) | Err(_) => return,
            };
        let close_after = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let reply = {
            let mut s = lock(&state);
            s.requests.push(request);
            s.replies.pop_front()
        };
        let reply = reply.unwrap_or_else(|| {
            Reply::status(EXHAUSTED_STATUS).body("lbcloud-testserver: no scripted reply left")
        });
        if !reply.delay.is_zero() {
            tokio::time::sleep(reply.delay).await;
        }
        match write_reply(&mut stream, &reply).await {
            Ok(true) if !close_after => {}
            Ok(true) => {
                stream.shutdown().await.ok();
                return;
            }
            Ok(false) | Err(_) => return,
        }
    }
}

/// Reads one request; `Ok(None)` when the client closed between requests.
/// `buf` carries bytes read past the previous request (pipelining).
async fn read_request(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<Recorded>> {
    let head_end = loop {
        if let Some(pos) = find(buf, b"\r\n\r\n") {
            if pos > MAX_HEAD {
                return Err(std::io::Error::other("request head too large"));
            }
            break pos;
        }
        if buf.len() > MAX_HEAD {
            return Err(std::io::Error::other("request head too large"));
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
    };
    let head = String::from_utf8_lossy(buf.get(..head_end).unwrap_or_default()).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let path = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && !v.eq_ignore_ascii_case("identity"))
    {
        return Err(std::io::Error::other(
            "chunked request bodies are not supported",
        ));
    }
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    if length > MAX_BODY {
        return Err(std::io::Error::other("request body too large"));
    }
    let body_start = head_end + 4;
    while buf.len() < body_start + length {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::Error::other("client closed mid-body"));
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
    let body = buf
        .get(body_start..body_start + length)
        .unwrap_or_default()
        .to_vec();
    buf.drain(..body_start + length);
    Ok(Some(Recorded {
        method,
        path,
        headers,
        body,
    }))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Writes `reply`; `Ok(true)` when the connection may serve another request.
async fn write_reply(stream: &mut TcpStream, reply: &Reply) -> std::io::Result<bool> {
    match reply.fault {
        Fault::Reset => {
            // SO_LINGER 0 makes the close send RST instead of FIN.
            stream.set_zero_linger()?;
            return Ok(false);
        }
        Fault::Close => {
            stream.shutdown().await.ok();
            return Ok(false);
        }
        _ => {}
    }
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    let has = |name: &str| {
        reply
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !has("content-length") {
        head.push_str(&format!("content-length: {}\r\n", reply.body.len()));
    }
    if !has("content-type") && !reply.body.is_empty() {
        head.push_str("content-type: text/xml\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    match reply.fault {
        Fault::Truncate(n) => {
            let part = reply
                .body
                .get(..n.min(reply.body.len()))
                .unwrap_or_default();
            stream.write_all(part).await?;
            stream.flush().await?;
            stream.shutdown().await.ok();
            Ok(false)
        }
        Fault::Trickle { chunk, interval } => {
            for piece in reply.body.chunks(chunk) {
                stream.write_all(piece).await?;
                stream.flush().await?;
                tokio::time::sleep(interval).await;
            }
            Ok(true)
        }
        _ => {
            stream.write_all(&reply.body).await?;
            stream.flush().await?;
            Ok(true)
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn raw(url: &str, request: &str) -> std::io::Result<Vec<u8>> {
        let addr = url.trim_start_matches("http://");
        let mut s = TcpStream::connect(addr).await?;
        s.write_all(request.as_bytes()).await?;
        // Half-close so the server sees the end instead of idling.
        s.shutdown().await?;
        let mut out = Vec::new();
        s.read_to_end(&mut out).await?;
        Ok(out)
    }

    const POST: &str = "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nConnection: close\r\nX-Thing: A\r\n\r\nabc";

    #[tokio::test]
    async fn plays_replies_in_order_and_records_requests() {
        let server = TestServer::start([
            Reply::status(200)
                .header("x-amzn-RequestId", "r1")
                .body("one"),
            Reply::status(503).body("two"),
        ])
        .await;
        let first = String::from_utf8(raw(server.url(), POST).await.unwrap()).unwrap();
        assert!(first.starts_with("HTTP/1.1 200 OK\r\n"), "{first}");
        assert!(first.contains("x-amzn-RequestId: r1\r\n") && first.ends_with("\r\n\r\none"));
        let second = String::from_utf8(raw(server.url(), POST).await.unwrap()).unwrap();
        assert!(second.starts_with("HTTP/1.1 503"));
        let third = String::from_utf8(raw(server.url(), POST).await.unwrap()).unwrap();
        assert!(
            third.starts_with("HTTP/1.1 599"),
            "exhausted script must be loud: {third}"
        );
        assert_eq!(server.request_count(), 3);
        let r = &server.requests()[0];
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/x"));
        assert_eq!(r.header("X-THING"), Some("A"));
        assert_eq!(r.body_text(), "abc");
        assert_eq!(server.replies_left(), 0);
    }

    #[tokio::test]
    async fn faults_cut_the_connection() {
        let server = TestServer::start([
            Reply::close(),
            Reply::status(200).body("0123456789").truncate_after(3),
            Reply::reset(),
        ])
        .await;
        assert!(raw(server.url(), POST).await.unwrap().is_empty());
        let cut = String::from_utf8(raw(server.url(), POST).await.unwrap()).unwrap();
        assert!(
            cut.contains("content-length: 10\r\n") && cut.ends_with("\r\n\r\n012"),
            "{cut}"
        );
        // A reset surfaces as an error or, on some platforms, an empty read.
        match raw(server.url(), POST).await {
            Err(_) => {}
            Ok(bytes) => assert!(bytes.is_empty()),
        }
        assert_eq!(server.request_count(), 3);
    }

    #[tokio::test]
    async fn delay_and_trickle_take_time() {
        let server = TestServer::start([
            Reply::status(200)
                .body("x")
                .delay(Duration::from_millis(60)),
            Reply::status(200)
                .body("abcd")
                .trickle(1, Duration::from_millis(20)),
        ])
        .await;
        let t = std::time::Instant::now();
        raw(server.url(), POST).await.unwrap();
        assert!(t.elapsed() >= Duration::from_millis(60));
        let t = std::time::Instant::now();
        let body = raw(server.url(), POST).await.unwrap();
        assert!(t.elapsed() >= Duration::from_millis(60));
        assert!(body.ends_with(b"abcd"));
    }

    #[tokio::test]
    async fn keeps_connections_alive_and_parses_forms() {
        let server = TestServer::start([Reply::status(200), Reply::status(201)]).await;
        server.push(Reply::status(202));
        let two = "POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nA=1&B=%2FPOST / HTTP/1.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        let out = String::from_utf8(raw(server.url(), two).await.unwrap()).unwrap();
        assert!(
            out.contains("HTTP/1.1 200") && out.contains("HTTP/1.1 201"),
            "{out}"
        );
        let reqs = server.requests();
        assert_eq!(reqs.len(), 2);
        assert_eq!(reqs[0].form_value("B").as_deref(), Some("/"));
        assert_eq!(server.replies_left(), 1);
    }

    #[tokio::test]
    async fn oversized_or_garbage_requests_close_without_panicking() {
        let server = TestServer::start([]).await;
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD + 10));
        let _ = raw(server.url(), &big).await;
        let _ = raw(server.url(), "\u{0}\u{1}garbage\r\n\r\n").await;
        let _ = raw(
            server.url(),
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
        )
        .await;
        assert_eq!(
            server.request_count(),
            1,
            "only the garbage head parses as a request"
        );
    }
}
