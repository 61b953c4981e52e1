//! PHP with pecl_http (`http\Client`), as on the seed page.

use super::{Language, Request};
use crate::error::Error;

pub const LANGUAGE: Language = Language { title: "PHP", fence: "php", sample_lang: "php", literal, render };

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
