//! Python with requests.

use serde_json::Value;

use super::{Body, Language, NextUrl, Pager, Request, StreamRead, Verification, c_like, lower_method};
use crate::error::Error;
use crate::ir::{Method, PathStep, StreamFormat};

pub const LANGUAGE: Language =
    Language { title: "Python", fence: "python", sample_lang: "python", literal, render, verify };

/// A Python double-quoted string (never an f-string): `\\ \" \n \r \t`,
/// `\xHH` for other controls, other characters as they are (source is
/// UTF-8). `</` is written `<\x2f`.
pub fn literal(text: &str) -> String {
    let inner = c_like(text, |c| format!("\\x{:02x}", u32::from(c)), |_| None);
    format!("\"{}\"", inner.replace("</", "<\\x2f"))
}

/// A Python expression equal to the JSON value.
fn value(json: &Value) -> String {
    match json {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(number) => number.to_string(),
        Value::String(text) => literal(text),
        Value::Array(items) => format!("[{}]", items.iter().map(value).collect::<Vec<_>>().join(", ")),
        Value::Object(entries) => format!(
            "{{{}}}",
            entries.iter().map(|(k, v)| format!("{}: {}", literal(k), value(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn render(request: &Request) -> Result<String, Error> {
    let later_pages_get = request.pager.as_ref().is_some_and(|pager| pager.later_pages_get);
    let mut out = format!("import requests\n\nurl = {}\n\n", literal(&request.url));
    let payload = match &request.body {
        Some(Body::Json(json)) if request.json_body().is_some() => {
            out.push_str(&format!("payload = {}\n", value(json)));
            Some("json=payload")
        }
        // A body the loop drops after the first page is bytes already.
        Some(_) if later_pages_get => {
            let text = request.body_text().unwrap_or_default();
            out.push_str(&format!("payload = {}.encode(\"utf-8\")\n", literal(&text)));
            Some("data=payload")
        }
        Some(_) => {
            let text = request.body_text().unwrap_or_default();
            out.push_str(&format!("payload = {}\n", literal(&text)));
            Some("data=payload.encode(\"utf-8\")")
        }
        None => None,
    };
    let headers = request.all_headers();
    if !headers.is_empty() {
        out.push_str("headers = {\n");
        for (name, value) in &headers {
            out.push_str(&format!("    {}: {},\n", literal(name), literal(value)));
        }
        out.push_str("}\n");
    }
    let mut args = vec!["url".to_owned()];
    args.extend(payload.map(str::to_owned));
    if !headers.is_empty() {
        args.push("headers=headers".to_owned());
    }
    if request.stream.is_some() {
        args.push("stream=True".to_owned());
    }
    let call = match request.method {
        _ if later_pages_get => format!("requests.request(method, {})", args.join(", ")),
        Method::Trace | Method::Query | Method::Other(_) => {
            format!("requests.request({}, {})", literal(request.method.as_str()), args.join(", "))
        }
        method => format!("requests.{}({})", lower_method(method), args.join(", ")),
    };
    match (&request.pager, &request.stream) {
        (None, Some(stream)) => {
            let (imports, read) = read_stream(stream);
            out = format!(
                "{imports}{}\nresponse = {call}\nresponse.raise_for_status()\n{read}",
                out.strip_prefix("import requests\n").unwrap_or(&out)
            );
        }
        (None, None) => out.push_str(&format!("\nresponse = {call}\n\nprint(response.text)\n")),
        (Some(pager), _) => {
            let (imports, each_page) = pages(pager, &call, request.method, payload.is_some());
            out = format!("{imports}{}\n{each_page}", out.strip_prefix("import requests\n").unwrap_or(&out));
        }
    }
    Ok(out)
}

/// The imports and the loop that prints a streamed answer's items as they
/// arrive: each event's `data` (its `data:` lines joined), or each JSON
/// text; or that saves its bytes to the stream's file.
fn read_stream(stream: &StreamRead) -> (String, String) {
    let mut out = String::from("response.encoding = \"utf-8\"\n\n");
    match stream.format {
        StreamFormat::Bytes => {
            let save = format!(
                "\nwith open({}, \"wb\") as file:\n    for chunk in response.iter_content(chunk_size=65536):\n        file.write(chunk)\n",
                literal(&stream.file)
            );
            ("import requests\n".to_owned(), save)
        }
        StreamFormat::Events => {
            out.push_str("data = []\nfor line in response.iter_lines(decode_unicode=True):\n    if line.startswith(\"data:\"):\n        data.append(line[5:].removeprefix(\" \"))\n    elif not line and data:\n        event, data = \"\\n\".join(data), []\n");
            if let Some(sentinel) = &stream.sentinel {
                out.push_str(&format!("        if event == {}:\n            break\n", literal(sentinel)));
            }
            out.push_str("        print(event)\n");
            ("import requests\n".to_owned(), out)
        }
        StreamFormat::JsonLines | StreamFormat::JsonSequence => {
            let delimiter = if stream.format == StreamFormat::JsonSequence { "delimiter=\"\\x1e\", " } else { "" };
            out.push_str(&format!(
                "for line in response.iter_lines({delimiter}decode_unicode=True):\n    if line.strip():\n        item = json.loads(line)\n        print(json.dumps(item))\n"
            ));
            ("import json\n\nimport requests\n".to_owned(), out)
        }
    }
}

/// The imports and the loop that reads every page with `call`, which
/// sends `url` (and, when later pages are a `GET`, with `method` and any
/// `payload`).
fn pages(pager: &Pager, call: &str, method: Method, payload: bool) -> (String, String) {
    let mut imports = String::from("import json\n");
    let items =
        if pager.items.is_empty() { "response.json()".to_owned() } else { path("page", &pager.items_path(), false) };
    let mut out = String::new();
    match &pager.next {
        NextUrl::Offset { .. } => out.push_str("offset = 0\n"),
        NextUrl::PageNumber { first, .. } => out.push_str(&format!("page_number = {first}\n")),
        _ => {}
    }
    if pager.later_pages_get {
        out.push_str(&format!("method = {}\n", literal(method.as_str())));
    }
    out.push_str(&format!("while url:\n    response = {call}\n    response.raise_for_status()\n"));
    if !pager.items.is_empty() {
        out.push_str("    page = response.json()\n");
    }
    out.push_str(&format!(
        "    items = {items}\n    for item in items:\n        print(json.dumps(item))\n    if not items:\n        break\n"
    ));
    if pager.later_pages_get {
        out.push_str("    # The next page is a GET, with no body.\n");
        out.push_str(if payload { "    method, payload = \"GET\", None\n" } else { "    method = \"GET\"\n" });
    }
    let next = match &pager.next {
        NextUrl::LinkHeader => {
            imports.push_str("from urllib.parse import urljoin\n");
            out.push_str("    next_url = response.links.get(\"next\", {}).get(\"url\")\n");
            "urljoin(url, next_url) if next_url else None".to_owned()
        }
        NextUrl::InBody(at) => {
            imports.push_str("from urllib.parse import urljoin\n");
            out.push_str(&format!("    next_url = {}\n", place(pager, at)));
            "urljoin(url, next_url) if next_url else None".to_owned()
        }
        NextUrl::Cursor { from, prefix } => {
            imports.push_str("from urllib.parse import quote\n");
            out.push_str(&format!("    cursor = {}\n", place(pager, from)));
            format!("{} + quote(str(cursor), safe=\"\") if cursor not in (None, \"\") else None", literal(prefix))
        }
        NextUrl::Offset { prefix } => {
            out.push_str("    offset += len(items)\n");
            format!("{} + str(offset)", literal(prefix))
        }
        NextUrl::PageNumber { prefix, .. } => {
            out.push_str("    page_number += 1\n");
            format!("{} + str(page_number)", literal(prefix))
        }
    };
    out.push_str(&format!("    url = {next}\n"));
    (format!("{imports}\nimport requests\n"), out)
}

/// The value at `at` in the page (`None` when its last property is absent).
fn place(pager: &Pager, at: &[PathStep]) -> String {
    pager.place(at, "page", "items", |start, steps| path(start, steps, true))
}

/// `start` followed by each step: `["name"]`, `[-1]`, and with `optional`
/// `.get("name")` for the last property, which may be absent.
fn path(start: &str, steps: &[PathStep], optional: bool) -> String {
    let mut out = start.to_owned();
    for (index, step) in steps.iter().enumerate() {
        match step {
            PathStep::Property(name) if optional && index + 1 == steps.len() => {
                out.push_str(&format!(".get({})", literal(name)))
            }
            PathStep::Property(name) => out.push_str(&format!("[{}]", literal(name))),
            PathStep::Last => out.push_str("[-1]"),
        }
    }
    out
}

/// The webhook pages' check of a delivery's Standard Webhooks signature,
/// the same on every page.
const VERIFY: &str = r##"import base64
import hashlib
import hmac
import time


def verify_webhook(secret, headers, body):
    """Whether the API sent a delivery: its Standard Webhooks signature and timestamp.

    headers: the request's headers (Flask's and Django's read any case);
    body: the bytes as received.
    """
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp") or ""
    signatures = headers.get("webhook-signature")
    if not msg_id or not signatures or not timestamp.isdigit():
        return False
    if abs(time.time() - int(timestamp)) > 300:
        return False  # a replay, or from the future
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(signature[3:], expected)
        for signature in signatures.split()
        if signature.startswith("v1,")
    )
"##;

fn verify(_: &Verification) -> String {
    VERIFY.to_owned()
}
