//! Per-request cost of the generated client versus a hand-written reqwest
//! call, against the same HTTP server on 127.0.0.1 (see BENCHMARKS.md).
//!
//! Both sides send `POST /api/nonce` with the same headers (accept,
//! user-agent, bearer authorization, content-type), the same JSON body and a
//! 30 s request timeout, check the status and decode the 201 body into
//! `kanuu::Nonce`. The generated client runs with `.no_retries()`.
//!
//! Two servers:
//! - `keep-alive`: a minimal HTTP/1.1 server in this file that keeps the
//!   connection open, so the figure is the client's own cost plus one
//!   loopback round trip (the comparison the issue asks for);
//! - `connection-close`: `kanuu_tests::RecordingServer` (one request per
//!   connection), where a new TCP connection per request dominates.
//!
//! Each server is measured twice: by criterion (one side after the other),
//! and by an interleaved run that alternates blocks of requests of the two
//! sides and prints the median of the per-block ratios, which holds up better
//! on a shared machine whose load changes while it runs.
//!
//!     nice -n 10 cargo bench --bench client --no-run && cargo bench --bench client
//!
//! Timing figures are for BENCHMARKS.md only; nothing here asserts on time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use kanuu_tests::{RecordingServer, Reply};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

const NONCE: &str = r#"{"nonce":"d3e2c48bb1fb4badfa27fe9a03924207","url":"https://kanuu.io/manage/acme/d3e2c48bb1fb4badfa27fe9a03924207"}"#;
const API_KEY: &str = "bench-key";

/// Starts a keep-alive HTTP/1.1 server on its own thread; returns its base URL.
/// It answers every request with 201 and the nonce JSON, and stops with the process.
fn keep_alive_server() -> String {
    kanuu_tests::serve_loopback(serve_keep_alive)
}

async fn serve_keep_alive(mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let response = format!(
        "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{NONCE}",
        NONCE.len()
    );
    let mut buffer: Vec<u8> = Vec::with_capacity(8192);
    while kanuu_tests::next_request(&mut stream, &mut buffer).await?.is_some() {
        stream.write_all(response.as_bytes()).await?;
    }
    Ok(())
}

fn generated_client(base_url: &str) -> kanuu::Client {
    kanuu::Client::builder(API_KEY).base_url(base_url).no_retries().build().expect("client")
}

/// What someone would write by hand with reqwest for the same request.
struct HandWritten {
    http: reqwest::Client,
    url: String,
    authorization: String,
}

impl HandWritten {
    fn new(base_url: &str) -> Self {
        // reqwest's rustls without a crypto provider (the generated crates'
        // feature) needs one installed: `http_builder` has it, as users are told.
        let builder = kanuu::Client::http_builder().expect("TLS");
        let http = builder.connect_timeout(Duration::from_secs(10)).build().expect("reqwest client");
        HandWritten { http, url: format!("{base_url}/api/nonce"), authorization: format!("Bearer {API_KEY}") }
    }

    async fn create_nonce(&self, body: &kanuu::CreateNonceRequest) -> Result<kanuu::Nonce, Box<dyn std::error::Error>> {
        let response = self
            .http
            .post(&self.url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::USER_AGENT, "kanuu/1.0.0")
            .header(reqwest::header::AUTHORIZATION, &self.authorization)
            .timeout(Duration::from_secs(30))
            .json(body)
            .send()
            .await?;
        if response.status().as_u16() != 201 {
            return Err(format!("unexpected status {}", response.status()).into());
        }
        Ok(response.json::<kanuu::Nonce>().await?)
    }
}

fn bench_server(c: &mut Criterion, group_name: &str, base_url: &str, short: bool) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let generated = generated_client(base_url);
    let hand = HandWritten::new(base_url);
    let body = kanuu::CreateNonceRequest::new("42");

    // Both must work before they are timed.
    runtime.block_on(async {
        let a = generated.create_nonce(&body).await.expect("generated client request");
        let b = hand.create_nonce(&body).await.expect("hand-written request");
        assert_eq!(a.nonce, b.nonce);
    });

    let mut group = c.benchmark_group(group_name);
    if short {
        // A new connection per request: keep the count of sockets left in
        // TIME_WAIT well under the ephemeral port range.
        group.sample_size(20).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    }
    group.bench_function("generated kanuu::Client::create_nonce", |b| {
        b.iter(|| {
            runtime.block_on(async { black_box(generated.create_nonce(black_box(&body)).await.expect("request")) })
        })
    });
    group.bench_function("hand-written reqwest", |b| {
        b.iter(|| runtime.block_on(async { black_box(hand.create_nonce(black_box(&body)).await.expect("request")) }))
    });
    group.finish();
}

/// Alternates blocks of `per_block` requests of each side (in alternating
/// order) for `blocks` rounds, and prints the median per-request times and
/// the median of the per-round ratios generated / hand-written.
fn interleaved(name: &str, base_url: &str, blocks: usize, per_block: usize) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let generated = generated_client(base_url);
    let hand = HandWritten::new(base_url);
    let body = kanuu::CreateNonceRequest::new("42");
    let run_generated = |n: usize| {
        let start = Instant::now();
        runtime.block_on(async {
            for _ in 0..n {
                black_box(generated.create_nonce(black_box(&body)).await.expect("request"));
            }
        });
        start.elapsed()
    };
    let run_hand = |n: usize| {
        let start = Instant::now();
        runtime.block_on(async {
            for _ in 0..n {
                black_box(hand.create_nonce(black_box(&body)).await.expect("request"));
            }
        });
        start.elapsed()
    };
    run_generated(per_block);
    run_hand(per_block);
    let (mut generated_us, mut hand_us, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..blocks {
        let (g, h) = if round % 2 == 0 {
            let g = run_generated(per_block);
            (g, run_hand(per_block))
        } else {
            let h = run_hand(per_block);
            (run_generated(per_block), h)
        };
        generated_us.push(g.as_secs_f64() * 1e6 / per_block as f64);
        hand_us.push(h.as_secs_f64() * 1e6 / per_block as f64);
        ratios.push(g.as_secs_f64() / h.as_secs_f64());
    }
    let median = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    println!(
        "interleaved {name}: {blocks} rounds of {per_block} requests each side: generated median {:.2} µs, \
         hand-written median {:.2} µs, ratio generated / hand-written: median {:.3} (quartiles {:.3} .. {:.3})",
        median(&mut generated_us),
        median(&mut hand_us),
        median(&mut ratios),
        ratios[blocks / 4],
        ratios[blocks * 3 / 4],
    );
}

fn main() {
    let mut criterion = Criterion::default()
        .sample_size(100)
        .measurement_time(Duration::from_secs(10))
        .warm_up_time(Duration::from_secs(3))
        .configure_from_args();
    let keep_alive = keep_alive_server();
    let recording = RecordingServer::start(vec![Reply::json(201, NONCE)]).expect("recording server");
    bench_server(&mut criterion, "create_nonce/keep-alive", &keep_alive, false);
    bench_server(&mut criterion, "create_nonce/connection-close", &recording.url(), true);
    criterion.final_summary();
    // Not under `cargo test --benches` (criterion's test mode) or `--list`.
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test" || a == "--list") {
        interleaved("keep-alive", &keep_alive, 100, 500);
        interleaved("connection-close", &recording.url(), 20, 200);
    }
}
