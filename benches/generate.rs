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
//! - `generate/wafv2-shaped`: the whole run on a document shaped like AWS
//!   WAFV2's, which once took minutes and 23 GB: a `Statement` of fifteen
//!   kinds, each an annotated `allOf` (`[{$ref}, {description}]`), where
//!   `And`/`Or` hold lists of statements and `Not`, rate-based and managed
//!   rule groups hold one, so every kind reaches every other; forty
//!   operations send and answer rules that hold them.
//!
//! Timing figures are for BENCHMARKS.md only; nothing here asserts on time.

use std::hint::black_box;

use serde_json::{Value, json};

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
    let rust = RustOptions { crate_name: "kanuu".to_owned(), spec_label: file.to_owned(), ..RustOptions::default() };
    let plan = Plan::new(&api, &rust);
    let operation = api.operations.iter().position(|op| op.name == "createNonce").unwrap_or(0);
    let compared: Vec<_> = LANGUAGES.iter().filter(|l| COMPARED.contains(&l.title)).collect();
    assert_eq!(compared.len(), COMPARED.len(), "a compared language is missing from LANGUAGES");

    c.bench_function("generate/kanuu.yaml", |b| {
        b.iter(|| black_box(generate(black_box(&text), file, &options).expect("generate")))
    });
    let wafv2 = wafv2_shaped().to_string();
    c.bench_function("generate/wafv2-shaped", |b| {
        b.iter(|| black_box(generate(black_box(&wafv2), "wafv2-shaped.json", &options).expect("generate")))
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

/// See `generate/wafv2-shaped` above.
fn wafv2_shaped() -> Value {
    let annotated = |target: &str| json!({ "allOf": [{ "$ref": format!("#/components/schemas/{target}") }, { "description": format!("A {target}.") }] });
    let leaf_kinds = [
        "ByteMatch",
        "SqliMatch",
        "XssMatch",
        "SizeConstraint",
        "GeoMatch",
        "RuleGroupReference",
        "IPSetReference",
        "RegexPatternSetReference",
        "LabelMatch",
        "RegexMatch",
    ];
    let mut schemas = serde_json::Map::new();
    let mut statement = serde_json::Map::new();
    for kind in leaf_kinds {
        let name = format!("{kind}Statement");
        statement.insert(name.clone(), annotated(&name));
        schemas.insert(
            name,
            json!({ "type": "object", "required": ["Key"], "properties": {
            "Key": { "type": "string" }, "FieldToMatch": annotated("FieldToMatch"),
            "TextTransformations": annotated("TextTransformations") } }),
        );
    }
    for (name, properties) in [
        ("AndStatement", json!({ "Statements": annotated("Statements") })),
        ("OrStatement", json!({ "Statements": annotated("Statements") })),
        ("NotStatement", json!({ "Statement": annotated("Statement") })),
        ("RateBasedStatement", json!({ "Limit": { "type": "integer" }, "ScopeDownStatement": annotated("Statement") })),
        (
            "ManagedRuleGroupStatement",
            json!({ "Name": { "type": "string" }, "ScopeDownStatement": annotated("Statement") }),
        ),
    ] {
        statement.insert(name.to_owned(), annotated(name));
        schemas.insert(name.to_owned(), json!({ "type": "object", "properties": properties }));
    }
    schemas.insert("Statement".to_owned(), json!({ "type": "object", "properties": statement }));
    schemas.insert(
        "Statements".to_owned(),
        json!({ "type": "array", "items": { "$ref": "#/components/schemas/Statement" } }),
    );
    schemas.insert(
        "FieldToMatch".to_owned(),
        json!({ "type": "object", "properties": { "UriPath": { "type": "object" } } }),
    );
    schemas.insert("TextTransformations".to_owned(), json!({ "type": "array", "items": { "type": "object",
        "properties": { "Priority": { "type": "integer" }, "Type": { "type": "string", "enum": ["NONE", "LOWERCASE"] } } } }));
    schemas.insert(
        "Rule".to_owned(),
        json!({ "type": "object", "required": ["Name", "Statement"], "properties": {
        "Name": { "type": "string" }, "Statement": annotated("Statement") } }),
    );
    schemas.insert("Rules".to_owned(), json!({ "type": "array", "items": { "$ref": "#/components/schemas/Rule" } }));
    let mut paths = serde_json::Map::new();
    for index in 0..40 {
        let body = json!({ "type": "object", "required": ["Rules"], "properties": { "Rules": annotated("Rules") } });
        paths.insert(
            format!("/#X-Amz-Target=AWSWAF_20190729.Operation{index}"),
            json!({ "post": {
            "operationId": format!("Operation{index}"),
            "requestBody": { "required": true, "content": { "application/json": { "schema": body } } },
            "responses": { "200": { "description": "Success", "content": { "application/json": { "schema": body } } } }
        } }),
        );
    }
    json!({ "openapi": "3.0.0", "info": { "title": "WAFV2-shaped", "version": "2019-07-29" },
        "servers": [{ "url": "https://wafv2.example" }], "paths": paths, "components": { "schemas": schemas } })
}

criterion_group!(generate_benches, benches);
criterion_main!(generate_benches);
