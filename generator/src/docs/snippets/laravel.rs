//! Laravel's HTTP client: `Http::withToken(…)->asJson()->post(…)`.

use serde_json::{Map, Value};

use super::php::literal;
use super::{API_KEY, Auth, Language, NextUrl, Pager, Request, Verification, lower_method};
use crate::error::Error;
use crate::ir::{Method, PathStep, StreamFormat};

pub const LANGUAGE: Language = Language { title: "Laravel", fence: "php", sample_lang: "php", literal, render, verify };

// Strings are PHP single-quoted literals: see `php::literal`.

fn render(request: &Request) -> Result<String, Error> {
    if let Some(pager) = &request.pager {
        return Ok(pages(request, pager));
    }
    if let Some(stream) = &request.stream {
        // Guzzle's `stream` option leaves the body to be read as it arrives.
        let expression = call(request, &literal(&request.url), "").replacen(
            "Http::",
            "Http::withOptions(['stream' => true])\n    ->",
            1,
        );
        // Lines are read with Guzzle's `Utils::readLine`; bytes a chunk at a time.
        let import = if stream.format == StreamFormat::Bytes { "" } else { "use GuzzleHttp\\Psr7\\Utils;\n\n" };
        return Ok(format!(
            "<?php\n\n{import}$response = {expression}\n    ->throw();\n$body = $response->toPsrResponse()->getBody();\n\n{}",
            super::php::read_body(
                &super::php::Reader {
                    lines: "while (!$body->eof()) {",
                    line: "Utils::readLine($body)",
                    at_end: "$body->eof()",
                    chunk: "$body->read(65536)",
                },
                stream
            )
        ));
    }
    let expression = call(request, &literal(&request.url), "");
    Ok(format!("<?php\n\n$response = {expression};\n\necho $response->body();\n"))
}

/// The `Http::…` expression that sends the request to `url` (PHP code),
/// its lines after the first indented by `indent`.
fn call(request: &Request, url: &str, indent: &str) -> String {
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
        // `post($url, $data)` is `send('POST', $url, ['json' => $data])` after `asJson()`.
        method => match data {
            Some(value) => format!("send({}, {url}, ['json' => {}])", literal(method.as_str()), php_value(value, 1)),
            None => format!("send({}, {url})", literal(method.as_str())),
        },
    };
    chain.push(call);
    let mut expression = String::from("Http::");
    for (index, link) in chain.iter().enumerate() {
        if index > 0 {
            expression.push_str(&format!("\n{indent}    ->"));
        }
        expression.push_str(&link.replace('\n', &format!("\n{indent}")));
    }
    expression
}

/// A program that reads every page, from the request's URL on.
fn pages(request: &Request, pager: &Pager) -> String {
    let mut out = format!("<?php\n\n$url = {};\n", literal(&request.url));
    match &pager.next {
        NextUrl::Offset { .. } => out.push_str("$offset = 0;\n"),
        NextUrl::PageNumber { first, .. } => out.push_str(&format!("$pageNumber = {first};\n")),
        _ => {}
    }
    if pager.later_pages_get {
        // The next page is a GET, with no body.
        out.push_str(&format!(
            "$firstPage = true;\n\nwhile ($url !== null) {{\n    $response = $firstPage\n        ? {}\n        : {};\n    $response->throw();\n    $firstPage = false;\n",
            call(request, "$url", "        "),
            call(&request.later_page(), "$url", "        ")
        ));
    } else {
        out.push_str(&format!(
            "\nwhile ($url !== null) {{\n    $response = {}\n        ->throw();\n",
            call(request, "$url", "    ")
        ));
    }
    if pager.items.is_empty() {
        out.push_str("    $items = $response->json();\n");
    } else {
        out.push_str(&format!(
            "    $page = $response->json();\n    $items = {};\n",
            path("$page", &pager.items_path())
        ));
    }
    out.push_str(super::php::PRINT_ITEMS);
    out.push_str(&super::php::next_url(pager, "$response->header('Link')", &|at| place(pager, at)));
    out.push_str("}\n");
    out
}

/// The value at `at` in the page.
fn place(pager: &Pager, at: &[PathStep]) -> String {
    pager.place(at, "$page", "$items", path)
}

/// `start` followed by each step on decoded arrays: `['name']`, and
/// `end($items)` or `[count(…) - 1]` for the last item.
fn path(start: &str, steps: &[PathStep]) -> String {
    let mut out = start.to_owned();
    for step in steps {
        match step {
            PathStep::Property(name) => out.push_str(&format!("[{}]", literal(name))),
            PathStep::Last if out == "$items" => out = "end($items)".to_owned(),
            PathStep::Last => out = format!("{out}[count({out}) - 1]"),
        }
    }
    out
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

/// The webhook pages' check of a delivery's Standard Webhooks signature,
/// the same on every page.
const VERIFY: &str = r##"<?php
use Illuminate\Http\Request;

// Whether the API sent a delivery: its Standard Webhooks signature and timestamp.
function verify_webhook(string $secret, Request $request): bool
{
    $id = (string) $request->header('webhook-id');
    $timestamp = (string) $request->header('webhook-timestamp');
    $signatures = (string) $request->header('webhook-signature');
    if ($id === '' || !ctype_digit($timestamp) || abs(time() - (int) $timestamp) > 300) {
        return false; // unsigned, a replay, or from the future
    }
    $key = base64_decode(preg_replace('/^whsec_/', '', $secret), true);
    if ($key === false) {
        return false;
    }
    $signed = "$id.$timestamp." . $request->getContent();
    $expected = base64_encode(hash_hmac('sha256', $signed, $key, true));
    foreach (preg_split('/\s+/', $signatures, -1, PREG_SPLIT_NO_EMPTY) as $signature) {
        if (str_starts_with($signature, 'v1,') && hash_equals($expected, substr($signature, 3))) {
            return true;
        }
    }
    return false;
}
"##;

fn verify(_: &Verification) -> String {
    VERIFY.to_owned()
}
