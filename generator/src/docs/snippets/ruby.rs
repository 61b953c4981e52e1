//! Ruby with net/http. TLS is used for https URLs, with certificate checks on.

use super::{Language, Request};
use crate::error::Error;
use crate::ir::Method;

pub const LANGUAGE: Language = Language { title: "Ruby", fence: "ruby", sample_lang: "ruby", literal, render };

/// A Ruby single-quoted string (escapes only `\\` and `\'`; `#{}` is not
/// interpolated), or, when the text has a control character other than a
/// newline or a tab (Ruby's lexer would turn CR LF into LF inside any
/// literal, and a page can't show them), a double-quoted one with
/// `\\ \" \# \n \r \t` and `\u{…}` for other controls. `</` is written as
/// two adjacent literals, `'<' '/'`, which Ruby joins.
pub fn literal(text: &str) -> String {
    // A control character other than a newline or a tab can't be shown on a
    // page (a CR becomes a line break): a double-quoted string escapes it.
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        let mut inner = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\\' => inner.push_str("\\\\"),
                '"' => inner.push_str("\\\""),
                '#' => inner.push_str("\\#"),
                '\n' => inner.push_str("\\n"),
                '\r' => inner.push_str("\\r"),
                '\t' => inner.push_str("\\t"),
                c if c.is_control() => inner.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
                c => inner.push(c),
            }
        }
        format!("\"{}\"", inner.replace("</", "<\" \"/"))
    } else {
        let inner = text.replace('\\', "\\\\").replace('\'', "\\'").replace("</", "<' '/");
        format!("'{inner}'")
    }
}

fn render(request: &Request) -> Result<String, Error> {
    let class = match request.method {
        Method::Get => "Get",
        Method::Put => "Put",
        Method::Post => "Post",
        Method::Delete => "Delete",
        Method::Options => "Options",
        Method::Head => "Head",
        Method::Patch => "Patch",
        Method::Trace => "Trace",
    };
    let mut out = String::from("require 'uri'\nrequire 'net/http'\n\n");
    out.push_str(&format!("url = URI({})\n\n", literal(&request.url)));
    out.push_str("http = Net::HTTP.new(url.host, url.port)\nhttp.use_ssl = (url.scheme == \"https\")\n\n");
    out.push_str(&format!("request = Net::HTTP::{class}.new(url)\n"));
    for (name, value) in request.all_headers() {
        out.push_str(&format!("request[{}] = {}\n", literal(&name), literal(&value)));
    }
    if let Some(text) = request.body_text() {
        out.push_str(&format!("request.body = {}\n", literal(&text)));
    }
    out.push_str("\nresponse = http.request(request)\nputs response.read_body\n");
    Ok(out)
}
