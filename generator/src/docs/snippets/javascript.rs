//! JavaScript with `fetch` (Node 18+ or a browser), as an ES module.

use serde_json::Value;

use super::{Body, Language, Request, c_like};
use crate::error::Error;

pub const LANGUAGE: Language =
    Language { title: "JavaScript", fence: "js", sample_lang: "javascript", literal, render };

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
    let mut options = format!("  method: {},\n", literal(request.method.as_str()));
    let headers = request.all_headers();
    if !headers.is_empty() {
        options.push_str("  headers: {\n");
        for (name, value) in &headers {
            options.push_str(&format!("    {}: {},\n", literal(name), literal(value)));
        }
        options.push_str("  },\n");
    }
    match &request.body {
        Some(Body::Json(json)) => options.push_str(&format!("  body: JSON.stringify({}),\n", value(json))),
        Some(Body::Text(text)) => options.push_str(&format!("  body: {},\n", literal(text))),
        None => {}
    }
    Ok(format!(
        "const url = {};\n\nconst response = await fetch(url, {{\n{options}}});\n\nconsole.log(await response.text());\n",
        literal(&request.url)
    ))
}
