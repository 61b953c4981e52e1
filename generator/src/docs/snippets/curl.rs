//! Curl, as a POSIX shell command.

use super::{Body, Language, Request};
use crate::error::Error;
use crate::ir::Method;

pub const LANGUAGE: Language = Language { title: "Curl", fence: "sh", sample_lang: "shell", literal, render };

/// A POSIX shell single-quoted word: nothing inside is special (`$`, `` ` ``,
/// `\`, newlines are literal), a `'` is written `'\''`, and `</` is written
/// `<''/` (two adjacent quoted words, which the shell joins). A control
/// character other than a newline or a tab can't be shown on a page (a CR
/// becomes a line break), so the shell makes it: `'"$(printf '\015')"'`.
/// A NUL can't be in a command-line argument, so it is dropped; `Request`
/// rejects text that has one before it gets here.
pub fn literal(text: &str) -> String {
    let mut inner = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\0' => {}
            '\'' => inner.push_str("'\\''"),
            c if is_unshowable(c) => {
                let mut bytes = [0; 4];
                let octal: String = c.encode_utf8(&mut bytes).bytes().map(|b| format!("\\{b:03o}")).collect();
                inner.push_str(&format!("'\"$(printf '{octal}')\"'"));
            }
            c => inner.push(c),
        }
    }
    format!("'{}'", inner.replace("</", "<''/"))
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
    let mut pipe = String::new();
    if let Some(text) = request.body_text() {
        if text.chars().any(is_unshowable) {
            // A body with CRs (multipart) is made by printf from escapes, so
            // the page shows every byte; curl reads it from stdin.
            pipe = format!("printf '%b' {} |\n", printf_b_literal(&text));
            lines.push("  --data-binary @-".to_owned());
        } else {
            // `--data` reads a file when the value starts with `@`; JSON never does.
            let option = if matches!(request.body, Some(Body::Json(_))) { "--data" } else { "--data-raw" };
            lines.push(format!("  {option} {}", literal(&text)));
        }
    }
    Ok(format!("{pipe}{}\n", lines.join(" \\\n")))
}

/// A control character a page can't show: a CR becomes a line break, most
/// others nothing.
fn is_unshowable(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// A single-quoted word that `printf '%b'` turns into exactly `text`: `\`
/// written `\\`, a CR `\r`, other control characters as `\0ooo` octal bytes.
fn printf_b_literal(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '\r' => escaped.push_str("\\r"),
            c if is_unshowable(c) => {
                let mut bytes = [0; 4];
                escaped.extend(c.encode_utf8(&mut bytes).bytes().map(|b| format!("\\0{b:03o}")));
            }
            c => escaped.push(c),
        }
    }
    literal(&escaped)
}
