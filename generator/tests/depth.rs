//! Depth the document controls never crashes the generator: every way a
//! schema can nest, at the deepest the parsers accept and past it, and the
//! long or mutually recursive `$ref` chains AWS documents have, each give
//! files or a clear error. Run on the test harness's own thread (2 MiB of
//! stack, less than a main thread's 8 MiB), so a pass that recurses on the
//! caller's stack overflows here first.

use kanuu_codegen::{Options, generate};
use serde_json::{Value, json};

/// A document whose one operation sends and answers `schema`.
fn document(schema: Value, components: Value) -> String {
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Deep", "version": "1" },
        "paths": { "/deep": { "post": {
            "operationId": "deep",
            "requestBody": { "content": { "application/json": { "schema": schema } } },
            "responses": { "200": { "description": "ok",
                "content": { "application/json": { "schema": schema } } } }
        } } },
        "components": { "schemas": components }
    })
    .to_string()
}

/// `schema` wrapped `levels` times by `wrap`.
fn nested(levels: usize, wrap: Wrap) -> Value {
    (0..levels).fold(json!({ "type": "string" }), wrap)
}

/// Wraps a schema (the inner one, and how deep it sits) in another.
type Wrap = fn(Value, usize) -> Value;

/// Each way one schema holds another, by name.
fn wrappers() -> Vec<(&'static str, Wrap)> {
    vec![
        ("properties", |inner, _| json!({ "type": "object", "properties": { "a": inner } })),
        ("items", |inner, _| json!({ "type": "array", "items": inner })),
        ("additionalProperties", |inner, _| json!({ "type": "object", "additionalProperties": inner })),
        (
            "allOf",
            |inner, level| json!({ "allOf": [inner, { "type": "object", "properties": { format!("p{level}"): { "type": "string" } } }] }),
        ),
        ("oneOf", |inner, _| json!({ "oneOf": [inner, { "type": "integer" }] })),
        ("anyOf", |inner, _| json!({ "anyOf": [{ "type": "boolean" }, inner] })),
        ("not", |inner, _| json!({ "not": inner })),
    ]
}

/// Generates `text` as JSON and as YAML; fails on a panic or a message-less error.
fn generates_or_refuses(name: &str, text: &str) {
    for (label, text) in
        [(format!("{name}.json"), text.to_owned()), (format!("{name}.yaml"), format!("# YAML\n{text}"))]
    {
        let outcome = std::panic::catch_unwind(|| generate(&text, &label, &Options::default()).map(|_| ()));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                let message = error.to_string();
                assert!(
                    message.contains("levels deep"),
                    "{label}: refused without saying why depth matters: {message}"
                );
            }
            Err(_) => panic!("{label}: the generator panicked"),
        }
    }
}

#[test]
fn nesting_at_and_past_the_parsers_limit() {
    for (kind, wrap) in wrappers() {
        for levels in [30, 60, 63, 64, 100, 200] {
            generates_or_refuses(&format!("{kind}-{levels}"), &document(nested(levels, wrap), json!({})));
        }
    }
}

#[test]
fn long_reference_chains() {
    const LENGTH: usize = 1_000;
    let pointer = |index: usize| format!("#/components/schemas/S{index}");
    let chain = |link: &dyn Fn(usize) -> Value| {
        let mut schemas: serde_json::Map<String, Value> = (0..LENGTH).map(|i| (format!("S{i}"), link(i))).collect();
        schemas
            .insert(format!("S{LENGTH}"), json!({ "type": "object", "properties": { "end": { "type": "string" } } }));
        document(json!({ "$ref": pointer(0) }), Value::Object(schemas))
    };
    generates_or_refuses(
        "property-chain",
        &chain(&|i| json!({ "type": "object", "properties": { "next": { "$ref": pointer(i + 1) } } })),
    );
    generates_or_refuses("alias-chain", &chain(&|i| json!({ "$ref": pointer(i + 1) })));
    generates_or_refuses("array-chain", &chain(&|i| json!({ "type": "array", "items": { "$ref": pointer(i + 1) } })));
    generates_or_refuses(
        "all-of-chain",
        &chain(
            &|i| json!({ "allOf": [{ "$ref": pointer(i + 1) }, { "type": "object", "properties": { format!("p{i}"): { "type": "string" } } }] }),
        ),
    );
    generates_or_refuses(
        "annotated-all-of-chain",
        &chain(
            &|i| json!({ "type": "object", "properties": { "next": { "allOf": [{ "$ref": pointer(i + 1) }, { "description": "next" }] } } }),
        ),
    );
    generates_or_refuses(
        "one-of-chain",
        &chain(&|i| json!({ "oneOf": [{ "$ref": pointer(i + 1) }, { "type": "integer" }] })),
    );
}

/// AWS Cost Explorer's `Expression` and WAFV2's `Statement`: `And`, `Or`
/// and `Not` refer back to the type that holds them, through lists and
/// annotated `allOf`s, several types deep.
#[test]
fn mutually_recursive_expressions() {
    let annotated = |target: &str| json!({ "allOf": [{ "$ref": format!("#/components/schemas/{target}") }, { "description": "see {target}" }] });
    let components = json!({
        "Expression": { "type": "object", "properties": {
            "Or": annotated("Expressions"), "And": annotated("Expressions"), "Not": annotated("Expression"),
            "Dimensions": annotated("DimensionValues") } },
        "Expressions": { "type": "array", "items": { "$ref": "#/components/schemas/Expression" } },
        "DimensionValues": { "type": "object", "properties": { "Key": { "type": "string" } } },
        "Statement": { "type": "object", "properties": {
            "AndStatement": annotated("AndStatement"), "OrStatement": annotated("OrStatement"),
            "NotStatement": annotated("NotStatement"), "RateBasedStatement": annotated("RateBasedStatement"),
            "ManagedRuleGroupStatement": annotated("ManagedRuleGroupStatement") } },
        "Statements": { "type": "array", "items": { "$ref": "#/components/schemas/Statement" } },
        "AndStatement": { "type": "object", "required": ["Statements"], "properties": { "Statements": annotated("Statements") } },
        "OrStatement": { "type": "object", "required": ["Statements"], "properties": { "Statements": annotated("Statements") } },
        "NotStatement": { "type": "object", "required": ["Statement"], "properties": { "Statement": annotated("Statement") } },
        "RateBasedStatement": { "type": "object", "properties": { "ScopeDownStatement": annotated("Statement") } },
        "ManagedRuleGroupStatement": { "type": "object", "properties": {
            "ScopeDownStatement": annotated("Statement"),
            "Excluded": { "allOf": [annotated("Statement"), { "type": "object", "properties": { "Why": { "type": "string" } } }] } } },
        "Rule": { "type": "object", "properties": { "Statement": annotated("Statement"), "Expression": annotated("Expression") } }
    });
    let text = document(json!({ "$ref": "#/components/schemas/Rule" }), components);
    let generated = generate(&text, "expressions.json", &Options::default()).expect("the expressions generate");
    let types = generated.files.iter().find(|f| f.path == "rust/src/types.rs").expect("types.rs");
    assert!(
        types.contents.contains("pub not: Option<Box<crate::Expression>>"),
        "Not is a boxed Expression:\n{}",
        types.contents
    );
}
