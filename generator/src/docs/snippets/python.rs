//! Python with requests.

use serde_json::Value;

use super::{Body, Language, Request, c_like, lower_method};
use crate::error::Error;
use crate::ir::Method;

pub const LANGUAGE: Language = Language { title: "Python", fence: "python", sample_lang: "python", literal, render };

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
    let mut out = format!("import requests\n\nurl = {}\n\n", literal(&request.url));
    let payload = match &request.body {
        Some(Body::Json(json)) if request.json_body().is_some() => {
            out.push_str(&format!("payload = {}\n", value(json)));
            Some("json=payload")
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
    let call = match request.method {
        Method::Trace => format!("requests.request({}, {})", literal("TRACE"), args.join(", ")),
        method => format!("requests.{}({})", lower_method(method), args.join(", ")),
    };
    out.push_str(&format!("\nresponse = {call}\n\nprint(response.text)\n"));
    Ok(out)
}
