//! PHP with pecl_http (`http\Client`), as on the seed page.

use super::{Language, NextUrl, Pager, Request, StreamRead, Verification};
use crate::error::Error;
use crate::ir::{PathStep, StreamFormat};

pub const LANGUAGE: Language = Language { title: "PHP", fence: "php", sample_lang: "php", literal, render, verify };

/// A PHP single-quoted string: its only escapes are `\\` and `\'`, so every
/// backslash and quote is escaped and everything else (`$`, `{$x}`, `?>`,
/// newlines, UTF-8) is literal. `</` is written `'<' . '/'` (a
/// concatenation, valid wherever a value is). Text with a control character
/// other than a newline or a tab is a double-quoted string instead, with
/// `\r` and `\u{…}` escapes and `$` escaped.
pub fn literal(text: &str) -> String {
    // A page can't show a control character but a newline or a tab (a CR
    // becomes a line break): a double-quoted string writes it as an escape.
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        let mut inner = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            match c {
                '\\' => inner.push_str("\\\\"),
                '"' => inner.push_str("\\\""),
                '$' => inner.push_str("\\$"),
                '\r' => inner.push_str("\\r"),
                c if c.is_control() && c != '\n' && c != '\t' => inner.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
                c => inner.push(c),
            }
        }
        return format!("\"{}\"", inner.replace("</", "<\" . \"/"));
    }
    let inner = text.replace('\\', "\\\\").replace('\'', "\\'").replace("</", "<' . '/");
    format!("'{inner}'")
}

fn render(request: &Request) -> Result<String, Error> {
    if let Some(pager) = &request.pager {
        return Ok(pages(request, pager));
    }
    if let Some(stream) = &request.stream {
        return Ok(read_stream(request, stream));
    }
    let mut out = String::from("<?php\n\n$client = new http\\Client;\n$request = new http\\Client\\Request;\n\n");
    let body = request.body_text();
    if let Some(text) = &body {
        out.push_str(&format!("$body = new http\\Message\\Body;\n$body->append({});\n\n", literal(text)));
    }
    out.push_str(&format!("$request->setRequestUrl({});\n", literal(&request.url)));
    out.push_str(&format!("$request->setRequestMethod({});\n", literal(request.method.as_str())));
    if body.is_some() {
        out.push_str("$request->setBody($body);\n");
    }
    let headers = request.all_headers();
    if !headers.is_empty() {
        out.push_str("\n$request->setHeaders([\n");
        for (name, value) in headers {
            out.push_str(&format!("    {} => {},\n", literal(&name), literal(&value)));
        }
        out.push_str("]);\n");
    }
    out.push_str(
        "\n$client->enqueue($request)->send();\n$response = $client->getResponse();\n\necho $response->getBody();\n",
    );
    Ok(out)
}

/// A program that reads every page, from the request's URL on.
fn pages(request: &Request, pager: &Pager) -> String {
    let mut out = String::from("<?php\n\n$client = new http\\Client;\n");
    out.push_str(&format!("$url = {};\n", literal(&request.url)));
    match &pager.next {
        NextUrl::Offset { .. } => out.push_str("$offset = 0;\n"),
        NextUrl::PageNumber { first, .. } => out.push_str(&format!("$pageNumber = {first};\n")),
        _ => {}
    }
    let text = request.body_text();
    let method = if pager.later_pages_get {
        out.push_str(&format!("$method = {};\n", literal(request.method.as_str())));
        if let Some(text) = &text {
            out.push_str(&format!("$payload = {};\n", literal(text)));
        }
        "$method".to_owned()
    } else {
        literal(request.method.as_str())
    };
    out.push_str(&format!("\nwhile ($url !== null) {{\n    $request = new http\\Client\\Request({method}, $url, [\n"));
    for (name, value) in request.all_headers() {
        out.push_str(&format!("        {} => {},\n", literal(&name), literal(&value)));
    }
    out.push_str("    ]);\n");
    match &text {
        Some(_) if pager.later_pages_get => out.push_str(
            "    if ($payload !== null) {\n        $body = new http\\Message\\Body;\n        $body->append($payload);\n        $request->setBody($body);\n    }\n",
        ),
        Some(text) => out.push_str(&format!(
            "    $body = new http\\Message\\Body;\n    $body->append({});\n    $request->setBody($body);\n",
            literal(text)
        )),
        None => {}
    }
    out.push_str(
        "\n    $client->enqueue($request)->send();\n    $response = $client->getResponse($request);\n    if ($response->getResponseCode() >= 400) {\n        throw new RuntimeException($response->getInfo());\n    }\n",
    );
    if pager.items.is_empty() {
        out.push_str("    $items = json_decode($response->getBody());\n");
    } else {
        out.push_str(&format!(
            "    $page = json_decode($response->getBody());\n    $items = {};\n",
            path("$page", &pager.items_path())
        ));
    }
    out.push_str(PRINT_ITEMS);
    if pager.later_pages_get {
        out.push_str("    // The next page is a GET, with no body.\n    $method = 'GET';\n");
        if text.is_some() {
            out.push_str("    $payload = null;\n");
        }
    }
    out.push_str(&next_url(pager, "$response->getHeader('Link') ?: ''", &|at| place(pager, at)));
    out.push_str("}\n");
    out
}

/// The lines of a loop over pages that print a page's `$items`, stop at an
/// empty one (the Laravel snippet's too).
pub(super) const PRINT_ITEMS: &str = "    foreach ($items as $item) {\n        echo json_encode($item), \"\\n\";\n    }\n    if (count($items) === 0) {\n        break;\n    }\n\n";

/// The lines that set `$url` to the next page's, or `null`, given the PHP
/// expression of the `Link` header's text and how a place in `$page` or
/// `$items` is read (the Laravel snippet's too).
pub(super) fn next_url(pager: &Pager, link: &str, place: &dyn Fn(&[PathStep]) -> String) -> String {
    match &pager.next {
        NextUrl::LinkHeader => format!(
            "    $link = {link};\n    $url = preg_match('/<([^>]*)>;\\s*rel=\"next\"/', $link, $match) ? $match[1] : null;\n"
        ),
        NextUrl::InBody(at) => format!("    $next = {} ?? null;\n    $url = $next === '' ? null : $next;\n", place(at)),
        NextUrl::Cursor { from, prefix } => format!(
            "    $cursor = {} ?? null;\n    $url = $cursor === null || $cursor === '' ? null : {} . rawurlencode($cursor);\n",
            place(from),
            literal(prefix)
        ),
        NextUrl::Offset { prefix } => {
            format!("    $offset += count($items);\n    $url = {} . $offset;\n", literal(prefix))
        }
        NextUrl::PageNumber { prefix, .. } => {
            format!("    $pageNumber += 1;\n    $url = {} . $pageNumber;\n", literal(prefix))
        }
    }
}

/// The value at `at` in the page.
fn place(pager: &Pager, at: &[PathStep]) -> String {
    pager.place(at, "$page", "$items", path)
}

/// `start` followed by each step on `json_decode`'s objects: `->name` (or
/// `->{'a name'}`), and `end($items)` or `[count(…) - 1]` for the last item.
fn path(start: &str, steps: &[PathStep]) -> String {
    let mut out = start.to_owned();
    for step in steps {
        match step {
            PathStep::Property(name) if is_identifier(name) => out.push_str(&format!("->{name}")),
            PathStep::Property(name) => out.push_str(&format!("->{{{}}}", literal(name))),
            PathStep::Last if out == "$items" => out = "end($items)".to_owned(),
            PathStep::Last => out = format!("{out}[count({out}) - 1]"),
        }
    }
    out
}

/// Whether `name` can follow `->` as it is.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A program that prints a streamed answer's items as they arrive, or
/// saves its bytes, with PHP's own HTTP stream (pecl_http reads an answer
/// whole).
fn read_stream(request: &Request, stream: &StreamRead) -> String {
    let mut out =
        String::from("<?php\n\n// pecl_http reads an answer whole; PHP's HTTP stream reads it as it arrives.\n");
    out.push_str(&format!(
        "$context = stream_context_create([\n    'http' => [\n        'method' => {},\n        'header' => [\n",
        literal(request.method.as_str())
    ));
    for (name, value) in request.all_headers() {
        out.push_str(&format!("            {},\n", literal(&format!("{name}: {value}"))));
    }
    out.push_str("        ],\n");
    if let Some(text) = request.body_text() {
        out.push_str(&format!("        'content' => {},\n", literal(&text)));
    }
    out.push_str("    ],\n]);\n");
    out.push_str(&format!(
        "$stream = fopen({}, 'r', false, $context);\nif ($stream === false) {{\n    throw new RuntimeException('the request failed');\n}}\n\n",
        literal(&request.url)
    ));
    let reader = Reader {
        lines: "while (($line = fgets($stream)) !== false) {",
        line: "$line",
        at_end: "feof($stream)",
        chunk: "fread($stream, 65536)",
    };
    out.push_str(&read_body(&reader, stream));
    out.push_str("fclose($stream);\n");
    out
}

/// How the code reads an answer's body: PHP's HTTP stream, or Guzzle's
/// (the Laravel snippet's).
pub(super) struct Reader {
    /// The head of a loop over the lines.
    pub lines: &'static str,
    /// The line, in that loop.
    pub line: &'static str,
    /// Whether the body has all been read.
    pub at_end: &'static str,
    /// Reads the next chunk of bytes.
    pub chunk: &'static str,
}

/// A loop over the lines `reader` reads that prints each event's `data`
/// (its `data:` lines joined), or each JSON text; or over its chunks,
/// which it writes to the stream's file.
pub(super) fn read_body(reader: &Reader, stream: &StreamRead) -> String {
    let (head, line) = (reader.lines, reader.line);
    match stream.format {
        StreamFormat::Bytes => format!(
            "$file = fopen({}, 'wb');\nwhile (!{}) {{\n    fwrite($file, {});\n}}\nfclose($file);\n",
            literal(&stream.file),
            reader.at_end,
            reader.chunk
        ),
        StreamFormat::Events => {
            let end = match &stream.sentinel {
                Some(sentinel) => {
                    format!("        if ($event === {}) {{\n            break;\n        }}\n", literal(sentinel))
                }
                None => String::new(),
            };
            format!(
                "$data = [];\n{head}\n    $line = rtrim({line}, \"\\r\\n\");\n    if (str_starts_with($line, 'data:')) {{\n        $data[] = preg_replace('/^ /', '', substr($line, 5));\n    }} elseif ($line === '' && $data) {{\n        $event = implode(\"\\n\", $data);\n        $data = [];\n{end}        echo $event, \"\\n\";\n    }}\n}}\n"
            )
        }
        // A JSON text sequence's items each start with a record separator and end a line.
        StreamFormat::JsonLines | StreamFormat::JsonSequence => {
            let trim = if stream.format == StreamFormat::JsonSequence {
                format!("trim({line}, \"\\x1e \\t\\r\\n\")")
            } else {
                format!("trim({line})")
            };
            format!(
                "{head}\n    $line = {trim};\n    if ($line !== '') {{\n        echo json_encode(json_decode($line, false, 512, JSON_THROW_ON_ERROR)), \"\\n\";\n    }}\n}}\n"
            )
        }
    }
}

/// The webhook pages' check of a delivery's Standard Webhooks signature,
/// the same on every page.
const VERIFY: &str = r##"<?php
// Whether the API sent a delivery: its Standard Webhooks signature and timestamp.
// $headers by lower-case name, e.g. array_change_key_case(getallheaders());
// $body as received, e.g. file_get_contents('php://input').
function verify_webhook(string $secret, array $headers, string $body): bool
{
    $id = $headers['webhook-id'] ?? '';
    $timestamp = $headers['webhook-timestamp'] ?? '';
    $signatures = $headers['webhook-signature'] ?? '';
    if ($id === '' || !ctype_digit($timestamp) || abs(time() - (int) $timestamp) > 300) {
        return false; // unsigned, a replay, or from the future
    }
    $key = base64_decode(preg_replace('/^whsec_/', '', $secret), true);
    if ($key === false) {
        return false;
    }
    $expected = base64_encode(hash_hmac('sha256', "$id.$timestamp.$body", $key, true));
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
