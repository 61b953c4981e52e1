//! Curl, as a POSIX shell command.

use super::{Body, Language, Request};
use crate::error::Error;
use crate::ir::Method;

pub const LANGUAGE: Language = Language { title: "Curl", fence: "sh", sample_lang: "shell", literal, render };

/// A POSIX shell single-quoted word: nothing inside is special (`$`, `` ` ``,
/// `\`, newlines are literal), a `'` is written `'\''`, and `</` is written
/// `<''/` (two adjacent quoted words, which the shell joins). A NUL can't be
/// in a command-line argument, so it is dropped; `Request` rejects text that
/// has one before it gets here.
pub fn literal(text: &str) -> String {
    let inner = text.replace('\0', "").replace('\'', "'\\''").replace("</", "<''/");
    format!("'{inner}'")
}

fn render(request: &Request) -> Result<String, Error> {
    let mut lines = vec![match request.method {
        Method::Head => "curl --head".to_owned(),
        method => format!("curl --request {}", method.as_str()),
    }];
    lines.push(format!("  --url {}", literal(&request.url)));
    for (name, value) in request.all_headers() {
        lines.push(format!("  --header {}", literal(&format!("{name}: {value}"))));
    }
    if let Some(text) = request.body_text() {
        // `--data` reads a file when the value starts with `@`; JSON never does.
        let option = if matches!(request.body, Some(Body::Json(_))) { "--data" } else { "--data-raw" };
        lines.push(format!("  {option} {}", literal(&text)));
    }
    Ok(format!("{}\n", lines.join(" \\\n")))
}
