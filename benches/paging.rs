//! Reading a whole list through `.items()` versus a hand-written loop over
//! the single-page call, against the same keep-alive HTTP server on
//! 127.0.0.1 (see BENCHMARKS.md §3).
//!
//! The list is 10 pages of 100 pets, each page naming the next in its
//! `Link` header, as GitHub's lists do. Both sides use the
//! `paging-link-header` case's crate with `.no_retries()` and collect the
//! 1,000 pets into a `Vec`: one with `list_pets().per_page(100).items()`,
//! the other asking for `page(1)`, `page(2)`… with `send_with_response()`
//! until the `Link` header names no next page, as users write it without
//! a pager.
//!
//!     nice -n 10 cargo bench --bench paging --no-run && cargo bench --bench paging
//!
//! Timing figures are for BENCHMARKS.md only; nothing here asserts on time.

use std::hint::black_box;
use std::time::Instant;

use criterion::Criterion;
use futures_util::TryStreamExt;
use paging_link_header::{Client, Pet};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

const PAGES: usize = 10;
const PER_PAGE: usize = 100;

/// Starts a keep-alive server that answers `GET /pets?…page=N` with page
/// N (1 when absent) of the list; returns its base URL.
fn list_server() -> String {
    kanuu_tests::serve_loopback(serve)
}

/// Each page's whole answer, headers and body.
fn answers() -> Vec<String> {
    (1..=PAGES)
        .map(|page| {
            let pets: Vec<String> = (0..PER_PAGE)
                .map(|i| {
                    let id = (page - 1) * PER_PAGE + i;
                    format!(r#"{{"id":{id},"name":"pet {id}","species":"cat"}}"#)
                })
                .collect();
            let body = format!("[{}]", pets.join(","));
            let link = if page < PAGES {
                format!("link: </pets?per_page={PER_PAGE}&page={}>; rel=\"next\"\r\n", page + 1)
            } else {
                String::new()
            };
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{link}content-length: {}\r\n\r\n{body}",
                body.len()
            )
        })
        .collect()
}

async fn serve(mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let answers = answers();
    let mut buffer: Vec<u8> = Vec::with_capacity(8192);
    while let Some(head) = kanuu_tests::next_request(&mut stream, &mut buffer).await? {
        let target = head.split(' ').nth(1).unwrap_or("");
        let page = target
            .split(['?', '&'])
            .find_map(|pair| pair.strip_prefix("page="))
            .and_then(|page| page.parse::<usize>().ok())
            .unwrap_or(1);
        stream.write_all(answers[page.clamp(1, PAGES) - 1].as_bytes()).await?;
    }
    Ok(())
}

fn client(base_url: &str) -> Client {
    Client::builder().base_url(base_url).no_retries().build().expect("client")
}

async fn with_items(client: &Client) -> Vec<Pet> {
    client.list_pets().per_page(PER_PAGE as i64).items().try_collect().await.expect("every page")
}

/// The loop users write without a pager: the next page's number from the
/// `Link` header's `rel="next"` target.
async fn by_hand(client: &Client) -> Vec<Pet> {
    let mut pets = Vec::new();
    let mut page = 1;
    loop {
        let answer =
            client.list_pets().per_page(PER_PAGE as i64).page(page).send_with_response().await.expect("a page");
        let next = answer.header("link").and_then(|link| {
            let next = link.split(',').find(|link| link.contains("rel=\"next\""))?;
            next.split(['?', '&', '>']).find_map(|pair| pair.strip_prefix("page="))?.parse().ok()
        });
        pets.extend(answer.value);
        match next {
            Some(next) => page = next,
            None => return pets,
        }
    }
}

fn main() {
    let base_url = list_server();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let client = client(&base_url);
    runtime.block_on(async {
        let (a, b) = (with_items(&client).await, by_hand(&client).await);
        assert_eq!(a.len(), PAGES * PER_PAGE);
        assert_eq!(a, b, "both read the same list");
    });

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("a list of 10 pages of 100");
    group.bench_function("items()", |b| b.iter(|| runtime.block_on(async { black_box(with_items(&client).await) })));
    group.bench_function("hand-written loop", |b| {
        b.iter(|| runtime.block_on(async { black_box(by_hand(&client).await) }))
    });
    group.finish();

    // Alternating blocks of each, for a ratio that holds up on a shared machine.
    let time = |f: &dyn Fn() -> Vec<Pet>, n: usize| {
        let start = Instant::now();
        for _ in 0..n {
            black_box(f());
        }
        start.elapsed()
    };
    let items = || runtime.block_on(with_items(&client));
    let hand = || runtime.block_on(by_hand(&client));
    let mut ratios = Vec::new();
    for round in 0..30 {
        let (a, b) = if round % 2 == 0 {
            let a = time(&items, 10);
            (a, time(&hand, 10))
        } else {
            let b = time(&hand, 10);
            (time(&items, 10), b)
        };
        ratios.push(a.as_secs_f64() / b.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "interleaved, 30 rounds of 10 lists each: items() / hand-written loop, median {:.3} (min {:.3}, max {:.3})",
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1]
    );
}
