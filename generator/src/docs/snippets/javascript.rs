//! JavaScript with `fetch` (Node 18+ or a browser), as an ES module.

use serde_json::Value;

use super::{Body, Language, NextUrl, Pager, Request, StreamRead, Verification, c_like};
use crate::error::Error;
use crate::ir::{PathStep, StreamFormat};

pub const LANGUAGE: Language =
    Language { title: "JavaScript", fence: "js", sample_lang: "javascript", literal, render, verify };

/// A JavaScript double-quoted string (never a template literal): `\\ \" \n
/// \r \t`, `\xHH` for other controls (not octal, which modules reject),
/// other characters as they are. `</` is written `<\/`.
pub fn literal(text: &str) -> String {
    let inner = c_like(text, |c| format!("\\x{:02x}", u32::from(c)), |_| None);
    format!("\"{}\"", inner.replace("</", "<\\/"))
}

/// A JavaScript expression equal to the JSON value.
fn value(json: &Value) -> String {
    match json {
        Value::String(text) => literal(text),
        Value::Array(items) => format!("[{}]", items.iter().map(value).collect::<Vec<_>>().join(", ")),
        Value::Object(entries) if entries.is_empty() => "{}".to_owned(),
        Value::Object(entries) => format!(
            "{{ {} }}",
            entries.iter().map(|(k, v)| format!("{}: {}", literal(k), value(v))).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

fn render(request: &Request) -> Result<String, Error> {
    // When later pages are a `GET` with no body, the method and body are
    // variables the loop changes.
    let mut variables = String::new();
    let later_pages_get = request.pager.as_ref().is_some_and(|pager| pager.later_pages_get);
    let mut options = if later_pages_get {
        variables.push_str(&format!("let method = {};\n", literal(request.method.as_str())));
        "  method,\n".to_owned()
    } else {
        format!("  method: {},\n", literal(request.method.as_str()))
    };
    let headers = request.all_headers();
    if !headers.is_empty() {
        options.push_str("  headers: {\n");
        for (name, value) in &headers {
            options.push_str(&format!("    {}: {},\n", literal(name), literal(value)));
        }
        options.push_str("  },\n");
    }
    let body = match &request.body {
        Some(Body::Json(json)) => Some(format!("JSON.stringify({})", value(json))),
        Some(Body::Text(text)) => Some(literal(text)),
        None => None,
    };
    match body {
        Some(body) if later_pages_get => {
            variables.push_str(&format!("let body = {body};\n"));
            options.push_str("  body,\n");
        }
        Some(body) => options.push_str(&format!("  body: {body},\n")),
        None => {}
    }
    if let Some(pager) = &request.pager {
        return Ok(pages(pager, &request.url, &variables, &options, request.body.is_some()));
    }
    if let Some(stream) = &request.stream {
        let (imports, read) = read_stream(stream);
        return Ok(format!(
            "{imports}const url = {};\n\nconst response = await fetch(url, {{\n{options}}});\nif (!response.ok) {{\n  throw new Error(`${{response.status}}: ${{await response.text()}}`);\n}}\n\n{read}",
            literal(&request.url),
        ));
    }
    Ok(format!(
        "const url = {};\n\nconst response = await fetch(url, {{\n{options}}});\n\nconsole.log(await response.text());\n",
        literal(&request.url)
    ))
}

/// A loop that reads every page from `url`, each with the fetch `options`
/// (which may use the `variables`, the `method` and `body` changed for
/// later pages when they are a `GET`).
fn pages(pager: &Pager, url: &str, variables: &str, options: &str, body: bool) -> String {
    let options: String = options.lines().map(|line| format!("  {line}\n")).collect();
    let mut out = format!("let url = {};\n{variables}", literal(url));
    match &pager.next {
        NextUrl::Offset { .. } => out.push_str("let offset = 0;\n"),
        NextUrl::PageNumber { first, .. } => out.push_str(&format!("let pageNumber = {first};\n")),
        _ => {}
    }
    out.push_str(&format!(
        "while (url) {{\n  const response = await fetch(url, {{\n{options}  }});\n  if (!response.ok) {{\n    throw new Error(`${{response.status}}: ${{await response.text()}}`);\n  }}\n"
    ));
    if pager.items.is_empty() {
        out.push_str("  const items = await response.json();\n");
    } else {
        out.push_str(&format!(
            "  const page = await response.json();\n  const items = {};\n",
            path("page", &pager.items_path())
        ));
    }
    out.push_str("  for (const item of items) {\n    console.log(JSON.stringify(item));\n  }\n  if (items.length === 0) {\n    break;\n  }\n");
    if pager.later_pages_get {
        out.push_str("  // The next page is a GET, with no body.\n  method = \"GET\";\n");
        if body {
            out.push_str("  body = undefined;\n");
        }
    }
    let next = match &pager.next {
        NextUrl::LinkHeader => {
            out.push_str("  const next = response.headers.get(\"link\")?.match(/<([^>]*)>;\\s*rel=\"next\"/)?.[1];\n");
            "next ? new URL(next, url).href : undefined".to_owned()
        }
        NextUrl::InBody(at) => {
            out.push_str(&format!("  const next = {};\n", place(pager, at)));
            "next ? new URL(next, url).href : undefined".to_owned()
        }
        NextUrl::Cursor { from, prefix } => {
            out.push_str(&format!("  const cursor = {};\n", place(pager, from)));
            format!("cursor == null || cursor === \"\" ? undefined : {} + encodeURIComponent(cursor)", literal(prefix))
        }
        NextUrl::Offset { prefix } => {
            out.push_str("  offset += items.length;\n");
            format!("{} + offset", literal(prefix))
        }
        NextUrl::PageNumber { prefix, .. } => {
            out.push_str("  pageNumber += 1;\n");
            format!("{} + pageNumber", literal(prefix))
        }
    };
    out.push_str(&format!("  url = {next};\n}}\n"));
    out
}

/// The value at `at` in the page.
fn place(pager: &Pager, at: &[PathStep]) -> String {
    pager.place(at, "page", "items", path)
}

/// `start` followed by each step: `["name"]`, or `.at(-1)`; a property of
/// a property that may be absent is read with `?.`.
fn path(start: &str, steps: &[PathStep]) -> String {
    let mut out = start.to_owned();
    for (index, step) in steps.iter().enumerate() {
        let optional = if index > 0 { "?." } else { "" };
        match step {
            PathStep::Property(name) => out.push_str(&format!("{optional}[{}]", literal(name))),
            PathStep::Last => out.push_str(".at(-1)"),
        }
    }
    out
}

/// The imports and the code that prints a streamed answer's items as they
/// arrive: each event's `data` (its `data:` lines joined), or each JSON
/// text; or that saves its bytes to the stream's file (with Node's `fs`).
fn read_stream(stream: &StreamRead) -> (&'static str, String) {
    let (separator, each) = match stream.format {
        StreamFormat::Bytes => {
            return (
                "import { createWriteStream } from \"node:fs\";\nimport { Readable } from \"node:stream\";\nimport { pipeline } from \"node:stream/promises\";\n\n",
                format!(
                    "await pipeline(Readable.fromWeb(response.body), createWriteStream({}));\n",
                    literal(&stream.file)
                ),
            );
        }
        StreamFormat::Events => {
            let end = match &stream.sentinel {
                Some(sentinel) => format!("    if (data === {}) break read;\n", literal(sentinel)),
                None => String::new(),
            };
            (
                "/\\r?\\n\\r?\\n/",
                format!(
                    "    const lines = piece.split(/\\r?\\n/).filter((line) => line.startsWith(\"data:\"));\n    if (lines.length === 0) continue;\n    const data = lines.map((line) => line.slice(5).replace(/^ /, \"\")).join(\"\\n\");\n{end}    console.log(data);\n"
                ),
            )
        }
        // A JSON text sequence's items each start with a record separator and end a line.
        StreamFormat::JsonLines | StreamFormat::JsonSequence => {
            let text =
                if stream.format == StreamFormat::JsonSequence { "piece.replace(\"\\x1e\", \"\")" } else { "piece" };
            (
                "\"\\n\"",
                format!(
                    "    const text = {text}.trim();\n    if (!text) continue;\n    const item = JSON.parse(text);\n    console.log(JSON.stringify(item));\n"
                ),
            )
        }
    };
    let read = format!(
        "let buffer = \"\";\nread: for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {{\n  buffer += chunk;\n  const pieces = buffer.split({separator});\n  buffer = pieces.pop();\n  for (const piece of pieces) {{\n{each}  }}\n}}\n"
    );
    ("", read)
}

/// The webhook pages' check of a delivery's Standard Webhooks signature,
/// the same on every page.
const VERIFY: &str = r##"import { createHmac, timingSafeEqual } from "node:crypto";

// Whether the API sent a delivery: its Standard Webhooks signature and timestamp.
// headers by lower-case name, as Node gives them; body: the raw body, a Buffer.
export function verifyWebhook(secret, headers, body) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"] ?? "";
  const signatures = headers["webhook-signature"];
  if (!id || !signatures || !/^[0-9]+$/.test(timestamp)) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false; // a replay, or from the future
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest();
  return signatures.split(/\s+/).some((signature) => {
    if (!signature.startsWith("v1,")) return false;
    const given = Buffer.from(signature.slice(3), "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
"##;

fn verify(_: &Verification) -> String {
    VERIFY.to_owned()
}
