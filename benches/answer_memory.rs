//! Peak memory of the generated client reading an answer far larger than
//! its limit (BENCHMARKS.md §3): a server on 127.0.0.1 answers
//! `create_nonce` with 1 GiB of body and no `Content-Length`; the client
//! reads it with `max_response_bytes` from `ANSWER_LIMIT` (bytes; `none`
//! for no limit, which is how every answer was read before the limit) and
//! prints what came of it and the process's peak resident memory.
//!
//!     scripts/bench/answer-memory.sh
//!
//! or, one side: `ANSWER_LIMIT=none cargo bench --bench answer_memory`.

use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BODY: u64 = 1 << 30;

/// Answers one request with `BODY` bytes, 64 KiB at a time, then closes.
async fn serve(listener: tokio::net::TcpListener) {
    let Ok((mut stream, _)) = listener.accept().await else { return };
    let mut head = Vec::new();
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
    }
    let answer = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";
    if stream.write_all(answer.as_bytes()).await.is_err() {
        return;
    }
    let chunk = vec![b' '; 64 * 1024];
    let mut written = 0;
    while written < BODY && stream.write_all(&chunk).await.is_ok() {
        written += chunk.len() as u64;
    }
}

/// The process's peak resident set size, from `/proc/self/status`.
fn peak_rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find(|line| line.starts_with("VmHWM:")).unwrap_or("VmHWM: unknown").to_owned()
}

fn main() {
    let limit = match std::env::var("ANSWER_LIMIT").as_deref() {
        Ok("none") => u64::MAX,
        Ok(text) => text.parse().expect("ANSWER_LIMIT: a number of bytes, or `none`"),
        Err(_) => 100 << 20,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        tokio::spawn(serve(listener));
        let client = kanuu::Client::builder("key")
            .base_url(url)
            .no_retries()
            .no_timeout()
            .max_response_bytes(limit)
            .build()
            .expect("a client");
        let started = Instant::now();
        let result = client.create_nonce(&kanuu::CreateNonceRequest::new("42")).await;
        let outcome = match result {
            Ok(_) => "decoded".to_owned(),
            Err(kanuu::CreateNonceError::Other(error)) => error.to_string().chars().take(100).collect(),
            Err(other) => format!("{other:?}"),
        };
        let limit = if limit == u64::MAX { "none".to_owned() } else { limit.to_string() };
        println!("limit {limit}: {outcome} after {:.2?}; {}", started.elapsed(), peak_rss());
    });
}
