//! Peak memory of the generated client streaming 1 GiB (BENCHMARKS.md §3),
//! each in a process of its own, chosen by `STREAM`:
//!
//! - `lines` (the default) and `events`: a server on 127.0.0.1 answers the
//!   `streams` case's `export_orders` with 1 GiB of JSON lines, or
//!   `stream_completion` with 1 GiB of server-sent events, and the client
//!   counts the decoded items as they arrive;
//! - `download`: the `byte-streams` case's `download_report` answers with
//!   1 GiB of bytes, which the client writes to `tokio::io::sink()` with
//!   `ByteStream::write_to`; `download-whole` reads them with `to_vec`;
//! - `upload`: `upload_file` sends a 1 GiB file (sparse, so it costs no
//!   disk) with `Upload::file`, and the server counts and drops the bytes;
//!   `upload-in-memory` sends the same bytes from a `Vec<u8>`, as the
//!   crate's `&[u8]` body needed before.
//!
//! It prints what it read or sent and the process's peak resident memory.
//!
//!     scripts/bench/stream-memory.sh
//!
//! or one of them: `STREAM=upload cargo bench --bench stream_memory`.

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

/// Answers one request whose body (by its `Content-Length`) it reads and
/// drops as it comes, counting it, with 201 and a `StoredFile` of that
/// size: the process's memory is the client's.
async fn receive(listener: tokio::net::TcpListener) {
    let Ok((mut stream, _)) = listener.accept().await else { return };
    let mut head = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let head_end = loop {
        if let Some(end) = head.windows(4).position(|window| window == b"\r\n\r\n") {
            break end + 4;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
    };
    let text = String::from_utf8_lossy(&head[..head_end]).to_ascii_lowercase();
    let length: u64 = text
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    let mut received = (head.len() - head_end) as u64;
    while received < length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => received += n as u64,
        }
    }
    let body = format!("{{\"name\":\"a.bin\",\"size\":{received}}}");
    let answer = format!(
        "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(answer.as_bytes()).await;
}

/// Downloads or uploads 1 GiB through the `byte-streams` case's crate.
async fn files(stream: &str) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let client = byte_streams::Client::builder().base_url(url).no_retries().no_timeout().build().expect("a client");
    let started = Instant::now();
    let outcome = match stream {
        "download" | "download-whole" => {
            // The 128 ASCII bytes, controls and NUL included, over and over.
            let piece: &'static str =
                Box::leak((0u8..=255).map(|byte| char::from(byte % 128)).collect::<String>().into_boxed_str());
            tokio::spawn(serve(listener, "application/pdf", piece));
            let download = client.download_report("q3").await.expect("200");
            if stream == "download" {
                download
                    .write_to(&mut tokio::io::sink())
                    .await
                    .map(|n| format!("{n} bytes written"))
                    .map_err(|e| e.to_string())
            } else {
                download.to_vec().await.map(|bytes| format!("{} bytes read", bytes.len())).map_err(|e| e.to_string())
            }
        }
        _ => {
            tokio::spawn(receive(listener));
            let body = if stream == "upload" {
                let path = std::env::temp_dir().join(format!("kanuu-bench-upload-{}.bin", std::process::id()));
                let file = std::fs::File::create(&path).expect("a file");
                file.set_len(BODY).expect("a sparse file of 1 GiB");
                let file = tokio::fs::File::open(&path).await.expect("open");
                let upload = byte_streams::stream::Upload::file(file).await.expect("metadata");
                std::fs::remove_file(&path).ok();
                upload
            } else {
                // Bytes that are not zero, so each page is really in memory.
                byte_streams::stream::Upload::from(vec![7u8; BODY as usize])
            };
            let stored = client.upload_file("a.bin", body).await;
            stored.map(|file| format!("{} bytes received", file.size)).map_err(|e| e.to_string())
        }
    };
    match outcome {
        Ok(what) => println!("{stream}: {what} in {:.2?}; {}", started.elapsed(), peak_rss()),
        Err(error) => println!("{stream}: {error} after {:.2?}; {}", started.elapsed(), peak_rss()),
    }
}

fn main() {
    let stream = std::env::var("STREAM").unwrap_or_default();
    let events = stream == "events";
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    if stream.starts_with("download") || stream.starts_with("upload") {
        return runtime.block_on(files(&stream));
    }
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
