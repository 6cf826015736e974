//! A minimal keep-alive HTTP/1.1 server on 127.0.0.1 that answers every POST
//! with a canned `DescribeLoadBalancers` page, as fast as it can.
//!
//! Five listeners, one per measurement:
//! - `one`: a page of 1 balancer, no `NextMarker`;
//! - `page`: a page of 400 balancers, no `NextMarker`;
//! - `page2`: a page of 400 balancers of the second fixture
//!   (`describe_load_balancers_page_varied`), shaped unlike the first;
//! - `list`: 25 pages of 400 (10,000 balancers); the request's `Marker=pK`
//!   picks page K, no marker is page 0, every page but the last names the next;
//! - `tags`: 1,000 balancers in pages of 400 and `DescribeTags` for any 20
//!   of them, every answer sent `LATENCY` (50 ms) late, as a far region
//!   would: the tagged listing's time divided by it is its round trips.
//!
//! Prints `ready one=PORT page=PORT page2=PORT list=PORT tags=PORT` once listening.

use std::sync::Arc;

use lbcloud_bench_compare::{LATENCY, LIST_PAGES, PAGE, TAGGED, marker};
use lbcloud_elb::fixtures::{
    balancer_name, describe_load_balancers_page, describe_load_balancers_page_varied,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Canned answers, each a complete HTTP response (head and body).
enum Answers {
    Fixed(Arc<[u8]>),
    Paged(Arc<Vec<Arc<[u8]>>>),
    /// Pages by marker, `DescribeTags` by the names asked, each answer late.
    Tagged(Arc<Vec<Arc<[u8]>>>),
}

/// A `DescribeTags` answer giving each named balancer the tag `name=<name>`.
fn tags_answer(form: &str) -> Arc<[u8]> {
    let mut list = String::new();
    for name in form
        .split('&')
        .filter(|kv| kv.starts_with("LoadBalancerNames.member."))
        .filter_map(|kv| kv.split_once('=').map(|(_, v)| v))
    {
        list.push_str(&format!(
            "<member><LoadBalancerName>{name}</LoadBalancerName><Tags><member><Key>name</Key>\
             <Value>{name}</Value></member></Tags></member>"
        ));
    }
    http_response(&format!(
        "<DescribeTagsResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/\">\
         <DescribeTagsResult><TagDescriptions>{list}</TagDescriptions></DescribeTagsResult>\
         <ResponseMetadata><RequestId>t</RequestId></ResponseMetadata></DescribeTagsResponse>"
    ))
}

fn http_response(body: &str) -> Arc<[u8]> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\
         x-amzn-requestid: 83c88b9d-12b7-11e3-8b82-87b12EXAMPLE\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body.as_bytes());
    out.into()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() -> std::io::Result<()> {
    let one = Answers::Fixed(http_response(&describe_load_balancers_page(0, 1, None)));
    let page = Answers::Fixed(http_response(&describe_load_balancers_page(0, PAGE, None)));
    let pages = (0..LIST_PAGES)
        .map(|k| {
            let next = (k + 1 < LIST_PAGES).then(|| marker(k + 1));
            http_response(&describe_load_balancers_page(
                k * PAGE,
                PAGE,
                next.as_deref(),
            ))
        })
        .collect();
    let list = Answers::Paged(Arc::new(pages));
    let page2 = Answers::Fixed(http_response(&describe_load_balancers_page_varied(
        0, PAGE, None,
    )));
    let tagged_pages = TAGGED.div_ceil(PAGE);
    let tagged = (0..tagged_pages)
        .map(|k| {
            let next = (k + 1 < tagged_pages).then(|| marker(k + 1));
            let count = PAGE.min(TAGGED - k * PAGE);
            http_response(&describe_load_balancers_page(
                k * PAGE,
                count,
                next.as_deref(),
            ))
        })
        .collect();
    let tags = Answers::Tagged(Arc::new(tagged));
    debug_assert_eq!(balancer_name(0), "lb-000000");

    let mut ports = Vec::new();
    for answers in [one, page, page2, list, tags] {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        ports.push(listener.local_addr()?.port());
        let answers = Arc::new(answers);
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let answers = answers.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, &answers).await;
                });
            }
        });
    }
    if let [one, page, page2, list, tags] = ports[..] {
        println!("ready one={one} page={page} page2={page2} list={list} tags={tags}");
    }
    std::future::pending::<()>().await;
    Ok(())
}

/// Serves requests on one connection until the peer closes it.
async fn serve(mut stream: TcpStream, answers: &Answers) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    loop {
        // Read the head.
        let head_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i + 4;
            }
            if read_more(&mut stream, &mut buf).await? == 0 {
                return Ok(());
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
        let length = header(&head, "content-length")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        if header(&head, "expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
            stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
        }
        while buf.len() < head_end + length {
            if read_more(&mut stream, &mut buf).await? == 0 {
                return Ok(());
            }
        }
        let answer = match answers {
            Answers::Fixed(a) => a.clone(),
            Answers::Paged(pages) => {
                let body = &buf[head_end..head_end + length];
                let k = page_wanted(body).min(pages.len() - 1);
                pages[k].clone()
            }
            Answers::Tagged(pages) => {
                let body = String::from_utf8_lossy(&buf[head_end..head_end + length]).into_owned();
                let answer = if body.contains("Action=DescribeTags") {
                    tags_answer(&body)
                } else {
                    let k = page_wanted(body.as_bytes()).min(pages.len() - 1);
                    pages[k].clone()
                };
                tokio::time::sleep(LATENCY).await;
                answer
            }
        };
        buf.drain(..head_end + length);
        stream.write_all(&answer).await?;
    }
}

async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut chunk = [0u8; 16 * 1024];
    let n = stream.read(&mut chunk).await?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The value of header `name` in a lower-cased head.
fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        (k.trim() == name).then(|| v.trim())
    })
}

/// The page a form body asks for: `Marker=pK` is page K, none is page 0.
fn page_wanted(body: &[u8]) -> usize {
    let body = String::from_utf8_lossy(body);
    body.split('&')
        .find_map(|kv| kv.strip_prefix("Marker="))
        .and_then(|m| m.strip_prefix('p'))
        .and_then(|k| k.parse().ok())
        .unwrap_or(0)
}
