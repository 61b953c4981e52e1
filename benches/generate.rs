//! In-process cost of kanuu-codegen on spec/kanuu.yaml, and of its snippet
//! emission alone (see BENCHMARKS.md, where it is set against httpsnippet
//! converting the same request in one Node process).
//!
//!     nice -n 10 cargo bench --bench generate
//!
//! - `generate/kanuu.yaml`: `kanuu_codegen::generate`, the whole run without
//!   disk I/O: parse, lower, the Rust crate, the pages (with snippets) and
//!   openapi.json.
//! - `parse/kanuu.yaml`: text → IR only.
//! - `rust::emit/kanuu.yaml`: IR → the crate's files.
//! - `snippets/7 languages`: the request resolved from the Rust plan (made
//!   once, as `docs::emit` does for all operations) and rendered in the seven
//!   languages httpsnippet is compared on (curl, PHP, Ruby, Java, Python,
//!   JavaScript, Go).
//! - `snippets/all 9 languages`: `docs::snippets::render_with` (adds Laravel and Rust).
//!
//! Timing figures are for BENCHMARKS.md only; nothing here asserts on time.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kanuu_codegen::docs::snippets::{self, LANGUAGES, Request};
use kanuu_codegen::rust::{Plan, RustOptions};
use kanuu_codegen::{Options, generate, parse};

/// The languages httpsnippet is run for, by the titles of our snippets.
const COMPARED: &[&str] = &["Curl", "PHP", "Ruby", "Java", "Python", "JavaScript", "Go"];

fn benches(c: &mut Criterion) {
    let file = "spec/kanuu.yaml";
    let text = std::fs::read_to_string(kanuu_tests::root().join(file)).expect("read spec/kanuu.yaml");
    let options = Options::default();
    let (api, _) = parse(&text, file).expect("parse");
    let rust = RustOptions { crate_name: "kanuu".to_owned(), spec_label: file.to_owned() };
    let plan = Plan::new(&api, &rust);
    let operation = api.operations.iter().position(|op| op.name == "createNonce").unwrap_or(0);
    let compared: Vec<_> = LANGUAGES.iter().filter(|l| COMPARED.contains(&l.title)).collect();
    assert_eq!(compared.len(), COMPARED.len(), "a compared language is missing from LANGUAGES");

    c.bench_function("generate/kanuu.yaml", |b| {
        b.iter(|| black_box(generate(black_box(&text), file, &options).expect("generate")))
    });
    c.bench_function("parse/kanuu.yaml", |b| b.iter(|| black_box(parse(black_box(&text), file).expect("parse"))));
    c.bench_function("rust::emit/kanuu.yaml", |b| {
        b.iter(|| black_box(kanuu_codegen::rust::emit(&Plan::new(black_box(&api), &rust)).expect("emit")))
    });
    c.bench_function("snippets/7 languages", |b| {
        b.iter(|| {
            let request = Request::new(black_box(&plan), operation, None).expect("request");
            let sources: Vec<String> =
                compared.iter().map(|language| (language.render)(&request).expect("render")).collect();
            black_box(sources)
        })
    });
    c.bench_function("snippets/all 9 languages", |b| {
        b.iter(|| black_box(snippets::render_with(black_box(&plan), operation, None).expect("render")))
    });
}

criterion_group!(generate_benches, benches);
criterion_main!(generate_benches);
