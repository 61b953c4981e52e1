//! Laravel's HTTP client: `Http::withToken(…)->asJson()->post(…)`.

use serde_json::{Map, Value};

use super::php::literal;
use super::{API_KEY, Auth, Language, Request, lower_method};
use crate::error::Error;
use crate::ir::Method;

pub const LANGUAGE: Language = Language { title: "Laravel", fence: "php", sample_lang: "php", literal, render };

// Strings are PHP single-quoted literals: see `php::literal`.

fn render(request: &Request) -> Result<String, Error> {
    let mut chain: Vec<String> = Vec::new();
    let mut headers: Vec<(String, String)> = Vec::new();
    match &request.auth {
        Some(Auth::Bearer) => chain.push(format!("withToken({})", literal(API_KEY))),
        Some(Auth::Header { name, value }) => headers.push((name.clone(), value.clone())),
        None => {}
    }
    headers.extend(request.headers.iter().cloned());
    // A JSON object or list goes as PHP data that `asJson()` encodes; any
    // other body as its text.
    let data = request.json_body().filter(|v| v.is_array() || v.is_object() && !looks_like_list(v));
    match (data, request.body_text(), &request.content_type) {
        (Some(_), _, _) => {}
        (None, Some(text), content_type) => {
            let content_type = content_type.clone().unwrap_or_else(|| "text/plain".to_owned());
            chain.push(format!("withBody({}, {})", literal(&text), literal(&content_type)));
        }
        (None, None, Some(content_type)) => headers.push(("content-type".to_owned(), content_type.clone())),
        (None, None, None) => {}
    }
    if !headers.is_empty() {
        let lines: String =
            headers.iter().map(|(n, v)| format!("        {} => {},\n", literal(n), literal(v))).collect();
        chain.insert(usize::from(matches!(request.auth, Some(Auth::Bearer))), format!("withHeaders([\n{lines}    ])"));
    }
    if data.is_some() {
        chain.push("asJson()".to_owned());
    }
    match request.accept.as_deref() {
        Some("application/json") => chain.push("acceptJson()".to_owned()),
        Some(other) => chain.push(format!("accept({})", literal(other))),
        None => {}
    }
    let url = literal(&request.url);
    let call = match request.method {
        Method::Get | Method::Head | Method::Post | Method::Put | Method::Patch | Method::Delete => {
            let name = lower_method(request.method);
            match data {
                Some(value) if request.method != Method::Get && request.method != Method::Head => {
                    format!("{name}({url}, {})", php_value(value, 1))
                }
                _ => format!("{name}({url})"),
            }
        }
        method => format!("send({}, {url})", literal(method.as_str())),
    };
    chain.push(call);
    let mut expression = String::from("Http::");
    for (index, link) in chain.iter().enumerate() {
        if index > 0 {
            expression.push_str("\n    ->");
        }
        expression.push_str(link);
    }
    Ok(format!("<?php\n\n$response = {expression};\n\necho $response->body();\n"))
}

/// A PHP value that `json_encode` turns back into `value`. `depth` is the
/// indentation level of the line the value starts on.
fn php_value(value: &Value, depth: usize) -> String {
    let indent = "    ".repeat(depth);
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        Value::String(text) => literal(text),
        Value::Array(items) if items.is_empty() => "[]".to_owned(),
        Value::Array(items) => {
            let lines: String =
                items.iter().map(|item| format!("{indent}    {},\n", php_value(item, depth + 1))).collect();
            format!("[\n{lines}{indent}]")
        }
        // `[]` would encode as a list.
        Value::Object(entries) if entries.is_empty() => "new \\stdClass".to_owned(),
        Value::Object(entries) => {
            let lines: String = entries
                .iter()
                .map(|(key, item)| format!("{indent}    {} => {},\n", literal(key), php_value(item, depth + 1)))
                .collect();
            // Keys 0, 1, 2… would make a PHP list, which encodes as a JSON list.
            let cast = if looks_like_list_map(entries) { "(object) " } else { "" };
            format!("{cast}[\n{lines}{indent}]")
        }
    }
}

fn looks_like_list(value: &Value) -> bool {
    value.as_object().is_some_and(looks_like_list_map)
}

fn looks_like_list_map(entries: &Map<String, Value>) -> bool {
    entries.keys().enumerate().all(|(index, key)| *key == index.to_string())
}
