//! Reading server-sent events through a generated client's `Events`
//! stream versus `eventsource-stream` used directly on the same answer,
//! against the same keep-alive HTTP server on 127.0.0.1 (see
//! BENCHMARKS.md §3).
//!
//! The answer is 10,000 events of a small JSON chunk and the `[DONE]`
//! sentinel, as LLM APIs stream tokens. Both sides send the same request
//! with the same `reqwest::Client` setup and decode each event's `data`
//! into the `streams` case's `Chunk`: one with
//! `client.stream_completion(&body).await?.try_collect()`, the other with
//! `response.bytes_stream().eventsource()` and `serde_json::from_str`,
//! stopping at the sentinel, as users write it without a generated client.
//!
//!     nice -n 10 cargo bench --bench streams --no-run && cargo bench --bench streams
//!
//! Timing figures are for BENCHMARKS.md only; nothing here asserts on time.

use std::hint::black_box;
use std::time::Instant;

use criterion::Criterion;
use eventsource_stream::Eventsource;
use futures_util::{StreamExt, TryStreamExt};
use streams::{Chunk, Client, StreamCompletionBody};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

const EVENTS: usize = 10_000;

/// The whole answer: headers and every event, then the sentinel.
fn answer() -> String {
    let mut body = String::new();
    for index in 0..EVENTS {
        body.push_str(&format!("id: {index}\ndata: {{\"text\":\"token {index} \"}}\n\n"));
    }
    body.push_str("data: [DONE]\n\n");
    format!("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {}\r\n\r\n{body}", body.len())
}

/// Answers every request on a keep-alive connection with [`answer`].
async fn serve(mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let answer = answer();
    let mut buffer: Vec<u8> = Vec::with_capacity(8192);
    while kanuu_tests::next_request(&mut stream, &mut buffer).await?.is_some() {
        stream.write_all(answer.as_bytes()).await?;
    }
    Ok(())
}

async fn with_events(client: &Client) -> Vec<Chunk> {
    let events = client.stream_completion(&StreamCompletionBody::new("hi")).await.expect("200");
    events.map_ok(|event| event.data).try_collect().await.expect("every event")
}

/// The loop users write on `eventsource-stream` without a generated client.
async fn directly(http: &reqwest::Client, url: &str) -> Vec<Chunk> {
    let response = http
        .post(format!("{url}/completions"))
        .header("content-type", "application/json")
        .body(r#"{"prompt":"hi"}"#)
        .send()
        .await
        .expect("200");
    let mut events = response.bytes_stream().eventsource();
    let mut chunks = Vec::new();
    while let Some(event) = events.next().await {
        let event = event.expect("an event");
        if event.data == "[DONE]" {
            break;
        }
        chunks.push(serde_json::from_str(&event.data).expect("a chunk"));
    }
    chunks
}

fn main() {
    let url = kanuu_tests::serve_loopback(serve);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let http = Client::http_builder().expect("a builder").build().expect("a reqwest client");
    let client = Client::builder().base_url(&url).http_client(http.clone()).no_retries().build().expect("client");
    runtime.block_on(async {
        let (a, b) = (with_events(&client).await, directly(&http, &url).await);
        assert_eq!(a.len(), EVENTS);
        assert_eq!(a, b, "both read the same events");
    });

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("10,000 server-sent events");
    group.bench_function("Events (generated)", |b| {
        b.iter(|| runtime.block_on(async { black_box(with_events(&client).await) }))
    });
    group.bench_function("eventsource-stream directly", |b| {
        b.iter(|| runtime.block_on(async { black_box(directly(&http, &url).await) }))
    });
    group.finish();

    // Alternating blocks of each, for a ratio that holds up on a shared machine.
    let time = |f: &dyn Fn() -> Vec<Chunk>, n: usize| {
        let start = Instant::now();
        for _ in 0..n {
            black_box(f());
        }
        start.elapsed()
    };
    let ours = || runtime.block_on(with_events(&client));
    let direct = || runtime.block_on(directly(&http, &url));
    let mut ratios = Vec::new();
    for round in 0..30 {
        let (a, b) = if round % 2 == 0 {
            let a = time(&ours, 5);
            (a, time(&direct, 5))
        } else {
            let b = time(&direct, 5);
            (time(&ours, 5), b)
        };
        ratios.push(a.as_secs_f64() / b.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "interleaved, 30 rounds of 5 answers each: Events / eventsource-stream directly, median {:.3} (min {:.3}, max {:.3})",
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1]
    );
}
