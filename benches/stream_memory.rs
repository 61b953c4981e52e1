//! Peak memory of the generated client reading a 1 GiB answer as a stream
//! (BENCHMARKS.md §3): a server on 127.0.0.1 answers the `streams` case's
//! `export_orders` with 1 GiB of JSON lines, or `stream_completion` with
//! 1 GiB of server-sent events (`STREAM=events`), and the client counts
//! the decoded items as they arrive, then prints the count and the
//! process's peak resident memory.
//!
//!     scripts/bench/stream-memory.sh
//!
//! or, one side: `STREAM=events cargo bench --bench stream_memory`.

use std::time::Instant;

use futures_util::TryStreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BODY: u64 = 1 << 30;

/// Answers one request with about `BODY` bytes of `piece`s, 64 KiB at a
/// time, then closes.
async fn serve(listener: tokio::net::TcpListener, content_type: &'static str, piece: &'static str) {
    let Ok((mut stream, _)) = listener.accept().await else { return };
    let mut head = Vec::new();
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
    }
    let answer = format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\nconnection: close\r\n\r\n");
    if stream.write_all(answer.as_bytes()).await.is_err() {
        return;
    }
    let chunk = piece.repeat(64 * 1024 / piece.len());
    let mut written = 0;
    while written < BODY && stream.write_all(chunk.as_bytes()).await.is_ok() {
        written += chunk.len() as u64;
    }
}

/// The process's peak resident set size, from `/proc/self/status`.
fn peak_rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find(|line| line.starts_with("VmHWM:")).unwrap_or("VmHWM: unknown").to_owned()
}

fn main() {
    let events = std::env::var("STREAM").is_ok_and(|stream| stream == "events");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let (content_type, piece) = if events {
            ("text/event-stream", "data: {\"text\":\"a token of the answer\"}\n\n")
        } else {
            ("application/x-ndjson", "{\"id\":12345,\"total\":19.99}\n")
        };
        tokio::spawn(serve(listener, content_type, piece));
        let client = streams::Client::builder().base_url(url).no_retries().no_timeout().build().expect("a client");
        let started = Instant::now();
        let count = if events {
            let body = streams::StreamCompletionBody::new("hi");
            let stream = client.stream_completion(&body).await.expect("200");
            stream.try_fold(0u64, |count, _| async move { Ok(count + 1) }).await
        } else {
            let stream = client.export_orders().await.expect("200");
            stream.try_fold(0u64, |count, _| async move { Ok(count + 1) }).await
        };
        let what = if events { "events" } else { "JSON lines" };
        match count {
            Ok(count) => println!("{what}: {count} items in {:.2?}; {}", started.elapsed(), peak_rss()),
            Err(error) => println!("{what}: {error} after {:.2?}; {}", started.elapsed(), peak_rss()),
        }
    });
}
